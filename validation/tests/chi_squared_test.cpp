// Chi-squared goodness-of-fit tests: equiprobable bins and grid cells.
#include "nninit/validation/chi_squared.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "nninit/validation/probability_transform.hpp"
#include "nninit/validation/sample.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

constexpr std::size_t large_n = std::size_t{1} << 22;

TEST(ChiSquared, PValueAgainstPublishedAndComputedValues) {
  // The 5% critical value of chi^2_1 is 3.841458820694124 (standard tables).
  EXPECT_NEAR(chi_squared_p_value(3.841458820694124, 1.0), 0.05, 1e-14);
  // mpmath: regularised upper gamma Q(3/2, 1/2) = P(chi^2_3 >= 1).
  EXPECT_NEAR(chi_squared_p_value(1.0, 3.0), 0.8012519569012008, 1e-14);
  EXPECT_EQ(chi_squared_p_value(0.0, 3.0), 1.0);
  EXPECT_THROW(chi_squared_p_value(1.0, 0.0), std::invalid_argument);
}

TEST(ChiSquared, DefaultBins) {
  EXPECT_EQ(default_equiprobable_bins(10), 2u);
  EXPECT_EQ(default_equiprobable_bins(5000), 100u);
  EXPECT_EQ(default_equiprobable_bins(large_n), 1000u);
}

TEST(ChiSquared, HandWorkedEquiprobable) {
  // 4 bins: counts {2, 1, 2, 3}, expected 2 each: chi^2 = (0 + 1 + 0 + 1) / 2 = 1, dof 3.
  const std::vector<double> u = {0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9, 0.95};
  const TestResult result = chi_squared_equiprobable_test(u, 4);
  EXPECT_DOUBLE_EQ(result.statistic, 1.0);
  EXPECT_NEAR(result.p_value, 0.8012519569012008, 1e-14);
  EXPECT_EQ(result.target, 3.0);
  EXPECT_THROW(chi_squared_equiprobable_test(u, 1), std::invalid_argument);
}

TEST(ChiSquared, AcceptsCorrectNormalAndRejectsOnePercentStdError) {
  const auto sample = testing::normal_sample(large_n, 0.0, 1.0, 401);
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  EXPECT_GT(chi_squared_equiprobable_test(sample, dist).p_value, 1e-3);
  EXPECT_LT(chi_squared_equiprobable_test(testing::scaled(sample, 1.01), dist).p_value, 1e-6);
}

TEST(ChiSquared, RoundedOutputNeedsTheRoundedDistribution) {
  const auto base = testing::normal_sample(large_n, 0.0, 1.0, 402);
  const auto sample = testing::rounded_to_bfloat16(base);
  const auto continuous = ReferenceDistribution::normal(0.0, 1.0);
  const auto rounded = continuous.on_grid(OutputGrid::bfloat16);
  // Bins of the plain transform split the atoms of correct bfloat16 data: rejected.
  EXPECT_LT(chi_squared_equiprobable_test(probability_integral_transform(sample, continuous)).p_value, 1e-6);
  // The randomised transform and the grid cells accept it...
  EXPECT_GT(chi_squared_equiprobable_test(sample, rounded).p_value, 1e-3);
  const auto sorted = sorted_copy(sample);
  const TestResult grid = chi_squared_grid_test(sorted, rounded);
  EXPECT_EQ(grid.name, "chi_squared(grid cells)");
  EXPECT_GT(grid.p_value, 1e-3);
  // ...and both reject a 1% std error (negative controls).
  const auto wide = testing::rounded_to_bfloat16(testing::scaled(base, 1.01));
  EXPECT_LT(chi_squared_equiprobable_test(wide, rounded).p_value, 1e-6);
  EXPECT_LT(chi_squared_grid_test(sorted_copy(wide), rounded).p_value, 1e-6);
}

TEST(ChiSquared, GridCellsSeeAPileUpOnOneValue) {
  // Correct N(0,1) bfloat16 data with 0.1% of the values moved onto 0.0.
  auto sample = testing::rounded_to_bfloat16(testing::normal_sample(std::size_t{1} << 20, 0.0, 1.0, 403));
  const auto rounded = ReferenceDistribution::normal(0.0, 1.0).on_grid(OutputGrid::bfloat16);
  EXPECT_GT(chi_squared_grid_test(sorted_copy(sample), rounded).p_value, 1e-3);
  for (std::size_t i = 0; i < sample.size(); i += 1000) sample[i] = 0.0;
  EXPECT_LT(chi_squared_grid_test(sorted_copy(sample), rounded).p_value, 1e-6);
}

}  // namespace
}  // namespace nninit::validation
