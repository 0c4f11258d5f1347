// simd/simd_fill_f64.cpp — simd::fill for double outputs: the kernels of
// simd/kernels-inl.h compiled once per Highway target (hwy/foreach_target.h
// re-includes this file) and dispatched to the best one the CPU supports.
// One file per output type so that the targets of the four types compile in
// parallel.
#include <cstddef>
#include <cstdint>

#include "simd/simd_fill.hpp"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/simd_fill_f64.cpp"
#include "hwy/foreach_target.h"  // must come before highway.h

#include "hwy/highway.h"
#include "simd/kernels-inl.h"

HWY_BEFORE_NAMESPACE();
namespace nninit::internal::simd {
namespace HWY_NAMESPACE {

void FillF64(const FillPlan<double>& plan, double* out, std::uint64_t first_index,
         std::size_t count, const Stream& stream, StoreHint hint) {
  FillPlanned(plan, out, first_index, count, stream, hint);
}

}  // namespace HWY_NAMESPACE
}  // namespace nninit::internal::simd
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nninit::internal::simd {

HWY_EXPORT(FillF64);

void fill(const FillPlan<double>& plan, double* out, std::uint64_t first_index,
          std::size_t count, const Stream& stream, StoreHint hint) noexcept {
  HWY_DYNAMIC_DISPATCH(FillF64)(plan, out, first_index, count, stream, hint);
}

}  // namespace nninit::internal::simd
#endif  // HWY_ONCE
