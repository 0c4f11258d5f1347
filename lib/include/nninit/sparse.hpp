// nninit/sparse.hpp — torch.nn.init.sparse_ (Martens 2010): a 2-D weight whose
// every column has exactly ceil(sparsity * rows) zeros, the other entries
// N(0, std^2), reproducible to the bit and fillable block by block.
#pragma once

#include <cstdint>
#include <span>

#include "nninit/dtype.hpp"
#include "nninit/fill.hpp"
#include "nninit/stream.hpp"

namespace nninit {

// Fills `out`, the elements [options.offset, options.offset + out.size()) of a
// (rows x cols) = shape tensor in C order, as torch.nn.init.sparse_(tensor,
// sparsity, std) defines it: every element is nninit's Normal{0, std} fill of
// `stream` (element index = flat index, the bits of nninit::fill), then in
// every column c the rows of the first z = ceil(sparsity * rows) positions of
// a uniformly random permutation of the rows are set to zero.
// The permutation of column c is a partial Fisher–Yates shuffle: step t
// (0 <= t < z) swaps position t with t + floor(w * (rows - t) / 2^64), where w
// is the 64-bit word q = c * z + t of the stream's blocks from 2^63 on (block
// 2^63 + q / 2; words (0, 1) for even q, (2, 3) for odd, low word first) —
// far above the blocks the normal draw reads, so the two never share a word.
// (The integer map has a bias below rows / 2^64.) Any block of the tensor
// filled on its own equals that block of the whole fill.
// Throws nninit::invalid_argument, writing nothing, unless the shape has 2
// non-negative dimensions, 0 <= sparsity <= 1, std is finite and >= 0,
// offset + out.size() <= rows * cols, and threads >= 0.
// Example: nninit::fill_sparse(std::span(w), {512, 256}, 0.9, 0.01, stream);
void fill_sparse(std::span<float> out, std::span<const std::int64_t> shape, double sparsity, double std,
                 const Stream& stream, const FillOptions& options = {});
void fill_sparse(std::span<double> out, std::span<const std::int64_t> shape, double sparsity, double std,
                 const Stream& stream, const FillOptions& options = {});
void fill_sparse(std::span<bfloat16> out, std::span<const std::int64_t> shape, double sparsity, double std,
                 const Stream& stream, const FillOptions& options = {});
void fill_sparse(std::span<float16> out, std::span<const std::int64_t> shape, double sparsity, double std,
                 const Stream& stream, const FillOptions& options = {});

// The number of zeros per column: ceil(sparsity * rows), as PyTorch computes
// it (math.ceil of the double product). Example: sparse_zeros_per_column(10, 0.25) == 3.
std::uint64_t sparse_zeros_per_column(std::uint64_t rows, double sparsity);

}  // namespace nninit
