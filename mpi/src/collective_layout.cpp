// collective_layout.cpp — the assignment of the checkpoint's bytes to ranks.
#include "collective_layout.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "safetensors_writer.hpp"

namespace nninit::mpi {

std::vector<TensorBlock> split_block(const TensorBlock& block, std::uint64_t max_elements) {
  std::vector<TensorBlock> pieces;
  max_elements = std::max<std::uint64_t>(1, max_elements);
  const std::size_t rank = block.shape.size();
  if (block_element_count(block) == 0) return pieces;
  if (rank == 0) {
    pieces.push_back(block);
    return pieces;
  }
  // The outermost dimension p whose inner part (the block's extents after p) fits.
  std::size_t p = 0;
  std::uint64_t inner = 1;
  for (;; ++p) {
    inner = 1;
    for (std::size_t d = p + 1; d < rank; ++d) inner *= static_cast<std::uint64_t>(block.extent[d]);
    if (inner <= max_elements) break;
  }
  const auto step = static_cast<std::int64_t>(std::max<std::uint64_t>(1, max_elements / inner));
  std::vector<std::int64_t> outer(p, 0);  // indices in the dimensions before p, relative to start
  for (;;) {
    for (std::int64_t first = 0; first < block.extent[p]; first += step) {
      TensorBlock piece = block;
      for (std::size_t d = 0; d < p; ++d) {
        piece.start[d] = block.start[d] + outer[d];
        piece.extent[d] = 1;
      }
      piece.start[p] = block.start[p] + first;
      piece.extent[p] = std::min(step, block.extent[p] - first);
      pieces.push_back(std::move(piece));
    }
    std::size_t d = p;
    while (d > 0 && ++outer[d - 1] == block.extent[d - 1]) outer[--d] = 0;
    if (d == 0) return pieces;
  }
}

namespace {

std::uint64_t tensor_bytes(const PlannedParameter& planned) {
  return block_element_count(whole_tensor(planned.parameter->shape)) * dtype_size(planned.parameter->dtype);
}

}  // namespace

CollectiveLayout layout_checkpoint(const cli::ModelSpec& spec, const std::vector<PlannedParameter>& plan,
                                   int world_size) {
  if (world_size < 1) throw std::invalid_argument("layout_checkpoint: world_size must be at least 1");
  CollectiveLayout layout;
  std::vector<cli::SafetensorsEntry> tensors;
  tensors.reserve(plan.size());
  for (const PlannedParameter& planned : plan) {
    tensors.push_back({planned.parameter->name, planned.parameter->dtype, planned.parameter->shape});
  }
  layout.header = cli::safetensors_header(tensors, cli::checkpoint_metadata(spec));
  std::uint64_t offset = layout.header.size();
  for (const PlannedParameter& planned : plan) {
    layout.data_offset.push_back(offset);
    offset += tensor_bytes(planned);
  }
  layout.file_bytes = offset;

  layout.owner.assign(plan.size(), -1);
  layout.rank_bytes.assign(static_cast<std::size_t>(world_size), 0);
  std::vector<std::size_t> whole;  // tensors given whole to one rank
  for (std::size_t t = 0; t < plan.size(); ++t) {
    if (!plan[t].split_across_ranks()) {
      whole.push_back(t);
      continue;
    }
    const std::uint64_t element_size = dtype_size(plan[t].parameter->dtype);
    for (int r = 0; r < world_size; ++r) {
      const TensorBlock block = shard_block(plan[t].parameter->shape, *plan[t].parameter->shard_dim, world_size, r);
      layout.rank_bytes[static_cast<std::size_t>(r)] += block_element_count(block) * element_size;
    }
  }
  std::stable_sort(whole.begin(), whole.end(),
                   [&](std::size_t a, std::size_t b) { return tensor_bytes(plan[a]) > tensor_bytes(plan[b]); });
  for (const std::size_t t : whole) {
    const auto least = std::min_element(layout.rank_bytes.begin(), layout.rank_bytes.end());
    layout.owner[t] = static_cast<int>(least - layout.rank_bytes.begin());
    *least += tensor_bytes(plan[t]);
  }
  return layout;
}

std::optional<TensorBlock> block_of_rank(const CollectiveLayout& layout, const std::vector<PlannedParameter>& plan,
                                         std::size_t tensor, int rank, int world_size) {
  const cli::ParameterSpec& parameter = *plan.at(tensor).parameter;
  if (layout.owner.at(tensor) >= 0) {
    if (layout.owner[tensor] != rank) return std::nullopt;
    return whole_tensor(parameter.shape);
  }
  return shard_block(parameter.shape, *parameter.shard_dim, world_size, rank);
}

std::vector<Batch> batches_of_rank(const CollectiveLayout& layout, const std::vector<PlannedParameter>& plan,
                                   int rank, int world_size, std::uint64_t batch_bytes) {
  std::vector<Batch> batches;
  Batch current;
  for (std::size_t t = 0; t < plan.size(); ++t) {
    const std::uint64_t element_size = dtype_size(plan[t].parameter->dtype);
    const std::optional<TensorBlock> block = block_of_rank(layout, plan, t, rank, world_size);
    if (!block) continue;
    for (TensorBlock& sub : split_block(*block, batch_bytes / element_size)) {
      Piece piece{t, std::move(sub), 0};
      piece.bytes = block_element_count(piece.block) * element_size;
      if (!current.pieces.empty() && current.bytes + piece.bytes > batch_bytes) {
        batches.push_back(std::move(current));
        current = Batch{};
      }
      current.bytes += piece.bytes;
      current.pieces.push_back(std::move(piece));
    }
  }
  if (!current.pieces.empty()) batches.push_back(std::move(current));
  return batches;
}

}  // namespace nninit::mpi
