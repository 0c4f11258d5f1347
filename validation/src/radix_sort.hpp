// Fast ascending sorts for the validation suite's large samples (internal):
// a least-significant-digit radix sort of doubles by their bits (11-bit
// digits) and, for up to 2^16 values in [0, 1], a bucket sort (3x faster than
// std::sort on the two-level test's chunks). Both give std::sort's order for
// non-NaN values. And an in-place radix sort in IEEE totalOrder for float,
// double and 16-bit keys, which needs at most 1/16 of the array as scratch
// (the battery sorts a 1 GiB tensor in its own memory with it where the CPU
// has neither AVX2 nor AVX-512: vector_sort.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
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

// IEEE 754 totalOrder as unsigned keys: -NaN < -inf < ... < -0 < +0 < ... <
// +inf < +NaN. Flip every bit of a negative value, the sign bit of a positive one.
inline std::uint32_t total_order_key(float x) noexcept {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
  return bits ^ (static_cast<std::uint32_t>(-static_cast<std::int32_t>(bits >> 31)) | 0x80000000u);
}
inline std::uint64_t total_order_key(double x) noexcept {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  return bits ^ (static_cast<std::uint64_t>(-static_cast<std::int64_t>(bits >> 63)) | (std::uint64_t{1} << 63));
}
// The same for the bits of a 16-bit sign-magnitude format (bfloat16, float16),
// and back.
constexpr std::uint16_t total_order_key16(std::uint16_t bits) noexcept {
  return static_cast<std::uint16_t>((bits & 0x8000u) != 0 ? ~bits : bits | 0x8000u);
}
constexpr std::uint16_t bits_of_total_order_key16(std::uint16_t key) noexcept {
  return static_cast<std::uint16_t>((key & 0x8000u) != 0 ? key & 0x7FFFu : ~key);
}

// Sorts `values` ascending by key_of(value) (an unsigned key, e.g.
// total_order_key) in place, in O(n) with throughput-bound memory access:
//  1. a histogram of the 16 highest bits that vary groups their values into
//     up to 1024 buckets of about equal size (a look-up table);
//  2. one pass moves every value into a small buffer per bucket and writes
//     each full buffer back as a block over values already read (the
//     classification of in-place super scalar radix sort, Axtmann et al.);
//  3. the blocks are permuted into bucket order, then each bucket is moved
//     to its final place (last bucket first) with its partial buffer;
//  4. each bucket is sorted by a least-significant-digit radix sort (11-bit
//     digits, digits shared by the whole bucket skipped) through a scratch
//     the size of the largest bucket, or recursively when it is larger than
//     n / 16 (one 16-bit prefix holding most of the values).
// Extra memory: 1 MiB of buffers, the table, 2 bytes per block, and the
// scratch (about n / 1024 elements for spread-out data, at most n / 16).
// Equal keys keep no particular order (a key determines the value).
template <class T, class KeyOf>
class InPlaceRadixSort {
 public:
  using Key = decltype(std::declval<KeyOf>()(std::declval<T>()));
  static_assert(std::is_unsigned_v<Key>);

  explicit InPlaceRadixSort(KeyOf key_of) : key_of_(key_of) {}

  void sort(std::span<T> values) { sort_any(values); }

 private:
  static constexpr int digit_bits = 11;
  static constexpr std::size_t digits = std::size_t{1} << digit_bits;
  static constexpr int key_bits = static_cast<int>(sizeof(Key) * CHAR_BIT);
  static constexpr std::size_t insertion_limit = 48;
  static constexpr std::size_t comparison_limit = 1024;
  static constexpr int prefix_bits = 16;
  static constexpr std::size_t prefixes = std::size_t{1} << prefix_bits;
  static constexpr std::size_t block = 1024 / sizeof(T);  // elements per block: 1 KiB
  static constexpr std::size_t max_buckets = 1024;
  static constexpr std::size_t direct_limit = std::size_t{1} << 16;  // sorted through the scratch directly

  void insertion_sort(std::span<T> values) const noexcept {
    for (std::size_t i = 1; i < values.size(); ++i) {
      const T v = values[i];
      const Key k = key_of_(v);
      std::size_t j = i;
      while (j > 0 && key_of_(values[j - 1]) > k) {
        values[j] = values[j - 1];
        --j;
      }
      values[j] = v;
    }
  }

  void sort_any(std::span<T> values) {
    const std::size_t n = values.size();
    if (n <= insertion_limit) {
      insertion_sort(values);
      return;
    }
    // The bits that vary, and (speculatively, for keys whose top bit varies:
    // both signs present) the histogram of the top 16 bits in the same pass.
    constexpr int speculative_shift = key_bits - prefix_bits;
    const bool large = n > direct_limit;
    if (large) histogram_.assign(prefixes, 0);
    Key any = 0, all = static_cast<Key>(~Key{0});
    for (const T v : values) {
      const Key k = key_of_(v);
      any = static_cast<Key>(any | k);
      all = static_cast<Key>(all & k);
      if (large) ++histogram_[static_cast<std::size_t>(k >> speculative_shift)];
    }
    const Key varying = static_cast<Key>(any ^ all);
    if (varying == 0) return;
    const int top = static_cast<int>(std::bit_width(varying));  // bits [0, top) hold every difference
    if (!large) {
      if (scratch_.size() < n) scratch_.resize(n);
      lsd(values, top);
      return;
    }
    const int shift = std::max(0, top - prefix_bits);
    if (shift != speculative_shift) {
      histogram_.assign(prefixes, 0);
      for (const T v : values) ++histogram_[static_cast<std::size_t>((key_of_(v) >> shift) & (prefixes - 1))];
    }
    distribute(values, shift);
  }

  // Steps 1-4 above on the prefix (key >> shift) & 0xFFFF, whose histogram is in histogram_.
  void distribute(std::span<T> values, int shift) {
    const std::size_t n = values.size();
    const auto prefix = [&](T v) { return static_cast<std::size_t>((key_of_(v) >> shift) & (prefixes - 1)); };
    // 1. Buckets of about n / buckets values each, as ranges of prefixes.
    const std::vector<std::size_t> histogram = std::move(histogram_);
    histogram_ = std::vector<std::size_t>();
    const std::size_t buckets = std::clamp<std::size_t>(n / 16384, 16, max_buckets);
    const std::size_t target = (n + buckets - 1) / buckets;
    std::vector<std::uint16_t> bucket_of(prefixes);
    std::vector<std::size_t> count(buckets, 0);
    // The prefixes a bucket holds values of: first[k] .. last[k] (none if count is 0).
    std::vector<std::size_t> first(buckets, 0), last(buckets, 0);
    std::size_t b = 0;
    for (std::size_t p = 0; p < prefixes; ++p) {
      // A new bucket when this one is full, and for every prefix that fills one
      // alone (so a crowded prefix is a bucket of its own, sorted on lower bits).
      if (histogram[p] != 0 && count[b] != 0 && (count[b] >= target || histogram[p] >= target) && b + 1 < buckets) ++b;
      bucket_of[p] = static_cast<std::uint16_t>(b);
      if (histogram[p] == 0) continue;
      if (count[b] == 0) first[b] = p;
      last[b] = p;
      count[b] += histogram[p];
    }
    const std::uint16_t* const table = bucket_of.data();
    // 2. Classification into per-bucket buffers, full ones written back as blocks.
    std::vector<T> buffers(buckets * block);
    std::vector<std::size_t> fill(buckets, 0);
    std::vector<std::uint16_t> label(n / block + 1);
    T* const a = values.data();
    std::size_t written = 0;
    for (std::size_t r = 0; r < n; ++r) {
      const T v = a[r];
      const std::size_t k = table[prefix(v)];
      T* const buffer = buffers.data() + k * block;
      buffer[fill[k]++] = v;
      if (fill[k] == block) {  // written + block <= r + 1: only over values already read
        std::copy(buffer, buffer + block, a + written);
        label[written / block] = static_cast<std::uint16_t>(k);
        written += block;
        fill[k] = 0;
      }
    }
    // 3. Blocks into bucket order: bucket k's full blocks at [packed[k], packed[k + 1]).
    std::vector<std::size_t> packed(buckets + 1, 0), next(buckets);
    for (std::size_t k = 0; k < buckets; ++k) packed[k + 1] = packed[k] + (count[k] - fill[k]) / block;
    for (std::size_t k = 0; k < buckets; ++k) next[k] = packed[k];
    std::vector<T> spare(block);
    for (std::size_t k = 0; k < buckets; ++k) {
      for (std::size_t slot = packed[k]; slot < packed[k + 1]; ++slot) {
        while (label[slot] != k) {  // a block of a later bucket: swap it into that bucket's region
          const std::size_t d = label[slot];
          while (label[next[d]] == d) ++next[d];
          const std::size_t other = next[d]++;
          std::copy(a + slot * block, a + (slot + 1) * block, spare.data());
          std::copy(a + other * block, a + (other + 1) * block, a + slot * block);
          std::copy(spare.begin(), spare.end(), a + other * block);
          std::swap(label[slot], label[other]);
        }
      }
    }
    //    Then every bucket to its final place [start[k], start[k + 1]), the last first:
    //    start[k] >= packed[k] * block, so a bucket moves right, over buckets already moved.
    std::vector<std::size_t> start(buckets + 1, 0);
    for (std::size_t k = 0; k < buckets; ++k) start[k + 1] = start[k] + count[k];
    for (std::size_t k = buckets; k-- > 0;) {
      const std::size_t blocks_bytes = (packed[k + 1] - packed[k]) * block;
      std::copy_backward(a + packed[k] * block, a + packed[k] * block + blocks_bytes, a + start[k] + blocks_bytes);
      std::copy(buffers.data() + k * block, buffers.data() + k * block + fill[k], a + start[k] + blocks_bytes);
    }
    buffers = std::vector<T>();
    label = std::vector<std::uint16_t>();
    // 4. Each bucket.
    std::size_t largest = 0;
    for (std::size_t k = 0; k < buckets; ++k) {
      if (count[k] <= std::max(direct_limit, n / 16)) largest = std::max(largest, count[k]);
    }
    if (scratch_.size() < largest) scratch_.resize(largest);
    for (std::size_t k = 0; k < buckets; ++k) {
      const std::span<T> bucket = values.subspan(start[k], count[k]);
      if (bucket.size() < 2) continue;
      if (bucket.size() <= scratch_.size()) {
        // Within the bucket only the prefix bits that differ between its first
        // and last prefix vary, and every bit below the prefix.
        lsd(bucket, shift + static_cast<int>(std::bit_width(first[k] ^ last[k])));
      } else {
        sort_any(bucket);
      }
    }
  }

  // The counts of the digits of `passes` passes of `width` bits.
  template <int passes, class Counts>
  void count_digits(std::span<const T> values, Counts& count, int width, std::size_t mask) const noexcept {
    for (const T v : values) {
      const Key k = key_of_(v);
      for (int p = 0; p < passes; ++p) ++count[static_cast<std::size_t>(p)][(k >> (p * width)) & mask];
    }
  }

  // Least-significant digit first over the bits [0, top), through the scratch.
  void lsd(std::span<T> values, int top) {
    const std::size_t n = values.size();
    if (n <= insertion_limit) {
      insertion_sort(values);
      return;
    }
    if (n <= comparison_limit) {  // below this the digit counters cost more than comparisons
      std::sort(values.begin(), values.end(), [this](T a, T b) { return key_of_(a) < key_of_(b); });
      return;
    }
    // The fewest passes of at most 11 bits over [0, top), of equal width.
    const int passes = std::max(1, (top + digit_bits - 1) / digit_bits);
    const int width = (top + passes - 1) / passes;
    const std::size_t mask = (std::size_t{1} << width) - 1;
    const std::size_t size_of_digit = mask + 1;
    std::array<std::array<std::uint32_t, digits>, static_cast<std::size_t>((key_bits + digit_bits - 1) / digit_bits)>
        count;
    for (int p = 0; p < passes; ++p) std::fill_n(count[static_cast<std::size_t>(p)].begin(), size_of_digit, 0u);
    switch (passes) {  // the usual pass counts with their loops unrolled
      case 1:
        count_digits<1>(values, count, width, mask);
        break;
      case 2:
        count_digits<2>(values, count, width, mask);
        break;
      case 3:
        count_digits<3>(values, count, width, mask);
        break;
      default:
        for (const T v : values) {
          const Key k = key_of_(v);
          for (int p = 0; p < passes; ++p) ++count[static_cast<std::size_t>(p)][(k >> (p * width)) & mask];
        }
    }
    T* from = values.data();
    T* to = scratch_.data();
    for (int p = 0; p < passes; ++p) {
      auto& c = count[static_cast<std::size_t>(p)];
      const int shift = p * width;
      if (c[static_cast<std::size_t>(key_of_(from[0]) >> shift) & mask] == n) continue;  // shared by every key
      std::uint32_t offset = 0;
      for (std::size_t d = 0; d < size_of_digit; ++d) {
        const std::uint32_t here = c[d];
        c[d] = offset;
        offset += here;
      }
      for (std::size_t i = 0; i < n; ++i) {
        const T v = from[i];
        to[c[static_cast<std::size_t>(key_of_(v) >> shift) & mask]++] = v;
      }
      std::swap(from, to);
    }
    if (from != values.data()) std::copy(from, from + n, values.data());
  }

  KeyOf key_of_;
  std::vector<T> scratch_;
  std::vector<std::size_t> histogram_;
};

template <class T, class KeyOf>
void sort_in_place_by_key(std::span<T> values, KeyOf key_of) {
  InPlaceRadixSort<T, KeyOf>(key_of).sort(values);
}

// 16-bit sign-magnitude bits in totalOrder: a counting sort (65536 counters).
inline void sort_in_place_16(std::span<std::uint16_t> bits) {
  std::vector<std::size_t> count(std::size_t{1} << 16, 0);
  for (const std::uint16_t b : bits) ++count[total_order_key16(b)];
  std::size_t position = 0;
  for (std::size_t key = 0; key < count.size(); ++key) {
    const auto value = bits_of_total_order_key16(static_cast<std::uint16_t>(key));
    std::fill_n(bits.begin() + static_cast<std::ptrdiff_t>(position), count[key], value);
    position += count[key];
  }
}

}  // namespace nninit::validation::internal
