// BatteryOptions::progress: called with a fraction that starts at or above 0,
// never decreases and ends at 1, on every kind of sample (float32, float64,
// the bits of bfloat16), and the results do not depend on it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "nninit/validation/validation.hpp"

namespace nninit::validation {
namespace {

struct Recorded {
  std::vector<double> fractions;
  bool well_formed() const {
    if (fractions.empty() || fractions.back() != 1.0) return false;
    for (std::size_t i = 0; i < fractions.size(); ++i) {
      if (!(fractions[i] >= 0.0 && fractions[i] <= 1.0)) return false;
      if (i > 0 && fractions[i] < fractions[i - 1]) return false;
    }
    return true;
  }
};

bool same_results(const std::vector<TestResult>& a, const std::vector<TestResult>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const bool statistic_equal = a[i].statistic == b[i].statistic ||
                                 (std::isnan(a[i].statistic) && std::isnan(b[i].statistic));
    if (a[i].name != b[i].name || !statistic_equal || a[i].verdict != b[i].verdict) return false;
  }
  return true;
}

std::vector<double> normal_sample(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal(0.0, 0.02);
  std::vector<double> values(n);
  for (double& v : values) v = normal(engine);
  return values;
}

TEST(BatteryProgress, Float32ReachesOneWithoutGoingBack) {
  const std::vector<double> source = normal_sample(100000, 11);
  const ReferenceDistribution dist = ReferenceDistribution::normal(0.0, 0.02).on_grid(OutputGrid::float32);
  std::vector<float> plain(source.begin(), source.end()), watched = plain;
  Recorded recorded;
  BatteryOptions options;
  options.progress = [&](double fraction) { recorded.fractions.push_back(fraction); };
  const auto with = run_battery_in_place(std::span<float>(watched), dist, options);
  const auto without = run_battery_in_place(std::span<float>(plain), dist);
  EXPECT_TRUE(recorded.well_formed());
  EXPECT_GE(recorded.fractions.size(), 10u);  // one call per block of the storage pass at least
  EXPECT_TRUE(same_results(with, without));
}

TEST(BatteryProgress, Float64AndTheCopyingBatteryReachOne) {
  std::vector<double> values = normal_sample(50000, 12);
  const ReferenceDistribution dist = ReferenceDistribution::normal(0.0, 0.02);
  Recorded in_place, copying;
  BatteryOptions options;
  options.progress = [&](double fraction) { copying.fractions.push_back(fraction); };
  (void)run_battery(values, dist, options);
  options.progress = [&](double fraction) { in_place.fractions.push_back(fraction); };
  (void)run_battery_in_place(std::span<double>(values), dist, options);
  EXPECT_TRUE(copying.well_formed());
  EXPECT_TRUE(in_place.well_formed());
}

TEST(BatteryProgress, Bfloat16KeysReachOne) {
  const std::vector<double> source = normal_sample(100000, 13);
  std::vector<std::uint16_t> bits(source.size());
  for (std::size_t i = 0; i < source.size(); ++i) {
    bits[i] = *double_to_half_bits(round_to_grid(source[i], OutputGrid::bfloat16), HalfFormat::bfloat16);
  }
  const ReferenceDistribution dist = ReferenceDistribution::normal(0.0, 0.02).on_grid(OutputGrid::bfloat16);
  Recorded recorded;
  BatteryOptions options;
  options.progress = [&](double fraction) { recorded.fractions.push_back(fraction); };
  std::vector<std::uint16_t> plain = bits;
  const auto with = run_battery_in_place(std::span<std::uint16_t>(bits), HalfFormat::bfloat16, dist, options);
  const auto without = run_battery_in_place(std::span<std::uint16_t>(plain), HalfFormat::bfloat16, dist);
  EXPECT_TRUE(recorded.well_formed());
  EXPECT_TRUE(same_results(with, without));
}

// The check itself rejects a sequence that goes back or stops short.
TEST(BatteryProgress, NegativeControlTheCheckRejectsBadSequences) {
  EXPECT_FALSE((Recorded{{0.1, 0.5, 0.4, 1.0}}.well_formed()));
  EXPECT_FALSE((Recorded{{0.1, 0.5, 0.9}}.well_formed()));
  EXPECT_FALSE((Recorded{{}}.well_formed()));
  EXPECT_TRUE((Recorded{{0.0, 0.5, 1.0, 1.0}}.well_formed()));
}

}  // namespace
}  // namespace nninit::validation
