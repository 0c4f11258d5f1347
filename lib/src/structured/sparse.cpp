// torch.nn.init.sparse_: normal draws, then ceil(sparsity * rows) zeros per
// column at the first positions of a reproducible permutation of the rows.
#include "nninit/sparse.hpp"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "format_number.hpp"
#include "nninit/distributions.hpp"
#include "nninit/error.hpp"
#include "structured/sparse_block.hpp"

namespace nninit {
namespace {

constexpr std::uint64_t permutation_first_block = std::uint64_t{1} << 63;

[[noreturn]] void fail(const std::string& message) { throw invalid_argument("nninit::fill_sparse: " + message); }

// 64-bit word q of the permutation stream (low 32 bits first).
std::uint64_t permutation_word(const Stream& stream, std::uint64_t q) noexcept {
  const PhiloxBlock block = stream.block(permutation_first_block + q / 2);
  const std::size_t first = (q % 2) * 2;
  return static_cast<std::uint64_t>(block[first]) | (static_cast<std::uint64_t>(block[first + 1]) << 32);
}

template <typename T>
T zero() noexcept {
  if constexpr (std::is_same_v<T, bfloat16>) {
    return to_bfloat16(0.0f);
  } else if constexpr (std::is_same_v<T, float16>) {
    return to_float16(0.0f);
  } else {
    return T{0};
  }
}

// The rows of column `column`'s zeros: the first `zeros` positions of its
// partial Fisher–Yates shuffle of the rows (see nninit/sparse.hpp), given to
// `zero_at(row)` in shuffle order. `scratch` (rows entries, reused from
// column to column) holds the displaced positions; a position whose mark is
// not this column's still holds its own row, so a column costs `zeros` steps
// whatever the number of rows.
class ColumnShuffle {
 public:
  explicit ColumnShuffle(std::uint64_t rows) : value_(rows), mark_(rows, 0) {}

  template <class ZeroAt>
  void zeros_of(const Stream& stream, std::uint64_t rows, std::uint64_t zeros, std::uint64_t column, ZeroAt zero_at) {
    const std::uint64_t mark = column + 1;
    const auto at = [&](std::uint64_t position) { return mark_[position] == mark ? value_[position] : position; };
    for (std::uint64_t t = 0; t < zeros; ++t) {
      const std::uint64_t w = permutation_word(stream, column * zeros + t);
      const auto pick = t + static_cast<std::uint64_t>((static_cast<unsigned __int128>(w) * (rows - t)) >> 64);
      const std::uint64_t row = at(pick);
      value_[pick] = at(t);
      mark_[pick] = mark;
      value_[t] = row;
      mark_[t] = mark;
      zero_at(row);
    }
  }

 private:
  std::vector<std::uint64_t> value_;
  std::vector<std::uint64_t> mark_;
};

void check_sparse(std::span<const std::int64_t> shape, double sparsity, double std) {
  if (shape.size() != 2) fail("shape needs exactly 2 dimensions, has " + std::to_string(shape.size()));
  if (shape[0] < 0 || shape[1] < 0) {
    fail("shape (" + std::to_string(shape[0]) + ", " + std::to_string(shape[1]) + ") has a negative dimension");
  }
  if (!(sparsity >= 0.0 && sparsity <= 1.0)) {
    fail("sparsity (" + internal::format_number(sparsity) + ") must be in [0, 1]");
  }
  if (!(std >= 0.0) || !std::isfinite(std)) fail("std (" + internal::format_number(std) + ") must be finite and >= 0");
  const auto rows = static_cast<std::uint64_t>(shape[0]), cols = static_cast<std::uint64_t>(shape[1]);
  if (cols != 0 && rows > UINT64_MAX / cols) fail("shape overflows 2^64 elements");
}

template <typename T>
void fill_sparse_impl(std::span<T> out, std::span<const std::int64_t> shape, double sparsity, double std,
                      const Stream& stream, const FillOptions& options) {
  check_sparse(shape, sparsity, std);
  const auto rows = static_cast<std::uint64_t>(shape[0]), cols = static_cast<std::uint64_t>(shape[1]);
  const std::uint64_t total = rows * cols;
  if (options.offset > total || out.size() > total - options.offset) {
    fail("offset (" + std::to_string(options.offset) + ") + out.size() (" + std::to_string(out.size()) +
         ") exceeds the tensor's " + std::to_string(total) + " elements");
  }
  const std::uint64_t zeros = sparse_zeros_per_column(rows, sparsity);
  ColumnShuffle shuffle(out.empty() || zeros == 0 ? 0 : rows);  // before anything is written
  // The normal draws (this also checks threads and the distribution).
  fill(out, Normal{0.0, std}, stream, options);
  if (out.empty() || zeros == 0) return;
  const std::uint64_t begin = options.offset, end = options.offset + out.size();
  // Only the columns of rows [first_row, last_row] can have zeros in it.
  const std::uint64_t first_row = begin / cols, last_row = (end - 1) / cols;
  for (std::uint64_t c = 0; c < cols; ++c) {
    shuffle.zeros_of(stream, rows, zeros, c, [&](std::uint64_t row) {
      if (row < first_row || row > last_row) return;
      const std::uint64_t index = row * cols + c;
      if (index >= begin && index < end) out[index - begin] = zero<T>();
    });
  }
}

}  // namespace

std::uint64_t sparse_zeros_per_column(std::uint64_t rows, double sparsity) {
  if (!(sparsity >= 0.0 && sparsity <= 1.0)) {
    throw invalid_argument("nninit::sparse_zeros_per_column: sparsity (" + internal::format_number(sparsity) +
                           ") must be in [0, 1]");
  }
  const double product = std::ceil(sparsity * static_cast<double>(rows));
  return std::min(rows, static_cast<std::uint64_t>(product));
}

void fill_sparse(std::span<float> out, std::span<const std::int64_t> shape, double sparsity, double std,
                 const Stream& stream, const FillOptions& options) {
  fill_sparse_impl(out, shape, sparsity, std, stream, options);
}
void fill_sparse(std::span<double> out, std::span<const std::int64_t> shape, double sparsity, double std,
                 const Stream& stream, const FillOptions& options) {
  fill_sparse_impl(out, shape, sparsity, std, stream, options);
}
void fill_sparse(std::span<bfloat16> out, std::span<const std::int64_t> shape, double sparsity, double std,
                 const Stream& stream, const FillOptions& options) {
  fill_sparse_impl(out, shape, sparsity, std, stream, options);
}
void fill_sparse(std::span<float16> out, std::span<const std::int64_t> shape, double sparsity, double std,
                 const Stream& stream, const FillOptions& options) {
  fill_sparse_impl(out, shape, sparsity, std, stream, options);
}


namespace internal {

void fill_sparse_block(void* data, DType dtype, std::size_t count, const TensorBlock& block, double sparsity,
                       double std, const Stream& stream, const BlockFillOptions& options) {
  check_block(block);
  check_sparse(block.shape, sparsity, std);
  const auto rows = static_cast<std::uint64_t>(block.shape[0]);
  const std::uint64_t zeros = sparse_zeros_per_column(rows, sparsity);
  const bool has_zeros = count != 0 && zeros != 0;
  ColumnShuffle shuffle(has_zeros ? rows : 0);  // before anything is written
  // The normal draws of the block (this also checks count, threads and the law).
  fill_block(data, dtype, count, block, Normal{0.0, std}, stream, options);
  if (!has_zeros) return;
  // Zero is all bits clear in every dtype, as zero<T>() writes it.
  const std::size_t size = dtype_size(dtype);
  auto* bytes = static_cast<unsigned char*>(data);
  const auto first_row = static_cast<std::uint64_t>(block.start[0]), row_count = static_cast<std::uint64_t>(block.extent[0]);
  const auto first_column = static_cast<std::uint64_t>(block.start[1]);
  const auto width = static_cast<std::uint64_t>(block.extent[1]);
  for (std::uint64_t c = 0; c < width; ++c) {
    shuffle.zeros_of(stream, rows, zeros, first_column + c, [&](std::uint64_t row) {
      if (row < first_row || row - first_row >= row_count) return;
      std::memset(bytes + ((row - first_row) * width + c) * size, 0, size);
    });
  }
}

}  // namespace internal

}  // namespace nninit
