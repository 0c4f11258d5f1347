// kernels/output_format.hpp — per output type: the working precision values
// are computed in (float for float/bfloat16/float16, double for double), the
// rounding from working precision to the output, and exact neighbour steps
// used to place bounds on representable values.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>

#include "nninit/dtype.hpp"

namespace nninit::internal {

template <class T>
struct OutputFormat;

template <>
struct OutputFormat<float> {
  using Working = float;
  using Bits = std::uint32_t;
  static constexpr const char* name = "float32";
  static float from_working(float x) noexcept { return x; }
  static float to_working(float v) noexcept { return v; }
  static Bits bits(float v) noexcept { return std::bit_cast<Bits>(v); }
  static float from_bits(Bits b) noexcept { return std::bit_cast<float>(b); }
  static constexpr Bits sign_bit = 0x80000000u;
  static double max_finite() noexcept { return std::numeric_limits<float>::max(); }
};

template <>
struct OutputFormat<double> {
  using Working = double;
  using Bits = std::uint64_t;
  static constexpr const char* name = "float64";
  static double from_working(double x) noexcept { return x; }
  static double to_working(double v) noexcept { return v; }
  static Bits bits(double v) noexcept { return std::bit_cast<Bits>(v); }
  static double from_bits(Bits b) noexcept { return std::bit_cast<double>(b); }
  static constexpr Bits sign_bit = 0x8000000000000000u;
  static double max_finite() noexcept { return std::numeric_limits<double>::max(); }
};

template <>
struct OutputFormat<bfloat16> {
  using Working = float;
  using Bits = std::uint16_t;
  static constexpr const char* name = "bfloat16";
  static bfloat16 from_working(float x) noexcept { return to_bfloat16(x); }
  static float to_working(bfloat16 v) noexcept { return to_float(v); }
  static Bits bits(bfloat16 v) noexcept { return v.bits; }
  static bfloat16 from_bits(Bits b) noexcept { return bfloat16{b}; }
  static constexpr Bits sign_bit = 0x8000u;
  static double max_finite() noexcept { return 0x1.FEp127; }
};

template <>
struct OutputFormat<float16> {
  using Working = float;
  using Bits = std::uint16_t;
  static constexpr const char* name = "float16";
  static float16 from_working(float x) noexcept { return to_float16(x); }
  static float to_working(float16 v) noexcept { return to_float(v); }
  static Bits bits(float16 v) noexcept { return v.bits; }
  static float16 from_bits(Bits b) noexcept { return float16{b}; }
  static constexpr Bits sign_bit = 0x8000u;
  static double max_finite() noexcept { return 65504.0; }
};

// Value of an output element as a double (exact).
template <class T>
double to_double(T value) noexcept {
  return static_cast<double>(OutputFormat<T>::to_working(value));
}

// The next representable value above / below (sign-magnitude bit stepping;
// zero steps to the smallest subnormal of the other direction's sign).
template <class T>
T next_up(T value) noexcept {
  using F = OutputFormat<T>;
  using Bits = typename F::Bits;
  const Bits bits = F::bits(value);
  const Bits magnitude = static_cast<Bits>(bits & static_cast<Bits>(~F::sign_bit));
  if (magnitude == 0) return F::from_bits(Bits{1});
  if (bits & F::sign_bit) return F::from_bits(static_cast<Bits>(bits - 1u));
  return F::from_bits(static_cast<Bits>(bits + 1u));
}

template <class T>
T next_down(T value) noexcept {
  using F = OutputFormat<T>;
  using Bits = typename F::Bits;
  const Bits bits = F::bits(value);
  const Bits magnitude = static_cast<Bits>(bits & static_cast<Bits>(~F::sign_bit));
  if (magnitude == 0) return F::from_bits(static_cast<Bits>(F::sign_bit | 1u));
  if (bits & F::sign_bit) return F::from_bits(static_cast<Bits>(bits + 1u));
  return F::from_bits(static_cast<Bits>(bits - 1u));
}

// A representable value within a step or two of v (finite v within range).
template <class T>
T approximately(double v) noexcept {
  return OutputFormat<T>::from_working(
      static_cast<typename OutputFormat<T>::Working>(v));
}

// The smallest representable value >= v, for finite v inside the type's range.
template <class T>
T smallest_at_least(double v) noexcept {
  T candidate = approximately<T>(v);
  while (to_double(candidate) < v) candidate = next_up(candidate);
  while (to_double(next_down(candidate)) >= v) candidate = next_down(candidate);
  return candidate;
}

// The largest representable value <= v, for finite v inside the type's range.
template <class T>
T largest_at_most(double v) noexcept {
  T candidate = approximately<T>(v);
  while (to_double(candidate) > v) candidate = next_down(candidate);
  while (to_double(next_up(candidate)) <= v) candidate = next_up(candidate);
  return candidate;
}

// The largest representable value < v, for finite v inside the type's range.
template <class T>
T largest_below(double v) noexcept {
  T candidate = largest_at_most<T>(v);
  if (to_double(candidate) == v) candidate = next_down(candidate);
  return candidate;
}

// v rounded to the nearest representable value, ties to the even bit pattern.
template <class T>
T round_to_nearest(double v) noexcept {
  const T below = largest_at_most<T>(v);
  const T above = smallest_at_least<T>(v);
  const double distance_below = v - to_double(below);
  const double distance_above = to_double(above) - v;
  if (distance_below < distance_above) return below;
  if (distance_above < distance_below) return above;
  return (OutputFormat<T>::bits(below) & 1u) == 0 ? below : above;
}

}  // namespace nninit::internal
