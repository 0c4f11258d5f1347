// Sample helpers, the probability integral transform (plain and randomised)
// and the distinct values / grid cells of rounded output.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "nninit/validation/discrete_output.hpp"
#include "nninit/validation/kolmogorov_smirnov.hpp"
#include "nninit/validation/probability_transform.hpp"
#include "nninit/validation/sample.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

TEST(Sample, SortedCopyPutsNanLast) {
  const std::vector<double> values = {3.0, std::nan(""), -1.0, 2.0};
  const std::vector<double> sorted = sorted_copy(values);
  ASSERT_EQ(sorted.size(), 4u);
  EXPECT_EQ(sorted[0], -1.0);
  EXPECT_EQ(sorted[1], 2.0);
  EXPECT_EQ(sorted[2], 3.0);
  EXPECT_TRUE(std::isnan(sorted[3]));
  EXPECT_FALSE(all_finite(values));
  EXPECT_TRUE(all_finite(sorted_copy(std::vector<double>{1.0, 2.0})));
}

TEST(Sample, MomentsHandWorked) {
  // {1, 2, 3, 4}: mean 2.5, s^2 = 5/3, m2 = 1.25, m4 = 2.5625 / ... = (2*5.0625 + 2*0.0625)/4.
  const SampleMoments m = sample_moments(std::vector<double>{1.0, 2.0, 3.0, 4.0});
  EXPECT_EQ(m.count, 4u);
  EXPECT_DOUBLE_EQ(m.mean, 2.5);
  EXPECT_DOUBLE_EQ(m.variance, 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.kurtosis, ((2 * 5.0625 + 2 * 0.0625) / 4.0) / (1.25 * 1.25));
  // Compensated sums keep a large offset from swamping the spread.
  const SampleMoments offset = sample_moments(std::vector<double>{1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0, 1e9 + 4.0});
  EXPECT_DOUBLE_EQ(offset.variance, 5.0 / 3.0);
  EXPECT_TRUE(std::isnan(sample_moments(std::vector<double>{1.0}).variance));
}

TEST(ProbabilityTransform, ContinuousIsTheCdf) {
  const auto dist = ReferenceDistribution::normal(1.0, 2.0);
  const std::vector<double> x = {-3.0, 1.0, 4.5};
  const std::vector<double> u = probability_integral_transform(x, dist);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(u[i], dist.cdf(x[i]));
}

TEST(ProbabilityTransform, RandomisedTransformOfRoundedOutputIsUniform) {
  const auto dist = ReferenceDistribution::normal(0.0, 1.0).on_grid(OutputGrid::bfloat16);
  const auto sample = testing::rounded_to_bfloat16(testing::normal_sample(std::size_t{1} << 20, 0.0, 1.0, 301));
  const std::vector<double> u = probability_integral_transform(sample, dist);
  for (std::size_t i = 0; i < 1000; ++i) {  // each u lies in its value's CDF step
    EXPECT_GE(u[i], dist.output_cdf_below(sample[i]));
    EXPECT_LE(u[i], dist.output_cdf(sample[i]));
  }
  EXPECT_GT(ks_test_uniform(sorted_copy(u)).p_value, 1e-3);
  // Deterministic for a seed, different for another.
  EXPECT_EQ(probability_integral_transform(sample, dist), u);
  EXPECT_NE(probability_integral_transform(sample, dist, 12345)[0], u[0]);
  // Negative control: the same data transformed with a 5% wrong sd.
  const auto wrong = ReferenceDistribution::normal(0.0, 1.05).on_grid(OutputGrid::bfloat16);
  EXPECT_LT(ks_test_uniform(sorted_copy(probability_integral_transform(sample, wrong))).p_value, 1e-6);
  // Values off the grid are rejected.
  EXPECT_THROW(probability_integral_transform(std::vector<double>{0.1}, dist), std::invalid_argument);
}

TEST(DiscreteOutput, DistinctValuesCountAndWeigh) {
  const auto dist = ReferenceDistribution::uniform(0.0, 1.0).on_grid(OutputGrid::bfloat16);
  const std::vector<double> sorted = {0.25, 0.5, 0.5, 0.75};
  const std::vector<DistinctValue> values = distinct_values(sorted, dist);
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[1].value, 0.5);
  EXPECT_EQ(values[1].count, 2u);
  EXPECT_DOUBLE_EQ(values[1].probability, 3.0 * 0x1p-10);  // [0.5 - 2^-10, 0.5 + 2^-9]
  EXPECT_DOUBLE_EQ(values[0].probability, 3.0 * 0x1p-11);  // 0.25: spacing halves
  EXPECT_THROW(distinct_values(std::vector<double>{0.5, 0.25}, dist), std::invalid_argument);
  EXPECT_THROW(distinct_values(std::vector<double>{0.1}, dist), std::invalid_argument);
}

TEST(DiscreteOutput, GridCellsPartitionTheGrid) {
  const auto dist = ReferenceDistribution::normal(0.0, 1.0).on_grid(OutputGrid::bfloat16);
  const std::size_t n = std::size_t{1} << 16;
  const auto sorted = sorted_copy(testing::rounded_to_bfloat16(testing::normal_sample(n, 0.0, 1.0, 302)));
  const std::vector<GridCell> cells = grid_cells(sorted, dist, 10.0);
  ASSERT_GT(cells.size(), 100u);
  double total = 0.0;
  std::size_t observed = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    total += cells[i].probability;
    observed += cells[i].observed;
    EXPECT_GE(cells[i].probability * static_cast<double>(n), 10.0 * (1.0 - 1e-9)) << i;
    EXPECT_LE(cells[i].first, cells[i].last);
    if (i > 0) {
      EXPECT_EQ(cells[i].first, next_above(cells[i - 1].last, OutputGrid::bfloat16));
    }
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_EQ(observed, n);
  // A cell's probability is the rounded mass of its values.
  const GridCell& middle = cells[cells.size() / 2];
  double mass = 0.0;
  for (double v = middle.first; v <= middle.last; v = next_above(v, OutputGrid::bfloat16)) mass += dist.output_mass(v);
  EXPECT_NEAR(middle.probability, mass, 1e-12);
  EXPECT_THROW(grid_cells(sorted, ReferenceDistribution::normal(0.0, 1.0), 10.0), std::invalid_argument);
}

}  // namespace
}  // namespace nninit::validation
