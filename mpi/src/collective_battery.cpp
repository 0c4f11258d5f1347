// collective_battery.cpp — the tallies of a tensor's blocks and the tests
// judged from their merge.
#include "collective_battery.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "nninit/validation/bounds.hpp"
#include "nninit/validation/cdf_table.hpp"
#include "nninit/validation/anderson_darling.hpp"
#include "nninit/validation/chi_squared.hpp"
#include "nninit/validation/discrete_output.hpp"
#include "nninit/validation/extreme_values.hpp"
#include "nninit/validation/half_precision.hpp"
#include "nninit/validation/kolmogorov_distribution.hpp"
#include "nninit/validation/moment_tests.hpp"
#include "nninit/validation/multiple_testing.hpp"
#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/tail_counts.hpp"

namespace nninit::mpi {
namespace {

namespace v = nninit::validation;

constexpr std::size_t patterns = std::size_t{1} << 16;
// Counts: the bounds counts (outside, at lower, at upper), the tail counts,
// the edge values not kept, the bins of u, the bit patterns (16-bit dtypes).
constexpr std::size_t slot_outside = 0, slot_at_lower = 1, slot_at_upper = 2, slot_edge_dropped = 3, slot_tails = 4;
// The edge values a rank keeps: far more than the 2 n / bins of a correct
// tensor of up to 2^40 values (at most 2^19); beyond it the values are
// piled at an end, and Anderson-Darling fails saying so.
constexpr std::size_t edge_values_kept = std::size_t{1} << 22;
// The bins of u a rank keeps before adding them to its histogram (32 MiB).
constexpr std::size_t bins_kept = std::size_t{1} << 23;
constexpr std::size_t tail_slots = std::size(v::default_tail_multiples);
constexpr std::size_t slot_bins = slot_tails + tail_slots;

bool is_half(DType dtype) noexcept { return dtype == DType::bf16 || dtype == DType::f16; }
v::HalfFormat half_format(DType dtype) noexcept {
  return dtype == DType::bf16 ? v::HalfFormat::bfloat16 : v::HalfFormat::float16;
}

// A uniform double in [0, 1) from (seed, index): SplitMix64's finaliser.
double jitter(std::uint64_t seed, std::uint64_t index) noexcept {
  std::uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1p-53;
}

// The integral of (g - t)^2 / (t (1 - t)) over [a, b] for a constant g (a
// step of the empirical CDF), in closed form: with 1 / (t (1 - t)) =
// 1 / t + 1 / (1 - t), g^2 ln(b / a) - 2 g (b - a) + (b^2 - a^2) / 2 +
// (1 - g)^2 ln((1 - a) / (1 - b)) - 2 (1 - g) (b - a) + ((1 - a)^2 - (1 - b)^2) / 2.
// A zero coefficient in front of a diverging logarithm (g = 0 at a = 0, g = 1 at b = 1) is 0.
long double step_integral(long double a, long double b, long double g) noexcept {
  if (!(b > a)) return 0.0L;
  const long double h = b - a;
  long double sum = 0.5L * (b * b - a * a) - 2.0L * g * h + 0.5L * ((1 - a) * (1 - a) - (1 - b) * (1 - b)) -
                    2.0L * (1 - g) * h;
  if (g != 0) sum += g * g * std::log(b / a);
  if (g != 1) sum += (1 - g) * (1 - g) * std::log((1 - a) / (1 - b));
  return sum;
}

// The integral of (L(t) - t)^2 / (t (1 - t)) over [a, b] with L linear from
// ga at a to gb at b: 4-point Gauss-Legendre (the bins are interior: the
// weight is smooth there; its relative error is below 1e-7 even on [h, 2h]).
long double linear_integral(double a, double b, double ga, double gb) noexcept {
  static constexpr std::array<double, 4> nodes = {-0.8611363115940526, -0.3399810435848563, 0.3399810435848563,
                                                  0.8611363115940526};
  static constexpr std::array<double, 4> weights = {0.3478548451374538, 0.6521451548625461, 0.6521451548625461,
                                                    0.3478548451374538};
  const double middle = 0.5 * (a + b), half = 0.5 * (b - a);
  long double sum = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const double t = middle + half * nodes[k];
    const double s = (t - a) / (b - a);
    const double e = (ga + s * (gb - ga)) - t;
    sum += static_cast<long double>(weights[k] * e * e / (t * (1 - t)));
  }
  return sum * half;
}

std::string number(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", x);
  return text;
}

}  // namespace

std::size_t collective_bins(std::uint64_t n) noexcept {
  const std::uint64_t lowest = std::uint64_t{1} << 16, highest = std::uint64_t{1} << 22;
  return static_cast<std::size_t>(std::clamp(std::bit_ceil(std::max<std::uint64_t>(n, 1)) / 4, lowest, highest));
}

GridAndersonDarling anderson_darling_on_grid(std::span<const std::uint64_t> counts,
                                             std::span<const double> edge_values) {
  const std::size_t bins = counts.size();
  if (bins < 2) throw std::invalid_argument("anderson_darling_on_grid: need at least 2 bins");
  std::uint64_t n = 0;
  for (const std::uint64_t c : counts) n += c;
  const double h = 1.0 / static_cast<double>(bins);
  std::vector<double> first, last;
  for (const double u : edge_values) (u < 0.5 ? first : last).push_back(u);
  if (first.size() != counts.front() || last.size() != counts.back()) {
    throw std::invalid_argument("anderson_darling_on_grid: " + std::to_string(edge_values.size()) +
                                " edge values for first and last bins of " + std::to_string(counts.front()) +
                                " and " + std::to_string(counts.back()));
  }
  GridAndersonDarling result;
  if (n == 0) return result;
  std::sort(first.begin(), first.end());
  std::sort(last.begin(), last.end());
  const auto size = static_cast<long double>(n);
  long double integral = 0, bound = 0;
  // The first and last bins: the empirical CDF exactly, a step at each value.
  const auto steps = [&](const std::vector<double>& values, long double a, long double b, std::uint64_t before) {
    long double t = a;
    std::uint64_t k = before;
    for (const double u : values) {
      const long double x = std::clamp(static_cast<long double>(u), a, b);
      integral += step_integral(t, x, static_cast<long double>(k) / size);
      t = x;
      ++k;
    }
    integral += step_integral(t, b, static_cast<long double>(k) / size);
  };
  steps(first, 0.0L, static_cast<long double>(h), 0);
  // Interior bins: linear between the edges' empirical CDF; the step
  // function differs from the line by at most c / n, and both from t by at
  // most M + h (M the larger deviation at the edges), so the error of a bin
  // is at most n (c / n) (2M + h) times the integral of 1 / (t (1 - t)) over it.
  std::uint64_t below = counts.front();
  for (std::size_t j = 1; j + 1 < bins; ++j) {
    const double a = static_cast<double>(j) * h, b = static_cast<double>(j + 1) * h;
    const double ga = static_cast<double>(static_cast<long double>(below) / size);
    const double gb = static_cast<double>(static_cast<long double>(below + counts[j]) / size);
    integral += linear_integral(a, b, ga, gb);
    if (counts[j] != 0) {
      const double deviation = std::max(std::fabs(ga - a), std::fabs(gb - b));
      // The integral of 1 / (t (1 - t)) over the bin, log1p(h / a) + log1p(h / (1 - b)),
      // bounded above by h / a + h / (1 - b) (log1p(x) <= x; cheaper, equal to it but near 0 and 1).
      const double weight = h / a + h / (1.0 - b);
      bound += static_cast<long double>(counts[j]) * (2.0L * deviation + h) * weight;
    }
    below += counts[j];
  }
  steps(last, static_cast<long double>(1.0 - h), 1.0L, below);
  result.statistic = static_cast<double>(size * integral);
  result.error_bound = static_cast<double>(bound);
  return result;
}

CollectiveBattery::CollectiveBattery(const v::ReferenceDistribution& reference, std::uint64_t values, DType dtype,
                                     std::uint64_t jitter_seed)
    : reference_(reference),
      cdf_(reference),
      values_(values),
      dtype_(dtype),
      jitter_seed_(jitter_seed),
      bins_(collective_bins(values)),
      coarse_(v::is_coarse(reference.grid())) {
  if (coarse_ && !is_half(dtype)) {
    throw std::invalid_argument("CollectiveBattery: a 16-bit grid needs a bfloat16 or float16 tensor");
  }
  if (reference.kind() == v::DistributionKind::normal) {
    for (const double k : v::default_tail_multiples) {
      const v::TailRange range = v::tail_range(reference, k);
      tail_low_.push_back(range.low);
      tail_high_.push_back(range.high);
    }
  }
  if (coarse_) {
    below_.assign(patterns, 0.0);
    mass_.assign(patterns, 0.0);
    const v::HalfFormat format = half_format(dtype);
    for (std::size_t bits = 0; bits < patterns; ++bits) {
      const auto pattern = static_cast<std::uint16_t>(bits);
      if (!v::half_bits_finite(pattern, format)) continue;
      const double y = v::half_bits_to_double(pattern, format);
      below_[bits] = reference.output_cdf_below(y);
      mass_[bits] = reference.output_mass(y);
    }
  }
}

std::size_t CollectiveBattery::count_slots() const noexcept { return slot_bins + bins_ + (coarse_ ? patterns : 0); }

RankTally CollectiveBattery::empty_tally() const {
  RankTally tally;
  tally.counts.assign(count_slots(), 0);
  return tally;
}

double CollectiveBattery::transform(double x, std::uint16_t bits, std::uint64_t index) const noexcept {
  if (coarse_) return std::clamp(below_[bits] + jitter(jitter_seed_, index) * mass_[bits], 0.0, 1.0);
  return std::clamp(cdf_.cdf(x), 0.0, 1.0);
}

void CollectiveBattery::add_block(RankTally& tally, std::span<const double> values,
                                  std::span<const std::uint16_t> bits, std::uint64_t first) const {
  tally.block_moments.push_back(summarize_block(values));
  std::uint64_t* const counts = tally.counts.data();
  const double lower = reference_.output_lower(), upper = reference_.output_upper();
  const auto bins = static_cast<double>(bins_);
  std::vector<std::uint32_t>& block_bins = tally.block_bins;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = values[i];
    if (!std::isfinite(x)) continue;
    counts[slot_outside] += (x < lower || x > upper) ? 1u : 0u;
    counts[slot_at_lower] += x == lower ? 1u : 0u;
    counts[slot_at_upper] += x == upper ? 1u : 0u;
    for (std::size_t k = 0; k < tail_low_.size(); ++k) {
      counts[slot_tails + k] += (x < tail_low_[k] || x > tail_high_[k]) ? 1u : 0u;
    }
    const std::uint16_t pattern = coarse_ ? bits[i] : 0;
    if (coarse_) ++counts[slot_bins + bins_ + pattern];
    const double u = transform(x, pattern, first + i);
    const std::size_t bin = std::min(bins_ - 1, static_cast<std::size_t>(u * bins));
    block_bins.push_back(static_cast<std::uint32_t>(bin));
    if (bin == 0 || bin == bins_ - 1) {
      if (tally.edge_values.size() < edge_values_kept) {
        tally.edge_values.push_back(u);
      } else {
        ++counts[slot_edge_dropped];
      }
    }
  }
  if (block_bins.size() >= bins_kept) finish(tally);
}

void CollectiveBattery::drop_edge_values(RankTally& tally) const {
  tally.counts[slot_edge_dropped] += tally.edge_values.size();
  tally.edge_values.clear();
}

void CollectiveBattery::finish(RankTally& tally) const {
  // The bins of u in storage order are random places in a histogram of up
  // to 32 MiB: they are kept for up to bins_kept values, grouped by their
  // top 8 bits (a counting sort), and each group's increments then stay
  // within 1/256 of the histogram (in cache), which is read once per flush.
  std::vector<std::uint32_t>& block_bins = tally.block_bins;
  constexpr std::size_t groups = 256;
  const int shift = std::countr_zero(bins_) - 8;  // bins_ is a power of two >= 2^16
  std::array<std::size_t, groups + 1> start{};
  for (const std::uint32_t bin : block_bins) ++start[(bin >> shift) + 1];
  for (std::size_t g = 0; g < groups; ++g) start[g + 1] += start[g];
  std::vector<std::uint32_t>& grouped = tally.grouped_bins;
  grouped.resize(block_bins.size());
  std::array<std::size_t, groups> next{};
  std::copy(start.begin(), start.end() - 1, next.begin());
  for (const std::uint32_t bin : block_bins) grouped[next[bin >> shift]++] = bin;
  std::uint64_t* const histogram = tally.counts.data() + slot_bins;
  for (const std::uint32_t bin : grouped) ++histogram[bin];
  block_bins.clear();
}

std::vector<v::TestResult> CollectiveBattery::results(const MomentSummary& moments,
                                                      std::span<const std::uint64_t> counts,
                                                      std::vector<double> edge_values,
                                                      const v::BatteryOptions& options) const {
  if (counts.size() != count_slots()) throw std::invalid_argument("CollectiveBattery::results: wrong counts");
  const std::size_t n = moments.count;
  if (n < 100) {
    throw std::invalid_argument("the battery needs at least 100 finite values, got " + std::to_string(n));
  }
  const std::span<const std::uint64_t> u_counts = counts.subspan(slot_bins, bins_);
  std::vector<v::TestResult> results;
  // A numerical library error inside a test (a statistic that overflowed) is
  // that test's FAIL with the explanation, as in the single-process battery.
  const auto run = [&](const char* name, auto&& test) {
    try {
      using Result = decltype(test());
      if constexpr (std::is_same_v<Result, v::TestResult>) {
        results.push_back(test());
      } else {
        for (v::TestResult& result : test()) results.push_back(std::move(result));
      }
    } catch (const std::exception& error) {
      v::TestResult failed;
      failed.name = name;
      failed.p_value = 0.0;
      failed.sample_size = n;
      failed.detail = std::string("could not be evaluated, the statistic is out of range: ") + error.what();
      results.push_back(std::move(failed));
    }
  };
  v::BoundsCounts bounds;
  bounds.values = static_cast<std::size_t>(values_);
  bounds.non_finite = static_cast<std::size_t>(moments.nonfinite);
  bounds.outside = counts[slot_outside];
  bounds.at_lower = counts[slot_at_lower];
  bounds.at_upper = counts[slot_at_upper];
  bounds.minimum = moments.min;
  bounds.maximum = moments.max;
  v::SampleMoments sample;
  sample.count = n;
  sample.mean = moments.mean;
  sample.variance = moments.m2 / static_cast<double>(n - 1);
  sample.sd = std::sqrt(sample.variance);
  sample.kurtosis = static_cast<double>(n) * moments.m4 / (moments.m2 * moments.m2);

  run("bounds", [&] { return v::bounds_tests(bounds, reference_, options.bounds); });
  run("mean", [&] { return v::mean_test(sample, reference_, options.confidence); });
  run("standard_deviation", [&] { return v::std_test(sample, reference_, options.confidence); });
  run("kolmogorov_smirnov", [&] {
    v::TestResult ks;
    ks.name = "kolmogorov_smirnov";
    ks.sample_size = n;
    if (coarse_) {  // the step CDF of the rounded output at every grid value, from the pattern counts
      const std::span<const std::uint64_t> by_pattern = counts.subspan(slot_bins + bins_, patterns);
      const v::HalfFormat format = half_format(dtype_);
      std::vector<std::pair<double, std::uint64_t>> grid;
      for (std::size_t bits = 0; bits < patterns; ++bits) {
        const auto pattern = static_cast<std::uint16_t>(bits);
        if (v::half_bits_finite(pattern, format)) grid.emplace_back(v::half_bits_to_double(pattern, format), by_pattern[bits]);
      }
      std::stable_sort(grid.begin(), grid.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      std::uint64_t at_or_below = 0;
      double d = 0;
      for (std::size_t g = 0; g < grid.size(); ++g) {
        at_or_below += grid[g].second;
        if (g + 1 < grid.size() && grid[g + 1].first == grid[g].first) continue;  // -0 and +0: one value
        d = std::max(d, std::fabs(static_cast<double>(at_or_below) / static_cast<double>(n) -
                                  reference_.output_cdf(grid[g].first)));
      }
      ks.statistic = d;
      ks.detail = "step CDF of the rounded output (exact, from the counts of every bit pattern); "
                  "p-value conservative for discrete data";
    } else {
      ks.statistic = ks_distance_at_edges(u_counts);
      ks.detail = "continuous CDF, at the edges of " + std::to_string(bins_) +
                  " bins of u: the exact D is at most " + number(1.0 / static_cast<double>(bins_)) + " more";
    }
    ks.measured = ks.statistic;
    ks.target = 0.0;
    ks.p_value = v::kolmogorov_smirnov_p_value(n, ks.statistic);
    return ks;
  });
  run("anderson_darling", [&] {
    if (counts[slot_edge_dropped] != 0) {
      throw std::runtime_error(std::to_string(u_counts.front() + u_counts.back()) +
                               " values in the first and last of " + std::to_string(bins_) +
                               " bins of u, more than the ranks keep (" + std::to_string(edge_values_kept) +
                               " per rank, " + std::to_string(edge_values_gathered) + " in all" +
                               "; a correct tensor has about " + number(2.0 * static_cast<double>(n) / static_cast<double>(bins_)) + ")");
    }
    const GridAndersonDarling ad = anderson_darling_on_grid(u_counts, edge_values);
    const std::string detail = std::string(coarse_ ? "randomised probability transform of the rounded output"
                                                   : "continuous CDF, fully specified") +
                               "; on " + std::to_string(bins_) + " bins of u, |error| <= " + number(ad.error_bound);
    return v::anderson_darling_test_from_statistic(ad.statistic, n, detail.c_str());
  });
  run("chi_squared(equiprobable)", [&] {
    // A power of two at most the single-process battery's count: unions of the bins of u.
    const std::size_t k = std::bit_floor(v::default_equiprobable_bins(n));
    std::vector<std::size_t> equiprobable(k, 0);
    for (std::size_t j = 0; j < bins_; ++j) equiprobable[j / (bins_ / k)] += u_counts[j];
    return v::chi_squared_equiprobable_test_from_counts(equiprobable);
  });
  if (coarse_) {
    run("chi_squared(grid cells)", [&] {
      const double min_expected = options.grid_min_expected_count;
      std::vector<v::GridCell> cells = v::grid_cells({}, reference_, min_expected / static_cast<double>(n));
      const std::span<const std::uint64_t> by_pattern = counts.subspan(slot_bins + bins_, patterns);
      const v::HalfFormat format = half_format(dtype_);
      std::vector<std::pair<double, std::uint64_t>> distinct;
      for (std::size_t bits = 0; bits < patterns; ++bits) {
        const auto pattern = static_cast<std::uint16_t>(bits);
        if (by_pattern[bits] != 0 && v::half_bits_finite(pattern, format)) {
          distinct.emplace_back(v::half_bits_to_double(pattern, format), by_pattern[bits]);
        }
      }
      std::sort(distinct.begin(), distinct.end());
      std::size_t cell = 0;
      for (const auto& [value, count] : distinct) {
        while (cell + 1 < cells.size() && value > cells[cell].last) ++cell;
        cells[cell].observed += static_cast<std::size_t>(count);
      }
      return v::chi_squared_grid_test(cells, n, reference_, min_expected);
    });
  }
  if (!tail_low_.empty()) {
    run("tail_count", [&] {
      std::vector<std::size_t> tails(counts.begin() + slot_tails, counts.begin() + slot_tails + tail_slots);
      return v::tail_count_tests_from_counts(tails, n, reference_);
    });
  }
  run("extreme", [&] { return v::extreme_value_tests(moments.min, moments.max, n, reference_); });

  for (v::TestResult& result : results) {  // as the single-process battery: NaN cannot pass
    if (std::isnan(result.p_value)) {
      result.p_value = 0.0;
      result.detail = "not computable on this sample (" + (result.detail.empty() ? reference_.describe() : result.detail) +
                      "); statistic " + std::to_string(result.statistic);
    }
    if (result.detail.empty()) result.detail = reference_.describe();
  }
  v::judge(results, options.family);
  return results;
}

}  // namespace nninit::mpi
