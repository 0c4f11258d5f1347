// nninit/structured_block.hpp — any block of a tensor filled with a
// structured initializer (orthogonal, eye, identity, dirac,
// delta-orthogonal, sparse), bit for bit equal to that block of the whole
// fill: the shards of a structured tensor, in any layout, put together equal
// the single-process tensor, as for the element-wise initializers
// (nninit/block_fill.hpp).
//
// What each costs, because their values depend on the tensor as a whole:
//   eye, identity, dirac  computed in the block alone (zeros and the ones
//                         that fall in it): memory and time of the block;
//   sparse                the normal draws of the block alone (fill_block),
//                         then for each of the block's columns the first
//                         ceil(sparsity * rows) steps of its permutation of
//                         the rows: time rows x sparsity per column, memory
//                         about 16 bytes per row of the tensor;
//   orthogonal,           the whole tensor is computed (its QR needs the
//   delta-orthogonal      whole matrix) and the block copied out of it: the
//                         whole tensor's time on every shard, and its memory
//                         (the tensor in the output dtype plus the QR's
//                         double-precision matrix) while the call runs. A
//                         block that is the whole tensor is filled in place.
#pragma once

#include <cstddef>
#include <span>
#include <variant>

#include "nninit/block_fill.hpp"
#include "nninit/dtype.hpp"
#include "nninit/orthogonal.hpp"
#include "nninit/stream.hpp"

namespace nninit {

// torch.nn.init.eye_: 2-D, ones where row == column (nninit::fill_eye).
struct Eye {
  friend bool operator==(const Eye&, const Eye&) = default;
};
// keras.initializers.Identity(gain): gain times eye, 2-D (nninit::fill_identity).
struct Identity {
  double gain = 1.0;
  friend bool operator==(const Identity&, const Identity&) = default;
};
// torch.nn.init.dirac_(groups): 3- to 5-D, a one at the centre k // 2 (nninit::fill_dirac).
struct Dirac {
  int groups = 1;
  friend bool operator==(const Dirac&, const Dirac&) = default;
};
// jax.nn.initializers.delta_orthogonal(scale, column_axis) (nninit::fill_delta_orthogonal).
struct DeltaOrthogonal {
  double scale = 1.0;
  int column_axis = -1;
  friend bool operator==(const DeltaOrthogonal&, const DeltaOrthogonal&) = default;
};
// torch.nn.init.sparse_(sparsity, std) (nninit::fill_sparse).
struct Sparse {
  double sparsity = 0.0;
  double std = 0.01;
  friend bool operator==(const Sparse&, const Sparse&) = default;
};
// A structured initializer and its parameters; nninit::Orthogonal carries
// the convention (torch, keras, jax), the gain and JAX's column axis.
using StructuredInitializer = std::variant<Orthogonal, Eye, Identity, Dirac, DeltaOrthogonal, Sparse>;

// Fills `out` (the block's elements in the block's C order) with the values
// the whole fill of block.shape with `initializer` on `stream` has there
// (fill_orthogonal, fill_eye, fill_identity, fill_dirac,
// fill_delta_orthogonal, fill_sparse; the stream is unused by eye, identity
// and dirac). out.size() must equal block_element_count(block);
// options.threads as for fill_block (the bits do not depend on it).
// Validates everything first and throws nninit::invalid_argument without
// writing: a bad block or size of out as fill_block does, a shape or
// parameter the initializer refuses as its whole fill does (naming the
// parameter and the value).
// Example: rank `rank` of 4 takes its rows of an LSTM's recurrent weight:
//   auto rows = nninit::shard_block({2048, 512}, 0, 4, rank);
//   std::vector<float> w(nninit::block_element_count(rows));
//   nninit::fill_block(std::span(w), rows, nninit::torch::orthogonal(), nninit::Stream::named(0, "weight_hh"));
void fill_block(std::span<float> out, const TensorBlock& block, const StructuredInitializer& initializer,
                const Stream& stream, const BlockFillOptions& options = {});
void fill_block(std::span<double> out, const TensorBlock& block, const StructuredInitializer& initializer,
                const Stream& stream, const BlockFillOptions& options = {});
void fill_block(std::span<bfloat16> out, const TensorBlock& block, const StructuredInitializer& initializer,
                const Stream& stream, const BlockFillOptions& options = {});
void fill_block(std::span<float16> out, const TensorBlock& block, const StructuredInitializer& initializer,
                const Stream& stream, const BlockFillOptions& options = {});
// Type-erased: `count` elements of `dtype` at `data`.
void fill_block(void* data, DType dtype, std::size_t count, const TensorBlock& block,
                const StructuredInitializer& initializer, const Stream& stream, const BlockFillOptions& options = {});

}  // namespace nninit
