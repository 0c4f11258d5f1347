// collective_layout_test.cpp — the assignment of a checkpoint's bytes to
// ranks (collective_layout.hpp), without MPI: every element of every tensor
// is written by exactly one rank, at the offset `nninit init` gives it;
// batches stay within their budget and in file order; whole tensors are
// balanced by the documented rule.
#include "collective_layout.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model_spec.hpp"
#include "safetensors_writer.hpp"
#include "spec_plan.hpp"

namespace nninit::mpi {
namespace {

const char* const spec_text = R"({"seed": 3, "parameters": [
  {"name": "rows", "shape": [50, 8], "dtype": "bf16", "init": "normal", "shard_dim": 0},
  {"name": "cols", "shape": [6, 10], "init": "normal", "shard_dim": 1},
  {"name": "mid", "shape": [3, 7, 9], "dtype": "f16", "init": "uniform", "shard_dim": 1},
  {"name": "few", "shape": [5], "dtype": "f64", "init": "normal", "shard_dim": 0},
  {"name": "big_whole", "shape": [40, 40], "init": "normal"},
  {"name": "small_whole", "shape": [3], "init": "zeros"},
  {"name": "orth", "shape": [8, 8], "init": "torch.orthogonal", "shard_dim": 0},
  {"name": "scalar", "shape": [], "init": "constant", "params": {"value": 1}},
  {"name": "empty", "shape": [0, 4], "init": "normal", "shard_dim": 1}]})";

// Element index (C order of the whole tensor) of each element of `block`.
std::vector<std::uint64_t> element_indices(const TensorBlock& block) {
  std::vector<std::uint64_t> indices;
  if (block_element_count(block) == 0) return indices;
  const std::size_t rank = block.shape.size();
  std::vector<std::int64_t> at(block.start);
  for (;;) {
    std::uint64_t index = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      index = index * static_cast<std::uint64_t>(block.shape[d]) + static_cast<std::uint64_t>(at[d]);
    }
    indices.push_back(index);
    std::size_t d = rank;
    while (d > 0) {
      --d;
      if (++at[d] < block.start[d] + block.extent[d]) break;
      at[d] = block.start[d];
      if (d == 0) return indices;
    }
    if (rank == 0) return indices;
  }
}

TEST(CollectiveLayout, EveryElementWrittenOnceAtItsOffsetForOneToFiveRanks) {
  const cli::ModelSpec spec = cli::parse_model_spec(spec_text, "test");
  const std::vector<PlannedParameter> plan = plan_parameters(spec);
  std::vector<cli::SafetensorsEntry> tensors;
  for (const auto& p : spec.parameters) tensors.push_back({p.name, p.dtype, p.shape});
  const std::string header = cli::safetensors_header(tensors, checkpoint_metadata(spec));
  for (int world = 1; world <= 5; ++world) {
    for (const std::uint64_t batch_bytes : {std::uint64_t{8}, std::uint64_t{100}, default_batch_bytes}) {
      const CollectiveLayout layout = layout_checkpoint(spec, plan, world);
      ASSERT_EQ(layout.header, header);
      std::map<std::size_t, std::multiset<std::uint64_t>> written;  // tensor -> element indices
      std::vector<std::uint64_t> bytes(static_cast<std::size_t>(world), 0);
      for (int rank = 0; rank < world; ++rank) {
        std::pair<std::size_t, std::uint64_t> last{0, 0};
        bool first = true;
        for (const Batch& batch : batches_of_rank(layout, plan, rank, world, batch_bytes)) {
          std::uint64_t sum = 0;
          for (const Piece& piece : batch.pieces) {
            sum += piece.bytes;
            const auto indices = element_indices(piece.block);
            ASSERT_FALSE(indices.empty());
            // pieces in file order on each rank
            const std::pair<std::size_t, std::uint64_t> here{piece.tensor, indices.front()};
            EXPECT_TRUE(first || here > last) << "rank " << rank << " tensor " << piece.tensor;
            first = false;
            last = {piece.tensor, indices.back()};
            written[piece.tensor].insert(indices.begin(), indices.end());
            bytes[static_cast<std::size_t>(rank)] += piece.bytes;
          }
          EXPECT_EQ(sum, batch.bytes);
          EXPECT_TRUE(batch.bytes <= batch_bytes || batch.pieces.size() == 1) << batch.bytes;
        }
      }
      EXPECT_EQ(bytes, layout.rank_bytes) << world;
      std::uint64_t offset = header.size();
      for (std::size_t t = 0; t < plan.size(); ++t) {
        EXPECT_EQ(layout.data_offset[t], offset) << t;
        const std::uint64_t count = block_element_count(whole_tensor(spec.parameters[t].shape));
        offset += count * dtype_size(spec.parameters[t].dtype);
        const std::multiset<std::uint64_t>& seen = written[t];
        ASSERT_EQ(seen.size(), count) << spec.parameters[t].name << " with " << world << " ranks";
        std::uint64_t expected = 0;
        for (const std::uint64_t index : seen) EXPECT_EQ(index, expected++) << spec.parameters[t].name;
      }
      EXPECT_EQ(layout.file_bytes, offset);
    }
  }
}

TEST(CollectiveLayout, SplitsShardedTensorsAndGivesTheOthersWholeByDecreasingSize) {
  const cli::ModelSpec spec = cli::parse_model_spec(spec_text, "test");
  const std::vector<PlannedParameter> plan = plan_parameters(spec);
  const CollectiveLayout layout = layout_checkpoint(spec, plan, 3);
  // split: rows, cols, mid, few, empty; whole: the others (orth is structured)
  const std::vector<int> split = {0, 1, 2, 3, 8};
  for (const int t : split) EXPECT_EQ(layout.owner[static_cast<std::size_t>(t)], -1) << t;
  // shard bytes per rank: rows 17/17/16 x 8 x 2, cols 6 x 4/4/2 x 4, mid 3 x 3/3/1 x 9 x 2, few 2/2/1 x 8
  const std::vector<std::uint64_t> shards = {272 + 96 + 162 + 16, 272 + 96 + 162 + 16, 256 + 48 + 54 + 8};
  // big_whole (6400 bytes) to the rank with the fewest bytes (2), then orth (256) to rank 0,
  // small_whole (12) to rank 1, scalar (4) to rank 1 (rank 1: 546 + 12 < rank 0: 546 + 256)
  EXPECT_EQ(layout.owner[4], 2);
  EXPECT_EQ(layout.owner[6], 0);
  EXPECT_EQ(layout.owner[5], 1);
  EXPECT_EQ(layout.owner[7], 1);
  EXPECT_EQ(layout.rank_bytes, (std::vector<std::uint64_t>{shards[0] + 256, shards[1] + 12 + 4, shards[2] + 6400}));
}

TEST(CollectiveLayout, SplitBlockCoversTheBlockInItsOrder) {
  const TensorBlock block = shard_block({4, 6, 5}, 1, 2, 1);  // rows 3..5 of the middle dimension
  for (const std::uint64_t max : std::initializer_list<std::uint64_t>{1, 4, 5, 14, 15, 16, 1000}) {
    std::vector<std::uint64_t> indices;
    for (const TensorBlock& piece : split_block(block, max)) {
      EXPECT_LE(block_element_count(piece), std::max<std::uint64_t>(max, 1));
      const auto part = element_indices(piece);
      indices.insert(indices.end(), part.begin(), part.end());
    }
    EXPECT_EQ(indices, element_indices(block)) << max;
  }
  EXPECT_TRUE(split_block(shard_block({5}, 0, 4, 3), 8).empty());  // 5 in 4 parts: 2, 2, 1, 0
}

}  // namespace
}  // namespace nninit::mpi
