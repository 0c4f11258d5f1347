// nninit/validation/haar_law.hpp — the law of orthogonal matrices drawn from
// the Haar (uniform) distribution: the exact law of one entry, and the first
// two moments of the trace, each as tests.
//
// Facts used (validation/README.md, "Structured initializers", gives the
// sources): every column of a Haar-distributed m x m orthogonal matrix is a
// uniform point on the unit sphere of R^m, so each entry x satisfies
// (x + 1) / 2 ~ Beta((m - 1) / 2, (m - 1) / 2) (equivalently x^2 ~
// Beta(1/2, (m - 1) / 2)); the same holds for the orthonormal columns (rows)
// of an m x k (k x m) matrix made by an orthogonal initializer with the sign
// correction. For a Haar n x n matrix, E tr(Q) = 0, E tr(Q)^2 = 1, and the
// moments of tr(Q) up to order n are those of N(0, 1) (Diaconis and
// Shahshahani 1994).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/probability_transform.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// P(X <= x) for a coordinate X of a uniform point on the unit sphere of R^m:
// I_{(x+1)/2}((m-1)/2, (m-1)/2) (Boost's regularised incomplete beta), 0
// below -1 and 1 above 1. Throws std::invalid_argument if m < 2.
// Example: sphere_coordinate_cdf(0.0, 8) == 0.5.
double sphere_coordinate_cdf(double x, std::uint64_t m);

// u_i = P(X <= v_i / |gain|) for entries v of gain * (a Haar matrix whose
// vectors have length m), stored on `grid`. On a coarse grid (bfloat16,
// float16) the randomised transform u = F(lower edge) + V (F(upper edge) -
// F(lower edge)) of v's rounding interval (divided by |gain|), V in (0, 1)
// from a fixed hash of (jitter_seed, i), which is exactly U(0, 1) for correct
// rounded output; float32 and continuous grids use F itself (a float32 value's
// rounding interval holds at most about 2^-24 relative of the mass). Throws
// std::invalid_argument for m < 2, a gain that is 0 or not finite, or (coarse
// grid) a value off the grid or NaN.
std::vector<double> haar_entry_transform(std::span<const double> values, std::uint64_t m, double gain,
                                         OutputGrid grid, std::uint64_t jitter_seed = default_jitter_seed);

// The entry law as tests: Kolmogorov-Smirnov, Anderson-Darling and the
// equiprobable chi-squared of haar_entry_transform against U(0, 1), named
// "haar_entry:kolmogorov_smirnov(u)" and so on (`label` is put in each
// detail). Exact when the values are independent (one entry from each of
// independent matrices). For all the entries of one matrix they are
// dependent (every vector has norm exactly |gain|), which makes the p-values
// conservative (measured in validation/README.md).
std::vector<TestResult> haar_entry_tests(std::span<const double> values, std::uint64_t m, double gain,
                                         OutputGrid grid, std::string_view label = {});

// The trace tests over tr(Q) of independent n x n Haar matrices (already
// divided by the gain): the mean (z = sum / sqrt(N), two-sided normal
// p-value) and the second moment (sum of squares against chi-squared with N
// degrees of freedom, two-sided), each on the whole sample and as a two-level
// test (the same statistic in each of `chunks` consecutive chunks, then KS of
// the chunk p-values against U(0, 1)). Both reference laws are those of N(0, 1)
// traces, exact in the first n cumulants (Diaconis-Shahshahani), so the error
// of each p-value falls as a high power of the chunk size (README). Names
// "trace(mean)", "trace(second moment)", "two_level(trace mean)",
// "two_level(trace second moment)". Throws std::invalid_argument if n < 2,
// chunks < 2 or a chunk would hold fewer than 16 traces.
std::vector<TestResult> haar_trace_tests(std::span<const double> traces, std::uint64_t n, std::size_t chunks);

}  // namespace nninit::validation
