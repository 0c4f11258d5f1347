// nninit/validation/anderson_darling.hpp — the Anderson–Darling test of a
// sample against a fully specified continuous distribution (no estimated
// parameters), with p-values from Marsaglia & Marsaglia (2004), "Evaluating the
// Anderson-Darling distribution", J. Stat. Software 9(2).
#pragma once

#include <cstddef>
#include <span>

#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// lim_{n->inf} P(A_n^2 <= z): Marsaglia & Marsaglia's series ADinf (their
// "exact" routine, not the short polynomial adinf, which is off by up to 2e-5
// near z = 1 and by 50% in relative terms at p ~ 1e-5). Beyond z = 15 the tail
// is sqrt(3) erfc(sqrt(z)) (1 + 0.3 / z), within 1e-4 relative of the series.
// 0 for z <= 0. Example: anderson_darling_asymptotic_cdf(3.878) ~= 0.9899986.
double anderson_darling_asymptotic_cdf(double z) noexcept;

// P(A_n^2 <= z) for a sample of n: ADinf(z) + errfix(n, ADinf(z)), their
// finite-n correction (checked here against Monte Carlo at n = 10 and 40 to
// about 2e-4). In the far tail (ADinf > 0.999) the correction's fitted
// polynomial does not vanish at 1, so it is tapered linearly to 0 there; the
// tail p-value is then (1 - ADinf)(1 + about 1/n). For n >= 1000 the
// correction is below 1e-5. Throws std::invalid_argument if n == 0.
double anderson_darling_cdf(std::size_t n, double z);

// P(A_n^2 >= z) = 1 - anderson_darling_cdf(n, z), computed without cancellation
// in the right tail (via expm1). 1 for z <= 0, 0 for z = +inf.
// Example: anderson_darling_p_value(1u << 20, 5.967) ~= 1.0026e-3.
double anderson_darling_p_value(std::size_t n, double z);

// A^2 = -n - (1/n) sum_{i=1..n} (2i - 1) [ln u_i + ln(1 - u_{n+1-i})] of a sorted
// U(0, 1) sample; +inf if some u is 0 or 1. Precondition: sorted ascending.
// Example: anderson_darling_statistic_uniform({0.5}) == -1 + 2 ln 2 ~= 0.3863.
double anderson_darling_statistic_uniform(std::span<const double> sorted_u) noexcept;

// A^2 of a sorted sample against the continuous F of dist, with
// ln(1 - F(x)) taken from dist.sf(x) so the upper tail keeps its precision.
// A value exactly on a bound of the support (reached by rounding to the output
// grid) counts with half the mass of its rounding interval inside the
// support instead of F = 0 or 1; +inf when a value lies outside the support.
// Precondition: sorted, no NaN.
double anderson_darling_statistic(std::span<const double> sorted_sample,
                                  const ReferenceDistribution& dist) noexcept;

// The test against dist. On a coarse grid (bfloat16, float16) A^2 is computed
// from the randomised probability integral transform (probability_transform.hpp,
// default jitter seed, jitter assigned by rank), which is exactly U(0, 1) for
// correct rounded output; against the continuous F it would reject correct data.
// name "anderson_darling". Example: anderson_darling_test(sorted, dist).p_value.
TestResult anderson_darling_test(std::span<const double> sorted_sample, const ReferenceDistribution& dist);

// The test of a sorted U(0, 1) sample. name "anderson_darling(u)".
TestResult anderson_darling_test_uniform(std::span<const double> sorted_u);

// The result of the test for a statistic A^2 of n values computed elsewhere
// (the battery's sorted pass): name "anderson_darling", p-value
// anderson_darling_p_value(n, a2) (NaN for n == 0), measured = a2, `detail`.
TestResult anderson_darling_test_from_statistic(double a2, std::size_t n, const char* detail);

}  // namespace nninit::validation
