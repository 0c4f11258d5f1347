// Kolmogorov's distribution: Durbin's exact matrix (as Marsaglia, Tsang & Wang
// 2003 set it up), Smirnov's exact one-sided tail, the Pelz–Good (1976)
// expansion, the limiting law (Boost.Math), and the p-value that combines them.
#include "nninit/validation/kolmogorov_distribution.hpp"

#include <algorithm>
#include <boost/math/distributions/complement.hpp>
#include <boost/math/distributions/kolmogorov_smirnov.hpp>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace nninit::validation {
namespace {

constexpr std::size_t max_matrix_order = 4001;

// The band of Durbin's matrix that is kept: entries 1 / r! with r > this are
// below 1.6e-24 of the largest and are dropped (see kolmogorov_exact_cdf).
constexpr std::size_t durbin_band = 24;

void require_arguments(std::size_t n, double d, const char* where) {
  if (n == 0) throw std::invalid_argument(std::string(where) + ": n must be > 0");
  if (std::isnan(d)) throw std::invalid_argument(std::string(where) + ": d is NaN");
}

// A probability clamped into [0, 1]; never -0 (std::max returns its first
// argument, +0, when the second is -0 or negative).
double clamp_probability(double p) noexcept { return std::min(1.0, std::max(0.0, p)); }

// ---------------------------------------------------------------------------
// Binomial probabilities without cancellation (Loader 2000, "Fast and accurate
// computation of binomial probabilities"): the density is written as
// sqrt(n / (2 pi x (n - x))) exp(-(deviance terms) + (Stirling remainders)),
// each piece small and accurate, instead of log-gamma differences that lose
// log10(n) digits.

// log Gamma(x + 1) - [(x + 1/2) log x - x + log sqrt(2 pi)], x > 0: the error of
// Stirling's formula for x!. Above 15 the asymptotic series (terms B_2k /
// (2k (2k - 1) x^(2k - 1)); the first omitted one is below 2.2e-16 there),
// below it log-gamma, where the pieces are small enough (|log Gamma| < 28) to
// keep the absolute error near 1e-14.
double stirling_remainder(double x) noexcept {
  if (x > 15.0) {
    const double r = 1.0 / x;
    const double r2 = r * r;
    return r * (1.0 / 12.0 -
                r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 * (1.0 / 1680.0 - r2 * (1.0 / 1188.0)))));
  }
  return std::lgamma(x + 1.0) - (x + 0.5) * std::log(x) + x - 0.5 * std::log(2.0 * std::numbers::pi);
}

// x log(x / mean) + mean - x >= 0 (the deviance of a Poisson count), for
// x >= 0, mean > 0. Near x = mean both halves nearly cancel, so with
// v = (x - mean) / (x + mean) it is (x - mean) v + 2 x (v^3/3 + v^5/5 + ...).
double deviance_term(double x, double mean) noexcept {
  if (x == 0.0) return mean;
  const double difference = x - mean;
  if (std::fabs(difference) < 0.1 * (x + mean)) {
    const double v = difference / (x + mean);
    const double v2 = v * v;
    double sum = difference * v;
    double power = 2.0 * x * v;
    for (int k = 1; k < 200; ++k) {
      power *= v2;
      const double next = sum + power / static_cast<double>(2 * k + 1);
      if (next == sum) break;
      sum = next;
    }
    return sum;
  }
  return x * std::log(x / mean) + mean - x;
}

// ---------------------------------------------------------------------------
// Smirnov's exact one-sided tail (Smirnov 1944; Birnbaum & Tingey 1951):
//   P(D_n^+ >= d) = d sum_{j=0}^{floor(n (1 - d))} C(n, j) q_j^(j - 1) (1 - q_j)^(n - j),
//   q_j = d + j / n,
// a sum of positive terms; term j is the binomial density b(j; n, q_j) / q_j.

// term(x) for real 0 <= x <= n (1 - d), with nd = n d: b(x; n, q) / q,
// q = (x + nd) / n, times e^shift (which keeps the terms of a p-value below
// 1e-282 out of the subnormal range).
double smirnov_term(double n, double nd, double stirling_n, double shift, double x) noexcept {
  const double upper_mean = n - x - nd;  // n (1 - q)
  if (upper_mean <= 0.0) return 0.0;
  const double lower_mean = x + nd;  // n q
  const double q = lower_mean / n;
  if (x == 0.0) return std::exp(n * std::log1p(-nd / n) + shift) / q;
  const double rest = n - x;
  const double exponent = stirling_n - stirling_remainder(x) - stirling_remainder(rest) - deviance_term(x, lower_mean) -
                          deviance_term(rest, upper_mean);
  return std::sqrt(n / (2.0 * std::numbers::pi * x * rest)) * std::exp(exponent + shift) / q;
}

// Up to this sample size every term of Smirnov's sum is added; above it, and
// when n d^2 >= smirnov_strided_min_lambda2, the trapezoidal rule over
// smirnov_nodes points replaces the sum (see the header for its error). The
// summand rises from 0 near j = 0 on the scale (n d)^2, so the nodes, n / 1024
// apart, resolve it only when n d^2 is not small.
constexpr std::size_t smirnov_full_sum_limit = 20000;
constexpr std::size_t smirnov_nodes = 1024;
constexpr double smirnov_strided_min_lambda2 = 0.25;

// P(D_n^+ >= d) for 0 < d < 1: every term (nodes == 0) or the trapezoidal rule
// on [0, n (1 - d)] with that many intervals (the summand is 0 at the upper end).
double smirnov_one_sided(std::size_t n, double d, std::size_t nodes) noexcept {
  const double dn = static_cast<double>(n);
  const double nd = dn * d;
  const double stirling_n = stirling_remainder(dn);
  // The largest term is about exp(-2 n d^2); shift it to exp(-650) at most.
  const double shift = std::max(0.0, 2.0 * nd * d - 650.0);
  double sum = 0.0;
  double compensation = 0.0;  // Neumaier's compensated summation
  auto add = [&](double term) {
    const double t = sum + term;
    compensation += std::fabs(sum) >= std::fabs(term) ? (sum - t) + term : (term - t) + sum;
    sum = t;
  };
  double width = 1.0;
  if (nodes == 0) {
    const double last = std::floor(dn - nd);
    for (double j = 0.0; j <= last; j += 1.0) add(smirnov_term(dn, nd, stirling_n, shift, j));
  } else {
    width = (dn - nd) / static_cast<double>(nodes);
    add(0.5 * smirnov_term(dn, nd, stirling_n, shift, 0.0));
    for (std::size_t k = 1; k < nodes; ++k) {
      add(smirnov_term(dn, nd, stirling_n, shift, width * static_cast<double>(k)));
    }
  }
  const double total = d * width * (sum + compensation);
  return shift > 0.0 ? std::exp(std::log(total) - shift) : total;
}

// ---------------------------------------------------------------------------
// Pelz & Good (1976): P(sqrt(n) D_n <= z) ~ K0(z) + K1(z) / sqrt(n) + K2(z) / n
// + K3(z) / n^(3/2), each K_i a theta-type series that converges fast for the
// moderate z where it is used (as in Simard & L'Ecuyer 2011, section 2.2).
// Returns 1 - that sum.
double pelz_good_sf(double n, double z) noexcept {
  constexpr double pi = std::numbers::pi;
  constexpr double pi2 = pi * pi;
  constexpr double pi4 = pi2 * pi2;
  constexpr double pi6 = pi4 * pi2;
  const double root_2pi = std::sqrt(2.0 * pi);
  const double z2 = z * z;
  const double z4 = z2 * z2;
  const double z6 = z4 * z2;
  const double z8 = z4 * z4;
  // Sums over odd m = 2k - 1 of c(m) exp(-pi^2 m^2 / (8 z^2)).
  double odd0 = 0.0, odd1 = 0.0, odd2 = 0.0, odd3 = 0.0;
  for (int k = 1; k < 100; ++k) {
    const double m = 2.0 * k - 1.0;
    const double m2 = m * m;
    const double w = std::exp(-pi2 * m2 / (8.0 * z2));
    odd0 += w;
    odd1 += (pi2 * m2 / 4.0 - z2) * w;
    odd2 += (6.0 * z6 + 2.0 * z4 + pi2 * (2.0 * z4 - 5.0 * z2) * m2 / 4.0 + pi4 * (1.0 - 2.0 * z2) * m2 * m2 / 16.0) * w;
    odd3 += (pi6 * (5.0 - 30.0 * z2) * m2 * m2 * m2 / 64.0 + pi4 * (212.0 * z4 - 60.0 * z2) * m2 * m2 / 16.0 +
             pi2 * (135.0 * z4 - 96.0 * z6) * m2 / 4.0 - (30.0 * z6 + 90.0 * z8)) *
            w;
    if (w < 1e-20 * odd0) break;
  }
  // Sums over k >= 1 of c(k) exp(-pi^2 k^2 / (2 z^2)).
  double even2 = 0.0, even3 = 0.0;
  for (int k = 1; k < 100; ++k) {
    const double k2 = static_cast<double>(k) * k;
    const double w = std::exp(-pi2 * k2 / (2.0 * z2));
    even2 += k2 * w;
    even3 += (3.0 * z2 - pi2 * k2) * k2 * w;
    if (w < 1e-20) break;
  }
  // 1 - K0: from the series 2 sum (-1)^(k-1) exp(-2 k^2 z^2) when z >= 1 (no
  // cancellation), from the theta series otherwise.
  double sf0 = 0.0;
  if (z >= 1.0) {
    for (int k = 1; k < 100; ++k) {
      const double term = 2.0 * std::exp(-2.0 * k * k * z2);
      sf0 += k % 2 == 1 ? term : -term;
      if (term < 1e-20) break;
    }
  } else {
    sf0 = 1.0 - root_2pi / z * odd0;
  }
  const double k1 = root_2pi / (6.0 * z4) * odd1;
  const double k2 = root_2pi / (72.0 * z6 * z) * odd2 - root_2pi * pi2 / (36.0 * z2 * z) * even2;
  const double k3 = root_2pi / (6480.0 * z8 * z2) * odd3 + root_2pi * pi2 / (216.0 * z6) * even3;
  const double root_n = std::sqrt(n);
  return sf0 - k1 / root_n - k2 / n - k3 / (n * root_n);
}

}  // namespace

double kolmogorov_exact_cdf(std::size_t n, double d) {
  require_arguments(n, d, "kolmogorov_exact_cdf");
  const double dn = static_cast<double>(n);
  const double nd = dn * d;
  if (nd <= 0.5) return 0.0;  // D_n >= 1 / (2n) always
  if (d >= 1.0) return 1.0;
  const std::size_t k = static_cast<std::size_t>(std::floor(nd)) + 1;
  const std::size_t m = 2 * k - 1;
  if (m > max_matrix_order) {
    throw std::invalid_argument("kolmogorov_exact_cdf: matrix order " + std::to_string(m) +
                                " too large (n=" + std::to_string(n) + ", d=" + std::to_string(d) + ")");
  }
  const double h = static_cast<double>(k) - nd;
  // Durbin's m x m matrix H (Marsaglia, Tsang & Wang's notation):
  // H[i][j] = 1 / (i - j + 1)! for j <= i + 1, except that the first column
  // loses h^(i+1) / (i+1)!, the last row h^(m-j) / (m-j)!, and the corner gains
  // (2h - 1)^m / m! when 2h > 1. P(D_n < d) = n! / n^n (H^n)[k-1][k-1].
  // e^-1 H is substochastic (its entries are Poisson(1) probabilities of
  // staying in the band), so u <- e^-1 H u keeps u a vector of probabilities
  // and n steps give (H^n)[k-1][k-1] = e^n u[k-1]; n! e^n / n^n is then
  // sqrt(2 pi n) exp(stirling_remainder(n)). H is lower Hessenberg and its
  // entries fall as 1 / r!: only the durbin_band + 1 diagonals that matter are
  // used, so a step costs O(m * durbin_band) instead of O(m^2).
  const std::size_t band = std::min(durbin_band, m);
  std::vector<double> poisson(band + 1);  // e^-1 / r!
  poisson[0] = std::exp(-1.0);
  for (std::size_t r = 1; r <= band; ++r) poisson[r] = poisson[r - 1] / static_cast<double>(r);
  // e^-1 h^r / r! for the first column (r = i + 1) and the last row (r = m - j).
  std::vector<double> boundary(band + 1);
  boundary[0] = poisson[0];
  for (std::size_t r = 1; r <= band; ++r) boundary[r] = boundary[r - 1] * h / static_cast<double>(r);
  const double corner = 2.0 * h - 1.0 > 0.0 && m <= band
                            ? std::pow(2.0 * h - 1.0, static_cast<double>(m)) * poisson[m]
                            : 0.0;
  std::vector<double> u(m, 0.0), next(m, 0.0);
  u[k - 1] = 1.0;
  for (std::size_t step = 0; step < n; ++step) {
    // Diagonal r holds H[i][i + 1 - r]: next[i] += e^-1 / r! u[i + 1 - r].
    std::fill(next.begin(), next.end(), 0.0);
    for (std::size_t r = 0; r <= band; ++r) {
      // Rows i in [first, end): i + 1 - r >= 0 and i + 1 - r <= m - 1.
      const std::size_t first = r == 0 ? 0 : r - 1;
      const std::size_t end = std::min(m, m - 1 + r);
      const double weight = poisson[r];
      const double* source = u.data() + (first + 1 - r);
      double* target = next.data();
      for (std::size_t i = first; i < end; ++i) target[i] += weight * source[i - first];
    }
    for (std::size_t i = 0; i + 1 <= band && i < m; ++i) next[i] -= boundary[i + 1] * u[0];
    for (std::size_t j = m > band ? m - band : 0; j < m; ++j) next[m - 1] -= boundary[m - j] * u[j];
    next[m - 1] += corner * u[0];
    u.swap(next);
  }
  const double factor = std::sqrt(2.0 * std::numbers::pi * dn) * std::exp(stirling_remainder(dn));
  return std::min(1.0, u[k - 1] * factor);
}

double kolmogorov_asymptotic_sf(std::size_t n, double d) {
  require_arguments(n, d, "kolmogorov_asymptotic_sf");
  if (d <= 0.0) return 1.0;
  const boost::math::kolmogorov_smirnov_distribution<double> distribution(static_cast<double>(n));
  return clamp_probability(boost::math::cdf(boost::math::complement(distribution, d)));
}

double kolmogorov_one_sided_sf(std::size_t n, double d) {
  require_arguments(n, d, "kolmogorov_one_sided_sf");
  if (d <= 0.0) return 1.0;
  if (d >= 1.0) return 0.0;
  const double dn = static_cast<double>(n);
  const double lambda2 = dn * d * d;
  // Massart (1990): P(D_n^+ >= d) <= exp(-2 n d^2), below half the smallest
  // subnormal double here.
  if (2.0 * lambda2 > 750.0) return 0.0;
  const bool strided = n > smirnov_full_sum_limit && lambda2 >= smirnov_strided_min_lambda2;
  return clamp_probability(smirnov_one_sided(n, d, strided ? smirnov_nodes : 0));
}

double kolmogorov_pelz_good_sf(std::size_t n, double d) {
  require_arguments(n, d, "kolmogorov_pelz_good_sf");
  if (d <= 0.0) return 1.0;
  if (d >= 1.0) return 0.0;
  const double dn = static_cast<double>(n);
  const double z = std::sqrt(dn) * d;
  if (z < 0.04) return 1.0;  // K0 ~ exp(-770) and the corrections smaller still
  return clamp_probability(pelz_good_sf(dn, z));
}

double kolmogorov_smirnov_p_value(std::size_t n, double d) {
  require_arguments(n, d, "kolmogorov_smirnov_p_value");
  if (d <= 0.0) return 1.0;
  if (d >= 1.0) return 0.0;
  const double dn = static_cast<double>(n);
  const double nd = dn * d;
  if (nd <= 0.5) return 1.0;  // D_n >= 1 / (2n) always
  const double lambda2 = nd * d;
  if (d >= 0.5 || lambda2 >= kolmogorov_upper_tail_lambda2) {
    return clamp_probability(2.0 * kolmogorov_one_sided_sf(n, d));
  }
  // Durbin's matrix has order m = 2 floor(n d) + 1 and costs O(n m).
  if (dn * (2.0 * std::floor(nd) + 1.0) <= kolmogorov_exact_cost_limit) {
    return clamp_probability(1.0 - kolmogorov_exact_cdf(n, d));
  }
  if (lambda2 >= kolmogorov_large_n_upper_tail_lambda2) return clamp_probability(2.0 * kolmogorov_one_sided_sf(n, d));
  return kolmogorov_pelz_good_sf(n, d);
}

}  // namespace nninit::validation
