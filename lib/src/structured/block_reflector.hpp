// structured/block_reflector.hpp — the trailing-matrix update of the blocked
// Householder QR (householder_qr.cpp): one block reflector I - V M V^T
// applied to a chunk of at most block_reflector_columns columns, the bulk of
// the QR's arithmetic. Compiled once per SIMD target Google Highway builds
// and picked at run time; the vectors run across columns, so every entry is
// the same sequence of separate IEEE multiplies and adds (no FMA) on every
// target: the bits do not depend on the target (tests/orthogonal_test.cpp
// checks every runnable one).
#pragma once

#include <cstddef>
#include <cstdint>

#include "structured/householder_qr.hpp"

namespace nninit::internal {

// Columns per call (and per unit of parallel work in householder_qr.cpp).
inline constexpr std::size_t block_reflector_columns = 64;

// A block reflector of `reflectors` (1..householder_block) Householder
// vectors over `height` rows (height >= reflectors), V(i, p) its vectors: the
// first `reflectors` rows come from `top`, the rest from `rest`.
struct BlockReflector {
  // reflectors x householder_block, row-major: V(i, p) for i < reflectors,
  // with the unit diagonal and the zeros above it written in, and zero
  // columns from `reflectors` on.
  const double* top = nullptr;
  // (height - reflectors) rows of row stride `rest_stride`: V(reflectors + i, p)
  // at rest[i * rest_stride + p]. Columns p up to the next multiple of 8 are
  // read (their products go only to sums that are never used), so when
  // `reflectors` is not householder_block they must exist (a padded copy).
  const double* rest = nullptr;
  std::size_t rest_stride = 0;
  std::size_t height = 0;
  std::size_t reflectors = 0;
  // householder_block x householder_block, row-major: the middle factor as
  // it is applied, (M W)(p) = the sum over q in [mix_first[p], mix_last[p]),
  // ascending, of mix[p][q] W(q).
  const double* mix = nullptr;
  const std::size_t* mix_first = nullptr;
  const std::size_t* mix_last = nullptr;
};

// target (height x columns, row stride `stride`, columns <= block_reflector_columns)
// <- (I - V M V^T) target, in three steps, each entry a sum in one fixed order
// starting from +0:
//   W(p, l)  = sum over rows i = 0, 1, ... of V(i, p) target(i, l);
//   W2(p, l) = sum over q ascending in p's range of mix[p][q] W(q, l);
//   target(i, l) = target(i, l) - (sum over p = 0, 1, ... of V(i, p) W2(p, l)).
// Every product and sum is one IEEE double operation, as in the plain loops.
void apply_block_reflector(const BlockReflector& reflector, double* target, std::size_t stride,
                           std::size_t columns) noexcept;

// The SIMD target apply_block_reflector dispatches to now ("AVX2", ...).
const char* block_reflector_target_name() noexcept;

}  // namespace nninit::internal
