// identity_like_block.hpp — blocks of the identity-like tensors (eye, Keras
// identity, dirac) computed on their own (nninit/structured_block.hpp is the
// public entry).
#pragma once

#include <cstddef>

#include "nninit/block_fill.hpp"
#include "nninit/dtype.hpp"

namespace nninit::internal {

// The block of gain x eye(block.shape): zeros, and gain (in the dtype, as
// fill_identity rounds it) where row == column. `function` names the whole
// fill in errors ("fill_eye", "fill_identity"). Throws
// nninit::invalid_argument, writing nothing, for a bad block or count, a
// shape that is not 2-D, a gain that is not finite.
void fill_scaled_eye_block(const char* function, void* data, DType dtype, std::size_t count,
                           const TensorBlock& block, double gain);

// The block of dirac(block.shape, groups), as fill_dirac defines it. Throws
// as fill_dirac does, and for a bad block or count.
void fill_dirac_block(void* data, DType dtype, std::size_t count, const TensorBlock& block, int groups);

}  // namespace nninit::internal
