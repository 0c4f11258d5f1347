// nninit/distributions.hpp — the distributions a fill can draw from. Each is a
// plain description (no state); nninit::fill turns it into values. Initializers
// (nninit/initializers.hpp) return one of these, so the bound or standard
// deviation they chose can be read back.
#pragma once

#include <string>
#include <variant>

namespace nninit {

// Every element equals `value` (zeros(), ones()). Uses no random words.
struct Constant {
  double value = 0.0;
  friend bool operator==(const Constant&, const Constant&) = default;
};

// Uniform on [low, high): in float and double never `high`; in bfloat16 and
// float16 the nearest value of the float draw, so `high` (when representable)
// appears with the mass of half a rounding step. Requires low < high, finite.
struct Uniform {
  double low = 0.0;
  double high = 1.0;
  friend bool operator==(const Uniform&, const Uniform&) = default;
};

// Normal(mean, stddev), not truncated. Requires finite mean, stddev >= 0.
struct Normal {
  double mean = 0.0;
  double stddev = 1.0;
  friend bool operator==(const Normal&, const Normal&) = default;
};

// Normal(mean, stddev) conditioned on lower <= x <= upper. The bounds are
// absolute values, as in PyTorch's trunc_normal_(mean, std, a, b); see
// truncated_normal_in_stddevs for bounds in units of the standard deviation
// (the Keras/JAX convention). Requires stddev > 0 and lower < upper. Bounds
// may be infinite; bounds beyond 12 standard deviations count as infinite (the
// normal mass there is below 2e-33), and such a window must start within 10
// standard deviations of the mean. Output lies in [lower, upper] in every
// dtype, with no mass piled on a bound: the bounds are reached only by rounding.
struct TruncatedNormal {
  double mean = 0.0;
  double stddev = 1.0;
  double lower = -2.0;
  double upper = 2.0;
  friend bool operator==(const TruncatedNormal&, const TruncatedNormal&) = default;
};

using Distribution = std::variant<Constant, Uniform, Normal, TruncatedNormal>;

constexpr Constant zeros() noexcept { return Constant{0.0}; }
constexpr Constant ones() noexcept { return Constant{1.0}; }

// Truncated normal with bounds given in standard deviations from the mean
// (Keras/JAX convention): [mean + lower_in_stddevs * stddev, mean + upper_in_stddevs * stddev].
// Example: truncated_normal_in_stddevs(0, 0.02, -2, 2) == TruncatedNormal{0, 0.02, -0.04, 0.04}.
constexpr TruncatedNormal truncated_normal_in_stddevs(double mean, double stddev,
                                                      double lower_in_stddevs,
                                                      double upper_in_stddevs) noexcept {
  return TruncatedNormal{mean, stddev, mean + lower_in_stddevs * stddev,
                         mean + upper_in_stddevs * stddev};
}

// Human-readable form, e.g. "uniform(low=-0.1, high=0.1)".
std::string describe(const Distribution& distribution);

// Mean and standard deviation of the distribution (exact formulas, in double),
// e.g. for a truncated normal the moments of the truncated law.
double distribution_mean(const Distribution& distribution);
double distribution_stddev(const Distribution& distribution);

}  // namespace nninit
