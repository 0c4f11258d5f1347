// simd/simd_fill_bf16.cpp — simd::fill for bfloat16 outputs, every Highway target
// (the body is simd/fill_one_type-inl.h).
#define NNINIT_SIMD_FILL_TYPE bfloat16
#define NNINIT_SIMD_FILL_NAME FillBF16

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/fill_one_type-inl.h"
#include "hwy/foreach_target.h"  // must come before highway.h

#include "simd/fill_one_type-inl.h"
