// The battery's faster building blocks against the straightforward
// computations they replace: CdfTable::evaluate_many (four values at once,
// baseline and AVX2 compilations) against evaluate value by value, the chunk Kolmogorov–Smirnov statistic from the
// values (F at a few values per bucket) against sorting F of every value, the
// vectorised key-range test against the scalar one, and the binary-search
// counts of a sorted sample against a pass over every value.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "../src/battery_core.hpp"
#include "../src/battery_passes.hpp"
#include "../src/cdf_table_dispatch.hpp"
#include "../src/chunk_kolmogorov_smirnov.hpp"
#include "../src/key_range.hpp"
#include "nninit/validation/cdf_table.hpp"
#include "nninit/validation/validation.hpp"

namespace nninit::validation {
namespace {

// evaluate_many against evaluate, bit for bit, in both compilations.
void expect_evaluate_many_is_evaluate(const CdfTable& cdf, const std::vector<double>& x, const std::string& what) {
  for (const bool avx2 : {true, false}) {
    internal::set_cdf_table_avx2_allowed(avx2);
    std::vector<double> f(x.size()), q(x.size()), log_f(x.size()), log_q(x.size());
    cdf.evaluate_many(x, f.data(), q.data(), log_f.data(), log_q.data());
    for (std::size_t r = 0; r < x.size(); ++r) {
      double ef, eq, elf, elq;
      cdf.evaluate(x[r], ef, eq, elf, elq);
      ASSERT_EQ(std::bit_cast<std::uint64_t>(f[r]), std::bit_cast<std::uint64_t>(ef)) << what << " f " << r << " " << x[r];
      ASSERT_EQ(std::bit_cast<std::uint64_t>(q[r]), std::bit_cast<std::uint64_t>(eq)) << what << " q " << r;
      ASSERT_EQ(std::bit_cast<std::uint64_t>(log_f[r]), std::bit_cast<std::uint64_t>(elf)) << what << " log_f " << r;
      ASSERT_EQ(std::bit_cast<std::uint64_t>(log_q[r]), std::bit_cast<std::uint64_t>(elq)) << what << " log_q " << r;
    }
  }
  internal::set_cdf_table_avx2_allowed(true);
}

TEST(CdfTableEvaluateMany, FourAtOnceGivesTheScalarNumbers) {
  std::mt19937_64 engine(4105);
  std::normal_distribution<double> normal(0.1, 0.02);
  std::vector<double> x(200003);
  for (double& v : x) v = static_cast<double>(static_cast<float>(normal(engine)));
  // Beyond both tables' reach, at and next to the mean, and +-0 (z = -0 and +0).
  x[7] = 0.1 + 0.02 * 9.0;
  x[8] = 0.1 - 0.02 * 4.5;
  x[9] = 0.1;
  x[10] = std::nextafter(0.1, 1.0);
  const auto dist = ReferenceDistribution::normal(0.1, 0.02).on_grid(OutputGrid::float32);
  const CdfTable cdf(dist);
  expect_evaluate_many_is_evaluate(cdf, x, "unsorted normal");  // mostly one value per group in scalar
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  expect_evaluate_many_is_evaluate(cdf, sorted, "sorted normal");  // mostly four at once
  std::vector<double> zeros(4001);
  for (std::size_t i = 0; i < zeros.size(); ++i) zeros[i] = i % 2 == 0 ? -0.0 : (i % 3 == 0 ? 1e-300 : 0.0);
  expect_evaluate_many_is_evaluate(CdfTable(ReferenceDistribution::normal(0.0, 1.0)), zeros, "zeros");
  std::vector<double> spread(5001);
  for (std::size_t i = 0; i < spread.size(); ++i) spread[i] = -30.0 + 60.0 * static_cast<double>(i) / 5000.0;
  expect_evaluate_many_is_evaluate(CdfTable(ReferenceDistribution::normal(0.0, 1.0)), spread, "-30 .. 30");
  expect_evaluate_many_is_evaluate(CdfTable(ReferenceDistribution::uniform(-25.0, 25.0)), spread, "uniform");
  expect_evaluate_many_is_evaluate(CdfTable(ReferenceDistribution::truncated_normal(0.0, 2.0, -4.0, 4.0)), spread,
                                   "truncated normal");
  // A negative control of the comparison: a table of another law differs.
  const CdfTable other(ReferenceDistribution::normal(0.1, 0.0201));
  std::vector<double> f(sorted.size()), q(sorted.size()), log_f(sorted.size()), log_q(sorted.size());
  other.evaluate_many(sorted, f.data(), q.data(), log_f.data(), log_q.data());
  double ef, eq, elf, elq;
  cdf.evaluate(sorted[1000], ef, eq, elf, elq);
  EXPECT_NE(f[1000], ef);
}

double reference_chunk_d(const std::vector<double>& x, const CdfTable& cdf) {
  std::vector<double> u;
  for (const double v : x) u.push_back(cdf.cdf(v));
  std::sort(u.begin(), u.end());
  return ks_statistic_uniform(u);
}

TEST(ValueKolmogorovSmirnov, EqualsTheStatisticOfTheSortedTransform) {
  std::mt19937_64 engine(4101);
  const auto dist = ReferenceDistribution::normal(0.1, 0.02).on_grid(OutputGrid::float32);
  const CdfTable cdf(dist);
  const auto f = [&cdf](double v) { return cdf.cdf(v); };
  internal::ValueKolmogorovSmirnov<decltype(f)> chunks(f, dist.mean() - 8.0 * dist.sd(), dist.mean() + 8.0 * dist.sd());
  std::normal_distribution<double> normal(0.1, 0.02);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t m = 5 + engine() % 40000;
    std::vector<double> x(m);
    const int kind = trial % 5;
    for (double& v : x) {
      v = static_cast<double>(static_cast<float>(normal(engine)));
      if (kind == 1) v = 0.1 + std::round((v - 0.1) * 200.0) / 200.0;  // heavy ties, crowded buckets
      if (kind == 2) v = 0.1 + 0.3 * (v - 0.1);                         // far from the law: D large
      if (kind == 3 && engine() % 100 == 0) v = engine() % 2 == 0 ? -1e30 : 7.0;  // beyond the table's range
      if (kind == 4) v = trial % 2 == 0 ? 0.1 : 0.1 + static_cast<double>(engine() % 3) * 1e-9;  // (nearly) constant
    }
    ASSERT_EQ(chunks.statistic(x), reference_chunk_d(x, cdf)) << "trial " << trial << " m " << m;
  }
}

TEST(ValueKolmogorovSmirnov, ADegenerateRangePutsEverythingInOneBucketAndStaysExact) {
  const auto dist = ReferenceDistribution::uniform(-1.0, 1.0);
  const CdfTable cdf(dist);
  const auto f = [&cdf](double v) { return cdf.cdf(v); };
  internal::ValueKolmogorovSmirnov<decltype(f)> chunks(f, 0.0, 0.0);
  std::mt19937_64 engine(4102);
  std::vector<double> x(5000);
  for (double& v : x) v = static_cast<double>(engine() >> 11) * 0x1p-52 - 1.0;
  EXPECT_EQ(chunks.statistic(x), reference_chunk_d(x, cdf));
  // A negative control: the statistic sees a shifted sample.
  for (double& v : x) v = 0.5 * v + 0.5;
  EXPECT_GT(chunks.statistic(x), 0.2);
}

TEST(KeyRange, VectorisedTestEqualsTheScalarOne) {
  std::mt19937_64 engine(4103);
  std::vector<std::uint16_t> keys(64 * 500);
  for (auto& k : keys) k = static_cast<std::uint16_t>(engine());
  for (int trial = 0; trial < 2000; ++trial) {
    const auto lowest = static_cast<std::uint16_t>(engine());
    const auto width = static_cast<std::uint16_t>(trial % 3 == 0 ? engine() : engine() % 4096);
    const std::uint16_t* block = keys.data() + 64 * static_cast<std::size_t>(trial % 500);
    ASSERT_EQ(internal::keys_in_range_64(block, lowest, width), internal::keys_in_range_scalar(block, 64, lowest, width))
        << trial;
  }
  // The ends of a range: totalOrder keys of -0 (0x8000) and +0 (0x0000) are 0x7FFF and 0x8000.
  std::vector<std::uint16_t> zeros(64, 0x8000);
  zeros[3] = 0x0000;
  zeros[63] = 0x0001;
  EXPECT_EQ(internal::keys_in_range_64(zeros.data(), 0x7FFF, 1), ~(std::uint64_t{1} << 63));
  EXPECT_EQ(internal::keys_in_range_64(zeros.data(), 0x8000, 0), std::uint64_t{1} << 3);
}

struct DoubleValues {
  static double value(double x) noexcept { return x; }
};

TEST(SortedCounts, BinarySearchesCountAsAPassOverEveryValue) {
  std::mt19937_64 engine(4104);
  std::vector<double> sorted;
  for (int i = 0; i < 3000; ++i) sorted.push_back(static_cast<double>(static_cast<int>(engine() % 41) - 20) / 4.0);
  for (int i = 0; i < 50; ++i) sorted.push_back(i % 2 == 0 ? -0.0 : 0.0);
  sorted.push_back(-HUGE_VAL);
  sorted.push_back(HUGE_VAL);
  std::sort(sorted.begin(), sorted.end(), [](double a, double b) {
    return internal::total_order_key(a) < internal::total_order_key(b);
  });
  const DoubleValues elements;
  const internal::SortedCounts<double, DoubleValues> counts(sorted, elements);
  const double thresholds[] = {-HUGE_VAL, -5.0, -1.25, -0.1, -0.0, 0.0, 0.25, 5.0, 7.0, HUGE_VAL, std::nan("")};
  for (const double low : thresholds) {
    for (const double high : thresholds) {
      std::size_t outside = 0, below = 0, above = 0, equal = 0;
      for (const double v : sorted) {
        outside += (v < low || v > high) ? 1u : 0u;
        below += v < low ? 1u : 0u;
        above += v > high ? 1u : 0u;
        equal += v == low ? 1u : 0u;
      }
      EXPECT_EQ(counts.outside(low, high), outside) << low << " " << high;
      EXPECT_EQ(counts.below(low), below) << low;
      EXPECT_EQ(counts.above(high), above) << high;
      EXPECT_EQ(counts.equal(low), equal) << low;
    }
  }
}

}  // namespace
}  // namespace nninit::validation
