// nninit/validation/discrete_output.hpp — the distribution of rounded output
// (bfloat16, float16) over the values a sample holds: the probability of each
// distinct value, and a data-independent partition of the grid into cells for
// the chi-squared test.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "nninit/validation/reference_distribution.hpp"

namespace nninit::validation {

// One distinct value of a sorted sample: how often it occurs, and its
// probability P(Y == value) under the rounded distribution: the mass of X
// over [midpoint to the grid value below, midpoint to the grid value above]
// (round to nearest; a midpoint itself goes to the even neighbour, which has
// probability zero for the continuous X).
struct DistinctValue {
  double value;
  std::size_t count;
  double probability;
};

// Distinct values of a sorted sample, ascending. Throws std::invalid_argument if
// the sample is not sorted or holds a value that is not on dist.grid() (for a
// continuous grid every probability is 0).
// Example: for (auto& v : distinct_values(sorted, dist)) ... v.count vs n * v.probability.
std::vector<DistinctValue> distinct_values(std::span<const double> sorted_sample,
                                           const ReferenceDistribution& dist);

// A run of consecutive grid values [first, last] (the first cell reaches down to
// -inf, the last up to +inf), its probability, and the sample's count in it.
struct GridCell {
  double first;
  double last;
  double probability;
  std::size_t observed;
};

// Partitions the whole output grid into cells of consecutive grid values, each
// with expected count n * probability >= min_expected_count (the last cell is
// merged into the one before when short). The cells depend on the distribution,
// the grid and n only, never on the data, so the chi-squared statistic over them
// has its textbook distribution. Then counts the sorted sample into them.
// Throws std::invalid_argument unless dist's grid is coarse (bfloat16, float16),
// the sample is sorted and on the grid, and min_expected_count > 0.
// Example: auto cells = grid_cells(sorted, dist.on_grid(OutputGrid::bfloat16));
std::vector<GridCell> grid_cells(std::span<const double> sorted_sample,
                                 const ReferenceDistribution& dist, double min_expected_count = 10.0);

}  // namespace nninit::validation
