// Distance of a stored matrix from gain times an orthonormal one, and the
// bound that the output dtype's rounding allows.
#include "nninit/validation/orthogonality.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "exact_check.hpp"

namespace nninit::validation {
namespace {

constexpr double unit_roundoff = 0x1p-53;

struct GridRounding {
  double relative;  // |round(x) - x| <= relative |x| + absolute
  double absolute;
};

GridRounding grid_rounding(OutputGrid grid) noexcept {
  switch (grid) {
    case OutputGrid::continuous:
      return {0.0, 0.0};
    case OutputGrid::float32:
      return {0x1p-24, 0x1p-149};
    case OutputGrid::bfloat16:  // through float32: both roundings
      return {0x1p-8 + 0x1p-24 + 0x1p-32, 0x1p-133};
    case OutputGrid::float16:
      return {0x1p-11 + 0x1p-24 + 0x1p-35, 0x1p-24};
  }
  return {0.0, 0.0};
}

std::string format(double value) {
  std::ostringstream text;
  text.precision(4);
  text << value;
  return text.str();
}

}  // namespace

OrthogonalityMeasurement measure_orthogonality(std::span<const double> matrix, std::uint64_t rows,
                                               std::uint64_t cols, double gain) {
  if (rows == 0 || cols == 0 || matrix.size() / rows != cols || matrix.size() % rows != 0) {
    throw std::invalid_argument("measure_orthogonality: " + std::to_string(matrix.size()) +
                                " values are not a " + std::to_string(rows) + " x " + std::to_string(cols) +
                                " matrix");
  }
  if (!std::isfinite(gain)) throw std::invalid_argument("measure_orthogonality: gain must be finite, got " + format(gain));
  OrthogonalityMeasurement result;
  result.rows_orthonormal = rows < cols;
  const std::size_t k = static_cast<std::size_t>(rows < cols ? rows : cols);
  const std::size_t m = static_cast<std::size_t>(rows < cols ? cols : rows);
  const double target = gain * gain;
  std::vector<double> gram(k * k, 0.0);  // upper triangle used
  if (result.rows_orthonormal) {
    // Vectors are the rows: dot products of contiguous rows.
    for (std::size_t i = 0; i < k; ++i) {
      const double* a = matrix.data() + i * m;
      for (std::size_t j = i; j < k; ++j) {
        const double* b = matrix.data() + j * m;
        double sum = 0.0;
        for (std::size_t t = 0; t < m; ++t) sum += a[t] * b[t];
        gram[i * k + j] = sum;
      }
    }
  } else {
    // Vectors are the columns: a rank-one update per row, in row order.
    for (std::size_t r = 0; r < m; ++r) {
      const double* row = matrix.data() + r * k;
      for (std::size_t i = 0; i < k; ++i) {
        const double a = row[i];
        double* g = gram.data() + i * k;
        for (std::size_t j = i; j < k; ++j) g[j] += a * row[j];
      }
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = i; j < k; ++j) {
      const double deviation = std::fabs(gram[i * k + j] - (i == j ? target : 0.0));
      // NaN (a non-finite entry) counts as the largest deviation.
      if (!(deviation <= result.max_deviation)) {
        result.max_deviation = std::isnan(deviation) ? std::numeric_limits<double>::infinity() : deviation;
        result.i = i;
        result.j = j;
        if (std::isinf(result.max_deviation)) return result;
      }
    }
  }
  return result;
}

double orthogonality_bound(OutputGrid grid, std::uint64_t rows, std::uint64_t cols, double gain) {
  const double m = static_cast<double>(rows < cols ? cols : rows);
  const double k = static_cast<double>(rows < cols ? rows : cols);
  const double g = std::fabs(gain);
  const GridRounding rounding = grid_rounding(grid);
  const double d = m * k * unit_roundoff + 4.0 * unit_roundoff;
  const double c = g * (1.0 + d);
  const double e = rounding.relative * c + rounding.absolute * std::sqrt(m);
  const double gamma = m * unit_roundoff / (1.0 - m * unit_roundoff);
  return g * g * (d + 2.0 * unit_roundoff) + 2.0 * c * e + e * e + gamma * (c + e) * (c + e);
}

TestResult orthogonality_check(std::span<const double> matrix, std::uint64_t rows, std::uint64_t cols, double gain,
                               OutputGrid grid) {
  const OrthogonalityMeasurement measured = measure_orthogonality(matrix, rows, cols, gain);
  const double bound = orthogonality_bound(grid, rows, cols, gain);
  const bool holds = measured.max_deviation <= bound;
  const char* gram = measured.rows_orthonormal ? "Q Q^T" : "Q^T Q";
  TestResult result = internal::exact_result(
      std::string("orthogonality(max |") + gram + " - gain^2 I|)", holds,
      std::string(gram) + " of a " + std::to_string(rows) + " x " + std::to_string(cols) + " matrix, gain " +
          format(gain) + ": largest deviation " + format(measured.max_deviation) + " at (" +
          std::to_string(measured.i) + ", " + std::to_string(measured.j) + "), bound for " +
          std::string(grid_name(grid)) + " rounding " + format(bound),
      measured.max_deviation, 0.0);
  result.ci_low = 0.0;
  result.ci_high = bound;
  result.sample_size = matrix.size();
  return result;
}

}  // namespace nninit::validation
