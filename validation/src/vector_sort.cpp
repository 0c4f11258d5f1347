// sort_total_order: VQSort of the totalOrder keys on x86 CPUs with AVX2 or AVX-512 (measured on an
// Intel Xeon model 207, 1 thread, 16 M float32 normal values: 82 ms with
// AVX-512, 117 ms with AVX2, 367 ms with SSE4, against 139 ms for the radix
// sort), the radix sort elsewhere.
#include "vector_sort.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <hwy/contrib/sort/vqsort.h>
#include <hwy/targets.h>

#include "radix_sort.hpp"

namespace nninit::validation::internal {
namespace {

std::atomic<bool> allowed{true};

bool cpu_has_wide_vectors() noexcept {
#if HWY_ARCH_X86
  return (hwy::SupportedTargets() & (HWY_AVX2 | HWY_AVX3 | HWY_AVX3_DL)) != 0;
#else
  return false;
#endif
}

// The values as their totalOrder keys, in place, and back (memcpy: the
// array's bytes are rewritten, and the sort reads them as unsigned integers).
template <class T, class Key>
void to_keys(std::span<T> values) noexcept {
  for (T& x : values) {
    const Key key = total_order_key(x);
    std::memcpy(&x, &key, sizeof key);
  }
}
template <class T, class Key>
void from_keys(std::span<T> values) noexcept {
  constexpr Key sign = Key{1} << (sizeof(Key) * 8 - 1);
  for (T& x : values) {
    Key key;
    std::memcpy(&key, &x, sizeof key);
    const Key bits = (key & sign) != 0 ? static_cast<Key>(key ^ sign) : static_cast<Key>(~key);
    std::memcpy(&x, &bits, sizeof bits);
  }
}

// VQSort of the unsigned keys: Highway 1.0.3's sort of the floating-point
// values themselves changes the signs of zeros and, with many zeros, leaves
// the array unsorted (seen with 1 value in 8 a zero); its integer sorts are exact.
template <class T, class Key>
void sort_any(std::span<T> values) {
  if (!vector_sort_in_use()) {
    sort_in_place_by_key(values, [](T x) noexcept { return total_order_key(x); });
    return;
  }
  to_keys<T, Key>(values);
  hwy::Sorter sorter;
  sorter(reinterpret_cast<Key*>(values.data()), values.size(), hwy::SortAscending());
  from_keys<T, Key>(values);
}

}  // namespace

bool vector_sort_in_use() noexcept {
  static const bool wide = cpu_has_wide_vectors();
  return wide && allowed.load(std::memory_order_relaxed);
}
void set_vector_sort_allowed(bool allow) noexcept { allowed.store(allow, std::memory_order_relaxed); }

void sort_total_order(std::span<float> values) { sort_any<float, std::uint32_t>(values); }
void sort_total_order(std::span<double> values) { sort_any<double, std::uint64_t>(values); }

}  // namespace nninit::validation::internal
