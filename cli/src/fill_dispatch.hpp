// fill_dispatch.hpp — a resolved initializer (initializers_by_name.hpp) and a
// dtype turned into the bytes the commands write, chunk by chunk: `nninit
// fill` (a 1-D slice of the flattened tensor) and `nninit init` (a block of
// each parameter) both go through it, so they give the same bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "initializers_by_name.hpp"
#include "nninit/block_fill.hpp"
#include "nninit/dtype.hpp"
#include "nninit/stream.hpp"

namespace nninit::cli {

// The elements [offset, offset + count) (flat, C order) of a structured
// initializer's tensor of `shape`, as raw little-endian bytes of `dtype`.
// Sparse fills just that part; the others depend on the tensor as a whole
// and fill all of it first. Throws std::invalid_argument (the library's,
// naming the parameter and value) when the initializer rejects the shape or
// a value, UsageError when the tensor is more than memory can hold.
std::vector<unsigned char> structured_bytes(DType dtype, const StructuredInitializer& initializer,
                                            const std::vector<std::int64_t>& shape, std::uint64_t offset,
                                            std::uint64_t count, const Stream& stream, int threads);

// The values of one tensor (or part of it), produced a chunk at a time, so
// that a writer holds one chunk whatever the tensor's size. Example:
//   ChunkedFill values = ChunkedFill::block(DType::f32, Normal{0, 0.02}, whole_tensor({768, 3072}), stream, 0);
//   for (auto bytes = values.next(); !bytes.empty(); bytes = values.next()) out.write(bytes.data(), bytes.size());
class ChunkedFill {
 public:
  // Elements per chunk of an element-wise fill.
  static constexpr std::uint64_t chunk_elements = std::uint64_t{1} << 22;

  // The block `block` of an element-wise fill with `distribution`, in the
  // block's C order, in pieces of at most chunk_elements elements (at least
  // one row segment each). The block must be valid (check_block).
  static ChunkedFill block(DType dtype, const Distribution& distribution, TensorBlock block, const Stream& stream,
                           int threads);
  // Bytes computed already (structured_bytes), handed out in chunks.
  static ChunkedFill bytes(std::vector<unsigned char> bytes);
  // The part `block` of a parameter filled with `initializer`: element-wise
  // initializers as block(); structured ones computed here, at once, for the
  // whole tensor, which `block` must be (structured tensors are not split).
  static ChunkedFill of(DType dtype, const ResolvedInitializer& initializer, TensorBlock block, const Stream& stream,
                        int threads);

  // The next chunk's bytes (valid until the next call); empty at the end.
  std::span<const unsigned char> next();
  // Bytes of all chunks together.
  std::uint64_t total_bytes() const noexcept { return total_bytes_; }

 private:
  ChunkedFill() = default;
  bool next_piece(TensorBlock& piece);

  DType dtype_ = DType::f32;
  Distribution distribution_{};
  TensorBlock block_;
  Stream stream_{};
  int threads_ = 0;
  std::uint64_t total_bytes_ = 0;
  bool precomputed_ = false;
  std::vector<unsigned char> precomputed_bytes_;
  std::uint64_t handed_out_ = 0;  // bytes of precomputed_bytes_ returned so far
  // The walk over the block: dimension pivot_ is cut in steps of step_; the
  // dimensions before it advance one index at a time (outer_).
  bool done_ = false;
  std::size_t pivot_ = 0;
  std::int64_t step_ = 1;
  std::int64_t first_ = 0;
  std::vector<std::int64_t> outer_;
  // 8-byte aligned for every dtype; left uninitialised (every chunk is
  // filled before it is handed out), so a new tensor does not zero it.
  std::unique_ptr<std::uint64_t[]> buffer_;
  std::size_t buffer_words_ = 0;
};

}  // namespace nninit::cli
