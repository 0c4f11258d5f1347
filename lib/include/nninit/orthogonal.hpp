// nninit/orthogonal.hpp — orthogonal initializers (Saxe et al. 2014) in the
// conventions of PyTorch, Keras 3 and JAX, reproducible to the bit.
//
// Each flattens the tensor to a matrix (rows x cols), draws a normal matrix
// from the stream, takes the Q factor of its QR decomposition with the column
// signs that make R's diagonal positive (so that Q follows the Haar law, the
// uniform distribution on orthogonal matrices), and scales it:
//   torch::orthogonal(gain)  rows = shape[0], cols = the product of the rest;
//                            the (rows x cols) draw is transposed when
//                            rows < cols, factorised, transposed back;
//   keras::orthogonal(gain)  rows = the product of shape[:-1], cols = shape[-1];
//                            the draw is (max x min), factorised, transposed
//                            when rows < cols;
//   jax::orthogonal(scale, column_axis)  cols = shape[column_axis], rows = the
//                            rest; as Keras, then the column axis moved back.
// The result has orthonormal rows (rows <= cols) or columns (rows >= cols),
// times the gain.
//
// Reproducibility: the normal matrix is the stream's float64 N(0, 1) fill of
// max(rows, cols) * min(rows, cols) elements (element index = row-major index
// in the drawn matrix: (rows x cols) for torch, (max x min) for keras and jax),
// and the QR is nninit's own (blocked Householder in double precision, one
// fixed operation order, see lib/src/structured/householder_qr.hpp): the
// output bits do not depend on the thread count, the SIMD target or a BLAS.
// float32 output is the double result rounded to nearest; bfloat16 and
// float16 are that float32 rounded to nearest even.
#pragma once

#include <cstdint>
#include <span>

#include "nninit/dtype.hpp"
#include "nninit/fill.hpp"
#include "nninit/stream.hpp"

namespace nninit {

enum class OrthogonalConvention { torch, keras, jax };

struct Orthogonal {
  OrthogonalConvention convention = OrthogonalConvention::torch;
  double gain = 1.0;     // PyTorch's and Keras's gain, JAX's scale; finite
  int column_axis = -1;  // JAX only: the axis of the columns (negative counts from the end)
  friend bool operator==(const Orthogonal&, const Orthogonal&) = default;
};

namespace torch {
// torch.nn.init.orthogonal_(tensor, gain=1). Example: fill_orthogonal(w, {256, 784}, torch::orthogonal(), stream).
Orthogonal orthogonal(double gain = 1.0);
}  // namespace torch
namespace keras {
// keras.initializers.Orthogonal(gain=1.0).
Orthogonal orthogonal(double gain = 1.0);
}  // namespace keras
namespace jax {
// jax.nn.initializers.orthogonal(scale=1.0, column_axis=-1).
Orthogonal orthogonal(double scale = 1.0, int column_axis = -1);
}  // namespace jax

// Fills the whole tensor `out` of shape `shape` (C order) with the orthogonal
// initializer `spec` on `stream`; options.threads as for fill (the bits do not
// depend on it). Throws nninit::invalid_argument, writing nothing, when the
// shape has fewer than 2 dimensions or a negative dimension, its element count
// differs from out.size() or overflows, the gain is not finite, the column
// axis is out of range, or options.offset is not 0 (the values depend on the
// whole matrix: a block of the tensor is not a fill of its own). A tensor with
// no elements is left as it is.
// Example: nninit::fill_orthogonal(std::span(w), {512, 512}, nninit::torch::orthogonal(1.0),
//                                  nninit::Stream::named(0, "rnn.weight_hh"));
void fill_orthogonal(std::span<float> out, std::span<const std::int64_t> shape, const Orthogonal& spec,
                     const Stream& stream, const FillOptions& options = {});
void fill_orthogonal(std::span<double> out, std::span<const std::int64_t> shape, const Orthogonal& spec,
                     const Stream& stream, const FillOptions& options = {});
void fill_orthogonal(std::span<bfloat16> out, std::span<const std::int64_t> shape, const Orthogonal& spec,
                     const Stream& stream, const FillOptions& options = {});
void fill_orthogonal(std::span<float16> out, std::span<const std::int64_t> shape, const Orthogonal& spec,
                     const Stream& stream, const FillOptions& options = {});

// The matrix an orthogonal initializer makes orthonormal: rows x cols of the
// flattened tensor, by the convention. Throws as fill_orthogonal does for the
// shape and the column axis. Example: orthogonal_matrix_shape({64, 3, 3, 3},
// torch::orthogonal()) == {64, 27}.
struct MatrixShape {
  std::uint64_t rows;
  std::uint64_t cols;
  friend bool operator==(const MatrixShape&, const MatrixShape&) = default;
};
MatrixShape orthogonal_matrix_shape(std::span<const std::int64_t> shape, const Orthogonal& spec);

}  // namespace nninit
