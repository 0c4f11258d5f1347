// The battery's faster building blocks against the straightforward
// computations they replace: CdfTable::evaluate_many (four values at once,
// baseline and AVX2 compilations) against evaluate value by value, the sorted
// pass's per-run sums and bins (eight lanes; baseline, AVX2 and AVX-512
// compilations) against the same sums run by run, the chunk Kolmogorov–Smirnov statistic from the
// values (F at a few values per bucket) against sorting F of every value, the
// vectorised key-range test against the scalar one, and the binary-search
// counts of a sorted sample against a pass over every value.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "../src/battery_core.hpp"
#include "../src/battery_passes.hpp"
#include "../src/cdf_table_dispatch.hpp"
#include "../src/chunk_kolmogorov_smirnov.hpp"
#include "../src/co_moment_sums.hpp"
#include "../src/radix_sort.hpp"
#include "../src/run_sums.hpp"
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

// A block of runs as the sorted pass hands them over: bounds rising from
// `first` (mostly runs of one, some long ones, some beyond the lanes' 2^24
// weight limit), F rising (or not) in [0, 1], logarithms with some -inf.
struct RunBlock {
  std::vector<std::size_t> bounds;
  std::vector<double> f, log_f, log_q;
};
RunBlock random_run_block(std::mt19937_64& engine, std::size_t m, std::size_t first, bool rising) {
  RunBlock block;
  block.bounds.push_back(first);
  for (std::size_t r = 0; r < m; ++r) {
    const std::uint64_t kind = engine() % 100;
    const std::size_t length = kind < 80 ? 1 : (kind < 98 ? 1 + engine() % 50 : (std::size_t{1} << 23) + engine() % 1000);
    block.bounds.push_back(block.bounds.back() + length);
  }
  double u = 0.0;
  for (std::size_t r = 0; r < m; ++r) {
    u = rising ? std::min(1.0, u + static_cast<double>(engine() % 1000) * 1e-6) : static_cast<double>(engine() >> 11) * 0x1p-53;
    block.f.push_back(u);
    block.log_f.push_back(engine() % 97 == 0 ? -HUGE_VAL : std::log(std::max(u, 1e-300)));
    block.log_q.push_back(engine() % 89 == 0 ? -HUGE_VAL : std::log1p(-std::min(u, 0.999999)));
  }
  return block;
}

// The documented sums, run by run: lane r % 8, lanes added in the stated order.
internal::RunSums reference_run_sums(const RunBlock& b, double size, double ks) {
  const std::size_t m = b.f.size(), first = b.bounds[0];
  std::array<double, 8> low{}, high{}, low_offset{}, high_offset{};
  internal::RunSums sums;
  sums.ks = ks;
  for (std::size_t r = 0; r < m; ++r) {
    const std::size_t i = b.bounds[r], j = b.bounds[r + 1], lane = r % 8;
    const double below = static_cast<double>(i) / size, at = static_cast<double>(j) / size;
    sums.ks = std::max({sums.ks, std::fabs(below - b.f[r]), std::fabs(at - b.f[r])});
    const std::size_t delta = (i - first) + (j - first);
    const bool direct = delta > (std::size_t{1} << 24) || !std::isfinite(b.log_f[r]) || !std::isfinite(b.log_q[r]);
    sums.any_direct |= direct;
    if (direct) continue;
    const auto c = static_cast<double>(j - i), c_delta = static_cast<double>((j - i) * delta);
    low[lane] += c * b.log_f[r];
    high[lane] += c * b.log_q[r];
    low_offset[lane] += c_delta * b.log_f[r];
    high_offset[lane] += c_delta * b.log_q[r];
  }
  const auto total = [](const std::array<double, 8>& a) {
    return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
  };
  sums.low = total(low);
  sums.high = total(high);
  sums.low_offset = total(low_offset);
  sums.high_offset = total(high_offset);
  return sums;
}

TEST(SortedRunSums, EveryCompilationGivesTheRunByRunSums) {
  std::mt19937_64 engine(4106);
  const int best = internal::best_run_sums_target();
  std::cout << "run sums compiled for targets 0.." << best << " on this CPU (0 baseline, 1 AVX2, 2 AVX-512)\n";
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t m = trial < 40 ? static_cast<std::size_t>(trial) : 1 + engine() % 2100;
    const std::size_t first = trial % 3 == 0 ? 0 : engine() % (std::size_t{1} << 40);
    const RunBlock b = random_run_block(engine, m, first, trial % 2 == 0);
    const double size = static_cast<double>(b.bounds.back() + engine() % 1000);
    const double ks_in = trial % 5 == 0 ? 0.3 : 0.0;
    const internal::RunSums expected = reference_run_sums(b, size, ks_in);
    for (int target = 0; target <= best; ++target) {
      internal::set_run_sums_target(target);
      ASSERT_EQ(internal::run_sums_target(), target);
      const internal::RunSums got =
          internal::sorted_run_sums(b.bounds.data(), m, b.f.data(), b.log_f.data(), b.log_q.data(), size, ks_in);
      const std::string what = "trial " + std::to_string(trial) + " m " + std::to_string(m) + " target " +
                               std::to_string(target);
      EXPECT_EQ(std::bit_cast<std::uint64_t>(got.ks), std::bit_cast<std::uint64_t>(expected.ks)) << what;
      EXPECT_EQ(std::bit_cast<std::uint64_t>(got.low), std::bit_cast<std::uint64_t>(expected.low)) << what;
      EXPECT_EQ(std::bit_cast<std::uint64_t>(got.high), std::bit_cast<std::uint64_t>(expected.high)) << what;
      EXPECT_EQ(std::bit_cast<std::uint64_t>(got.low_offset), std::bit_cast<std::uint64_t>(expected.low_offset))
          << what;
      EXPECT_EQ(std::bit_cast<std::uint64_t>(got.high_offset), std::bit_cast<std::uint64_t>(expected.high_offset))
          << what;
      EXPECT_EQ(got.any_direct, expected.any_direct) << what;
    }
  }
  internal::set_run_sums_target(-1);
  // A negative control of the comparison: one run's log F changed changes the sums.
  RunBlock b;
  for (std::size_t r = 0; r <= 100; ++r) b.bounds.push_back(r);
  b.f.assign(100, 0.5);
  b.log_f.assign(100, -0.5);
  b.log_q.assign(100, -0.7);
  const double size = 100.0;
  const internal::RunSums before = internal::sorted_run_sums(b.bounds.data(), 100, b.f.data(), b.log_f.data(),
                                                             b.log_q.data(), size, 0.0);
  b.log_f[37] = -0.5000001;
  const internal::RunSums after = internal::sorted_run_sums(b.bounds.data(), 100, b.f.data(), b.log_f.data(),
                                                            b.log_q.data(), size, 0.0);
  EXPECT_NE(before.low, after.low);
}

// The correlation tests' sums in every compilation against the same lanes
// summed pair by pair: mixed magnitudes (so the order of additions shows),
// lengths across the groups of eight.
TEST(CoMomentSums, EveryCompilationGivesThePairByPairSums) {
  std::mt19937_64 engine(4108);
  std::normal_distribution<double> normal(0.0, 1.0);
  const int best = internal::best_run_sums_target();
  const auto same = [](const internal::CoMomentSums& a, const internal::CoMomentSums& b) {
    return std::bit_cast<std::uint64_t>(a.sx) == std::bit_cast<std::uint64_t>(b.sx) &&
           std::bit_cast<std::uint64_t>(a.sy) == std::bit_cast<std::uint64_t>(b.sy) &&
           std::bit_cast<std::uint64_t>(a.sxx) == std::bit_cast<std::uint64_t>(b.sxx) &&
           std::bit_cast<std::uint64_t>(a.syy) == std::bit_cast<std::uint64_t>(b.syy) &&
           std::bit_cast<std::uint64_t>(a.sxy) == std::bit_cast<std::uint64_t>(b.sxy);
  };
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t m = trial < 40 ? static_cast<std::size_t>(trial) : 1 + engine() % 5000;
    std::vector<double> x(m), y(m);
    for (std::size_t i = 0; i < m; ++i) {
      x[i] = normal(engine) * std::ldexp(1.0, static_cast<int>(engine() % 40) - 20);
      y[i] = 3.0 + normal(engine) * 1e-3;
    }
    const double x0 = m == 0 ? 0.0 : x[0], y0 = m == 0 ? 0.0 : y[0];
    const internal::CoMomentSums expected = internal::co_moment_sums_one_by_one(x.data(), y.data(), m, x0, y0);
    for (int target = 0; target <= best; ++target) {
      internal::set_run_sums_target(target);
      EXPECT_TRUE(same(internal::co_moment_sums(x.data(), y.data(), m, x0, y0), expected))
          << "trial " << trial << " m " << m << " target " << target;
    }
  }
  internal::set_run_sums_target(-1);
  // A negative control of the comparison: the same pairs in another lane
  // order (one pair moved to the end) give other sums.
  std::vector<double> x(203), y(203);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = normal(engine) * std::ldexp(1.0, static_cast<int>(i % 37) - 18);
    y[i] = normal(engine);
  }
  const internal::CoMomentSums before = internal::co_moment_sums(x.data(), y.data(), x.size(), x[0], y[0]);
  std::rotate(x.begin() + 1, x.begin() + 2, x.end());
  std::rotate(y.begin() + 1, y.begin() + 2, y.end());
  EXPECT_FALSE(same(internal::co_moment_sums(x.data(), y.data(), x.size(), x[0], y[0]), before));
}

TEST(SortedRunSums, BinsEqualEquiprobableBinRunByRun) {
  std::mt19937_64 engine(4107);
  const int best = internal::best_run_sums_target();
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t m = trial < 30 ? static_cast<std::size_t>(trial) : 1 + engine() % 2100;
    const std::size_t bins = 2 + engine() % 2000;
    RunBlock b = random_run_block(engine, m, engine() % 1000, trial % 3 != 0);
    if (trial % 7 == 0) {
      for (double& u : b.f) u = u * 1.2 - 0.1;  // beyond [0, 1]: clamped into the end bins
    }
    std::vector<std::size_t> expected(bins, 0);
    for (std::size_t r = 0; r < m; ++r) expected[equiprobable_bin(b.f[r], bins)] += b.bounds[r + 1] - b.bounds[r];
    for (int target = 0; target <= best; ++target) {
      internal::set_run_sums_target(target);
      std::vector<std::size_t> counts(bins, 0);
      std::size_t bin = 0, in_bin = 0;
      // In two pieces, as two blocks of the sorted pass: the open bin is carried over.
      const std::size_t split = m / 3;
      internal::count_run_bins(b.bounds.data(), split, b.f.data(), bins, counts.data(), bin, in_bin);
      internal::count_run_bins(b.bounds.data() + split, m - split, b.f.data() + split, bins, counts.data(), bin,
                               in_bin);
      counts[bin] += in_bin;
      ASSERT_EQ(counts, expected) << "trial " << trial << " target " << target;
    }
  }
  internal::set_run_sums_target(-1);
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
