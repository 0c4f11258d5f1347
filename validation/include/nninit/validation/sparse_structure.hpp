// nninit/validation/sparse_structure.hpp — checks of a sparse weight in
// PyTorch's sparse_ convention: every column of a (rows x cols) matrix holds
// exactly z zeros at uniformly random rows, the other entries N(0, std).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// P(round(X) == 0) for X ~ N(0, std) stored on `grid`: the mass of the
// rounding interval of 0, |x| <= half the smallest subnormal (float16: about
// 2 phi(0) 2^-25 / std; float32 about 1e-43 for std 0.01; 0 on the
// continuous grid). A non-zero entry can round to zero
// with this probability, so a column may legitimately hold more than z zeros.
double normal_zero_probability(double std, OutputGrid grid);

// The exact check "every column holds z zeros" (-0 counts as zero):
// "sparse(zeros per column)" fails when a column has fewer than z zeros, or
// more when zero_probability == 0; measured = the number of columns that are
// off. Throws std::invalid_argument unless matrix.size() == rows * cols and
// z <= rows. Example: sparse_zero_count_check(w, 1024, 256, 922, 0.0).
TestResult sparse_zero_count_check(std::span<const double> matrix, std::uint64_t rows, std::uint64_t cols,
                                   std::uint64_t z, double zero_probability);

// Zeros beyond z in the columns, against Binomial((rows - z) cols,
// zero_probability): the one-sided upper binomial tail ("sparse(excess
// zeros)"). NaN p-value (not applicable) when zero_probability == 0: the
// exact check covers that case.
TestResult sparse_excess_zero_test(std::span<const double> matrix, std::uint64_t rows, std::uint64_t cols,
                                   std::uint64_t z, double zero_probability);

// Whether the zeros' rows are uniform: Pearson's chi-squared of the zero
// count per row (summed over the columns) against cols z / rows each, scaled
// for sampling without replacement within a column: X = (rows - 1) / (rows
// cols p (1 - p)) sum_r (O_r - cols p)^2 with p = z / rows, asymptotically
// chi-squared with rows - 1 degrees of freedom (the column vectors are
// independent and the count vector's covariance is cols p (1 - p) rows /
// (rows - 1) (I - J / rows)). NaN p-value when z is 0 or rows (nothing
// random), or when the expected count per row cols p (1 - p) is below 5.
// name "sparse(zero rows uniform)".
TestResult sparse_zero_position_test(std::span<const double> matrix, std::uint64_t rows, std::uint64_t cols,
                                     std::uint64_t z);

// The entries that are not zero, in storage order (for the normal battery).
std::vector<double> nonzero_values(std::span<const double> matrix);

}  // namespace nninit::validation
