// mergeable_stats.hpp — statistics of a tensor's values that ranks compute on
// their parts and merge into a result that is bit for bit the same for any
// number of ranks (the building block of a collective validation; no MPI here).
//
//   - The unit of work is a fixed block of the flat tensor (block_elements
//     consecutive elements; the last one shorter), never a rank's share: a
//     block's summary depends on its values alone, and the summaries are
//     merged along a fixed pairwise tree over the block indices
//     (merge_in_block_order), so the floating-point result cannot depend on
//     how the blocks were spread over the ranks.
//   - Moments: count, mean and the central sums M2, M3, M4 (two passes within
//     a block, Pebay's exact pairwise update between blocks), minimum,
//     maximum and the count of non-finite values.
//   - Distribution: counts of u = F(x) (the reference CDF) in `bins` equal
//     bins of [0, 1]: integers, merged by addition, exact in any order. The
//     Kolmogorov-Smirnov distance taken at the bin edges, D_grid, brackets the
//     exact one: D_grid <= D <= D_grid + 1 / bins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nninit::mpi {

inline constexpr std::uint64_t block_elements = std::uint64_t{1} << 20;

struct MomentSummary {
  std::uint64_t count = 0;      // finite values
  std::uint64_t nonfinite = 0;  // NaN and infinities (not in the moments)
  double mean = 0;
  double m2 = 0;  // sum of (x - mean)^2
  double m3 = 0;
  double m4 = 0;
  double min = 0;  // of the finite values; 0 when there are none
  double max = 0;
  friend bool operator==(const MomentSummary&, const MomentSummary&) = default;
};

// The summary of one block's values (two passes, in element order).
MomentSummary summarize_block(std::span<const double> values);

// The summary of the union of two disjoint samples (Pebay 2008's pairwise
// formulas; exact in real arithmetic). Not associative in floating point:
// merge blocks with merge_in_block_order.
MomentSummary merge(const MomentSummary& a, const MomentSummary& b);

// The blocks' summaries, in block order, merged pairwise level by level
// ((0,1), (2,3), ..., then the results likewise): a function of the block
// summaries alone. Empty input: an empty summary.
MomentSummary merge_in_block_order(std::span<const MomentSummary> blocks);

// Counts of u in [0, 1] in `bins` equal bins (u = 1 in the last one; u
// outside [0, 1] or NaN is an error: std::invalid_argument).
struct ProbabilityHistogram {
  std::vector<std::uint64_t> counts;
  explicit ProbabilityHistogram(std::size_t bins);
  void add(double u);
  void add(const ProbabilityHistogram& other);  // same bins, else std::invalid_argument
  std::uint64_t total() const;
};

// The Kolmogorov-Smirnov distance between the empirical CDF of the values
// and the uniform one, at the bin edges: max over edges j of
// |(values below edge j) / n - j / bins|. 0 for an empty histogram.
double ks_distance_at_edges(const ProbabilityHistogram& histogram);
// The same of bin counts (counts.size() equal bins of [0, 1]).
double ks_distance_at_edges(std::span<const std::uint64_t> counts);

}  // namespace nninit::mpi
