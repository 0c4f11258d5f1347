// The probability integral transform, plain and randomised.
#include "nninit/validation/probability_transform.hpp"

#include <sstream>
#include <stdexcept>

namespace nninit::validation {
namespace {

// SplitMix64's finaliser: a bijective mix of 64 bits.
std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9u;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBu;
  x ^= x >> 31;
  return x;
}

// A uniform in (0, 1) on the 2^-53 grid, shifted by half a step.
double jitter(std::uint64_t seed, std::size_t index) noexcept {
  const std::uint64_t bits = mix64(seed + 0x9E3779B97F4A7C15u * (static_cast<std::uint64_t>(index) + 1u));
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1p-53;
}

}  // namespace

std::vector<double> probability_integral_transform(std::span<const double> sample,
                                                   const ReferenceDistribution& dist,
                                                   std::uint64_t jitter_seed) {
  std::vector<double> u(sample.size());
  const OutputGrid grid = dist.grid();
  if (!is_coarse(grid)) {
    for (std::size_t i = 0; i < sample.size(); ++i) u[i] = dist.cdf(sample[i]);
    return u;
  }
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const double x = sample[i];
    if (!is_on_grid(x, grid)) {
      std::ostringstream message;
      message.precision(17);
      message << "probability_integral_transform: sample[" << i << "] = " << x << " is not a "
              << grid_name(grid) << " value";
      throw std::invalid_argument(message.str());
    }
    const RoundingInterval interval = rounding_interval(x, grid);
    const double below = dist.cdf(interval.lower);
    const double at_or_below = dist.cdf(interval.upper);
    u[i] = below + jitter(jitter_seed, i) * (at_or_below - below);
  }
  return u;
}

}  // namespace nninit::validation
