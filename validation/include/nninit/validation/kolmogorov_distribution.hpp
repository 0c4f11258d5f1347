// nninit/validation/kolmogorov_distribution.hpp — the distribution of the
// one-sample Kolmogorov–Smirnov statistic D_n = sup |F_n(x) - F(x)| for a
// continuous F: exact for small n, asymptotic for large n.
#pragma once

#include <cstddef>

namespace nninit::validation {

// Sample sizes up to this use the exact distribution in kolmogorov_smirnov_p_value.
inline constexpr std::size_t kolmogorov_exact_limit = 1000;

// P(D_n < d), exact: Marsaglia, Tsang & Wang (2003), "Evaluating Kolmogorov's
// distribution", J. Stat. Software 8(18) — Durbin's matrix raised to the n-th
// power with exponent tracking; about 13 correct digits. Cost O(m^3 log n) with
// m = 2 ceil(n d) - 1; throws std::invalid_argument if n == 0 or m > 4001.
// Example: kolmogorov_exact_cdf(10, 0.274) ~= 0.6284796154565.
double kolmogorov_exact_cdf(std::size_t n, double d);

// P(D_n >= d) from Kolmogorov's limiting distribution, 1 - K(sqrt(n) d), as
// boost::math::kolmogorov_smirnov_distribution (whose constructor takes n and
// whose argument is D itself, not sqrt(n) D) computes it. For finite n it is
// conservative (too large) by about 1 / sqrt(n) relative near p = 0.05.
// Example: kolmogorov_asymptotic_sf(1u << 22, 1.36 / 2048) ~= 0.0494.
double kolmogorov_asymptotic_sf(std::size_t n, double d);

// The p-value P(D_n >= d) of an observed statistic d from a sample of n:
//  * n <= kolmogorov_exact_limit: 1 - kolmogorov_exact_cdf(n, d), except in the
//    far right tail (n d^2 > 7.24, or > 3.76 with n > 99), where Marsaglia, Tsang
//    & Wang's closed form 2 exp(-(2.000071 + .331/sqrt(n) + 1.409/n) n d^2)
//    avoids the cancellation in 1 - cdf and the cost of a large matrix. For
//    100 <= n <= 1000 it is within about 1% of the exact tail down to p ~ 3e-8;
//    for n < 100 it only applies below p ~ 1e-6 and overestimates p there
//    (conservative: by 2x at n = 20, p = 2e-7);
//  * larger n: kolmogorov_asymptotic_sf at the Stephens (1970) effective
//    statistic d (1 + 0.12 / sqrt(n) + 0.11 / n), which shrinks the asymptotic
//    form's finite-n bias (at n = 1000: 2e-5 instead of 1.4e-3 near p = 0.05,
//    1.4e-3 instead of 5.6e-3 near p = 0.26, largest about 4e-3 near p = 0.86).
// Returns 1 for d <= 0 and 0 for d >= 1. Throws std::invalid_argument if n == 0
// or d is NaN. Example: kolmogorov_smirnov_p_value(100, 0.17) ~= 0.0053764.
double kolmogorov_smirnov_p_value(std::size_t n, double d);

}  // namespace nninit::validation
