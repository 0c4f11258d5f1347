// collective_battery.hpp — the statistical battery of one tensor whose values
// are read by many ranks (`nninit-mpi validate`), built from statistics that
// merge exactly, so that every number it reports is the same for any number
// of ranks (no MPI here: the command in collective_validate.cpp moves them).
//
// Each rank tallies its blocks of block_elements consecutive elements:
//   - per block, a MomentSummary (merged along the fixed block-order tree);
//   - integer counts (merged by addition, exact in any order): the bounds
//     counts, the normal's tail counts, a histogram of u in `bins` equal bins
//     of [0, 1] and, for a 16-bit dtype, one count per bit pattern;
//   - the exact u of the values in the first and the last bin of u (about
//     n / bins of them), which the Anderson-Darling integral needs near 0 and 1.
// u is F(x) (the reference's continuous CDF, from validation::CdfTable) on float32 and float64 tensors,
// and on bfloat16 / float16 the randomised transform u = P(Y < y) + V P(Y = y)
// of the rounded law Y, with V uniform in [0, 1) a function of the jitter
// seed and the element's flat index alone (so not of the ranks).
//
// The tests (collective_results): bounds, mean, standard deviation, extreme
// values, tail counts (normal), chi-squared over equiprobable bins of u, and
//   - Kolmogorov-Smirnov: on a 16-bit grid exactly (the step CDF of the
//     rounded output, from the pattern counts); otherwise the distance at the
//     bin edges D_grid, which brackets the exact one: D_grid <= D <= D_grid + 1/bins;
//   - Anderson-Darling: n times the integral of (G - t)^2 / (t (1 - t)) with
//     G the empirical CDF of u, exact (a step function) in the first and last
//     bins, linear within every other bin; the error bound of that model is
//     computed from the counts and reported (anderson_darling_on_grid);
//   - on a 16-bit grid, chi-squared over the grid's cells (from the pattern counts).
// Not run (they need the values in storage order across blocks, or sorted
// whole): the two-level test, the serial and first-half/second-half
// correlations, and the resolution (collision) test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "mergeable_stats.hpp"
#include "nninit/dtype.hpp"
#include "nninit/validation/battery.hpp"
#include "nninit/validation/cdf_table.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::mpi {

// The bins of u for n values: a quarter of the power of two at least n
// (one to four values a bin), within [2^16, 2^22]: the Anderson-Darling
// error bound stays below about 0.05 from n = 100 up.
std::size_t collective_bins(std::uint64_t n) noexcept;

// Anderson-Darling's A^2 from a histogram of u in equal bins of [0, 1] and
// the sorted exact u of the values in the first and last bins.
struct GridAndersonDarling {
  double statistic = 0;    // the model's A^2
  double error_bound = 0;  // |statistic - exact A^2| <= error_bound
};
// Throws std::invalid_argument when the edge values do not match the first
// and last bins' counts, or there are fewer than 2 bins.
GridAndersonDarling anderson_darling_on_grid(std::span<const std::uint64_t> counts,
                                             std::span<const double> edge_values);

// The most edge values (u in the first or last bin) rank 0 gathers for a
// tensor, from all ranks together (128 MiB); a correct tensor of 2^40 values
// has about 2^19 of them.
inline constexpr std::size_t edge_values_gathered = std::size_t{1} << 24;

// One rank's tally of its blocks of one tensor.
struct RankTally {
  std::vector<MomentSummary> block_moments;  // this rank's blocks, in block order
  std::vector<std::uint64_t> counts;         // CollectiveBattery::count_slots() integers
  std::vector<double> edge_values;           // u in the first or last bin, any order
  // Between blocks (not part of the merged tally): the bins of u not yet
  // added to the histogram (CollectiveBattery::finish), and the same grouped
  // by their top bits.
  std::vector<std::uint32_t> block_bins, grouped_bins;
};

class CollectiveBattery {
 public:
  // For a tensor of `values` elements of `dtype` against `reference` (on the dtype's grid).
  CollectiveBattery(const validation::ReferenceDistribution& reference, std::uint64_t values, DType dtype,
                    std::uint64_t jitter_seed);

  std::size_t bins() const noexcept { return bins_; }
  std::size_t count_slots() const noexcept;
  RankTally empty_tally() const;

  // Adds a block: `values` as doubles, `bits` their 16-bit patterns (16-bit
  // dtypes; empty otherwise), `first` the flat index of values[0].
  void add_block(RankTally& tally, std::span<const double> values, std::span<const std::uint16_t> bits,
                 std::uint64_t first) const;
  // Gives up the tally's edge values (counted as not kept, so that
  // Anderson-Darling fails saying why): when all ranks together hold more
  // than rank 0 should gather.
  void drop_edge_values(RankTally& tally) const;

  // Completes the tally's histogram after its last block (add_block adds
  // the bins of u in batches).
  void finish(RankTally& tally) const;

  // The tests, judged as a family (Holm at options.family), from the tallies
  // merged: `moments` the merge_in_block_order of every block, `counts` the
  // sum of every rank's counts, `edge_values` every rank's, in any order.
  std::vector<validation::TestResult> results(const MomentSummary& moments, std::span<const std::uint64_t> counts,
                                              std::vector<double> edge_values,
                                              const validation::BatteryOptions& options) const;

 private:
  double transform(double x, std::uint16_t bits, std::uint64_t index) const noexcept;

  validation::ReferenceDistribution reference_;
  validation::CdfTable cdf_;  // F as the single-process battery evaluates it
  std::uint64_t values_;
  DType dtype_;
  std::uint64_t jitter_seed_;
  std::size_t bins_;
  bool coarse_;
  std::vector<double> tail_low_, tail_high_;  // normal: default_tail_multiples
  std::vector<double> below_, mass_;          // coarse: P(Y < y), P(Y = y) per bit pattern
};

}  // namespace nninit::mpi
