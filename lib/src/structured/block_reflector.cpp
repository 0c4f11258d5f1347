// Block-reflector update of the Householder QR, once per SIMD target (see
// block_reflector.hpp). Each vector holds consecutive columns and each lane
// runs the scalar sequence of its column: a multiply, then an add, per term,
// terms in ascending order. Tiling (blocks of rows, tiles of reflectors x
// columns held in registers) changes which loads happen when, never the
// order of the terms of a sum. The library is built with -ffp-contract=off,
// so no multiply-add pair becomes an FMA.
#include "structured/block_reflector.hpp"

#include <algorithm>
#include <cstddef>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "structured/block_reflector.cpp"
#include "hwy/foreach_target.h"  // must come before highway.h

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace nninit::internal {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if !HWY_HAVE_SCALABLE
// Highway vectors of doubles (fixed width: they can live in arrays).
struct Ops {
  using D = hn::ScalableTag<double>;
  using V = hn::Vec<D>;
  static std::size_t lanes() { return hn::Lanes(D()); }
  static V load(const double* p) { return hn::Load(D(), p); }
  static V load_unaligned(const double* p) { return hn::LoadU(D(), p); }
  static void store(V v, double* p) { hn::Store(v, D(), p); }
  static void store_unaligned(V v, double* p) { hn::StoreU(v, D(), p); }
  static V set(double x) { return hn::Set(D(), x); }
  static V zero() { return hn::Zero(D()); }
  static V add(V a, V b) { return hn::Add(a, b); }
  static V sub(V a, V b) { return hn::Sub(a, b); }
  static V mul(V a, V b) { return hn::Mul(a, b); }
};
#else
// Scalable vectors cannot be held in arrays: one column per "vector".
struct Ops {
  using V = double;
  static std::size_t lanes() { return 1; }
  static V load(const double* p) { return *p; }
  static V load_unaligned(const double* p) { return *p; }
  static void store(V v, double* p) { *p = v; }
  static void store_unaligned(V v, double* p) { *p = v; }
  static V set(double x) { return x; }
  static V zero() { return 0.0; }
  static V add(V a, V b) { return a + b; }
  static V sub(V a, V b) { return a - b; }
  static V mul(V a, V b) { return a * b; }
};
#endif
using Vec = Ops::V;

constexpr std::size_t kWidth = block_reflector_columns;
constexpr std::size_t kRowBlock = 64;  // rows of the chunk copied out at a time (32 KiB)
// Register tiles: step 1 holds kProjectReflectors x kProjectVectors sums,
// step 3 kUpdateRows x kUpdateVectors (16 of 32 registers on AVX-512, 8 of 16
// on AVX2 and SSE4).
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
constexpr std::size_t kProjectReflectors = 8, kProjectVectors = 2;
constexpr std::size_t kUpdateRows = 4, kUpdateVectors = 4;
#else
constexpr std::size_t kProjectReflectors = 4, kProjectVectors = 2;
constexpr std::size_t kUpdateRows = 4, kUpdateVectors = 2;
#endif
static_assert(householder_block % kProjectReflectors == 0);

// Step 1 on one tile: w(q, c) += v(r, q) rows(r, c) for r = 0 .. count-1 in
// order; v has row stride v_stride, rows rows_stride, w kWidth.
template <std::size_t R, std::size_t C>
HWY_INLINE void ProjectTile(const double* HWY_RESTRICT v, std::size_t v_stride, const double* HWY_RESTRICT rows,
                            std::size_t rows_stride, std::size_t count, double* HWY_RESTRICT w) {
  const std::size_t lanes = Ops::lanes();
  Vec sums[R][C];
  for (std::size_t q = 0; q < R; ++q)
    for (std::size_t c = 0; c < C; ++c) sums[q][c] = Ops::load(w + q * kWidth + c * lanes);
  for (std::size_t r = 0; r < count; ++r) {
    Vec row[C];
    for (std::size_t c = 0; c < C; ++c) row[c] = Ops::load_unaligned(rows + r * rows_stride + c * lanes);
    const double* coefficients = v + r * v_stride;
    for (std::size_t q = 0; q < R; ++q) {
      const Vec coefficient = Ops::set(coefficients[q]);
      for (std::size_t c = 0; c < C; ++c) sums[q][c] = Ops::add(sums[q][c], Ops::mul(coefficient, row[c]));
    }
  }
  for (std::size_t q = 0; q < R; ++q)
    for (std::size_t c = 0; c < C; ++c) Ops::store(sums[q][c], w + q * kWidth + c * lanes);
}

// Step 3 on R rows x C vectors: target(i, l) -= sum over p < reflectors of
// v(i, p) w2(p, l); `columns` bounds the columns written (from `first`).
template <std::size_t R, std::size_t C>
HWY_INLINE void UpdateTile(const double* HWY_RESTRICT v, std::size_t v_stride, std::size_t reflectors,
                           const double* HWY_RESTRICT w2, double* HWY_RESTRICT target, std::size_t stride,
                           std::size_t first, std::size_t columns) {
  const std::size_t lanes = Ops::lanes();
  Vec sums[R][C];
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t c = 0; c < C; ++c) sums[r][c] = Ops::zero();
  for (std::size_t p = 0; p < reflectors; ++p) {
    Vec mixed[C];
    for (std::size_t c = 0; c < C; ++c) mixed[c] = Ops::load(w2 + p * kWidth + first + c * lanes);
    for (std::size_t r = 0; r < R; ++r) {
      const Vec coefficient = Ops::set(v[r * v_stride + p]);
      for (std::size_t c = 0; c < C; ++c) sums[r][c] = Ops::add(sums[r][c], Ops::mul(coefficient, mixed[c]));
    }
  }
  for (std::size_t r = 0; r < R; ++r) {
    double* row = target + r * stride;
    for (std::size_t c = 0; c < C; ++c) {
      const std::size_t l = first + c * lanes;
      if (l + lanes <= columns) {
        Ops::store_unaligned(Ops::sub(Ops::load_unaligned(row + l), sums[r][c]), row + l);
      } else if (l < columns) {  // the last, partial vector: the same subtraction lane by lane
        alignas(64) double sum[HWY_MAX_BYTES / sizeof(double)];
        Ops::store(sums[r][c], sum);
        for (std::size_t x = 0; l + x < columns; ++x) row[l + x] = row[l + x] - sum[x];
      }
    }
  }
}

// to[0, padded) = from[0, columns), then zeros.
HWY_INLINE void CopyRow(const double* HWY_RESTRICT from, std::size_t columns, std::size_t padded,
                        double* HWY_RESTRICT to) {
  const std::size_t lanes = Ops::lanes();
  std::size_t l = 0;
  for (; l + lanes <= columns; l += lanes) Ops::store(Ops::load_unaligned(from + l), to + l);
  for (; l < columns; ++l) to[l] = from[l];
  for (; l < padded; ++l) to[l] = 0.0;
}

// Rows [begin, end) of V as one strided piece.
struct Segment {
  const double* v;
  std::size_t stride, begin, end;
};

void ApplyBlockReflector(const BlockReflector& reflector, double* target, std::size_t stride,
                         std::size_t columns) {
  const std::size_t lanes = Ops::lanes();
  const std::size_t height = reflector.height, reflectors = reflector.reflectors;
  const Segment segments[2] = {{reflector.top, householder_block, 0, reflectors},
                               {reflector.rest, reflector.rest_stride, reflectors, height}};
  alignas(64) double w[householder_block][kWidth] = {};
  alignas(64) double w2[householder_block][kWidth];
  alignas(64) double rows[kRowBlock][kWidth];
  alignas(64) double panel[kRowBlock][householder_block];

  // Step 1: W = V^T target, block of rows after block of rows, each block
  // copied out first (padded with zeros to whole tiles): read in place, the
  // rows of a matrix whose stride is a power of two would evict each other
  // from the cache, and each is read once per tile.
  const std::size_t project_width = kProjectVectors * lanes;
  const std::size_t project_columns = (columns + project_width - 1) / project_width * project_width;
  for (const Segment& segment : segments) {
    for (std::size_t i0 = segment.begin; i0 < segment.end; i0 += kRowBlock) {
      const std::size_t count = std::min(kRowBlock, segment.end - i0);
      for (std::size_t r = 0; r < count; ++r) CopyRow(target + (i0 + r) * stride, columns, project_columns, rows[r]);
      const double* v = segment.v + (i0 - segment.begin) * segment.stride;
      std::size_t v_stride = segment.stride;
      if (v_stride != householder_block) {  // V's rows too, for the same reason
        for (std::size_t r = 0; r < count; ++r) {
          CopyRow(v + r * v_stride, householder_block, householder_block, panel[r]);
        }
        v = &panel[0][0];
        v_stride = householder_block;
      }
      for (std::size_t t0 = 0; t0 < project_columns; t0 += project_width) {
        for (std::size_t p0 = 0; p0 < reflectors; p0 += kProjectReflectors) {
          ProjectTile<kProjectReflectors, kProjectVectors>(v + p0, v_stride, &rows[0][t0], kWidth, count,
                                                           &w[p0][t0]);
        }
      }
    }
  }

  // Step 2: W2 = M W over every column of the chunk (the padding is zero).
  for (std::size_t p = 0; p < reflectors; ++p) {
    const double* mix = reflector.mix + p * householder_block;
    for (std::size_t t0 = 0; t0 < kWidth; t0 += lanes) {
      Vec sum = Ops::zero();
      for (std::size_t q = reflector.mix_first[p]; q < reflector.mix_last[p]; ++q) {
        sum = Ops::add(sum, Ops::mul(Ops::set(mix[q]), Ops::load(&w[q][t0])));
      }
      Ops::store(sum, &w2[p][t0]);
    }
  }

  // Step 3: target -= V W2, tiles of rows x columns.
  const std::size_t update_width = kUpdateVectors * lanes;
  for (const Segment& segment : segments) {
    std::size_t i = segment.begin;
    for (; i + kUpdateRows <= segment.end; i += kUpdateRows) {
      const double* v = segment.v + (i - segment.begin) * segment.stride;
      for (std::size_t t0 = 0; t0 < columns; t0 += update_width) {
        UpdateTile<kUpdateRows, kUpdateVectors>(v, segment.stride, reflectors, &w2[0][0], target + i * stride,
                                                stride, t0, columns);
      }
    }
    for (; i < segment.end; ++i) {
      const double* v = segment.v + (i - segment.begin) * segment.stride;
      for (std::size_t t0 = 0; t0 < columns; t0 += update_width) {
        UpdateTile<1, kUpdateVectors>(v, segment.stride, reflectors, &w2[0][0], target + i * stride, stride, t0,
                                      columns);
      }
    }
  }
}

const char* TargetName() { return hwy::TargetName(HWY_TARGET); }

}  // namespace HWY_NAMESPACE
}  // namespace nninit::internal
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace nninit::internal {

HWY_EXPORT(ApplyBlockReflector);
HWY_EXPORT(TargetName);

void apply_block_reflector(const BlockReflector& reflector, double* target, std::size_t stride,
                           std::size_t columns) noexcept {
  HWY_DYNAMIC_DISPATCH(ApplyBlockReflector)(reflector, target, stride, columns);
}

const char* block_reflector_target_name() noexcept { return HWY_DYNAMIC_DISPATCH(TargetName)(); }

}  // namespace nninit::internal
#endif  // HWY_ONCE
