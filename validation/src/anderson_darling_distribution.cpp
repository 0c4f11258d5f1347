// The distribution of the Anderson–Darling statistic: Marsaglia & Marsaglia's
// (2004) series for the limiting distribution, their finite-n correction, and
// the leading tail term far out.
#include <cmath>
#include <stdexcept>
#include <string>

#include "nninit/validation/anderson_darling.hpp"

namespace nninit::validation {
namespace {

// Beyond this z the tail is sqrt(3) erfc(sqrt(z)) (1 + 0.3 / z).
constexpr double tail_start = 15.0;

// Marsaglia & Marsaglia's ADf(z, j): the j-th integral of the series, by a
// three-term recurrence.
double series_integral(double z, int j) noexcept {
  const double t = (4.0 * j + 1.0) * (4.0 * j + 1.0) * 1.23370055013617 / z;  // (4j+1)^2 pi^2 / (8z)
  if (t > 150.0) return 0.0;
  double a = 2.22144146907918 * std::exp(-t) / std::sqrt(t);
  double b = 3.93740248643060 * std::erfc(std::sqrt(t));
  double r = z * 0.125;
  double f = a + b * r;
  for (int i = 1; i < 200; ++i) {
    const double c = ((i - 0.5 - t) * b + t * a) / i;
    a = b;
    b = c;
    r *= z / (8.0 * i + 8.0);
    if (std::fabs(r) < 1e-40 || std::fabs(c) < 1e-40) return f;
    const double next = f + c * r;
    if (next == f) return f;
    f = next;
  }
  return f;
}

// Marsaglia & Marsaglia's ADinf(z): sum_j C(-1/2, j) (4j+1) ADf(z, j) / z.
double series_cdf(double z) noexcept {
  if (z < 0.01) return 0.0;  // ADinf(0.01) ~ 5e-53
  double r = 1.0 / z;
  double sum = r * series_integral(z, 0);
  for (int j = 1; j < 100; ++j) {
    r *= (0.5 - j) / j;
    const double next = sum + (4.0 * j + 1.0) * r * series_integral(z, j);
    if (next == sum) break;
    sum = next;
  }
  return sum;
}

// 1 - ADinf(z), without cancellation far out. The limit of A^2 is
// sum_j chi^2_1 / (j (j+1)); its tail is sqrt(3) P(chi^2_1 > 2z) to leading
// order (the product over j >= 2 of (1 - 2 / (j (j+1)))^(-1/2) is sqrt(3)),
// and the factor (1 + 0.3 / z) matches the series within 1e-4 for z >= 10.
double asymptotic_tail(double z) noexcept {
  if (z >= tail_start) return std::sqrt(3.0) * std::erfc(std::sqrt(z)) * (1.0 + 0.3 / z);
  return 1.0 - series_cdf(z);
}

// Marsaglia & Marsaglia's errfix(n, x): add to x = ADinf(z) for finite n.
double error_fix(double n, double x) noexcept {
  if (x > 0.8) {
    const double v = (-130.2137 + (745.2337 - (1705.091 - (1950.646 - (1116.360 - 255.7844 * x) * x) * x) * x) * x) / n;
    // Taper to zero as x -> 1 (the fit leaves -0.0006 / n at x = 1).
    return x > 0.999 ? v * (1.0 - x) / 0.001 : v;
  }
  const double c = 0.01265 + 0.1757 / n;
  if (x < c) {
    double t = x / c;
    t = std::sqrt(t) * (1.0 - t) * (49.0 * t - 102.0);
    return t * (0.0037 / (n * n) + 0.00078 / n + 0.00006) / n;
  }
  double t = (x - c) / (0.8 - c);
  t = -0.00022633 + (6.54034 - (14.6538 - (14.458 - (8.259 - 1.91864 * t) * t) * t) * t) * t;
  return t * (0.04213 / n + 0.01365 / (n * n));
}

void require_sample_size(std::size_t n, const char* where) {
  if (n == 0) throw std::invalid_argument(std::string(where) + ": n must be > 0");
}

}  // namespace

double anderson_darling_asymptotic_cdf(double z) noexcept {
  if (std::isnan(z)) return z;
  if (z <= 0.0) return 0.0;
  if (std::isinf(z)) return 1.0;
  return z >= tail_start ? 1.0 - asymptotic_tail(z) : series_cdf(z);
}

double anderson_darling_cdf(std::size_t n, double z) {
  require_sample_size(n, "anderson_darling_cdf");
  return 1.0 - anderson_darling_p_value(n, z);
}

double anderson_darling_p_value(std::size_t n, double z) {
  require_sample_size(n, "anderson_darling_p_value");
  if (std::isnan(z)) return z;
  if (z <= 0.0) return 1.0;
  if (std::isinf(z)) return 0.0;
  const double tail = asymptotic_tail(z);
  const double p = tail - error_fix(static_cast<double>(n), 1.0 - tail);
  return std::fmin(std::fmax(p, 0.0), 1.0);
}

}  // namespace nninit::validation
