// Standard normal density, CDF, survival function and quantile, shared by the
// distribution code (internal to the validation library).
#pragma once

#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <numbers>

namespace nninit::validation::internal {

inline double standard_normal_pdf(double z) noexcept {
  if (std::isinf(z)) return 0.0;
  return std::exp(-0.5 * z * z) * (0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2);
}

// Phi(z), accurate in the lower tail.
inline double standard_normal_cdf(double z) noexcept {
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

// 1 - Phi(z), accurate in the upper tail.
inline double standard_normal_sf(double z) noexcept {
  return 0.5 * std::erfc(z / std::numbers::sqrt2);
}

// Phi^{-1}(p) for 0 < p < 1, from whichever tail p is in.
inline double standard_normal_quantile(double p) {
  if (p <= 0.0) return -HUGE_VAL;
  if (p >= 1.0) return HUGE_VAL;
  if (p < 0.5) return -std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * p);
  return std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * (1.0 - p));
}

}  // namespace nninit::validation::internal
