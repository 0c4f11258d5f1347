// initializers.cpp — PyTorch-convention and Keras/JAX-convention
// variance-scaling initializers (see nninit/initializers.hpp). Each formula is
// evaluated with the same floating-point operations, in the same order, as the
// peer library's Python code, so the returned bounds match theirs bit for bit.
#include "nninit/initializers.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "nninit/error.hpp"

namespace nninit {
namespace {

std::string format_double(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

[[noreturn]] void fail(const char* function, const std::string& message) {
  throw invalid_argument(std::string("nninit::") + function + ": " + message);
}

void require_positive(const char* function, const char* name, double value) {
  if (!std::isfinite(value) || !(value > 0.0)) {
    fail(function,
         std::string(name) + " (" + format_double(value) + ") must be finite and positive");
  }
}

void require_finite(const char* function, const char* name, double value) {
  if (!std::isfinite(value)) {
    fail(function, std::string(name) + " (" + format_double(value) + ") must be finite");
  }
}

// select_fan, with errors reported under `function`.
double fan_for(const char* function, const Fans& fans, FanMode mode) {
  switch (mode) {
    case FanMode::fan_in:
      require_positive(function, "fans.fan_in", fans.fan_in);
      return fans.fan_in;
    case FanMode::fan_out:
      require_positive(function, "fans.fan_out", fans.fan_out);
      return fans.fan_out;
    case FanMode::fan_avg:
      require_positive(function, "fans.fan_in", fans.fan_in);
      require_positive(function, "fans.fan_out", fans.fan_out);
      return select_fan(fans, mode);
  }
  fail(function,
       "mode (" + std::to_string(static_cast<int>(mode)) + ") is not a valid nninit::FanMode");
}

// PyTorch: std = gain * math.sqrt(2.0 / float(fan_in + fan_out)).
double xavier_std(const char* function, const Fans& fans, double gain) {
  require_positive(function, "fans.fan_in", fans.fan_in);
  require_positive(function, "fans.fan_out", fans.fan_out);
  require_positive(function, "gain", gain);
  return gain * std::sqrt(2.0 / (fans.fan_in + fans.fan_out));
}

// PyTorch: fan = _calculate_correct_fan(tensor, mode);
// gain = calculate_gain(nonlinearity, a); std = gain / math.sqrt(fan).
double kaiming_std(const char* function, const Fans& fans, const torch::KaimingOptions& options) {
  const double fan = fan_for(function, fans, options.mode);
  require_finite(function, "options.a", options.a);
  double gain = 0.0;
  if (options.nonlinearity == Nonlinearity::leaky_relu) {
    gain = calculate_gain(Nonlinearity::leaky_relu, options.a);
  } else {
    if (options.a != 0.0) {
      fail(function, "options.a (" + format_double(options.a) +
                         ") is the negative slope of leaky_relu and must be 0 for nonlinearity " +
                         std::string(nonlinearity_name(options.nonlinearity)));
    }
    gain = calculate_gain(options.nonlinearity);
  }
  return gain / std::sqrt(fan);
}

}  // namespace

namespace torch {

Uniform xavier_uniform(Fans fans, double gain) {
  const double stddev = xavier_std("torch::xavier_uniform", fans, gain);
  const double a = std::sqrt(3.0) * stddev;
  return Uniform{-a, a};
}

Normal xavier_normal(Fans fans, double gain) {
  return Normal{0.0, xavier_std("torch::xavier_normal", fans, gain)};
}

Uniform kaiming_uniform(Fans fans, const KaimingOptions& options) {
  const double stddev = kaiming_std("torch::kaiming_uniform", fans, options);
  const double bound = std::sqrt(3.0) * stddev;
  return Uniform{-bound, bound};
}

Normal kaiming_normal(Fans fans, const KaimingOptions& options) {
  return Normal{0.0, kaiming_std("torch::kaiming_normal", fans, options)};
}

Uniform linear_default(Fans fans) {
  const KaimingOptions options{std::sqrt(5.0), FanMode::fan_in, Nonlinearity::leaky_relu};
  const double stddev = kaiming_std("torch::linear_default", fans, options);
  const double bound = std::sqrt(3.0) * stddev;
  return Uniform{-bound, bound};
}

Uniform linear_bias_default(Fans fans) {
  require_positive("torch::linear_bias_default", "fans.fan_in", fans.fan_in);
  const double bound = 1.0 / std::sqrt(fans.fan_in);
  return Uniform{-bound, bound};
}

TruncatedNormal trunc_normal(double mean, double stddev, double a, double b) {
  constexpr const char* function = "torch::trunc_normal";
  require_finite(function, "mean", mean);
  require_positive(function, "std", stddev);
  if (std::isnan(a)) fail(function, "a (nan) must not be NaN");
  if (std::isnan(b)) fail(function, "b (nan) must not be NaN");
  if (!(a < b)) {
    fail(function, "a (" + format_double(a) + ") must be less than b (" + format_double(b) + ")");
  }
  return TruncatedNormal{mean, stddev, a, b};
}

}  // namespace torch

namespace keras {

namespace {

// variance_scaling, with errors reported under `function`.
Distribution variance_scaling_as(const char* function, const Fans& fans, double scale, FanMode mode,
                                 VarianceDistribution distribution) {
  require_positive(function, "scale", scale);
  const double fan = fan_for(function, fans, mode);
  // Keras 3: scale /= max(1.0, fan) (fans from compute_fans are >= 1).
  const double variance = scale / fan;
  switch (distribution) {
    case VarianceDistribution::truncated_normal: {
      const double stddev = std::sqrt(variance) / truncated_normal_2sigma_stddev;
      return truncated_normal_in_stddevs(0.0, stddev, -2.0, 2.0);
    }
    case VarianceDistribution::untruncated_normal:
      return Normal{0.0, std::sqrt(variance)};
    case VarianceDistribution::uniform: {
      const double limit = std::sqrt(3.0 * variance);
      return Uniform{-limit, limit};
    }
  }
  fail(function, "distribution (" + std::to_string(static_cast<int>(distribution)) +
                     ") is not a valid nninit::keras::VarianceDistribution");
}

}  // namespace

Distribution variance_scaling(Fans fans, double scale, FanMode mode,
                              VarianceDistribution distribution) {
  return variance_scaling_as("keras::variance_scaling", fans, scale, mode, distribution);
}

Uniform glorot_uniform(Fans fans) {
  return std::get<Uniform>(variance_scaling_as("keras::glorot_uniform", fans, 1.0, FanMode::fan_avg,
                                               VarianceDistribution::uniform));
}

TruncatedNormal glorot_normal(Fans fans) {
  return std::get<TruncatedNormal>(variance_scaling_as(
      "keras::glorot_normal", fans, 1.0, FanMode::fan_avg, VarianceDistribution::truncated_normal));
}

Uniform he_uniform(Fans fans) {
  return std::get<Uniform>(variance_scaling_as("keras::he_uniform", fans, 2.0, FanMode::fan_in,
                                               VarianceDistribution::uniform));
}

TruncatedNormal he_normal(Fans fans) {
  return std::get<TruncatedNormal>(variance_scaling_as(
      "keras::he_normal", fans, 2.0, FanMode::fan_in, VarianceDistribution::truncated_normal));
}

Uniform lecun_uniform(Fans fans) {
  return std::get<Uniform>(variance_scaling_as("keras::lecun_uniform", fans, 1.0, FanMode::fan_in,
                                               VarianceDistribution::uniform));
}

TruncatedNormal lecun_normal(Fans fans) {
  return std::get<TruncatedNormal>(variance_scaling_as(
      "keras::lecun_normal", fans, 1.0, FanMode::fan_in, VarianceDistribution::truncated_normal));
}

TruncatedNormal truncated_normal(double mean, double stddev) {
  constexpr const char* function = "keras::truncated_normal";
  require_finite(function, "mean", mean);
  require_positive(function, "stddev", stddev);
  return truncated_normal_in_stddevs(mean, stddev, -2.0, 2.0);
}

}  // namespace keras
}  // namespace nninit
