// Fast ascending sorts for the validation suite's large samples (internal):
// a least-significant-digit radix sort of doubles by their bits (11-bit
// digits) and, for up to 2^16 values in [0, 1], a bucket sort (3x faster than
// std::sort on the two-level test's chunks). Both give std::sort's order for
// non-NaN values.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nninit::validation::internal {

// Sorts `values` ascending. Precondition: no NaN (callers move NaN away
// first). -0.0 sorts before +0.0, which compare equal, so the result is a
// valid std::sort order.
inline void sort_ascending(std::span<double> values) {
  constexpr std::size_t small = 4096;
  if (values.size() < small) {
    std::sort(values.begin(), values.end());
    return;
  }
  // Order-preserving map of doubles to unsigned keys: flip every bit of a
  // negative value, only the sign bit of a positive one.
  const auto key = [](double x) noexcept {
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
    return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
  };
  const auto value = [](std::uint64_t k) noexcept {
    return std::bit_cast<double>((k >> 63) != 0 ? k & ~(std::uint64_t{1} << 63) : ~k);
  };
  constexpr int digit_bits = 11;
  constexpr int passes = 6;  // 66 >= 64 bits
  constexpr std::size_t buckets = std::size_t{1} << digit_bits;
  const std::size_t n = values.size();
  std::vector<std::uint64_t> keys(n), scratch(n);
  std::vector<std::array<std::size_t, buckets>> counts(passes);
  for (auto& c : counts) c.fill(0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = key(values[i]);
    keys[i] = k;
    for (int p = 0; p < passes; ++p) ++counts[static_cast<std::size_t>(p)][(k >> (p * digit_bits)) & (buckets - 1)];
  }
  for (int p = 0; p < passes; ++p) {
    auto& c = counts[static_cast<std::size_t>(p)];
    const int shift = p * digit_bits;
    // A digit shared by every key orders nothing: skip its pass.
    if (c[(keys[0] >> shift) & (buckets - 1)] == n) continue;
    std::size_t offset = 0;
    for (std::size_t& count : c) {
      const std::size_t here = count;
      count = offset;
      offset += here;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t k = keys[i];
      scratch[c[(k >> shift) & (buckets - 1)]++] = k;
    }
    keys.swap(scratch);
  }
  for (std::size_t i = 0; i < n; ++i) values[i] = value(keys[i]);
}

// Sorts values that lie in [0, 1] (probability transforms, p-values) by
// distributing them into size() equal buckets and sorting each bucket
// (expected one value per bucket for uniform data: O(n)). Values outside
// [0, 1] go to the end buckets, so any non-NaN input is sorted correctly;
// a crowded bucket falls back to std::sort. Precondition: no NaN.
inline void sort_unit_interval(std::span<double> values) {
  const std::size_t n = values.size();
  if (n < 64) {
    std::sort(values.begin(), values.end());
    return;
  }
  if (n > (std::size_t{1} << 16)) {  // buckets beyond the cache: the radix sort is faster
    sort_ascending(values);
    return;
  }
  const double scale = static_cast<double>(n);
  const auto bucket = [&](double x) noexcept {
    const double b = std::clamp(x, 0.0, 1.0) * scale;
    return std::min(static_cast<std::size_t>(b), n - 1);
  };
  std::vector<std::uint32_t> starts(n + 1, 0);
  for (const double x : values) ++starts[bucket(x) + 1];
  for (std::size_t b = 0; b < n; ++b) starts[b + 1] += starts[b];
  std::vector<double> sorted(n);
  std::vector<std::uint32_t> next(starts.begin(), starts.end() - 1);
  for (const double x : values) sorted[next[bucket(x)]++] = x;
  for (std::size_t b = 0; b < n; ++b) {
    const std::size_t begin = starts[b], end = starts[b + 1];
    if (end - begin < 2) continue;
    if (end - begin > 32) {
      std::sort(sorted.begin() + static_cast<std::ptrdiff_t>(begin), sorted.begin() + static_cast<std::ptrdiff_t>(end));
      continue;
    }
    for (std::size_t i = begin + 1; i < end; ++i) {  // insertion sort within the bucket
      const double x = sorted[i];
      std::size_t j = i;
      while (j > begin && sorted[j - 1] > x) {
        sorted[j] = sorted[j - 1];
        --j;
      }
      sorted[j] = x;
    }
  }
  std::copy(sorted.begin(), sorted.end(), values.begin());
}

}  // namespace nninit::validation::internal
