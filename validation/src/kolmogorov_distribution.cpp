// Kolmogorov's distribution: the exact algorithm of Marsaglia, Tsang & Wang
// (2003) for small n and the asymptotic one (Boost.Math) for large n.
#include "nninit/validation/kolmogorov_distribution.hpp"

#include <boost/math/distributions/complement.hpp>
#include <boost/math/distributions/kolmogorov_smirnov.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace nninit::validation {
namespace {

constexpr std::size_t max_matrix_order = 4001;

// A square matrix (row-major) times 10^exponent, as in Marsaglia, Tsang & Wang.
struct ScaledMatrix {
  std::size_t order = 0;
  std::vector<double> values;
  long exponent = 0;
};

ScaledMatrix multiply(const ScaledMatrix& a, const ScaledMatrix& b) {
  const std::size_t m = a.order;
  ScaledMatrix c{m, std::vector<double>(m * m, 0.0), a.exponent + b.exponent};
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t k = 0; k < m; ++k) {
      const double aik = a.values[i * m + k];
      if (aik == 0.0) continue;
      for (std::size_t j = 0; j < m; ++j) c.values[i * m + j] += aik * b.values[k * m + j];
    }
  }
  return c;
}

// Keeps the centre element below 1e140 by moving powers of ten into the exponent.
void renormalise(ScaledMatrix& a) {
  const std::size_t centre = (a.order / 2) * a.order + a.order / 2;
  if (a.values[centre] > 1e140) {
    for (double& v : a.values) v *= 1e-140;
    a.exponent += 140;
  }
}

ScaledMatrix power(const ScaledMatrix& a, std::size_t n) {
  if (n == 1) return a;
  const ScaledMatrix half = power(a, n / 2);
  ScaledMatrix result = multiply(half, half);
  if (n % 2 == 1) result = multiply(result, a);
  renormalise(result);
  return result;
}

void require_sample_size(std::size_t n, const char* where) {
  if (n == 0) throw std::invalid_argument(std::string(where) + ": n must be > 0");
}

}  // namespace

double kolmogorov_exact_cdf(std::size_t n, double d) {
  require_sample_size(n, "kolmogorov_exact_cdf");
  if (std::isnan(d)) throw std::invalid_argument("kolmogorov_exact_cdf: d is NaN");
  const double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;  // D_n >= 1 / (2n) always
  if (d >= 1.0) return 1.0;
  const std::size_t k = static_cast<std::size_t>(std::floor(nd)) + 1;
  const std::size_t m = 2 * k - 1;
  if (m > max_matrix_order) {
    throw std::invalid_argument("kolmogorov_exact_cdf: matrix order " + std::to_string(m) +
                                " too large (n=" + std::to_string(n) + ", d=" + std::to_string(d) + ")");
  }
  const double h = static_cast<double>(k) - nd;

  ScaledMatrix hm{m, std::vector<double>(m * m, 0.0), 0};
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      if (i + 1 >= j) hm.values[i * m + j] = 1.0;
    }
  }
  for (std::size_t i = 0; i < m; ++i) {
    hm.values[i * m] -= std::pow(h, static_cast<double>(i + 1));
    hm.values[(m - 1) * m + i] -= std::pow(h, static_cast<double>(m - i));
  }
  if (2.0 * h - 1.0 > 0.0) hm.values[(m - 1) * m] += std::pow(2.0 * h - 1.0, static_cast<double>(m));
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      if (i + 1 > j) {
        for (std::size_t g = 1; g <= i + 1 - j; ++g) hm.values[i * m + j] /= static_cast<double>(g);
      }
    }
  }
  const ScaledMatrix q = power(hm, n);
  double s = q.values[(k - 1) * m + (k - 1)];
  long exponent = q.exponent;
  const double dn = static_cast<double>(n);
  for (std::size_t i = 1; i <= n; ++i) {
    s = s * static_cast<double>(i) / dn;
    if (s < 1e-140) {
      s *= 1e140;
      exponent -= 140;
    }
  }
  return s * std::pow(10.0, static_cast<double>(exponent));
}

double kolmogorov_asymptotic_sf(std::size_t n, double d) {
  require_sample_size(n, "kolmogorov_asymptotic_sf");
  if (std::isnan(d)) throw std::invalid_argument("kolmogorov_asymptotic_sf: d is NaN");
  if (d <= 0.0) return 1.0;
  const boost::math::kolmogorov_smirnov_distribution<double> distribution(static_cast<double>(n));
  return boost::math::cdf(boost::math::complement(distribution, d));
}

double kolmogorov_smirnov_p_value(std::size_t n, double d) {
  require_sample_size(n, "kolmogorov_smirnov_p_value");
  if (std::isnan(d)) throw std::invalid_argument("kolmogorov_smirnov_p_value: d is NaN");
  if (d <= 0.0) return 1.0;
  if (d >= 1.0) return 0.0;
  const double dn = static_cast<double>(n);
  if (n <= kolmogorov_exact_limit) {
    const double s = d * d * dn;
    if (s > 7.24 || (s > 3.76 && n > 99)) {
      return 2.0 * std::exp(-(2.000071 + 0.331 / std::sqrt(dn) + 1.409 / dn) * s);
    }
    return std::max(0.0, 1.0 - kolmogorov_exact_cdf(n, d));
  }
  const double effective = d * (1.0 + 0.12 / std::sqrt(dn) + 0.11 / dn);
  return kolmogorov_asymptotic_sf(n, effective);
}

}  // namespace nninit::validation
