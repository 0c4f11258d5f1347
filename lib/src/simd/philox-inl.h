// simd/philox-inl.h — Philox4x32-10 on whole vectors of blocks, per Highway
// target (included once per target by simd/simd_fill.cpp through
// hwy/foreach_target.h).
//
// Layout: lane p of the four counter vectors holds block base + M(p), where
// the mapping M is chosen by the kernel so that its final in-register
// transpose writes the blocks in memory order without crossing 128-bit blocks
// (see BlockLayout). Several independent groups of blocks go through the
// rounds together to hide the latency of the multiplies.
//
// One round needs the high and low halves of two 32x32-bit products per lane.
// x86 multiplies only the even lanes (pmuludq: MulEven), so the odd lanes are
// shifted down and multiplied too; one shufps per result then collects the four
// high (or low) halves of a 128-bit block as [p0, p2, p1, p3]. Keeping words 0
// and 1 in that swapped order and words 2 and 3 in the natural order makes
// every round consistent (the swap is its own inverse), so the only fix-up is
// one shuffle of words 0 and 1 after the last round: 14 instructions per round
// per vector of blocks instead of 18 with blends.
#include <cstddef>
#include <cstdint>

#include "nninit/philox.hpp"
#include "nninit/stream.hpp"

#ifndef NNINIT_SIMD_PHILOX_SHARED_H_
#define NNINIT_SIMD_PHILOX_SHARED_H_
namespace nninit::internal::simd {

// Round keys of one stream: key + r * (Weyl constants), r = 0..9.
struct RoundKeys {
  std::uint32_t k0[10];
  std::uint32_t k1[10];
};

inline RoundKeys round_keys(std::uint64_t seed) noexcept {
  RoundKeys keys{};
  std::uint32_t k0 = static_cast<std::uint32_t>(seed);
  std::uint32_t k1 = static_cast<std::uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    keys.k0[round] = k0;
    keys.k1[round] = k1;
    k0 += philox_weyl_0;
    k1 += philox_weyl_1;
  }
  return keys;
}

// Which block lane p = 4h + q (128-bit block h of H, position q) computes.
enum class BlockLayout {
  // M(4h + q) = H q + h: a per-128-bit 4x4 transpose of four 32-bit vectors
  // yields vectors of consecutive blocks (float; double via 64-bit zips).
  transposed,
  // M(4h + q) = 2h + q for q < 2, 2H + 2h + q - 2 otherwise: two 64-bit zips
  // of packed 16-bit pairs yield consecutive blocks (bfloat16, float16).
  zipped,
};

inline std::uint32_t layout_offset(BlockLayout layout, std::size_t lane, std::size_t lanes) {
  const std::size_t blocks128 = lanes / 4;
  const std::size_t h = lane / 4;
  const std::size_t q = lane % 4;
  if (layout == BlockLayout::transposed) return static_cast<std::uint32_t>(blocks128 * q + h);
  return static_cast<std::uint32_t>(q < 2 ? 2 * h + q : 2 * blocks128 + 2 * h + (q - 2));
}

}  // namespace nninit::internal::simd
#endif  // NNINIT_SIMD_PHILOX_SHARED_H_

// Per-target part: re-included for every target.
#if defined(NNINIT_SIMD_PHILOX_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef NNINIT_SIMD_PHILOX_INL_H_
#undef NNINIT_SIMD_PHILOX_INL_H_
#else
#define NNINIT_SIMD_PHILOX_INL_H_
#endif

#include "hwy/highway.h"

// The vector kernels exist for the x86 SIMD targets; every other target
// (HWY_SCALAR, the baseline without SSSE3, and HWY_EMU128) runs the scalar
// reference itself.
#undef NNINIT_SIMD_VECTOR_TARGET
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_SSSE3
#define NNINIT_SIMD_VECTOR_TARGET 1
#else
#define NNINIT_SIMD_VECTOR_TARGET 0
#endif

HWY_BEFORE_NAMESPACE();
namespace nninit::internal::simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if NNINIT_SIMD_VECTOR_TARGET

using DU32 = hn::ScalableTag<std::uint32_t>;
using VU32 = hn::Vec<DU32>;
// Lanes of a full u32 vector; a compile-time constant on x86.
inline constexpr std::size_t kMaxLanes32 = HWY_LANES(std::uint32_t);

// ---- x86 per-128-bit-block shuffles Highway 1.0.3 does not name.

// Per 128-bit block: [a[i0], a[i1], b[i2], b[i3]] (shufps with immediate kImm).
template <int kImm>
HWY_INLINE hn::Vec128<std::uint32_t> ShufflePairs(hn::Vec128<std::uint32_t> a,
                                                  hn::Vec128<std::uint32_t> b) {
  return hn::Vec128<std::uint32_t>{_mm_castps_si128(
      _mm_shuffle_ps(_mm_castsi128_ps(a.raw), _mm_castsi128_ps(b.raw), kImm))};
}
// Per 128-bit block: [v0, v2, v1, v3].
HWY_INLINE hn::Vec128<std::uint32_t> SwapMiddle(hn::Vec128<std::uint32_t> v) {
  return hn::Vec128<std::uint32_t>{_mm_shuffle_epi32(v.raw, 0xD8)};
}
#if HWY_TARGET <= HWY_AVX2
template <int kImm>
HWY_INLINE hn::Vec256<std::uint32_t> ShufflePairs(hn::Vec256<std::uint32_t> a,
                                                  hn::Vec256<std::uint32_t> b) {
  return hn::Vec256<std::uint32_t>{_mm256_castps_si256(
      _mm256_shuffle_ps(_mm256_castsi256_ps(a.raw), _mm256_castsi256_ps(b.raw), kImm))};
}
HWY_INLINE hn::Vec256<std::uint32_t> SwapMiddle(hn::Vec256<std::uint32_t> v) {
  return hn::Vec256<std::uint32_t>{_mm256_shuffle_epi32(v.raw, 0xD8)};
}
#endif
#if HWY_TARGET <= HWY_AVX3
template <int kImm>
HWY_INLINE hn::Vec512<std::uint32_t> ShufflePairs(hn::Vec512<std::uint32_t> a,
                                                  hn::Vec512<std::uint32_t> b) {
  return hn::Vec512<std::uint32_t>{_mm512_castps_si512(
      _mm512_shuffle_ps(_mm512_castsi512_ps(a.raw), _mm512_castsi512_ps(b.raw), kImm))};
}
HWY_INLINE hn::Vec512<std::uint32_t> SwapMiddle(hn::Vec512<std::uint32_t> v) {
  return hn::Vec512<std::uint32_t>{_mm512_shuffle_epi32(v.raw, static_cast<_MM_PERM_ENUM>(0xD8))};
}
#endif

// hi, lo = the halves of a * m per lane; lane p of the results holds the
// product of lane swap(p) of a, swap = [0, 2, 1, 3] in every 128-bit block.
HWY_INLINE void MulHiLoSwapped(VU32 a, VU32 m, VU32& hi, VU32& lo) {
  const DU32 d;
  const hn::Repartition<std::uint64_t, DU32> d64;
  const VU32 even = hn::BitCast(d, hn::MulEven(a, m));
  const VU32 odd_down = hn::BitCast(d, hn::ShiftRight<32>(hn::BitCast(d64, a)));
  const VU32 odd = hn::BitCast(d, hn::MulEven(odd_down, m));
  hi = ShufflePairs<_MM_SHUFFLE(3, 1, 3, 1)>(even, odd);
  lo = ShufflePairs<_MM_SHUFFLE(2, 0, 2, 0)>(even, odd);
}

// Lane offsets of one layout: `swapped` for counter words 0 and 1 (which
// travel in the swapped order), `largest` the largest offset.
struct LaneOffsets {
  alignas(64) std::uint32_t swapped[kMaxLanes32];
  std::uint32_t largest;
};

HWY_INLINE LaneOffsets MakeLaneOffsets(BlockLayout layout) {
  const std::size_t lanes = hn::Lanes(DU32());
  LaneOffsets offsets{};
  for (std::size_t lane = 0; lane < lanes; ++lane) {
    const std::size_t q = lane % 4;
    const std::size_t swapped_lane = lane - q + (q == 1 ? 2 : q == 2 ? 1 : q);
    offsets.swapped[lane] = layout_offset(layout, swapped_lane, lanes);
  }
  offsets.largest = static_cast<std::uint32_t>(lanes - 1);
  return offsets;
}

// The ten rounds of Philox4x32-10 on kGroups vectors of counters set up as
// PhiloxGroups sets them (words 0 and 1 in the swapped lane order, words 2
// and 3 the stream id). On return c[g][j] holds word j of the block of lane
// p, for every j in the natural lane order.
template <std::size_t kGroups>
HWY_INLINE void PhiloxRounds(const RoundKeys& keys, VU32 (&c)[kGroups][4]) {
  const DU32 d;
  const VU32 m0 = hn::Set(d, philox_multiplier_0);
  const VU32 m1 = hn::Set(d, philox_multiplier_1);
#pragma GCC unroll 10
  for (int round = 0; round < 10; ++round) {
    const VU32 k0 = hn::Set(d, keys.k0[round]);
    const VU32 k1 = hn::Set(d, keys.k1[round]);
    for (std::size_t g = 0; g < kGroups; ++g) {
      VU32 hi0, lo0, hi1, lo1;
      MulHiLoSwapped(c[g][0], m0, hi0, lo0);  // swapped order in, natural out
      MulHiLoSwapped(c[g][2], m1, hi1, lo1);  // natural order in, swapped out
      c[g][0] = hn::Xor3(hi1, c[g][1], k0);
      c[g][1] = lo1;
      c[g][2] = hn::Xor3(hi0, c[g][3], k1);
      c[g][3] = lo0;
    }
  }
  for (std::size_t g = 0; g < kGroups; ++g) {
    c[g][0] = SwapMiddle(c[g][0]);
    c[g][1] = SwapMiddle(c[g][1]);
  }
}

// Counter words 0 and 1 of the blocks base + offset[p], lane p (in the
// swapped lane order of LaneOffsets): `offset` is that array, as a vector
// and in memory, `largest` its largest entry.
HWY_INLINE void BlockCounters(std::uint64_t base, VU32 offset, const std::uint32_t* HWY_RESTRICT offset_array,
                              std::uint32_t largest, VU32& low, VU32& high) {
  const DU32 d;
  const auto base_low = static_cast<std::uint32_t>(base);
  low = hn::Add(hn::Set(d, base_low), offset);
  if (base_low <= 0xFFFFFFFFu - largest) {
    high = hn::Set(d, static_cast<std::uint32_t>(base >> 32));
  } else {  // the low word wraps inside this vector: carry lane by lane
    alignas(64) std::uint32_t words[kMaxLanes32];
    for (std::size_t lane = 0; lane < hn::Lanes(d); ++lane) {
      words[lane] = static_cast<std::uint32_t>((base + offset_array[lane]) >> 32);
    }
    high = hn::Load(d, words);
  }
}

// Philox4x32-10 of kGroups vectors of blocks: group g computes blocks
// first_block + g * lanes + M(p). On return c[g][j] holds word j of the block
// of lane p, for every j in the natural lane order.
template <std::size_t kGroups>
HWY_INLINE void PhiloxGroups(const RoundKeys& keys, const LaneOffsets& offsets,
                             std::uint64_t stream_id, std::uint64_t first_block,
                             VU32 (&c)[kGroups][4]) {
  const DU32 d;
  const std::size_t lanes = hn::Lanes(d);
  const VU32 offset = hn::Load(d, offsets.swapped);
  const VU32 id_low = hn::Set(d, static_cast<std::uint32_t>(stream_id));
  const VU32 id_high = hn::Set(d, static_cast<std::uint32_t>(stream_id >> 32));
  for (std::size_t g = 0; g < kGroups; ++g) {
    BlockCounters(first_block + g * lanes, offset, offsets.swapped, offsets.largest, c[g][0], c[g][1]);
    c[g][2] = id_low;
    c[g][3] = id_high;
  }
  PhiloxRounds<kGroups>(keys, c);
}

// The same for blocks anywhere: group g computes blocks base + offset[g][p]
// (lane p in the swapped lane order), every offset at most `largest`.
template <std::size_t kGroups>
HWY_INLINE void PhiloxGroupsAt(const RoundKeys& keys, const std::uint32_t (*HWY_RESTRICT offset)[kMaxLanes32],
                               std::uint32_t largest, std::uint64_t stream_id, std::uint64_t base,
                               VU32 (&c)[kGroups][4]) {
  const DU32 d;
  const VU32 id_low = hn::Set(d, static_cast<std::uint32_t>(stream_id));
  const VU32 id_high = hn::Set(d, static_cast<std::uint32_t>(stream_id >> 32));
  for (std::size_t g = 0; g < kGroups; ++g) {
    BlockCounters(base, hn::Load(d, offset[g]), offset[g], largest, c[g][0], c[g][1]);
    c[g][2] = id_low;
    c[g][3] = id_high;
  }
  PhiloxRounds<kGroups>(keys, c);
}

#endif  // NNINIT_SIMD_VECTOR_TARGET

}  // namespace HWY_NAMESPACE
}  // namespace nninit::internal::simd
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
