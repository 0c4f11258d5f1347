// simd/kernels-inl.h — the SIMD fill kernels, per Highway target: random
// words -> working-precision values (as kernels/generators.hpp) -> rounding to
// the output type and the clamp (as kernels/fill_range.hpp) -> an in-register
// transpose into memory order -> stores. Plus the driver that covers any
// (first_index, count): whole steps of blocks go straight to the output, a
// partial block at either end goes through a small buffer.
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <numeric>
#include <type_traits>

#include "fill_plan.hpp"
#include "kernels/fill_range.hpp"
#include "nninit/dtype.hpp"
#include "nninit/stream.hpp"
#include "simd/simd_fill.hpp"

#if defined(NNINIT_SIMD_KERNELS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef NNINIT_SIMD_KERNELS_INL_H_
#undef NNINIT_SIMD_KERNELS_INL_H_
#else
#define NNINIT_SIMD_KERNELS_INL_H_
#endif

#include "hwy/cache_control.h"
#include "hwy/highway.h"
#include "simd/math-inl.h"
#include "simd/philox-inl.h"

HWY_BEFORE_NAMESPACE();
namespace nninit::internal::simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if NNINIT_SIMD_VECTOR_TARGET

using Words = VU32[4];

// Four vectors of 32-bit values (element j of the block in lane p), layout
// BlockLayout::transposed: a 4x4 transpose inside each 128-bit block turns
// them into four vectors of whole blocks in memory order.
template <class D>
HWY_INLINE void StoreTransposed32(D d, hn::Vec<D> v0, hn::Vec<D> v1, hn::Vec<D> v2,
                                  hn::Vec<D> v3, hn::TFromD<D>* HWY_RESTRICT out) {
  const hn::RepartitionToWide<D> dw;
  const std::size_t lanes = hn::Lanes(d);
  const auto v10_low = hn::ZipLower(dw, v0, v1);
  const auto v32_low = hn::ZipLower(dw, v2, v3);
  const auto v10_high = hn::ZipUpper(dw, v0, v1);
  const auto v32_high = hn::ZipUpper(dw, v2, v3);
  hn::StoreU(hn::BitCast(d, hn::InterleaveLower(dw, v10_low, v32_low)), d, out);
  hn::StoreU(hn::BitCast(d, hn::InterleaveUpper(dw, v10_low, v32_low)), d, out + lanes);
  hn::StoreU(hn::BitCast(d, hn::InterleaveLower(dw, v10_high, v32_high)), d, out + 2 * lanes);
  hn::StoreU(hn::BitCast(d, hn::InterleaveUpper(dw, v10_high, v32_high)), d, out + 3 * lanes);
}

// ---- Output stages: round to T, clamp into [low, high] exactly as
// fill_range (std::min(std::max(rounded, low), high)), store.
//
// x86 max(a, b) returns b unless a > b, so Max(low, v) is std::max(v, low)
// including signed zeros and NaN; likewise Min(high, m) is std::min(m, high).

struct OutputFloat {
  using T = float;
  static constexpr unsigned kPerBlock = 4;
  static constexpr BlockLayout kLayout = BlockLayout::transposed;
  VF32 low, high;
  OutputFloat(float clamp_low, float clamp_high)
      : low(hn::Set(DF32(), clamp_low)), high(hn::Set(DF32(), clamp_high)) {}
  HWY_INLINE void Store(const VF32 (&v)[4], float* HWY_RESTRICT out) const {
    const DF32 df;
    StoreTransposed32(df, hn::Min(high, hn::Max(low, v[0])), hn::Min(high, hn::Max(low, v[1])),
                      hn::Min(high, hn::Max(low, v[2])), hn::Min(high, hn::Max(low, v[3])), out);
  }
};

// 16-bit outputs, layout BlockLayout::zipped: the bits of elements 0 and 1
// (2 and 3) of a block packed into one 32-bit lane, then two 64-bit zips.
HWY_INLINE void StoreZipped16(VU32 elements01, VU32 elements23, std::uint16_t* HWY_RESTRICT out) {
  const hn::Repartition<std::uint64_t, DU32> d64;
  const hn::Repartition<std::uint16_t, DU32> d16;
  const std::size_t lanes16 = hn::Lanes(d16);
  hn::StoreU(hn::BitCast(d16, hn::ZipLower(d64, elements01, elements23)), d16, out);
  hn::StoreU(hn::BitCast(d16, hn::ZipUpper(d64, elements01, elements23)), d16, out + lanes16);
}

struct OutputBfloat16 {
  using T = bfloat16;
  static constexpr unsigned kPerBlock = 4;
  static constexpr BlockLayout kLayout = BlockLayout::zipped;
  VF32 low, high;
  OutputBfloat16(float clamp_low, float clamp_high)
      : low(hn::Set(DF32(), clamp_low)), high(hn::Set(DF32(), clamp_high)) {}

  // to_float(to_bfloat16(v)): round to nearest even on the bits; NaN stays a
  // quiet NaN with its sign and upper payload.
  HWY_INLINE static VU32 RoundedBits(VF32 v) {
    const DU32 du;
    const VU32 bits = hn::BitCast(du, v);
    const VU32 rounding =
        hn::Add(hn::Set(du, 0x7FFFu), hn::And(hn::ShiftRight<16>(bits), hn::Set(du, 1u)));
    const VU32 rounded = hn::And(hn::Add(bits, rounding), hn::Set(du, 0xFFFF0000u));
    const VU32 nan = hn::And(hn::Or(bits, hn::Set(du, 0x00400000u)), hn::Set(du, 0xFFFF0000u));
    return hn::IfThenElse(hn::RebindMask(du, hn::IsNaN(v)), nan, rounded);
  }

  // Bits of the clamped value, still in the upper half of the lane (the
  // clamped value is a bfloat16, so to_bfloat16 of it is exact).
  HWY_INLINE VU32 Clamped(VF32 v) const {
    const DF32 df;
    const DU32 du;
    const VF32 rounded = hn::BitCast(df, RoundedBits(v));
    return hn::BitCast(du, hn::Min(high, hn::Max(low, rounded)));
  }

  HWY_INLINE void Store(const VF32 (&v)[4], bfloat16* HWY_RESTRICT out) const {
    const VU32 elements01 = hn::Or(hn::ShiftRight<16>(Clamped(v[0])), Clamped(v[1]));
    const VU32 elements23 = hn::Or(hn::ShiftRight<16>(Clamped(v[2])), Clamped(v[3]));
    StoreZipped16(elements01, elements23, reinterpret_cast<std::uint16_t*>(out));
  }
};

struct OutputFloat16 {
  using T = float16;
  static constexpr unsigned kPerBlock = 4;
  static constexpr BlockLayout kLayout = BlockLayout::zipped;
  VF32 low, high;
  OutputFloat16(float clamp_low, float clamp_high)
      : low(hn::Set(DF32(), clamp_low)), high(hn::Set(DF32(), clamp_high)) {}

#if HWY_TARGET <= HWY_AVX2
  // F16C: vcvtps2ph with immediate rounding to nearest even (Highway passes
  // _MM_FROUND_NO_EXC = 8, rounding field 0), IEEE subnormals and overflow to
  // infinity, the same as to_float16. Only NaN payloads differ: to_float16
  // gives sign | 0x7E00, so NaN lanes are set to that.
  HWY_INLINE VU32 Bits(VF32 v) const {
    const DF32 df;
    const DU32 du;
    const hn::Rebind<hwy::float16_t, DF32> dh;
    const hn::Rebind<std::uint16_t, DF32> dh_bits;
    const VF32 rounded = hn::PromoteTo(df, hn::DemoteTo(dh, v));
    const VF32 clamped = hn::Min(high, hn::Max(low, rounded));
    const VU32 bits = hn::PromoteTo(du, hn::BitCast(dh_bits, hn::DemoteTo(dh, clamped)));
    const VU32 nan = hn::Or(hn::And(hn::ShiftRight<16>(hn::BitCast(du, v)), hn::Set(du, 0x8000u)),
                            hn::Set(du, 0x7E00u));
    return hn::IfThenElse(hn::RebindMask(du, hn::IsNaN(v)), nan, bits);
  }
#else
  // No F16C: the rounding of to_float16 on integer lanes, giving the rounded
  // value as a float (to_float(to_float16(v))). Subnormal halves: |v| + 0.5f
  // rounds |v| to a multiple of 2^-24 to nearest even, exactly as the integer
  // rounding of to_float16, and subtracting 0.5f again is exact.
  HWY_INLINE static VF32 Rounded(VF32 v) {
    const DF32 df;
    const DU32 du;
    const hn::RebindToSigned<DF32> di;
    const VU32 bits = hn::BitCast(du, v);
    const VU32 sign = hn::And(bits, hn::Set(du, 0x80000000u));
    const VU32 magnitude = hn::And(bits, hn::Set(du, 0x7FFFFFFFu));
    const auto signed_magnitude = hn::BitCast(di, magnitude);
    const VU32 rounding =
        hn::Add(hn::Set(du, 0x0FFFu), hn::And(hn::ShiftRight<13>(magnitude), hn::Set(du, 1u)));
    const VU32 normal = hn::And(hn::Add(magnitude, rounding), hn::Set(du, 0xFFFFE000u));
    const VF32 half = hn::Set(df, 0.5f);
    const VU32 subnormal = hn::BitCast(du, (hn::BitCast(df, magnitude) + half) - half);
    VU32 result = hn::IfThenElse(
        hn::RebindMask(du, hn::Lt(signed_magnitude, hn::Set(di, 0x38800000))), subnormal, normal);
    result = hn::IfThenElse(hn::RebindMask(du, hn::Gt(signed_magnitude, hn::Set(di, 0x477FEFFF))),
                            hn::Set(du, 0x7F800000u), result);
    result = hn::IfThenElse(hn::RebindMask(du, hn::Gt(signed_magnitude, hn::Set(di, 0x7F800000))),
                            hn::Set(du, 0x7FC00000u), result);
    return hn::BitCast(df, hn::Or(result, sign));
  }

  // to_float16 of a float that is a half value (or infinity or NaN): exact.
  HWY_INLINE static VU32 ExactBits(VF32 v) {
    const DF32 df;
    const DU32 du;
    const hn::RebindToSigned<DF32> di;
    const VU32 bits = hn::BitCast(du, v);
    const VU32 sign = hn::And(hn::ShiftRight<16>(bits), hn::Set(du, 0x8000u));
    const VU32 magnitude = hn::And(bits, hn::Set(du, 0x7FFFFFFFu));
    const auto signed_magnitude = hn::BitCast(di, magnitude);
    const VU32 normal = hn::ShiftRight<13>(hn::Sub(magnitude, hn::Set(du, 0x38000000u)));
    const VU32 subnormal = hn::Sub(
        hn::BitCast(du, hn::BitCast(df, magnitude) + hn::Set(df, 0.5f)), hn::Set(du, 0x3F000000u));
    VU32 result = hn::IfThenElse(
        hn::RebindMask(du, hn::Lt(signed_magnitude, hn::Set(di, 0x38800000))), subnormal, normal);
    result = hn::IfThenElse(hn::RebindMask(du, hn::Gt(signed_magnitude, hn::Set(di, 0x477FEFFF))),
                            hn::Set(du, 0x7C00u), result);
    result = hn::IfThenElse(hn::RebindMask(du, hn::Gt(signed_magnitude, hn::Set(di, 0x7F800000))),
                            hn::Set(du, 0x7E00u), result);
    return hn::Or(result, sign);
  }

  HWY_INLINE VU32 Bits(VF32 v) const {
    return ExactBits(hn::Min(high, hn::Max(low, Rounded(v))));
  }
#endif

  HWY_INLINE void Store(const VF32 (&v)[4], float16* HWY_RESTRICT out) const {
    const VU32 elements01 = hn::Or(Bits(v[0]), hn::ShiftLeft<16>(Bits(v[1])));
    const VU32 elements23 = hn::Or(Bits(v[2]), hn::ShiftLeft<16>(Bits(v[3])));
    StoreZipped16(elements01, elements23, reinterpret_cast<std::uint16_t*>(out));
  }
};

// double: values x[0], x[1] are element 0 of the blocks in lanes (4h, 4h+1)
// and (4h+2, 4h+3), x[2], x[3] element 1 of the same blocks; layout
// BlockLayout::transposed.
struct OutputDouble {
  using T = double;
  static constexpr unsigned kPerBlock = 2;
  static constexpr BlockLayout kLayout = BlockLayout::transposed;
  VF64 low, high;
  OutputDouble(double clamp_low, double clamp_high)
      : low(hn::Set(DF64(), clamp_low)), high(hn::Set(DF64(), clamp_high)) {}
  HWY_INLINE void Store(const VF64 (&x)[4], double* HWY_RESTRICT out) const {
    const DF64 dd;
    const std::size_t lanes = hn::Lanes(dd);
    const VF64 a = hn::Min(high, hn::Max(low, x[0]));
    const VF64 b = hn::Min(high, hn::Max(low, x[1]));
    const VF64 c = hn::Min(high, hn::Max(low, x[2]));
    const VF64 e = hn::Min(high, hn::Max(low, x[3]));
    hn::StoreU(hn::InterleaveLower(dd, a, c), dd, out);
    hn::StoreU(hn::InterleaveUpper(dd, a, c), dd, out + lanes);
    hn::StoreU(hn::InterleaveLower(dd, b, e), dd, out + 2 * lanes);
    hn::StoreU(hn::InterleaveUpper(dd, b, e), dd, out + 3 * lanes);
  }
};

// ---- Value stages: the generators of kernels/generators.hpp on vectors.

// Float family: v[j] = element j of the block in each lane.
struct UniformValuesF32 {
  VF32 low, width;
  explicit UniformValuesF32(const UniformGenerator<float>& g)
      : low(hn::Set(DF32(), g.low)), width(hn::Set(DF32(), g.width)) {}
  HWY_INLINE void operator()(const Words& w, VF32 (&v)[4]) const {
    const DF32 df;
    const hn::RebindToSigned<DF32> di;
    const VF32 scale = hn::Set(df, 0x1p-24f);
    for (int j = 0; j < 4; ++j) {
      const VF32 u = hn::ConvertTo(df, hn::BitCast(di, hn::ShiftRight<8>(w[j]))) * scale;
      v[j] = low + width * u;
    }
  }
};

struct NormalValuesF32 {
  VF32 mean, stddev;
  explicit NormalValuesF32(const NormalGenerator<float>& g)
      : mean(hn::Set(DF32(), g.mean)), stddev(hn::Set(DF32(), g.stddev)) {}
  HWY_INLINE void operator()(const Words& w, VF32 (&v)[4]) const {
    const DF32 df;
    const hn::RebindToSigned<DF32> di;
    for (int pair = 0; pair < 2; ++pair) {
      const VF32 radius_uniform =
          hn::ConvertTo(df, hn::BitCast(di, hn::ShiftRight<1>(w[2 * pair]))) *
              hn::Set(df, 0x1p-31f) +
          hn::Set(df, 0x1p-32f);
      const VF32 radius = hn::Sqrt(hn::Set(df, -2.0f) * LogF32(radius_uniform));
      const SinCosV<VF32> angle = SinCosTurnsF32(hn::ShiftRight<8>(w[2 * pair + 1]));
      v[2 * pair] = mean + stddev * (radius * angle.cos);
      v[2 * pair + 1] = mean + stddev * (radius * angle.sin);
    }
  }
};

// Compress and expand of the truncated normal's tail lanes.
//   CompressStore: the lanes of `values` where `mask` is true, in order,
//     stored from `out` (a whole vector is written); returns how many.
//   Expand: lane i of the result is lane (number of mask lanes below i) of
//     `packed` where mask lane i is true; the other lanes are unspecified.
// On AVX-512 the register forms of vpcompress/vpexpand (Highway 1.0.3's
// CompressStore is the memory form, which AMD Zen 4 runs as a long microcoded
// sequence). On AVX2, SSE4 and SSSE3 permutation tables of our own: Highway
// 1.0.3 keeps its tables in local arrays that GCC copies onto the stack on
// every call. The tables work on 32-bit lanes (a 64-bit lane is two of them,
// both set in the mask).
#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_SSE4 || HWY_TARGET == HWY_SSSE3
// For each mask of 32-bit lanes (8 at most), 4 bits per output lane, lowest
// first: compress: the indices of the set lanes; expand: for each set lane
// its rank among the set lanes (0 for clear lanes).
inline constexpr auto kCompressTable = [] {
  std::array<std::uint32_t, 256> table{};
  for (unsigned mask = 0; mask < 256; ++mask) {
    unsigned slot = 0;
    for (unsigned lane = 0; lane < 8; ++lane) {
      if ((mask >> lane) & 1u) table[mask] |= lane << (4 * slot++);
    }
  }
  return table;
}();
inline constexpr auto kExpandTable = [] {
  std::array<std::uint32_t, 256> table{};
  for (unsigned mask = 0; mask < 256; ++mask) {
    unsigned rank = 0;
    for (unsigned lane = 0; lane < 8; ++lane) {
      if ((mask >> lane) & 1u) table[mask] |= (rank++) << (4 * lane);
    }
  }
  return table;
}();

// The same for 128-bit vectors as byte shuffles (pshufb) of 4 lanes.
struct alignas(16) ShuffleBytes {
  std::uint8_t bytes[16];
  const std::uint8_t* data() const { return bytes; }
};
inline constexpr std::array<ShuffleBytes, 16> ShuffleBytesOf(const std::array<std::uint32_t, 256>& lanes) {
  std::array<ShuffleBytes, 16> table{};
  for (unsigned mask = 0; mask < 16; ++mask) {
    for (unsigned slot = 0; slot < 4; ++slot) {
      const unsigned lane = (lanes[mask] >> (4 * slot)) & 15u;
      for (unsigned b = 0; b < 4; ++b) {
        table[mask].bytes[4 * slot + b] = static_cast<std::uint8_t>(4 * lane + b);
      }
    }
  }
  return table;
}
inline constexpr auto kCompressBytes128 = ShuffleBytesOf(kCompressTable);
inline constexpr auto kExpandBytes128 = ShuffleBytesOf(kExpandTable);

// The mask as bits of 32-bit lanes.
template <class D>
HWY_INLINE unsigned MaskBits32(D d, hn::Mask<D> mask) {
  const DU32 d32;
  const VU32 words = hn::BitCast(d32, hn::VecFromMask(d, mask));
#if HWY_TARGET == HWY_AVX2
  return static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(words.raw)));
#else
  return static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(words.raw)));
#endif
}

// v with its 32-bit lanes permuted by table[bits] (AVX2) or bytes[bits].
HWY_INLINE VU32 Permute32(VU32 v, unsigned bits, const std::array<std::uint32_t, 256>& table,
                          const std::array<ShuffleBytes, 16>& bytes) {
#if HWY_TARGET == HWY_AVX2
  (void)bytes;
  const __m256i shifts = _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28);
  const __m256i permutation =
      _mm256_srlv_epi32(_mm256_set1_epi32(static_cast<int>(table[bits])), shifts);
  return VU32{_mm256_permutevar8x32_epi32(v.raw, permutation)};
#else
  (void)table;
  const __m128i permutation =
      _mm_load_si128(reinterpret_cast<const __m128i*>(bytes[bits].data()));
  return VU32{_mm_shuffle_epi8(v.raw, permutation)};
#endif
}

template <class D>
HWY_INLINE std::size_t CompressStore(D d, hn::Mask<D> mask, hn::Vec<D> values,
                                     hn::TFromD<D>* HWY_RESTRICT out) {
  const DU32 d32;
  constexpr unsigned kWordsPerLane = sizeof(hn::TFromD<D>) / 4;
  const unsigned bits = MaskBits32(d, mask);
  hn::StoreU(hn::BitCast(d, Permute32(hn::BitCast(d32, values), bits, kCompressTable,
                                      kCompressBytes128)),
             d, out);
  return static_cast<std::size_t>(std::popcount(bits)) / kWordsPerLane;
}

template <class D>
HWY_INLINE hn::Vec<D> Expand(D d, hn::Mask<D> mask, hn::Vec<D> packed) {
  const DU32 d32;
  const unsigned bits = MaskBits32(d, mask);
  return hn::BitCast(d, Permute32(hn::BitCast(d32, packed), bits, kExpandTable, kExpandBytes128));
}
#elif HWY_TARGET <= HWY_AVX3
template <class D>
HWY_INLINE std::size_t CompressStore(D d, hn::Mask<D> mask, hn::Vec<D> values,
                                     hn::TFromD<D>* HWY_RESTRICT out) {
  if constexpr (sizeof(hn::TFromD<D>) == 4) {
    hn::StoreU(hn::Vec<D>{_mm512_maskz_compress_ps(mask.raw, values.raw)}, d, out);
  } else {
    hn::StoreU(hn::Vec<D>{_mm512_maskz_compress_pd(mask.raw, values.raw)}, d, out);
  }
  return static_cast<std::size_t>(std::popcount(static_cast<unsigned>(mask.raw)));
}

template <class D>
HWY_INLINE hn::Vec<D> Expand(D, hn::Mask<D> mask, hn::Vec<D> packed) {
  if constexpr (sizeof(hn::TFromD<D>) == 4) {
    return hn::Vec<D>{_mm512_maskz_expand_ps(mask.raw, packed.raw)};
  } else {
    return hn::Vec<D>{_mm512_maskz_expand_pd(mask.raw, packed.raw)};
  }
}
#else
#error "CompressStore/Expand: no implementation for this target"
#endif

// truncated_normal_value on kVectors vectors of uniforms u[j]: the central
// piece on every lane; the tail piece (lower or upper by the sign of q) only on
// the lanes that need it (about one lane in nine for a +-2 stddev window),
// because its log, square root and two divisions are the expensive part. The
// tail arguments are compressed into whole vectors without branches (a
// data-dependent branch per vector or per lane mispredicts often and cost more
// than the tail itself), computed, and expanded back into the lanes they came
// from. Each lane gets exactly the operations of the scalar function, so the
// bits are the same. When no uniform of the fill can reach a tail
// (`tails_possible` false, see TailPossible), only the central piece runs.
template <std::size_t kVectors, class D, class Central, class Tail>
HWY_INLINE void TruncatedNormalValues(D d, const hn::Vec<D> (&u)[kVectors],
                                      const TruncatedNormalParameters<hn::TFromD<D>>& scalar,
                                      bool tails_possible, hn::Vec<D> (&out)[kVectors],
                                      Central central, Tail tail) {
  using T = hn::TFromD<D>;
  using V = hn::Vec<D>;
  using M = hn::Mask<D>;
  constexpr std::size_t kMax = HWY_LANES(T);
  const std::size_t lanes = hn::Lanes(d);
  const V one = hn::Set(d, T{1});
  const V limit = hn::Set(d, static_cast<T>(0.425));
  const V centred_lower_cdf = hn::Set(d, scalar.centred_lower_cdf);
  const V lower_cdf = hn::Set(d, scalar.lower_cdf);
  const V upper_tail = hn::Set(d, scalar.upper_tail);
  const V mass = hn::Set(d, scalar.mass);
  const V mean = hn::Set(d, scalar.mean);
  const V stddev = hn::Set(d, scalar.stddev);
  if (!tails_possible) {
    for (std::size_t j = 0; j < kVectors; ++j) {
      out[j] = mean + stddev * central(centred_lower_cdf + u[j] * mass);
    }
    return;
  }

  // gathered: the tail arguments of every vector, then one whole vector of
  // padding (CompressStore may write a whole vector, Expand reads one).
  alignas(64) T gathered[(kVectors + 1) * kMax];
  std::size_t first[kVectors];  // where vector j's tail arguments start
  M is_tail[kVectors];
  M is_lower[kVectors];
  std::size_t count = 0;
  for (std::size_t j = 0; j < kVectors; ++j) {
    const V q = centred_lower_cdf + u[j] * mass;
    out[j] = central(q);
    is_tail[j] = hn::Not(hn::Le(hn::Abs(q), limit));
    is_lower[j] = hn::Lt(q, hn::Zero(d));
    const V p =
        hn::IfThenElse(is_lower[j], lower_cdf + u[j] * mass, upper_tail + (one - u[j]) * mass);
    first[j] = count;
    count += CompressStore(d, is_tail[j], p, gathered + count);
  }
  // Pad to whole vectors with a harmless argument.
  hn::StoreU(hn::Set(d, static_cast<T>(0.25)), d, gathered + count);
  for (std::size_t k = 0; k < count; k += lanes) {
    hn::Store(tail(hn::Load(d, gathered + k)), d, gathered + k);
  }
  for (std::size_t j = 0; j < kVectors; ++j) {
    const V t = Expand(d, is_tail[j], hn::LoadU(d, gathered + first[j]));
    // z = -tail in the upper tail (a sign flip, as the scalar unary minus)
    const V z = hn::IfThenElse(is_tail[j], hn::IfThenElse(is_lower[j], t, hn::Neg(t)), out[j]);
    out[j] = mean + stddev * z;
  }
}

// Whether some uniform in [u_min, u_max] (the smallest and largest the fill
// draws) gives a q = centred_lower_cdf + u mass outside the central piece
// (|q| <= 0.425) of the inverse CDF. Rounding is monotonic, so q is monotonic
// in u and its extremes are at the two ends; the same IEEE operations as the
// vector lanes (no contraction), so the answer is exact, and NaN parameters
// count as possible tails.
template <class T>
inline bool TailPossible(const TruncatedNormalParameters<T>& p, T u_min, T u_max) {
  const T limit = static_cast<T>(0.425);
  for (const T u : {u_min, u_max}) {
    const T q = p.centred_lower_cdf + u * p.mass;
    if (!((q < T{0} ? T{0} - q : q) <= limit)) return true;
  }
  return false;
}

// Truncated normal values take a whole step of groups at once, so that the
// tail lanes of all of them share the tail vectors.
struct TruncatedNormalValuesF32 {
  static constexpr bool kWholeStep = true;
  TruncatedNormalParameters<float> parameters;
  bool tails_possible;  // u = odd * 2^-24, odd in [1, 2^24 - 1]
  explicit TruncatedNormalValuesF32(const TruncatedNormalGenerator<float>& g)
      : parameters(g.parameters),
        tails_possible(TailPossible(g.parameters, 0x1p-24f, 1.0f - 0x1p-24f)) {}
  template <std::size_t kGroups>
  HWY_INLINE void operator()(const Words (&w)[kGroups], VF32 (&v)[kGroups][4]) const {
    const DF32 df;
    const DU32 du;
    const hn::RebindToSigned<DF32> di;
    const VF32 scale = hn::Set(df, 0x1p-24f);
    VF32 u[4 * kGroups];
    for (std::size_t i = 0; i < 4 * kGroups; ++i) {
      const VU32 odd = hn::Or(hn::ShiftLeft<1>(hn::ShiftRight<9>(w[i / 4][i % 4])), hn::Set(du, 1u));
      u[i] = hn::ConvertTo(df, hn::BitCast(di, odd)) * scale;
    }
    VF32 out[4 * kGroups];
    TruncatedNormalValues<4 * kGroups>(
        df, u, parameters, tails_possible, out, [](VF32 x) HWY_ATTR { return InverseNormalCentralF32(x); },
        [](VF32 x) HWY_ATTR { return InverseNormalLowerTailF32(x); });
    for (std::size_t i = 0; i < 4 * kGroups; ++i) v[i / 4][i % 4] = out[i];
  }
};

// Double: the 64-bit words of element 0 (words 0, 1) and element 1 (words 2,
// 3) of each block, split into the lanes (4h, 4h+1) and (4h+2, 4h+3):
// e[0], e[1] element 0, e[2], e[3] element 1.
HWY_INLINE void Join64(const Words& w, VU64 (&e)[4]) {
  const DU64 d64;
  e[0] = hn::ZipLower(d64, w[0], w[1]);
  e[1] = hn::ZipUpper(d64, w[0], w[1]);
  e[2] = hn::ZipLower(d64, w[2], w[3]);
  e[3] = hn::ZipUpper(d64, w[2], w[3]);
}

struct UniformValuesF64 {
  VF64 low, width;
  explicit UniformValuesF64(const UniformGenerator<double>& g)
      : low(hn::Set(DF64(), g.low)), width(hn::Set(DF64(), g.width)) {}
  HWY_INLINE void operator()(const Words& w, VF64 (&x)[4]) const {
    const DF64 dd;
    VU64 e[4];
    Join64(w, e);
    for (int i = 0; i < 4; ++i) {
      x[i] = low + width * (U53ToF64(hn::ShiftRight<11>(e[i])) * hn::Set(dd, 0x1p-53));
    }
  }
};

struct NormalValuesF64 {
  VF64 mean, stddev;
  explicit NormalValuesF64(const NormalGenerator<double>& g)
      : mean(hn::Set(DF64(), g.mean)), stddev(hn::Set(DF64(), g.stddev)) {}
  HWY_INLINE void operator()(const Words& w, VF64 (&x)[4]) const {
    const DF64 dd;
    VU64 e[4];
    Join64(w, e);
    for (int half = 0; half < 2; ++half) {
      const VF64 radius_uniform =
          hn::Set(dd, 1.0) - U53ToF64(hn::ShiftRight<11>(e[half])) * hn::Set(dd, 0x1p-53);
      const VF64 radius = hn::Sqrt(hn::Set(dd, -2.0) * LogF64(radius_uniform));
      const SinCosV<VF64> angle = SinCosTurnsF64(hn::ShiftRight<11>(e[2 + half]));
      x[half] = mean + stddev * (radius * angle.cos);
      x[2 + half] = mean + stddev * (radius * angle.sin);
    }
  }
};

struct TruncatedNormalValuesF64 {
  static constexpr bool kWholeStep = true;
  TruncatedNormalParameters<double> parameters;
  bool tails_possible;  // u = odd * 2^-53, odd in [1, 2^53 - 1]
  explicit TruncatedNormalValuesF64(const TruncatedNormalGenerator<double>& g)
      : parameters(g.parameters),
        tails_possible(TailPossible(g.parameters, 0x1p-53, 1.0 - 0x1p-53)) {}
  template <std::size_t kGroups>
  HWY_INLINE void operator()(const Words (&w)[kGroups], VF64 (&x)[kGroups][4]) const {
    const DF64 dd;
    const DU64 d64;
    VF64 u[4 * kGroups];
    for (std::size_t g = 0; g < kGroups; ++g) {
      VU64 e[4];
      Join64(w[g], e);
      for (std::size_t i = 0; i < 4; ++i) {
        const VU64 odd = hn::Or(hn::ShiftLeft<1>(hn::ShiftRight<12>(e[i])), hn::Set(d64, 1ull));
        u[4 * g + i] = U53ToF64(odd) * hn::Set(dd, 0x1p-53);
      }
    }
    VF64 out[4 * kGroups];
    TruncatedNormalValues<4 * kGroups>(
        dd, u, parameters, tails_possible, out, [](VF64 y) HWY_ATTR { return InverseNormalCentralF64(y); },
        [](VF64 y) HWY_ATTR { return InverseNormalLowerTailF64(y); });
    for (std::size_t i = 0; i < 4 * kGroups; ++i) x[i / 4][i % 4] = out[i];
  }
};

// ---- Kernel = values + output; the driver.

template <class Values, class Output, class Working>
struct Kernel {
  using T = typename Output::T;
  static constexpr unsigned kPerBlock = Output::kPerBlock;
  static constexpr BlockLayout kLayout = Output::kLayout;
  Values values;
  Output output;
  // The blocks of one step (kGroups vectors of blocks), group after group:
  // groups [0, direct_groups) into direct + g * group_elements, the others into
  // buffer + g * group_elements. Values either take one group at a time or
  // (kWholeStep) all.
  template <std::size_t kGroups>
  HWY_INLINE void Step(const Words (&w)[kGroups], T* HWY_RESTRICT direct, std::size_t direct_groups,
                       T* HWY_RESTRICT buffer) const {
    const std::size_t group_elements = hn::Lanes(DU32()) * kPerBlock;
    if constexpr (requires { Values::kWholeStep; }) {
      Working v[kGroups][4];
      values(w, v);
      for (std::size_t g = 0; g < kGroups; ++g) {
        output.Store(v[g], (g < direct_groups ? direct : buffer) + g * group_elements);
      }
    } else {
      for (std::size_t g = 0; g < kGroups; ++g) {
        Working v[4];
        values(w[g], v);
        output.Store(v, (g < direct_groups ? direct : buffer) + g * group_elements);
      }
    }
  }
  // The whole step into out.
  template <std::size_t kGroups>
  HWY_INLINE void Step(const Words (&w)[kGroups], T* HWY_RESTRICT out) const {
    const std::size_t group_elements = hn::Lanes(DU32()) * kPerBlock;
    if constexpr (requires { Values::kWholeStep; }) {
      Working v[kGroups][4];
      values(w, v);
      for (std::size_t g = 0; g < kGroups; ++g) output.Store(v[g], out + g * group_elements);
    } else {
      for (std::size_t g = 0; g < kGroups; ++g) {
        Working v[4];
        values(w[g], v);
        output.Store(v, out + g * group_elements);
      }
    }
  }
};

// bytes (a multiple of the vector size) from `from` to the vector-aligned
// `to` with streaming stores.
HWY_INLINE void StreamCopy(const void* HWY_RESTRICT from, void* HWY_RESTRICT to, std::size_t bytes) {
  const hn::ScalableTag<std::uint8_t> d8;
  const std::size_t lanes = hn::Lanes(d8);
  const auto* HWY_RESTRICT source = static_cast<const std::uint8_t*>(from);
  auto* HWY_RESTRICT target = static_cast<std::uint8_t*>(to);
  for (std::size_t i = 0; i < bytes; i += lanes) {
    hn::Stream(hn::Load(d8, source + i), d8, target + i);
  }
}

// The first kGroups groups of the step at first_block, for a part of a step:
// elements [skip, skip + take) of it into out. The first direct_groups groups
// (whole groups inside that range when skip is 0) are stored straight into
// out, the others into buffer and copied. Group g of any step computes the
// same blocks whatever the number of groups, so the bits do not depend on it.
template <std::size_t kGroups, class K>
HWY_INLINE void PartialStep(const K& kernel, const RoundKeys& keys, const LaneOffsets& offsets,
                            std::uint64_t stream_id, std::uint64_t first_block,
                            typename K::T* HWY_RESTRICT out, std::size_t skip, std::size_t take,
                            std::size_t direct_groups, typename K::T* HWY_RESTRICT buffer) {
  using T = typename K::T;
  const std::size_t group_elements = hn::Lanes(DU32()) * K::kPerBlock;
  VU32 c[kGroups][4];
  PhiloxGroups<kGroups>(keys, offsets, stream_id, first_block, c);
  kernel.Step(c, out, direct_groups, buffer);
  const std::size_t direct = direct_groups * group_elements;  // 0 unless skip is 0
  std::memcpy(static_cast<void*>(out + direct), buffer + skip + direct, (take - direct) * sizeof(T));
}

// The same with the number of groups chosen at run time: as few as cover
// [0, skip + take) (at most kGroups), so that a short range (a row of a
// column shard) computes about its own length, not a whole step.
template <std::size_t kGroups, class K>
HWY_INLINE void PartialSteps(std::size_t groups, const K& kernel, const RoundKeys& keys,
                             const LaneOffsets& offsets, std::uint64_t stream_id, std::uint64_t first_block,
                             typename K::T* HWY_RESTRICT out, std::size_t skip, std::size_t take,
                             std::size_t direct_groups, typename K::T* HWY_RESTRICT buffer) {
  if constexpr (kGroups > 1) {
    if (groups < kGroups) {
      return PartialSteps<kGroups - 1>(groups, kernel, keys, offsets, stream_id, first_block, out, skip, take,
                                       direct_groups, buffer);
    }
  }
  PartialStep<kGroups>(kernel, keys, offsets, stream_id, first_block, out, skip, take, direct_groups, buffer);
}

// Elements [first_index, first_index + count) of the kernel's fill into
// out[0, count). A step is kGroups vectors of blocks that go through Philox
// together. Whole steps on block boundaries go straight to the output (or,
// for streaming stores, through an L1 buffer and a streaming copy); the ends
// (a partial block, the elements before an aligned address for streaming
// stores, less than a step at the end) compute only the groups they need:
// their whole groups go straight to the output (regular stores), the rest
// through the buffer. The kernel is inlined once per number of groups.
template <std::size_t kGroups, class K>
HWY_INLINE void RunRange(const K& kernel, const RoundKeys& keys, const LaneOffsets& offsets,
                         typename K::T* HWY_RESTRICT out, std::uint64_t first_index, std::size_t count,
                         std::uint64_t stream_id, StoreHint hint, typename K::T* HWY_RESTRICT buffer) {
  using T = typename K::T;
  constexpr unsigned per_block = K::kPerBlock;
  const DU32 d;
  const std::size_t lanes = hn::Lanes(d);
  const std::size_t group_elements = lanes * per_block;
  const std::size_t step = kGroups * group_elements;  // elements per step

  // Head: up to the next block boundary; for streaming stores also up to an
  // output address aligned to the vector size (if both can meet).
  std::size_t head = static_cast<std::size_t>((per_block - first_index % per_block) % per_block);
  bool streaming = hint == StoreHint::streaming;
  if (streaming) {
    const std::size_t vector_bytes = lanes * sizeof(std::uint32_t);
    const auto address = reinterpret_cast<std::uintptr_t>(out);
    bool aligned = false;
    for (std::size_t k = 0; k <= vector_bytes / (per_block * sizeof(T)); ++k) {
      const std::size_t candidate = head + k * per_block;
      if ((address + candidate * sizeof(T)) % vector_bytes == 0) {
        head = candidate;
        aligned = true;
        break;
      }
    }
    streaming = aligned;
  }

  std::size_t done = 0;
  while (done < count) {
    const std::uint64_t index = first_index + done;
    const std::size_t skip = static_cast<std::size_t>(index % per_block);
    const std::size_t left = count - done;
    if (done >= head && left >= step) {  // a whole step; then skip == 0
      VU32 c[kGroups][4];
      PhiloxGroups<kGroups>(keys, offsets, stream_id, index / per_block, c);
      if (streaming) {
        kernel.Step(c, buffer);
        StreamCopy(buffer, out + done, step * sizeof(T));
      } else {
        kernel.Step(c, out + done);
      }
      done += step;
      continue;
    }
    std::size_t take = std::min(left, step - skip);
    if (done < head) take = std::min(take, head - done);
    const std::size_t groups = (skip + take + group_elements - 1) / group_elements;
    const std::size_t direct_groups = !streaming && skip == 0 ? take / group_elements : 0;
    PartialSteps<kGroups>(groups, kernel, keys, offsets, stream_id, index / per_block, out + done, skip, take,
                          direct_groups, buffer);
    done += take;
  }
  if (streaming) hwy::FlushStream();
}

// Short rows packed into whole steps. The rows of a block lie one after
// another in out, so a step of the output may span several rows: lane p of
// group g in step s computes the block at position j = s * step_blocks + g *
// lanes + M(p) of the rows' blocks laid end to end, which is block j % bpr of
// row j / bpr (bpr: blocks per row). Rows must start on block boundaries
// (first_index, index_stride and the row length multiples of the elements
// per block). Those positions, relative to the first block of their
// period, repeat every `period` steps (the steps that span a whole number
// of rows), so one table of offsets serves every step.
template <std::size_t kGroups>
struct RowSteps {
  static constexpr std::size_t kMaxPeriod = 16;
  alignas(64) std::uint32_t offset[kMaxPeriod][kGroups][kMaxLanes32];  // swapped lane order
  std::uint32_t largest = 0;
  std::size_t period = 0;             // steps; 0: the rows cannot be packed this way
  std::uint64_t period_blocks = 0;    // blocks of the tensor from one period to the next
  std::size_t whole_steps = 0;        // steps of the rows that fill a whole step

  RowSteps(const LaneOffsets& lanes_offsets, std::size_t per_block, std::uint64_t first_index,
           std::size_t count, std::size_t rows, std::uint64_t index_stride) {
    const std::size_t lanes = hn::Lanes(DU32());
    const std::size_t step_blocks = kGroups * lanes;
    if (rows < 2 || count % per_block != 0 || first_index % per_block != 0 || index_stride % per_block != 0) return;
    const std::size_t bpr = count / per_block;
    if (bpr == 0 || rows * bpr < step_blocks) return;
    const std::size_t steps = bpr / std::gcd(bpr, step_blocks);
    if (steps > kMaxPeriod) return;
    const std::uint64_t stride_blocks = index_stride / per_block;
    const std::size_t period_rows = steps * step_blocks / bpr;
    // The largest offset, of the last block of the period's last row.
    const long double reach = static_cast<long double>(period_rows - 1) * static_cast<long double>(stride_blocks) +
                              static_cast<long double>(bpr - 1);
    if (reach > static_cast<long double>(0xFFFFFFFFu)) return;
    for (std::size_t s = 0; s < steps; ++s) {
      for (std::size_t g = 0; g < kGroups; ++g) {
        for (std::size_t lane = 0; lane < lanes; ++lane) {
          const std::size_t j = s * step_blocks + g * lanes + lanes_offsets.swapped[lane];
          const auto at = static_cast<std::uint32_t>((j / bpr) * stride_blocks + j % bpr);
          offset[s][g][lane] = at;
          largest = std::max(largest, at);
        }
      }
    }
    period = steps;
    period_blocks = period_rows * stride_blocks;
    whole_steps = rows * bpr / step_blocks;
  }
};

// `rows` rows of `count` elements: row r is elements [first_index + r *
// index_stride, + count) into out + r * count (one row: simd::fill). The round
// keys, lane offsets and buffer are set up once for all rows; short rows that
// RowSteps can pack go through whole steps, the rest row by row.
template <std::size_t kGroups, class K>
HWY_NOINLINE void Run(const K& kernel, typename K::T* HWY_RESTRICT out, std::uint64_t first_index,
                      std::size_t count, std::size_t rows, std::uint64_t index_stride, const Stream& stream,
                      StoreHint hint) {
  using T = typename K::T;
  constexpr unsigned per_block = K::kPerBlock;
  const RoundKeys keys = round_keys(stream.seed);
  const LaneOffsets offsets = MakeLaneOffsets(K::kLayout);
  alignas(64) T buffer[kGroups * kMaxLanes32 * K::kPerBlock];
  std::size_t row = 0, column = 0;  // where the row-by-row part starts
  const std::size_t step = kGroups * hn::Lanes(DU32()) * per_block;
  if (rows > 1 && count < 4 * step && hint == StoreHint::regular) {
    const RowSteps<kGroups> packed(offsets, per_block, first_index, count, rows, index_stride);
    if (packed.period != 0) {
      std::uint64_t base = first_index / per_block;
      std::size_t phase = 0;
      for (std::size_t s = 0; s < packed.whole_steps; ++s) {
        VU32 c[kGroups][4];
        PhiloxGroupsAt<kGroups>(keys, packed.offset[phase], packed.largest, stream.id, base, c);
        kernel.Step(c, out + s * step);
        if (++phase == packed.period) {
          phase = 0;
          base += packed.period_blocks;
        }
      }
      const std::size_t done = packed.whole_steps * step;
      row = done / count;
      column = done % count;
    }
  }
  if (column != 0) {  // the rest of a row a step ended in
    RunRange<kGroups>(kernel, keys, offsets, out + row * count + column, first_index + row * index_stride + column,
                      count - column, stream.id, hint, buffer);
    ++row;
  }
  for (; row < rows; ++row) {
    RunRange<kGroups>(kernel, keys, offsets, out + row * count, first_index + row * index_stride, count, stream.id,
                      hint, buffer);
  }
}

// A constant: streaming stores when asked (and the output can be aligned),
// otherwise the x86 string store `rep stos` of the element's bits (as memset
// does for cached sizes: it writes whole cache lines without reading them
// first; measured on AMD Zen 5, 4 MiB f32: 118 GB/s against 64 GB/s with
// 512-bit stores, the same as memset); small fills and the ends element by
// element or with vector stores.
// Below this size `rep stos` costs more to start than it saves.
inline constexpr std::size_t kRepeatStoreBytes = 1024;

template <class T>
HWY_NOINLINE void FillConstant(T value, T* HWY_RESTRICT out, std::size_t count, StoreHint hint) {
  using Bits = std::conditional_t<sizeof(T) == 8, std::uint64_t,
                                  std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint16_t>>;
  const hn::ScalableTag<Bits> d;
  const std::size_t lanes = hn::Lanes(d);
  Bits bits;
  std::memcpy(&bits, &value, sizeof(T));
  const auto v = hn::Set(d, bits);
  Bits* HWY_RESTRICT p = reinterpret_cast<Bits*>(out);
  std::size_t done = 0;
  const bool streaming = hint == StoreHint::streaming && count >= 4 * lanes;
  if (streaming) {
    const std::size_t vector_bytes = lanes * sizeof(Bits);
    while (done < count && reinterpret_cast<std::uintptr_t>(p + done) % vector_bytes != 0) {
      out[done++] = value;
    }
    for (; count - done >= lanes; done += lanes) hn::Stream(v, d, p + done);
    hwy::FlushStream();
#if defined(__x86_64__)
  } else if (count * sizeof(T) >= kRepeatStoreBytes) {
    // The ABI guarantees the direction flag is clear: rep stos writes upwards.
    Bits* destination = p;
    std::size_t left = count;
    if constexpr (sizeof(Bits) == 8) {
      asm volatile("rep stosq" : "+D"(destination), "+c"(left) : "a"(bits) : "memory");
    } else if constexpr (sizeof(Bits) == 4) {
      asm volatile("rep stosl" : "+D"(destination), "+c"(left) : "a"(bits) : "memory");
    } else {
      asm volatile("rep stosw" : "+D"(destination), "+c"(left) : "a"(bits) : "memory");
    }
    done = count;
#endif
  } else {
    for (; count - done >= lanes; done += lanes) hn::StoreU(v, d, p + done);
  }
  for (; done < count; ++done) out[done] = value;
}

// Vectors of blocks that go through Philox together: independent chains hide
// the latency of the multiplies. Measured on AMD Zen 5 (family 26), 1 thread,
// 1 MiB outputs: four groups against two are 1.4x faster for uniform f32 and
// the ±2 std truncated normal on AVX3, 1.15x and 1.3x on AVX2, a few percent
// for normal; on AMD Zen 1 (AVX2, SSE4) three or four were no faster than two.
inline constexpr std::size_t kPhiloxGroups = 4;

template <class T>
struct KernelTypes;
template <>
struct KernelTypes<float> {
  using Output = OutputFloat;
  using Working = VF32;
  using Uniform = UniformValuesF32;
  using Normal = NormalValuesF32;
  using Truncated = TruncatedNormalValuesF32;
};
template <>
struct KernelTypes<bfloat16> : KernelTypes<float> {
  using Output = OutputBfloat16;
};
template <>
struct KernelTypes<float16> : KernelTypes<float> {
  using Output = OutputFloat16;
};
template <>
struct KernelTypes<double> {
  using Output = OutputDouble;
  using Working = VF64;
  using Uniform = UniformValuesF64;
  using Normal = NormalValuesF64;
  using Truncated = TruncatedNormalValuesF64;
};

// simd::fill for one output type on this target.
template <class T>
HWY_INLINE void FillPlanned(const FillPlan<T>& plan, T* out, std::uint64_t first_index, std::size_t count,
                            std::size_t rows, std::uint64_t index_stride, const Stream& stream, StoreHint hint) {
  using Types = KernelTypes<T>;
  using Output = typename Types::Output;
  using Working = typename Types::Working;
  const Output output(plan.clamp_low, plan.clamp_high);
  switch (plan.kind) {
    case FillKind::constant:
      FillConstant(plan.constant_value, out, count * rows, hint);  // the rows are contiguous in out
      return;
    case FillKind::uniform: {
      using Values = typename Types::Uniform;
      Run<kPhiloxGroups>(Kernel<Values, Output, Working>{Values(plan.uniform), output},
                                  out, first_index, count, rows, index_stride, stream, hint);
      return;
    }
    case FillKind::normal: {
      using Values = typename Types::Normal;
      Run<kPhiloxGroups>(Kernel<Values, Output, Working>{Values(plan.normal), output},
                                 out, first_index, count, rows, index_stride, stream, hint);
      return;
    }
    case FillKind::truncated_normal: {
      using Values = typename Types::Truncated;
      Run<kPhiloxGroups>(
          Kernel<Values, Output, Working>{Values(plan.truncated_normal), output}, out,
          first_index, count, rows, index_stride, stream, hint);
      return;
    }
  }
}

#else  // not a vector target: the scalar reference itself

template <class T>
HWY_INLINE void FillPlannedRow(const FillPlan<T>& plan, T* out, std::uint64_t first_index,
                               std::size_t count, const Stream& stream) {
  switch (plan.kind) {
    case FillKind::constant:
      std::fill(out, out + count, plan.constant_value);
      return;
    case FillKind::uniform:
      fill_range(out, first_index, count, stream, plan.uniform, plan.clamp_low, plan.clamp_high);
      return;
    case FillKind::normal:
      fill_range(out, first_index, count, stream, plan.normal, plan.clamp_low, plan.clamp_high);
      return;
    case FillKind::truncated_normal:
      fill_range(out, first_index, count, stream, plan.truncated_normal, plan.clamp_low,
                 plan.clamp_high);
      return;
  }
}

template <class T>
HWY_INLINE void FillPlanned(const FillPlan<T>& plan, T* out, std::uint64_t first_index, std::size_t count,
                            std::size_t rows, std::uint64_t index_stride, const Stream& stream, StoreHint) {
  for (std::size_t r = 0; r < rows; ++r) {
    FillPlannedRow(plan, out + r * count, first_index + r * index_stride, count, stream);
  }
}

#endif  // NNINIT_SIMD_VECTOR_TARGET

}  // namespace HWY_NAMESPACE
}  // namespace nninit::internal::simd
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
