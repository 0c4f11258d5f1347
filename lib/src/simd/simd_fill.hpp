// simd/simd_fill.hpp — the SIMD fill kernels: Philox4x32-10 on whole vectors
// of blocks plus every distribution and output type, compiled once per x86
// SIMD target Google Highway builds (SSSE3, SSE4, AVX2, AVX-512) and picked at
// run time. They reproduce the scalar reference (kernels/fill_range.hpp with
// the plan's generator) bit for bit for any (first_index, count); the scalar
// reference defines the bits. tests/simd_test.cpp checks every compiled target
// that the CPU supports against it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fill_plan.hpp"
#include "nninit/dtype.hpp"
#include "nninit/stream.hpp"

namespace nninit::internal::simd {

// How full vectors are written. Streaming (non-temporal) stores bypass the
// caches: right for fills much larger than the last-level cache, wrong for
// data about to be used. A streaming call ends with a store fence.
enum class StoreHint { regular, streaming };

// The hint for a fill of `total_bytes` (the whole fill, not one chunk of it):
// streaming above a quarter of the last-level cache.
StoreHint store_hint_for(std::size_t total_bytes) noexcept;

// Elements [first_index, first_index + count) of the plan's fill, written to
// out[0, count): the same bits as fill_range (or std::fill for a constant),
// for every kind of plan.
void fill(const FillPlan<float>& plan, float* out, std::uint64_t first_index, std::size_t count,
          const Stream& stream, StoreHint hint) noexcept;
void fill(const FillPlan<double>& plan, double* out, std::uint64_t first_index,
          std::size_t count, const Stream& stream, StoreHint hint) noexcept;
void fill(const FillPlan<bfloat16>& plan, bfloat16* out, std::uint64_t first_index,
          std::size_t count, const Stream& stream, StoreHint hint) noexcept;
void fill(const FillPlan<float16>& plan, float16* out, std::uint64_t first_index,
          std::size_t count, const Stream& stream, StoreHint hint) noexcept;

// `rows` ranges of `row_length` elements, row r being elements
// [first_index + r * index_stride, + row_length) of the plan's fill, written
// one after the other to out[r * row_length, (r + 1) * row_length): the rows
// of a block of a tensor, in one call (the per-call setup is paid once), with
// regular stores. The same bits as `fill` of each row.
void fill_rows(const FillPlan<float>& plan, float* out, std::uint64_t first_index, std::uint64_t index_stride,
               std::size_t rows, std::size_t row_length, const Stream& stream) noexcept;
void fill_rows(const FillPlan<double>& plan, double* out, std::uint64_t first_index, std::uint64_t index_stride,
               std::size_t rows, std::size_t row_length, const Stream& stream) noexcept;
void fill_rows(const FillPlan<bfloat16>& plan, bfloat16* out, std::uint64_t first_index,
               std::uint64_t index_stride, std::size_t rows, std::size_t row_length, const Stream& stream) noexcept;
void fill_rows(const FillPlan<float16>& plan, float16* out, std::uint64_t first_index,
               std::uint64_t index_stride, std::size_t rows, std::size_t row_length, const Stream& stream) noexcept;

// The vector Philox on its own: the four words of blocks
// [first_block, first_block + count) of `stream`, block after block (words[4 b + j]
// is word j of block first_block + b), as stream.block() gives them (block
// indices wrap modulo 2^64).
void philox_words(const Stream& stream, std::uint64_t first_block, std::size_t count,
                  std::uint32_t* words) noexcept;

// Targets, as Highway's bit masks (HWY_AVX2 ...), for tests and reports.
// Compiled into this library:
std::int64_t compiled_targets() noexcept;
// Compiled and supported by this CPU (the ones tests can run):
std::int64_t runnable_targets() noexcept;
// Restricts dispatch to `targets` (0: back to everything the CPU supports);
// the next call re-dispatches. For tests only: not thread-safe.
void restrict_targets_for_test(std::int64_t targets) noexcept;
// Name of the target the kernels dispatch to now ("AVX2", "SSE4", ...).
const char* dispatched_target_name() noexcept;
// Name of one target bit.
const char* target_name(std::int64_t target) noexcept;

}  // namespace nninit::internal::simd
