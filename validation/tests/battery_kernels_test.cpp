// The battery's faster building blocks against the straightforward
// computations they replace: CdfTable::evaluate_many (four values at once,
// baseline and AVX2 compilations) against evaluate value by value, the sorted
// pass's per-block sums, Kolmogorov–Smirnov deviation and bins (eight lanes
// with the normal table's path; baseline, AVX2 and AVX-512 compilations)
// against the same numbers run by run, the chunk Kolmogorov–Smirnov statistic from the
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
// weight limit), run r's value v[r] = r, and the F, 1 - F and logarithms the
// test's RunCdf gives it: F rising (or not), logarithms with some -inf.
struct RunBlock {
  std::vector<std::size_t> bounds;
  std::vector<double> v, f, q, log_f, log_q;
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
    block.v.push_back(static_cast<double>(r));
    block.f.push_back(u);
    block.q.push_back(1.0 - u);
    block.log_f.push_back(engine() % 97 == 0 ? -HUGE_VAL : std::log(std::max(u, 1e-300)));
    block.log_q.push_back(engine() % 89 == 0 ? -HUGE_VAL : std::log1p(-std::min(u, 0.999999)));
  }
  return block;
}
// The RunCdf of a RunBlock: run v's numbers by index.
void block_cdf(const void* context, const double* v, std::size_t count, double* f, double* q, double* log_f,
               double* log_q) {
  const auto& b = *static_cast<const RunBlock*>(context);
  for (std::size_t l = 0; l < count; ++l) {
    const auto r = static_cast<std::size_t>(v[l]);
    f[l] = b.f[r];
    q[l] = b.q[r];
    log_f[l] = b.log_f[r];
    log_q[l] = b.log_q[r];
  }
}

// sorted_block_sums as its contract states it, run by run: F and logarithms
// from settings.cdf one value at a time (settings.normal is not read), the
// last group padded, run r in lane r % 8, the lanes added in the stated order,
// the bins counted run by run.
internal::RunSums reference_block_sums(const internal::SortedPassSettings& settings, internal::SortedPassState& state,
                                       const std::size_t* bounds, const double* v, std::size_t m) {
  internal::RunSums sums;
  if (m == 0) return sums;
  const std::size_t first = bounds[0], groups = (m + 7) / 8;
  std::array<double, 8> low{}, high{}, low_offset{}, high_offset{}, second{}, fourth{}, ks{};
  ks.fill(state.ks);
  for (std::size_t r = 0; r < 8 * groups; ++r) {
    const bool padding = r >= m;
    const std::size_t i = padding ? bounds[m] : bounds[r], j = padding ? bounds[m] : bounds[r + 1];
    const double x = padding ? v[m - 1] : v[r];
    const std::size_t lane = r % 8;
    double f, q, log_f, log_q;
    settings.cdf.evaluate(settings.cdf.context, &x, 1, &f, &q, &log_f, &log_q);
    const double below = static_cast<double>(i) / settings.size, at = static_cast<double>(j) / settings.size;
    ks[lane] = std::max(ks[lane], std::max(std::fabs(below - f), std::fabs(at - f)));
    const std::size_t delta = (i - first) + (j - first), count = j - i;
    const auto c = static_cast<double>(count);
    if (count != 0) {
      const double d = x * settings.inverse_scale - settings.mean, d2 = d * d;
      second[lane] += c * d2;
      fourth[lane] += c * (d2 * d2);
    }
    if (!padding) {
      const std::size_t here = equiprobable_bin(f, settings.bins);
      if (here != state.bin) {
        settings.counts[state.bin] += state.in_bin;
        state.bin = here;
        state.in_bin = 0;
      }
      state.in_bin += count;
    }
    const bool direct =
        (delta > (std::size_t{1} << 24) && count != 0) || !std::isfinite(log_f) || !std::isfinite(log_q);
    sums.any_direct |= direct;
    if (direct) log_f = log_q = 0.0;
    const auto c_delta = static_cast<double>(count * delta);
    low[lane] += c * log_f;
    high[lane] += c * log_q;
    low_offset[lane] += c_delta * log_f;
    high_offset[lane] += c_delta * log_q;
  }
  const auto total = [](const std::array<double, 8>& a) {
    return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
  };
  sums.low = total(low);
  sums.high = total(high);
  sums.low_offset = total(low_offset);
  sums.high_offset = total(high_offset);
  sums.second = total(second);
  sums.fourth = total(fourth);
  state.ks = ks[0];
  for (std::size_t l = 1; l < 8; ++l) state.ks = state.ks < ks[l] ? ks[l] : state.ks;
  return sums;
}

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }
bool same_sums(const internal::RunSums& a, const internal::RunSums& b) {
  return bits(a.low) == bits(b.low) && bits(a.high) == bits(b.high) && bits(a.low_offset) == bits(b.low_offset) &&
         bits(a.high_offset) == bits(b.high_offset) && bits(a.second) == bits(b.second) &&
         bits(a.fourth) == bits(b.fourth) && a.any_direct == b.any_direct;
}
bool same_state(const internal::SortedPassState& a, const internal::SortedPassState& b) {
  return bits(a.ks) == bits(b.ks) && a.bin == b.bin && a.in_bin == b.in_bin;
}

// A sorted pass over `blocks` (each the runs [start, end) of bounds and v) in
// the kernel and in the reference: the sums of every block, the state after
// each and the bins' counts agree bit for bit. Returns the kernel's sums.
std::vector<internal::RunSums> expect_kernel_is_reference(const internal::SortedPassSettings& settings,
                                                          internal::SortedPassState start,
                                                          const std::vector<std::size_t>& bounds,
                                                          const std::vector<double>& v,
                                                          const std::vector<std::size_t>& splits,
                                                          const std::string& what) {
  std::vector<internal::RunSums> kernel_sums;
  for (int target = 0; target <= internal::best_run_sums_target(); ++target) {
    internal::set_run_sums_target(target);
    EXPECT_EQ(internal::run_sums_target(), target);
    internal::SortedPassSettings ours = settings, theirs = settings;
    std::vector<std::size_t> our_counts(settings.bins, 0), their_counts(settings.bins, 0);
    ours.counts = our_counts.data();
    theirs.counts = their_counts.data();
    internal::SortedPassState our_state = start, their_state = start;
    kernel_sums.clear();
    for (std::size_t s = 0; s + 1 < splits.size(); ++s) {
      const std::size_t from = splits[s], m = splits[s + 1] - from;
      const internal::RunSums got =
          internal::sorted_block_sums(ours, our_state, bounds.data() + from, v.data() + from, m);
      const internal::RunSums expected =
          reference_block_sums(theirs, their_state, bounds.data() + from, v.data() + from, m);
      kernel_sums.push_back(got);
      const std::string where = what + " block " + std::to_string(s) + " m " + std::to_string(m) + " target " +
                                std::to_string(target);
      EXPECT_TRUE(same_sums(got, expected))
          << where << ": low " << got.low << " / " << expected.low << ", second " << got.second << " / "
          << expected.second << ", direct " << got.any_direct << " / " << expected.any_direct;
      EXPECT_TRUE(same_state(our_state, their_state))
          << where << ": ks " << our_state.ks << " / " << their_state.ks << ", bin " << our_state.bin << " / "
          << their_state.bin;
    }
    EXPECT_EQ(our_counts, their_counts) << what << " target " << target;
  }
  internal::set_run_sums_target(-1);
  return kernel_sums;
}

TEST(SortedBlockSums, EveryCompilationGivesTheRunByRunSums) {
  std::mt19937_64 engine(4106);
  std::cout << "run sums compiled for targets 0.." << internal::best_run_sums_target()
            << " on this CPU (0 baseline, 1 AVX2, 2 AVX-512)\n";
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t m = trial < 40 ? static_cast<std::size_t>(trial) : 1 + engine() % 2100;
    const std::size_t first = trial % 3 == 0 ? 0 : engine() % (std::size_t{1} << 40);
    RunBlock b = random_run_block(engine, m, first, trial % 2 == 0);
    if (trial % 7 == 0) {
      for (double& u : b.f) u = u * 1.2 - 0.1;  // beyond [0, 1]: clamped into the end bins
    }
    internal::SortedPassSettings settings;
    settings.cdf = internal::RunCdf{&block_cdf, &b};
    settings.size = static_cast<double>(b.bounds.back() + engine() % 1000);
    settings.mean = static_cast<double>(m) * 0.37;
    settings.inverse_scale = std::ldexp(1.0, static_cast<int>(engine() % 9) - 4);
    settings.bins = 1 + engine() % 2000;
    internal::SortedPassState start;
    start.ks = trial % 5 == 0 ? 0.3 : 0.0;
    // Two blocks of one pass: the state is carried over.
    const std::vector<std::size_t> splits{0, m / 3, m};
    expect_kernel_is_reference(settings, start, b.bounds, b.v, splits, "trial " + std::to_string(trial));
  }
  // Negative controls of the comparison: one run's log F, or F across a bin
  // edge, changed changes the sums and the counts.
  RunBlock b;
  for (std::size_t r = 0; r <= 100; ++r) b.bounds.push_back(r);
  for (std::size_t r = 0; r < 100; ++r) b.v.push_back(static_cast<double>(r));
  b.f.assign(100, 0.5);
  b.q.assign(100, 0.5);
  b.log_f.assign(100, -0.5);
  b.log_q.assign(100, -0.7);
  internal::SortedPassSettings settings;
  settings.cdf = internal::RunCdf{&block_cdf, &b};
  settings.size = 100.0;
  settings.bins = 4;
  std::vector<std::size_t> before_counts(4, 0), after_counts(4, 0);
  settings.counts = before_counts.data();
  internal::SortedPassState before_state, after_state;
  const internal::RunSums before = internal::sorted_block_sums(settings, before_state, b.bounds.data(), b.v.data(), 100);
  b.log_f[37] = -0.5000001;
  b.f[38] = 0.49;
  settings.counts = after_counts.data();
  const internal::RunSums after = internal::sorted_block_sums(settings, after_state, b.bounds.data(), b.v.data(), 100);
  EXPECT_NE(before.low, after.low);
  before_counts[before_state.bin] += before_state.in_bin;
  after_counts[after_state.bin] += after_state.in_bin;
  EXPECT_NE(before_counts, after_counts);
}

// The values' CdfTable::evaluate, one at a time, counting the values asked for.
struct CountedTable {
  const CdfTable& cdf;
  mutable std::size_t values = 0;
  static void evaluate(const void* context, const double* v, std::size_t count, double* f, double* q, double* log_f,
                       double* log_q) {
    const auto& self = *static_cast<const CountedTable*>(context);
    self.values += count;
    for (std::size_t l = 0; l < count; ++l) self.cdf.evaluate(v[l], f[l], q[l], log_f[l], log_q[l]);
  }
};

// The normal table's lanes inside the kernel give CdfTable::evaluate's
// numbers: a sorted float32 normal sample (ties, both tails, values next to
// the mean) in blocks, against the reference that evaluates run by run.
TEST(SortedBlockSums, TheNormalTableInLanesGivesTheScalarNumbers) {
  std::mt19937_64 engine(4109);
  std::normal_distribution<double> normal(0.1, 0.02);
  std::vector<double> x(300007);
  for (double& value : x) value = static_cast<double>(static_cast<float>(normal(engine)));
  for (std::size_t i = 0; i < 2000; ++i) x[i] = static_cast<double>(static_cast<float>(0.1 + 1e-9 * static_cast<double>(i % 7)));
  x[2001] = 0.1 + 0.02 * 9.0;  // beyond the table's reach
  x[2002] = 0.1 - 0.02 * 40.0;
  std::sort(x.begin(), x.end());
  std::vector<std::size_t> bounds{0};
  std::vector<double> v{x[0]};
  for (std::size_t i = 1; i < x.size(); ++i) {
    if (x[i] != x[i - 1]) {
      bounds.push_back(i);
      v.push_back(x[i]);
    }
  }
  bounds.push_back(x.size());
  const std::size_t m = v.size();
  const CdfTable cdf(ReferenceDistribution::normal(0.1, 0.02).on_grid(OutputGrid::float32));
  CdfTable::NormalPath path{};
  ASSERT_TRUE(cdf.normal_path(path));
  const CountedTable counted{cdf};
  internal::SortedPassSettings settings;
  settings.normal = &path;
  settings.cdf = internal::RunCdf{&CountedTable::evaluate, &counted};
  settings.size = static_cast<double>(x.size());
  settings.mean = 0.1;
  settings.bins = 547;
  std::vector<std::size_t> splits;
  for (std::size_t s = 0; s < m; s += 16381) splits.push_back(s);
  splits.push_back(m);
  const std::vector<internal::RunSums> sums =
      expect_kernel_is_reference(settings, internal::SortedPassState{}, bounds, v, splits, "normal");
  // The table's lanes took most groups (the test is not vacuous): the
  // reference asked for every run (and the padding) once per compilation, the
  // kernel for the groups outside the lanes, at this sample's density about
  // 4 in 10 (eight neighbours in one interval of each table; fewer in the
  // tails; nearly all at 2^24 values).
  const std::size_t compilations = static_cast<std::size_t>(internal::best_run_sums_target()) + 1;
  const std::size_t reference_values = compilations * (m + 7 * (splits.size() - 1));
  std::cout << "values evaluated outside the table's lanes: " << counted.values - reference_values << " of "
            << compilations * m << "\n";
  EXPECT_LT(counted.values - reference_values, compilations * m / 2);
  // A negative control: another law's table in the lanes gives other sums.
  const CdfTable other(ReferenceDistribution::normal(0.1, 0.0201).on_grid(OutputGrid::float32));
  CdfTable::NormalPath other_path{};
  ASSERT_TRUE(other.normal_path(other_path));
  settings.normal = &other_path;
  std::vector<std::size_t> counts(settings.bins, 0);
  settings.counts = counts.data();
  internal::SortedPassState state;
  const internal::RunSums changed = internal::sorted_block_sums(settings, state, bounds.data(), v.data(), splits[1]);
  EXPECT_FALSE(same_sums(changed, sums[0]));
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
