// fill_dispatch.cpp — structured fills by dtype, and element-wise fills of a
// block chunk by chunk.
#include "fill_dispatch.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "arguments.hpp"
#include "nninit/fill.hpp"
#include "nninit/identity_like.hpp"
#include "nninit/orthogonal.hpp"
#include "nninit/sparse.hpp"

namespace nninit::cli {
namespace {

// Fills `values` with the structured initializer: the whole tensor, or for
// sparse the elements [offset, offset + values.size()).
template <typename T>
void fill_structured_as(std::span<T> values, const std::vector<std::int64_t>& shape,
                        const StructuredInitializer& initializer, std::uint64_t offset, const Stream& stream,
                        int threads) {
  const FillOptions whole{.offset = 0, .threads = threads};
  struct Filler {
    std::span<T> values;
    const std::vector<std::int64_t>& shape;
    std::uint64_t offset;
    const Stream& stream;
    FillOptions whole;
    void operator()(const Orthogonal& spec) const { fill_orthogonal(values, shape, spec, stream, whole); }
    void operator()(const Eye&) const { fill_eye(values, shape); }
    void operator()(const Identity& spec) const { fill_identity(values, shape, spec.gain); }
    void operator()(const Dirac& spec) const { fill_dirac(values, shape, spec.groups); }
    void operator()(const DeltaOrthogonal& spec) const {
      fill_delta_orthogonal(values, shape, spec.scale, spec.column_axis, stream, whole);
    }
    void operator()(const Sparse& spec) const {
      fill_sparse(values, shape, spec.sparsity, spec.std, stream,
                  FillOptions{.offset = offset, .threads = whole.threads});
    }
  };
  std::visit(Filler{values, shape, offset, stream, whole}, initializer);
}

template <typename T>
std::vector<unsigned char> structured_bytes_as(const StructuredInitializer& initializer,
                                               const std::vector<std::int64_t>& shape, std::uint64_t offset,
                                               std::uint64_t count, const Stream& stream, int threads) {
  std::uint64_t total = 1;
  for (const std::int64_t d : shape) total *= static_cast<std::uint64_t>(d);
  const bool block_only = std::holds_alternative<Sparse>(initializer);
  const std::uint64_t filled = block_only ? count : total;
  if (filled > std::numeric_limits<std::size_t>::max() / sizeof(T) / 2) {
    throw UsageError("--shape " + format_shape(shape) + ": " + std::to_string(filled) +
                     " elements are more than this machine can hold");
  }
  std::vector<T> values(static_cast<std::size_t>(filled));
  fill_structured_as(std::span<T>(values), shape, initializer, block_only ? offset : 0, stream, threads);
  const std::size_t first = block_only ? 0 : static_cast<std::size_t>(offset);
  std::vector<unsigned char> bytes(static_cast<std::size_t>(count) * sizeof(T));
  if (!bytes.empty()) std::memcpy(bytes.data(), values.data() + first, bytes.size());
  return bytes;
}

}  // namespace

std::vector<unsigned char> structured_bytes(DType dtype, const StructuredInitializer& initializer,
                                            const std::vector<std::int64_t>& shape, std::uint64_t offset,
                                            std::uint64_t count, const Stream& stream, int threads) {
  switch (dtype) {
    case DType::f32: return structured_bytes_as<float>(initializer, shape, offset, count, stream, threads);
    case DType::f64: return structured_bytes_as<double>(initializer, shape, offset, count, stream, threads);
    case DType::bf16: return structured_bytes_as<bfloat16>(initializer, shape, offset, count, stream, threads);
    case DType::f16: return structured_bytes_as<float16>(initializer, shape, offset, count, stream, threads);
  }
  throw UsageError("--dtype: unknown element type");
}

ChunkedFill ChunkedFill::block(DType dtype, const Distribution& distribution, TensorBlock block,
                               const Stream& stream, int threads) {
  ChunkedFill fill;
  fill.dtype_ = dtype;
  fill.distribution_ = distribution;
  fill.stream_ = stream;
  fill.threads_ = threads;
  fill.total_bytes_ = block_element_count(block) * dtype_size(dtype);
  fill.block_ = std::move(block);
  const TensorBlock& b = fill.block_;
  const std::size_t rank = b.shape.size();
  if (rank == 0) return fill;  // one element, one piece: the block itself
  if (std::find(b.extent.begin(), b.extent.end(), 0) != b.extent.end()) {
    fill.done_ = true;
    return fill;
  }
  // The first dimension whose inner part (the dimensions after it) fits in a chunk.
  for (std::size_t p = 0;; ++p) {
    std::uint64_t inner = 1;
    for (std::size_t d = p + 1; d < rank; ++d) inner *= static_cast<std::uint64_t>(b.extent[d]);
    if (inner <= chunk_elements) {
      fill.pivot_ = p;
      fill.step_ = static_cast<std::int64_t>(std::max<std::uint64_t>(1, chunk_elements / inner));
      fill.outer_.assign(p, 0);
      return fill;
    }
  }
}

ChunkedFill ChunkedFill::bytes(std::vector<unsigned char> bytes) {
  ChunkedFill fill;
  fill.precomputed_ = true;
  fill.total_bytes_ = bytes.size();
  fill.precomputed_bytes_ = std::move(bytes);
  return fill;
}

ChunkedFill ChunkedFill::of(DType dtype, const ResolvedInitializer& initializer, TensorBlock block,
                            const Stream& stream, int threads) {
  if (!initializer.is_structured()) return ChunkedFill::block(dtype, initializer.distribution, std::move(block), stream, threads);
  const std::uint64_t count = block_element_count(block);
  if (block == whole_tensor(block.shape)) {
    return ChunkedFill::bytes(structured_bytes(dtype, *initializer.structured, block.shape, 0, count, stream, threads));
  }
  // A shard: the library gives that block of the whole tensor.
  if (count > std::numeric_limits<std::size_t>::max() / dtype_size(dtype)) {
    throw UsageError("--shape " + format_shape(block.shape) + ": the block's " + std::to_string(count) +
                     " elements are more than this machine can hold");
  }
  std::vector<unsigned char> bytes(static_cast<std::size_t>(count) * dtype_size(dtype));
  fill_block(bytes.data(), dtype, static_cast<std::size_t>(count), block, *initializer.structured, stream,
             BlockFillOptions{.threads = threads});
  return ChunkedFill::bytes(std::move(bytes));
}

bool ChunkedFill::next_piece(TensorBlock& piece) {
  if (done_) return false;
  piece = block_;
  if (block_.shape.empty()) {
    done_ = true;
    return true;
  }
  const std::size_t p = pivot_;
  for (std::size_t d = 0; d < p; ++d) {
    piece.start[d] = block_.start[d] + outer_[d];
    piece.extent[d] = 1;
  }
  piece.start[p] = block_.start[p] + first_;
  piece.extent[p] = std::min(step_, block_.extent[p] - first_);
  first_ += step_;
  if (first_ >= block_.extent[p]) {
    first_ = 0;
    std::size_t d = p;
    while (d > 0 && ++outer_[d - 1] == block_.extent[d - 1]) outer_[--d] = 0;
    if (d == 0) done_ = true;
  }
  return true;
}

std::span<const unsigned char> ChunkedFill::next() {
  if (precomputed_) {
    const std::uint64_t left = precomputed_bytes_.size() - handed_out_;
    const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk_elements * 8));
    const std::span<const unsigned char> chunk(precomputed_bytes_.data() + handed_out_, length);
    handed_out_ += length;
    return chunk;
  }
  TensorBlock piece;
  if (!next_piece(piece)) return {};
  const auto count = static_cast<std::size_t>(block_element_count(piece));
  const std::size_t bytes = count * dtype_size(dtype_);
  if (buffer_words_ * 8 < bytes) {
    buffer_words_ = (bytes + 7) / 8;
    buffer_.reset(new std::uint64_t[buffer_words_]);  // default-initialised: no zeroing pass
  }
  fill_block(buffer_.get(), dtype_, count, piece, distribution_, stream_, BlockFillOptions{.threads = threads_});
  return {reinterpret_cast<const unsigned char*>(buffer_.get()), bytes};
}

}  // namespace nninit::cli
