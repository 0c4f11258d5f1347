// nninit/dtype.hpp — the element types nninit writes: float, double and the
// 16-bit storage types bfloat16 and float16, with exact, round-to-nearest-even
// conversions from float.
#pragma once

#include <bit>
#include <cstdint>
#include <string_view>

namespace nninit {

// bfloat16 storage: the upper 16 bits of an IEEE binary32 (8 significant bits).
struct bfloat16 {
  std::uint16_t bits = 0;
  friend bool operator==(bfloat16, bfloat16) = default;
};

// IEEE binary16 storage (11 significant bits, largest finite value 65504).
struct float16 {
  std::uint16_t bits = 0;
  friend bool operator==(float16, float16) = default;
};

enum class DType { f32, f64, bf16, f16 };

// "f32", "f64", "bf16", "f16".
std::string_view dtype_name(DType dtype) noexcept;
// Parses the names above (also "float32", "float64", "bfloat16", "float16");
// throws nninit::invalid_argument naming the text otherwise.
DType parse_dtype(std::string_view name);
// Size in bytes of one element: 4, 8, 2, 2.
std::size_t dtype_size(DType dtype) noexcept;

// float -> bfloat16, rounding to nearest, ties to even; NaN stays NaN.
// Example: to_bfloat16(1.0f).bits == 0x3F80.
constexpr bfloat16 to_bfloat16(float value) noexcept {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) {  // NaN: keep it quiet, keep the sign
    return bfloat16{static_cast<std::uint16_t>((bits >> 16) | 0x0040u)};
  }
  const std::uint32_t rounding = 0x7FFFu + ((bits >> 16) & 1u);
  return bfloat16{static_cast<std::uint16_t>((bits + rounding) >> 16)};
}

// bfloat16 -> float, exact.
constexpr float to_float(bfloat16 value) noexcept {
  return std::bit_cast<float>(static_cast<std::uint32_t>(value.bits) << 16);
}

// float -> IEEE binary16, rounding to nearest, ties to even, with subnormals;
// values beyond the largest finite half round to infinity as IEEE requires.
// Example: to_float16(1.0f).bits == 0x3C00.
constexpr float16 to_float16(float value) noexcept {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
  const std::uint32_t sign = (bits >> 16) & 0x8000u;
  const std::uint32_t magnitude = bits & 0x7FFFFFFFu;
  if (magnitude > 0x7F800000u) return float16{static_cast<std::uint16_t>(sign | 0x7E00u)};
  if (magnitude >= 0x477FF000u) {  // rounds to a value >= 65520: infinity
    return float16{static_cast<std::uint16_t>(sign | 0x7C00u)};
  }
  if (magnitude < 0x38800000u) {  // below 2^-14: a half subnormal or zero
    if (magnitude < 0x33000000u) return float16{static_cast<std::uint16_t>(sign)};  // < 2^-25
    // The half subnormal is the float's value in units of 2^-24, rounded.
    const std::uint32_t exponent = magnitude >> 23;
    const std::uint32_t mantissa = (magnitude & 0x007FFFFFu) | 0x00800000u;
    const std::uint32_t shift = 126u - exponent;  // 14..24
    const std::uint32_t truncated = mantissa >> shift;
    const std::uint32_t remainder = mantissa & ((1u << shift) - 1u);
    const std::uint32_t half = 1u << (shift - 1u);
    const std::uint32_t rounded =
        truncated + ((remainder > half || (remainder == half && (truncated & 1u))) ? 1u : 0u);
    return float16{static_cast<std::uint16_t>(sign | rounded)};
  }
  // Normal range: rebias the exponent (127 -> 15) and round 13 mantissa bits away.
  const std::uint32_t rebased = magnitude - 0x38000000u;  // exponent - 112
  const std::uint32_t rounding = 0x0FFFu + ((rebased >> 13) & 1u);
  return float16{static_cast<std::uint16_t>(sign | ((rebased + rounding) >> 13))};
}

// IEEE binary16 -> float, exact.
constexpr float to_float(float16 value) noexcept {
  const std::uint32_t sign = static_cast<std::uint32_t>(value.bits & 0x8000u) << 16;
  const std::uint32_t exponent = (value.bits >> 10) & 0x1Fu;
  const std::uint32_t mantissa = value.bits & 0x03FFu;
  if (exponent == 0x1Fu) return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
  if (exponent != 0) {
    return std::bit_cast<float>(sign | ((exponent + 112u) << 23) | (mantissa << 13));
  }
  // Zero or subnormal: mantissa * 2^-24, exact in float.
  const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
  return sign ? -magnitude : magnitude;
}

}  // namespace nninit
