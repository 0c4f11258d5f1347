// nninit/fans.hpp — fan_in / fan_out of a weight tensor from its shape, in the
// layouts of PyTorch (weight [out, in, k...]) and Keras/JAX (kernel
// [k..., in, out]), with JAX's explicit-axes generalisation and PyTorch's
// grouped-convolution convention. The initializers (nninit/initializers.hpp)
// take a Fans and a FanMode.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <vector>

namespace nninit {

// Number of inputs and outputs each weight connects (the "fans"). Doubles, so
// that fan_avg and user-supplied fractional fans need no special case.
struct Fans {
  double fan_in = 0.0;
  double fan_out = 0.0;
  friend bool operator==(const Fans&, const Fans&) = default;
};

// Which fan a variance-scaling initializer divides by.
enum class FanMode {
  fan_in,   // Fans::fan_in
  fan_out,  // Fans::fan_out
  fan_avg,  // (fan_in + fan_out) / 2
};

// How a weight tensor's dimensions are ordered.
enum class Layout {
  // PyTorch: weight [out, in, k1, k2, ...] (nn.Linear [out, in], nn.Conv2d
  // [out, in/groups, kh, kw]). Needs at least 2 dimensions. With receptive
  // field r = k1 * k2 * ... (1 when there are no k's):
  // fan_in = in * r, fan_out = out * r.
  torch,
  // Keras 3 and JAX's default: kernel [k1, ..., in, out] (Dense [in, out],
  // Conv2D [kh, kw, in, out]). fan_in = in * r, fan_out = out * r with r the
  // product of the leading dimensions. As in Keras, a 1-D shape uses shape[0]
  // for both fans and a 0-D shape (a scalar) uses 1 for both.
  keras,
};

// JAX's generalisation (jax.nn.initializers.variance_scaling's in_axis,
// out_axis, batch_axis). Negative axes count from the end (-1 is the last
// dimension). With total = product of all dimensions,
// r = total / (shape[in_axis] * shape[out_axis] * shape[batch_axis or none]),
// fan_in = shape[in_axis] * r, fan_out = shape[out_axis] * r.
// The defaults give Layout::keras for shapes of 2 or more dimensions.
struct FanAxes {
  int in_axis = -2;
  int out_axis = -1;
  std::optional<int> batch_axis = std::nullopt;
};

// Fans of a weight of `shape` stored in `layout`.
// Errors (nninit::invalid_argument): any dimension <= 0 ("shape[1] (0) must be
// positive"), Layout::torch with fewer than 2 dimensions, a product of the
// dimensions that overflows int64, an invalid `layout` value.
// Example: compute_fans({64, 3, 3, 3}, Layout::torch) == Fans{27, 576}.
Fans compute_fans(std::span<const std::int64_t> shape, Layout layout);
Fans compute_fans(std::initializer_list<std::int64_t> shape, Layout layout);

// Fans with explicit axes (JAX convention, see FanAxes).
// Errors (nninit::invalid_argument): any dimension <= 0, an axis outside
// [-rank, rank), two of in_axis / out_axis / batch_axis naming the same
// dimension (so shapes of fewer than 2 dimensions always fail), a product of
// the dimensions that overflows int64.
// Example: compute_fans({8, 3, 3, 16, 32}, FanAxes{.batch_axis = 0}) == Fans{144, 288}.
Fans compute_fans(std::span<const std::int64_t> shape, const FanAxes& axes);
Fans compute_fans(std::initializer_list<std::int64_t> shape, const FanAxes& axes);

// JAX's _compute_fans in full: in_axis, out_axis and batch_axis may each be
// one axis or a sequence of axes (jax.nn.initializers.variance_scaling(...,
// in_axis=(0, 1)) for a kernel whose inputs span two dimensions). With
// in = the product of shape[a] over in_axes (1 for an empty group), out and
// batch alike, and r = total / (in * out * batch):
// fan_in = in * r, fan_out = out * r.
// The defaults ({-2}, {-1}, {}) give Layout::keras for 2 or more dimensions.
struct FanAxisGroups {
  std::vector<int> in_axes{-2};
  std::vector<int> out_axes{-1};
  std::vector<int> batch_axes{};
};

// Fans with axis groups (JAX convention, see FanAxisGroups).
// Errors (nninit::invalid_argument): fewer than 2 dimensions (JAX: "Must be at
// least 2D"), any dimension <= 0, an axis outside [-rank, rank), an axis named
// twice (in one group or in two: JAX would silently count it twice), a
// product of the dimensions that overflows int64.
// Example: compute_fans({3, 3, 16, 32}, FanAxisGroups{.in_axes = {0, 1, 2}}) == Fans{144, 32}
// (Layout::keras gives Fans{144, 288}: it counts the 3 x 3 window in fan_out too).
Fans compute_fans(std::span<const std::int64_t> shape, const FanAxisGroups& axes);
Fans compute_fans(std::initializer_list<std::int64_t> shape, const FanAxisGroups& axes);

// Fans of a PyTorch grouped convolution weight, with PyTorch's own numbers.
// PyTorch stores nn.ConvNd(groups=g) weights as [out, in/g, k...], so
// fan_in = shape[1] * r is the fan-in of one group (what each output actually
// sees), while fan_out = shape[0] * r is NOT divided by g (PyTorch's
// convention; the true per-input fan-out is shape[0] * r / g). The result is
// therefore the same as compute_fans(shape, Layout::torch); this function adds
// the checks that `groups` is consistent with the shape.
// Transposed convolutions (nn.ConvTransposeNd) store [in, out/g, k...] and
// PyTorch still reads dim 1 as "fan_in" and dim 0 as "fan_out"; pass that
// shape as is to get PyTorch's numbers (then `groups` must divide `in`).
// Errors (nninit::invalid_argument): fewer than 3 dimensions (a convolution
// weight has at least one kernel dimension), any dimension <= 0, groups < 1,
// groups not dividing shape[0], a product that overflows int64.
// Example: compute_fans_grouped_conv({64, 8, 3, 3}, 8) == Fans{72, 576}.
Fans compute_fans_grouped_conv(std::span<const std::int64_t> torch_shape, std::int64_t groups);
Fans compute_fans_grouped_conv(std::initializer_list<std::int64_t> torch_shape,
                               std::int64_t groups);

// The fan `mode` selects: fan_in, fan_out, or fan_avg = (fan_in + fan_out) / 2.
// Errors (nninit::invalid_argument): a fan the mode uses (both for fan_avg)
// that is not finite and > 0, an invalid `mode` value.
// Example: select_fan(Fans{27, 576}, FanMode::fan_avg) == 301.5.
double select_fan(const Fans& fans, FanMode mode);

}  // namespace nninit
