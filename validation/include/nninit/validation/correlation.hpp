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

// Correlation between x_i and x_{i+lag}. name "serial_correlation(lag 1)" etc.
// Throws std::invalid_argument if lag == 0 or the sample has < lag + 4 values.
TestResult serial_correlation_test(std::span<const double> sample, std::size_t lag = 1);

}  // namespace nninit::validation
