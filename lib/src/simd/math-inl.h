// simd/math-inl.h — vector versions of the generating-path math in
// lib/src/math (log, sin/cos of turns, the inverse normal CDF pieces), per
// Highway target. Each performs, lane by lane, the same IEEE operations in the
// same order as its scalar original, so the bits are the same; where the
// scalar code branches, both sides are computed and the lane selects. Keep
// each function next to its original when either changes.
#include <cstdint>

#if defined(NNINIT_SIMD_MATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef NNINIT_SIMD_MATH_INL_H_
#undef NNINIT_SIMD_MATH_INL_H_
#else
#define NNINIT_SIMD_MATH_INL_H_
#endif

#include "hwy/highway.h"
#include "simd/philox-inl.h"  // NNINIT_SIMD_VECTOR_TARGET

HWY_BEFORE_NAMESPACE();
namespace nninit::internal::simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if NNINIT_SIMD_VECTOR_TARGET

using DF32 = hn::ScalableTag<float>;
using VF32 = hn::Vec<DF32>;
using DF64 = hn::ScalableTag<double>;
using VF64 = hn::Vec<DF64>;
using DU64 = hn::ScalableTag<std::uint64_t>;
using VU64 = hn::Vec<DU64>;

// Exact conversion of integers below 2^52 held in u64 lanes to double:
// 2^52 + x has x as its mantissa.
HWY_INLINE VF64 SmallU64ToF64(VU64 x) {
  const DF64 dd;
  const DU64 d64;
  const VU64 magic = hn::Set(d64, 0x4330000000000000ull);
  return hn::Sub(hn::BitCast(dd, hn::Or(x, magic)), hn::Set(dd, 0x1p52));
}

// Exact conversion of integers below 2^53 held in u64 lanes to double: the
// high 21 and low 32 bits each convert exactly (2^84 + hi 2^32, 2^52 + lo),
// and the sum of the exact parts is x itself, so no step rounds.
HWY_INLINE VF64 U53ToF64(VU64 x) {
  const DF64 dd;
  const DU64 d64;
  const hn::Repartition<std::uint32_t, DU64> d32;
  const VU64 low = hn::BitCast(
      d64, hn::OddEven(hn::Set(d32, 0x43300000u), hn::BitCast(d32, x)));  // 2^52 + lo
  const VU64 high = hn::Or(hn::ShiftRight<32>(x), hn::Set(d64, 0x4530000000000000ull));
  const VF64 high_part = hn::Sub(hn::BitCast(dd, high), hn::Set(dd, 0x1.00000001p84));
  return hn::Add(high_part, hn::BitCast(dd, low));
}

// ---- math/log.hpp

// log_f32, lane by lane.
HWY_INLINE VF32 LogF32(VF32 x) {
  const DF32 df;
  const hn::RebindToUnsigned<DF32> du;
  const hn::RebindToSigned<DF32> di;
  const auto ix = hn::Sub(hn::BitCast(du, x), hn::Set(du, 0x3f3504f3u));
  const auto e = hn::ShiftRight<23>(hn::BitCast(di, ix));  // arithmetic
  const VF32 m = hn::BitCast(
      df, hn::Add(hn::And(ix, hn::Set(du, 0x007fffffu)), hn::Set(du, 0x3f3504f3u)));

  const VF32 ln2_hi = hn::Set(df, 0x1.62e300p-1f);
  const VF32 ln2_lo = hn::Set(df, 0x1.2fefa4p-17f);
  const VF32 lg1 = hn::Set(df, 0x1.555554p-1f);
  const VF32 lg2 = hn::Set(df, 0x1.999c26p-2f);
  const VF32 lg3 = hn::Set(df, 0x1.23d3dcp-2f);
  const VF32 lg4 = hn::Set(df, 0x1.f13c4cp-3f);

  const VF32 f = m - hn::Set(df, 1.0f);
  const VF32 s = f / (hn::Set(df, 2.0f) + f);
  const VF32 z = s * s;
  const VF32 r = z * (lg1 + z * (lg2 + z * (lg3 + z * lg4)));
  const VF32 hfsq = hn::Set(df, 0.5f) * f * f;
  const VF32 dk = hn::ConvertTo(df, e);
  return dk * ln2_hi - ((hfsq - (s * (hfsq + r) + dk * ln2_lo)) - f);
}

// log_f64, lane by lane.
HWY_INLINE VF64 LogF64(VF64 x) {
  const DF64 dd;
  const DU64 du;
  const auto ix = hn::Sub(hn::BitCast(du, x), hn::Set(du, 0x3fe6a09e667f3bcdull));
  // e = the top 12 bits of ix as a signed number: (bits ^ 0x800) - 0x800, done
  // in double where both steps are exact (AVX2 has no 64-bit arithmetic shift).
  const VU64 biased = hn::Xor(hn::ShiftRight<52>(ix), hn::Set(du, 0x800ull));
  const VF64 dk = hn::Sub(SmallU64ToF64(biased), hn::Set(dd, 2048.0));
  const VF64 m = hn::BitCast(dd, hn::Add(hn::And(ix, hn::Set(du, 0x000fffffffffffffull)),
                                         hn::Set(du, 0x3fe6a09e667f3bcdull)));

  const VF64 ln2_hi = hn::Set(dd, 0x1.62e42fee00000p-1);
  const VF64 ln2_lo = hn::Set(dd, 0x1.a39ef35793c76p-33);
  const VF64 lg1 = hn::Set(dd, 0x1.5555555555593p-1);
  const VF64 lg2 = hn::Set(dd, 0x1.999999997fa04p-2);
  const VF64 lg3 = hn::Set(dd, 0x1.2492494229359p-2);
  const VF64 lg4 = hn::Set(dd, 0x1.c71c51d8e78afp-3);
  const VF64 lg5 = hn::Set(dd, 0x1.7466496cb03dep-3);
  const VF64 lg6 = hn::Set(dd, 0x1.39a09d078c69fp-3);
  const VF64 lg7 = hn::Set(dd, 0x1.2f112df3e5244p-3);

  const VF64 f = m - hn::Set(dd, 1.0);
  const VF64 s = f / (hn::Set(dd, 2.0) + f);
  const VF64 z = s * s;
  const VF64 r = z * (lg1 + z * (lg2 + z * (lg3 + z * (lg4 + z * (lg5 + z * (lg6 + z * lg7))))));
  const VF64 hfsq = hn::Set(dd, 0.5) * f * f;
  return dk * ln2_hi - ((hfsq - (s * (hfsq + r) + dk * ln2_lo)) - f);
}

// ---- math/sincos.hpp

template <class V>
struct SinCosV {
  V sin;
  V cos;
};

// sincos_turns_f32 of k (only bits 0..23 are used), lane by lane. The octant
// fold and the quadrant rotation select; negation is 0 - v as in the original.
HWY_INLINE SinCosV<VF32> SinCosTurnsF32(hn::Vec<hn::RebindToUnsigned<DF32>> k) {
  const DF32 df;
  const hn::RebindToUnsigned<DF32> du;
  const hn::RebindToSigned<DF32> di;
  const VF32 ps1 = hn::Set(df, 0x1.243f6ap-1f);
  const VF32 ps3 = hn::Set(df, -0x1.4abb9cp-1f);
  const VF32 ps5 = hn::Set(df, 0x1.465446p-4f);
  const VF32 ps7 = hn::Set(df, -0x1.2bca2cp-8f);
  const VF32 pc2 = hn::Set(df, -0x1.3bd3ccp+0f);
  const VF32 pc4 = hn::Set(df, 0x1.03c1aep-2f);
  const VF32 pc6 = hn::Set(df, -0x1.55b132p-6f);
  const VF32 pc8 = hn::Set(df, 0x1.d46d86p-11f);

  const auto r = hn::And(k, hn::Set(du, 0x3fffffu));
  const auto fold = hn::Gt(hn::BitCast(di, r), hn::Set(di, 0x200000));
  const auto rr = hn::IfThenElse(hn::RebindMask(du, fold), hn::Sub(hn::Set(du, 0x400000u), r), r);
  const VF32 t = hn::ConvertTo(df, hn::BitCast(di, rr)) * hn::Set(df, 0x1p-22f);
  const VF32 z = t * t;
  const VF32 s = t + t * (ps1 + z * (ps3 + z * (ps5 + z * ps7)));
  const VF32 c = hn::Set(df, 1.0f) + z * (pc2 + z * (pc4 + z * (pc6 + z * pc8)));

  const auto quadrant_odd = hn::RebindMask(df, hn::TestBit(k, hn::Set(du, 0x400000u)));
  const auto quadrant_high = hn::RebindMask(df, hn::TestBit(k, hn::Set(du, 0x800000u)));
  // sin is (s0, c0, -s0, -c0) and cos (c0, -s0, -c0, s0) for quadrants 0..3,
  // with (s0, c0) = fold ? (c, s) : (s, c).
  const auto swap = hn::Xor(hn::RebindMask(df, fold), quadrant_odd);
  const VF32 sin_magnitude = hn::IfThenElse(swap, c, s);
  const VF32 cos_magnitude = hn::IfThenElse(swap, s, c);
  const VF32 zero = hn::Zero(df);
  SinCosV<VF32> result;
  result.sin = hn::IfThenElse(quadrant_high, zero - sin_magnitude, sin_magnitude);
  result.cos =
      hn::IfThenElse(hn::Xor(quadrant_odd, quadrant_high), zero - cos_magnitude, cos_magnitude);
  return result;
}

// sincos_turns_f64 of k (only bits 0..52 are used), lane by lane.
HWY_INLINE SinCosV<VF64> SinCosTurnsF64(VU64 k) {
  const DF64 dd;
  const DU64 du;
  const hn::RebindToSigned<DF64> di;
  const VF64 ps1 = hn::Set(dd, 0x1.243f6a8885a31p-1);
  const VF64 ps3 = hn::Set(dd, -0x1.4abbce625bec8p-1);
  const VF64 ps5 = hn::Set(dd, 0x1.466bc67764567p-4);
  const VF64 ps7 = hn::Set(dd, -0x1.32d2ccef30f1ep-8);
  const VF64 ps9 = hn::Set(dd, 0x1.50783b768175dp-13);
  const VF64 ps11 = hn::Set(dd, -0x1.e30a985aeb624p-19);
  const VF64 ps13 = hn::Set(dd, 0x1.e74a0942deb3fp-25);
  const VF64 pc2 = hn::Set(dd, -0x1.3bd3cc9be45dep+0);
  const VF64 pc4 = hn::Set(dd, 0x1.03c1f081b5a39p-2);
  const VF64 pc6 = hn::Set(dd, -0x1.55d3c7e3bc17cp-6);
  const VF64 pc8 = hn::Set(dd, 0x1.e1f5066eec62cp-11);
  const VF64 pc10 = hn::Set(dd, -0x1.a6d1dc967658bp-16);
  const VF64 pc12 = hn::Set(dd, 0x1.f9c03bb1d5691p-22);
  const VF64 pc14 = hn::Set(dd, -0x1.aedc4ce46b53bp-28);

  constexpr std::uint64_t quarter = std::uint64_t{1} << 51;
  const auto r = hn::And(k, hn::Set(du, quarter - 1));
  const auto fold = hn::Gt(hn::BitCast(di, r), hn::Set(di, static_cast<std::int64_t>(quarter >> 1)));
  const auto rr = hn::IfThenElse(hn::RebindMask(du, fold), hn::Sub(hn::Set(du, quarter), r), r);
  const VF64 t = SmallU64ToF64(rr) * hn::Set(dd, 0x1p-51);  // rr <= 2^50
  const VF64 z = t * t;
  const VF64 s =
      t + t * (ps1 + z * (ps3 + z * (ps5 + z * (ps7 + z * (ps9 + z * (ps11 + z * ps13))))));
  const VF64 c = hn::Set(dd, 1.0) +
                 z * (pc2 + z * (pc4 + z * (pc6 + z * (pc8 + z * (pc10 + z * (pc12 + z * pc14))))));

  const auto quadrant_odd = hn::RebindMask(dd, hn::TestBit(k, hn::Set(du, quarter)));
  const auto quadrant_high = hn::RebindMask(dd, hn::TestBit(k, hn::Set(du, quarter << 1)));
  const auto swap = hn::Xor(hn::RebindMask(dd, fold), quadrant_odd);
  const VF64 sin_magnitude = hn::IfThenElse(swap, c, s);
  const VF64 cos_magnitude = hn::IfThenElse(swap, s, c);
  const VF64 zero = hn::Zero(dd);
  SinCosV<VF64> result;
  result.sin = hn::IfThenElse(quadrant_high, zero - sin_magnitude, sin_magnitude);
  result.cos =
      hn::IfThenElse(hn::Xor(quadrant_odd, quadrant_high), zero - cos_magnitude, cos_magnitude);
  return result;
}

// ---- math/inverse_normal_cdf.hpp

HWY_INLINE VF32 InverseNormalCentralF32(VF32 q) {
  const DF32 df;
  const VF32 a0 = hn::Set(df, 3.3871327179e+00f);
  const VF32 a1 = hn::Set(df, 5.0434271938e+01f);
  const VF32 a2 = hn::Set(df, 1.5929113202e+02f);
  const VF32 a3 = hn::Set(df, 5.9109374720e+01f);
  const VF32 b1 = hn::Set(df, 1.7895169469e+01f);
  const VF32 b2 = hn::Set(df, 7.8757757664e+01f);
  const VF32 b3 = hn::Set(df, 6.7187563600e+01f);
  // q^2 from max(|q|, 2^-40) as in the original (no square underflows). The
  // original's |q| is q < 0 ? 0 - q : q; Abs(q) differs only for -0 and the
  // sign of NaN, and both give the same `clamped`. x86 max(a, b) is
  // a > b ? a : b, the original's select.
  const VF32 clamped = hn::Max(hn::Abs(q), hn::Set(df, 0x1p-40f));
  const VF32 r = hn::Set(df, 0.180625f) - clamped * clamped;
  const VF32 num = ((a3 * r + a2) * r + a1) * r + a0;
  const VF32 den = ((b3 * r + b2) * r + b1) * r + hn::Set(df, 1.0f);
  return q * num / den;
}

HWY_INLINE VF32 InverseNormalLowerTailF32(VF32 p) {
  const DF32 df;
  const VF32 r = hn::Sqrt(hn::Zero(df) - LogF32(p));
  const VF32 c0 = hn::Set(df, 1.4234372777e+00f);
  const VF32 c1 = hn::Set(df, 2.7568153900e+00f);
  const VF32 c2 = hn::Set(df, 1.3067284816e+00f);
  const VF32 c3 = hn::Set(df, 1.7023821103e-01f);
  const VF32 d1 = hn::Set(df, 7.3700164250e-01f);
  const VF32 d2 = hn::Set(df, 1.2021132975e-01f);
  const VF32 e0 = hn::Set(df, 6.6579051150e+00f);
  const VF32 e1 = hn::Set(df, 3.0812263860e+00f);
  const VF32 e2 = hn::Set(df, 4.2868294337e-01f);
  const VF32 e3 = hn::Set(df, 1.7337203997e-02f);
  const VF32 f1 = hn::Set(df, 2.4197894225e-01f);
  const VF32 f2 = hn::Set(df, 1.2258202635e-02f);
  const VF32 one = hn::Set(df, 1.0f);
  const VF32 five = hn::Set(df, 5.0f);
  const auto near = hn::Le(r, five);
  VF32 value;
  if (hn::AllTrue(df, near)) {  // the common case: skip the far rational
    const VF32 s = r - hn::Set(df, 1.6f);
    value = (((c3 * s + c2) * s + c1) * s + c0) / ((d2 * s + d1) * s + one);
  } else {
    const VF32 s_near = r - hn::Set(df, 1.6f);
    const VF32 s_far = r - five;
    const VF32 value_near =
        (((c3 * s_near + c2) * s_near + c1) * s_near + c0) / ((d2 * s_near + d1) * s_near + one);
    const VF32 value_far =
        (((e3 * s_far + e2) * s_far + e1) * s_far + e0) / ((f2 * s_far + f1) * s_far + one);
    value = hn::IfThenElse(near, value_near, value_far);
  }
  return hn::Zero(df) - value;
}

HWY_INLINE VF64 InverseNormalCentralF64(VF64 q) {
  const DF64 dd;
  const VF64 a0 = hn::Set(dd, 3.3871328727963666080e0);
  const VF64 a1 = hn::Set(dd, 1.3314166789178437745e+2);
  const VF64 a2 = hn::Set(dd, 1.9715909503065514427e+3);
  const VF64 a3 = hn::Set(dd, 1.3731693765509461125e+4);
  const VF64 a4 = hn::Set(dd, 4.5921953931549871457e+4);
  const VF64 a5 = hn::Set(dd, 6.7265770927008700853e+4);
  const VF64 a6 = hn::Set(dd, 3.3430575583588128105e+4);
  const VF64 a7 = hn::Set(dd, 2.5090809287301226727e+3);
  const VF64 b1 = hn::Set(dd, 4.2313330701600911252e+1);
  const VF64 b2 = hn::Set(dd, 6.8718700749205790830e+2);
  const VF64 b3 = hn::Set(dd, 5.3941960214247511077e+3);
  const VF64 b4 = hn::Set(dd, 2.1213794301586595867e+4);
  const VF64 b5 = hn::Set(dd, 3.9307895800092710610e+4);
  const VF64 b6 = hn::Set(dd, 2.8729085735721942674e+4);
  const VF64 b7 = hn::Set(dd, 5.2264952788528545610e+3);
  const VF64 clamped = hn::Max(hn::Abs(q), hn::Set(dd, 0x1p-300));  // as in the f32 version
  const VF64 r = hn::Set(dd, 0.180625) - clamped * clamped;
  const VF64 num = ((((((a7 * r + a6) * r + a5) * r + a4) * r + a3) * r + a2) * r + a1) * r + a0;
  const VF64 den = ((((((b7 * r + b6) * r + b5) * r + b4) * r + b3) * r + b2) * r + b1) * r +
                   hn::Set(dd, 1.0);
  return q * num / den;
}

HWY_INLINE VF64 InverseNormalLowerTailNearF64(VF64 r) {
  const DF64 dd;
  const VF64 c0 = hn::Set(dd, 1.42343711074968357734e0);
  const VF64 c1 = hn::Set(dd, 4.63033784615654529590e0);
  const VF64 c2 = hn::Set(dd, 5.76949722146069140550e0);
  const VF64 c3 = hn::Set(dd, 3.64784832476320460504e0);
  const VF64 c4 = hn::Set(dd, 1.27045825245236838258e0);
  const VF64 c5 = hn::Set(dd, 2.41780725177450611770e-1);
  const VF64 c6 = hn::Set(dd, 2.27238449892691845833e-2);
  const VF64 c7 = hn::Set(dd, 7.74545014278341407640e-4);
  const VF64 d1 = hn::Set(dd, 2.05319162663775882187e0);
  const VF64 d2 = hn::Set(dd, 1.67638483018380384940e0);
  const VF64 d3 = hn::Set(dd, 6.89767334985100004550e-1);
  const VF64 d4 = hn::Set(dd, 1.48103976427480074590e-1);
  const VF64 d5 = hn::Set(dd, 1.51986665636164571966e-2);
  const VF64 d6 = hn::Set(dd, 5.47593808499534494600e-4);
  const VF64 d7 = hn::Set(dd, 1.05075007164441684324e-9);
  const VF64 s = r - hn::Set(dd, 1.6);
  return (((((((c7 * s + c6) * s + c5) * s + c4) * s + c3) * s + c2) * s + c1) * s + c0) /
         (((((((d7 * s + d6) * s + d5) * s + d4) * s + d3) * s + d2) * s + d1) * s +
          hn::Set(dd, 1.0));
}

HWY_INLINE VF64 InverseNormalLowerTailFarF64(VF64 r) {
  const DF64 dd;
  const VF64 e0 = hn::Set(dd, 6.65790464350110377720e0);
  const VF64 e1 = hn::Set(dd, 5.46378491116411436990e0);
  const VF64 e2 = hn::Set(dd, 1.78482653991729133580e0);
  const VF64 e3 = hn::Set(dd, 2.96560571828504891230e-1);
  const VF64 e4 = hn::Set(dd, 2.65321895265761230930e-2);
  const VF64 e5 = hn::Set(dd, 1.24266094738807843860e-3);
  const VF64 e6 = hn::Set(dd, 2.71155556874348757815e-5);
  const VF64 e7 = hn::Set(dd, 2.01033439929228813265e-7);
  const VF64 f1 = hn::Set(dd, 5.99832206555887937690e-1);
  const VF64 f2 = hn::Set(dd, 1.36929880922735805310e-1);
  const VF64 f3 = hn::Set(dd, 1.48753612908506148525e-2);
  const VF64 f4 = hn::Set(dd, 7.86869131145613259100e-4);
  const VF64 f5 = hn::Set(dd, 1.84631831751005468180e-5);
  const VF64 f6 = hn::Set(dd, 1.42151175831644588870e-7);
  const VF64 f7 = hn::Set(dd, 2.04426310338993978564e-15);
  const VF64 s = r - hn::Set(dd, 5.0);
  return (((((((e7 * s + e6) * s + e5) * s + e4) * s + e3) * s + e2) * s + e1) * s + e0) /
         (((((((f7 * s + f6) * s + f5) * s + f4) * s + f3) * s + f2) * s + f1) * s +
          hn::Set(dd, 1.0));
}

HWY_INLINE VF64 InverseNormalLowerTailF64(VF64 p) {
  const DF64 dd;
  const VF64 r = hn::Sqrt(hn::Zero(dd) - LogF64(p));
  const auto near = hn::Le(r, hn::Set(dd, 5.0));
  VF64 value;
  if (hn::AllTrue(dd, near)) {
    value = InverseNormalLowerTailNearF64(r);
  } else {
    value = hn::IfThenElse(near, InverseNormalLowerTailNearF64(r), InverseNormalLowerTailFarF64(r));
  }
  return hn::Zero(dd) - value;
}

#endif  // NNINIT_SIMD_VECTOR_TARGET

}  // namespace HWY_NAMESPACE
}  // namespace nninit::internal::simd
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
