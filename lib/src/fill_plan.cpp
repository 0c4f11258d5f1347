// fill_plan.cpp — argument validation and per-fill setup for every
// distribution and output type.
#include "fill_plan.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <variant>

#include "format_number.hpp"
#include "math/normal_cdf.hpp"
#include "nninit/error.hpp"

namespace nninit::internal {
namespace {

[[noreturn]] void reject(const std::string& distribution, const std::string& problem) {
  throw nninit::invalid_argument("nninit::fill: " + distribution + ": " + problem);
}

std::string show(const char* parameter, double value) {
  return std::string(parameter) + " (" + format_number(value) + ")";
}

void require_finite(const char* distribution, const char* parameter, double value) {
  if (!std::isfinite(value)) reject(distribution, show(parameter, value) + " must be finite");
}

template <class T>
void require_in_range(const char* distribution, const char* parameter, double value) {
  if (std::fabs(value) > OutputFormat<T>::max_finite()) {
    reject(distribution, show(parameter, value) + " is outside the finite range of " +
                             OutputFormat<T>::name + " (+-" +
                             format_number(OutputFormat<T>::max_finite()) + ")");
  }
}

template <class T>
using WorkingOf = typename OutputFormat<T>::Working;

template <class T>
FillPlan<T> plan_constant(const Constant& d) {
  require_finite("constant", "value", d.value);
  require_in_range<T>("constant", "value", d.value);
  FillPlan<T> plan;
  plan.kind = FillKind::constant;
  plan.constant_value = round_to_nearest<T>(d.value);
  return plan;
}

template <class T>
FillPlan<T> plan_uniform(const Uniform& d) {
  using W = WorkingOf<T>;
  require_finite("uniform", "low", d.low);
  require_finite("uniform", "high", d.high);
  if (!(d.low < d.high)) {
    reject("uniform", show("low", d.low) + " must be less than " + show("high", d.high));
  }
  require_in_range<T>("uniform", "low", d.low);
  require_in_range<T>("uniform", "high", d.high);
  FillPlan<T> plan;
  plan.kind = FillKind::uniform;
  plan.uniform.low = static_cast<W>(d.low);
  plan.uniform.width = static_cast<W>(d.high) - static_cast<W>(d.low);
  if (!std::isfinite(plan.uniform.width)) {
    reject("uniform", "high - low (" + format_number(d.high - d.low) +
                          ") overflows the working precision of " + OutputFormat<T>::name);
  }
  // float and double: [low, high). bfloat16 and float16: the nearest value of
  // the float draw, so high itself (if representable) is reachable.
  constexpr bool half_open = std::is_same_v<T, float> || std::is_same_v<T, double>;
  const T lowest = smallest_at_least<T>(d.low);
  const T highest = half_open ? largest_below<T>(d.high) : largest_at_most<T>(d.high);
  if (to_double(lowest) > to_double(highest)) {
    reject("uniform", std::string("no ") + OutputFormat<T>::name + " value lies in [" +
                          format_number(d.low) + ", " + format_number(d.high) +
                          (half_open ? ")" : "]"));
  }
  plan.clamp_low = OutputFormat<T>::to_working(lowest);
  plan.clamp_high = OutputFormat<T>::to_working(highest);
  return plan;
}

template <class T>
FillPlan<T> plan_normal(const Normal& d) {
  using W = WorkingOf<T>;
  require_finite("normal", "mean", d.mean);
  require_finite("normal", "stddev", d.stddev);
  if (d.stddev < 0.0) reject("normal", show("stddev", d.stddev) + " must not be negative");
  const double reach = std::is_same_v<W, float> ? normal_reach_f32 : normal_reach_f64;
  const double extreme = std::fabs(d.mean) + reach * d.stddev;
  if (!(extreme <= OutputFormat<T>::max_finite())) {
    reject("normal", show("mean", d.mean) + " and " + show("stddev", d.stddev) +
                         " reach " + format_number(extreme) + ", beyond the finite range of " +
                         OutputFormat<T>::name);
  }
  FillPlan<T> plan;
  plan.kind = FillKind::normal;
  plan.normal.mean = static_cast<W>(d.mean);
  plan.normal.stddev = static_cast<W>(d.stddev);
  plan.clamp_low = -std::numeric_limits<W>::infinity();
  plan.clamp_high = std::numeric_limits<W>::infinity();
  return plan;
}

// The window in standard deviations, bounds beyond 12 clipped to +-12 (the
// normal mass beyond 12 is below 2e-33). A clipped window must reach within 10
// standard deviations of the mean, so the ignored mass stays below 3e-10 of
// the window's own.
struct StandardWindow {
  double alpha;
  double beta;
};

StandardWindow standardise_window(const TruncatedNormal& d) {
  const char* name = "truncated_normal";
  const double alpha_raw = (d.lower - d.mean) / d.stddev;
  const double beta_raw = (d.upper - d.mean) / d.stddev;
  const double clip = infinite_bound_in_stddevs;
  const double alpha = std::clamp(alpha_raw, -clip, clip);
  const double beta = std::clamp(beta_raw, -clip, clip);
  if (alpha_raw >= clip || beta_raw <= -clip) {
    const bool above = alpha_raw >= clip;
    reject(name, show(above ? "lower" : "upper", above ? d.lower : d.upper) + " is " +
                     format_number(above ? alpha_raw : beta_raw) +
                     " standard deviations from the mean: the window holds no mass");
  }
  const double reach = truncation_limit_in_stddevs;
  if ((beta_raw > clip && alpha > reach) || (alpha_raw < -clip && beta < -reach)) {
    const bool upper_clipped = beta_raw > clip;
    reject(name, show(upper_clipped ? "lower" : "upper", upper_clipped ? d.lower : d.upper) +
                     " is " + format_number(upper_clipped ? alpha : beta) +
                     " standard deviations from the mean; a window reaching beyond " +
                     format_number(clip) + " must start within " + format_number(reach));
  }
  if (!(alpha < beta)) {
    reject(name, "the window [" + format_number(d.lower) + ", " + format_number(d.upper) +
                     "] is narrower than double precision can resolve at this mean and stddev");
  }
  return {alpha, beta};
}

template <class T>
FillPlan<T> plan_truncated_normal(const TruncatedNormal& d) {
  using W = WorkingOf<T>;
  const char* name = "truncated_normal";
  require_finite(name, "mean", d.mean);
  require_finite(name, "stddev", d.stddev);
  if (!(d.stddev > 0.0)) reject(name, show("stddev", d.stddev) + " must be positive");
  if (std::isnan(d.lower)) reject(name, show("lower", d.lower) + " must not be NaN");
  if (std::isnan(d.upper)) reject(name, show("upper", d.upper) + " must not be NaN");
  if (!(d.lower < d.upper)) {
    reject(name, show("lower", d.lower) + " must be less than " + show("upper", d.upper));
  }
  const auto [alpha, beta] = standardise_window(d);
  const double support_low = std::max(d.lower, d.mean + alpha * d.stddev);
  const double support_high = std::min(d.upper, d.mean + beta * d.stddev);
  require_in_range<T>(name, "lower end of the support", support_low);
  require_in_range<T>(name, "upper end of the support", support_high);
  const T lowest = smallest_at_least<T>(support_low);
  const T highest = largest_at_most<T>(support_high);
  if (to_double(lowest) > to_double(highest)) {
    reject(name, std::string("no ") + OutputFormat<T>::name + " value lies in [" +
                     format_number(d.lower) + ", " + format_number(d.upper) + "]");
  }

  const double lower_cdf = normal_cdf_f64(alpha);
  FillPlan<T> plan;
  plan.kind = FillKind::truncated_normal;
  TruncatedNormalParameters<W>& p = plan.truncated_normal.parameters;
  p.centred_lower_cdf = static_cast<W>(lower_cdf - 0.5);
  p.lower_cdf = static_cast<W>(lower_cdf);
  p.upper_tail = static_cast<W>(normal_cdf_f64(-beta));
  p.mass = static_cast<W>(normal_cdf_difference_f64(alpha, beta));
  p.mean = static_cast<W>(d.mean);
  p.stddev = static_cast<W>(d.stddev);
  if (!(p.mass > 0)) {
    reject(name, "the window [" + format_number(d.lower) + ", " + format_number(d.upper) +
                     "] holds no probability mass in the working precision of " +
                     OutputFormat<T>::name);
  }
  plan.clamp_low = OutputFormat<T>::to_working(lowest);
  plan.clamp_high = OutputFormat<T>::to_working(highest);
  return plan;
}

}  // namespace

template <class T>
FillPlan<T> plan_fill(const Distribution& distribution) {
  return std::visit(
      [](const auto& d) -> FillPlan<T> {
        using D = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<D, Constant>) return plan_constant<T>(d);
        if constexpr (std::is_same_v<D, Uniform>) return plan_uniform<T>(d);
        if constexpr (std::is_same_v<D, Normal>) return plan_normal<T>(d);
        if constexpr (std::is_same_v<D, TruncatedNormal>) return plan_truncated_normal<T>(d);
      },
      distribution);
}

template FillPlan<float> plan_fill<float>(const Distribution&);
template FillPlan<double> plan_fill<double>(const Distribution&);
template FillPlan<bfloat16> plan_fill<bfloat16>(const Distribution&);
template FillPlan<float16> plan_fill<float16>(const Distribution&);

}  // namespace nninit::internal
