// The sample-extremes test: exact p-values, and one outlier among many values
// is detected (negative controls).
#include "nninit/validation/extreme_values.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_samples.hpp"

namespace nninit::validation {
namespace {

TEST(ExtremeValues, PValueIsTheLawOfTheSampleExtreme) {
  // Two values of N(0, 1): min -3, max 1. P(min of 2 <= -3) = 1 - (1 - Phi(-3))^2.
  const std::vector<double> sample = {-3.0, 1.0};
  const auto results = extreme_value_tests(sample, ReferenceDistribution::normal(0.0, 1.0));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].name, "extreme(min)");
  EXPECT_EQ(results[1].name, "extreme(max)");
  const double phi_minus_3 = 0.0013498980316300946;  // Phi(-3)
  EXPECT_NEAR(results[0].p_value, 1.0 - (1.0 - phi_minus_3) * (1.0 - phi_minus_3), 1e-15);
  const double sf_1 = 0.15865525393145707;  // 1 - Phi(1)
  EXPECT_NEAR(results[1].p_value, 1.0 - (1.0 - sf_1) * (1.0 - sf_1), 1e-14);
  EXPECT_DOUBLE_EQ(results[0].measured, -3.0);
}

TEST(ExtremeValues, CorrectSamplesPass) {
  const auto sample = testing::normal_sample(1u << 20, 0.0, 0.02, 2001);
  for (const TestResult& r : extreme_value_tests(sample, ReferenceDistribution::normal(0.0, 0.02))) {
    EXPECT_GT(r.p_value, 1e-4) << r.name;
  }
  const auto truncated = testing::truncated_normal_sample(1u << 20, 0.0, 1.0, -2.0, 2.0, 2002);
  for (const TestResult& r : extreme_value_tests(truncated, ReferenceDistribution::truncated_normal(0, 1, -2, 2))) {
    EXPECT_GT(r.p_value, 1e-4) << r.name;
  }
}

TEST(ExtremeValues, NegativeControlOneOutlierAmongAMillion) {
  auto sample = testing::normal_sample(1u << 20, 0.0, 0.02, 2003);
  sample[1234] = 2.0;  // 100 sd
  const auto results = extreme_value_tests(sample, ReferenceDistribution::normal(0.0, 0.02));
  EXPECT_EQ(results[1].p_value, 0.0);
  EXPECT_NEAR(results[1].measured, 100.0, 1e-9);
  // 7 sd: P(Z > 7) = 1.28e-12, so p = 1.3e-6 for n = 2^20: far below any
  // correct sample's, and below the battery's alpha / 20.
  sample[1234] = 7.0 * 0.02;
  EXPECT_LT(extreme_value_tests(sample, ReferenceDistribution::normal(0.0, 0.02))[1].p_value, 2e-6);
}

TEST(ExtremeValues, NegativeControlValueOnAFarTruncationBound) {
  // PyTorch 1.13's float32 trunc_normal_(std=0.02) on its default window
  // [-2, 2] (+-100 sd): a draw that loses its precision lands on the bound.
  auto sample = testing::truncated_normal_sample(1u << 20, 0.0, 0.02, -2.0, 2.0, 2004);
  sample[99] = -2.0;
  const auto dist = ReferenceDistribution::truncated_normal(0.0, 0.02, -2.0, 2.0).on_grid(OutputGrid::float32);
  const auto results = extreme_value_tests(sample, dist);
  EXPECT_EQ(results[0].p_value, 0.0);
  EXPECT_GT(results[1].p_value, 1e-4);
}

TEST(ExtremeValues, UniformHasNone) {
  EXPECT_TRUE(extreme_value_tests(std::vector<double>{0.5}, ReferenceDistribution::uniform(0, 1)).empty());
}

}  // namespace
}  // namespace nninit::validation
