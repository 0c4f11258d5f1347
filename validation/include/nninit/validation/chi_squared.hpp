// nninit/validation/chi_squared.hpp — Pearson chi-squared goodness-of-fit
// tests: on equiprobable bins of the probability-transformed sample, and on the
// cells of a coarse output grid (the exact discrete distribution of bfloat16 /
// float16 output).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "nninit/validation/discrete_output.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// P(chi^2_dof >= statistic) from boost::math::chi_squared (upper tail computed
// directly, accurate for tiny p). Throws std::invalid_argument if dof <= 0.
// Example: chi_squared_p_value(3.841458820694124, 1) ~= 0.05.
double chi_squared_p_value(double statistic, double dof);

// The default number of equiprobable bins for n values: min(1000, n / 50), at
// least 2, so each bin expects at least 50 values once n >= 100.
std::size_t default_equiprobable_bins(std::size_t n) noexcept;

// Pearson's statistic over `bins` equal-width bins of [0, 1] for a U(0, 1)
// sample u (any order; values outside [0, 1] are clamped into the end bins),
// with bins - 1 degrees of freedom. bins == 0 picks default_equiprobable_bins.
// Throws std::invalid_argument if bins == 1. name "chi_squared(equiprobable)".
// Example: chi_squared_equiprobable_test(probability_integral_transform(x, dist)).
TestResult chi_squared_equiprobable_test(std::span<const double> u, std::size_t bins = 0);

// The bin of u among `bins` equal bins of [0, 1] (u clamped into [0, 1]), as
// chi_squared_equiprobable_test counts it. Precondition: bins >= 1, u not NaN.
inline std::size_t equiprobable_bin(double u, std::size_t bins) noexcept {
  const double position = std::clamp(u, 0.0, 1.0) * static_cast<double>(bins);
  // (through a signed integer: one instruction on x86-64, the same value for 0 <= position <= bins)
  return std::min(static_cast<std::size_t>(static_cast<std::int64_t>(position)), bins - 1);
}

// The same test from bin counts gathered elsewhere (counts[b] values in bin b
// of counts.size() bins). Throws std::invalid_argument if fewer than 2 bins.
TestResult chi_squared_equiprobable_test_from_counts(std::span<const std::size_t> counts);

// The same on the bins u = F(x) of a sample of dist, i.e. bins between the
// quantiles of dist (randomised transform on a coarse grid, see
// probability_transform.hpp).
TestResult chi_squared_equiprobable_test(std::span<const double> sample, const ReferenceDistribution& dist,
                                         std::size_t bins = 0);

// Pearson's statistic over grid_cells(sorted_sample, dist, min_expected_count)
// (discrete_output.hpp): every value of the rounded distribution is covered,
// cells are fixed before looking at the data, cells - 1 degrees of freedom.
// Requires a coarse grid (throws std::invalid_argument otherwise, or when a
// value is off the grid). name "chi_squared(grid cells)".
TestResult chi_squared_grid_test(std::span<const double> sorted_sample, const ReferenceDistribution& dist,
                                 double min_expected_count = 10.0);

// The same test from cells already counted: the cells grid_cells gives for n
// values (their `observed` filled in by the caller), n values in all.
TestResult chi_squared_grid_test(std::span<const GridCell> cells, std::size_t n, const ReferenceDistribution& dist,
                                 double min_expected_count = 10.0);

}  // namespace nninit::validation
