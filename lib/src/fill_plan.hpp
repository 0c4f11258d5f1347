// fill_plan.hpp — turns a Distribution and an output type into the prepared
// parameters of a kernel, validating every argument on the way. All the
// per-fill setup (bounds on representable values, normal CDF values of a
// truncation window) happens here, once, in double precision.
#pragma once

#include <cstdint>

#include "kernels/generators.hpp"
#include "kernels/output_format.hpp"
#include "nninit/distributions.hpp"

namespace nninit::internal {

enum class FillKind { constant, uniform, normal, truncated_normal };

template <class T>
struct FillPlan {
  using Working = typename OutputFormat<T>::Working;
  FillKind kind = FillKind::constant;
  T constant_value{};
  UniformGenerator<Working> uniform{};
  NormalGenerator<Working> normal{};
  TruncatedNormalGenerator<Working> truncated_normal{};
  // Every value is clamped into [clamp_low, clamp_high] after rounding to T.
  Working clamp_low{};
  Working clamp_high{};
};

// Largest |z| Box-Muller can produce in each working precision (radius
// sqrt(-2 log u) at the smallest u: 2^-32 in float, 2^-53 in double).
inline constexpr double normal_reach_f32 = 6.661;
inline constexpr double normal_reach_f64 = 8.572;
// Truncated normal: bounds beyond infinite_bound_in_stddevs standard
// deviations count as infinite and are clipped there; a clipped window must
// start within truncation_limit_in_stddevs of the mean.
inline constexpr double truncation_limit_in_stddevs = 10.0;
inline constexpr double infinite_bound_in_stddevs = 12.0;

// Validates and prepares; throws nninit::invalid_argument whose message starts
// with "nninit::fill: " and names the parameter and its value.
template <class T>
FillPlan<T> plan_fill(const Distribution& distribution);

}  // namespace nninit::internal
