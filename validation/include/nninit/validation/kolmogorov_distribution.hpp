// nninit/validation/kolmogorov_distribution.hpp — the distribution of the
// one-sample Kolmogorov–Smirnov statistic D_n = sup |F_n(x) - F(x)| for a
// continuous F: exact (Durbin's matrix), exact one-sided (Smirnov), the
// Pelz–Good expansion, the limiting law, and the p-value that combines them.
#pragma once

#include <cstddef>

namespace nninit::validation {

// The regions of kolmogorov_smirnov_p_value (lambda^2 = n d^2):
//  * upper tail, lambda^2 >= kolmogorov_upper_tail_lambda2 or d >= 1/2: twice
//    Smirnov's exact one-sided tail;
//  * central, where Durbin's matrix is cheap (n (2 floor(n d) + 1) <=
//    kolmogorov_exact_cost_limit, which holds for every n <=
//    kolmogorov_exact_limit): 1 - kolmogorov_exact_cdf;
//  * otherwise twice the one-sided tail from lambda^2 >=
//    kolmogorov_large_n_upper_tail_lambda2, the Pelz–Good expansion below it.
inline constexpr double kolmogorov_upper_tail_lambda2 = 4.0;
inline constexpr double kolmogorov_large_n_upper_tail_lambda2 = 2.65;
inline constexpr double kolmogorov_exact_cost_limit = 131072.0;
inline constexpr std::size_t kolmogorov_exact_limit = 1000;

// P(D_n < d), exact: Durbin (1968) as Marsaglia, Tsang & Wang (2003),
// "Evaluating Kolmogorov's distribution", J. Stat. Software 8(18), set it up —
// n! / n^n times the (k, k) element of H^n for an m x m matrix H,
// k = floor(n d) + 1, m = 2k - 1 — evaluated as n products of e^-1 H with a
// vector of probabilities, keeping the 25 diagonals of the lower-Hessenberg
// H whose entries exceed 1e-24 of the largest. Cost O(25 n m), memory O(m):
// about 1 ms at n = 1000, n d = 63. Within 4e-15 of exact rational values
// (n <= 128) and, absolute, within 8e-15 (n <= 1000) and 2.3e-14 (n = 5000)
// of the full matrix in 113-bit arithmetic; so 1 - cdf loses relative
// accuracy in the far tail, where kolmogorov_smirnov_p_value does not use it.
// Throws std::invalid_argument if n == 0, d is NaN or m > 4001.
// Example: kolmogorov_exact_cdf(10, 0.274) ~= 0.6284796154565.
double kolmogorov_exact_cdf(std::size_t n, double d);

// P(D_n >= d) from Kolmogorov's limiting distribution, 1 - K(sqrt(n) d), as
// boost::math::kolmogorov_smirnov_distribution (whose constructor takes n and
// whose argument is D itself, not sqrt(n) D) computes it, as +0 where Boost
// gives -0. For finite n it is conservative (too large) by about 1 / sqrt(n)
// relative near p = 0.05. Not used by kolmogorov_smirnov_p_value.
// Example: kolmogorov_asymptotic_sf(1u << 22, 1.36 / 2048) ~= 0.0494.
double kolmogorov_asymptotic_sf(std::size_t n, double d);

// P(D_n^+ >= d), D_n^+ = sup (F_n(x) - F(x)), exact: Smirnov's (1944) sum
// (Birnbaum & Tingey 1951) d sum_{j <= n (1 - d)} C(n, j) q^(j-1) (1 - q)^(n-j),
// q = d + j / n, of positive terms, each the binomial density b(j; n, q) / q
// in Loader's (2000) saddle-point form, so nothing cancels. Up to n = 20000
// every term is added (cost O(n): 0.6 ms at n = 20000). Above, if
// n d^2 >= 0.25, the summand is smooth on the scale of n / sqrt(n d^2) and
// vanishes at both ends, and the trapezoidal rule over 1024 equal steps of
// real j replaces the sum (25-35 us at any n); for n d^2 < 0.25 every term is
// still added. Measured relative error: against 40-digit sums, <= 5e-14
// (n = 20 .. 1e5, p = 1e-23 .. 0.9); trapezoid against the full sum at
// n = 20001, 65536, 1e5, 1e6, 1e7 and n d^2 = 2.65 .. 330: <= 2.4e-14 for
// results above 1e-44, <= 6.5e-13 below (the exponent's rounding, |log p|
// times 1e-16, grows there). Results under about 1e-300 are subnormal and
// coarse; 0 where 2 n d^2 > 750 (Massart's bound exp(-2 n d^2) is below
// every double). Throws std::invalid_argument if n == 0 or d is NaN.
// Example: kolmogorov_one_sided_sf(100, 0.2658) ~= 4.99936e-7.
double kolmogorov_one_sided_sf(std::size_t n, double d);

// 1 - P(D_n <= d) from the Pelz & Good (1976) expansion in powers of
// 1 / sqrt(n) up to n^(-3/2) (the form of Simard & L'Ecuyer 2011, J. Stat.
// Software 39(11)). Measured against kolmogorov_exact_cdf for
// sqrt(n) d <= 1.63: largest absolute error 6.4e-8 at n = 1001 (near
// sqrt(n) d = 0.55, p = 0.92), falling as n^-2 (2.6e-9 at n = 5000, 6.5e-12
// at n = 1e5). Relative errors grow in the far tail (2.7e-3 at n = 1001,
// p = 1e-12): meant for p > 0.01. Throws std::invalid_argument if n == 0 or
// d is NaN.
double kolmogorov_pelz_good_sf(std::size_t n, double d);

// The p-value P(D_n >= d) of an observed statistic d from a sample of n, in
// [0, 1] (+0, never -0, in the far tail), by the regions above:
//  * upper tail: 2 kolmogorov_one_sided_sf(n, d). Exact for d >= 1/2; below,
//    it counts twice the samples with both D_n^+ >= d and D_n^- >= d, whose
//    probability is at most P(D_n^+ >= d)^2 (Harris's inequality: D_n^+
//    falls and D_n^- rises with every sample value), so it is conservative,
//    by at most P / (2 - P) relative with P = P(D_n^+ >= d) ~ p / 2. Measured
//    against Durbin's matrix in 113-bit arithmetic (n = 20 .. 5000,
//    p = 1e-2 .. 1e-23): 1.3e-7 at n d^2 = 2.65 (p ~ 0.01), 1.3e-10 at
//    p = 1e-3, 1.2e-13 at p = 1e-4 — about (p / 2)^3 — and at most 5e-14 for
//    p = 1e-5 .. 1e-23;
//  * where Durbin's matrix is cheap: 1 - kolmogorov_exact_cdf, absolute error
//    8e-15 (n <= 1000), cost at most about 1 ms (n = 1000, p ~ 6e-4);
//  * the rest of the central region (n > 1000, p above ~0.01): Pelz–Good,
//    absolute error at most 1.2e-8 (near n = 2400, p = 0.92) and relative at
//    most 5.4e-7 (near n = 1190, p = 0.01), measured at n = 1001 .. 1e5.
// So the relative error is below 5.4e-7 everywhere and below 5e-14 from
// p = 1e-5 down to 1e-23; the largest jump between regions is below 6e-7
// relative. Cost at n = 65536 and 2^24: about 0.15 us in the centre, 25-35 us
// in the tail. Returns 1 for d <= 1 / (2n), 0 for d >= 1. Throws
// std::invalid_argument if n == 0 or d is NaN.
// Example: kolmogorov_smirnov_p_value(100, 0.17) ~= 0.0053764.
double kolmogorov_smirnov_p_value(std::size_t n, double d);

}  // namespace nninit::validation
