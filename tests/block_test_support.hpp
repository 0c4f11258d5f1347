// block_test_support.hpp — helpers shared by the block-fill tests: a block
// cut out of a whole tensor, and bit-for-bit comparison of vectors.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "nninit/block_fill.hpp"

namespace nninit::testing {

// The block cut out of `whole` (the whole tensor of block.shape, C order),
// in the block's C order.
template <class T>
std::vector<T> cut(const std::vector<T>& whole, const TensorBlock& block) {
  std::vector<T> out;
  const std::size_t rank = block.shape.size();
  if (rank == 0) return whole;
  for (const auto e : block.extent) {
    if (e == 0) return out;
  }
  std::vector<std::int64_t> index(rank, 0);
  while (true) {
    std::uint64_t linear = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      linear = linear * static_cast<std::uint64_t>(block.shape[d]) + static_cast<std::uint64_t>(block.start[d] + index[d]);
    }
    out.push_back(whole[linear]);
    std::size_t d = rank;
    while (d > 0) {
      --d;
      if (++index[d] < block.extent[d]) break;
      index[d] = 0;
      if (d == 0) return out;
    }
  }
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

}  // namespace nninit::testing
