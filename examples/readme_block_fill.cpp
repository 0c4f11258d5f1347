// README.md, "Blocks and shards": a column shard of an embedding and a
// Xavier weight split for tensor parallelism, each equal to its part of the
// whole fill. Exits non-zero if a part differs.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "nninit/nninit.hpp"

int main() {
  int failures = 0;
  const std::vector<std::int64_t> shape{50257, 768};
  std::vector<float> whole(50257 * 768);
  nninit::fill(std::span(whole), nninit::Normal{0, 0.02}, nninit::Stream::named(42, "wte"));
  for (int rank = 0; rank < 4; ++rank) {
// [README.md]
// Rank `rank` of 4 fills columns [192 rank, 192 (rank + 1)) of GPT-2's token
// embedding: the same values as those columns of the whole tensor.
nninit::TensorBlock part = nninit::shard_block({50257, 768}, /*dim=*/1, /*parts=*/4, rank);
std::vector<float> wte(nninit::block_element_count(part));
nninit::fill_block(std::span(wte), part, nninit::Normal{0, 0.02}, nninit::Stream::named(42, "wte"));

// A fan-based initializer takes its fans from the whole [4096, 4096] weight,
// whatever the split: every shard has the whole tensor's Xavier bound.
nninit::TensorBlock rows = nninit::shard_block({4096, 4096}, 0, 4, rank);
std::vector<float> wq(nninit::block_element_count(rows));
nninit::fill_block(wq.data(), nninit::DType::f32, wq.size(), rows,
                   [](nninit::Fans fans) { return nninit::Distribution(nninit::torch::xavier_uniform(fans)); },
                   nninit::Layout::torch, nninit::Stream::named(42, "layers.0.attn.wq"));
// [end README.md]
    for (std::size_t r = 0; r < 50257; ++r) {
      if (std::memcmp(&wte[r * 192], &whole[r * 768 + 192 * static_cast<std::size_t>(rank)], 192 * sizeof(float)) != 0) {
        std::printf("FAILED: rank %d row %zu of the column shard\n", rank, r);
        ++failures;
        break;
      }
    }
    const double bound = std::sqrt(6.0 / (4096 + 4096));
    for (const float v : wq) {
      if (!(std::fabs(v) <= bound)) {
        std::printf("FAILED: rank %d: %g beyond the whole tensor's Xavier bound %g\n", rank, v, bound);
        ++failures;
        break;
      }
    }
  }
  std::printf("%s\n", failures == 0 ? "every shard equals its part of the whole" : "shards differ");
  return failures == 0 ? 0 : 1;
}
