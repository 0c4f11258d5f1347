// nninit/validation/correlation.hpp — Pearson correlation with a p-value, to
// check independence between outputs that must not be related: adjacent
// chunks, consecutive stream ids, consecutive seeds, consecutive elements.
#pragma once

#include <cstddef>
#include <span>

#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// Pearson's r of (x_i, y_i) and the two-sided p-value of H0: rho = 0 from
// t = r sqrt((n - 2) / (1 - r^2)) ~ Student t with n - 2 dof (exact for normal
// data, asymptotically valid for any finite-variance data). measured = r,
// target = 0, [ci_low, ci_high] = 0.99 Fisher-z interval for rho. Throws
// std::invalid_argument if the lengths differ or n < 4. A constant input gives
// r = NaN, p = NaN. name "correlation".
// Example: correlation_test(stream_a, stream_b).p_value.
TestResult correlation_test(std::span<const double> x, std::span<const double> y);

// The centred sums of squares and products of n pairs (x_i, y_i):
// sxx = sum (x_i - mean x)^2, syy likewise, sxy = sum (x_i - mean x)(y_i - mean y).
struct CoMoments {
  std::size_t count = 0;
  long double sxx = 0.0L;
  long double syy = 0.0L;
  long double sxy = 0.0L;
};
// Two passes in long double, as correlation_test(x, y) computes them. Throws
// std::invalid_argument if the lengths differ.
CoMoments co_moments(std::span<const double> x, std::span<const double> y);

// The test from co-moments gathered elsewhere (the battery's streaming pass):
// correlation_test(x, y) == correlation_test(co_moments(x, y)). Throws
// std::invalid_argument if count < 4.
TestResult correlation_test(const CoMoments& moments);

// Correlation between x_i and x_{i+lag}. name "serial_correlation(lag 1)" etc.
// Throws std::invalid_argument if lag == 0 or the sample has < lag + 4 values.
TestResult serial_correlation_test(std::span<const double> sample, std::size_t lag = 1);

// Independence of two U(0, 1) samples paired by index (e.g. probability
// transforms of two streams): Pearson's chi-squared over a grid of
// cells_per_axis^2 equal cells of the unit square, cells^2 - 1 degrees of
// freedom. Sees dependence that Pearson's r misses (a pair that is
// uncorrelated but not independent). Values outside [0, 1] are clamped into the
// edge cells. measured = the statistic / dof (about 1 under the null). Throws
// std::invalid_argument if the lengths differ, cells_per_axis < 2, or fewer
// than 5 pairs per cell are expected. name "joint_uniformity(32x32)" etc.
// Example: joint_uniformity_test(u_stream_a, u_stream_b).p_value.
TestResult joint_uniformity_test(std::span<const double> u, std::span<const double> v,
                                 std::size_t cells_per_axis = 32);

}  // namespace nninit::validation
