// Distinct values and grid cells of rounded output.
#include "nninit/validation/discrete_output.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace nninit::validation {
namespace {

// Grid values enumerated at most (about 2^15 are needed for a normal in bfloat16).
constexpr std::size_t max_enumerated_values = std::size_t{1} << 24;

void require_sorted_on_grid(std::span<const double> sorted_sample, OutputGrid grid, const char* where) {
  for (std::size_t i = 0; i < sorted_sample.size(); ++i) {
    const double x = sorted_sample[i];
    if (i > 0 && x == sorted_sample[i - 1]) continue;  // a repeat: already checked
    if (!is_on_grid(x, grid)) {
      std::ostringstream message;
      message.precision(17);
      message << where << ": sample[" << i << "] = " << x << " is not a " << grid_name(grid) << " value";
      throw std::invalid_argument(message.str());
    }
    if (i > 0 && sorted_sample[i - 1] > x) {
      throw std::invalid_argument(std::string(where) + ": the sample is not sorted at index " +
                                  std::to_string(i));
    }
  }
}

}  // namespace

std::vector<DistinctValue> distinct_values(std::span<const double> sorted_sample,
                                           const ReferenceDistribution& dist) {
  require_sorted_on_grid(sorted_sample, dist.grid(), "distinct_values");
  std::vector<DistinctValue> values;
  std::size_t i = 0;
  while (i < sorted_sample.size()) {
    const double v = sorted_sample[i];
    std::size_t j = i;
    while (j < sorted_sample.size() && sorted_sample[j] == v) ++j;
    values.push_back({v, j - i, dist.output_mass(v)});
    i = j;
  }
  return values;
}

std::vector<GridCell> grid_cells(std::span<const double> sorted_sample, const ReferenceDistribution& dist,
                                 double min_expected_count) {
  const OutputGrid grid = dist.grid();
  if (!is_coarse(grid)) {
    throw std::invalid_argument("grid_cells: the grid must be bfloat16 or float16, got " +
                                std::string(grid_name(grid)));
  }
  if (!(min_expected_count > 0.0)) {
    throw std::invalid_argument("grid_cells: min_expected_count must be > 0, got " +
                                std::to_string(min_expected_count));
  }
  require_sorted_on_grid(sorted_sample, grid, "grid_cells");
  const double n = static_cast<double>(std::max<std::size_t>(sorted_sample.size(), 1));
  const double min_probability = min_expected_count / n;

  // Enumerate the grid values between quantiles so far out that the mass beyond
  // is below a thousandth of one cell; the end cells absorb the rest.
  const double tail = std::max(1e-3 * min_probability, 1e-300);
  double first = round_to_grid(dist.quantile(tail), grid);
  double last = round_to_grid(dist.upper_quantile(tail), grid);
  first = std::max(first, -grid_max_finite(grid));
  last = std::min(last, grid_max_finite(grid));

  std::vector<GridCell> cells;
  GridCell current{first, first, dist.output_cdf_below(first), 0};
  std::size_t enumerated = 0;
  for (double v = first; v <= last; v = next_above(v, grid)) {
    if (++enumerated > max_enumerated_values) {
      throw std::invalid_argument("grid_cells: too many grid values for " + dist.describe());
    }
    if (v != first && current.probability >= min_probability) {  // close the cell, open one at v
      cells.push_back(current);
      current = GridCell{v, v, 0.0, 0};
    }
    current.last = v;
    current.probability += dist.output_mass(v);
  }
  current.probability += dist.output_sf(last);
  if (current.probability < min_probability && !cells.empty()) {
    cells.back().last = current.last;
    cells.back().probability += current.probability;
  } else {
    cells.push_back(current);
  }
  // Normalise away the rounding of the sums (a relative 1e-12 or so).
  double total = 0.0;
  for (const GridCell& cell : cells) total += cell.probability;
  for (GridCell& cell : cells) cell.probability /= total;

  std::size_t cell = 0;
  for (const double x : sorted_sample) {
    while (cell + 1 < cells.size() && x > cells[cell].last) ++cell;
    ++cells[cell].observed;
  }
  return cells;
}

}  // namespace nninit::validation
