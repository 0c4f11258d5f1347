// Standard normal CDF for per-fill setup (the probabilities of truncation
// bounds): normal_cdf_f64 and normal_cdf_difference_f64. Same rules as the
// generating path: lib/src/math/README.md.
//
// Method: W. J. Cody's ANORM (ACM TOMS Algorithm 715, SPECFUN, 1993), whose
// rational Chebyshev approximations are derived from Cody, "Rational Chebyshev
// approximations for the error function", Math. Comp. 23 (1969) 631-637 (the
// approximations of CALERF), rescaled to the normal distribution so that no
// division of x by sqrt(2) rounds the argument. With y = |x|:
//   y <= 0.66291:       Phi(x) = 1/2 + x * A(x^2) / B(x^2)
//   0.66291 < y <= ~sqrt(32): Phi(-y) = exp(-y^2/2) * C(y) / D(y)
//   y > sqrt(32):       Phi(-y) = exp(-y^2/2) * (1/sqrt(2 pi) - z P(z)/Q(z)) / y,
//                       z = 1/y^2
// and exp(-y^2/2) = exp(-yh^2/2) * exp(-(y - yh)(y + yh)/2), as Cody does, so
// the large exponent carries no rounding error; but with yh = trunc(2^16 y)/2^16
// instead of Cody's trunc(16 y)/16 (yh has at most 22 significant bits, so
// yh^2/2 is still exact, and the rounding error of del = (y - yh)(y + yh),
// which Cody's coarser split lets reach 5e-16 relative in the result, becomes
// negligible). Polynomials are evaluated in Cody's order.
#pragma once

#include <cstdint>

#include "math/exp.hpp"

namespace nninit::internal {

namespace normal_cdf_detail {

// Cody's THRSH, ROOT32 and SQRPI (1/sqrt(2 pi)).
inline constexpr double kCentralLimit = 0.66291;
inline constexpr double kRoot32 = 5.656854248;
inline constexpr double kInvSqrt2Pi = 3.9894228040143267794e-1;
// Below -kUnderflowLimit, Phi(x) < 5.9e-308 would need subnormal arithmetic.
inline constexpr double kUnderflowLimit = 37.5;

// Phi(x) - 1/2 for |x| <= 0.66291 (odd in x, small relative error). As in
// Cody's code, x^2 is not formed for tiny |x| (it would underflow); 2^-600 in
// its place rounds away exactly as x^2 does.
inline double central(double x) {
  // ANORM coefficients for the first interval (A: a[0..4], B: b[0..3]).
  constexpr double a0 = 2.2352520354606839287e00;
  constexpr double a1 = 1.6102823106855587881e02;
  constexpr double a2 = 1.0676894854603709582e03;
  constexpr double a3 = 1.8154981253343561249e04;
  constexpr double a4 = 6.5682337918207449113e-2;
  constexpr double b0 = 4.7202581904688241870e01;
  constexpr double b1 = 9.7609855173777669322e02;
  constexpr double b2 = 1.0260932208618978205e04;
  constexpr double b3 = 4.5507789335026729956e04;
  const double abs_x = x < 0.0 ? 0.0 - x : x;
  const double clamped = abs_x > 0x1p-300 ? abs_x : 0x1p-300;
  const double z = clamped * clamped;
  const double num = (((a4 * z + a0) * z + a1) * z + a2) * z + a3;
  const double den = (((z + b0) * z + b1) * z + b2) * z + b3;
  return x * num / den;
}

// Phi(-y) for y > 0.66291 (the upper tail of y), small relative error;
// +0 for y > 37.5.
inline double tail(double y) {
  if (y > kUnderflowLimit) {
    return 0.0;
  }
  double ratio = 0.0;
  if (y <= kRoot32) {
    // ANORM coefficients for the second interval (C: c[0..8], D: d[0..7]).
    constexpr double c0 = 3.9894151208813466764e-1;
    constexpr double c1 = 8.8831497943883759412e00;
    constexpr double c2 = 9.3506656132177855979e01;
    constexpr double c3 = 5.9727027639480026226e02;
    constexpr double c4 = 2.4945375852903726711e03;
    constexpr double c5 = 6.8481904505362823326e03;
    constexpr double c6 = 1.1602651437647350124e04;
    constexpr double c7 = 9.8427148383839780218e03;
    constexpr double c8 = 1.0765576773720192317e-8;
    constexpr double d0 = 2.2266688044328115691e01;
    constexpr double d1 = 2.3538790178262499861e02;
    constexpr double d2 = 1.5193775994075548050e03;
    constexpr double d3 = 6.4855582982667607550e03;
    constexpr double d4 = 1.8615571640885098091e04;
    constexpr double d5 = 3.4900952721145977266e04;
    constexpr double d6 = 3.8912003286093271411e04;
    constexpr double d7 = 1.9685429676859990727e04;
    const double num =
        (((((((c8 * y + c0) * y + c1) * y + c2) * y + c3) * y + c4) * y + c5) * y + c6) * y + c7;
    const double den =
        (((((((y + d0) * y + d1) * y + d2) * y + d3) * y + d4) * y + d5) * y + d6) * y + d7;
    ratio = num / den;
  } else {
    // ANORM coefficients for the third interval (P: p[0..5], Q: q[0..4]).
    constexpr double p0 = 2.1589853405795699e-1;
    constexpr double p1 = 1.274011611602473639e-1;
    constexpr double p2 = 2.2235277870649807e-2;
    constexpr double p3 = 1.421619193227893466e-3;
    constexpr double p4 = 2.9112874951168792e-5;
    constexpr double p5 = 2.307344176494017303e-2;
    constexpr double q0 = 1.28426009614491121e00;
    constexpr double q1 = 4.68238212480865118e-1;
    constexpr double q2 = 6.59881378689285515e-2;
    constexpr double q3 = 3.78239633202758244e-3;
    constexpr double q4 = 7.29751555083966205e-5;
    const double z = 1.0 / (y * y);
    const double num = ((((p5 * z + p0) * z + p1) * z + p2) * z + p3) * z + p4;
    const double den = ((((z + q0) * z + q1) * z + q2) * z + q3) * z + q4;
    ratio = (kInvSqrt2Pi - z * num / den) / y;
  }
  // y = yh + (y - yh) with yh = trunc(2^16 y)/2^16 (the conversion truncates;
  // 2^16 y < 2^31): yh^2/2 is exact, del = y^2 - yh^2 < 2^-16 * 2y is small.
  const double yh = static_cast<double>(static_cast<std::int32_t>(y * 0x1p16)) * 0x1p-16;
  const double del = (y - yh) * (y + yh);
  return exp_f64(-(yh * yh * 0.5)) * exp_f64(-(del * 0.5)) * ratio;
}

// Phi(-y) for y >= 0.
inline double upper_tail(double y) {
  return y <= kCentralLimit ? 0.5 - central(y) : tail(y);
}

// Phi(y) - 1/2 for y >= 0.
inline double centered(double y) {
  return y <= kCentralLimit ? central(y) : 0.5 - tail(y);
}

}  // namespace normal_cdf_detail

// normal_cdf_f64: the standard normal CDF Phi(x), for x in [-38, 38] (x = 0 or
// |x| >= 2^-1000, so that Phi(x) - 1/2 is a normal double).
// Lower half (x <= 0): max relative error 1.2e-15 for x in [-37.5, 0]
// (tests/math_test.cpp measures 9.1e-16 against Boost.Math erfc in 113-bit
// cpp_bin_float; the rounding of the 8th-degree rational of the second interval
// dominates; Phi(-10) = 7.6198530241605e-24 to 1e-15); for x < -37.5, where
// Phi(x) < 5.9e-308 and the value would need subnormal arithmetic, the result
// is +0. Upper half (x > 0): 1 - Phi(-x) (and 1/2 + (Phi(x) - 1/2) for
// x <= 0.66291), max error 2 ulp (measured 1.64 ulp). Phi(0) == 0.5 exactly.
inline double normal_cdf_f64(double x) {
  using namespace normal_cdf_detail;
  const double y = x < 0.0 ? 0.0 - x : x;
  if (y <= kCentralLimit) {
    return 0.5 + central(x);
  }
  const double t = tail(y);
  return x < 0.0 ? t : 1.0 - t;
}

// normal_cdf_difference_f64: Phi(b) - Phi(a) for a < b, both in [-38, 38]
// (each 0 or of magnitude >= 2^-1000).
// Never computes 1 - Phi for a value that is then subtracted: when both bounds
// are in one tail it subtracts the small tail values (Phi(b) - Phi(a) for
// b <= 0, Phi(-a) - Phi(-b) for a >= 0); when a < 0 < b it adds the two
// positive halves (Phi(b) - 1/2) + (1/2 - Phi(a)); when both are within
// 0.66291 of 0 it subtracts the odd central parts. So the result has small
// relative error unless the two terms nearly cancel (b - a small compared with
// the distance between the bounds and the end of their tail). Max error:
// 1.2e-15 * (|term a| + |term b|) (measured 7.6e-16), and 4e-16 relative when
// a < 0 < b (measured 2.5e-16), by tests/math_test.cpp against 113-bit
// references.
inline double normal_cdf_difference_f64(double a, double b) {
  using namespace normal_cdf_detail;
  const double abs_a = a < 0.0 ? 0.0 - a : a;
  const double abs_b = b < 0.0 ? 0.0 - b : b;
  if (abs_a <= kCentralLimit && abs_b <= kCentralLimit) {
    return central(b) - central(a);
  }
  if (b <= 0.0) {
    return upper_tail(abs_b) - upper_tail(abs_a);
  }
  if (a >= 0.0) {
    return upper_tail(a) - upper_tail(b);
  }
  return centered(b) + centered(abs_a);
}

}  // namespace nninit::internal
