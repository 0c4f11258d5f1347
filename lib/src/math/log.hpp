// Natural logarithm on the generating path: log_f32 (the log of Box–Muller
// and of the inverse-CDF tails) and log_f64. Rules: lib/src/math/README.md.
//
// Method (fdlibm/FreeBSD e_log.c and e_logf.c): split x = 2^e * m with integer
// operations, m in [sqrt(1/2), sqrt(2)); f = m - 1 (exact); s = f / (2 + f);
// log(m) = f - hfsq + s * (hfsq + R(s^2)) with hfsq = f*f/2 and R a minimax
// polynomial in s^2 (Horner); then add e * ln2 with ln2 split into a high part
// whose product with e is exact and a low part.
#pragma once

#include <bit>
#include <cstdint>

namespace nninit::internal {

// log_f32: natural logarithm of a positive normal float, x in [2^-126, 2^128).
// log_f32(1) == +0 exactly. Max error 1 ulp (tests/math_test.cpp measures
// 0.84 ulp against long double std::log; every float in [0.5, 2) gives 0.84,
// random mantissas in every binade 0.80). Subnormals, zero, negatives, inf and
// NaN are outside the contract.
inline float log_f32(float x) {
  // x = 2^e * m, m in [sqrt(1/2), sqrt(2)): 0x3f3504f3 is the bit pattern of
  // sqrt(1/2) rounded to float. The arithmetic shift gives e (also negative).
  const std::uint32_t ix = std::bit_cast<std::uint32_t>(x) - 0x3f3504f3u;
  const std::int32_t e = static_cast<std::int32_t>(ix) >> 23;
  const float m = std::bit_cast<float>((ix & 0x007fffffu) + 0x3f3504f3u);

  // FreeBSD e_logf.c: ln2_hi = 0x3f317180 (17 significant bits, so e*ln2_hi
  // is exact for |e| <= 128); ln2_lo = ln2 - ln2_hi rounded to float.
  constexpr float ln2_hi = 0x1.62e300p-1f;
  constexpr float ln2_lo = 0x1.2fefa4p-17f;
  // FreeBSD e_logf.c Lg1..Lg4: |(log(1+s)-log(1-s))/s - Lg(s)| < 2^-34.24.
  constexpr float lg1 = 0x1.555554p-1f;  // 0xaaaaaa.0p-24
  constexpr float lg2 = 0x1.999c26p-2f;  // 0xccce13.0p-25
  constexpr float lg3 = 0x1.23d3dcp-2f;  // 0x91e9ee.0p-25
  constexpr float lg4 = 0x1.f13c4cp-3f;  // 0xf89e26.0p-26

  const float f = m - 1.0f;
  const float s = f / (2.0f + f);
  const float z = s * s;
  const float r = z * (lg1 + z * (lg2 + z * (lg3 + z * lg4)));
  const float hfsq = 0.5f * f * f;
  const float dk = static_cast<float>(e);
  return dk * ln2_hi - ((hfsq - (s * (hfsq + r) + dk * ln2_lo)) - f);
}

// log_f64: natural logarithm of a positive normal double, x in
// [2^-1022, 2^1024). log_f64(1) == +0 exactly. Max error 1 ulp
// (tests/math_test.cpp measures 0.85 ulp against long double std::log, over
// random mantissas in every binade and dense around 1). Subnormals, zero,
// negatives, inf and NaN are outside the contract.
inline double log_f64(double x) {
  // 0x3fe6a09e667f3bcd is sqrt(1/2) rounded to double.
  const std::uint64_t ix = std::bit_cast<std::uint64_t>(x) - 0x3fe6a09e667f3bcdull;
  const auto e = static_cast<std::int32_t>(static_cast<std::int64_t>(ix) >> 52);
  const double m = std::bit_cast<double>((ix & 0x000fffffffffffffull) + 0x3fe6a09e667f3bcdull);

  // fdlibm e_log.c: ln2_hi = 3fe62e42 fee00000 (32 significant bits, e*ln2_hi
  // exact for |e| <= 2^21), ln2_lo = 3dea39ef 35793c76.
  constexpr double ln2_hi = 0x1.62e42fee00000p-1;
  constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
  // fdlibm e_log.c Lg1..Lg7: |(log(1+s)-log(1-s))/s - Lg(s)| < 2^-58.45.
  constexpr double lg1 = 0x1.5555555555593p-1;  // 6.666666666666735130e-01
  constexpr double lg2 = 0x1.999999997fa04p-2;  // 3.999999999940941908e-01
  constexpr double lg3 = 0x1.2492494229359p-2;  // 2.857142874366239149e-01
  constexpr double lg4 = 0x1.c71c51d8e78afp-3;  // 2.222219843214978396e-01
  constexpr double lg5 = 0x1.7466496cb03dep-3;  // 1.818357216161805012e-01
  constexpr double lg6 = 0x1.39a09d078c69fp-3;  // 1.531383769920937332e-01
  constexpr double lg7 = 0x1.2f112df3e5244p-3;  // 1.479819860511658591e-01

  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double r =
      z * (lg1 + z * (lg2 + z * (lg3 + z * (lg4 + z * (lg5 + z * (lg6 + z * lg7))))));
  const double hfsq = 0.5 * f * f;
  const double dk = static_cast<double>(e);
  return dk * ln2_hi - ((hfsq - (s * (hfsq + r) + dk * ln2_lo)) - f);
}

}  // namespace nninit::internal
