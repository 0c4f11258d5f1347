// simd/fill_one_type-inl.h — simd::fill for one output type: the kernels of
// simd/kernels-inl.h compiled once per Highway target and dispatched to the
// best one the CPU supports. Each simd_fill_<type>.cpp defines
// NNINIT_SIMD_FILL_TYPE (the output type) and NNINIT_SIMD_FILL_NAME (the
// per-target function's name), names this file as HWY_TARGET_INCLUDE and
// includes hwy/foreach_target.h and then this file. One translation unit per
// type, so that the targets of the four types compile in parallel.
#include <cstddef>
#include <cstdint>

#include "simd/simd_fill.hpp"

#if !defined(NNINIT_SIMD_FILL_TYPE) || !defined(NNINIT_SIMD_FILL_NAME)
#error "define NNINIT_SIMD_FILL_TYPE and NNINIT_SIMD_FILL_NAME before including this file"
#endif

#include "hwy/highway.h"
#include "simd/kernels-inl.h"

// Per target (re-included by hwy/foreach_target.h; no include guard).
HWY_BEFORE_NAMESPACE();
namespace nninit::internal::simd {
namespace HWY_NAMESPACE {

// `rows` rows of `count` elements, row r from first_index + r * index_stride
// (simd::fill is one row).
void NNINIT_SIMD_FILL_NAME(const FillPlan<NNINIT_SIMD_FILL_TYPE>& plan, NNINIT_SIMD_FILL_TYPE* out,
                           std::uint64_t first_index, std::size_t count, std::size_t rows,
                           std::uint64_t index_stride, const Stream& stream, StoreHint hint) {
  FillPlanned(plan, out, first_index, count, rows, index_stride, stream, hint);
}

}  // namespace HWY_NAMESPACE
}  // namespace nninit::internal::simd
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nninit::internal::simd {

HWY_EXPORT(NNINIT_SIMD_FILL_NAME);

void fill(const FillPlan<NNINIT_SIMD_FILL_TYPE>& plan, NNINIT_SIMD_FILL_TYPE* out,
          std::uint64_t first_index, std::size_t count, const Stream& stream,
          StoreHint hint) noexcept {
  HWY_DYNAMIC_DISPATCH(NNINIT_SIMD_FILL_NAME)(plan, out, first_index, count, 1, 0, stream, hint);
}

void fill_rows(const FillPlan<NNINIT_SIMD_FILL_TYPE>& plan, NNINIT_SIMD_FILL_TYPE* out,
               std::uint64_t first_index, std::uint64_t index_stride, std::size_t rows,
               std::size_t row_length, const Stream& stream) noexcept {
  HWY_DYNAMIC_DISPATCH(NNINIT_SIMD_FILL_NAME)(plan, out, first_index, row_length, rows, index_stride, stream,
                                              StoreHint::regular);
}

}  // namespace nninit::internal::simd
#endif  // HWY_ONCE
