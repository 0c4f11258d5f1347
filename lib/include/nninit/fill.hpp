// nninit/fill.hpp — fill a tensor (or any slice of it) from a distribution
// and a stream, in parallel, with output bits that depend only on
// (seed, stream id, element index, distribution, dtype).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "nninit/distributions.hpp"
#include "nninit/dtype.hpp"
#include "nninit/stream.hpp"

namespace nninit {

struct FillOptions {
  // Index of out[0] in the logical tensor. Filling [offset, offset + n) on its
  // own gives exactly that part of the whole fill. offset + n must not exceed 2^64.
  std::uint64_t offset = 0;
  // Threads to use: 0 means OpenMP's default. Fills below
  // parallel_threshold elements always run on the calling thread.
  int threads = 0;
};

// Fills below this many elements never start a parallel region.
inline constexpr std::size_t parallel_threshold = 1 << 15;

// Fills `out` with draws from `distribution` on `stream`. Validates every
// argument first and throws nninit::invalid_argument (naming the parameter
// and value) without writing anything when one is bad.
// Example: nninit::fill(std::span(weights), nninit::Uniform{-0.1, 0.1}, Stream::named(7, "fc.weight"));
void fill(std::span<float> out, const Distribution& distribution, const Stream& stream,
          const FillOptions& options = {});
void fill(std::span<double> out, const Distribution& distribution, const Stream& stream,
          const FillOptions& options = {});
void fill(std::span<bfloat16> out, const Distribution& distribution, const Stream& stream,
          const FillOptions& options = {});
void fill(std::span<float16> out, const Distribution& distribution, const Stream& stream,
          const FillOptions& options = {});

// Type-erased form for bindings and the CLI: `count` elements of `dtype` at
// `data` (which may be null only when count is 0).
void fill(void* data, DType dtype, std::size_t count, const Distribution& distribution,
          const Stream& stream, const FillOptions& options = {});

}  // namespace nninit
