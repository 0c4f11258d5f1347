// nninit/validation/orthogonality.hpp — how far a stored matrix is from
// gain times an orthonormal one, and the largest deviation that rounding to
// the output dtype can explain.
//
// A (rows x cols) matrix M (C order) from an orthogonal initializer has
// orthonormal columns when rows >= cols and orthonormal rows when rows < cols
// (the convention of PyTorch, Keras and JAX): the Gram matrix G = M^T M
// (tall) or M M^T (wide), of size k = min(rows, cols) over vectors of length
// m = max(rows, cols), equals gain^2 I.
#pragma once

#include <cstdint>
#include <span>

#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

struct OrthogonalityMeasurement {
  double max_deviation = 0.0;  // max over (i, j) of |G_ij - gain^2 delta_ij|
  std::uint64_t i = 0, j = 0;  // where it occurs (i <= j)
  bool rows_orthonormal = false;  // true: G = M M^T (rows < cols)
};

// max |G - gain^2 I| of `matrix`, computed in double. Throws
// std::invalid_argument unless matrix.size() == rows * cols, rows, cols >= 1
// and gain is finite. Cost: k^2 m / 2 multiply-adds.
// Example: measure_orthogonality(q, 256, 576, 1.0).max_deviation < 1e-6.
OrthogonalityMeasurement measure_orthogonality(std::span<const double> matrix, std::uint64_t rows,
                                               std::uint64_t cols, double gain);

// A rigorous bound on max |G - gain^2 I| for gain times a double-precision
// Householder Q rounded to `grid` (float32 directly, bfloat16 / float16 through
// float32, as nninit stores them), including the double rounding of the Gram
// matrix itself. With m = max(rows, cols), k = min(rows, cols), g = |gain|,
// u = 2^-53:
//   d = m k u + 4 u             allowance for the double QR and the gain product
//   r, a                        the grid's relative and absolute rounding error:
//                               float32 2^-24, 2^-149; bfloat16 2^-8 + 2^-24 + 2^-32,
//                               2^-133; float16 2^-11 + 2^-24 + 2^-35, 2^-24;
//                               continuous (float64) 0, 0
//   c = g (1 + d)               the largest norm of a vector of gain * Q
//   e = r c + a sqrt(m)         the largest norm of its rounding error
//   bound = g^2 (d + 2u) + 2 c e + e^2 + gamma_m (c + e)^2,  gamma_m = m u / (1 - m u)
// (validation/README.md, "Structured initializers", derives it). Example:
// orthogonality_bound(OutputGrid::float32, 256, 576, 1.0) ~= 1.2e-7.
double orthogonality_bound(OutputGrid grid, std::uint64_t rows, std::uint64_t cols, double gain);

// The exact check: measure_orthogonality within orthogonality_bound; no error
// rate (p = 1 when within, 0 when not). measured = the deviation, ci_high =
// the bound. name "orthogonality(max |Q^T Q - gain^2 I|)" or
// "orthogonality(max |Q Q^T - gain^2 I|)".
TestResult orthogonality_check(std::span<const double> matrix, std::uint64_t rows, std::uint64_t cols, double gain,
                               OutputGrid grid);

}  // namespace nninit::validation
