// Sine and cosine of a fraction of a full turn given as an integer, for the
// angle of Box–Muller: sincos_turns_f32 (angle 2*pi*k/2^24) and
// sincos_turns_f64 (angle 2*pi*k/2^53). Rules: lib/src/math/README.md.
//
// Method: the reduction is exact, in integers. With N = 24 (f32) or 53 (f64):
//   quadrant q = bits N-1..N-2 of k, remainder r = the low N-2 bits;
//   octant fold: if r > 2^(N-3), use rr = 2^(N-2) - r and swap sin and cos
//   (sin(pi/2 - a) = cos(a)); t = rr * 2^-(N-2) in [0, 1/2] (exact);
//   S = sin(pi/2 * t) = t + t * PS(t^2), C = cos(pi/2 * t) = 1 + t^2 * PC(t^2)
//   (the leading terms t and 1 exact, so the rounding of pi/2 and of the
//   polynomial only touch the smaller correction),
//   with PS, PC minimax polynomials (relative error, computed with a Remez
//   exchange in 60-digit arithmetic, coefficients rounded one at a time from
//   the lowest degree and the rest refitted), Horner in t^2;
//   then rotate by the quadrant: q=0: (S, C); q=1: (C, -S); q=2: (-S, -C);
//   q=3: (-C, S).
// Because the fold keeps the angle in [0, pi/4], both results have small
// relative (ulp) error everywhere, including near the zeros of sin and cos.
// Negation is written as 0 - v so that exact zeros come out as +0 (a SIMD
// version must subtract from zero too, not flip the sign bit).
#pragma once

#include <cstdint>

namespace nninit::internal {

struct SinCos32 {
  float sin;
  float cos;
};

struct SinCos64 {
  double sin;
  double cos;
};

// sincos_turns_f32: sin and cos of 2*pi*k/2^24. Only k mod 2^24 is used (the
// functions are periodic), so every uint32 is valid. k = 0, 2^22, 2^23, 3*2^22
// give exactly (0, 1), (1, 0), (0, -1), (-1, 0), all zeros +0. Max error
// 1.3 ulp for each of sin and cos (exhaustive: 1.22 ulp for both over all 2^24
// k; tests/math_test.cpp checks every k of the first octant, which the exact
// fold and rotation, checked bit for bit, map onto all others, against long
// double std::sin/std::cos).
inline SinCos32 sincos_turns_f32(std::uint32_t k) {
  // 1 + PS(z) ~ sin(pi/2 sqrt z)/sqrt z, z in [0, 1/4], max rel. error
  // 2^-26.6 (dominated by ps1 = pi/2 - 1 rounded to float).
  constexpr float ps1 = 0x1.243f6ap-1f;
  constexpr float ps3 = -0x1.4abb9cp-1f;
  constexpr float ps5 = 0x1.465446p-4f;
  constexpr float ps7 = -0x1.2bca2cp-8f;
  // 1 + z * PC(z) ~ cos(pi/2 sqrt z), z in [0, 1/4], max rel. error 2^-31.0.
  constexpr float pc2 = -0x1.3bd3ccp+0f;
  constexpr float pc4 = 0x1.03c1aep-2f;
  constexpr float pc6 = -0x1.55b132p-6f;
  constexpr float pc8 = 0x1.d46d86p-11f;

  const std::uint32_t quadrant = (k >> 22) & 3u;
  const std::uint32_t r = k & 0x3fffffu;
  const bool fold = r > 0x200000u;
  const std::uint32_t rr = fold ? 0x400000u - r : r;  // in [0, 2^21]
  const float t = static_cast<float>(rr) * 0x1p-22f;  // exact, in [0, 1/2]
  const float z = t * t;
  const float s = t + t * (ps1 + z * (ps3 + z * (ps5 + z * ps7)));
  const float c = 1.0f + z * (pc2 + z * (pc4 + z * (pc6 + z * pc8)));
  const float s0 = fold ? c : s;
  const float c0 = fold ? s : c;
  switch (quadrant) {
    case 0:
      return {s0, c0};
    case 1:
      return {c0, 0.0f - s0};
    case 2:
      return {0.0f - s0, 0.0f - c0};
    default:
      return {0.0f - c0, s0};
  }
}

// sincos_turns_f64: sin and cos of 2*pi*k/2^53. Only k mod 2^53 is used, so
// every uint64 is valid. k = 0, 2^51, 2^52, 3*2^51 give exactly (0, 1), (1, 0),
// (0, -1), (-1, 0), all zeros +0. Max error 1.5 ulp for each of sin and cos
// (tests/math_test.cpp measures 1.34 ulp against long double std::sin/std::cos
// of the exactly folded angle, over random k and k next to the octant
// boundaries).
inline SinCos64 sincos_turns_f64(std::uint64_t k) {
  // 1 + PS(z) ~ sin(pi/2 sqrt z)/sqrt z, z in [0, 1/4], max rel. error
  // 2^-54.8 (dominated by ps1 = pi/2 - 1 rounded to double).
  constexpr double ps1 = 0x1.243f6a8885a31p-1;
  constexpr double ps3 = -0x1.4abbce625bec8p-1;
  constexpr double ps5 = 0x1.466bc67764567p-4;
  constexpr double ps7 = -0x1.32d2ccef30f1ep-8;
  constexpr double ps9 = 0x1.50783b768175dp-13;
  constexpr double ps11 = -0x1.e30a985aeb624p-19;
  constexpr double ps13 = 0x1.e74a0942deb3fp-25;
  // 1 + z * PC(z) ~ cos(pi/2 sqrt z), z in [0, 1/4], max rel. error 2^-60.6.
  constexpr double pc2 = -0x1.3bd3cc9be45dep+0;
  constexpr double pc4 = 0x1.03c1f081b5a39p-2;
  constexpr double pc6 = -0x1.55d3c7e3bc17cp-6;
  constexpr double pc8 = 0x1.e1f5066eec62cp-11;
  constexpr double pc10 = -0x1.a6d1dc967658bp-16;
  constexpr double pc12 = 0x1.f9c03bb1d5691p-22;
  constexpr double pc14 = -0x1.aedc4ce46b53bp-28;

  constexpr std::uint64_t quarter = std::uint64_t{1} << 51;  // a quarter turn
  const auto quadrant = static_cast<std::uint32_t>((k >> 51) & 3u);
  const std::uint64_t r = k & (quarter - 1);
  const bool fold = r > (quarter >> 1);
  const std::uint64_t rr = fold ? quarter - r : r;  // in [0, 2^50]
  const double t = static_cast<double>(rr) * 0x1p-51;  // exact, in [0, 1/2]
  const double z = t * t;
  const double s =
      t + t * (ps1 + z * (ps3 + z * (ps5 + z * (ps7 + z * (ps9 + z * (ps11 + z * ps13))))));
  const double c =
      1.0 + z * (pc2 + z * (pc4 + z * (pc6 + z * (pc8 + z * (pc10 + z * (pc12 + z * pc14))))));
  const double s0 = fold ? c : s;
  const double c0 = fold ? s : c;
  switch (quadrant) {
    case 0:
      return {s0, c0};
    case 1:
      return {c0, 0.0 - s0};
    case 2:
      return {0.0 - s0, 0.0 - c0};
    default:
      return {0.0 - c0, s0};
  }
}

}  // namespace nninit::internal
