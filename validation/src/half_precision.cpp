// bfloat16 / float16 bits to double and back.
#include "nninit/validation/half_precision.hpp"

#include <bit>
#include <cmath>
#include <limits>

namespace nninit::validation {

double half_bits_to_double(std::uint16_t bits, HalfFormat format) noexcept {
  if (format == HalfFormat::bfloat16) {
    return static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16));
  }
  const double sign = (bits & 0x8000u) != 0 ? -1.0 : 1.0;
  const int exponent = (bits >> 10) & 0x1F;
  const int fraction = bits & 0x3FF;
  if (exponent == 0x1F) return fraction == 0 ? sign * std::numeric_limits<double>::infinity()
                                             : std::numeric_limits<double>::quiet_NaN();
  if (exponent == 0) return sign * std::ldexp(static_cast<double>(fraction), -24);
  return sign * std::ldexp(static_cast<double>(fraction + 1024), exponent - 25);
}

std::optional<std::uint16_t> double_to_half_bits(double x, HalfFormat format) noexcept {
  if (!std::isfinite(x)) return std::nullopt;
  const float f = static_cast<float>(x);
  if (static_cast<double>(f) != x) return std::nullopt;  // beyond float32, bfloat16 and float16 hold nothing
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  if (format == HalfFormat::bfloat16) {
    if ((bits & 0xFFFFu) != 0) return std::nullopt;
    return static_cast<std::uint16_t>(bits >> 16);
  }
  const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t exponent = (bits >> 23) & 0xFFu;
  const std::uint32_t fraction = bits & 0x7FFFFFu;
  if (exponent == 0) {  // float32 zero or subnormal: only zero is a float16 value
    if (fraction != 0) return std::nullopt;
    return sign;
  }
  const int e = static_cast<int>(exponent) - 127;
  if (e > 15) return std::nullopt;
  if (e >= -14) {  // a normal float16
    if ((fraction & 0x1FFFu) != 0) return std::nullopt;
    return static_cast<std::uint16_t>(sign | static_cast<std::uint32_t>(e + 15) << 10 | fraction >> 13);
  }
  if (e < -24) return std::nullopt;
  // A float16 subnormal: (1.fraction) 2^e must be a multiple of 2^-24.
  const std::uint32_t significand = fraction | 0x800000u;
  const auto shift = static_cast<std::uint32_t>(13 + (-14 - e));
  if ((significand & ((std::uint32_t{1} << shift) - 1u)) != 0) return std::nullopt;
  return static_cast<std::uint16_t>(sign | significand >> shift);
}

}  // namespace nninit::validation
