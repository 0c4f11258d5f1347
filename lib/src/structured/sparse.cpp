// torch.nn.init.sparse_: normal draws, then ceil(sparsity * rows) zeros per
// column at the first positions of a reproducible permutation of the rows.
#include "nninit/sparse.hpp"

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "format_number.hpp"
#include "nninit/distributions.hpp"
#include "nninit/error.hpp"

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

template <typename T>
void fill_sparse_impl(std::span<T> out, std::span<const std::int64_t> shape, double sparsity, double std,
                      const Stream& stream, const FillOptions& options) {
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
  const std::uint64_t total = rows * cols;
  if (options.offset > total || out.size() > total - options.offset) {
    fail("offset (" + std::to_string(options.offset) + ") + out.size() (" + std::to_string(out.size()) +
         ") exceeds the tensor's " + std::to_string(total) + " elements");
  }
  const std::uint64_t zeros = sparse_zeros_per_column(rows, sparsity);
  std::vector<std::uint64_t> permutation(out.empty() || zeros == 0 ? 0 : rows);  // before anything is written
  // The normal draws (this also checks threads and the distribution).
  fill(out, Normal{0.0, std}, stream, options);
  if (out.empty() || zeros == 0) return;
  const std::uint64_t begin = options.offset, end = options.offset + out.size();
  // Only zeros in the block's rows [first_row, last_row] can land in it.
  const std::uint64_t first_row = begin / cols, last_row = (end - 1) / cols;
  for (std::uint64_t c = 0; c < cols; ++c) {
    std::iota(permutation.begin(), permutation.end(), std::uint64_t{0});
    for (std::uint64_t t = 0; t < zeros; ++t) {
      const std::uint64_t w = permutation_word(stream, c * zeros + t);
      const auto pick = t + static_cast<std::uint64_t>((static_cast<unsigned __int128>(w) * (rows - t)) >> 64);
      std::swap(permutation[t], permutation[pick]);
      const std::uint64_t row = permutation[t];
      if (row < first_row || row > last_row) continue;
      const std::uint64_t index = row * cols + c;
      if (index >= begin && index < end) out[index - begin] = zero<T>();
    }
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

}  // namespace nninit
