// The probability integral transform, plain and randomised.
#include "nninit/validation/probability_transform.hpp"

#include <bit>
#include <cmath>
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
  // A coarse grid has at most 65536 values: cache each value's CDF step in a
  // direct-mapped table keyed by its bits (a 2^16-entry table, about 1.5 MiB).
  struct Step {
    std::uint64_t key;
    double below;
    double mass;
  };
  constexpr std::size_t table_size = std::size_t{1} << 16;
  constexpr std::uint64_t empty = 0x7FF8DEADBEEF0001u;  // a NaN pattern no value has
  std::vector<Step> table(table_size, Step{empty, 0.0, 0.0});
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const double x = sample[i];
    const std::uint64_t key = std::bit_cast<std::uint64_t>(x);
    Step& step = table[mix64(key) & (table_size - 1)];
    if (step.key != key || std::isnan(x)) {
      if (!is_on_grid(x, grid)) {
        std::ostringstream message;
        message.precision(17);
        message << "probability_integral_transform: sample[" << i << "] = " << x << " is not a "
                << grid_name(grid) << " value";
        throw std::invalid_argument(message.str());
      }
      // P(Y < x) and P(Y == x) = P(Y <= x) - P(Y < x): for a grid value x and
      // BoundRounding::nearest these are F at the edges of x's rounding interval.
      const double below = dist.output_cdf_below(x);
      step = Step{key, below, dist.output_cdf(x) - below};
    }
    u[i] = step.below + jitter(jitter_seed, i) * step.mass;
  }
  return u;
}

}  // namespace nninit::validation
