// kernels/unit_interval.hpp — how random 32-bit words become numbers in (0, 1).
// These conversions are part of the stream contract (README, "Which words
// each element reads"): every one is exact, so the same bits come out on every
// target.
#pragma once

#include <cstdint>

namespace nninit::internal {

// [0, 1) on the 2^-24 grid: the top 24 bits of the word. Used by uniform (f32).
inline float unit_closed_open_f32(std::uint32_t word) noexcept {
  return static_cast<float>(static_cast<std::int32_t>(word >> 8)) * 0x1p-24f;
}

// [0, 1) on the 2^-53 grid: the top 53 bits of a 64-bit word. Used by uniform (f64).
inline double unit_closed_open_f64(std::uint64_t word) noexcept {
  return static_cast<double>(static_cast<std::int64_t>(word >> 11)) * 0x1p-53;
}

// (0, 1] with 31-bit resolution near 0: (word >> 1) * 2^-31 + 2^-32, rounded
// once to float. The smallest value, 2^-32, lets Box-Muller reach 6.66 standard
// deviations. Used for the Box-Muller radius (f32).
inline float unit_open_closed_f32(std::uint32_t word) noexcept {
  return static_cast<float>(static_cast<std::int32_t>(word >> 1)) * 0x1p-31f + 0x1p-32f;
}

// (0, 1] on the 2^-53 grid: 1 - (top 53 bits) * 2^-53, exact. The smallest
// value, 2^-53, lets Box-Muller reach 8.57 standard deviations. Used for the
// Box-Muller radius (f64).
inline double unit_open_closed_f64(std::uint64_t word) noexcept {
  return 1.0 - static_cast<double>(static_cast<std::int64_t>(word >> 11)) * 0x1p-53;
}

// (0, 1) symmetric about 1/2: (2 * (word >> 9) + 1) * 2^-24, exact, so 1 - u is
// exact too and neither end is ever reached. Used by truncated normal (f32).
inline float unit_open_f32(std::uint32_t word) noexcept {
  return static_cast<float>(static_cast<std::int32_t>(((word >> 9) << 1) | 1u)) * 0x1p-24f;
}

// (0, 1) symmetric about 1/2 on the 2^-53 grid: (2 * (word >> 12) + 1) * 2^-53.
// Used by truncated normal (f64).
inline double unit_open_f64(std::uint64_t word) noexcept {
  return static_cast<double>(static_cast<std::int64_t>(((word >> 12) << 1) | 1u)) * 0x1p-53;
}

// Two consecutive words as one 64-bit word, the first word in the low half.
inline std::uint64_t join_words(std::uint32_t low, std::uint32_t high) noexcept {
  return (static_cast<std::uint64_t>(high) << 32) | low;
}

}  // namespace nninit::internal
