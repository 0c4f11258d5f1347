// Blocks of the structured initializers: eye, identity, dirac and sparse
// computed in the block; orthogonal and delta-orthogonal computed whole and
// the block copied out.
#include "nninit/structured_block.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "nninit/error.hpp"
#include "nninit/identity_like.hpp"
#include "structured/identity_like_block.hpp"
#include "structured/sparse_block.hpp"

namespace nninit {
namespace {

// Copies `block` out of `whole` (the whole tensor of block.shape, C order)
// into `out` (the block's C order).
template <class T>
void copy_block_of_whole(const T* whole, const TensorBlock& block, T* out) {
  const std::size_t rank = block.shape.size();
  if (rank == 0) {
    out[0] = whole[0];
    return;
  }
  std::vector<std::uint64_t> stride(rank, 1);
  for (std::size_t d = rank - 1; d > 0; --d) stride[d - 1] = stride[d] * static_cast<std::uint64_t>(block.shape[d]);
  const auto row = static_cast<std::size_t>(block.extent[rank - 1]);
  std::vector<std::int64_t> index(rank - 1, 0);  // the row's position in the outer dimensions of the block
  for (;;) {
    std::uint64_t first = static_cast<std::uint64_t>(block.start[rank - 1]);
    for (std::size_t d = 0; d + 1 < rank; ++d) first += static_cast<std::uint64_t>(block.start[d] + index[d]) * stride[d];
    out = std::copy_n(whole + first, row, out);
    std::size_t d = rank - 1;
    while (d > 0 && ++index[d - 1] == block.extent[d - 1]) index[--d] = 0;
    if (d == 0) return;
  }
}

// An initializer that needs the whole tensor: `fill_whole(span)` fills all
// of block.shape; the block is then copied out (or filled in place when it
// is the whole tensor).
template <class T, class FillWhole>
void whole_then_block(T* out, std::size_t count, const TensorBlock& block, FillWhole fill_whole) {
  check_block(block);
  const std::uint64_t elements = block_element_count(block);
  if (elements != count) {
    throw invalid_argument("nninit::fill_block: out has " + std::to_string(count) + " elements but the block has " +
                           std::to_string(elements));
  }
  if (block == whole_tensor(block.shape)) {
    fill_whole(std::span<T>(out, count));
    return;
  }
  std::uint64_t total = 1;
  for (const std::int64_t d : block.shape) total *= static_cast<std::uint64_t>(d);
  // The whole fill validates the shape and parameters before writing, so a
  // refused initializer writes nothing into out either.
  std::vector<T> whole(static_cast<std::size_t>(total));
  fill_whole(std::span<T>(whole));
  if (count != 0) copy_block_of_whole(whole.data(), block, out);
}

template <class T>
void structured_block(T* out, std::size_t count, DType dtype, const TensorBlock& block,
                      const StructuredInitializer& initializer, const Stream& stream, const BlockFillOptions& options) {
  if (options.threads < 0) {
    throw invalid_argument("nninit::fill_block: threads (" + std::to_string(options.threads) + ") must not be negative");
  }
  const FillOptions whole{.offset = 0, .threads = options.threads};
  struct Filler {
    T* out;
    std::size_t count;
    DType dtype;
    const TensorBlock& block;
    const Stream& stream;
    const BlockFillOptions& options;
    FillOptions whole;
    void operator()(const Orthogonal& spec) const {
      whole_then_block(out, count, block, [&](std::span<T> all) { fill_orthogonal(all, block.shape, spec, stream, whole); });
    }
    void operator()(const DeltaOrthogonal& spec) const {
      whole_then_block(out, count, block, [&](std::span<T> all) {
        fill_delta_orthogonal(all, block.shape, spec.scale, spec.column_axis, stream, whole);
      });
    }
    void operator()(const Eye&) const { internal::fill_scaled_eye_block("fill_eye", out, dtype, count, block, 1.0); }
    void operator()(const Identity& spec) const {
      internal::fill_scaled_eye_block("fill_identity", out, dtype, count, block, spec.gain);
    }
    void operator()(const Dirac& spec) const { internal::fill_dirac_block(out, dtype, count, block, spec.groups); }
    void operator()(const Sparse& spec) const {
      internal::fill_sparse_block(out, dtype, count, block, spec.sparsity, spec.std, stream, options);
    }
  };
  std::visit(Filler{out, count, dtype, block, stream, options, whole}, initializer);
}

}  // namespace

void fill_block(std::span<float> out, const TensorBlock& block, const StructuredInitializer& initializer,
                const Stream& stream, const BlockFillOptions& options) {
  structured_block(out.data(), out.size(), DType::f32, block, initializer, stream, options);
}
void fill_block(std::span<double> out, const TensorBlock& block, const StructuredInitializer& initializer,
                const Stream& stream, const BlockFillOptions& options) {
  structured_block(out.data(), out.size(), DType::f64, block, initializer, stream, options);
}
void fill_block(std::span<bfloat16> out, const TensorBlock& block, const StructuredInitializer& initializer,
                const Stream& stream, const BlockFillOptions& options) {
  structured_block(out.data(), out.size(), DType::bf16, block, initializer, stream, options);
}
void fill_block(std::span<float16> out, const TensorBlock& block, const StructuredInitializer& initializer,
                const Stream& stream, const BlockFillOptions& options) {
  structured_block(out.data(), out.size(), DType::f16, block, initializer, stream, options);
}

void fill_block(void* data, DType dtype, std::size_t count, const TensorBlock& block,
                const StructuredInitializer& initializer, const Stream& stream, const BlockFillOptions& options) {
  switch (dtype) {
    case DType::f32: return fill_block(std::span(static_cast<float*>(data), count), block, initializer, stream, options);
    case DType::f64: return fill_block(std::span(static_cast<double*>(data), count), block, initializer, stream, options);
    case DType::bf16:
      return fill_block(std::span(static_cast<bfloat16*>(data), count), block, initializer, stream, options);
    case DType::f16:
      return fill_block(std::span(static_cast<float16*>(data), count), block, initializer, stream, options);
  }
  throw invalid_argument("nninit::fill_block: dtype (" + std::to_string(static_cast<int>(dtype)) + ") is not a DType");
}

}  // namespace nninit
