// Range checks in the output dtype, with negative controls.
#include "nninit/validation/bounds.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "test_samples.hpp"

namespace nninit::validation {
namespace {

const TestResult& find(const std::vector<TestResult>& results, const std::string& name) {
  const auto it = std::find_if(results.begin(), results.end(), [&](const TestResult& r) { return r.name == name; });
  if (it == results.end()) throw std::runtime_error("no result named " + name);
  return *it;
}

double min_p_value(const std::vector<TestResult>& results) {
  double p = 1.0;
  for (const TestResult& r : results) p = std::min(p, r.p_value);
  return p;
}

constexpr std::size_t n = std::size_t{1} << 20;

TEST(Bounds, NormalOnlyCountsNonFinite) {
  auto sample = testing::normal_sample(1000, 0.0, 1.0, 601);
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  std::vector<TestResult> results = bounds_tests(sample, dist);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].p_value, 1.0);
  sample[10] = std::nan("");
  sample[20] = std::numeric_limits<double>::infinity();
  results = bounds_tests(sample, dist);
  EXPECT_EQ(results[0].statistic, 2.0);
  EXPECT_EQ(results[0].p_value, 0.0);
}

TEST(Bounds, HandWorkedEdgeGap) {
  // U(0, 1), 1000 values, smallest 0.01: P(min >= 0.01) = 0.99^1000 = 4.3171e-5.
  std::vector<double> sample(1000, 0.5);
  sample[0] = 0.01;
  sample[1] = 1.0;
  const auto results = bounds_tests(sample, ReferenceDistribution::uniform(0.0, 1.0));
  const TestResult& lower = find(results, "bounds(lower edge approached)");
  EXPECT_NEAR(lower.measured, 0.01, 1e-15);
  EXPECT_NEAR(lower.p_value, std::pow(0.99, 1000.0), 1e-15);
  EXPECT_NEAR(lower.ci_high, 1.0 - std::pow(1e-3, 1.0 / 1000.0), 1e-12);  // about 6.9 / n
  EXPECT_EQ(find(results, "bounds(upper edge approached)").p_value, 1.0);
}

TEST(Bounds, UniformAcceptsCorrectAndRejectsShortRangeAndOutliers) {
  const double a = 0.05;
  const auto sample = testing::uniform_sample(n, -a, a, 602);
  const auto dist = ReferenceDistribution::uniform(-a, a);
  const std::vector<TestResult> results = bounds_tests(sample, dist);
  EXPECT_EQ(results.size(), 6u);
  EXPECT_GT(min_p_value(results), 1e-3);
  // Negative control: the upper edge is never approached (range 0.1% short).
  const auto short_range = testing::uniform_sample(n, -a, 0.999 * a, 603);
  EXPECT_LT(find(bounds_tests(short_range, dist), "bounds(upper edge approached)").p_value, 1e-6);
  // Negative control: one value outside.
  auto outlier = sample;
  outlier[123] = 1.0001 * a;
  const std::vector<TestResult> with_outlier = bounds_tests(outlier, dist);
  const TestResult& outside = find(with_outlier, "bounds(outside)");
  EXPECT_EQ(outside.statistic, 1.0);
  EXPECT_EQ(outside.p_value, 0.0);
}

TEST(Bounds, BoundsAreRoundedToTheOutputGrid) {
  // U(-0.1, 0.1) rounds to +-0x1.9Ap-4 in bfloat16, just beyond +-0.1: correct
  // rounded output reaches it and must not count as outside.
  const auto sample = testing::rounded_to_bfloat16(testing::uniform_sample(n, -0.1, 0.1, 604));
  EXPECT_EQ(*std::max_element(sample.begin(), sample.end()), 0x1.9Ap-4);
  const auto dist = ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::bfloat16);
  const std::vector<TestResult> results = bounds_tests(sample, dist);
  EXPECT_EQ(find(results, "bounds(outside)").statistic, 0.0);
  EXPECT_GT(min_p_value(results), 1e-3);
  // The same data judged as continuous output are outside [-0.1, 0.1].
  EXPECT_GT(find(bounds_tests(sample, ReferenceDistribution::uniform(-0.1, 0.1)), "bounds(outside)").statistic, 0.0);
}

TEST(Bounds, TruncatedNormalPileUpOnTheBound) {
  const auto dist = ReferenceDistribution::truncated_normal(0.0, 1.0, -2.0, 2.0);
  const auto correct = testing::truncated_normal_sample(n, 0.0, 1.0, -2.0, 2.0, 605);
  EXPECT_GT(min_p_value(bounds_tests(correct, dist)), 1e-3);
  // Negative control: draw from +-2.05 and clamp to +-2 (mass piles on the bounds).
  auto clamped = testing::truncated_normal_sample(n, 0.0, 1.0, -2.05, 2.05, 606);
  for (double& v : clamped) v = std::clamp(v, -2.0, 2.0);
  const std::vector<TestResult> results = bounds_tests(clamped, dist);
  EXPECT_LT(find(results, "bounds(mass at lower)").p_value, 1e-6);
  EXPECT_LT(find(results, "bounds(mass at upper)").p_value, 1e-6);
  EXPECT_EQ(find(results, "bounds(outside)").statistic, 0.0);  // nothing outside: only the pile-up shows it
}

TEST(Bounds, TruncatedNormalPileUpInBfloat16) {
  // In bfloat16 the bound value -2 owns [-2, -2 + 2^-8] of the window, so correct
  // output puts about n * 2.2e-4 values on it; a clamp after a wider draw adds more.
  const auto dist = ReferenceDistribution::truncated_normal(0.0, 1.0, -2.0, 2.0).on_grid(OutputGrid::bfloat16);
  const auto correct = testing::rounded_to_bfloat16(testing::truncated_normal_sample(n, 0.0, 1.0, -2.0, 2.0, 607));
  const std::vector<TestResult> results = bounds_tests(correct, dist);
  const TestResult& lower = find(results, "bounds(mass at lower)");
  EXPECT_GT(lower.statistic, 150.0);
  EXPECT_NEAR(lower.target, 0.05399096651318806 / 0.9544997361036416 * 0x1p-8, 1e-6);  // phi(2) / Z * 2^-8
  EXPECT_GT(min_p_value(results), 1e-3);
  auto clamped = testing::truncated_normal_sample(n, 0.0, 1.0, -2.02, 2.02, 608);
  for (double& v : clamped) v = std::clamp(v, -2.0, 2.0);
  const std::vector<TestResult> bad = bounds_tests(testing::rounded_to_bfloat16(clamped), dist);
  EXPECT_LT(find(bad, "bounds(mass at lower)").p_value, 1e-6);
  EXPECT_LT(find(bad, "bounds(mass at upper)").p_value, 1e-6);
}

TEST(Bounds, AtomAllowanceCoversAGeneratorsResolution) {
  // A 24-bit uniform source hits the lower bound exactly with probability 2^-24:
  // at n = 2^20 a few such values are expected and tolerated.
  auto sample = testing::uniform_sample(n, 0.0, 1.0, 609);
  sample[5] = 0.0;
  const auto dist = ReferenceDistribution::uniform(0.0, 1.0);
  EXPECT_GT(find(bounds_tests(sample, dist), "bounds(mass at lower)").p_value, 0.1);
  // Without the allowance one exact hit of a continuous bound is impossible.
  EXPECT_EQ(find(bounds_tests(sample, dist, {.atom_allowance = 0.0}), "bounds(mass at lower)").p_value, 0.0);
}

}  // namespace
}  // namespace nninit::validation
