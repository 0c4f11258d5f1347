// The distribution of the Anderson–Darling statistic (Marsaglia & Marsaglia 2004).
#include <cmath>
#include <stdexcept>
#include <string>

#include "nninit/validation/anderson_darling.hpp"

namespace nninit::validation {
namespace {

// The exponent of the z >= 2 branch: ADinf(z) = exp(-exp(g(z))).
double upper_branch_exponent(double z) noexcept {
  return 1.0776 - (2.30695 - (0.43424 - (0.082433 - (0.008056 - 0.0003146 * z) * z) * z) * z) * z;
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
  return t * (0.04213 / n + 0.01365 / (n * n)) / n;
}

void require_sample_size(std::size_t n, const char* where) {
  if (n == 0) throw std::invalid_argument(std::string(where) + ": n must be > 0");
}

}  // namespace

double anderson_darling_asymptotic_cdf(double z) noexcept {
  if (std::isnan(z)) return z;
  if (z <= 0.0) return 0.0;
  if (z < 2.0) {
    return std::exp(-1.2337141 / z) / std::sqrt(z) *
           (2.00012 + (0.247105 - (0.0649821 - (0.0347962 - (0.011672 - 0.00168691 * z) * z) * z) * z) * z);
  }
  return std::exp(-std::exp(upper_branch_exponent(z)));
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
  const double x = anderson_darling_asymptotic_cdf(z);
  // 1 - ADinf(z), exact in the right tail: 1 - exp(-e) = -expm1(-e).
  const double tail = z < 2.0 ? 1.0 - x : -std::expm1(-std::exp(upper_branch_exponent(z)));
  const double p = tail - error_fix(static_cast<double>(n), x);
  return std::fmin(std::fmax(p, 0.0), 1.0);
}

}  // namespace nninit::validation
