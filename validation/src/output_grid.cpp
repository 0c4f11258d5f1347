// Round-to-nearest-even onto the bfloat16 / float16 / float32 grids, exactly in
// double: every grid value and every midpoint between neighbours has at most 25
// significant bits, so all the arithmetic below is exact.
#include "nninit/validation/output_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nninit::validation {
namespace {

struct Format {
  int precision;     // significant bits, the implicit one included
  int min_exponent;  // exponent of the smallest normal value, 2^min_exponent
  int max_exponent;  // exponent of the largest binade
};

constexpr Format format_of(OutputGrid grid) noexcept {
  switch (grid) {
    case OutputGrid::float32: return {24, -126, 127};
    case OutputGrid::bfloat16: return {8, -126, 127};
    case OutputGrid::float16: return {11, -14, 15};
    case OutputGrid::continuous: break;
  }
  return {53, -1022, 1023};
}

constexpr double infinity = std::numeric_limits<double>::infinity();

// Spacing of the grid values in the binade of |x| (the subnormal spacing below
// 2^min_exponent).
double spacing(double x, const Format& f) noexcept {
  int exponent = f.min_exponent;
  if (x != 0.0) exponent = std::max(std::ilogb(x), f.min_exponent);
  return std::ldexp(1.0, exponent - f.precision + 1);
}

double max_finite(const Format& f) noexcept {
  return std::ldexp(2.0 - std::ldexp(1.0, 1 - f.precision), f.max_exponent);
}

// Everything at or beyond this magnitude rounds to infinity.
double overflow_threshold(const Format& f) noexcept {
  return max_finite(f) + std::ldexp(1.0, f.max_exponent - f.precision);
}

// Next grid value above a grid value v >= 0.
double next_above_nonnegative(double v, const Format& f) noexcept {
  if (v == infinity || v == max_finite(f)) return infinity;
  return v + spacing(v, f);
}

// Next grid value below a grid value w > 0.
double next_below_positive(double w, const Format& f) noexcept {
  if (w == infinity) return max_finite(f);
  const double step = spacing(w, f);
  // At a power of two the value below lies in the finer binade underneath.
  const bool power_of_two = std::ldexp(1.0, std::ilogb(w)) == w;
  if (power_of_two && std::ilogb(w) > f.min_exponent) return w - step / 2.0;
  return w - step;
}

}  // namespace

std::string_view grid_name(OutputGrid grid) noexcept {
  switch (grid) {
    case OutputGrid::continuous: return "continuous";
    case OutputGrid::float32: return "float32";
    case OutputGrid::bfloat16: return "bfloat16";
    case OutputGrid::float16: return "float16";
  }
  return "unknown";
}

double grid_max_finite(OutputGrid grid) noexcept {
  if (grid == OutputGrid::continuous) return infinity;
  return max_finite(format_of(grid));
}

double round_to_grid(double x, OutputGrid grid) noexcept {
  if (grid == OutputGrid::continuous || !std::isfinite(x)) return x;
  const Format f = format_of(grid);
  const double magnitude = std::fabs(x);
  if (magnitude >= overflow_threshold(f)) return std::copysign(infinity, x);
  const double step = spacing(magnitude, f);
  const double units = magnitude / step;  // exact: step is a power of two
  double whole = std::floor(units);
  const double fraction = units - whole;
  if (fraction > 0.5 || (fraction == 0.5 && std::fmod(whole, 2.0) != 0.0)) whole += 1.0;
  return std::copysign(whole * step, x);
}

bool is_on_grid(double x, OutputGrid grid) noexcept {
  if (std::isnan(x)) return false;
  return round_to_grid(x, grid) == x;
}

double next_above(double v, OutputGrid grid) noexcept {
  if (grid == OutputGrid::continuous) return std::nextafter(v, infinity);
  const Format f = format_of(grid);
  if (v >= 0.0) return next_above_nonnegative(v, f);
  if (v == -infinity) return -max_finite(f);
  const double below_magnitude = next_below_positive(-v, f);
  return below_magnitude == 0.0 ? 0.0 : -below_magnitude;
}

double next_below(double v, OutputGrid grid) noexcept {
  if (grid == OutputGrid::continuous) return std::nextafter(v, -infinity);
  const Format f = format_of(grid);
  if (v > 0.0) return next_below_positive(v, f);
  if (v == -infinity) return -infinity;
  return -next_above_nonnegative(-v, f);
}

RoundingInterval rounding_interval(double v, OutputGrid grid) noexcept {
  if (grid == OutputGrid::continuous) return {v, v};
  const Format f = format_of(grid);
  const double threshold = overflow_threshold(f);
  if (v == infinity) return {threshold, infinity};
  if (v == -infinity) return {-infinity, -threshold};
  const double top = max_finite(f);
  const double lower = v == -top ? -threshold : (next_below(v, grid) + v) / 2.0;
  const double upper = v == top ? threshold : (v + next_above(v, grid)) / 2.0;
  return {lower, upper};
}

}  // namespace nninit::validation
