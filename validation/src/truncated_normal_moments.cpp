// Moments of the standard normal truncated to [alpha, beta].
#include <cmath>
#include <stdexcept>
#include <string>

#include "normal_functions.hpp"
#include "nninit/validation/reference_distribution.hpp"

namespace nninit::validation {
namespace {

// x^power * phi(x), zero at +-infinity.
double power_times_pdf(double x, int power) noexcept {
  const double pdf = internal::standard_normal_pdf(x);
  if (pdf == 0.0) return 0.0;  // infinite or beyond 38.6: x^power would overflow first
  return std::pow(x, power) * pdf;
}

}  // namespace

TruncatedNormalMoments standard_truncated_normal_moments(double alpha, double beta) {
  if (std::isnan(alpha) || std::isnan(beta) || !(alpha < beta)) {
    throw std::invalid_argument("standard_truncated_normal_moments: need alpha < beta, got alpha=" +
                                std::to_string(alpha) + ", beta=" + std::to_string(beta));
  }
  using internal::standard_normal_cdf;
  using internal::standard_normal_sf;
  const double mass = alpha >= 0.0 ? standard_normal_sf(alpha) - standard_normal_sf(beta)
                                   : standard_normal_cdf(beta) - standard_normal_cdf(alpha);
  if (!(mass > 1e-300)) {
    throw std::invalid_argument("standard_truncated_normal_moments: window [" + std::to_string(alpha) +
                                ", " + std::to_string(beta) + "] has no probability");
  }
  // Raw moments m_k = E[X^k] by m_k = (k-1) m_{k-2} + (a^{k-1} phi(a) - b^{k-1} phi(b)) / Z.
  double raw[5] = {1.0, 0.0, 0.0, 0.0, 0.0};
  raw[1] = (power_times_pdf(alpha, 0) - power_times_pdf(beta, 0)) / mass;
  for (int k = 2; k <= 4; ++k) {
    raw[k] = (k - 1) * raw[k - 2] + (power_times_pdf(alpha, k - 1) - power_times_pdf(beta, k - 1)) / mass;
  }
  const double m = raw[1];
  const double variance = raw[2] - m * m;
  const double fourth = raw[4] - 4.0 * m * raw[3] + 6.0 * m * m * raw[2] - 3.0 * m * m * m * m;
  return {m, std::sqrt(variance), fourth / (variance * variance)};
}

}  // namespace nninit::validation
