// nninit/validation/output_grid.hpp — the set of values an output dtype can
// hold, and round-to-nearest-even onto it, computed exactly in double.
//
// bfloat16 (8 significant bits) and float16 (11) are coarse: at large n the
// empirical CDF of correct output has steps larger than a KS critical value, so
// the tests compare such output with the distribution of the ROUNDED variable
// Y = round(X) (see ReferenceDistribution::output_cdf). float32 is fine-grained
// (relative steps of 2^-24) and is tested as continuous; its grid is used only
// to round bounds. `continuous` is float64 or any exact real output.
#pragma once

#include <string_view>

namespace nninit::validation {

enum class OutputGrid { continuous, float32, bfloat16, float16 };

// "continuous", "float32", "bfloat16", "float16".
std::string_view grid_name(OutputGrid grid) noexcept;

// True for bfloat16 and float16: tests use the distribution of the rounded value.
constexpr bool is_coarse(OutputGrid grid) noexcept {
  return grid == OutputGrid::bfloat16 || grid == OutputGrid::float16;
}

// Largest finite value of the grid: FLT_MAX, 0x1.FEp127, 65504; +inf for continuous.
double grid_max_finite(OutputGrid grid) noexcept;

// x rounded to the nearest grid value, ties to the value with an even last
// significand bit (IEEE round-to-nearest-even), with subnormals; values at or
// beyond max_finite + half its spacing become +-infinity; NaN stays NaN.
// Continuous: x itself. Example: round_to_grid(0.1, OutputGrid::bfloat16) == 0x1.9Ap-4.
double round_to_grid(double x, OutputGrid grid) noexcept;

// Whether x is exactly a grid value (infinities count; NaN does not).
bool is_on_grid(double x, OutputGrid grid) noexcept;

// The neighbouring grid values of a grid value v: next_above(max_finite) = +inf,
// next_above(+inf) = +inf; symmetric for next_below. -0 and +0 are the same value.
// Continuous: std::nextafter. Example: next_above(1.0, OutputGrid::bfloat16) == 1 + 2^-7.
double next_above(double v, OutputGrid grid) noexcept;
double next_below(double v, OutputGrid grid) noexcept;

// The real numbers that round to the grid value v: [lower, upper], where the
// edges are the midpoints to the neighbours (max_finite + half spacing at the
// top; +-infinity for the infinite values). An edge itself goes to whichever
// neighbour is even (ties to even); for a continuous reference distribution the
// edges have probability zero, so masses do not depend on it. Continuous grid:
// {v, v}. Precondition: is_on_grid(v, grid).
struct RoundingInterval {
  double lower;
  double upper;
};
RoundingInterval rounding_interval(double v, OutputGrid grid) noexcept;

}  // namespace nninit::validation
