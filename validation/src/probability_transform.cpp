// The probability integral transform, plain and randomised.
#include "nninit/validation/probability_transform.hpp"

#include <bit>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "jitter.hpp"

namespace nninit::validation {
using internal::jitter;
using internal::mix64;

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
