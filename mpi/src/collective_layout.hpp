// collective_layout.hpp — who fills and writes which bytes of the one
// checkpoint a job of W ranks writes together (no MPI here: a pure function
// of the plan and W, the same on every rank).
//
//   - the file is exactly `nninit init`'s: header (8-byte length + JSON), then
//     every tensor's bytes in spec order;
//   - a parameter split across ranks (PlannedParameter::split_across_ranks)
//     gives rank r its shard_block(shape, shard_dim, W, r): rows of the file
//     for shard_dim 0, a strided region for any other dimension;
//   - every other parameter is given whole to one rank: in order of
//     decreasing bytes (ties: spec order), each to the rank with the fewest
//     bytes so far (ties: the lowest rank), counting the shards first;
//   - a rank's blocks are cut into pieces (sub-blocks of at most
//     piece_bytes, each contiguous in the block's C order) and the pieces,
//     in file order, into batches of at most batch_bytes: one batch is what
//     a rank fills and writes in one collective round.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nninit/block_fill.hpp"
#include "spec_plan.hpp"

namespace nninit::mpi {

// Bytes a rank fills and writes per collective round (its buffer).
inline constexpr std::uint64_t default_batch_bytes = std::uint64_t{1} << 24;

struct Piece {
  std::size_t tensor = 0;  // index into the plan
  TensorBlock block;       // a sub-block of the tensor, contiguous in its rank's block
  std::uint64_t bytes = 0;
};

struct Batch {
  std::vector<Piece> pieces;  // in file order
  std::uint64_t bytes = 0;
};

struct CollectiveLayout {
  std::string header;                      // bytes [0, header.size()) of the file, written by rank 0
  std::vector<std::uint64_t> data_offset;  // per tensor: where its bytes start in the file
  std::vector<int> owner;                  // per tensor: the rank filling it whole, or -1 when split
  std::vector<std::uint64_t> rank_bytes;   // per rank: bytes it fills and writes
  std::uint64_t file_bytes = 0;
};

// The layout of the checkpoint of `plan` (from plan_parameters(spec)) for
// `world_size` ranks. std::invalid_argument if world_size < 1.
CollectiveLayout layout_checkpoint(const cli::ModelSpec& spec, const std::vector<PlannedParameter>& plan,
                                   int world_size);

// The block of tensor `tensor` that `rank` fills; nullopt when it fills
// none of it (a 0-D tensor has no empty block). A shard may be empty.
std::optional<TensorBlock> block_of_rank(const CollectiveLayout& layout, const std::vector<PlannedParameter>& plan,
                          std::size_t tensor, int rank, int world_size);

// Rank `rank`'s batches, in file order, each of at most batch_bytes (a
// piece is at most batch_bytes, or one element when an element is larger).
std::vector<Batch> batches_of_rank(const CollectiveLayout& layout, const std::vector<PlannedParameter>& plan,
                                   int rank, int world_size, std::uint64_t batch_bytes = default_batch_bytes);

// The sub-blocks of `block`, in its C order, each contiguous in the block and
// of at most max(1, max_elements) elements; none for an empty block.
std::vector<TensorBlock> split_block(const TensorBlock& block, std::uint64_t max_elements);

}  // namespace nninit::mpi
