// nninit/validation/half_precision.hpp — the 16-bit floating-point formats
// (bfloat16, float16) held as raw bits, as .npy files store them: exact
// conversion to double and back, and the grid each format's values lie on.
#pragma once

#include <cstdint>
#include <optional>

#include "nninit/validation/output_grid.hpp"

namespace nninit::validation {

enum class HalfFormat { bfloat16, float16 };

// OutputGrid::bfloat16 or OutputGrid::float16.
constexpr OutputGrid grid_of(HalfFormat format) noexcept {
  return format == HalfFormat::bfloat16 ? OutputGrid::bfloat16 : OutputGrid::float16;
}

// Whether `bits` encode a finite value (not an infinity or a NaN).
constexpr bool half_bits_finite(std::uint16_t bits, HalfFormat format) noexcept {
  const std::uint16_t exponent = format == HalfFormat::bfloat16 ? 0x7F80u : 0x7C00u;
  return (bits & exponent) != exponent;
}

// The value of `bits`, exactly (bfloat16: the upper half of a float32;
// float16: IEEE binary16 with subnormals). NaN for NaN bits.
// Example: half_bits_to_double(0x3F80, HalfFormat::bfloat16) == 1.0.
double half_bits_to_double(std::uint16_t bits, HalfFormat format) noexcept;

// The bits of x when x is exactly a finite value of `format` (-0 and +0 keep
// their sign), otherwise nullopt: agrees with is_on_grid(x, grid_of(format))
// for finite x. Example: double_to_half_bits(0.1, HalfFormat::float16) == nullopt.
std::optional<std::uint16_t> double_to_half_bits(double x, HalfFormat format) noexcept;

}  // namespace nninit::validation
