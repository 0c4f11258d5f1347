// Identity-like initializers: eye, Keras identity, dirac, delta-orthogonal.
#include "nninit/identity_like.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "format_number.hpp"
#include "nninit/error.hpp"
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

template <typename T>
void scaled_eye(const char* function, std::span<T> out, std::span<const std::int64_t> shape, double gain) {
  if (shape.size() != 2) {
    fail(function, "shape " + internal::shape_text(shape) + ": needs exactly 2 dimensions, has " + std::to_string(shape.size()));
  }
  if (!std::isfinite(gain)) fail(function, "gain (" + internal::format_number(gain) + ") must be finite");
  checked_count(function, shape, out.size());
  const auto rows = static_cast<std::size_t>(shape[0]), cols = static_cast<std::size_t>(shape[1]);
  std::fill(out.begin(), out.end(), internal::from_double<T>(0.0));
  for (std::size_t i = 0; i < std::min(rows, cols); ++i) out[i * cols + i] = internal::from_double<T>(gain);
}

template <typename T>
void dirac(std::span<T> out, std::span<const std::int64_t> shape, int groups) {
  constexpr const char* function = "fill_dirac";
  if (shape.size() < 3 || shape.size() > 5) {
    fail(function, "shape " + internal::shape_text(shape) + ": needs 3, 4 or 5 dimensions, has " + std::to_string(shape.size()));
  }
  if (groups < 1) fail(function, "groups (" + std::to_string(groups) + ") must be >= 1");
  checked_count(function, shape, out.size());
  if (shape[0] % groups != 0) {
    fail(function, "shape[0] (" + std::to_string(shape[0]) + ") must be divisible by groups (" +
                       std::to_string(groups) + ")");
  }
  std::fill(out.begin(), out.end(), internal::from_double<T>(0.0));
  const auto per_group = static_cast<std::size_t>(shape[0] / groups);
  const auto in = static_cast<std::size_t>(shape[1]);
  // Offset of the centre within one [out, in] slot, and the slot size.
  std::size_t centre = 0, slot = 1;
  for (std::size_t d = 2; d < shape.size(); ++d) {
    const auto extent = static_cast<std::size_t>(shape[d]);
    centre = centre * extent + extent / 2;
    slot *= extent;
  }
  if (slot == 0) return;
  const std::size_t diagonal = std::min(per_group, in);
  for (std::size_t g = 0; g < static_cast<std::size_t>(groups); ++g) {
    for (std::size_t d = 0; d < diagonal; ++d) out[((g * per_group + d) * in + d) * slot + centre] = internal::from_double<T>(1.0);
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

}  // namespace nninit
