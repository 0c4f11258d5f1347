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

void require_non_negative(const char* function, const char* name, double value) {
  if (!std::isfinite(value) || value < 0.0) {
    fail(function, std::string(name) + " (" + format_double(value) + ") must be finite and >= 0");
  }
}

// U[low, high) under the framework's parameter names.
Uniform checked_uniform(const char* function, const char* low_name, double low, const char* high_name,
                        double high) {
  require_finite(function, low_name, low);
  require_finite(function, high_name, high);
  if (!(low < high)) {
    fail(function, std::string(low_name) + " (" + format_double(low) + ") must be less than " + high_name +
                       " (" + format_double(high) + ")");
  }
  return Uniform{low, high};
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

Uniform uniform(double a, double b) { return checked_uniform("torch::uniform", "a", a, "b", b); }

Normal normal(double mean, double std) {
  require_finite("torch::normal", "mean", mean);
  require_non_negative("torch::normal", "std", std);
  return Normal{mean, std};
}

Constant constant(double val) {
  require_finite("torch::constant", "val", val);
  return Constant{val};
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

Uniform random_uniform(double minval, double maxval) {
  return checked_uniform("keras::random_uniform", "minval", minval, "maxval", maxval);
}

Normal random_normal(double mean, double stddev) {
  require_finite("keras::random_normal", "mean", mean);
  require_non_negative("keras::random_normal", "stddev", stddev);
  return Normal{mean, stddev};
}

Constant constant(double value) {
  require_finite("keras::constant", "value", value);
  return Constant{value};
}

}  // namespace keras

namespace jax {
namespace {

double fan_of(const char* function, const Fans& fans, VarianceMode mode) {
  switch (mode) {
    case VarianceMode::fan_in:
      return fan_for(function, fans, FanMode::fan_in);
    case VarianceMode::fan_out:
      return fan_for(function, fans, FanMode::fan_out);
    case VarianceMode::fan_avg:
      return fan_for(function, fans, FanMode::fan_avg);
    case VarianceMode::fan_geo_avg: {
      require_positive(function, "fans.fan_in", fans.fan_in);
      require_positive(function, "fans.fan_out", fans.fan_out);
      // JAX: (fan_in * fan_out) ** 0.5; the product of two fans from a shape
      // is exact below 2^53. Where it overflows, the product of the roots.
      const double product = fans.fan_in * fans.fan_out;
      return std::isfinite(product) ? std::sqrt(product) : std::sqrt(fans.fan_in) * std::sqrt(fans.fan_out);
    }
  }
  fail(function, "mode (" + std::to_string(static_cast<int>(mode)) + ") is not a valid nninit::jax::VarianceMode");
}

// JAX: variance = scale / denominator; the rest as Keras's.
Distribution variance_scaling_as(const char* function, const Fans& fans, double scale, VarianceMode mode,
                                 VarianceDistribution distribution) {
  require_positive(function, "scale", scale);
  const double variance = scale / fan_of(function, fans, mode);
  switch (distribution) {
    case VarianceDistribution::truncated_normal: {
      const double stddev = std::sqrt(variance) / keras::truncated_normal_2sigma_stddev;
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
                     ") is not a valid nninit::jax::VarianceDistribution");
}

Uniform uniform_of(const char* function, const Fans& fans, double scale, VarianceMode mode) {
  return std::get<Uniform>(variance_scaling_as(function, fans, scale, mode, VarianceDistribution::uniform));
}

TruncatedNormal truncated_of(const char* function, const Fans& fans, double scale, VarianceMode mode) {
  return std::get<TruncatedNormal>(
      variance_scaling_as(function, fans, scale, mode, VarianceDistribution::truncated_normal));
}

}  // namespace

double select_fan(const Fans& fans, VarianceMode mode) { return fan_of("jax::select_fan", fans, mode); }

Distribution variance_scaling(Fans fans, double scale, VarianceMode mode, VarianceDistribution distribution) {
  return variance_scaling_as("jax::variance_scaling", fans, scale, mode, distribution);
}

Uniform glorot_uniform(Fans fans) { return uniform_of("jax::glorot_uniform", fans, 1.0, VarianceMode::fan_avg); }
TruncatedNormal glorot_normal(Fans fans) {
  return truncated_of("jax::glorot_normal", fans, 1.0, VarianceMode::fan_avg);
}
Uniform xavier_uniform(Fans fans) { return uniform_of("jax::xavier_uniform", fans, 1.0, VarianceMode::fan_avg); }
TruncatedNormal xavier_normal(Fans fans) {
  return truncated_of("jax::xavier_normal", fans, 1.0, VarianceMode::fan_avg);
}
Uniform he_uniform(Fans fans) { return uniform_of("jax::he_uniform", fans, 2.0, VarianceMode::fan_in); }
TruncatedNormal he_normal(Fans fans) { return truncated_of("jax::he_normal", fans, 2.0, VarianceMode::fan_in); }
Uniform kaiming_uniform(Fans fans) { return uniform_of("jax::kaiming_uniform", fans, 2.0, VarianceMode::fan_in); }
TruncatedNormal kaiming_normal(Fans fans) {
  return truncated_of("jax::kaiming_normal", fans, 2.0, VarianceMode::fan_in);
}
Uniform lecun_uniform(Fans fans) { return uniform_of("jax::lecun_uniform", fans, 1.0, VarianceMode::fan_in); }
TruncatedNormal lecun_normal(Fans fans) {
  return truncated_of("jax::lecun_normal", fans, 1.0, VarianceMode::fan_in);
}

Uniform uniform(double scale) {
  require_positive("jax::uniform", "scale", scale);
  return Uniform{0.0, scale};
}

Normal normal(double stddev) {
  require_non_negative("jax::normal", "stddev", stddev);
  return Normal{0.0, stddev};
}

TruncatedNormal truncated_normal(double stddev, double lower, double upper) {
  constexpr const char* function = "jax::truncated_normal";
  require_positive(function, "stddev", stddev);
  if (std::isnan(lower)) fail(function, "lower (nan) must not be NaN");
  if (std::isnan(upper)) fail(function, "upper (nan) must not be NaN");
  if (!(lower < upper)) {
    fail(function, "lower (" + format_double(lower) + ") must be less than upper (" + format_double(upper) + ")");
  }
  return TruncatedNormal{0.0, stddev, lower * stddev, upper * stddev};
}

Constant constant(double value) {
  require_finite("jax::constant", "value", value);
  return Constant{value};
}

}  // namespace jax
}  // namespace nninit
