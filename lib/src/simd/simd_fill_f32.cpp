// simd/simd_fill_f32.cpp — simd::fill for float outputs, every Highway target
// (the body is simd/fill_one_type-inl.h).
#define NNINIT_SIMD_FILL_TYPE float
#define NNINIT_SIMD_FILL_NAME FillF32

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/fill_one_type-inl.h"
#include "hwy/foreach_target.h"  // must come before highway.h

#include "simd/fill_one_type-inl.h"
