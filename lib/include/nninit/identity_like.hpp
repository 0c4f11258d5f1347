// nninit/identity_like.hpp — identity-like initializers: deterministic
// structure (PyTorch's eye_ and dirac_, Keras's Identity) and JAX's
// delta_orthogonal (an orthogonal block at the kernel's centre).
//
// Each fills the whole tensor `out` of shape `shape` (C order) and throws
// nninit::invalid_argument, writing nothing, when the shape is one the
// framework rejects (the message names the parameter and value) or its
// element count differs from out.size().
#pragma once

#include <cstdint>
#include <span>

#include "nninit/dtype.hpp"
#include "nninit/fill.hpp"
#include "nninit/stream.hpp"

namespace nninit {

// torch.nn.init.eye_: a 2-D tensor (rectangular allowed) with ones where
// row == column, zeros elsewhere. Example: fill_eye(std::span(w), {3, 5}).
void fill_eye(std::span<float> out, std::span<const std::int64_t> shape);
void fill_eye(std::span<double> out, std::span<const std::int64_t> shape);
void fill_eye(std::span<bfloat16> out, std::span<const std::int64_t> shape);
void fill_eye(std::span<float16> out, std::span<const std::int64_t> shape);

// keras.initializers.Identity(gain): gain times eye, 2-D only; gain finite.
void fill_identity(std::span<float> out, std::span<const std::int64_t> shape, double gain = 1.0);
void fill_identity(std::span<double> out, std::span<const std::int64_t> shape, double gain = 1.0);
void fill_identity(std::span<bfloat16> out, std::span<const std::int64_t> shape, double gain = 1.0);
void fill_identity(std::span<float16> out, std::span<const std::int64_t> shape, double gain = 1.0);

// torch.nn.init.dirac_(tensor, groups): a 3-, 4- or 5-D convolution weight
// [out, in, k...] that passes its input through: zeros, then for every group
// g and d < min(out / groups, in), a one at [g * out / groups + d, d,
// k1 // 2, k2 // 2, ...] (PyTorch's centre: size // 2 in every spatial
// dimension). shape[0] must be divisible by groups (groups >= 1).
// Example: fill_dirac(std::span(w), {64, 64, 3, 3}).
void fill_dirac(std::span<float> out, std::span<const std::int64_t> shape, int groups = 1);
void fill_dirac(std::span<double> out, std::span<const std::int64_t> shape, int groups = 1);
void fill_dirac(std::span<bfloat16> out, std::span<const std::int64_t> shape, int groups = 1);
void fill_dirac(std::span<float16> out, std::span<const std::int64_t> shape, int groups = 1);

// jax.nn.initializers.delta_orthogonal(scale, column_axis): a 3-, 4- or 5-D
// kernel in JAX's layout [k..., in, out] with in <= out: zeros, except the
// spatial centre ((k - 1) // 2 in every spatial dimension — JAX's centre,
// which differs from PyTorch's dirac for even kernels) holds
// jax::orthogonal(scale, column_axis) of shape [in, out], drawn from `stream`
// as fill_orthogonal draws it. options.offset must be 0.
// Example: fill_delta_orthogonal(std::span(w), {3, 3, 64, 128}, 1.0, -1, stream).
void fill_delta_orthogonal(std::span<float> out, std::span<const std::int64_t> shape, double scale, int column_axis,
                           const Stream& stream, const FillOptions& options = {});
void fill_delta_orthogonal(std::span<double> out, std::span<const std::int64_t> shape, double scale, int column_axis,
                           const Stream& stream, const FillOptions& options = {});
void fill_delta_orthogonal(std::span<bfloat16> out, std::span<const std::int64_t> shape, double scale,
                           int column_axis, const Stream& stream, const FillOptions& options = {});
void fill_delta_orthogonal(std::span<float16> out, std::span<const std::int64_t> shape, double scale,
                           int column_axis, const Stream& stream, const FillOptions& options = {});

}  // namespace nninit
