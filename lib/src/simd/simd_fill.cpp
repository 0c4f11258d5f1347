// simd/simd_fill.cpp — what the SIMD fills share: the store hint, the vector
// Philox on its own (for tests) and the target queries. The fills themselves
// are in simd_fill_{f32,f64,bf16,f16}.cpp, one per output type.
#include "simd/simd_fill.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/simd_fill.cpp"
#include "hwy/foreach_target.h"  // must come before highway.h

#include "hwy/highway.h"
#include "simd/kernels-inl.h"

HWY_BEFORE_NAMESPACE();
namespace nninit::internal::simd {
namespace HWY_NAMESPACE {

#if NNINIT_SIMD_VECTOR_TARGET

void PhiloxWords(const Stream& stream, std::uint64_t first_block, std::size_t count,
                 std::uint32_t* words) {
  const DU32 d;
  const std::size_t lanes = hn::Lanes(d);
  constexpr std::size_t kGroups = kPhiloxGroups;
  const std::size_t step = kGroups * lanes;
  const RoundKeys keys = round_keys(stream.seed);
  const LaneOffsets offsets = MakeLaneOffsets(BlockLayout::transposed);
  alignas(64) std::uint32_t buffer[kGroups * kMaxLanes32 * 4];
  for (std::size_t done = 0; done < count; done += step) {
    VU32 c[kGroups][4];
    PhiloxGroups<kGroups>(keys, offsets, stream.id, first_block + done, c);
    const std::size_t blocks = std::min(step, count - done);
    std::uint32_t* target = blocks == step ? words + 4 * done : buffer;  // whole steps in place
    for (std::size_t g = 0; g < kGroups; ++g) {
      StoreTransposed32(d, c[g][0], c[g][1], c[g][2], c[g][3], target + g * lanes * 4);
    }
    if (target == buffer) std::memcpy(words + 4 * done, buffer, blocks * 4 * sizeof(std::uint32_t));
  }
}

#else  // not a vector target: the scalar reference itself

void PhiloxWords(const Stream& stream, std::uint64_t first_block, std::size_t count,
                 std::uint32_t* words) {
  for (std::size_t b = 0; b < count; ++b) {
    const PhiloxBlock block = stream.block(first_block + b);
    for (std::size_t j = 0; j < 4; ++j) words[4 * b + j] = block[j];
  }
}

#endif  // NNINIT_SIMD_VECTOR_TARGET

const char* TargetName() { return hwy::TargetName(HWY_TARGET); }

}  // namespace HWY_NAMESPACE
}  // namespace nninit::internal::simd
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nninit::internal::simd {

HWY_EXPORT(PhiloxWords);
HWY_EXPORT(TargetName);

namespace {

// Bytes of the last-level cache (glibc's sysconf), 32 MiB when unknown.
std::size_t last_level_cache_bytes() noexcept {
#if defined(_SC_LEVEL3_CACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE)
  for (const int name : {_SC_LEVEL3_CACHE_SIZE, _SC_LEVEL2_CACHE_SIZE}) {
    const long bytes = sysconf(name);
    if (bytes > 0) return static_cast<std::size_t>(bytes);
  }
#endif
  return std::size_t{32} << 20;
}

}  // namespace

StoreHint store_hint_for(std::size_t total_bytes) noexcept {
  static const std::size_t threshold = last_level_cache_bytes() / 4;
  return total_bytes > threshold ? StoreHint::streaming : StoreHint::regular;
}

void philox_words(const Stream& stream, std::uint64_t first_block, std::size_t count,
                  std::uint32_t* words) noexcept {
  HWY_DYNAMIC_DISPATCH(PhiloxWords)(stream, first_block, count, words);
}

std::int64_t compiled_targets() noexcept { return HWY_TARGETS; }

std::int64_t runnable_targets() noexcept {
  std::int64_t targets = 0;
  for (const std::int64_t target : hwy::SupportedAndGeneratedTargets()) targets |= target;
  return targets;
}

void restrict_targets_for_test(std::int64_t targets) noexcept {
  hwy::SetSupportedTargetsForTest(targets);
}

const char* dispatched_target_name() noexcept { return HWY_DYNAMIC_DISPATCH(TargetName)(); }

const char* target_name(std::int64_t target) noexcept { return hwy::TargetName(target); }

}  // namespace nninit::internal::simd
#endif  // HWY_ONCE
