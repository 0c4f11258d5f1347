// The resolution (collision) test.
#include "nninit/validation/resolution.hpp"

#include <algorithm>
#include <boost/math/distributions/poisson.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>

#include "normal_functions.hpp"

namespace nninit::validation {
namespace {

// P(a < Z' < b) for Z' = sqrt(2) Z, Z standard normal, from whichever tail is accurate.
double normal_mass_scaled(double za, double zb) noexcept {
  const double a = std::numbers::sqrt2 * za;
  const double b = std::numbers::sqrt2 * zb;
  if (a >= 0.0) return internal::standard_normal_sf(a) - internal::standard_normal_sf(b);
  return internal::standard_normal_cdf(b) - internal::standard_normal_cdf(a);
}

}  // namespace

double rounding_collision_probability(const ReferenceDistribution& dist) {
  const OutputGrid grid = dist.grid();
  if (is_coarse(grid)) {
    throw std::invalid_argument("rounding_collision_probability: not defined for the coarse grid " +
                                std::string(grid_name(grid)));
  }
  const int precision = grid == OutputGrid::float32 ? 24 : 53;
  const int min_exponent = grid == OutputGrid::float32 ? -126 : -1022;
  const int max_exponent = grid == OutputGrid::float32 ? 127 : 1023;
  // The window's probability under the parent normal (1 for uniform and normal).
  double window = 1.0;
  if (dist.kind() == DistributionKind::truncated_normal) {
    const double alpha = (dist.lower() - dist.location()) / dist.scale();
    const double beta = (dist.upper() - dist.location()) / dist.scale();
    window = alpha >= 0.0 ? internal::standard_normal_sf(alpha) - internal::standard_normal_sf(beta)
                          : internal::standard_normal_cdf(beta) - internal::standard_normal_cdf(alpha);
  }
  // integral of f^2 over [a, b], a < b inside the support.
  const auto integral_of_square = [&](double a, double b) {
    if (dist.kind() == DistributionKind::uniform) {
      const double width = dist.upper() - dist.lower();
      return (b - a) / (width * width);
    }
    // f = phi(z) / (sigma Z), phi(z)^2 = phi(sqrt(2) z) / sqrt(2 pi):
    // integral = P(sqrt(2) za < Z < sqrt(2) zb) / (2 sqrt(pi) sigma Z^2).
    const double za = (a - dist.location()) / dist.scale();
    const double zb = (b - dist.location()) / dist.scale();
    return normal_mass_scaled(za, zb) / (2.0 * std::sqrt(std::numbers::pi) * dist.scale() * window * window);
  };
  double total = 0.0;
  // Binade [2^e, 2^(e+1)) has spacing 2^(e - precision + 1); below 2^min_exponent
  // the spacing of the subnormals, 2^(min_exponent - precision + 1).
  for (int e = min_exponent - 1; e <= max_exponent; ++e) {
    const double low = e < min_exponent ? 0.0 : std::ldexp(1.0, e);
    const double high = std::ldexp(1.0, e + 1);
    const double spacing = std::ldexp(1.0, std::max(e, min_exponent) - precision + 1);
    for (const double sign : {-1.0, 1.0}) {
      double a = sign > 0.0 ? low : -high;
      double b = sign > 0.0 ? high : -low;
      a = std::max(a, dist.lower());
      b = std::min(b, dist.upper());
      if (!(a < b)) continue;
      total += spacing * integral_of_square(a, b);
    }
  }
  return total;
}

TestResult resolution_test(std::span<const double> sorted_sample, const ReferenceDistribution& dist,
                           double generator_step) {
  if (!(generator_step > 0.0 && generator_step < 1.0)) {
    throw std::invalid_argument("resolution_test: generator_step must be in (0, 1), got " +
                                std::to_string(generator_step));
  }
  if (sorted_sample.size() < 2) throw std::invalid_argument("resolution_test: need at least 2 values");
  std::size_t collisions = 0;
  for (std::size_t i = 1; i < sorted_sample.size(); ++i) {
    if (sorted_sample[i] == sorted_sample[i - 1]) ++collisions;
  }
  return resolution_test_from_collisions(collisions, sorted_sample.size(), dist, generator_step);
}

TestResult resolution_test_from_collisions(std::size_t collisions, std::size_t size, const ReferenceDistribution& dist,
                                           double generator_step) {
  if (!(generator_step > 0.0 && generator_step < 1.0)) {
    throw std::invalid_argument("resolution_test: generator_step must be in (0, 1), got " +
                                std::to_string(generator_step));
  }
  if (size < 2) throw std::invalid_argument("resolution_test: need at least 2 values");
  const double collision_probability = rounding_collision_probability(dist);
  const double n = static_cast<double>(size);
  const double expected = 0.5 * n * (n - 1.0) * (collision_probability + 3.0 * generator_step);
  TestResult result;
  result.name = "resolution(collisions)";
  result.statistic = static_cast<double>(collisions);
  result.sample_size = size;
  result.measured = static_cast<double>(collisions);
  result.target = expected;
  result.ci_low = 0.0;
  // P(Poisson(E) >= k) = P(Gamma(k, 1) <= E) = gamma_p(k, E) for k >= 1.
  result.p_value = collisions == 0 ? 1.0 : boost::math::gamma_p(static_cast<double>(collisions), expected);
  // The 0.999 quantile of Poisson(E); beyond E = 1e7 (where Boost's search
  // takes seconds) the normal approximation E + 3.09 sqrt(E), within 0.01%.
  result.ci_high = expected > 1e7 ? expected + 3.0902323061678132 * std::sqrt(expected) + 1.0
                                  : boost::math::quantile(
                                        boost::math::poisson_distribution<double>(std::max(expected, 1e-300)), 0.999);
  std::ostringstream detail;
  detail.precision(4);
  detail << "values equal to their predecessor; bound from rounding to " << grid_name(dist.grid())
         << " (P = " << collision_probability << " per pair) and a generator step of " << generator_step;
  result.detail = detail.str();
  return result;
}

}  // namespace nninit::validation
