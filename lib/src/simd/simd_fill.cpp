// simd/simd_fill.cpp — compiles the kernels of simd/kernels-inl.h once per
// Highway target (hwy/foreach_target.h re-includes this file) and dispatches
// to the best one the CPU supports (HWY_EXPORT / HWY_DYNAMIC_DISPATCH).
#include "simd/simd_fill.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "fill_plan.hpp"
#include "kernels/fill_range.hpp"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/simd_fill.cpp"
#include "hwy/foreach_target.h"  // must come before highway.h

#include "hwy/highway.h"
#include "simd/kernels-inl.h"

HWY_BEFORE_NAMESPACE();
namespace nninit::internal::simd {
namespace HWY_NAMESPACE {

#if NNINIT_SIMD_VECTOR_TARGET

// Vectors of blocks that go through Philox together: two independent chains
// hide the latency of the multiplies. Normal f32 brings enough independent
// work of its own (and fewer live registers suit it better).
template <class Output>
inline constexpr std::size_t kUniformGroups = 2;
template <class Output>
inline constexpr std::size_t kNormalGroups = std::is_same_v<Output, OutputFloat> ? 1 : 2;
template <class Output>
inline constexpr std::size_t kTruncatedGroups = 2;

template <class Output, class T, class UniformValues, class NormalValues, class TruncatedValues,
          class Working>
HWY_INLINE void FillTyped(const FillPlan<T>& plan, T* out, std::uint64_t first_index,
                          std::size_t count, const Stream& stream, StoreHint hint) {
  const Output output(plan.clamp_low, plan.clamp_high);
  switch (plan.kind) {
    case FillKind::constant:
      FillConstant(plan.constant_value, out, count, hint);
      return;
    case FillKind::uniform:
      Run<kUniformGroups<Output>>(
          Kernel<UniformValues, Output, Working>{UniformValues(plan.uniform), output}, out,
          first_index, count, stream, hint);
      return;
    case FillKind::normal:
      Run<kNormalGroups<Output>>(Kernel<NormalValues, Output, Working>{NormalValues(plan.normal), output},
                         out, first_index, count, stream, hint);
      return;
    case FillKind::truncated_normal:
      Run<kTruncatedGroups<Output>>(
          Kernel<TruncatedValues, Output, Working>{TruncatedValues(plan.truncated_normal), output},
          out, first_index, count, stream, hint);
      return;
  }
}

void FillF32(const FillPlan<float>& plan, float* out, std::uint64_t first_index,
             std::size_t count, const Stream& stream, StoreHint hint) {
  FillTyped<OutputFloat, float, UniformValuesF32, NormalValuesF32, TruncatedNormalValuesF32,
            VF32>(plan, out, first_index, count, stream, hint);
}
void FillF64(const FillPlan<double>& plan, double* out, std::uint64_t first_index,
             std::size_t count, const Stream& stream, StoreHint hint) {
  FillTyped<OutputDouble, double, UniformValuesF64, NormalValuesF64, TruncatedNormalValuesF64,
            VF64>(plan, out, first_index, count, stream, hint);
}
void FillBF16(const FillPlan<bfloat16>& plan, bfloat16* out, std::uint64_t first_index,
              std::size_t count, const Stream& stream, StoreHint hint) {
  FillTyped<OutputBfloat16, bfloat16, UniformValuesF32, NormalValuesF32,
            TruncatedNormalValuesF32, VF32>(plan, out, first_index, count, stream, hint);
}
void FillF16(const FillPlan<float16>& plan, float16* out, std::uint64_t first_index,
             std::size_t count, const Stream& stream, StoreHint hint) {
  FillTyped<OutputFloat16, float16, UniformValuesF32, NormalValuesF32, TruncatedNormalValuesF32,
            VF32>(plan, out, first_index, count, stream, hint);
}
void PhiloxWords(const Stream& stream, std::uint64_t first_block, std::size_t count,
                 std::uint32_t* words) {
  const DU32 d;
  const std::size_t lanes = hn::Lanes(d);
  constexpr std::size_t kGroups = 2;
  const std::size_t step = kGroups * lanes;
  const RoundKeys keys = round_keys(stream.seed);
  const LaneOffsets offsets = MakeLaneOffsets(BlockLayout::transposed);
  alignas(64) std::uint32_t buffer[kGroups * kMaxLanes32 * 4];
  for (std::size_t done = 0; done < count; done += step) {
    VU32 c[kGroups][4];
    PhiloxGroups<kGroups>(keys, offsets, stream.id, first_block + done, c);
    for (std::size_t g = 0; g < kGroups; ++g) {
      StoreTransposed32<false>(d, c[g][0], c[g][1], c[g][2], c[g][3], buffer + g * lanes * 4);
    }
    const std::size_t blocks = std::min(step, count - done);
    std::memcpy(words + 4 * done, buffer, blocks * 4 * sizeof(std::uint32_t));
  }
}

#else  // not a vector target: the scalar reference itself

template <class T>
void FillScalar(const FillPlan<T>& plan, T* out, std::uint64_t first_index, std::size_t count,
                const Stream& stream) {
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

void FillF32(const FillPlan<float>& plan, float* out, std::uint64_t first_index,
             std::size_t count, const Stream& stream, StoreHint) {
  FillScalar(plan, out, first_index, count, stream);
}
void FillF64(const FillPlan<double>& plan, double* out, std::uint64_t first_index,
             std::size_t count, const Stream& stream, StoreHint) {
  FillScalar(plan, out, first_index, count, stream);
}
void FillBF16(const FillPlan<bfloat16>& plan, bfloat16* out, std::uint64_t first_index,
              std::size_t count, const Stream& stream, StoreHint) {
  FillScalar(plan, out, first_index, count, stream);
}
void FillF16(const FillPlan<float16>& plan, float16* out, std::uint64_t first_index,
             std::size_t count, const Stream& stream, StoreHint) {
  FillScalar(plan, out, first_index, count, stream);
}
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

HWY_EXPORT(FillF32);
HWY_EXPORT(FillF64);
HWY_EXPORT(FillBF16);
HWY_EXPORT(FillF16);
HWY_EXPORT(PhiloxWords);
HWY_EXPORT(TargetName);

namespace {

// Bytes of the last-level cache (sysconf), 32 MiB when unknown.
std::size_t last_level_cache_bytes() noexcept {
  for (const int name : {_SC_LEVEL3_CACHE_SIZE, _SC_LEVEL2_CACHE_SIZE}) {
    const long bytes = sysconf(name);
    if (bytes > 0) return static_cast<std::size_t>(bytes);
  }
  return std::size_t{32} << 20;
}

}  // namespace

StoreHint store_hint_for(std::size_t total_bytes) noexcept {
  static const std::size_t threshold = last_level_cache_bytes() / 4;
  return total_bytes > threshold ? StoreHint::streaming : StoreHint::regular;
}

void fill(const FillPlan<float>& plan, float* out, std::uint64_t first_index, std::size_t count,
          const Stream& stream, StoreHint hint) noexcept {
  HWY_DYNAMIC_DISPATCH(FillF32)(plan, out, first_index, count, stream, hint);
}
void fill(const FillPlan<double>& plan, double* out, std::uint64_t first_index,
          std::size_t count, const Stream& stream, StoreHint hint) noexcept {
  HWY_DYNAMIC_DISPATCH(FillF64)(plan, out, first_index, count, stream, hint);
}
void fill(const FillPlan<bfloat16>& plan, bfloat16* out, std::uint64_t first_index,
          std::size_t count, const Stream& stream, StoreHint hint) noexcept {
  HWY_DYNAMIC_DISPATCH(FillBF16)(plan, out, first_index, count, stream, hint);
}
void fill(const FillPlan<float16>& plan, float16* out, std::uint64_t first_index,
          std::size_t count, const Stream& stream, StoreHint hint) noexcept {
  HWY_DYNAMIC_DISPATCH(FillF16)(plan, out, first_index, count, stream, hint);
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
