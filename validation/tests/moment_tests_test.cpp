// Tests of the mean and the standard deviation, with negative controls.
#include "nninit/validation/moment_tests.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "nninit/validation/sample.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

constexpr std::size_t moderate_n = 300000;  // "a few hundred thousand" values see a 1% sd error

TEST(MeanTest, HandWorkedSample) {
  // {0.3, -0.1, 0.5, 0.2, 0.4} against 0: mean 0.26, s^2 = 0.053, t = 2.52534,
  // p = 0.0649859 (Student t, 4 dof), 99% interval 0.26 -+ 4.60409 sqrt(0.053 / 5)
  // (mpmath regularised incomplete beta and its inverse).
  const std::vector<double> sample = {0.3, -0.1, 0.5, 0.2, 0.4};
  const TestResult result = mean_test(sample, 0.0);
  EXPECT_EQ(result.name, "mean");
  EXPECT_NEAR(result.measured, 0.26, 1e-15);
  EXPECT_NEAR(result.statistic, 2.5253432421288869, 1e-12);
  EXPECT_NEAR(result.p_value, 0.064985910342120664, 1e-12);
  EXPECT_NEAR(result.ci_low, -0.21402057929434656, 1e-10);
  EXPECT_NEAR(result.ci_high, 0.73402057929434656, 1e-10);
  EXPECT_EQ(result.target, 0.0);
  EXPECT_THROW(mean_test(std::vector<double>{1.0}, 0.0), std::invalid_argument);
  EXPECT_THROW(mean_test(sample, 0.0, 1.0), std::invalid_argument);
  // Zero variance.
  EXPECT_EQ(mean_test(std::vector<double>{2.0, 2.0, 2.0}, 2.0).p_value, 1.0);
  EXPECT_EQ(mean_test(std::vector<double>{2.0, 2.0, 2.0}, 1.0).p_value, 0.0);
}

TEST(MeanTest, AcceptsCorrectMeanAndRejectsShift) {
  const auto sample = testing::normal_sample(std::size_t{1} << 20, 0.0, 1.0, 501);
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  const TestResult result = mean_test(sample, dist);
  EXPECT_GT(result.p_value, 1e-3);
  EXPECT_LT(result.ci_low, 0.0);
  EXPECT_GT(result.ci_high, 0.0);
  // Negative control: a shift of 0.01 sd (10 standard errors).
  EXPECT_LT(mean_test(testing::shifted(sample, 0.01), dist).p_value, 1e-6);
}

TEST(StdTest, HandWorkedKurtosisForm) {
  // {0.1, 0.9, 0.4, 0.7, 0.2, 0.55, 0.8, 0.35} against U(0,1): sigma^2 = 1/12,
  // kappa = 1.8, Var(s^2) = sigma^4 (kappa - 5/7) / 8; s = 0.286605752,
  // z = -0.0387783367, p = 0.969067117 (mpmath).
  const std::vector<double> sample = {0.1, 0.9, 0.4, 0.7, 0.2, 0.55, 0.8, 0.35};
  const TestResult result = std_test(sample, ReferenceDistribution::uniform(0.0, 1.0));
  EXPECT_EQ(result.name, "standard_deviation");
  EXPECT_NEAR(result.measured, 0.28660575211055542, 1e-14);
  EXPECT_NEAR(result.statistic, -0.038778336716474065, 1e-12);
  EXPECT_NEAR(result.p_value, 0.9690671166368814, 1e-12);
  EXPECT_NEAR(result.target, 1.0 / std::sqrt(12.0), 1e-15);
  EXPECT_THROW(std_test(sample, 0.0, 3.0), std::invalid_argument);
  EXPECT_THROW(std_test(sample, 1.0, 0.5), std::invalid_argument);
}

TEST(StdTest, KurtosisMakesTheZStatisticStandard) {
  // 400 uniform samples of 1000: with kappa = 1.8 the z values have sd ~ 1;
  // the normal-theory kappa = 3 would shrink them to sd ~ sqrt(0.8 / 2) = 0.63.
  const auto values = testing::uniform_sample(400 * 1000, -1.0, 1.0, 502);
  const double sigma = 1.0 / std::sqrt(3.0);
  double sum = 0.0, sum_squares = 0.0;
  for (std::size_t r = 0; r < 400; ++r) {
    const std::span<const double> chunk(values.data() + r * 1000, 1000);
    const double z = std_test(chunk, sigma, 1.8).statistic;
    sum += z;
    sum_squares += z * z;
  }
  const double mean = sum / 400.0;
  const double sd = std::sqrt(sum_squares / 400.0 - mean * mean);
  EXPECT_NEAR(sd, 1.0, 0.1);
  EXPECT_NEAR(mean, 0.0, 0.2);
}

TEST(StdTest, NormalUsesTheChiSquaredForm) {
  const auto sample = testing::normal_sample(moderate_n, 0.0, 1.0, 503);
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  const TestResult exact = std_test(sample, dist);
  EXPECT_GT(exact.p_value, 1e-3);
  EXPECT_LT(exact.ci_low, 1.0);
  EXPECT_GT(exact.ci_high, 1.0);
  // At this n the kurtosis form with kappa = 3 agrees closely.
  EXPECT_NEAR(std_test(sample, 1.0, 3.0).p_value, exact.p_value, 0.01);
  // Negative control: 1% std error, about 7.7 standard errors at n = 300000.
  EXPECT_LT(std_test(testing::scaled(sample, 1.01), dist).p_value, 1e-6);
  EXPECT_LT(std_test(testing::scaled(sample, 0.99), dist).p_value, 1e-6);
}

TEST(StdTest, UniformAndTruncatedNormalNegativeControls) {
  const auto uniform = testing::uniform_sample(moderate_n, -0.5, 0.5, 504);
  const auto dist = ReferenceDistribution::uniform(-0.5, 0.5);
  EXPECT_GT(std_test(uniform, dist).p_value, 1e-3);
  EXPECT_LT(std_test(testing::scaled(uniform, 1.01), dist).p_value, 1e-6);
  // Keras-style N(0, 1) truncated at +-2: kurtosis 2.3655367.
  const auto truncated = testing::truncated_normal_sample(moderate_n, 0.0, 1.0, -2.0, 2.0, 505);
  const auto truncated_dist = ReferenceDistribution::truncated_normal(0.0, 1.0, -2.0, 2.0);
  const TestResult result = std_test(truncated, truncated_dist);
  EXPECT_GT(result.p_value, 1e-3);
  EXPECT_NEAR(result.target, 0.87962566103423978, 1e-12);
  EXPECT_LT(std_test(testing::scaled(truncated, 1.01), truncated_dist).p_value, 1e-6);
}

TEST(MomentTests, HugeValuesGiveFiniteStatisticsAndFail) {
  // One value of 1e200 among N(0, 1) values: the variance (1e400 / n) is not
  // a double, the sd is. The tests fail with a p-value of 0; nothing throws.
  auto sample = testing::normal_sample(100000, 0.0, 1.0, 506);
  sample[5] = 1e200;
  const SampleMoments moments = sample_moments(sample);
  EXPECT_NEAR(moments.sd / (1e200 / std::sqrt(100000.0)), 1.0, 1e-12);  // sum of squares 1e400 (1 - 1/n), over n - 1
  EXPECT_NEAR(moments.mean / (1e200 / 100000.0), 1.0, 1e-12);
  EXPECT_TRUE(std::isfinite(moments.kurtosis));
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  EXPECT_EQ(std_test(sample, dist).p_value, 0.0);
  EXPECT_EQ(std_test(sample, 1.0, 3.0).p_value, 0.0);
  EXPECT_GE(mean_test(sample, dist).p_value, 0.0);
  // A target sd of 1e-300 for N(0, 1) data: s / sigma = 1e300, its square overflows.
  const auto clean = testing::normal_sample(1000, 0.0, 1.0, 507);
  EXPECT_EQ(std_test(clean, ReferenceDistribution::normal(0.0, 1e-300)).p_value, 0.0);
  EXPECT_EQ(std_test(clean, 1e-300, 3.0).p_value, 0.0);
}

TEST(MomentTests, ValuesNearTheLargestDoubleHaveTheRightMoments) {
  // +-1.5e308 alternating, and 1e308 constant: sums of them overflow unscaled.
  std::vector<double> sample(1000);
  for (std::size_t i = 0; i < sample.size(); ++i) sample[i] = i % 2 == 0 ? 1.5e308 : -1.5e308;
  const SampleMoments alternating = sample_moments(sample);
  EXPECT_EQ(alternating.mean, 0.0);
  EXPECT_NEAR(alternating.sd / (1.5e308 * std::sqrt(1000.0 / 999.0)), 1.0, 1e-14);
  EXPECT_EQ(alternating.variance, HUGE_VAL);  // 2.25e616 is beyond double
  EXPECT_NEAR(alternating.kurtosis, 1.0, 1e-12);
  const SampleMoments constant = sample_moments(std::vector<double>(1000, 1e308));
  EXPECT_EQ(constant.mean, 1e308);
  EXPECT_EQ(constant.sd, 0.0);
  // Tiny values: squares underflow unscaled.
  const SampleMoments tiny = sample_moments(std::vector<double>{1e-300, -1e-300, 1e-300, -1e-300});
  EXPECT_NEAR(tiny.sd / (1e-300 * std::sqrt(4.0 / 3.0)), 1.0, 1e-14);
}

}  // namespace
}  // namespace nninit::validation
