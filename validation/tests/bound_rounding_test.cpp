// BoundRounding::clamp_inside (nninit's contract for bounds that are not grid
// values), the radix sort behind sorted_copy, and the battery's artifacts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "nninit/validation/anderson_darling.hpp"
#include "nninit/validation/battery.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/sample.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

constexpr std::size_t n = std::size_t{1} << 20;

// U(a, b) rounded to bfloat16 and then clamped into [a, b], as nninit fills it.
std::vector<double> clamped_bfloat16_uniform(std::size_t count, double a, double b, std::uint64_t seed) {
  const auto dist = ReferenceDistribution::uniform(a, b).on_grid(OutputGrid::bfloat16, BoundRounding::clamp_inside);
  auto values = testing::rounded_to_bfloat16(testing::uniform_sample(count, a, b, seed));
  for (double& v : values) v = std::clamp(v, dist.output_lower(), dist.output_upper());
  return values;
}

TEST(BoundRounding, ClampInsideMovesTheEdgeMassInward) {
  // U(-0.1, 0.1) in bfloat16: 0.1 rounds to 0x1.9Ap-4 (above 0.1); clamped, the
  // support ends at 0x1.98p-4, which then owns [0x1.97p-4, 0.1] (hand-worked).
  const auto nearest = ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::bfloat16);
  const auto clamped = ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::bfloat16,
                                                                         BoundRounding::clamp_inside);
  EXPECT_EQ(clamped.bound_rounding(), BoundRounding::clamp_inside);
  EXPECT_EQ(nearest.output_upper(), 0x1.9Ap-4);
  EXPECT_EQ(clamped.output_upper(), 0x1.98p-4);
  EXPECT_EQ(clamped.output_lower(), -0x1.98p-4);
  EXPECT_EQ(clamped.output_mass(0x1.9Ap-4), 0.0);
  EXPECT_DOUBLE_EQ(clamped.output_mass(0x1.98p-4), (0.1 - 0x1.97p-4) / 0.2);
  EXPECT_DOUBLE_EQ(clamped.output_mass(-0x1.98p-4), (0.1 - 0x1.97p-4) / 0.2);
  EXPECT_EQ(clamped.output_cdf(0x1.98p-4), 1.0);
  EXPECT_EQ(clamped.output_cdf(-0.5), 0.0);
  EXPECT_EQ(clamped.output_cdf_below(-0x1.98p-4), 0.0);
  EXPECT_DOUBLE_EQ(clamped.output_sf(0x1.96p-4), (0.1 - 0x1.97p-4) / 0.2);
  // Interior values are unchanged.
  EXPECT_EQ(clamped.output_mass(0.05), nearest.output_mass(0.05));
  EXPECT_EQ(clamped.output_cdf(0.05), nearest.output_cdf(0.05));
  // Representable bounds: the same as nearest.
  const auto unit = ReferenceDistribution::uniform(0.0, 1.0);
  EXPECT_EQ(unit.on_grid(OutputGrid::bfloat16, BoundRounding::clamp_inside).output_mass(1.0),
            unit.on_grid(OutputGrid::bfloat16).output_mass(1.0));
  // Normal and continuous outputs are not affected.
  const auto normal = ReferenceDistribution::normal(0.0, 1.0).on_grid(OutputGrid::bfloat16, BoundRounding::clamp_inside);
  EXPECT_EQ(normal.output_upper(), std::numeric_limits<double>::infinity());
  EXPECT_NE(clamped.describe().find("clamped"), std::string::npos);
  // No grid value inside the window.
  EXPECT_THROW((void)ReferenceDistribution::uniform(1.001, 1.002).on_grid(OutputGrid::bfloat16, BoundRounding::clamp_inside),
               std::invalid_argument);
}

TEST(BoundRounding, BatteryPassesClampedOutputAndRejectsItUnderNearest) {
  const auto sample = clamped_bfloat16_uniform(n, -0.1, 0.1, 3001);
  const auto clamped = ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::bfloat16,
                                                                         BoundRounding::clamp_inside);
  const auto results = run_battery(sample, clamped);
  for (const TestResult& r : results) EXPECT_NE(r.verdict, Verdict::fail) << r.name << " " << r.detail;
  // The same data against Y = round(X): the bounds are never reached.
  EXPECT_FALSE(none_failed(run_battery(sample, ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::bfloat16))));
}

TEST(BoundRounding, ClampedTruncatedNormalInFloat16Passes) {
  // Keras he_normal-like window whose bounds are not float16 values.
  const double sd = std::sqrt(2.0 / 72.0) / 0.87962566103423978;
  const auto dist = ReferenceDistribution::truncated_normal(0.0, sd, -2.0 * sd, 2.0 * sd)
                        .on_grid(OutputGrid::float16, BoundRounding::clamp_inside);
  auto values = testing::truncated_normal_sample(n, 0.0, sd, -2.0 * sd, 2.0 * sd, 3002);
  for (double& v : values) {
    v = std::clamp(static_cast<double>(round_to_grid(v, OutputGrid::float16)), dist.output_lower(), dist.output_upper());
  }
  const auto results = run_battery(values, dist);
  for (const TestResult& r : results) EXPECT_NE(r.verdict, Verdict::fail) << r.name << " " << r.detail;
}

TEST(SortedCopy, RadixSortMatchesStdSort) {
  std::mt19937_64 engine(3003);
  std::normal_distribution<double> normal(0.0, 1e3);
  std::vector<double> values(100000);
  for (double& v : values) v = normal(engine);
  values[10] = 0.0;
  values[11] = -0.0;
  values[12] = std::numeric_limits<double>::infinity();
  values[13] = -std::numeric_limits<double>::infinity();
  values[14] = std::numeric_limits<double>::denorm_min();
  values[15] = -std::numeric_limits<double>::denorm_min();
  values[16] = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 20; i < 1000; ++i) values[i] = values[i % 7];  // ties
  const std::vector<double> sorted = sorted_copy(values);
  std::vector<double> expected(values);
  std::erase_if(expected, [](double x) { return std::isnan(x); });
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(sorted.size(), values.size());
  for (std::size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(sorted[i], expected[i]) << i;
  EXPECT_TRUE(std::isnan(sorted.back()));
  EXPECT_TRUE(std::is_sorted(sorted.begin(), sorted.end() - 1));
}

TEST(Battery, ArtifactsHoldTheSortedSampleAndChunkPValues) {
  const auto sample = testing::normal_sample(1 << 18, 0.0, 1.0, 3004);
  BatteryArtifacts artifacts;
  const auto results = run_battery(sample, ReferenceDistribution::normal(0.0, 1.0), {}, artifacts);
  EXPECT_EQ(artifacts.sorted, sorted_copy(sample));
  EXPECT_EQ(artifacts.two_level_p_values.size(), 256u);
  for (const double p : artifacts.two_level_p_values) {
    EXPECT_GE(p, 0.0);
    EXPECT_LE(p, 1.0);
  }
  EXPECT_TRUE(none_failed(results));
}

}  // namespace
}  // namespace nninit::validation

namespace nninit::validation {
namespace {

TEST(AndersonDarling, AValueOnTheSupportBoundIsFinite) {
  // A float32 uniform on [0, 1) reaches 0 with probability 2^-24 and a float32
  // truncated normal reaches a representable bound by rounding: A^2 stays finite.
  auto sample = testing::uniform_sample(1 << 16, 0.0, 1.0, 3005);
  sample[123] = 0.0;
  const auto uniform = ReferenceDistribution::uniform(0.0, 1.0).on_grid(OutputGrid::float32);
  const TestResult result = anderson_darling_test(sorted_copy(sample), uniform);
  EXPECT_TRUE(std::isfinite(result.statistic));
  EXPECT_GT(result.p_value, 1e-3);
  const auto window = ReferenceDistribution::truncated_normal(0.0, 1.0, 4.0, 6.0);
  auto tail = testing::uniform_sample(1 << 16, 0.0, 1.0, 3006);
  for (double& x : tail) x = window.quantile(x);  // by inversion: rejection would take 2e9 draws
  tail[7] = 4.0;
  EXPECT_TRUE(std::isfinite(anderson_darling_statistic(sorted_copy(tail), window)));
  EXPECT_TRUE(std::isfinite(anderson_darling_statistic(sorted_copy(tail), window.on_grid(OutputGrid::float32))));
  // Strictly outside the support stays infinite.
  tail[8] = 3.5;
  EXPECT_TRUE(std::isinf(anderson_darling_statistic(sorted_copy(tail), window)));
}

}  // namespace
}  // namespace nninit::validation

namespace nninit::validation {
namespace {

TEST(OutputMoments, CoarseGridMomentsIncludeTheRounding) {
  // N(0.5, 0.02) in bfloat16: spacing 2^-8 above 0.5 and 2^-9 below, each
  // side half the mass, so Var(Y) ~ 0.02^2 + (2^-16 + 2^-18) / 24 (Sheppard).
  const auto normal = ReferenceDistribution::normal(0.5, 0.02).on_grid(OutputGrid::bfloat16);
  EXPECT_NEAR(normal.output_sd(), std::sqrt(0.02 * 0.02 + (0x1p-16 + 0x1p-18) / 24.0), 2e-7);
  EXPECT_NEAR(normal.output_mean(), 0.5, 2e-5);
  EXPECT_NEAR(normal.output_kurtosis(), 3.0, 1e-2);
  EXPECT_EQ(normal.sd(), 0.02);
  // A far-tail window in bfloat16: 0.17% larger sd than X's, as much as a
  // moment test resolves at 2^22 values (the common premise that rounding
  // is negligible holds only where the spacing is far below the sd).
  const auto tail = ReferenceDistribution::truncated_normal(0.0, 1.0, 4.0, 6.0)
                        .on_grid(OutputGrid::bfloat16, BoundRounding::clamp_inside);
  EXPECT_NEAR(tail.output_sd() / tail.sd(), 1.0017, 2e-4);
  // Continuous and float32 outputs: X's moments.
  const auto single = ReferenceDistribution::truncated_normal(0.0, 1.0, 4.0, 6.0).on_grid(OutputGrid::float32);
  EXPECT_EQ(single.output_sd(), single.sd());
  EXPECT_EQ(single.output_mean(), single.mean());
  EXPECT_EQ(ReferenceDistribution::uniform(0.0, 1.0).output_kurtosis(), 1.8);
}

}  // namespace
}  // namespace nninit::validation
