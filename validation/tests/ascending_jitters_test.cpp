// The coarse grid's Anderson–Darling jitters (validation/src/ascending_jitters.hpp):
// each distinct value's m jitters are the order statistics of m uniforms,
// the same in any slices and on every compilation, and their series sums
// are the term-by-term sums.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "../src/ascending_jitters.hpp"
#include "../src/jitter.hpp"
#include "../src/run_sums.hpp"
#include "nninit/validation/validation.hpp"

namespace nninit::validation {
namespace {

constexpr std::uint64_t seed = 0x5EED0A5CE9D1u;

std::vector<double> in_slices(double value, std::size_t count, std::size_t capacity) {
  std::vector<double> all;
  internal::AscendingJitters jitters(seed, value, count, capacity);
  for (auto slice = jitters.next(); !slice.empty(); slice = jitters.next()) {
    EXPECT_LE(slice.size(), std::max<std::size_t>(8, capacity));
    all.insert(all.end(), slice.begin(), slice.end());
  }
  return all;
}

TEST(AscendingJitters, AreTheOrderStatisticsOfUniforms) {
  const std::vector<double> u = internal::ascending_jitters(seed, 0.015625, 200000);
  ASSERT_EQ(u.size(), 200000u);
  for (std::size_t i = 0; i < u.size(); ++i) {
    ASSERT_GT(u[i], 0.0) << i;
    ASSERT_LT(u[i], 1.0) << i;
    if (i > 0) {
      ASSERT_GE(u[i], u[i - 1]) << i;
    }
  }
  std::vector<double> sorted = u;
  std::sort(sorted.begin(), sorted.end());
  const ReferenceDistribution uniform = ReferenceDistribution::uniform(0.0, 1.0);
  EXPECT_GT(ks_test(sorted, uniform).p_value, 1e-3);
  EXPECT_GT(anderson_darling_test_uniform(sorted).p_value, 1e-3);
  // Negative controls: the jitters squared, and raised to the power 1.03 (a
  // largest CDF error of about 0.011), must fail.
  std::vector<double> squared = sorted, bent = sorted;
  for (double& x : squared) x *= x;
  for (double& x : bent) x = std::pow(x, 1.03);
  EXPECT_LT(ks_test(squared, uniform).p_value, 1e-6);
  EXPECT_LT(anderson_darling_test_uniform(bent).p_value, 1e-6);
}

TEST(AscendingJitters, SmallGroupsAreUniformToo) {
  // Ten thousand values of three copies: the smallest, middle and largest of
  // three uniforms have laws 1 - (1 - x)^3, 3x^2 - 2x^3 and x^3; mapped
  // through them, each must be uniform.
  std::vector<double> low, middle, high;
  for (int v = 1; v <= 10000; ++v) {
    const std::vector<double> u = internal::ascending_jitters(seed, static_cast<double>(v) * 0.001, 3);
    ASSERT_EQ(u.size(), 3u);
    low.push_back(1.0 - std::pow(1.0 - u[0], 3.0));
    middle.push_back(3.0 * u[1] * u[1] - 2.0 * u[1] * u[1] * u[1]);
    high.push_back(u[2] * u[2] * u[2]);
  }
  const ReferenceDistribution uniform = ReferenceDistribution::uniform(0.0, 1.0);
  for (std::vector<double>* x : {&low, &middle, &high}) {
    std::sort(x->begin(), x->end());
    EXPECT_GT(ks_test(*x, uniform).p_value, 1e-3);
  }
  // Negative control: the largest mapped as if it were the middle one.
  std::vector<double> wrong;
  for (int v = 1; v <= 10000; ++v) {
    const double x = internal::ascending_jitters(seed, static_cast<double>(v) * 0.001, 3)[2];
    wrong.push_back(3.0 * x * x - 2.0 * x * x * x);
  }
  std::sort(wrong.begin(), wrong.end());
  EXPECT_LT(ks_test(wrong, uniform).p_value, 1e-6);
}

TEST(AscendingJitters, DependOnTheValueAndSeedButNotOnTheSlices) {
  const std::vector<double> whole = internal::ascending_jitters(seed, 0.25, 5000);
  for (const std::size_t capacity : {std::size_t{8}, std::size_t{64}, std::size_t{1000}, std::size_t{5000},
                                     std::size_t{5001}, std::size_t{1} << 20}) {
    EXPECT_EQ(in_slices(0.25, 5000, capacity), whole) << capacity;
  }
  EXPECT_NE(internal::ascending_jitters(seed, 0.25, 50), internal::ascending_jitters(seed, 0.5, 50));
  EXPECT_NE(internal::ascending_jitters(seed, 0.25, 50), internal::ascending_jitters(seed + 1, 0.25, 50));
  EXPECT_EQ(internal::ascending_jitters(seed, -0.0, 50), internal::ascending_jitters(seed, 0.0, 50));
  EXPECT_TRUE(internal::ascending_jitters(seed, 1.0, 0).empty());
  EXPECT_EQ(internal::ascending_jitters(seed, 1.0, 1).size(), 1u);
}

TEST(AscendingJitters, EveryCompilationGivesTheSameNumbers) {
  const internal::SeriesGroup group{0.3, 1e-4, 0.3 + 0.5e-4, 1.0 / (0.3 + 0.5e-4), 1.0 / (0.7 - 0.5e-4),
                                    std::log(0.3 + 0.5e-4), std::log1p(-(0.3 + 0.5e-4))};
  std::vector<std::vector<double>> jitters;
  std::vector<internal::SeriesSums> sums;
  for (int target = 0; target <= internal::best_run_sums_target(); ++target) {
    internal::set_run_sums_target(target);
    jitters.push_back(internal::ascending_jitters(seed, 0.125, 4101));
    sums.push_back(internal::anderson_darling_series_sums(jitters.back().data(), 4101, group));
  }
  internal::set_run_sums_target(-1);
  for (std::size_t t = 1; t < jitters.size(); ++t) {
    EXPECT_EQ(jitters[t], jitters[0]) << "target " << t;
    EXPECT_EQ(sums[t].low, sums[0].low) << "target " << t;
    EXPECT_EQ(sums[t].low_offset, sums[0].low_offset) << "target " << t;
    EXPECT_EQ(sums[t].high, sums[0].high) << "target " << t;
    EXPECT_EQ(sums[t].high_offset, sums[0].high_offset) << "target " << t;
  }
}

TEST(IndexJitters, AreJitterOfEachIndexBitForBitOnEveryCompilation) {
  // From index 2^40 - 5 (a start that is no multiple of 8), 1003 values (a tail).
  const std::uint64_t first = (std::uint64_t{1} << 40) - 5;
  std::vector<double> expected(1003);
  for (std::size_t k = 0; k < expected.size(); ++k) expected[k] = internal::jitter(seed, first + k);
  std::size_t large = 0;  // jitters whose 53 bits reach 2^52 (+ 0.5 rounds there)
  for (std::size_t k = 0; k < expected.size(); ++k) large += internal::jitter_bits(seed, first + k) >> 52;
  EXPECT_GT(large, 300u);
  for (int target = 0; target <= internal::best_run_sums_target(); ++target) {
    internal::set_run_sums_target(target);
    std::vector<double> got(expected.size());
    internal::index_jitters(seed, first, got.size(), got.data());
    EXPECT_EQ(got, expected) << "target " << target;
  }
  internal::set_run_sums_target(-1);
  // Negative control: another seed gives other jitters.
  std::vector<double> other(expected.size());
  internal::index_jitters(seed + 1, first, other.size(), other.data());
  EXPECT_NE(other, expected);
}

TEST(AscendingJitters, SeriesSumsAreTheTermByTermSums) {
  const double below = 0.3, mass = 1e-4, c = below + 0.5 * mass;
  const internal::SeriesGroup group{below, mass, c, 1.0 / c, 1.0 / (1.0 - c), std::log(c), std::log1p(-c)};
  const std::vector<double> u = internal::ascending_jitters(seed, 0.125, 1003);  // not a multiple of 8
  long double low = 0, low_offset = 0, high = 0, high_offset = 0;
  for (std::size_t k = 0; k < u.size(); ++k) {
    const long double x = static_cast<long double>(below) + static_cast<long double>(u[k]) * mass;
    low += std::log(x);
    low_offset += static_cast<long double>(k) * std::log(x);
    high += std::log1p(-x);
    high_offset += static_cast<long double>(k) * std::log1p(-x);
  }
  const internal::SeriesSums sums = internal::anderson_darling_series_sums(u.data(), u.size(), group);
  EXPECT_NEAR(sums.low / static_cast<double>(low), 1.0, 1e-14);
  EXPECT_NEAR(sums.low_offset / static_cast<double>(low_offset), 1.0, 1e-14);
  EXPECT_NEAR(sums.high / static_cast<double>(high), 1.0, 1e-14);
  EXPECT_NEAR(sums.high_offset / static_cast<double>(high_offset), 1.0, 1e-14);
  // Negative control: a group whose u is off by a tenth of its width must not match.
  internal::SeriesGroup shifted = group;
  shifted.below += 0.1 * mass;
  const internal::SeriesSums off = internal::anderson_darling_series_sums(u.data(), u.size(), shifted);
  EXPECT_GT(std::fabs(off.low / static_cast<double>(low) - 1.0), 1e-8);
}

}  // namespace
}  // namespace nninit::validation
