// block_fill.cpp — blocks of a logical tensor: checking them, the shard
// layouts, and filling a block as runs of consecutive stream indices.
#include "nninit/block_fill.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include <omp.h>

#include "fill_plan.hpp"
#include "nninit/error.hpp"
#include "nninit/fill.hpp"
#include "parallel_plan.hpp"
#include "simd/simd_fill.hpp"

namespace nninit {
namespace {

std::string at(const char* field, std::size_t d) { return std::string(field) + "[" + std::to_string(d) + "]"; }

[[noreturn]] void refuse(const std::string& message) { throw nninit::invalid_argument("nninit::fill_block: " + message); }

// Python-style axis: -1 is the last dimension.
std::size_t normalise_dim(int dim, std::size_t rank, const char* name) {
  const auto r = static_cast<std::int64_t>(rank);
  if (dim < -r || dim >= r) {
    throw nninit::invalid_argument("nninit::shard_block: " + std::string(name) + " (" + std::to_string(dim) +
                                   ") is outside [-" + std::to_string(rank) + ", " + std::to_string(rank) +
                                   ") for a " + std::to_string(rank) + "-D shape");
  }
  return static_cast<std::size_t>(dim < 0 ? dim + r : dim);
}

// Rows [i * c, min(n, (i + 1) * c)) with c = ceil(n / parts): torch.chunk.
void split_dimension(TensorBlock& block, std::size_t d, int parts, int index, const char* parts_name,
                     const char* index_name) {
  if (parts < 1) {
    throw nninit::invalid_argument("nninit::shard_block: " + std::string(parts_name) + " (" + std::to_string(parts) +
                                   ") must be at least 1");
  }
  if (index < 0 || index >= parts) {
    throw nninit::invalid_argument("nninit::shard_block: " + std::string(index_name) + " (" + std::to_string(index) +
                                   ") is outside [0, " + std::to_string(parts) + ")");
  }
  const std::int64_t n = block.shape[d];
  const std::int64_t chunk = n / parts + (n % parts != 0 ? 1 : 0);
  const std::int64_t begin = std::min(n, chunk * index);
  block.start[d] = begin;
  block.extent[d] = std::min(n, begin + chunk) - begin;
}

}  // namespace

TensorBlock whole_tensor(std::span<const std::int64_t> shape) {
  TensorBlock block;
  block.shape.assign(shape.begin(), shape.end());
  block.start.assign(shape.size(), 0);
  block.extent.assign(shape.begin(), shape.end());
  return block;
}
TensorBlock whole_tensor(std::initializer_list<std::int64_t> shape) {
  return whole_tensor(std::span<const std::int64_t>(shape.begin(), shape.size()));
}

void check_block(const TensorBlock& block) {
  const std::size_t rank = block.shape.size();
  if (block.start.size() != rank) {
    refuse("start has " + std::to_string(block.start.size()) + " entries for a " + std::to_string(rank) + "-D shape");
  }
  if (block.extent.size() != rank) {
    refuse("extent has " + std::to_string(block.extent.size()) + " entries for a " + std::to_string(rank) +
           "-D shape");
  }
  std::uint64_t total = 1;
  bool empty = false;
  for (std::size_t d = 0; d < rank; ++d) {
    const std::int64_t n = block.shape[d], s = block.start[d], e = block.extent[d];
    if (n < 0) refuse(at("shape", d) + " (" + std::to_string(n) + ") must not be negative");
    if (s < 0) refuse(at("start", d) + " (" + std::to_string(s) + ") must not be negative");
    if (e < 0) refuse(at("extent", d) + " (" + std::to_string(e) + ") must not be negative");
    if (s > n || e > n - s) {
      refuse(at("start", d) + " (" + std::to_string(s) + ") + " + at("extent", d) + " (" + std::to_string(e) +
             ") exceeds " + at("shape", d) + " (" + std::to_string(n) + ")");
    }
    if (n == 0) empty = true;
    if (!empty && total > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(n)) {
      refuse("the shape has 2^64 elements or more (a stream numbers fewer)");
    }
    if (!empty) total *= static_cast<std::uint64_t>(n);
  }
}

std::uint64_t block_element_count(const TensorBlock& block) {
  check_block(block);
  std::uint64_t count = 1;
  for (const std::int64_t e : block.extent) count *= static_cast<std::uint64_t>(e);
  return count;
}

TensorBlock shard_block(std::span<const std::int64_t> shape, int dim, int parts, int index) {
  TensorBlock block = whole_tensor(shape);
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0) {
      throw nninit::invalid_argument("nninit::shard_block: " + at("shape", d) + " (" + std::to_string(shape[d]) +
                                     ") must not be negative");
    }
  }
  split_dimension(block, normalise_dim(dim, shape.size(), "dim"), parts, index, "parts", "index");
  return block;
}
TensorBlock shard_block(std::initializer_list<std::int64_t> shape, int dim, int parts, int index) {
  return shard_block(std::span<const std::int64_t>(shape.begin(), shape.size()), dim, parts, index);
}

TensorBlock shard_block_2d(std::span<const std::int64_t> shape, int dim_a, int parts_a, int index_a, int dim_b,
                           int parts_b, int index_b) {
  TensorBlock block = shard_block(shape, dim_a, parts_a, index_a);
  const std::size_t a = normalise_dim(dim_a, shape.size(), "dim_a");
  const std::size_t b = normalise_dim(dim_b, shape.size(), "dim_b");
  if (a == b) {
    throw nninit::invalid_argument("nninit::shard_block_2d: dim_a (" + std::to_string(dim_a) + ") and dim_b (" +
                                   std::to_string(dim_b) + ") name the same dimension");
  }
  split_dimension(block, b, parts_b, index_b, "parts_b", "index_b");
  return block;
}

TensorBlock shard_block_2d(std::initializer_list<std::int64_t> shape, int dim_a, int parts_a, int index_a, int dim_b,
                           int parts_b, int index_b) {
  return shard_block_2d(std::span<const std::int64_t>(shape.begin(), shape.size()), dim_a, parts_a, index_a, dim_b,
                        parts_b, index_b);
}

namespace internal {
namespace {

// The block as runs: `runs` runs of `run_length` consecutive stream indices,
// run r starting at first_index(r). The run spans dimension `inner` and every
// dimension after it, which the block covers whole.
class BlockRuns {
 public:
  explicit BlockRuns(const TensorBlock& block) : block_(block) {
    const std::size_t rank = block.shape.size();
    stride_.assign(rank, 1);
    for (std::size_t d = rank; d-- > 1;) stride_[d - 1] = stride_[d] * static_cast<std::uint64_t>(block.shape[d]);
    inner_ = rank == 0 ? 0 : rank - 1;
    while (inner_ > 0 && block.start[inner_] == 0 && block.extent[inner_] == block.shape[inner_]) --inner_;
    run_length_ = rank == 0 ? 1 : static_cast<std::uint64_t>(block.extent[inner_]) * stride_[inner_];
    runs_ = 1;
    for (std::size_t d = 0; d < inner_; ++d) runs_ *= static_cast<std::uint64_t>(block.extent[d]);
  }
  std::uint64_t runs() const noexcept { return runs_; }
  std::uint64_t run_length() const noexcept { return run_length_; }
  // Stream-index distance between a run and the next one along the innermost
  // outer dimension (the rows of a column block); 0 when there is one run.
  std::uint64_t row_stride() const noexcept { return inner_ == 0 ? 0 : stride_[inner_ - 1]; }

  // Visits runs [first, first + count): f(stream index of the run's start, position in the block).
  template <class F>
  void for_runs(std::uint64_t first, std::uint64_t count, F&& f) const {
    if (count == 0) return;
    // The run's index in each outer dimension (mixed radix of the extents).
    std::vector<std::uint64_t> index(inner_, 0);
    std::uint64_t rest = first;
    for (std::size_t d = inner_; d-- > 0;) {
      const auto e = static_cast<std::uint64_t>(block_.extent[d]);
      index[d] = rest % e;
      rest /= e;
    }
    std::uint64_t base = block_.shape.empty() ? 0 : static_cast<std::uint64_t>(block_.start[inner_]) * stride_[inner_];
    std::uint64_t offset = base;
    for (std::size_t d = 0; d < inner_; ++d) {
      offset += (static_cast<std::uint64_t>(block_.start[d]) + index[d]) * stride_[d];
    }
    for (std::uint64_t r = first; r < first + count; ++r) {
      f(offset, r * run_length_);
      // Next run: increment the innermost outer index, carrying outwards.
      for (std::size_t d = inner_; d-- > 0;) {
        offset += stride_[d];
        if (++index[d] < static_cast<std::uint64_t>(block_.extent[d])) break;
        offset -= stride_[d] * index[d];
        index[d] = 0;
      }
    }
  }

 private:
  const TensorBlock& block_;
  std::vector<std::uint64_t> stride_;
  std::size_t inner_ = 0;
  std::uint64_t run_length_ = 0;
  std::uint64_t runs_ = 0;
};

template <class T>
void fill_block_typed(T* out, std::size_t count, const TensorBlock& block, const Distribution& distribution,
                      const Stream& stream, const BlockFillOptions& options) {
  const std::uint64_t elements = block_element_count(block);
  if (elements != count) {
    refuse("out has " + std::to_string(count) + " elements but the block has " + std::to_string(elements));
  }
  if (out == nullptr && count != 0) refuse("out is null with " + std::to_string(count) + " elements");
  if (options.threads < 0) refuse("threads (" + std::to_string(options.threads) + ") must not be negative");
  const FillPlan<T> plan = plan_fill<T>(distribution);  // throws before any write
  if (count == 0) return;

  const BlockRuns runs(block);
  const std::uint64_t length = runs.run_length();
  // Work items of about chunk_elements: a long run split into pieces, short runs grouped.
  const std::uint64_t pieces_per_run = length >= chunk_elements ? (length + chunk_elements - 1) / chunk_elements : 1;
  const std::uint64_t runs_per_item = length >= chunk_elements ? 1 : std::max<std::uint64_t>(1, chunk_elements / length);
  const std::uint64_t items = length >= chunk_elements ? runs.runs() * pieces_per_run
                                                       : (runs.runs() + runs_per_item - 1) / runs_per_item;
  // Streaming stores only for long runs: each streaming call ends with a fence.
  const simd::StoreHint hint =
      length >= chunk_elements ? simd::store_hint_for(count * sizeof(T)) : simd::StoreHint::regular;
  const auto run_item = [&](std::uint64_t item) {
    if (length >= chunk_elements) {
      const std::uint64_t run = item / pieces_per_run, piece = item % pieces_per_run;
      const std::uint64_t begin = piece * chunk_elements;
      const auto piece_length = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_elements, length - begin));
      runs.for_runs(run, 1, [&](std::uint64_t index, std::uint64_t position) {
        simd::fill(plan, out + position + begin, index + begin, piece_length, stream, hint);
      });
    } else {
      // Consecutive runs a row_stride apart (the rows of one line of the
      // block) go to the kernel in one call, which sets up once for all.
      const std::uint64_t first = item * runs_per_item;
      const std::uint64_t stride = runs.row_stride();
      std::uint64_t line_index = 0, line_position = 0, line_rows = 0;
      const auto flush = [&] {
        if (line_rows == 0) return;
        simd::fill_rows(plan, out + line_position, line_index, stride, static_cast<std::size_t>(line_rows),
                        static_cast<std::size_t>(length), stream);
        line_rows = 0;
      };
      runs.for_runs(first, std::min(runs_per_item, runs.runs() - first), [&](std::uint64_t index, std::uint64_t position) {
        if (line_rows != 0 && index == line_index + line_rows * stride) {
          ++line_rows;
          return;
        }
        flush();
        line_index = index;
        line_position = position;
        line_rows = 1;
      });
      flush();
    }
  };
  const int team = threads_for_fill(count, options.threads, omp_get_max_threads(), parallel_threshold);
  if (team == 1 || items == 1) {
    for (std::uint64_t item = 0; item < items; ++item) run_item(item);
    return;
  }
#pragma omp parallel for schedule(dynamic, 1) num_threads(team)
  for (std::uint64_t item = 0; item < items; ++item) run_item(item);
}

}  // namespace
}  // namespace internal

void fill_block(std::span<float> out, const TensorBlock& block, const Distribution& distribution,
                const Stream& stream, const BlockFillOptions& options) {
  internal::fill_block_typed(out.data(), out.size(), block, distribution, stream, options);
}
void fill_block(std::span<double> out, const TensorBlock& block, const Distribution& distribution,
                const Stream& stream, const BlockFillOptions& options) {
  internal::fill_block_typed(out.data(), out.size(), block, distribution, stream, options);
}
void fill_block(std::span<bfloat16> out, const TensorBlock& block, const Distribution& distribution,
                const Stream& stream, const BlockFillOptions& options) {
  internal::fill_block_typed(out.data(), out.size(), block, distribution, stream, options);
}
void fill_block(std::span<float16> out, const TensorBlock& block, const Distribution& distribution,
                const Stream& stream, const BlockFillOptions& options) {
  internal::fill_block_typed(out.data(), out.size(), block, distribution, stream, options);
}

void fill_block(void* data, DType dtype, std::size_t count, const TensorBlock& block,
                const Distribution& distribution, const Stream& stream, const BlockFillOptions& options) {
  switch (dtype) {
    case DType::f32:
      return internal::fill_block_typed(static_cast<float*>(data), count, block, distribution, stream, options);
    case DType::f64:
      return internal::fill_block_typed(static_cast<double*>(data), count, block, distribution, stream, options);
    case DType::bf16:
      return internal::fill_block_typed(static_cast<bfloat16*>(data), count, block, distribution, stream, options);
    case DType::f16:
      return internal::fill_block_typed(static_cast<float16*>(data), count, block, distribution, stream, options);
  }
  refuse("dtype (" + std::to_string(static_cast<int>(dtype)) + ") is not a DType");
}

void fill_block(void* data, DType dtype, std::size_t count, const TensorBlock& block,
                const FanInitializer& initializer, Layout layout, const Stream& stream,
                const BlockFillOptions& options) {
  check_block(block);
  if (!initializer) refuse("the initializer is empty");
  const Distribution distribution = initializer(compute_fans(block.shape, layout));
  fill_block(data, dtype, count, block, distribution, stream, options);
}

}  // namespace nninit
