// nninit/initializers.hpp — the classic variance-scaling initializers
// (Xavier/Glorot, He/Kaiming, LeCun) as functions that return a Distribution
// description; draw from it with nninit::fill(span, distribution, stream).
//
// Three conventions, in three namespaces so they are never confused:
//   nninit::torch  — PyTorch's torch.nn.init: normal variants are plain
//                    (untruncated) normals; gains from calculate_gain.
//   nninit::keras  — Keras 3 (keras.initializers): normal variants are
//                    normals truncated at ±2 of their own standard deviation,
//                    with that deviation divided by 0.87962566103423978 so the
//                    drawn values still have the target variance.
//   nninit::jax    — JAX (jax.nn.initializers): the same variance scaling as
//                    Keras plus the fan_geo_avg mode, JAX's own plain
//                    families (uniform on [0, scale), normal, truncated
//                    normal with bounds in standard deviations) and JAX's
//                    xavier_* / kaiming_* names, which are the truncated
//                    glorot_* / he_* there (unlike PyTorch's).
// Each namespace also has the framework's plain families with the
// framework's own parameter names and defaults (torch::uniform(a, b),
// keras::random_normal(mean, stddev), jax::normal(stddev), ...), so a ported
// model keeps its numbers. Keras's class-style names (HeNormal,
// GlorotUniform, ...) are the snake_case functions here; the CLI accepts both
// spellings.
// Fans come from nninit::compute_fans (nninit/fans.hpp), in any layout: the
// initializers only see the two numbers.
//
// Example:
//   const nninit::Fans fans = nninit::compute_fans({256, 784}, nninit::Layout::torch);
//   nninit::fill(std::span(w), nninit::torch::kaiming_uniform(fans),
//                nninit::Stream::named(1, "fc.weight"));
//
// A note on the He uniform bound: the seed article of this project stated it as
// sqrt(6) / (2 * sqrt(n_in + n_out)). That is wrong — it is half the Glorot
// bound and gives a quarter of the Glorot variance. He et al. (2015), PyTorch,
// Keras and JAX all use gain * sqrt(3 / fan_in), i.e. sqrt(6 / fan_in) for
// ReLU, which is what kaiming_uniform / he_uniform return.
#pragma once

#include "nninit/distributions.hpp"
#include "nninit/fans.hpp"
#include "nninit/gain.hpp"

namespace nninit {

// ---------------------------------------------------------------------------
// PyTorch convention (torch.nn.init). Bounds and standard deviations are
// computed with the same floating-point operations as PyTorch, so they equal
// PyTorch's to the last bit.
// Common errors (nninit::invalid_argument, message names the parameter and
// value): fans.fan_in / fans.fan_out not finite and > 0 (only the fans a
// function uses are checked), gain not finite and > 0.
// ---------------------------------------------------------------------------
namespace torch {

// xavier_uniform_ (Glorot & Bengio 2010), PyTorch convention:
// U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))
// (computed as sqrt(3) * gain * sqrt(2 / (fan_in + fan_out))).
// Example: xavier_uniform(Fans{784, 256}) == Uniform{-a, a}, a = sqrt(6 / 1040).
Uniform xavier_uniform(Fans fans, double gain = 1.0);

// xavier_normal_, PyTorch convention (not truncated):
// N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)).
// Example: xavier_normal(Fans{784, 256}, calculate_gain(Nonlinearity::tanh)).
Normal xavier_normal(Fans fans, double gain = 1.0);

// Options of kaiming_uniform / kaiming_normal, with PyTorch's defaults
// (a = 0, mode = "fan_in", nonlinearity = "leaky_relu": gain sqrt(2)).
struct KaimingOptions {
  // Negative slope of leaky_relu; must be 0 for any other nonlinearity
  // (PyTorch silently ignores it there; nninit reports the mistake).
  double a = 0.0;
  // Which fan to divide by. PyTorch accepts fan_in and fan_out; fan_avg is an
  // nninit extension.
  FanMode mode = FanMode::fan_in;
  Nonlinearity nonlinearity = Nonlinearity::leaky_relu;
};

// kaiming_uniform_ (He et al. 2015), PyTorch convention:
// U(-bound, bound), bound = gain * sqrt(3 / fan), gain =
// calculate_gain(nonlinearity, a) (a passed only for leaky_relu), fan =
// select_fan(fans, mode). ReLU with fan_in gives sqrt(6 / fan_in).
// Errors: also options.a not finite, options.a != 0 with a nonlinearity other
// than leaky_relu, invalid options.mode / options.nonlinearity.
// Example: kaiming_uniform(Fans{27, 576}, {.nonlinearity = Nonlinearity::relu}) bound sqrt(6 / 27).
Uniform kaiming_uniform(Fans fans, const KaimingOptions& options = {});

// kaiming_normal_, PyTorch convention (not truncated):
// N(0, std^2), std = gain / sqrt(fan), gain and fan as in kaiming_uniform.
// Errors: as kaiming_uniform.
// Example: kaiming_normal(Fans{27, 576}, {.mode = FanMode::fan_out}) has std sqrt(2 / 576).
Normal kaiming_normal(Fans fans, const KaimingOptions& options = {});

// Default weight init of nn.Linear and nn.ConvNd (reset_parameters):
// kaiming_uniform with a = sqrt(5), mode fan_in, leaky_relu, which works out to
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (gain sqrt(2 / 6) = 1/sqrt(3)). Computed
// with PyTorch's operations, sqrt(3) * (gain / sqrt(fan_in)), so it equals
// PyTorch's bound exactly and 1/sqrt(fan_in) up to rounding in the last bit.
// Uses only fans.fan_in. PyTorch issue 15314 discusses why a = sqrt(5).
// Example: linear_default(compute_fans({256, 784}, Layout::torch)) bound 1/28.
Uniform linear_default(Fans fans);

// Default bias init of nn.Linear and nn.ConvNd: U(-b, b), b = 1 / sqrt(fan_in)
// where fan_in is the WEIGHT's fan_in (pass the weight's fans). Uses only
// fans.fan_in.
// Example: linear_bias_default(compute_fans({256, 784}, Layout::torch)) bound 1/28.
Uniform linear_bias_default(Fans fans);

// trunc_normal_, PyTorch convention: N(mean, std^2) conditioned on [a, b],
// with a and b ABSOLUTE values (not multiples of std). Defaults as PyTorch's.
// Errors: mean not finite, std not finite and > 0, a or b NaN, a >= b.
// nninit::fill checks the rest of TruncatedNormal's requirements (finite
// bounds within 10 standard deviations of the mean).
// Example: trunc_normal(0, 0.02) == TruncatedNormal{0, 0.02, -2, 2} (ViT-style init).
TruncatedNormal trunc_normal(double mean = 0.0, double std = 1.0, double a = -2.0, double b = 2.0);

// uniform_(tensor, a=0, b=1): U[a, b). Errors: a or b not finite, a >= b
// (PyTorch also accepts a == b, a constant; use constant(a) for that).
// Example: torch::uniform(-0.1, 0.1) == Uniform{-0.1, 0.1}.
Uniform uniform(double a = 0.0, double b = 1.0);

// normal_(tensor, mean=0, std=1): N(mean, std^2), not truncated.
// Errors: mean not finite, std not finite or negative (PyTorch's
// "normal expects std >= 0"; std = 0 gives the constant mean).
// Example: torch::normal(0, 0.02) == Normal{0, 0.02}.
Normal normal(double mean = 0.0, double std = 1.0);

// constant_(tensor, val): every element equals val. Errors: val not finite.
// Example: torch::constant(0.5) == Constant{0.5}.
Constant constant(double val);

// zeros_ and ones_.
constexpr Constant zeros() noexcept { return Constant{0.0}; }
constexpr Constant ones() noexcept { return Constant{1.0}; }

}  // namespace torch

// ---------------------------------------------------------------------------
// Keras 3 / JAX convention (keras.initializers, jax.nn.initializers). Every
// initializer is variance_scaling(scale, mode, distribution) with n =
// select_fan(fans, mode) and v = scale / n:
//   uniform:            U(-sqrt(3 v), sqrt(3 v))
//   untruncated_normal: N(0, v)
//   truncated_normal:   N(0, s^2) truncated to [-2 s, 2 s], s = sqrt(v) / 0.87962566103423978
//                       (its standard deviation is then sqrt(v)).
// Computed with the same operations as Keras 3 (scale / n, then sqrt).
// Keras divides by max(1, n); fans from compute_fans are always >= 1, and
// fans below 1 are used as given here.
// Common errors (nninit::invalid_argument, message names the parameter and
// value): fans.fan_in / fans.fan_out not finite and > 0 (only the fans the mode
// uses are checked), scale not finite and > 0.
// ---------------------------------------------------------------------------
namespace keras {

// Standard deviation of N(0, 1) truncated to (-2, 2): sqrt(1 - 4 phi(2) /
// (2 Phi(2) - 1)) with phi, Phi the standard normal pdf and cdf. Keras and JAX
// divide the target standard deviation by it so that the ±2-sigma truncated
// normal keeps the target variance.
inline constexpr double truncated_normal_2sigma_stddev = 0.87962566103423978;

enum class VarianceDistribution {
  truncated_normal,    // Keras's and JAX's default ("truncated_normal")
  untruncated_normal,  // Keras "untruncated_normal", JAX "normal"
  uniform,             // "uniform"
};

// VarianceScaling (Keras 3) / variance_scaling (JAX), formulas above.
// Returns Uniform, Normal or TruncatedNormal according to `distribution`.
// Errors: as the common errors, plus invalid `mode` or `distribution` values.
// Example: variance_scaling(fans, 2, FanMode::fan_in, VarianceDistribution::uniform) is he_uniform.
Distribution variance_scaling(
    Fans fans, double scale = 1.0, FanMode mode = FanMode::fan_in,
    VarianceDistribution distribution = VarianceDistribution::truncated_normal);

// glorot_uniform (Keras's default kernel init): variance_scaling(1, fan_avg,
// uniform), i.e. U(-a, a), a = sqrt(3 / ((fan_in + fan_out) / 2)) = sqrt(6 / (fan_in + fan_out)).
// Example: glorot_uniform(compute_fans({784, 256}, Layout::keras)) bound sqrt(6 / 1040).
Uniform glorot_uniform(Fans fans);

// glorot_normal: variance_scaling(1, fan_avg, truncated_normal): truncated
// normal, s = sqrt(1 / ((fan_in + fan_out) / 2)) / 0.87962566103423978, bounds ±2 s.
// Example: glorot_normal(Fans{784, 256}).stddev == sqrt(2 / 1040) / 0.8796...
TruncatedNormal glorot_normal(Fans fans);

// he_uniform: variance_scaling(2, fan_in, uniform): U(-sqrt(6 / fan_in), sqrt(6 / fan_in)).
// Example: he_uniform(compute_fans({3, 3, 3, 64}, Layout::keras)) bound sqrt(6 / 27).
Uniform he_uniform(Fans fans);

// he_normal: variance_scaling(2, fan_in, truncated_normal): truncated normal,
// s = sqrt(2 / fan_in) / 0.87962566103423978, bounds ±2 s.
// Example: he_normal(compute_fans({3, 3, 64, 128}, Layout::keras)).stddev is sqrt(2/576) / 0.8796.
TruncatedNormal he_normal(Fans fans);

// lecun_uniform: variance_scaling(1, fan_in, uniform): U(-sqrt(3 / fan_in), sqrt(3 / fan_in)).
// Example: lecun_uniform(Fans{4096, 4096}) bound sqrt(3 / 4096).
Uniform lecun_uniform(Fans fans);

// lecun_normal: variance_scaling(1, fan_in, truncated_normal): truncated
// normal, s = sqrt(1 / fan_in) / 0.87962566103423978, bounds ±2 s.
// Example: lecun_normal(Fans{100, 10}).stddev == 0.1 / 0.8796...
TruncatedNormal lecun_normal(Fans fans);

// TruncatedNormal(mean=0, stddev=0.05): N(mean, stddev^2) truncated to
// [mean - 2 stddev, mean + 2 stddev] (bounds in units of stddev), with NO
// variance correction: the drawn values have a standard deviation of about
// 0.88 * stddev. JAX's truncated_normal has other defaults and no mean
// (jax::truncated_normal).
// Errors: mean not finite, stddev not finite and > 0.
// Example: truncated_normal(0, 0.05) == TruncatedNormal{0, 0.05, -0.1, 0.1}.
TruncatedNormal truncated_normal(double mean = 0.0, double stddev = 0.05);

// RandomUniform(minval=-0.05, maxval=0.05): U[minval, maxval).
// Errors: minval or maxval not finite, minval >= maxval.
// Example: random_uniform() == Uniform{-0.05, 0.05}.
Uniform random_uniform(double minval = -0.05, double maxval = 0.05);

// RandomNormal(mean=0, stddev=0.05): N(mean, stddev^2), not truncated.
// Errors: mean not finite, stddev not finite or negative.
// Example: random_normal() == Normal{0, 0.05}.
Normal random_normal(double mean = 0.0, double stddev = 0.05);

// Constant(value=0): every element equals value. Errors: value not finite.
Constant constant(double value = 0.0);

// Zeros and Ones.
constexpr Constant zeros() noexcept { return Constant{0.0}; }
constexpr Constant ones() noexcept { return Constant{1.0}; }

}  // namespace keras

// ---------------------------------------------------------------------------
// JAX convention (jax.nn.initializers). variance_scaling is Keras's formula
// with JAX's modes (also fan_geo_avg) and distribution names ("normal" is
// the untruncated one in JAX, while Keras 3 reads "normal" as
// "truncated_normal"); JAX computes its fans with explicit axes, see
// FanAxisGroups in nninit/fans.hpp (the defaults equal Layout::keras for 2 or
// more dimensions; JAX refuses fewer). JAX divides by the fan as it is (no
// max(1, n)). Computed in double; JAX rounds scale / n to the weight's dtype
// first, so its float32 numbers can differ in the last float32 bit.
// Common errors as Keras's.
// ---------------------------------------------------------------------------
namespace jax {

// variance_scaling's mode: the fans of FanMode plus JAX's geometric mean.
enum class VarianceMode {
  fan_in,       // fans.fan_in
  fan_out,      // fans.fan_out
  fan_avg,      // (fan_in + fan_out) / 2
  fan_geo_avg,  // sqrt(fan_in * fan_out)
};

// The variance_scaling distributions, by the names Keras uses (JAX's
// "normal" is untruncated_normal).
using VarianceDistribution = keras::VarianceDistribution;

// The fan `mode` divides by. Errors: the fans the mode uses not finite and
// > 0, an invalid mode. Example: select_fan(Fans{4, 9}, VarianceMode::fan_geo_avg) == 6.
double select_fan(const Fans& fans, VarianceMode mode);

// variance_scaling(scale, mode, distribution): with v = scale / select_fan,
// uniform U(-sqrt(3 v), sqrt(3 v)); untruncated_normal N(0, v);
// truncated_normal N(0, s^2) on [-2 s, 2 s], s = sqrt(v) / 0.87962566103423978.
// JAX has no defaults for scale, mode and distribution.
// Example: variance_scaling(fans, 1, VarianceMode::fan_geo_avg, VarianceDistribution::untruncated_normal).
Distribution variance_scaling(Fans fans, double scale, VarianceMode mode, VarianceDistribution distribution);

// glorot_* (alias xavier_*): scale 1, fan_avg; he_* (alias kaiming_*): scale 2,
// fan_in; lecun_*: scale 1, fan_in. *_uniform is U(-sqrt(3 v), sqrt(3 v)),
// *_normal the truncated normal with the 0.8796 correction — so
// jax::kaiming_normal is NOT torch::kaiming_normal (untruncated).
// Example: jax::kaiming_normal(fans) == keras::he_normal(fans).
Uniform glorot_uniform(Fans fans);
TruncatedNormal glorot_normal(Fans fans);
Uniform xavier_uniform(Fans fans);
TruncatedNormal xavier_normal(Fans fans);
Uniform he_uniform(Fans fans);
TruncatedNormal he_normal(Fans fans);
Uniform kaiming_uniform(Fans fans);
TruncatedNormal kaiming_normal(Fans fans);
Uniform lecun_uniform(Fans fans);
TruncatedNormal lecun_normal(Fans fans);

// uniform(scale=1e-2): U[0, scale) (random.uniform times scale).
// Errors: scale not finite and > 0 (JAX's scale <= 0 gives (scale, 0] or
// zeros, which nninit's Uniform cannot describe).
// Example: jax::uniform() == Uniform{0, 0.01}.
Uniform uniform(double scale = 1e-2);

// normal(stddev=1e-2): N(0, stddev^2). Errors: stddev not finite or negative.
// Example: jax::normal() == Normal{0, 0.01}.
Normal normal(double stddev = 1e-2);

// truncated_normal(stddev=1e-2, lower=-2, upper=2): a standard normal
// truncated to [lower, upper] (bounds in standard deviations), times stddev:
// N(0, stddev^2) on [lower * stddev, upper * stddev], with no variance
// correction. Errors: stddev not finite and > 0, lower or upper NaN,
// lower >= upper.
// Example: jax::truncated_normal(0.02) == TruncatedNormal{0, 0.02, -0.04, 0.04}.
TruncatedNormal truncated_normal(double stddev = 1e-2, double lower = -2.0, double upper = 2.0);

// constant(value), zeros, ones. Errors: value not finite.
Constant constant(double value);
constexpr Constant zeros() noexcept { return Constant{0.0}; }
constexpr Constant ones() noexcept { return Constant{1.0}; }

}  // namespace jax
}  // namespace nninit
