// README.md, "Blocks and shards": shards of structured tensors (an LSTM's
// orthogonal recurrent weight split by rows, a sparse weight split by
// columns), each equal to its part of the whole fill. Exits non-zero if a
// part differs.
#include <cstdio>
#include <cstring>
#include <vector>

#include "nninit/nninit.hpp"

int main() {
  int failures = 0;
  std::vector<float> whole_hh(2048 * 512), whole_sparse(1024 * 256);
  nninit::fill_orthogonal(std::span(whole_hh), std::vector<std::int64_t>{2048, 512}, nninit::torch::orthogonal(),
                          nninit::Stream::named(0, "lstm.weight_hh"));
  nninit::fill_sparse(std::span(whole_sparse), std::vector<std::int64_t>{1024, 256}, 0.9, 0.01,
                      nninit::Stream::named(0, "fc.weight"));
  for (int rank = 0; rank < 4; ++rank) {
// [README.md]
// Rank `rank` of 4 takes rows [512 rank, 512 (rank + 1)) of an LSTM's
// orthogonal [4 x 512, 512] recurrent weight (computed whole, then cut),
// and columns [64 rank, 64 (rank + 1)) of a sparse weight (computed in the
// block): the same values as those parts of the whole tensors.
nninit::TensorBlock gates = nninit::shard_block({2048, 512}, 0, 4, rank);
std::vector<float> hh(nninit::block_element_count(gates));
nninit::fill_block(std::span(hh), gates, nninit::torch::orthogonal(), nninit::Stream::named(0, "lstm.weight_hh"));

nninit::TensorBlock columns = nninit::shard_block({1024, 256}, 1, 4, rank);
std::vector<float> fc(nninit::block_element_count(columns));
nninit::fill_block(std::span(fc), columns, nninit::Sparse{.sparsity = 0.9, .std = 0.01},
                   nninit::Stream::named(0, "fc.weight"));
// [end README.md]
    const auto first_row = static_cast<std::size_t>(rank) * 512 * 512;
    if (std::memcmp(hh.data(), &whole_hh[first_row], hh.size() * sizeof(float)) != 0) {
      std::printf("FAILED: rank %d's rows of the orthogonal weight\n", rank);
      ++failures;
    }
    for (std::size_t r = 0; r < 1024; ++r) {
      if (std::memcmp(&fc[r * 64], &whole_sparse[r * 256 + 64 * static_cast<std::size_t>(rank)], 64 * sizeof(float)) != 0) {
        std::printf("FAILED: rank %d row %zu of the sparse column shard\n", rank, r);
        ++failures;
        break;
      }
    }
  }
  std::printf("%s\n", failures == 0 ? "every shard equals its part of the whole" : "shards differ");
  return failures == 0 ? 0 : 1;
}
