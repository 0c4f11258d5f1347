// mergeable_stats_test.cpp — block summaries merged along the fixed tree
// agree with a direct computation over all values, and are bit-identical
// however the blocks are spread over ranks (a per-rank merge is not: the
// negative control); histograms merge exactly and bracket the exact
// Kolmogorov-Smirnov distance within 1 / bins.
#include "mergeable_stats.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace nninit::mpi {
namespace {

std::vector<double> normal_values(std::size_t n, std::uint32_t seed, double mean, double sd) {
  std::mt19937_64 generator(seed);
  std::normal_distribution<double> law(mean, sd);
  std::vector<double> values(n);
  for (double& v : values) v = law(generator);
  return values;
}

// Block summaries of `values` cut into blocks of `size` (the last shorter).
std::vector<MomentSummary> block_summaries(const std::vector<double>& values, std::size_t size) {
  std::vector<MomentSummary> blocks;
  for (std::size_t first = 0; first < values.size(); first += size) {
    const std::size_t count = std::min(size, values.size() - first);
    blocks.push_back(summarize_block(std::span<const double>(values.data() + first, count)));
  }
  return blocks;
}

TEST(MergeableStats, MergedMomentsEqualTheDirectOnes) {
  std::vector<double> values = normal_values(100003, 7, 3.0, 2.0);
  values[17] = std::nan("");
  values[50000] = INFINITY;
  const MomentSummary merged = merge_in_block_order(block_summaries(values, 4096));
  std::vector<double> finite;
  for (const double v : values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  const MomentSummary direct = summarize_block(finite);
  EXPECT_EQ(merged.count, finite.size());
  EXPECT_EQ(merged.nonfinite, 2U);
  EXPECT_EQ(merged.min, *std::min_element(finite.begin(), finite.end()));
  EXPECT_EQ(merged.max, *std::max_element(finite.begin(), finite.end()));
  EXPECT_NEAR(merged.mean, direct.mean, 1e-13 * std::fabs(direct.mean));
  EXPECT_NEAR(merged.m2, direct.m2, 1e-11 * direct.m2);
  EXPECT_NEAR(merged.m3, direct.m3, 1e-9 * direct.m2 * 2.0);  // m3 ~ 0: relative to sd^3-scale sums
  EXPECT_NEAR(merged.m4, direct.m4, 1e-11 * direct.m4);
  // A wrong formula is seen: one sample's moments alone differ from the merge.
  EXPECT_GT(std::fabs(block_summaries(values, 4096).front().m2 - merged.m2), 1.0);
}

TEST(MergeableStats, BitIdenticalForAnySpreadOverRanksUnlikeAPerRankMerge) {
  const std::vector<double> values = normal_values(37 * 1000 + 11, 11, 0.5, 0.02);
  const std::vector<MomentSummary> blocks = block_summaries(values, 1000);
  const MomentSummary reference = merge_in_block_order(blocks);
  bool per_rank_differs = false;
  for (std::size_t ranks = 1; ranks <= 5; ++ranks) {
    // Each rank summarises its contiguous range of blocks; the root gathers
    // the block summaries (not the ranks' merges) and merges them in block order.
    std::vector<MomentSummary> gathered;
    std::vector<MomentSummary> per_rank;
    for (std::size_t r = 0; r < ranks; ++r) {
      const std::size_t first = blocks.size() * r / ranks;
      const std::size_t last = blocks.size() * (r + 1) / ranks;
      std::vector<MomentSummary> mine;
      for (std::size_t b = first; b < last; ++b) {
        const std::size_t begin = b * 1000;
        const std::size_t count = std::min<std::size_t>(1000, values.size() - begin);
        mine.push_back(summarize_block(std::span<const double>(values.data() + begin, count)));
      }
      gathered.insert(gathered.end(), mine.begin(), mine.end());
      per_rank.push_back(merge_in_block_order(mine));
    }
    EXPECT_EQ(merge_in_block_order(gathered), reference) << ranks << " ranks";
    const MomentSummary naive = merge_in_block_order(per_rank);
    if (!(naive == reference)) per_rank_differs = true;
  }
  EXPECT_TRUE(per_rank_differs) << "negative control: merging each rank's blocks first never changed a bit";
}

TEST(MergeableStats, HistogramsMergeExactlyAndBracketTheKolmogorovSmirnovDistance) {
  std::mt19937_64 generator(3);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (const double power : {1.0, 1.02}) {  // 1.02: a planted defect, u^1.02
    std::vector<double> u(200000);
    for (double& v : u) v = std::pow(uniform(generator), power);
    std::vector<double> sorted = u;
    std::sort(sorted.begin(), sorted.end());
    double exact = 0;
    const auto n = static_cast<double>(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      exact = std::max({exact, static_cast<double>(i + 1) / n - sorted[i], sorted[i] - static_cast<double>(i) / n});
    }
    for (const std::size_t bins : {std::size_t{1} << 10, std::size_t{1} << 16}) {
      ProbabilityHistogram whole(bins);
      ProbabilityHistogram first(bins);
      ProbabilityHistogram second(bins);
      for (std::size_t i = 0; i < u.size(); ++i) {
        whole.add(u[i]);
        (i % 3 == 0 ? first : second).add(u[i]);
      }
      second.add(first);
      EXPECT_EQ(second.counts, whole.counts);
      const double at_edges = ks_distance_at_edges(whole);
      EXPECT_LE(at_edges, exact + 1e-15) << bins;
      EXPECT_LE(exact, at_edges + 1.0 / static_cast<double>(bins) + 1e-15) << bins;
    }
    if (power != 1.0) {
      EXPECT_GT(exact, 1.36 / std::sqrt(n) * 2) << "the planted defect is visible";
    }
  }
  ProbabilityHistogram histogram(4);
  EXPECT_THROW(histogram.add(1.5), std::invalid_argument);
  EXPECT_THROW(histogram.add(std::nan("")), std::invalid_argument);
}

}  // namespace
}  // namespace nninit::mpi
