// Inverse standard normal CDF on the generating path (truncated normal), as
// the pieces of M. J. Wichura, "Algorithm AS 241: The percentage points of the
// normal distribution", Applied Statistics 37 (1988) 477-484, so that the
// caller chooses how the probability is represented: the central piece takes
// q = p - 1/2 (exact near 1/2), the tail piece takes the small tail
// probability itself (exact near 0). f32: PPND7 (3rd/2nd-degree rationals),
// f64: PPND16 (7th-degree rationals). Rules: lib/src/math/README.md.
//
// Coefficients are Wichura's published numbers; their transcription was
// checked against his hash sums (sums of the mantissas): PPND7 AB 32.3184577772,
// CD 15.7614929821, EF 19.4052910204; PPND16 AB 55.88319 28806 14901 4439,
// CD 49.33206 50330 16102 89036, EF 47.52583 31754 92896 71629. Rationals are
// evaluated in Wichura's order (Horner, numerator and denominator, then one
// division; the central piece multiplies by q before dividing).
// The tail pieces branch on r <= 5; a SIMD version computes both rationals and
// selects, which gives the same bits.
#pragma once

#include <cmath>

#include "math/log.hpp"

namespace nninit::internal {

// inverse_normal_central_f32: Phi^-1(1/2 + q) for |q| <= 0.425, q = 0 or a
// normal float (PPND7 central rational in r = 0.180625 - q^2; q^2 is formed
// from max(|q|, 2^-40), which rounds away exactly as a smaller square would,
// so no square underflows). Odd: f(-q) == -f(q) exactly, f(0) == 0.
// Max error 6 ulp (tests/math_test.cpp measures up to 5.5 ulp against
// sqrt(2) * boost::math::erf_inv(2q) in long double; PPND7 itself is within
// 4.6e-8 relative, the rest is the rounding of the float evaluation).
inline float inverse_normal_central_f32(float q) {
  constexpr float a0 = 3.3871327179e+00f;
  constexpr float a1 = 5.0434271938e+01f;
  constexpr float a2 = 1.5929113202e+02f;
  constexpr float a3 = 5.9109374720e+01f;
  constexpr float b1 = 1.7895169469e+01f;
  constexpr float b2 = 7.8757757664e+01f;
  constexpr float b3 = 6.7187563600e+01f;
  const float abs_q = q < 0.0f ? 0.0f - q : q;
  const float clamped = abs_q > 0x1p-40f ? abs_q : 0x1p-40f;
  const float r = 0.180625f - clamped * clamped;
  const float num = ((a3 * r + a2) * r + a1) * r + a0;
  const float den = ((b3 * r + b2) * r + b1) * r + 1.0f;
  return q * num / den;
}

// inverse_normal_lower_tail_f32: Phi^-1(p) (negative) for p in [1e-37, 0.075],
// PPND7 tail rationals in r = sqrt(-log_f32(p)): r - 1.6 for r <= 5
// (p >= 1.4e-11), r - 5 beyond. Max error 7.5 ulp (tests/math_test.cpp
// measures up to 6.5 ulp, near the switch at r = 5, against
// -sqrt(2) * boost::math::erfc_inv(2p) in long double; PPND7 itself is within
// 1.2e-7 relative).
inline float inverse_normal_lower_tail_f32(float p) {
  const float r = std::sqrt(0.0f - log_f32(p));
  float value = 0.0f;
  if (r <= 5.0f) {
    constexpr float c0 = 1.4234372777e+00f;
    constexpr float c1 = 2.7568153900e+00f;
    constexpr float c2 = 1.3067284816e+00f;
    constexpr float c3 = 1.7023821103e-01f;
    constexpr float d1 = 7.3700164250e-01f;
    constexpr float d2 = 1.2021132975e-01f;
    const float s = r - 1.6f;
    value = (((c3 * s + c2) * s + c1) * s + c0) / ((d2 * s + d1) * s + 1.0f);
  } else {
    constexpr float e0 = 6.6579051150e+00f;
    constexpr float e1 = 3.0812263860e+00f;
    constexpr float e2 = 4.2868294337e-01f;
    constexpr float e3 = 1.7337203997e-02f;
    constexpr float f1 = 2.4197894225e-01f;
    constexpr float f2 = 1.2258202635e-02f;
    const float s = r - 5.0f;
    value = (((e3 * s + e2) * s + e1) * s + e0) / ((f2 * s + f1) * s + 1.0f);
  }
  return 0.0f - value;
}

// inverse_normal_central_f64: Phi^-1(1/2 + q) for |q| <= 0.425, q = 0 or a
// normal double (PPND16 central rational in r = 0.180625 - q^2, q^2 formed
// from max(|q|, 2^-300) as in the f32 version). Odd: f(-q) == -f(q) exactly,
// f(0) == 0.
// Max error 7.5 ulp (tests/math_test.cpp measures up to 6.7 ulp against
// sqrt(2) * boost::math::erf_inv(2q) in long double; PPND16 itself is within
// 7.5e-17 relative, the rest is the rounding of the two 7th-degree Horner
// evaluations).
inline double inverse_normal_central_f64(double q) {
  constexpr double a0 = 3.3871328727963666080e0;
  constexpr double a1 = 1.3314166789178437745e+2;
  constexpr double a2 = 1.9715909503065514427e+3;
  constexpr double a3 = 1.3731693765509461125e+4;
  constexpr double a4 = 4.5921953931549871457e+4;
  constexpr double a5 = 6.7265770927008700853e+4;
  constexpr double a6 = 3.3430575583588128105e+4;
  constexpr double a7 = 2.5090809287301226727e+3;
  constexpr double b1 = 4.2313330701600911252e+1;
  constexpr double b2 = 6.8718700749205790830e+2;
  constexpr double b3 = 5.3941960214247511077e+3;
  constexpr double b4 = 2.1213794301586595867e+4;
  constexpr double b5 = 3.9307895800092710610e+4;
  constexpr double b6 = 2.8729085735721942674e+4;
  constexpr double b7 = 5.2264952788528545610e+3;
  const double abs_q = q < 0.0 ? 0.0 - q : q;
  const double clamped = abs_q > 0x1p-300 ? abs_q : 0x1p-300;
  const double r = 0.180625 - clamped * clamped;
  const double num =
      ((((((a7 * r + a6) * r + a5) * r + a4) * r + a3) * r + a2) * r + a1) * r + a0;
  const double den =
      ((((((b7 * r + b6) * r + b5) * r + b4) * r + b3) * r + b2) * r + b1) * r + 1.0;
  return q * num / den;
}

// inverse_normal_lower_tail_f64: Phi^-1(p) (negative) for p in [1e-300, 0.075],
// PPND16 tail rationals in r = sqrt(-log_f64(p)): r - 1.6 for r <= 5
// (p >= 1.4e-11), r - 5 beyond. Max error 9 ulp (tests/math_test.cpp measures
// up to 7.7 ulp against -sqrt(2) * boost::math::erfc_inv(2p) in long double;
// PPND16 itself is within 3e-17 relative, the rest is the rounding of log,
// sqrt and the two 7th-degree Horner evaluations).
inline double inverse_normal_lower_tail_f64(double p) {
  const double r = std::sqrt(0.0 - log_f64(p));
  double value = 0.0;
  if (r <= 5.0) {
    constexpr double c0 = 1.42343711074968357734e0;
    constexpr double c1 = 4.63033784615654529590e0;
    constexpr double c2 = 5.76949722146069140550e0;
    constexpr double c3 = 3.64784832476320460504e0;
    constexpr double c4 = 1.27045825245236838258e0;
    constexpr double c5 = 2.41780725177450611770e-1;
    constexpr double c6 = 2.27238449892691845833e-2;
    constexpr double c7 = 7.74545014278341407640e-4;
    constexpr double d1 = 2.05319162663775882187e0;
    constexpr double d2 = 1.67638483018380384940e0;
    constexpr double d3 = 6.89767334985100004550e-1;
    constexpr double d4 = 1.48103976427480074590e-1;
    constexpr double d5 = 1.51986665636164571966e-2;
    constexpr double d6 = 5.47593808499534494600e-4;
    constexpr double d7 = 1.05075007164441684324e-9;
    const double s = r - 1.6;
    value = (((((((c7 * s + c6) * s + c5) * s + c4) * s + c3) * s + c2) * s + c1) * s + c0) /
            (((((((d7 * s + d6) * s + d5) * s + d4) * s + d3) * s + d2) * s + d1) * s + 1.0);
  } else {
    constexpr double e0 = 6.65790464350110377720e0;
    constexpr double e1 = 5.46378491116411436990e0;
    constexpr double e2 = 1.78482653991729133580e0;
    constexpr double e3 = 2.96560571828504891230e-1;
    constexpr double e4 = 2.65321895265761230930e-2;
    constexpr double e5 = 1.24266094738807843860e-3;
    constexpr double e6 = 2.71155556874348757815e-5;
    constexpr double e7 = 2.01033439929228813265e-7;
    constexpr double f1 = 5.99832206555887937690e-1;
    constexpr double f2 = 1.36929880922735805310e-1;
    constexpr double f3 = 1.48753612908506148525e-2;
    constexpr double f4 = 7.86869131145613259100e-4;
    constexpr double f5 = 1.84631831751005468180e-5;
    constexpr double f6 = 1.42151175831644588870e-7;
    constexpr double f7 = 2.04426310338993978564e-15;
    const double s = r - 5.0;
    value = (((((((e7 * s + e6) * s + e5) * s + e4) * s + e3) * s + e2) * s + e1) * s + e0) /
            (((((((f7 * s + f6) * s + f5) * s + f4) * s + f3) * s + f2) * s + f1) * s + 1.0);
  }
  return 0.0 - value;
}

}  // namespace nninit::internal
