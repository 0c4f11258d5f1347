// sampling.hpp — nninit fills as samples of doubles, and the map from nninit's
// dtypes and distributions to the statistics layer's output grids and
// reference distributions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nninit/distributions.hpp"
#include "nninit/dtype.hpp"
#include "nninit/stream.hpp"
#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/reference_distribution.hpp"

namespace nninit::validation::suite {

// The grid a dtype's values lie on: f32 -> float32, f64 -> continuous,
// bf16 -> bfloat16, f16 -> float16.
OutputGrid grid_for(DType dtype) noexcept;

// The reference distribution of nninit's output of `distribution` in `dtype`:
// uniform / normal / truncated normal (absolute bounds) on the dtype's grid,
// clamped inside the bounds (BoundRounding::clamp_inside, nninit's contract).
// Throws std::invalid_argument for Constant (tested by exact equality).
ReferenceDistribution reference_for(const Distribution& distribution, DType dtype);

// `count` values of the logical tensor [offset, offset + count) filled by
// nninit::fill in `dtype` on `stream` with `threads` threads, as doubles.
std::vector<double> fill_values(DType dtype, std::size_t count, const Distribution& distribution,
                                const Stream& stream, std::uint64_t offset = 0, int threads = 1);

// `value` rounded to the dtype as nninit stores it (to float first, then to
// bfloat16 / float16 with round-to-nearest-even); f64 keeps it.
double round_to_dtype(double value, DType dtype) noexcept;

// The smallest step of the uniform source behind every nninit fill of a
// continuous dtype (f32: 2^-23, the truncated normal's; f64: 2^-52): the
// resolution test's allowance.
double generator_step(DType dtype) noexcept;

}  // namespace nninit::validation::suite
