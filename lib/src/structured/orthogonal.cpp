// Orthogonal initializers: shapes, the normal draw, the QR, the output.
#include "nninit/orthogonal.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "format_number.hpp"
#include "nninit/distributions.hpp"
#include "nninit/error.hpp"
#include "structured/structured_common.hpp"
#include "structured/householder_qr.hpp"

namespace nninit {

namespace torch {
Orthogonal orthogonal(double gain) { return {OrthogonalConvention::torch, gain, -1}; }
}  // namespace torch
namespace keras {
Orthogonal orthogonal(double gain) { return {OrthogonalConvention::keras, gain, -1}; }
}  // namespace keras
namespace jax {
Orthogonal orthogonal(double scale, int column_axis) { return {OrthogonalConvention::jax, scale, column_axis}; }
}  // namespace jax

namespace {

constexpr const char* where = "nninit::fill_orthogonal: ";

[[noreturn]] void fail(const std::string& message) { throw invalid_argument(where + message); }

// The product of shape[first, last), checked against overflow of 2^64.
std::uint64_t product(std::span<const std::int64_t> shape, std::size_t first, std::size_t last) {
  std::uint64_t result = 1;
  for (std::size_t d = first; d < last; ++d) {
    const auto extent = static_cast<std::uint64_t>(shape[d]);
    if (extent != 0 && result > UINT64_MAX / extent) {
      fail("shape " + internal::shape_text(shape) + ": the element count overflows 2^64");
    }
    result *= extent;
  }
  return result;
}

std::size_t normalized_axis(std::span<const std::int64_t> shape, int axis) {
  const auto rank = static_cast<long>(shape.size());
  const long normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= rank) {
    fail("column_axis (" + std::to_string(axis) + ") is out of range for a tensor of " + std::to_string(rank) +
         " dimensions");
  }
  return static_cast<std::size_t>(normalized);
}

void check_shape(std::span<const std::int64_t> shape) {
  if (shape.size() < 2) {
    fail("shape " + internal::shape_text(shape) + ": an orthogonal initializer needs at least 2 dimensions");
  }
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0) fail("shape " + internal::shape_text(shape) + ": dimension " + std::to_string(d) + " is negative");
  }
  (void)product(shape, 0, shape.size());
}

template <typename T>
void fill_orthogonal_impl(std::span<T> out, std::span<const std::int64_t> shape, const Orthogonal& spec,
                          const Stream& stream, const FillOptions& options) {
  const MatrixShape matrix = orthogonal_matrix_shape(shape, spec);
  if (!std::isfinite(spec.gain)) fail("gain (" + internal::format_number(spec.gain) + ") must be finite");
  if (options.offset != 0) {
    fail("offset (" + std::to_string(options.offset) +
         ") must be 0: every value of an orthogonal matrix depends on the whole matrix, so a block of it "
         "cannot be filled on its own");
  }
  if (options.threads < 0) fail("threads (" + std::to_string(options.threads) + ") must be >= 0");
  const std::uint64_t count = matrix.rows * matrix.cols;
  if (count != out.size()) {
    fail("out has " + std::to_string(out.size()) + " elements, shape " + internal::shape_text(shape) + " has " +
         std::to_string(count));
  }
  if (count == 0) return;
  const std::size_t rows = matrix.rows, cols = matrix.cols;
  const std::size_t big = std::max(rows, cols), small = std::min(rows, cols);
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();

  // The draw, in the layout of the convention, made (big x small).
  std::vector<double> m(count);
  fill(std::span<double>(m), Normal{0.0, 1.0}, stream, FillOptions{0, threads});
  if (spec.convention == OrthogonalConvention::torch && rows < cols) {
    std::vector<double> drawn(count);  // (rows x cols)
    drawn.swap(m);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < cols; ++c) m[c * rows + r] = drawn[r * cols + c];
    }
  }
  internal::orthonormalize_columns(std::span<double>(m), big, small, threads);

  // Q (rows x cols): M itself when rows >= cols, its transpose otherwise.
  const auto q = [&](std::size_t r, std::size_t c) { return rows >= cols ? m[r * cols + c] : m[c * rows + r]; };
  const double gain = spec.gain;
  if (spec.convention != OrthogonalConvention::jax) {
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < cols; ++c) out[r * cols + c] = internal::from_double<T>(gain * q(r, c));
    }
    return;
  }
  // JAX: the column axis moved back into place. With outer = the product of
  // the dimensions before it and inner = after it, element
  // ((o * cols + c) * inner + i) is Q(o * inner + i, c).
  const std::size_t axis = normalized_axis(shape, spec.column_axis);
  const std::size_t inner = product(shape, axis + 1, shape.size());
  const std::size_t outer = product(shape, 0, axis);
  for (std::size_t o = 0; o < outer; ++o) {
    for (std::size_t c = 0; c < cols; ++c) {
      for (std::size_t i = 0; i < inner; ++i) out[(o * cols + c) * inner + i] = internal::from_double<T>(gain * q(o * inner + i, c));
    }
  }
}

}  // namespace

MatrixShape orthogonal_matrix_shape(std::span<const std::int64_t> shape, const Orthogonal& spec) {
  check_shape(shape);
  const std::size_t rank = shape.size();
  switch (spec.convention) {
    case OrthogonalConvention::torch:
      return {static_cast<std::uint64_t>(shape[0]), product(shape, 1, rank)};
    case OrthogonalConvention::keras:
      return {product(shape, 0, rank - 1), static_cast<std::uint64_t>(shape[rank - 1])};
    case OrthogonalConvention::jax: {
      const std::size_t axis = normalized_axis(shape, spec.column_axis);
      const auto cols = static_cast<std::uint64_t>(shape[axis]);
      return {cols == 0 ? 0 : product(shape, 0, rank) / cols, cols};
    }
  }
  fail("convention (" + std::to_string(static_cast<int>(spec.convention)) + ") is not a valid OrthogonalConvention");
}

void fill_orthogonal(std::span<float> out, std::span<const std::int64_t> shape, const Orthogonal& spec,
                     const Stream& stream, const FillOptions& options) {
  fill_orthogonal_impl(out, shape, spec, stream, options);
}
void fill_orthogonal(std::span<double> out, std::span<const std::int64_t> shape, const Orthogonal& spec,
                     const Stream& stream, const FillOptions& options) {
  fill_orthogonal_impl(out, shape, spec, stream, options);
}
void fill_orthogonal(std::span<bfloat16> out, std::span<const std::int64_t> shape, const Orthogonal& spec,
                     const Stream& stream, const FillOptions& options) {
  fill_orthogonal_impl(out, shape, spec, stream, options);
}
void fill_orthogonal(std::span<float16> out, std::span<const std::int64_t> shape, const Orthogonal& spec,
                     const Stream& stream, const FillOptions& options) {
  fill_orthogonal_impl(out, shape, spec, stream, options);
}

}  // namespace nninit
