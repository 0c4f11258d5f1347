// nninit/validation/kolmogorov_smirnov.hpp — the one-sample Kolmogorov–Smirnov
// test against a fully specified distribution, and against U(0, 1).
#pragma once

#include <span>

#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// D_n = sup_x |F_n(x) - U(x)| of a sorted sample u against U(0, 1).
// Precondition: sorted ascending. Example: ks_statistic_uniform({0.5}) == 0.5.
double ks_statistic_uniform(std::span<const double> sorted_u) noexcept;

// D_n of a sorted sample against the CDF of the OUTPUT variable Y of dist: the
// continuous CDF unless the grid is coarse, where it is the step CDF of the
// rounded variable (P(Y <= v) = F(upper rounding edge of v)). Ties are handled
// exactly (the statistic is evaluated just below and at each distinct value).
// Precondition: sorted ascending, no NaN.
double ks_statistic(std::span<const double> sorted_sample, const ReferenceDistribution& dist) noexcept;

// The test: ks_statistic and kolmogorov_smirnov_p_value. For a coarse grid the
// p-value, computed as for a continuous distribution, is conservative (too
// large; D of a discrete distribution is stochastically smaller), so the test
// keeps its level but loses a little power; the chi-squared test over grid cells
// and the KS test of the randomised transform are exact there.
// name "kolmogorov_smirnov". Example: ks_test(sorted_copy(values), dist).p_value.
TestResult ks_test(std::span<const double> sorted_sample, const ReferenceDistribution& dist);

// The test of a sorted U(0, 1) sample (e.g. probability_integral_transform
// output, sorted). name "kolmogorov_smirnov(u)".
TestResult ks_test_uniform(std::span<const double> sorted_u);

}  // namespace nninit::validation
