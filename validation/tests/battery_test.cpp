// The standard battery: correct output passes as a family, wrong output fails.
#include "nninit/validation/battery.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
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
      "tail_count(>4 sd)",         "tail_count(>4.5 sd)",                "extreme(min)",
      "extreme(max)",              "two_level_ks",                       "serial_correlation(lag 1)",
      "correlation(first half, second half)", "resolution(collisions)"};
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
  // The seed document's He bound sqrt(6) / (2 sqrt(n_in + n_out))
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

// PyTorch's float32 U(-b, b): low + (high - low) u computed in float32 from
// float32(-b) and float32(b), u on the 2^-24 grid; u = 0 gives float32(-b),
// which lies below -b when float32 rounds the bound outward (b = sqrt(6 / 4096)).
std::vector<double> float32_uniform_like_pytorch(std::size_t count, double bound, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  const float low = static_cast<float>(-bound), high = static_cast<float>(bound);
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t word = engine();
    // Every 4096th value takes u = 0 (far more often than 2^-24, so that the
    // atom at float32(-b) is certainly in the sample).
    const float u = i % 4096 == 0 ? 0.0f : static_cast<float>(word >> 40) * 0x1p-24f;
    values[i] = static_cast<double>(u * (high - low) + low);
  }
  return values;
}

TEST(Battery, Float32BoundRoundedOutwardPassesAsRoundToNearest) {
  const double bound = std::sqrt(6.0 / 4096.0);
  ASSERT_LT(static_cast<double>(static_cast<float>(-bound)), -bound);  // float32 rounds it outward
  auto sample = float32_uniform_like_pytorch(std::size_t{1} << 16, bound, 1007);
  const auto nearest = ReferenceDistribution::uniform(-bound, bound).on_grid(OutputGrid::float32);
  BatteryOptions options;
  options.bounds.atom_allowance = 1.0 / 4096.0;  // the planted u = 0 draws
  const auto results = run_battery(sample, nearest, options);
  EXPECT_EQ(find(results, "bounds(outside)").verdict, Verdict::pass);
  EXPECT_TRUE(std::isfinite(find(results, "anderson_darling").statistic));
  EXPECT_EQ(find(results, "anderson_darling").verdict, Verdict::pass);
  // Negative control: nninit's own law (clamped inside the bounds) excludes
  // float32(-b), and so does any law once a value lies beyond the rounded bound.
  const auto inside =
      ReferenceDistribution::uniform(-bound, bound).on_grid(OutputGrid::float32, BoundRounding::clamp_inside);
  EXPECT_EQ(find(run_battery(sample, inside, options), "bounds(outside)").verdict, Verdict::fail);
  sample[5] = static_cast<double>(std::nextafter(static_cast<float>(-bound), -1.0f));
  const auto beyond = run_battery(sample, nearest, options);
  EXPECT_EQ(find(beyond, "bounds(outside)").verdict, Verdict::fail);
  EXPECT_EQ(find(beyond, "anderson_darling").verdict, Verdict::fail);
}

TEST(Battery, NegativeControlSixteenBitUniformFailsTheResolutionTest) {
  std::mt19937_64 engine(1008);
  std::vector<double> sample(std::size_t{1} << 20);
  for (double& v : sample) {
    const double u = (static_cast<double>(engine() >> 48) + 0.5) * 0x1p-16;  // midpoints of a 2^-16 grid
    v = static_cast<double>(static_cast<float>(-0.1 + 0.2 * u));
  }
  const auto dist = ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::float32);
  const auto results = run_battery(sample, dist);
  EXPECT_EQ(find(results, "resolution(collisions)").verdict, Verdict::fail);
  EXPECT_EQ(find(results, "kolmogorov_smirnov").verdict, Verdict::pass);  // invisible to the shape tests
  // The same draws with 24 bits pass it.
  for (double& v : sample) v = static_cast<double>(static_cast<float>(-0.1 + 0.2 * static_cast<double>(engine() >> 40) * 0x1p-24));
  EXPECT_EQ(find(run_battery(sample, dist), "resolution(collisions)").verdict, Verdict::pass);
}

TEST(Battery, OverflowingStatisticsFailWithAnExplanation) {
  // One value of 1e200: the moments overflow a double unscaled, Boost's
  // chi-squared refused the infinite statistic. Now: FAIL, every test judged.
  auto sample = testing::normal_sample(100000, 0.0, 1.0, 1009);
  sample[5] = 1e200;
  std::vector<TestResult> results;
  ASSERT_NO_THROW(results = run_battery(sample, ReferenceDistribution::normal(0.0, 1.0)));
  for (const TestResult& r : results) EXPECT_NE(r.verdict, Verdict::not_judged) << r.name;
  EXPECT_EQ(find(results, "standard_deviation").verdict, Verdict::fail);
  EXPECT_EQ(find(results, "extreme(max)").verdict, Verdict::fail);
  // A constant sample: the correlations are undefined (NaN p-values), which
  // Holm would leave unjudged; they fail and say why.
  const auto constant = run_battery(std::vector<double>(1000, 0.25), ReferenceDistribution::normal(0.25, 1.0));
  const TestResult& halves = find(constant, "correlation(first half, second half)");
  EXPECT_EQ(halves.verdict, Verdict::fail);
  EXPECT_NE(halves.detail.find("not computable"), std::string::npos) << halves.detail;
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
