// sparse_block.hpp — a block of a torch.nn.init.sparse_ tensor on its own
// (nninit/structured_block.hpp is the public entry).
#pragma once

#include <cstddef>

#include "nninit/block_fill.hpp"
#include "nninit/dtype.hpp"
#include "nninit/stream.hpp"

namespace nninit::internal {

// Fills the block of the (rows x cols) = block.shape sparse tensor: the
// block's Normal{0, std} draws, then the zeros of the block's columns that
// fall in its rows. Equal to that block of fill_sparse's whole fill. Throws
// nninit::invalid_argument, writing nothing, for what fill_block or
// fill_sparse refuses.
void fill_sparse_block(void* data, DType dtype, std::size_t count, const TensorBlock& block, double sparsity,
                       double std, const Stream& stream, const BlockFillOptions& options);

}  // namespace nninit::internal
