// Identity-like initializers: eye, Keras identity, dirac, delta-orthogonal.
#include "nninit/identity_like.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "format_number.hpp"
#include "nninit/error.hpp"
#include "structured/identity_like_block.hpp"
#include "structured/structured_common.hpp"
#include "nninit/orthogonal.hpp"

namespace nninit {
namespace {

[[noreturn]] void fail(const char* function, const std::string& message) {
  throw invalid_argument(std::string("nninit::") + function + ": " + message);
}

// Checks the dimensions (non-negative, product within 2^64 and equal to
// `count`) and returns the element count.
std::size_t checked_count(const char* function, std::span<const std::int64_t> shape, std::size_t count) {
  std::uint64_t total = 1;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0) fail(function, "shape " + internal::shape_text(shape) + ": dimension " + std::to_string(d) + " is negative");
    const auto extent = static_cast<std::uint64_t>(shape[d]);
    if (extent != 0 && total > UINT64_MAX / extent) fail(function, "shape " + internal::shape_text(shape) + " overflows 2^64");
    total *= extent;
  }
  if (total != count) {
    fail(function, "out has " + std::to_string(count) + " elements, shape " + internal::shape_text(shape) + " has " +
                       std::to_string(total));
  }
  return static_cast<std::size_t>(total);
}

void check_scaled_eye(const char* function, std::span<const std::int64_t> shape, double gain) {
  if (shape.size() != 2) {
    fail(function, "shape " + internal::shape_text(shape) + ": needs exactly 2 dimensions, has " + std::to_string(shape.size()));
  }
  if (!std::isfinite(gain)) fail(function, "gain (" + internal::format_number(gain) + ") must be finite");
}

void check_dirac_rank(std::span<const std::int64_t> shape, int groups) {
  if (shape.size() < 3 || shape.size() > 5) {
    fail("fill_dirac", "shape " + internal::shape_text(shape) + ": needs 3, 4 or 5 dimensions, has " + std::to_string(shape.size()));
  }
  if (groups < 1) fail("fill_dirac", "groups (" + std::to_string(groups) + ") must be >= 1");
}

void check_dirac_groups(std::span<const std::int64_t> shape, int groups) {
  if (shape[0] % groups != 0) {
    fail("fill_dirac", "shape[0] (" + std::to_string(shape[0]) + ") must be divisible by groups (" +
                           std::to_string(groups) + ")");
  }
}

// The block's position of the element at `coordinates` of the whole tensor,
// or -1 when the block does not hold it.
std::int64_t position_in_block(const TensorBlock& block, std::span<const std::int64_t> coordinates) {
  std::int64_t position = 0;
  for (std::size_t d = 0; d < coordinates.size(); ++d) {
    const std::int64_t local = coordinates[d] - block.start[d];
    if (local < 0 || local >= block.extent[d]) return -1;
    position = position * block.extent[d] + local;
  }
  return position;
}

// Zeros, and gain where row == column, in the block (2-D, checked).
template <typename T>
void write_scaled_eye(T* out, std::size_t count, const TensorBlock& block, double gain) {
  std::fill_n(out, count, internal::from_double<T>(0.0));
  const std::int64_t first = std::max(block.start[0], block.start[1]);
  const std::int64_t end = std::min(block.start[0] + block.extent[0], block.start[1] + block.extent[1]);
  for (std::int64_t i = first; i < end; ++i) {
    out[(i - block.start[0]) * block.extent[1] + (i - block.start[1])] = internal::from_double<T>(gain);
  }
}

// Zeros, and the dirac ones that fall in the block (3- to 5-D, checked).
template <typename T>
void write_dirac(T* out, std::size_t count, const TensorBlock& block, int groups) {
  std::fill_n(out, count, internal::from_double<T>(0.0));
  const std::vector<std::int64_t>& shape = block.shape;
  std::vector<std::int64_t> coordinates(shape.size());
  for (std::size_t d = 2; d < shape.size(); ++d) {
    if (shape[d] == 0) return;
    coordinates[d] = shape[d] / 2;
  }
  const std::int64_t per_group = shape[0] / groups;
  const std::int64_t diagonal = std::min(per_group, shape[1]);
  for (std::int64_t g = 0; g < groups; ++g) {
    for (std::int64_t d = 0; d < diagonal; ++d) {
      coordinates[0] = g * per_group + d;
      coordinates[1] = d;
      const std::int64_t position = position_in_block(block, coordinates);
      if (position >= 0) out[position] = internal::from_double<T>(1.0);
    }
  }
}

template <typename T>
void scaled_eye(const char* function, std::span<T> out, std::span<const std::int64_t> shape, double gain) {
  check_scaled_eye(function, shape, gain);
  checked_count(function, shape, out.size());
  write_scaled_eye(out.data(), out.size(), whole_tensor(shape), gain);
}

template <typename T>
void dirac(std::span<T> out, std::span<const std::int64_t> shape, int groups) {
  check_dirac_rank(shape, groups);
  checked_count("fill_dirac", shape, out.size());
  check_dirac_groups(shape, groups);
  write_dirac(out.data(), out.size(), whole_tensor(shape), groups);
}

// The typed pointer for `dtype` and a call of `write` with it.
template <class Write>
void with_typed(void* data, DType dtype, Write write) {
  switch (dtype) {
    case DType::f32: return write(static_cast<float*>(data));
    case DType::f64: return write(static_cast<double*>(data));
    case DType::bf16: return write(static_cast<bfloat16*>(data));
    case DType::f16: return write(static_cast<float16*>(data));
  }
  throw invalid_argument("nninit::fill_block: dtype (" + std::to_string(static_cast<int>(dtype)) + ") is not a DType");
}

void check_block_count(const TensorBlock& block, std::size_t count) {
  const std::uint64_t elements = block_element_count(block);
  if (elements != count) {
    throw invalid_argument("nninit::fill_block: out has " + std::to_string(count) + " elements but the block has " +
                           std::to_string(elements));
  }
}

template <typename T>
void delta_orthogonal(std::span<T> out, std::span<const std::int64_t> shape, double scale, int column_axis,
                      const Stream& stream, const FillOptions& options) {
  constexpr const char* function = "fill_delta_orthogonal";
  if (shape.size() < 3 || shape.size() > 5) {
    fail(function, "shape " + internal::shape_text(shape) + ": needs 3, 4 or 5 dimensions, has " + std::to_string(shape.size()));
  }
  checked_count(function, shape, out.size());
  const std::int64_t in = shape[shape.size() - 2], channels_out = shape[shape.size() - 1];
  if (channels_out < in) {
    fail(function, "shape " + internal::shape_text(shape) + ": the output channels (" + std::to_string(channels_out) +
                       ") must be at least the input channels (" + std::to_string(in) + ")");
  }
  const std::int64_t block_shape[2] = {in, channels_out};
  std::vector<T> block(static_cast<std::size_t>(in * channels_out));
  try {
    fill_orthogonal(std::span<T>(block), block_shape, jax::orthogonal(scale, column_axis), stream, options);
  } catch (const invalid_argument& error) {
    fail(function, error.what());
  }
  std::fill(out.begin(), out.end(), internal::from_double<T>(0.0));
  if (block.empty()) return;
  std::size_t centre = 0;
  for (std::size_t d = 0; d + 2 < shape.size(); ++d) {
    const auto extent = static_cast<std::size_t>(shape[d]);
    if (extent == 0) return;
    centre = centre * extent + (extent - 1) / 2;
  }
  std::copy(block.begin(), block.end(), out.begin() + static_cast<std::ptrdiff_t>(centre * block.size()));
}

}  // namespace

#define NNINIT_IDENTITY_LIKE(T)                                                                                     \
  void fill_eye(std::span<T> out, std::span<const std::int64_t> shape) { scaled_eye("fill_eye", out, shape, 1.0); } \
  void fill_identity(std::span<T> out, std::span<const std::int64_t> shape, double gain) {                          \
    scaled_eye("fill_identity", out, shape, gain);                                                                  \
  }                                                                                                                 \
  void fill_dirac(std::span<T> out, std::span<const std::int64_t> shape, int groups) { dirac(out, shape, groups); } \
  void fill_delta_orthogonal(std::span<T> out, std::span<const std::int64_t> shape, double scale, int column_axis,  \
                             const Stream& stream, const FillOptions& options) {                                    \
    delta_orthogonal(out, shape, scale, column_axis, stream, options);                                              \
  }
NNINIT_IDENTITY_LIKE(float)
NNINIT_IDENTITY_LIKE(double)
NNINIT_IDENTITY_LIKE(bfloat16)
NNINIT_IDENTITY_LIKE(float16)
#undef NNINIT_IDENTITY_LIKE


namespace internal {

void fill_scaled_eye_block(const char* function, void* data, DType dtype, std::size_t count,
                           const TensorBlock& block, double gain) {
  check_block(block);
  check_scaled_eye(function, block.shape, gain);
  check_block_count(block, count);
  with_typed(data, dtype, [&](auto* out) { write_scaled_eye(out, count, block, gain); });
}

void fill_dirac_block(void* data, DType dtype, std::size_t count, const TensorBlock& block, int groups) {
  check_block(block);
  check_dirac_rank(block.shape, groups);
  check_block_count(block, count);
  check_dirac_groups(block.shape, groups);
  with_typed(data, dtype, [&](auto* out) { write_dirac(out, count, block, groups); });
}

}  // namespace internal

}  // namespace nninit
