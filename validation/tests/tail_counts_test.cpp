// Exact binomial tests and tail counts, with the clipped-tail negative control.
#include "nninit/validation/tail_counts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "nninit/validation/binomial_test.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

TEST(BinomialTest, TwoSidedMinimumLikelihoodPValues) {
  // Sum of the probabilities of all outcomes no more likely than the observed
  // one (relative tolerance 1e-7), evaluated exactly with mpmath.
  EXPECT_NEAR(binomial_two_sided_p_value(3, 20, 0.3), 0.22041826738070941, 1e-13);
  EXPECT_NEAR(binomial_two_sided_p_value(12, 20, 0.3), 0.0059360841980975278, 1e-14);
  EXPECT_EQ(binomial_two_sided_p_value(6, 20, 0.3), 1.0);  // the mode
  EXPECT_NEAR(binomial_two_sided_p_value(0, 10, 0.5), 0.001953125, 1e-16);  // 2 * 2^-10
  EXPECT_NEAR(binomial_two_sided_p_value(2, 50, 0.01), 0.089435313096030698, 1e-13);
  // Zero tail events where 66 are expected (mpmath: 1.4277e-29 + 2.2583e-29 from the upper side).
  EXPECT_NEAR(binomial_two_sided_p_value(0, std::size_t{1} << 20, 6.334e-5) / 3.6859718094959765e-29, 1.0, 1e-6);
  EXPECT_EQ(binomial_two_sided_p_value(0, 100, 0.0), 1.0);
  EXPECT_EQ(binomial_two_sided_p_value(1, 100, 0.0), 0.0);
  EXPECT_THROW(binomial_two_sided_p_value(5, 4, 0.5), std::invalid_argument);
  EXPECT_THROW(binomial_two_sided_p_value(1, 4, 1.5), std::invalid_argument);
  // The one-sided tails.
  EXPECT_NEAR(binomial_upper_tail(10, 10, 0.5), 0x1p-10, 1e-18);
  EXPECT_NEAR(binomial_lower_tail(0, 10, 0.5), 0x1p-10, 1e-18);
  EXPECT_EQ(binomial_upper_tail(0, 10, 0.5), 1.0);
}

TEST(TailCounts, ExpectedCountsOfTheNormal) {
  const std::vector<double> sample(1000, 0.0);
  const auto results = tail_count_tests(sample, ReferenceDistribution::normal(0.0, 1.0));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].name, "tail_count(>4 sd)");
  // P(|Z| > 3) = 0.0026997960632601891, P(|Z| > 4) = 6.3342483666239843e-05 (mpmath).
  EXPECT_NEAR(results[0].target / 1000.0, 0.0026997960632601891, 1e-16);
  EXPECT_NEAR(results[1].target / 1000.0, 6.3342483666239843e-05, 1e-18);
}

TEST(TailCounts, AcceptsCorrectNormalAndRejectsClippedTail) {
  const std::size_t n = std::size_t{1} << 20;
  const auto sample = testing::normal_sample(n, 0.0, 1.0, 701);
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  for (const TestResult& result : tail_count_tests(sample, dist)) {
    EXPECT_GT(result.p_value, 1e-3) << result.name;
    EXPECT_LE(result.ci_low, result.measured) << result.name;
    EXPECT_GE(result.ci_high, result.measured) << result.name;
  }
  // Negative control: a Box–Muller-like generator whose tail stops at 3.5 sd.
  // KS and the moments barely move; the 4 sd count is 0 where 66 are expected.
  auto clipped = sample;
  for (double& v : clipped) v = std::clamp(v, -3.5, 3.5);
  const auto results = tail_count_tests(clipped, dist);
  EXPECT_GT(results[0].p_value, 1e-3);  // beyond 3 sd is untouched
  EXPECT_EQ(results[1].statistic, 0.0);
  EXPECT_LT(results[1].p_value, 1e-20);
  EXPECT_LT(results[2].p_value, 1e-2);
}

TEST(TailCounts, HeavyTailIsAlsoRejected) {
  // Negative control the other way: 1% of the values scaled by 2 (a mixture).
  auto sample = testing::normal_sample(std::size_t{1} << 20, 0.0, 1.0, 702);
  for (std::size_t i = 0; i < sample.size(); i += 100) sample[i] *= 2.0;
  const auto results = tail_count_tests(sample, ReferenceDistribution::normal(0.0, 1.0));
  EXPECT_LT(results[1].p_value, 1e-6);
}

}  // namespace
}  // namespace nninit::validation
