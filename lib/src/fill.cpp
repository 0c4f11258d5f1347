// fill.cpp — the public fill entry points: validate, plan, then run the
// kernel over the output in parallel chunks. Every element's value depends
// only on its index, so the chunking never changes a bit.
#include "nninit/fill.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include <omp.h>

#include "fill_plan.hpp"
#include "format_number.hpp"
#include "nninit/error.hpp"
#include "parallel_plan.hpp"
#include "simd/simd_fill.hpp"

namespace nninit {
namespace internal {
namespace {

void check_common_arguments(const void* data, std::size_t count, const FillOptions& options) {
  if (data == nullptr && count != 0) {
    throw nninit::invalid_argument("nninit::fill: out is null with count " +
                                   std::to_string(count));
  }
  if (count != 0 && options.offset > std::numeric_limits<std::uint64_t>::max() - (count - 1)) {
    throw nninit::invalid_argument("nninit::fill: offset (" + std::to_string(options.offset) +
                                   ") + count (" + std::to_string(count) +
                                   ") exceeds the 2^64 elements of a stream");
  }
  if (options.threads < 0) {
    throw nninit::invalid_argument("nninit::fill: threads (" + std::to_string(options.threads) +
                                   ") must not be negative");
  }
}

// One piece of a fill, on the SIMD kernels (simd/simd_fill.hpp), which equal
// the scalar reference (kernels/fill_range.hpp) bit for bit. `hint` says
// whether the whole fill is large enough for streaming stores.
template <class T>
void run_plan(const FillPlan<T>& plan, T* out, std::uint64_t first_index, std::size_t count,
              const Stream& stream, simd::StoreHint hint) noexcept {
  simd::fill(plan, out, first_index, count, stream, hint);
}

template <class T>
void fill_typed(T* out, std::size_t count, const Distribution& distribution, const Stream& stream,
                const FillOptions& options) {
  check_common_arguments(out, count, options);
  const FillPlan<T> plan = plan_fill<T>(distribution);  // throws before any write
  if (count == 0) return;
  const int team =
      threads_for_fill(count, options.threads, omp_get_max_threads(), parallel_threshold);
  const simd::StoreHint hint = simd::store_hint_for(count * sizeof(T));
  if (team == 1) {
    run_plan(plan, out, options.offset, count, stream, hint);
    return;
  }
  // Chunks start at multiples of chunk_elements, a multiple of every
  // generator's elements per block; the values never depend on the split.
  // Dynamic scheduling: a thread whose core is busy with something else (a
  // shared or virtual machine) takes fewer chunks instead of holding up the
  // fill; with equal cores it is as fast as a static split (one atomic
  // increment per 64 Ki elements).
  const std::size_t chunks = (count + chunk_elements - 1) / chunk_elements;
#pragma omp parallel for schedule(dynamic, 1) num_threads(team)
  for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
    const std::size_t begin = chunk * chunk_elements;
    const std::size_t length = std::min(chunk_elements, count - begin);
    run_plan(plan, out + begin, options.offset + begin, length, stream, hint);
  }
}

}  // namespace
}  // namespace internal

void fill(std::span<float> out, const Distribution& distribution, const Stream& stream,
          const FillOptions& options) {
  internal::fill_typed(out.data(), out.size(), distribution, stream, options);
}
void fill(std::span<double> out, const Distribution& distribution, const Stream& stream,
          const FillOptions& options) {
  internal::fill_typed(out.data(), out.size(), distribution, stream, options);
}
void fill(std::span<bfloat16> out, const Distribution& distribution, const Stream& stream,
          const FillOptions& options) {
  internal::fill_typed(out.data(), out.size(), distribution, stream, options);
}
void fill(std::span<float16> out, const Distribution& distribution, const Stream& stream,
          const FillOptions& options) {
  internal::fill_typed(out.data(), out.size(), distribution, stream, options);
}

void fill(void* data, DType dtype, std::size_t count, const Distribution& distribution,
          const Stream& stream, const FillOptions& options) {
  switch (dtype) {
    case DType::f32:
      return internal::fill_typed(static_cast<float*>(data), count, distribution, stream, options);
    case DType::f64:
      return internal::fill_typed(static_cast<double*>(data), count, distribution, stream, options);
    case DType::bf16:
      return internal::fill_typed(static_cast<bfloat16*>(data), count, distribution, stream,
                                  options);
    case DType::f16:
      return internal::fill_typed(static_cast<float16*>(data), count, distribution, stream,
                                  options);
  }
  throw nninit::invalid_argument("nninit::fill: dtype (" +
                                 std::to_string(static_cast<int>(dtype)) + ") is not a DType");
}

}  // namespace nninit
