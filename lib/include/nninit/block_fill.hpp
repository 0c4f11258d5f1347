// nninit/block_fill.hpp — fill any block (hyper-rectangle) of a logical
// tensor into a dense buffer, bit-identical to that block of the whole fill:
// the shards of a tensor split in any layout (rows, columns, tensor x data
// parallel) put together equal the single-process tensor, for any number of
// shards and threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <vector>

#include "nninit/distributions.hpp"
#include "nninit/dtype.hpp"
#include "nninit/fans.hpp"
#include "nninit/stream.hpp"

namespace nninit {

// The block [start[d], start[d] + extent[d]) in every dimension d of a
// logical tensor of `shape`, whose elements are numbered in C order (the
// last dimension fastest): element (i0, ..., ik) is stream index
// i0 * stride0 + ... + ik, exactly as a whole fill of the tensor numbers it.
// A block with an extent of 0 is empty; a 0-D tensor (empty shape) has one
// element and one block, itself.
struct TensorBlock {
  std::vector<std::int64_t> shape;   // the whole tensor
  std::vector<std::int64_t> start;   // first index in each dimension
  std::vector<std::int64_t> extent;  // length in each dimension
  friend bool operator==(const TensorBlock&, const TensorBlock&) = default;
};

// The whole tensor as a block. Example: whole_tensor({768, 3072}) covers all 2359296 elements.
TensorBlock whole_tensor(std::span<const std::int64_t> shape);
TensorBlock whole_tensor(std::initializer_list<std::int64_t> shape);

// Elements in the block (the product of its extents; 1 for a 0-D tensor).
// Errors as check_block.
std::uint64_t block_element_count(const TensorBlock& block);

// Throws nninit::invalid_argument naming the field, the dimension and the
// value when: start or extent has not one entry per dimension, a dimension
// of shape is negative, a start or extent is negative, start + extent
// exceeds the dimension, or the tensor has 2^64 elements or more.
// Example: check_block({{768}, {700}, {96}}) throws
//   "nninit::fill_block: start[0] (700) + extent[0] (96) exceeds shape[0] (768)".
void check_block(const TensorBlock& block);

// Part `index` of `parts` when dimension `dim` (negative: from the end) of
// `shape` is split as torch.chunk and DTensor's Shard(dim) split it: parts
// of ceil(n / parts) rows, the last ones shorter, and parts past the end
// empty (n = 5 in 4 parts: 2, 2, 1, 0). Every other dimension is whole.
// Errors (nninit::invalid_argument): dim outside [-rank, rank), parts < 1,
// index outside [0, parts), a negative dimension.
// Example: shard_block({50257, 768}, 1, 8, 3) is columns [288, 384) of every row.
TensorBlock shard_block(std::span<const std::int64_t> shape, int dim, int parts, int index);
TensorBlock shard_block(std::initializer_list<std::int64_t> shape, int dim, int parts, int index);

// Part (index_a, index_b) of a 2-D split: dimension dim_a in parts_a parts
// and dimension dim_b (another dimension) in parts_b parts, each as
// shard_block splits it (tensor parallel x a second split, e.g. a [out, in]
// weight split along both). Errors as shard_block, and dim_a naming the same
// dimension as dim_b.
TensorBlock shard_block_2d(std::span<const std::int64_t> shape, int dim_a, int parts_a, int index_a, int dim_b,
                           int parts_b, int index_b);
TensorBlock shard_block_2d(std::initializer_list<std::int64_t> shape, int dim_a, int parts_a, int index_a, int dim_b,
                           int parts_b, int index_b);

struct BlockFillOptions {
  // Threads to use: 0 means OpenMP's default. Blocks below
  // nninit::parallel_threshold elements run on the calling thread.
  int threads = 0;
};

// Fills `out` (the block's elements in C order of the block: its last
// dimension fastest) with the values the whole fill of the tensor with
// `distribution` on `stream` has there. out.size() must equal
// block_element_count(block). Parallel over the block's rows (many short
// rows are grouped into one work item; long rows are split), without a
// per-row cost beyond the kernel's. Validates everything first and throws
// nninit::invalid_argument without writing when the block, the size of out
// or the distribution is bad.
// Example: a column shard of an embedding, equal to those columns of the whole:
//   auto part = nninit::shard_block({50257, 768}, 1, 8, rank);
//   std::vector<float> w(nninit::block_element_count(part));
//   nninit::fill_block(std::span(w), part, nninit::Normal{0, 0.02}, nninit::Stream::named(42, "wte"));
void fill_block(std::span<float> out, const TensorBlock& block, const Distribution& distribution,
                const Stream& stream, const BlockFillOptions& options = {});
void fill_block(std::span<double> out, const TensorBlock& block, const Distribution& distribution,
                const Stream& stream, const BlockFillOptions& options = {});
void fill_block(std::span<bfloat16> out, const TensorBlock& block, const Distribution& distribution,
                const Stream& stream, const BlockFillOptions& options = {});
void fill_block(std::span<float16> out, const TensorBlock& block, const Distribution& distribution,
                const Stream& stream, const BlockFillOptions& options = {});
// Type-erased: `count` elements of `dtype` at `data`.
void fill_block(void* data, DType dtype, std::size_t count, const TensorBlock& block,
                const Distribution& distribution, const Stream& stream, const BlockFillOptions& options = {});

// An initializer whose distribution depends on the tensor's fans, e.g.
// [](nninit::Fans f) { return nninit::Distribution(nninit::torch::kaiming_uniform(f)); }.
using FanInitializer = std::function<Distribution(Fans)>;

// The same for a fan-based initializer: its fans always come from the WHOLE
// tensor (block.shape in `layout`), never from the block, so a shard has the
// law of the whole tensor whatever the split (the classic mistake computes
// Xavier's fans from a tensor-parallel shard and changes the std with the
// parallel degree). Errors: as fill_block and compute_fans.
void fill_block(void* data, DType dtype, std::size_t count, const TensorBlock& block,
                const FanInitializer& initializer, Layout layout, const Stream& stream,
                const BlockFillOptions& options = {});

}  // namespace nninit
