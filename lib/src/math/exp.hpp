// Exponential function exp_f64, used in per-fill setup (the normal CDF of the
// truncation bounds). Same rules as the generating path: lib/src/math/README.md.
//
// Method: n = round(x / ln2) with the 1.5 * 2^52 shifter (exact round to
// nearest even, no conversion instruction needed), Cody–Waite reduction
// r = (x - n*ln2_hi) - n*ln2_lo with |r| <= 0.3466, exp(r) = 1 + (r + r^2 * P(r))
// with P the Taylor polynomial 1/2! + r/3! + ... + r^11/13! (Horner; the
// truncation error is below 6e-18 relative), and the scale 2^n built from bits.
#pragma once

#include <bit>
#include <cstdint>

namespace nninit::internal {

// exp_f64: e^x for x in [-708, 709]; every result and every intermediate is a
// normal double there (exp(-708) = 3.3e-308 > 2^-1022, 2^n is applied in one
// exact multiplication with n in [-1021, 1023], and |x| < 2^-60, whose powers
// would underflow, is replaced by 0: e^x rounds to 1 there anyway).
// exp_f64(0) == 1 exactly.
// Max error 1.1 ulp (tests/math_test.cpp measures 0.96 ulp against long double
// std::exp over the whole range, dense in [-1, 1] and at the reduction's
// rounding boundaries). Outside [-708, 709] the result is unspecified.
inline double exp_f64(double x) {
  constexpr double inv_ln2 = 0x1.71547652b82fep+0;  // 1/ln2 rounded
  constexpr double shifter = 0x1.8p52;              // 1.5 * 2^52
  // fdlibm e_exp.c: ln2_hi has 32 significant bits, so n*ln2_hi is exact for
  // |n| < 2^21 and x - n*ln2_hi is exact; ln2_lo = ln2 - ln2_hi rounded.
  constexpr double ln2_hi = 0x1.62e42fee00000p-1;
  constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
  // Taylor coefficients 1/k!, k = 2..13, rounded to double.
  constexpr double c2 = 0x1.0000000000000p-1;
  constexpr double c3 = 0x1.5555555555555p-3;
  constexpr double c4 = 0x1.5555555555555p-5;
  constexpr double c5 = 0x1.1111111111111p-7;
  constexpr double c6 = 0x1.6c16c16c16c17p-10;
  constexpr double c7 = 0x1.a01a01a01a01ap-13;
  constexpr double c8 = 0x1.a01a01a01a01ap-16;
  constexpr double c9 = 0x1.71de3a556c734p-19;
  constexpr double c10 = 0x1.27e4fb7789f5cp-22;
  constexpr double c11 = 0x1.ae64567f544e4p-26;
  constexpr double c12 = 0x1.1eed8eff8d898p-29;
  constexpr double c13 = 0x1.6124613a86d09p-33;

  // kd = x/ln2 rounded to the nearest integer (ties to even); the low 32 bits
  // of the shifted value's bit pattern are n in two's complement.
  const double abs_x = x < 0.0 ? 0.0 - x : x;
  const double xr = abs_x < 0x1p-60 ? 0.0 : x;
  const double shifted = xr * inv_ln2 + shifter;
  const auto n = static_cast<std::int32_t>(
      static_cast<std::uint32_t>(std::bit_cast<std::uint64_t>(shifted) & 0xffffffffu));
  const double kd = shifted - shifter;

  const double r = (xr - kd * ln2_hi) - kd * ln2_lo;
  const double p = c2 + r * (c3 + r * (c4 + r * (c5 + r * (c6 + r * (c7 + r * (c8 + r * (c9 +
                   r * (c10 + r * (c11 + r * (c12 + r * c13))))))))));
  const double y = 1.0 + (r + r * r * p);
  const double scale =
      std::bit_cast<double>(static_cast<std::uint64_t>(static_cast<std::uint32_t>(n + 1023)) << 52);
  return y * scale;
}

}  // namespace nninit::internal
