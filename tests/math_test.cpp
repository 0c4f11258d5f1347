// Accuracy of the generating-path math (lib/src/math): every function is
// sampled over its whole documented input range and compared with a
// higher-precision reference (long double libm, Boost.Math in long double, and
// Boost.Math in 113-bit cpp_bin_float for the normal CDF tails). The bounds
// asserted here are the ones stated in the headers; each test prints the
// maximum it measured. Exact identities (log(1) = 0, the quadrant points of
// sincos, the exact symmetries of the reductions) are checked bit for bit.
#include <gtest/gtest.h>

#include <bit>
#include <boost/math/special_functions/erf.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

#include "math/exp.hpp"
#include "math/inverse_normal_cdf.hpp"
#include "math/log.hpp"
#include "math/normal_cdf.hpp"
#include "math/sincos.hpp"

namespace {

using nninit::internal::exp_f64;
using nninit::internal::inverse_normal_central_f32;
using nninit::internal::inverse_normal_central_f64;
using nninit::internal::inverse_normal_lower_tail_f32;
using nninit::internal::inverse_normal_lower_tail_f64;
using nninit::internal::log_f32;
using nninit::internal::log_f64;
using nninit::internal::normal_cdf_difference_f64;
using nninit::internal::normal_cdf_f64;
using nninit::internal::SinCos32;
using nninit::internal::SinCos64;
using nninit::internal::sincos_turns_f32;
using nninit::internal::sincos_turns_f64;

using Quad = boost::multiprecision::cpp_bin_float_quad;

constexpr long double kPi = 3.141592653589793238462643383279502884L;
constexpr long double kSqrt2 = 1.414213562373095048801688724209698079L;

// A small deterministic generator (SplitMix64), so the sampled inputs are the
// same with every standard library.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  // Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }

 private:
  std::uint64_t state_;
};

// Error of `got` against `ref` in units of the spacing of T at ref (ulp).
template <class T>
double ulp_error(T got, long double ref) {
  if (ref == 0.0L) {
    return got == T(0) ? 0.0 : std::numeric_limits<double>::infinity();
  }
  const int exponent = std::ilogb(ref);
  const long double ulp = std::ldexp(1.0L, exponent - (std::numeric_limits<T>::digits - 1));
  return static_cast<double>(std::fabs(static_cast<long double>(got) - ref) / ulp);
}

// The largest error seen and the input where it was seen.
struct MaxError {
  double value = 0.0;
  long double where = 0.0L;
  void add(double error, long double input) {
    if (!(error <= value)) {  // also catches NaN
      value = error;
      where = input;
    }
  }
  void report(const char* what, const char* unit) const {
    std::printf("[  math    ] %-44s max %.3g %s at %.21Lg\n", what, value, unit, where);
    testing::Test::RecordProperty(what, std::to_string(value));
  }
};

// ---------------------------------------------------------------------------
// log

TEST(MathLog, ExactValues) {
  EXPECT_EQ(std::bit_cast<std::uint32_t>(log_f32(1.0f)), 0u);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(log_f64(1.0)), 0u);
  // The smallest and largest normal inputs.
  EXPECT_LE(ulp_error(log_f32(0x1p-126f), std::log(0x1p-126L)), 1.0);
  EXPECT_LE(ulp_error(log_f32(std::numeric_limits<float>::max()),
                      std::log(static_cast<long double>(std::numeric_limits<float>::max()))),
            1.0);
  EXPECT_LE(ulp_error(log_f64(0x1p-1022), std::log(0x1p-1022L)), 1.0);
  EXPECT_LE(ulp_error(log_f64(std::numeric_limits<double>::max()),
                      std::log(static_cast<long double>(std::numeric_limits<double>::max()))),
            1.0);
}

TEST(MathLog, F32ErrorBound) {
  constexpr double kBound = 1.0;  // stated in log.hpp
  MaxError max_error;
  auto check = [&](float x) {
    max_error.add(ulp_error(log_f32(x), std::log(static_cast<long double>(x))), x);
  };
  // [0.5, 2), where the result's ulp is smallest relative to the argument's:
  // every float within 2^17 ulps of 1, and every 7th float elsewhere.
  const std::uint32_t one = std::bit_cast<std::uint32_t>(1.0f);
  for (std::uint32_t bits = one - (1u << 17); bits < one + (1u << 17); ++bits) {
    check(std::bit_cast<float>(bits));
  }
  for (std::uint32_t bits = std::bit_cast<std::uint32_t>(0.5f);
       bits < std::bit_cast<std::uint32_t>(2.0f); bits += 7) {
    check(std::bit_cast<float>(bits));
  }
  // Every binade of normal floats, with random mantissas and both ends.
  SplitMix64 rng(1);
  for (std::uint32_t biased = 1; biased <= 254; ++biased) {
    for (int i = 0; i < 4096; ++i) {
      std::uint32_t mantissa = static_cast<std::uint32_t>(rng.next() >> 41);
      if (i == 0) mantissa = 0;
      if (i == 1) mantissa = 0x7fffff;
      check(std::bit_cast<float>((biased << 23) | mantissa));
    }
  }
  max_error.report("log_f32", "ulp");
  EXPECT_LE(max_error.value, kBound);
}

TEST(MathLog, F64ErrorBound) {
  constexpr double kBound = 1.0;  // stated in log.hpp
  MaxError max_error;
  SplitMix64 rng(2);
  // Every binade of normal doubles, with random mantissas and both ends.
  for (std::uint64_t biased = 1; biased <= 2046; ++biased) {
    for (int i = 0; i < 512; ++i) {
      std::uint64_t mantissa = rng.next() >> 12;
      if (i == 0) mantissa = 0;
      if (i == 1) mantissa = 0xfffffffffffffull;
      const double x = std::bit_cast<double>((biased << 52) | mantissa);
      max_error.add(ulp_error(log_f64(x), std::log(static_cast<long double>(x))), x);
    }
  }
  // Dense in [0.5, 2) and right next to 1.
  for (int i = 0; i < 1000000; ++i) {
    const double x = rng.uniform(0.5, 2.0);
    max_error.add(ulp_error(log_f64(x), std::log(static_cast<long double>(x))), x);
  }
  for (int i = 1; i <= 20000; ++i) {
    for (const double x : {1.0 + i * 0x1p-52, 1.0 - i * 0x1p-53}) {
      max_error.add(ulp_error(log_f64(x), std::log(static_cast<long double>(x))), x);
    }
  }
  max_error.report("log_f64", "ulp");
  EXPECT_LE(max_error.value, kBound);
}

// ---------------------------------------------------------------------------
// exp

TEST(MathExp, ExactValuesAndRangeEnds) {
  EXPECT_EQ(exp_f64(0.0), 1.0);
  EXPECT_EQ(exp_f64(-0.0), 1.0);
  // The ends of the range are finite normal numbers.
  EXPECT_GE(exp_f64(-708.0), std::numeric_limits<double>::min());
  EXPECT_LE(ulp_error(exp_f64(-708.0), std::exp(-708.0L)), 1.1);
  EXPECT_LE(ulp_error(exp_f64(709.0), std::exp(709.0L)), 1.1);
  EXPECT_TRUE(std::isfinite(exp_f64(709.0)));
  // Tiny arguments round to 1 (their powers are not formed).
  EXPECT_EQ(exp_f64(1e-300), 1.0);
  EXPECT_EQ(exp_f64(-1e-300), 1.0);
  EXPECT_EQ(exp_f64(0x1p-61), 1.0);
}

TEST(MathExp, F64ErrorBound) {
  constexpr double kBound = 1.1;  // stated in exp.hpp
  MaxError max_error;
  SplitMix64 rng(3);
  auto check = [&](double x) {
    max_error.add(ulp_error(exp_f64(x), std::exp(static_cast<long double>(x))), x);
  };
  for (int i = 0; i < 1500000; ++i) check(rng.uniform(-708.0, 709.0));
  for (int i = 0; i < 500000; ++i) check(rng.uniform(-1.0, 1.0));
  for (int i = 0; i < 100000; ++i) check(std::ldexp(rng.uniform(-1.0, 1.0), -(i % 60)));
  // Around the reduction's rounding boundaries (n + 1/2) * ln2.
  for (int n = -1022; n <= 1022; ++n) {
    const double boundary = (n + 0.5) * 0.6931471805599453;
    if (boundary < -708.0 || boundary > 709.0) continue;
    double x = boundary;
    for (int step = 0; step < 8; ++step) x = std::nextafter(x, -1e9);
    for (int step = 0; step < 16; ++step, x = std::nextafter(x, 1e9)) check(x);
  }
  max_error.report("exp_f64", "ulp");
  EXPECT_LE(max_error.value, kBound);
}

// ---------------------------------------------------------------------------
// sincos

// Reference sin and cos of 2*pi*k/2^bits (k < 2^bits): the quadrant and the
// octant fold are taken exactly with integers, then long double sin and cos of
// an angle in [0, pi/4], whose relative error is about 2^-63.
std::pair<long double, long double> reference_sincos(std::uint64_t k, int bits) {
  const int remainder_bits = bits - 2;
  const std::uint64_t quarter = std::uint64_t{1} << remainder_bits;
  const std::uint64_t quadrant = (k >> remainder_bits) & 3u;
  const std::uint64_t r = k & (quarter - 1);
  long double s = 0.0L;
  long double c = 0.0L;
  if (2 * r <= quarter) {
    const long double angle = kPi / 2 * std::ldexp(static_cast<long double>(r), -remainder_bits);
    s = std::sin(angle);
    c = std::cos(angle);
  } else {
    const long double angle =
        kPi / 2 * std::ldexp(static_cast<long double>(quarter - r), -remainder_bits);
    s = std::cos(angle);
    c = std::sin(angle);
  }
  switch (quadrant) {
    case 0:
      return {s, c};
    case 1:
      return {c, -s};
    case 2:
      return {-s, -c};
    default:
      return {-c, s};
  }
}

template <class SinCos>
bool positive_zero_or_nonzero(const SinCos& v) {
  return !(v.sin == 0 && std::signbit(v.sin)) && !(v.cos == 0 && std::signbit(v.cos));
}

TEST(MathSinCos, F32QuadrantPoints) {
  const SinCos32 expected[4] = {{0.0f, 1.0f}, {1.0f, 0.0f}, {0.0f, -1.0f}, {-1.0f, 0.0f}};
  for (std::uint32_t q = 0; q < 4; ++q) {
    const SinCos32 v = sincos_turns_f32(q << 22);
    EXPECT_EQ(v.sin, expected[q].sin) << "quadrant " << q;
    EXPECT_EQ(v.cos, expected[q].cos) << "quadrant " << q;
    EXPECT_TRUE(positive_zero_or_nonzero(v)) << "quadrant " << q;
  }
  // Only k mod 2^24 matters.
  EXPECT_EQ(sincos_turns_f32(1u << 24).cos, 1.0f);
  EXPECT_EQ(sincos_turns_f32((1u << 24) + 12345u).sin, sincos_turns_f32(12345u).sin);
}

TEST(MathSinCos, F32ExactSymmetries) {
  // The fold: sin(pi/2 - a) == cos(a) bit for bit, inside the first quadrant.
  for (std::uint32_t r = 0; r <= (1u << 22); ++r) {
    const SinCos32 a = sincos_turns_f32(r);
    const SinCos32 b = sincos_turns_f32((1u << 22) - r);
    ASSERT_EQ(std::bit_cast<std::uint32_t>(a.sin), std::bit_cast<std::uint32_t>(b.cos)) << r;
  }
  // The rotation: every quadrant is the first one, rotated exactly.
  for (std::uint32_t k = 0; k < (1u << 24); ++k) {
    const SinCos32 first = sincos_turns_f32(k & 0x3fffffu);
    const SinCos32 v = sincos_turns_f32(k);
    float s = first.sin;
    float c = first.cos;
    switch (k >> 22) {
      case 1: s = first.cos; c = 0.0f - first.sin; break;
      case 2: s = 0.0f - first.sin; c = 0.0f - first.cos; break;
      case 3: s = 0.0f - first.cos; c = first.sin; break;
      default: break;
    }
    ASSERT_EQ(std::bit_cast<std::uint32_t>(v.sin), std::bit_cast<std::uint32_t>(s)) << k;
    ASSERT_EQ(std::bit_cast<std::uint32_t>(v.cos), std::bit_cast<std::uint32_t>(c)) << k;
    ASSERT_TRUE(positive_zero_or_nonzero(v)) << k;
  }
}

TEST(MathSinCos, F32ErrorBound) {
  constexpr double kBound = 1.3;  // stated in sincos.hpp
  MaxError sin_error;
  MaxError cos_error;
  auto check = [&](std::uint32_t k) {
    const SinCos32 v = sincos_turns_f32(k);
    const auto [s, c] = reference_sincos(k, 24);
    sin_error.add(ulp_error(v.sin, s), k);
    cos_error.add(ulp_error(v.cos, c), k);
  };
  // Every k of the first octant (the exact fold and rotation, checked above,
  // map it onto all others) ...
  for (std::uint32_t k = 0; k <= (1u << 21); ++k) check(k);
  // ... and a stride over the whole turn.
  for (std::uint32_t k = 0; k < (1u << 24); k += 97) check(k);
  sin_error.report("sincos_turns_f32 sin", "ulp");
  cos_error.report("sincos_turns_f32 cos", "ulp");
  EXPECT_LE(sin_error.value, kBound);
  EXPECT_LE(cos_error.value, kBound);
}

TEST(MathSinCos, F64QuadrantPointsAndSymmetries) {
  const SinCos64 expected[4] = {{0.0, 1.0}, {1.0, 0.0}, {0.0, -1.0}, {-1.0, 0.0}};
  for (std::uint64_t q = 0; q < 4; ++q) {
    const SinCos64 v = sincos_turns_f64(q << 51);
    EXPECT_EQ(v.sin, expected[q].sin) << "quadrant " << q;
    EXPECT_EQ(v.cos, expected[q].cos) << "quadrant " << q;
    EXPECT_TRUE(positive_zero_or_nonzero(v)) << "quadrant " << q;
  }
  EXPECT_EQ(sincos_turns_f64(std::uint64_t{1} << 53).cos, 1.0);
  SplitMix64 rng(4);
  constexpr std::uint64_t quarter = std::uint64_t{1} << 51;
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t r = rng.next() & (quarter - 1);
    const SinCos64 a = sincos_turns_f64(r);
    const SinCos64 b = sincos_turns_f64(quarter - r);
    ASSERT_EQ(std::bit_cast<std::uint64_t>(a.sin), std::bit_cast<std::uint64_t>(b.cos)) << r;
    const SinCos64 q1 = sincos_turns_f64(r + quarter);
    const SinCos64 q2 = sincos_turns_f64(r + 2 * quarter);
    const SinCos64 q3 = sincos_turns_f64(r + 3 * quarter);
    ASSERT_EQ(q1.sin, a.cos);
    ASSERT_EQ(q1.cos, 0.0 - a.sin);
    ASSERT_EQ(q2.sin, 0.0 - a.sin);
    ASSERT_EQ(q2.cos, 0.0 - a.cos);
    ASSERT_EQ(q3.sin, 0.0 - a.cos);
    ASSERT_EQ(q3.cos, a.sin);
  }
}

TEST(MathSinCos, F64ErrorBound) {
  constexpr double kBound = 1.5;  // stated in sincos.hpp
  MaxError sin_error;
  MaxError cos_error;
  auto check = [&](std::uint64_t k) {
    k &= (std::uint64_t{1} << 53) - 1;
    const SinCos64 v = sincos_turns_f64(k);
    const auto [s, c] = reference_sincos(k, 53);
    sin_error.add(ulp_error(v.sin, s), static_cast<long double>(k));
    cos_error.add(ulp_error(v.cos, c), static_cast<long double>(k));
  };
  SplitMix64 rng(5);
  for (int i = 0; i < 1500000; ++i) check(rng.next() >> 11);
  // Small angles, and next to the octant and quadrant boundaries.
  for (std::uint64_t k = 0; k < 20000; ++k) check(k);
  for (int shift = 0; shift < 53; ++shift) check(std::uint64_t{1} << shift);
  for (std::uint64_t boundary = 0; boundary <= 8; ++boundary) {
    const std::uint64_t center = boundary << 50;
    for (std::uint64_t d = 0; d < 2000; ++d) {
      check(center + d);
      check(center - d);
    }
  }
  sin_error.report("sincos_turns_f64 sin", "ulp");
  cos_error.report("sincos_turns_f64 cos", "ulp");
  EXPECT_LE(sin_error.value, kBound);
  EXPECT_LE(cos_error.value, kBound);
}

// ---------------------------------------------------------------------------
// normal CDF

// Phi(x) and 1 - Phi(x) in 113-bit arithmetic.
Quad reference_phi(double x) {
  return boost::math::erfc(-Quad(x) / boost::multiprecision::sqrt(Quad(2))) / 2;
}
Quad reference_upper(double x) {
  return boost::math::erfc(Quad(x) / boost::multiprecision::sqrt(Quad(2))) / 2;
}

double relative_error(double got, const Quad& ref) {
  if (ref == 0) return got == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return static_cast<double>(abs((Quad(got) - ref) / ref));
}

TEST(MathNormalCdf, KnownValues) {
  EXPECT_EQ(normal_cdf_f64(0.0), 0.5);
  EXPECT_NEAR(normal_cdf_f64(-10.0) / 7.6198530241605260659733e-24, 1.0, 1e-15);
  EXPECT_EQ(normal_cdf_f64(-37.6), 0.0);
  EXPECT_EQ(normal_cdf_f64(1e-300), 0.5);
  // A window of width 2e-200 around 0 keeps full relative precision.
  EXPECT_NEAR(normal_cdf_difference_f64(-1e-200, 1e-200) / (2e-200 * 0.3989422804014327), 1.0,
              1e-15);
  EXPECT_EQ(normal_cdf_f64(-38.0), 0.0);
  EXPECT_EQ(normal_cdf_f64(38.0), 1.0);
  EXPECT_GE(normal_cdf_f64(-37.5), std::numeric_limits<double>::min());
}

TEST(MathNormalCdf, F64ErrorBound) {
  constexpr double kLowerBound = 1.2e-15;  // relative, stated in normal_cdf.hpp
  constexpr double kUpperBound = 2.0;      // ulp, stated in normal_cdf.hpp
  MaxError lower_error;
  MaxError upper_error;
  auto check = [&](double x) {
    const double got = normal_cdf_f64(x);
    if (x <= 0.0) {
      lower_error.add(relative_error(got, reference_phi(x)), x);
    } else {
      const long double ref = static_cast<long double>(1 - reference_upper(x));
      upper_error.add(ulp_error(got, ref), x);
    }
  };
  SplitMix64 rng(6);
  for (int i = 0; i < 30000; ++i) check(rng.uniform(-37.5, 0.0));
  for (int i = 0; i < 6000; ++i) check(rng.uniform(-6.0, 6.0));
  for (int i = 0; i < 4000; ++i) check(rng.uniform(0.0, 38.0));
  // Next to the branch points of the approximation.
  for (const double edge : {0.66291, 5.656854248, 37.5}) {
    for (const double sign : {-1.0, 1.0}) {
      double x = sign * edge;
      for (int step = 0; step < 4; ++step) x = std::nextafter(x, -1e9);
      for (int step = 0; step < 8; ++step, x = std::nextafter(x, 1e9)) {
        if (x >= -37.5) check(x);
      }
    }
  }
  lower_error.report("normal_cdf_f64 x<=0", "relative");
  upper_error.report("normal_cdf_f64 x>0", "ulp");
  EXPECT_LE(lower_error.value, kLowerBound);
  EXPECT_LE(upper_error.value, kUpperBound);
}

TEST(MathNormalCdf, DifferenceErrorBound) {
  // Stated in normal_cdf.hpp: |error| <= 1.2e-15 * (|term a| + |term b|),
  // where the terms are what the function subtracts; relative 4e-16 when
  // a < 0 < b.
  constexpr double kTermBound = 1.2e-15;
  constexpr double kStraddleBound = 4e-16;
  MaxError term_error;
  MaxError straddle_error;
  MaxError far_tail_error;
  const Quad half = Quad(1) / 2;
  auto check = [&](double a, double b) {
    ASSERT_LT(a, b);
    const double got = normal_cdf_difference_f64(a, b);
    constexpr double central = 0.66291;
    if (a < 0.0 && b > 0.0 && !(-a <= central && b <= central)) {
      const Quad ref = 1 - reference_upper(b) - reference_phi(a);
      straddle_error.add(relative_error(got, ref), a);
      return;
    }
    Quad ref;
    Quad terms;
    if (-central <= a && b <= central) {
      const Quad pa = reference_phi(a) - half;
      const Quad pb = reference_phi(b) - half;
      ref = pb - pa;
      terms = abs(pa) + abs(pb);
    } else if (b <= 0.0) {
      const Quad pa = reference_phi(a);
      const Quad pb = reference_phi(b);
      ref = pb - pa;
      terms = pa + pb;
    } else {
      const Quad qa = reference_upper(a);
      const Quad qb = reference_upper(b);
      ref = qa - qb;
      terms = qa + qb;
    }
    const double error = static_cast<double>(abs(Quad(got) - ref) / terms);
    term_error.add(error, a);
    if (std::fabs(a) >= 6.0 && std::fabs(b) >= 6.0 && std::fabs(b - a) >= 0.5) {
      far_tail_error.add(relative_error(got, ref), a);
    }
  };
  SplitMix64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    // Both in one tail, with widths from 1e-6 to 10.
    const double a = rng.uniform(-37.5, 0.0);
    const double width = std::pow(10.0, rng.uniform(-6.0, 1.0));
    const double b = a + width;
    if (b <= 0.0) {
      check(a, b);
      check(-b, -a);
    }
  }
  for (int i = 0; i < 3000; ++i) check(rng.uniform(-38.0, -1e-3), rng.uniform(1e-3, 38.0));
  for (int i = 0; i < 2000; ++i) {
    const double a = rng.uniform(-0.66291, 0.66291);
    const double b = rng.uniform(-0.66291, 0.66291);
    if (a < b) check(a, b);
    if (b < a) check(b, a);
  }
  check(-1e-10, 1e-10);
  check(-30.0, -29.0);
  check(29.0, 30.0);
  term_error.report("normal_cdf_difference_f64 / (|ta| + |tb|)", "relative");
  straddle_error.report("normal_cdf_difference_f64 a<0<b", "relative");
  far_tail_error.report("normal_cdf_difference_f64 far tails", "relative");
  EXPECT_LE(term_error.value, kTermBound);
  EXPECT_LE(straddle_error.value, kStraddleBound);
}

// ---------------------------------------------------------------------------
// inverse normal CDF

long double reference_central(long double q) { return kSqrt2 * boost::math::erf_inv(2 * q); }
long double reference_lower_tail(long double p) { return -kSqrt2 * boost::math::erfc_inv(2 * p); }

TEST(MathInverseNormalCdf, ExactValues) {
  EXPECT_EQ(inverse_normal_central_f32(0.0f), 0.0f);
  EXPECT_EQ(inverse_normal_central_f64(0.0), 0.0);
  // Tiny q (whose square would underflow): Phi^-1(1/2 + q) = sqrt(2 pi) q.
  EXPECT_LE(ulp_error(inverse_normal_central_f32(1e-30f), reference_central(1e-30f)), 6.0);
  EXPECT_LE(ulp_error(inverse_normal_central_f32(0x1p-126f), reference_central(0x1p-126L)), 6.0);
  EXPECT_LE(ulp_error(inverse_normal_central_f64(1e-200), reference_central(1e-200L)), 7.5);
  SplitMix64 rng(8);
  for (int i = 0; i < 100000; ++i) {
    const double q = rng.uniform(0.0, 0.425);
    const auto qf = static_cast<float>(q);
    ASSERT_EQ(inverse_normal_central_f32(-qf), -inverse_normal_central_f32(qf));
    ASSERT_EQ(inverse_normal_central_f64(-q), -inverse_normal_central_f64(q));
  }
}

TEST(MathInverseNormalCdf, F32CentralErrorBound) {
  constexpr double kBound = 6.0;  // stated in inverse_normal_cdf.hpp
  MaxError max_error;
  auto check = [&](float q) {
    max_error.add(ulp_error(inverse_normal_central_f32(q), reference_central(q)), q);
  };
  constexpr int kSteps = 1500000;
  for (int i = 0; i <= kSteps; ++i) check(static_cast<float>(0.425 * i / kSteps));
  SplitMix64 rng(9);
  for (int i = 0; i < 200000; ++i) {
    check(static_cast<float>(std::ldexp(rng.uniform(0.5, 1.0), -2 - (i % 40))));
  }
  check(0.425f);
  check(std::nextafter(0.425f, 0.0f));
  max_error.report("inverse_normal_central_f32", "ulp");
  EXPECT_LE(max_error.value, kBound);
}

TEST(MathInverseNormalCdf, F32LowerTailErrorBound) {
  constexpr double kBound = 7.5;  // stated in inverse_normal_cdf.hpp
  MaxError max_error;
  auto check = [&](float p) {
    max_error.add(ulp_error(inverse_normal_lower_tail_f32(p), reference_lower_tail(p)), p);
  };
  // Log-uniform over [1e-37, 0.075].
  const double lo = std::log(1e-37);
  const double hi = std::log(0.075);
  constexpr int kSteps = 1200000;
  for (int i = 0; i <= kSteps; ++i) {
    const float p = static_cast<float>(std::exp(lo + (hi - lo) * i / kSteps));
    if (p >= 1e-37f && p <= 0.075f) check(p);
  }
  // Around the switch at r = 5, p = exp(-25).
  float p = static_cast<float>(std::exp(-25.0));
  for (int step = 0; step < 64; ++step) p = std::nextafter(p, 0.0f);
  for (int step = 0; step < 128; ++step, p = std::nextafter(p, 1.0f)) check(p);
  check(1e-37f);
  check(0.075f);
  max_error.report("inverse_normal_lower_tail_f32", "ulp");
  EXPECT_LE(max_error.value, kBound);
}

TEST(MathInverseNormalCdf, F64CentralErrorBound) {
  constexpr double kBound = 7.5;  // stated in inverse_normal_cdf.hpp
  MaxError max_error;
  auto check = [&](double q) {
    max_error.add(ulp_error(inverse_normal_central_f64(q), reference_central(q)), q);
  };
  SplitMix64 rng(10);
  for (int i = 0; i < 1000000; ++i) check(rng.uniform(-0.425, 0.425));
  for (int i = 0; i < 200000; ++i) check(std::ldexp(rng.uniform(0.5, 1.0), -2 - (i % 60)));
  check(0.425);
  check(-0.425);
  max_error.report("inverse_normal_central_f64", "ulp");
  EXPECT_LE(max_error.value, kBound);
}

TEST(MathInverseNormalCdf, F64LowerTailErrorBound) {
  constexpr double kBound = 9.0;  // stated in inverse_normal_cdf.hpp
  MaxError max_error;
  auto check = [&](double p) {
    max_error.add(ulp_error(inverse_normal_lower_tail_f64(p), reference_lower_tail(p)), p);
  };
  SplitMix64 rng(11);
  const double lo = std::log(1e-300);
  const double hi = std::log(0.075);
  for (int i = 0; i < 1000000; ++i) {
    const double p = std::exp(rng.uniform(lo, hi));
    if (p >= 1e-300 && p <= 0.075) check(p);
  }
  for (int i = 0; i < 200000; ++i) check(rng.uniform(0.0, 0.075));
  double p = std::exp(-25.0);
  for (int step = 0; step < 64; ++step) p = std::nextafter(p, 0.0);
  for (int step = 0; step < 128; ++step, p = std::nextafter(p, 1.0)) check(p);
  check(1e-300);
  check(0.075);
  max_error.report("inverse_normal_lower_tail_f64", "ulp");
  EXPECT_LE(max_error.value, kBound);
}

}  // namespace
