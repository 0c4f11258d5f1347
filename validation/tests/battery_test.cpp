// The standard battery: correct output passes as a family, wrong output fails.
#include "nninit/validation/battery.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_samples.hpp"

namespace nninit::validation {
namespace {

constexpr std::size_t n = std::size_t{1} << 20;

std::vector<std::string> names(const std::vector<TestResult>& results) {
  std::vector<std::string> out;
  for (const TestResult& r : results) out.push_back(r.name);
  return out;
}

const TestResult& find(const std::vector<TestResult>& results, const std::string& name) {
  const auto it = std::find_if(results.begin(), results.end(), [&](const TestResult& r) { return r.name == name; });
  if (it == results.end()) throw std::runtime_error("no result named " + name);
  return *it;
}

void expect_all_judged_and_none_failed(const std::vector<TestResult>& results) {
  EXPECT_TRUE(none_failed(results));
  for (const TestResult& r : results) {
    EXPECT_NE(r.verdict, Verdict::not_judged) << r.name;
    EXPECT_NE(r.verdict, Verdict::fail) << r.name << " p=" << r.p_value << " " << r.detail;
  }
}

TEST(Battery, CorrectNormalPassesWithTheDocumentedTests) {
  const auto sample = testing::normal_sample(n, 0.0, 0.02, 1001);
  const auto results = run_battery(sample, ReferenceDistribution::normal(0.0, 0.02));
  const std::vector<std::string> expected = {
      "bounds(non-finite)",        "mean",           "standard_deviation", "kolmogorov_smirnov",
      "anderson_darling",          "chi_squared(equiprobable)",          "tail_count(>3 sd)",
      "tail_count(>4 sd)",         "tail_count(>4.5 sd)",                "two_level_ks",
      "serial_correlation(lag 1)", "correlation(first half, second half)"};
  EXPECT_EQ(names(results), expected);
  expect_all_judged_and_none_failed(results);
  const TestResult& sd = find(results, "standard_deviation");
  EXPECT_LT(sd.ci_low, 0.02);
  EXPECT_GT(sd.ci_high, 0.02);
}

TEST(Battery, CorrectBfloat16TruncatedNormalPasses) {
  // Keras/JAX he_normal-style: sd s / 0.8796..., truncated at +-2 of that sd, as bfloat16.
  const double sd = std::sqrt(2.0 / 512.0) / 0.87962566103423978;
  const auto sample =
      testing::rounded_to_bfloat16(testing::truncated_normal_sample(n, 0.0, sd, -2.0 * sd, 2.0 * sd, 1002));
  const auto dist = ReferenceDistribution::truncated_normal(0.0, sd, -2.0 * sd, 2.0 * sd).on_grid(OutputGrid::bfloat16);
  const auto results = run_battery(sample, dist);
  expect_all_judged_and_none_failed(results);
  EXPECT_NO_THROW((void)find(results, "chi_squared(grid cells)"));
  EXPECT_NO_THROW((void)find(results, "bounds(mass at lower)"));
  // The truncated normal keeps the target variance (Keras's correction); the
  // test compares with the sd of the rounded output, a hair larger.
  EXPECT_NEAR(dist.sd(), std::sqrt(2.0 / 512.0), 1e-12);
  EXPECT_EQ(find(results, "standard_deviation").target, dist.output_sd());
  EXPECT_NEAR(dist.output_sd() / std::sqrt(2.0 / 512.0), 1.0, 1e-5);
}

TEST(Battery, NegativeControlWrongHeUniformBound) {
  // REFERENCE.md: the seed document's He bound sqrt(6) / (2 sqrt(n_in + n_out))
  // instead of sqrt(6 / fan_in) must be detected.
  const double fan_in = 512.0, fan_out = 512.0;
  const double correct = std::sqrt(6.0 / fan_in);
  const double wrong = std::sqrt(6.0) / (2.0 * std::sqrt(fan_in + fan_out));
  const auto sample = testing::uniform_sample(n, -wrong, wrong, 1003);
  const auto results = run_battery(sample, ReferenceDistribution::uniform(-correct, correct));
  EXPECT_FALSE(none_failed(results));
  EXPECT_EQ(find(results, "standard_deviation").verdict, Verdict::fail);
  EXPECT_EQ(find(results, "bounds(upper edge approached)").verdict, Verdict::fail);
  EXPECT_EQ(find(results, "kolmogorov_smirnov").verdict, Verdict::fail);
  EXPECT_EQ(find(results, "mean").verdict, Verdict::pass);  // both are centred
}

TEST(Battery, NegativeControlBfloat16PileUpOnBounds) {
  // Draw from +-2.02 sd, clamp to +-2 sd, round to bfloat16 (the pile-up of PyTorch issue 145498).
  auto values = testing::truncated_normal_sample(n, 0.0, 1.0, -2.02, 2.02, 1004);
  for (double& v : values) v = std::clamp(v, -2.0, 2.0);
  const auto dist = ReferenceDistribution::truncated_normal(0.0, 1.0, -2.0, 2.0).on_grid(OutputGrid::bfloat16);
  const auto results = run_battery(testing::rounded_to_bfloat16(values), dist);
  EXPECT_FALSE(none_failed(results));
  EXPECT_EQ(find(results, "bounds(mass at lower)").verdict, Verdict::fail);
  EXPECT_EQ(find(results, "bounds(mass at upper)").verdict, Verdict::fail);
}

TEST(Battery, NonFiniteValuesFailAndTheRestIsTested) {
  auto sample = testing::normal_sample(10000, 0.0, 1.0, 1005);
  sample[17] = std::nan("");
  const auto results = run_battery(sample, ReferenceDistribution::normal(0.0, 1.0));
  EXPECT_EQ(find(results, "bounds(non-finite)").verdict, Verdict::fail);
  EXPECT_EQ(find(results, "mean").sample_size, 9999u);
  EXPECT_EQ(find(results, "mean").verdict, Verdict::pass);
}

TEST(Battery, RejectsUnusableInput) {
  EXPECT_THROW(run_battery(std::vector<double>(50, 0.0), ReferenceDistribution::normal(0.0, 1.0)),
               std::invalid_argument);
  const auto off_grid = testing::normal_sample(1000, 0.0, 1.0, 1006);  // not rounded
  EXPECT_THROW(run_battery(off_grid, ReferenceDistribution::normal(0.0, 1.0).on_grid(OutputGrid::bfloat16)),
               std::invalid_argument);
}

}  // namespace
}  // namespace nninit::validation
