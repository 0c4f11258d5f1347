// The one-sample Kolmogorov–Smirnov statistic and test (the distribution of
// D_n is tested in kolmogorov_distribution_test.cpp).
#include <gtest/gtest.h>

#include <vector>

#include "nninit/validation/kolmogorov_distribution.hpp"
#include "nninit/validation/kolmogorov_smirnov.hpp"
#include "nninit/validation/sample.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

constexpr std::size_t large_n = std::size_t{1} << 22;

TEST(KolmogorovSmirnovStatistic, HandWorkedSamples) {
  // u = {0.1, 0.4, 0.7}: D = max(1/3 - 0.1, 2/3 - 0.4, 1 - 0.7, ...) = 0.3.
  const std::vector<double> u = {0.1, 0.4, 0.7};
  EXPECT_NEAR(ks_statistic_uniform(u), 0.3, 1e-15);
  EXPECT_NEAR(ks_statistic_uniform(std::vector<double>{0.5}), 0.5, 1e-15);
  // Against U(2, 4): the same sample mapped by x = 2 + 2u.
  const std::vector<double> x = {2.2, 2.8, 3.4};
  EXPECT_NEAR(ks_statistic(x, ReferenceDistribution::uniform(2.0, 4.0)), 0.3, 1e-15);
  // Ties: {0.5, 0.5} against U(0, 1): the ECDF jumps 0 -> 1 at 0.5, D = 0.5.
  EXPECT_NEAR(ks_statistic(std::vector<double>{0.5, 0.5}, ReferenceDistribution::uniform(0.0, 1.0)), 0.5, 1e-15);
}

TEST(KolmogorovSmirnovStatistic, StepCdfOfRoundedOutput) {
  // U(0, 1) as bfloat16, sample {0.5, 0.5}: P(Y < 0.5) = 0.5 - 2^-10 and
  // P(Y <= 0.5) = 0.5 + 2^-9, so D = max(0.5 - 2^-10, 1 - 0.5 - 2^-9) = 0.5 - 2^-10.
  const auto dist = ReferenceDistribution::uniform(0.0, 1.0).on_grid(OutputGrid::bfloat16);
  EXPECT_NEAR(ks_statistic(std::vector<double>{0.5, 0.5}, dist), 0.5 - 0x1p-10, 1e-15);
}

// Large samples are costly; a null sample and its negative control share one
// set of draws (scaling a sorted sample keeps it sorted).
TEST(KolmogorovSmirnovTest, AcceptsCorrectNormalAndRejectsOnePercentStdError) {
  const auto sample = sorted_copy(testing::normal_sample(large_n, 0.0, 1.0, 101));
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  const TestResult result = ks_test(sample, dist);
  EXPECT_EQ(result.name, "kolmogorov_smirnov");
  EXPECT_EQ(result.sample_size, large_n);
  EXPECT_GT(result.p_value, 1e-3);
  // Negative control. KS needs about 2^22 samples to see a 1% scale error.
  EXPECT_LT(ks_test(testing::scaled(sample, 1.01), dist).p_value, 1e-6);
}

TEST(KolmogorovSmirnovTest, NegativeControlRejectsShiftedMean) {
  const auto sample = sorted_copy(testing::normal_sample(std::size_t{1} << 20, 0.01, 1.0, 103));
  EXPECT_LT(ks_test(sample, ReferenceDistribution::normal(0.0, 1.0)).p_value, 1e-6);
}

TEST(KolmogorovSmirnovTest, SmallSampleUsesExactDistribution) {
  const auto sample = sorted_copy(testing::normal_sample(200, 0.0, 1.0, 104));
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  const TestResult result = ks_test(sample, dist);
  EXPECT_NEAR(result.p_value, 1.0 - kolmogorov_exact_cdf(200, result.statistic), 1e-12);
  EXPECT_GT(result.p_value, 1e-3);
  // Negative control at small n: a mean shifted by 0.5 sd.
  const auto shifted = sorted_copy(testing::normal_sample(200, 0.5, 1.0, 105));
  EXPECT_LT(ks_test(shifted, dist).p_value, 1e-4);
}

TEST(KolmogorovSmirnovTest, RoundedOutputNeedsTheStepCdf) {
  // Correct U(0, 1) output rounded to bfloat16: near 1 each value carries
  // mass 2^-8, so the continuous CDF is rejected although the data are right;
  // the step CDF of the rounded variable accepts them.
  const auto base = sorted_copy(testing::uniform_sample(large_n, 0.0, 1.0, 106));
  const auto sample = testing::rounded_to_bfloat16(base);
  const auto continuous = ReferenceDistribution::uniform(0.0, 1.0);
  EXPECT_LT(ks_test(sample, continuous).p_value, 1e-6);
  EXPECT_GT(ks_test(sample, continuous.on_grid(OutputGrid::bfloat16)).p_value, 1e-3);
  // Negative control on the grid: 1% too wide, rounded the same way.
  const auto wide = testing::rounded_to_bfloat16(testing::scaled(base, 1.01));
  EXPECT_LT(ks_test(wide, continuous.on_grid(OutputGrid::bfloat16)).p_value, 1e-6);
}

}  // namespace
}  // namespace nninit::validation
