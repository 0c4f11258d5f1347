// The two-pass battery (a streaming pass in storage order, then a pass over
// the sorted values; the values in their own dtype) against the battery
// computed the straightforward way (reference_battery.hpp) on the same
// samples: the same tests in the same order, statistics and p-values equal
// within the tolerances validation/README.md states ("Memory and speed").
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "../src/ascending_jitters.hpp"
#include "../src/battery_core.hpp"
#include "../src/battery_passes.hpp"
#include "nninit/validation/validation.hpp"
#include "reference_battery.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

// |a - b| <= relative max(|a|, |b|) + absolute; NaNs and infinities must match.
bool close(double a, double b, double relative, double absolute) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= relative * std::fmax(std::fabs(a), std::fabs(b)) + absolute;
}

struct Tolerance {
  double relative;
  double absolute;
  double p_relative;  // of the p-value, which moves with its statistic
  double p_absolute;
};

// The stated tolerances. Anderson–Darling: the sum of n terms of size up to
// 2n log F is accumulated in another order (the reference's own long double
// rounding is about 1e-7 at n = 2^28); correlations and moments: blocks of
// doubles merged in long double instead of one long double sum (the mean's t
// moves by one unit in the last place of the mean over its standard error:
// 5e-11 for N(10, 0.01) at n = 70000); Kolmogorov–Smirnov and the two-level
// test: F from the tables (within 1.2e-16 of erfc's); every other statistic
// is computed from the same numbers and is equal.
Tolerance tolerance_of(const std::string& name) {
  if (name == "anderson_darling") return {2e-9, 1e-12, 2e-8, 1e-12};
  if (name.starts_with("serial_correlation") || name.starts_with("correlation")) return {1e-11, 1e-13, 1e-10, 1e-13};
  if (name == "mean") return {1e-12, 1e-9, 1e-9, 1e-10};
  if (name == "standard_deviation") return {1e-12, 1e-13, 1e-8, 1e-12};
  if (name == "kolmogorov_smirnov") return {0.0, 3e-16, 0.0, 1e-12};
  if (name == "two_level_ks") return {0.0, 1e-13, 0.0, 1e-11};
  return {0.0, 0.0, 0.0, 0.0};
}
constexpr double chunk_p_tolerance = 1e-12;

// The largest deviations of one sample, printed for validation/README.md.
double worst_ad = 0.0, worst_correlation = 0.0, worst_moment = 0.0, worst_ks = 0.0, worst_chunk = 0.0;

void expect_same_battery(const std::vector<TestResult>& reference, const std::vector<TestResult>& two_pass,
                         const std::string& what) {
  ASSERT_EQ(reference.size(), two_pass.size()) << what;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const TestResult& r = reference[i];
    const TestResult& t = two_pass[i];
    ASSERT_EQ(r.name, t.name) << what;
    EXPECT_EQ(r.sample_size, t.sample_size) << what << " " << r.name;
    EXPECT_EQ(r.verdict, t.verdict) << what << " " << r.name;
    const Tolerance tol = tolerance_of(r.name);
    EXPECT_TRUE(close(r.statistic, t.statistic, tol.relative, tol.absolute))
        << what << " " << r.name << ": statistic " << r.statistic << " vs " << t.statistic;
    // A p-value moves with its statistic (at most by its slope, a few units per unit here).
    EXPECT_TRUE(close(r.p_value, t.p_value, tol.p_relative, tol.p_absolute))
        << what << " " << r.name << ": p " << r.p_value << " vs " << t.p_value;
    const double measured_relative = std::fmax(tol.relative, 1e-12);  // a mean, an sd, a fraction of chunks
    EXPECT_TRUE(close(r.measured, t.measured, measured_relative, tol.absolute)) << what << " " << r.name;
    EXPECT_TRUE(close(r.ci_low, t.ci_low, measured_relative, tol.absolute)) << what << " " << r.name;
    EXPECT_TRUE(close(r.ci_high, t.ci_high, measured_relative, tol.absolute)) << what << " " << r.name;
    EXPECT_TRUE(close(r.target, t.target, 0.0, 0.0)) << what << " " << r.name;
    if (r.name != "standard_deviation") {
      EXPECT_EQ(r.detail, t.detail) << what << " " << r.name;
    }
    const double deviation = std::fabs(r.statistic - t.statistic) / std::fmax(std::fabs(r.statistic), 1e-300);
    if (r.name == "anderson_darling") worst_ad = std::fmax(worst_ad, deviation);
    if (r.name.find("correlation") != std::string::npos) worst_correlation = std::fmax(worst_correlation, deviation);
    if (r.name == "mean" || r.name == "standard_deviation") worst_moment = std::fmax(worst_moment, deviation);
    if (r.name == "kolmogorov_smirnov") worst_ks = std::fmax(worst_ks, std::fabs(r.statistic - t.statistic));
  }
}

std::vector<float> as_floats(const std::vector<double>& values) {
  return std::vector<float>(values.begin(), values.end());
}
std::vector<double> as_doubles(const std::vector<float>& values) {
  return std::vector<double>(values.begin(), values.end());
}

// The same values through every entry point: run_battery on doubles, and in
// place in the given storage; all against the reference.
void expect_every_entry_point_agrees(const std::vector<double>& sample, const ReferenceDistribution& dist,
                                     const std::string& what, const BatteryOptions& options = {}) {
  worst_ad = worst_correlation = worst_moment = worst_ks = worst_chunk = 0.0;
  std::vector<double> reference_chunks;
  const std::vector<TestResult> reference = testing::reference_battery(sample, dist, options, &reference_chunks);
  BatteryArtifacts artifacts;
  const std::vector<TestResult> doubles = run_battery(sample, dist, options, artifacts);
  expect_same_battery(reference, doubles, what + " (run_battery)");
  // The artifacts: the sorted finite values and the chunk p-values of the reference.
  std::vector<double> finite;
  for (const double x : sample) {
    if (std::isfinite(x)) finite.push_back(x);
  }
  EXPECT_EQ(artifacts.sorted, sorted_copy(finite)) << what;
  ASSERT_EQ(artifacts.two_level_p_values.size(), reference_chunks.size()) << what;
  for (std::size_t c = 0; c < reference_chunks.size(); ++c) {
    EXPECT_NEAR(artifacts.two_level_p_values[c], reference_chunks[c], chunk_p_tolerance) << what << " chunk " << c;
    worst_chunk = std::fmax(worst_chunk, std::fabs(artifacts.two_level_p_values[c] - reference_chunks[c]));
  }
  std::vector<double> in_place_doubles = sample;
  const std::vector<TestResult> in_place = run_battery_in_place(std::span<double>(in_place_doubles), dist, options);
  expect_same_battery(reference, in_place, what + " (in place, double)");
  // In their own dtype where they are one: exactly what run_battery gives.
  const bool floats = std::all_of(sample.begin(), sample.end(), [](double x) {
    return std::isnan(x) || static_cast<double>(static_cast<float>(x)) == x;
  });
  if (floats) {
    std::vector<float> stored = as_floats(sample);
    const std::vector<TestResult> f32 = run_battery_in_place(std::span<float>(stored), dist, options);
    ASSERT_EQ(f32.size(), doubles.size());
    for (std::size_t i = 0; i < f32.size(); ++i) {
      EXPECT_TRUE(close(f32[i].statistic, doubles[i].statistic, 0.0, 0.0)) << what << " float " << f32[i].name;
      EXPECT_TRUE(close(f32[i].p_value, doubles[i].p_value, 0.0, 0.0)) << what << " float " << f32[i].name;
    }
  }
  std::cout << what << ": largest relative deviation of anderson_darling " << worst_ad << ", correlations "
            << worst_correlation << ", mean / sd " << worst_moment << "; absolute: KS D " << worst_ks
            << ", chunk p-values " << worst_chunk << "\n";
  for (const HalfFormat format : {HalfFormat::bfloat16, HalfFormat::float16}) {
    std::vector<std::uint16_t> bits;
    for (const double x : sample) {
      const auto b = std::isnan(x) ? std::optional<std::uint16_t>(0x7FC0) : double_to_half_bits(x, format);
      if (!b && !std::isinf(x)) break;
      bits.push_back(b ? *b : static_cast<std::uint16_t>(x > 0 ? (format == HalfFormat::bfloat16 ? 0x7F80 : 0x7C00)
                                                                : (format == HalfFormat::bfloat16 ? 0xFF80 : 0xFC00)));
    }
    if (bits.size() != sample.size()) continue;  // not all values of this format
    const std::vector<TestResult> half = run_battery_in_place(std::span<std::uint16_t>(bits), format, dist, options);
    ASSERT_EQ(half.size(), doubles.size());
    for (std::size_t i = 0; i < half.size(); ++i) {
      EXPECT_TRUE(close(half[i].statistic, doubles[i].statistic, 0.0, 0.0)) << what << " 16-bit " << half[i].name;
      EXPECT_TRUE(close(half[i].p_value, doubles[i].p_value, 0.0, 0.0)) << what << " 16-bit " << half[i].name;
    }
  }
}

constexpr std::size_t n = std::size_t{1} << 19;

TEST(TwoPassBattery, Float32NormalAsTheSuiteAndTheCliTestIt) {
  const auto sample = as_doubles(as_floats(testing::normal_sample(n, 0.0, 0.02, 4001)));
  expect_every_entry_point_agrees(sample, ReferenceDistribution::normal(0.0, 0.02).on_grid(OutputGrid::float32),
                                  "float32 normal");
  // A negative control must fail the same tests in both.
  const auto wide = as_doubles(as_floats(testing::normal_sample(n, 0.0, 0.0202, 4002)));
  expect_every_entry_point_agrees(wide, ReferenceDistribution::normal(0.0, 0.02).on_grid(OutputGrid::float32),
                                  "float32 normal, sd 1% large");
}

TEST(TwoPassBattery, ContinuousUniformAndTruncatedNormal) {
  expect_every_entry_point_agrees(testing::uniform_sample(n, -2.0, 3.0, 4003), ReferenceDistribution::uniform(-2.0, 3.0),
                                  "uniform");
  const double sd = 0.03;
  const auto truncated = as_doubles(as_floats(testing::truncated_normal_sample(n, 0.1, sd, 0.1 - 2 * sd, 0.1 + 2 * sd, 4004)));
  expect_every_entry_point_agrees(
      truncated,
      ReferenceDistribution::truncated_normal(0.1, sd, 0.1 - 2 * sd, 0.1 + 2 * sd).on_grid(OutputGrid::float32),
      "truncated normal");
  // Far in the tail, where the table gives way to erfc.
  const auto window = ReferenceDistribution::truncated_normal(0.0, 1.0, 4.0, 6.0);
  std::vector<double> tail = testing::uniform_sample(20000, 0.0, 1.0, 4005);
  for (double& x : tail) x = window.quantile(x);  // by inversion: rejection would take 6e8 draws
  expect_every_entry_point_agrees(tail, window, "tail window");
}

TEST(TwoPassBattery, ValuesOnTheBoundsTiesZerosAndNonFiniteValues) {
  // PyTorch-like float32 U(-b, b) with u = 0 planted: values at float32(-b),
  // below -b (Anderson–Darling's rounding-interval fallback), many ties, -0
  // and +0, and NaN / infinities among them.
  const double bound = std::sqrt(6.0 / 4096.0);
  const float low = static_cast<float>(-bound), high = static_cast<float>(bound);
  std::mt19937_64 engine(4006);
  std::vector<double> sample(std::size_t{1} << 17);
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const float u = i % 997 == 0 ? 0.0f : static_cast<float>(engine() >> 40) * 0x1p-24f;
    sample[i] = static_cast<double>(u * (high - low) + low);
  }
  for (std::size_t i = 0; i < 300; ++i) sample[engine() % sample.size()] = i % 2 == 0 ? 0.0 : -0.0;
  BatteryOptions options;
  options.bounds.atom_allowance = 1.0 / 997.0;
  const auto dist = ReferenceDistribution::uniform(-bound, bound).on_grid(OutputGrid::float32);
  expect_every_entry_point_agrees(sample, dist, "float32 uniform with u = 0", options);
  sample[5] = std::nan("");
  sample[77] = HUGE_VAL;
  sample[1234] = -HUGE_VAL;
  expect_every_entry_point_agrees(sample, dist, "with non-finite values", options);
  // The same on a normal: -0 / +0 at the centre, where F = 1/2 is an edge of the equiprobable bins.
  auto normal = as_doubles(as_floats(testing::normal_sample(std::size_t{1} << 16, 0.0, 1.0, 4007)));
  for (std::size_t i = 0; i < 2000; ++i) normal[i * 31] = i % 3 == 0 ? -0.0 : 0.0;
  expect_every_entry_point_agrees(normal, ReferenceDistribution::normal(0.0, 1.0).on_grid(OutputGrid::float32),
                                  "normal with zeros");
}

TEST(TwoPassBattery, CoarseGrids) {
  const auto bf16 = testing::rounded_to_bfloat16(testing::normal_sample(n, 0.0, 0.02, 4008));
  const auto bf16_dist = ReferenceDistribution::normal(0.0, 0.02).on_grid(OutputGrid::bfloat16);
  expect_every_entry_point_agrees(bf16, bf16_dist, "bfloat16 normal");
  const double sd = 0.02;
  std::vector<double> f16 = testing::truncated_normal_sample(n, 0.0, sd, -2 * sd, 2 * sd, 4009);
  for (double& x : f16) x = round_to_grid(x, OutputGrid::float16);
  expect_every_entry_point_agrees(
      f16,
      ReferenceDistribution::truncated_normal(0.0, sd, -2 * sd, 2 * sd).on_grid(OutputGrid::float16,
                                                                                BoundRounding::clamp_inside),
      "float16 truncated normal, clamped");
  // bfloat16 values tested on the float16 grid: converted in place, or off the
  // grid with the reference's own message.
  std::vector<double> coarse = testing::rounded_to_bfloat16(testing::uniform_sample(20000, 0.5, 1.0, 4010));
  expect_every_entry_point_agrees(coarse, ReferenceDistribution::uniform(0.5, 1.0).on_grid(OutputGrid::float16),
                                  "bfloat16 values on the float16 grid");
  coarse[123] = std::ldexp(1.0, -30);  // a bfloat16 value that no float16 holds
  std::string expected;
  try {
    (void)testing::reference_battery(coarse, ReferenceDistribution::uniform(0.5, 1.0).on_grid(OutputGrid::float16));
  } catch (const std::invalid_argument& error) {
    expected = error.what();
  }
  ASSERT_FALSE(expected.empty());
  std::vector<std::uint16_t> bits;
  for (const double x : coarse) bits.push_back(*double_to_half_bits(x, HalfFormat::bfloat16));
  try {
    (void)run_battery_in_place(std::span<std::uint16_t>(bits), HalfFormat::bfloat16,
                               ReferenceDistribution::uniform(0.5, 1.0).on_grid(OutputGrid::float16));
    ADD_FAILURE() << "no error for a value off the grid";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()), expected);
  }
}

TEST(TwoPassBattery, SizesAroundTheTwoLevelThresholdAndExtremeInputs) {
  for (const std::size_t size : {100u, 101u, 5119u, 5120u, 5121u, 70000u}) {
    const auto sample = testing::normal_sample(size, 10.0, 0.01, 4011 + size);  // far from 0: no digits lost
    expect_every_entry_point_agrees(sample, ReferenceDistribution::normal(10.0, 0.01), "n = " + std::to_string(size));
  }
  auto huge = testing::normal_sample(100000, 0.0, 1.0, 4012);
  huge[5] = 1e200;  // the moments' power-of-two scaling
  expect_every_entry_point_agrees(huge, ReferenceDistribution::normal(0.0, 1.0), "one value of 1e200");
  expect_every_entry_point_agrees(std::vector<double>(1000, 0.25), ReferenceDistribution::normal(0.25, 1.0), "constant");
  EXPECT_THROW((void)run_battery_in_place(std::span<float>(std::vector<float>(99, 0.0f).data(), 99),
                                          ReferenceDistribution::normal(0.0, 1.0)),
               std::invalid_argument);
}

TEST(TwoPassBattery, ChunkKolmogorovSmirnovWithoutSortingIsExact) {
  std::mt19937_64 engine(4013);
  internal::UnsortedKolmogorovSmirnov unsorted;
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t m = 5 + engine() % 40000;
    std::vector<double> u(m);
    const int kind = trial % 4;
    for (double& x : u) {
      x = static_cast<double>(engine() >> 11) * 0x1p-53;
      if (kind == 1) x = std::floor(x * 50.0) / 50.0;        // heavy ties, crowded buckets
      if (kind == 2) x = x * x * x;                          // far from uniform: D large
      if (kind == 3 && engine() % 100 == 0) x = engine() % 2 == 0 ? -0.5 : 1.5;  // outside [0, 1]: clamped
    }
    std::vector<double> sorted = u;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_EQ(unsorted.statistic(u), ks_statistic_uniform(sorted)) << "trial " << trial << " m " << m;
  }
}

TEST(TwoPassBattery, CoMomentsMatchTheLongDoubleTwoPassSums) {
  std::mt19937_64 engine(4014);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> x(100003), y(100003);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = 5.0 + normal(engine);
    y[i] = -3.0 + 0.3 * x[i] + normal(engine);
  }
  internal::CoMomentAccumulator blocks;
  for (std::size_t begin = 0; begin < x.size(); begin += 16384) {
    blocks.add(x.data() + begin, y.data() + begin, std::min<std::size_t>(16384, x.size() - begin));
  }
  const CoMoments reference = co_moments(x, y);
  EXPECT_EQ(blocks.moments().count, reference.count);
  EXPECT_NEAR(static_cast<double>(blocks.moments().sxx / reference.sxx), 1.0, 1e-13);
  EXPECT_NEAR(static_cast<double>(blocks.moments().syy / reference.syy), 1.0, 1e-13);
  EXPECT_NEAR(static_cast<double>(blocks.moments().sxy / reference.sxy), 1.0, 1e-13);
  // A constant input: exact zeros (correlation undefined), not rounding noise.
  std::vector<double> constant(50000, 0.1);
  internal::CoMomentAccumulator flat;
  flat.add(constant.data(), constant.data(), 30000);
  flat.add(constant.data(), constant.data(), 20000);
  EXPECT_EQ(flat.moments().sxx, 0.0L);
  EXPECT_EQ(flat.moments().sxy, 0.0L);
}

TEST(TwoPassBattery, CoarseAndersonDarlingIsTheSortedTransformOfTheHistogram) {
  // Half the values are one bfloat16 value: a group of 150000 jitters, summed
  // in many slices of 4096.
  auto values = testing::rounded_to_bfloat16(testing::normal_sample(300000, 0.0, 1.0, 4015));
  for (std::size_t i = 0; i < values.size(); i += 2) values[i] = 0.5;
  const auto dist = ReferenceDistribution::normal(0.0, 1.0).on_grid(OutputGrid::bfloat16);
  std::vector<std::uint16_t> keys;
  for (const double x : values) keys.push_back(*double_to_half_bits(x, HalfFormat::bfloat16));
  // The reference: every value's u from its value's ascending jitters, sorted.
  const std::vector<double> sorted = sorted_copy(values);
  std::vector<double> u;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    const double below = dist.output_cdf_below(sorted[i]), mass = dist.output_cdf(sorted[i]) - below;
    for (const double jitter : internal::ascending_jitters(default_jitter_seed, sorted[i], j - i)) {
      u.push_back(below + jitter * mass);
    }
    i = j;
  }
  std::sort(u.begin(), u.end());
  const double reference = anderson_darling_statistic_uniform(u);
  const double statistic = internal::coarse_anderson_darling(keys, HalfFormat::bfloat16, dist, default_jitter_seed);
  EXPECT_NEAR(statistic, reference, 2e-9 * std::fabs(reference));
  // Only the histogram counts: the keys reversed give the same bits; another
  // jitter seed another statistic (same law).
  std::vector<std::uint16_t> reversed(keys.rbegin(), keys.rend());
  EXPECT_EQ(internal::coarse_anderson_darling(reversed, HalfFormat::bfloat16, dist, default_jitter_seed), statistic);
  EXPECT_NE(internal::coarse_anderson_darling(keys, HalfFormat::bfloat16, dist, default_jitter_seed + 1), statistic);
  // A sample of the law passes (A^2 below 6: p above about 6e-4) and fails against
  // a law with a 3% larger sd (the negative control).
  std::vector<std::uint16_t> normal;
  for (const double x : testing::rounded_to_bfloat16(testing::normal_sample(300000, 0.0, 1.0, 4017))) {
    normal.push_back(*double_to_half_bits(x, HalfFormat::bfloat16));
  }
  EXPECT_LT(internal::coarse_anderson_darling(normal, HalfFormat::bfloat16, dist, default_jitter_seed), 6.0);
  const auto wider = ReferenceDistribution::normal(0.0, 1.03).on_grid(OutputGrid::bfloat16);
  EXPECT_GT(internal::coarse_anderson_darling(normal, HalfFormat::bfloat16, wider, default_jitter_seed), 20.0);
}

TEST(TwoPassBattery, GridCellsForAnEmptySampleScaleWithTheCount) {
  // The battery asks grid_cells for the cells of n values with an empty
  // sample and min_expected_count / n: the same cells as for n values.
  const auto dist = ReferenceDistribution::normal(0.0, 0.02).on_grid(OutputGrid::bfloat16);
  const auto sample = sorted_copy(testing::rounded_to_bfloat16(testing::normal_sample(123457, 0.0, 0.02, 4016)));
  const std::vector<GridCell> cells = grid_cells(sample, dist, 10.0);
  const std::vector<GridCell> empty = grid_cells({}, dist, 10.0 / static_cast<double>(sample.size()));
  ASSERT_EQ(cells.size(), empty.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    EXPECT_EQ(cells[i].first, empty[i].first);
    EXPECT_EQ(cells[i].last, empty[i].last);
    EXPECT_EQ(cells[i].probability, empty[i].probability);
    EXPECT_EQ(empty[i].observed, 0u);
  }
}

}  // namespace
}  // namespace nninit::validation
