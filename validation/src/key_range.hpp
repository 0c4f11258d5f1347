// Which of 64 consecutive 16-bit keys (bfloat16 / float16 bits) have their
// totalOrder key in a range (internal): the test the coarse Anderson–Darling
// pass makes of every key once per batch, eight keys per instruction where
// SSE2 is there (every x86-64), one by one elsewhere; both give the same bits.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "radix_sort.hpp"

namespace nninit::validation::internal {

// Bit b set iff key[b]'s totalOrder key minus `lowest` (mod 2^16) is at most
// `width`, for b < count <= 64, one key at a time.
inline std::uint64_t keys_in_range_scalar(const std::uint16_t* key, std::size_t count, std::uint16_t lowest,
                                          std::uint16_t width) noexcept {
  std::uint64_t members = 0;
  for (std::size_t b = 0; b < count; ++b) {
    const auto offset = static_cast<std::uint16_t>(total_order_key16(key[b]) - lowest);
    members |= static_cast<std::uint64_t>(offset <= width) << b;
  }
  return members;
}

// The same for count == 64, vectorised where the target allows.
inline std::uint64_t keys_in_range_64(const std::uint16_t* key, std::uint16_t lowest, std::uint16_t width) noexcept {
#if defined(__SSE2__)
  // totalOrder key: bits ^ (sign ? 0xFFFF : 0x8000); offset <= width iff the
  // saturated difference offset - width is 0.
  const __m128i top = _mm_set1_epi16(static_cast<short>(0x8000));
  const __m128i low = _mm_set1_epi16(static_cast<short>(lowest));
  const __m128i high = _mm_set1_epi16(static_cast<short>(width));
  const __m128i zero = _mm_setzero_si128();
  const auto members_of_8 = [&](std::size_t at) {
    const __m128i bits = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key + at));
    const __m128i order = _mm_xor_si128(bits, _mm_or_si128(_mm_srai_epi16(bits, 15), top));
    const __m128i offset = _mm_sub_epi16(order, low);
    return _mm_cmpeq_epi16(_mm_subs_epu16(offset, high), zero);  // 0xFFFF for a member
  };
  std::uint64_t members = 0;
  for (std::size_t at = 0; at < 64; at += 16) {
    const __m128i bytes = _mm_packs_epi16(members_of_8(at), members_of_8(at + 8));
    members |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(bytes))) << at;
  }
  return members;
#else
  return keys_in_range_scalar(key, 64, lowest, width);
#endif
}

}  // namespace nninit::validation::internal
