// The standard battery of tests for one sample and one reference distribution:
// the passes over the sample (battery_continuous.cpp, battery_coarse.cpp)
// gather what the tests read; the tests are then judged as a family.
#include "nninit/validation/battery.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "battery_core.hpp"
#include "nninit/validation/anderson_darling.hpp"
#include "nninit/validation/chi_squared.hpp"
#include "nninit/validation/correlation.hpp"
#include "nninit/validation/discrete_output.hpp"
#include "nninit/validation/extreme_values.hpp"
#include "nninit/validation/kolmogorov_distribution.hpp"
#include "nninit/validation/kolmogorov_smirnov.hpp"
#include "nninit/validation/moment_tests.hpp"
#include "nninit/validation/resolution.hpp"
#include "nninit/validation/tail_counts.hpp"
#include "nninit/validation/two_level.hpp"
#include "radix_sort.hpp"

namespace nninit::validation {

double default_generator_step(OutputGrid grid) noexcept {
  switch (grid) {
    case OutputGrid::float32:
      return 0x1p-23;
    case OutputGrid::continuous:
      return 0x1p-52;
    case OutputGrid::bfloat16:
    case OutputGrid::float16:
      return 0.0;
  }
  return 0.0;
}

namespace {

using internal::BatterySummary;
using internal::PassOptions;

void require_enough(std::size_t finite) {
  if (finite < 100) {
    throw std::invalid_argument("run_battery: need at least 100 finite values, got " + std::to_string(finite));
  }
}

[[noreturn]] void off_grid(std::size_t index, double x, OutputGrid grid) {
  std::ostringstream message;
  message.precision(17);
  message << "probability_integral_transform: sample[" << index << "] = " << x << " is not a " << grid_name(grid)
          << " value";
  throw std::invalid_argument(message.str());
}

HalfFormat format_of(OutputGrid grid) noexcept {
  return grid == OutputGrid::bfloat16 ? HalfFormat::bfloat16 : HalfFormat::float16;
}

PassOptions pass_options(std::size_t n, const ReferenceDistribution& dist, const BatteryOptions& options) {
  PassOptions passes;
  passes.jitter_seed = options.jitter_seed;
  passes.progress.sink = &options.progress;
  passes.tail_counts = dist.kind() == DistributionKind::normal;
  passes.equiprobable_bins = default_equiprobable_bins(n);
  if (options.two_level && n >= options.two_level_min_values) {
    const std::size_t chunks = default_two_level_chunks(n);
    // As two_level_ks_test_uniform requires.
    if (n / chunks < 5) {
      throw std::invalid_argument("two_level_ks_test: " + std::to_string(n) + " values are too few for " +
                                  std::to_string(chunks) + " chunks of at least 5");
    }
    passes.two_level_chunks = chunks;
  }
  return passes;
}

// The 16-bit keys of the coarse grid for values held as doubles (or floats).
template <class T>
std::vector<std::uint16_t> grid_keys(std::span<const T> finite, OutputGrid grid) {
  const HalfFormat format = format_of(grid);
  std::vector<std::uint16_t> keys(finite.size());
  for (std::size_t i = 0; i < finite.size(); ++i) {
    const auto x = static_cast<double>(finite[i]);
    const std::optional<std::uint16_t> bits = double_to_half_bits(x, format);
    if (!bits) off_grid(i, x, grid);
    keys[i] = *bits;
  }
  return keys;
}

std::vector<TestResult> judged_results(const BatterySummary& summary, const ReferenceDistribution& dist,
                                       const BatteryOptions& options) {
  const bool coarse = is_coarse(dist.grid());
  const std::size_t n = summary.n;
  std::vector<TestResult> results;
  // Runs one test (or a group); a numerical library error inside it (Boost's
  // domain / overflow / evaluation errors on a statistic that overflowed) is
  // that test's FAIL with the explanation, not the end of the battery.
  const auto run = [&](const char* name, auto&& test) {
    try {
      using Result = decltype(test());
      if constexpr (std::is_same_v<Result, TestResult>) {
        results.push_back(test());
      } else {
        for (TestResult& result : test()) results.push_back(std::move(result));
      }
    } catch (const std::invalid_argument&) {
      throw;  // a precondition of the battery itself (too few values, off the grid)
    } catch (const std::exception& error) {
      TestResult failed;
      failed.name = name;
      failed.p_value = 0.0;
      failed.sample_size = n;
      failed.detail = std::string("could not be evaluated, the statistic is out of range: ") + error.what();
      results.push_back(std::move(failed));
    }
  };
  run("bounds", [&] { return bounds_tests(summary.bounds, dist, options.bounds); });
  run("mean", [&] { return mean_test(summary.moments, dist, options.confidence); });
  run("standard_deviation", [&] { return std_test(summary.moments, dist, options.confidence); });
  run("kolmogorov_smirnov", [&] {  // as ks_test builds it
    TestResult ks;
    ks.name = "kolmogorov_smirnov";
    ks.statistic = summary.ks_statistic;
    ks.sample_size = n;
    ks.p_value = kolmogorov_smirnov_p_value(n, summary.ks_statistic);
    ks.measured = summary.ks_statistic;
    ks.target = 0.0;
    ks.detail = coarse ? "step CDF of the rounded output; p-value conservative for discrete data" : "continuous CDF";
    return ks;
  });
  run("anderson_darling", [&] {
    return anderson_darling_test_from_statistic(summary.ad_statistic, n,
                                                coarse ? "randomised probability transform of the rounded output "
                                                                "(jitters drawn per distinct value)"
                                                       : "continuous CDF, fully specified");
  });
  run("chi_squared(equiprobable)", [&] { return chi_squared_equiprobable_test_from_counts(summary.equiprobable_counts); });
  if (coarse) {
    run("chi_squared(grid cells)", [&] {
      const double min_expected = options.grid_min_expected_count;
      if (!(min_expected > 0.0)) {
        throw std::invalid_argument("grid_cells: min_expected_count must be > 0, got " + std::to_string(min_expected));
      }
      // The cells for n values: grid_cells takes an empty sample as one value,
      // so the expected count per value is scaled by n instead.
      std::vector<GridCell> cells = grid_cells({}, dist, min_expected / static_cast<double>(n));
      std::size_t cell = 0;
      for (const auto& [value, count] : summary.distinct) {
        while (cell + 1 < cells.size() && value > cells[cell].last) ++cell;
        cells[cell].observed += count;
      }
      return chi_squared_grid_test(cells, n, dist, min_expected);
    });
  }
  if (dist.kind() == DistributionKind::normal) {
    run("tail_count", [&] { return tail_count_tests_from_counts(summary.tail_counts, n, dist); });
  }
  run("extreme", [&] { return extreme_value_tests(summary.bounds.minimum, summary.bounds.maximum, n, dist); });
  if (summary.two_level_run) run("two_level_ks", [&] { return two_level_ks_of_chunk_p_values(summary.chunk_p_values, n); });
  run("serial_correlation(lag 1)", [&] {
    TestResult serial = correlation_test(summary.serial);
    serial.name = "serial_correlation(lag 1)";
    return serial;
  });
  run("correlation(first half, second half)", [&] {
    TestResult halves = correlation_test(summary.halves);
    halves.name = "correlation(first half, second half)";
    return halves;
  });
  const double step = options.generator_step == 0.0 ? default_generator_step(dist.grid()) : options.generator_step;
  if (!coarse && step > 0.0) {
    run("resolution(collisions)", [&] { return resolution_test_from_collisions(summary.collisions, n, dist, step); });
  }

  // A test whose p-value is NaN could not judge the sample (a statistic that
  // overflowed, or a constant sample where a correlation is undefined): Holm
  // would leave it unjudged, and the battery would pass on what it never
  // tested. It fails instead, saying why.
  for (TestResult& result : results) {
    if (std::isnan(result.p_value)) {
      result.p_value = 0.0;
      result.detail = "not computable on this sample (" + (result.detail.empty() ? dist.describe() : result.detail) +
                      "); statistic " + std::to_string(result.statistic);
    }
  }
  for (TestResult& result : results) {
    if (result.detail.empty()) result.detail = dist.describe();
  }
  judge(results, options.family);
  return results;
}

// The battery on the n finite values at the front of `values` (in storage
// order), `total` values given in all.
template <class Elements>
std::vector<TestResult> battery_of_finite(std::span<typename Elements::Stored> values, std::size_t n,
                                          std::size_t total, const Elements& elements,
                                          const ReferenceDistribution& dist, const BatteryOptions& options) {
  require_enough(n);
  const PassOptions passes = pass_options(n, dist, options);
  BatterySummary summary = internal::continuous_passes(values.first(n), elements, dist, passes);
  summary.bounds.values = total;
  summary.bounds.non_finite = total - n;
  return judged_results(summary, dist, options);
}

std::vector<TestResult> battery_of_keys(std::span<const std::uint16_t> keys, std::size_t total,
                                        const ReferenceDistribution& dist,
                                        const BatteryOptions& options, BatteryArtifacts* artifacts) {
  const PassOptions passes = pass_options(keys.size(), dist, options);
  BatterySummary summary = internal::coarse_passes(keys, format_of(dist.grid()), dist, passes);
  summary.bounds.values = total;
  summary.bounds.non_finite = total - keys.size();
  if (artifacts != nullptr) artifacts->two_level_p_values = summary.chunk_p_values;
  return judged_results(summary, dist, options);
}

}  // namespace

std::vector<TestResult> run_battery(std::span<const double> sample, const ReferenceDistribution& dist,
                                    const BatteryOptions& options) {
  BatteryArtifacts artifacts;
  return run_battery(sample, dist, options, artifacts);
}

std::vector<TestResult> run_battery(std::span<const double> sample, const ReferenceDistribution& dist,
                                    const BatteryOptions& options, BatteryArtifacts& artifacts) {
  std::vector<double> finite;
  finite.reserve(sample.size());
  std::copy_if(sample.begin(), sample.end(), std::back_inserter(finite), [](double x) { return std::isfinite(x); });
  require_enough(finite.size());
  artifacts.two_level_p_values.clear();
  if (is_coarse(dist.grid())) {
    std::vector<std::uint16_t> keys = grid_keys(std::span<const double>(finite), dist.grid());
    std::vector<TestResult> results = battery_of_keys(keys, sample.size(), dist, options, &artifacts);
    internal::sort_in_place_16(keys);
    const HalfFormat format = format_of(dist.grid());
    for (std::size_t i = 0; i < keys.size(); ++i) finite[i] = half_bits_to_double(keys[i], format);
    artifacts.sorted = std::move(finite);
    return results;
  }
  const std::size_t n = finite.size();
  const PassOptions passes = pass_options(n, dist, options);
  BatterySummary summary =
      internal::continuous_passes(std::span<double>(finite), internal::DoubleElements{}, dist, passes);
  summary.bounds.values = sample.size();
  summary.bounds.non_finite = sample.size() - n;
  artifacts.two_level_p_values = summary.chunk_p_values;
  artifacts.sorted = std::move(finite);
  return judged_results(summary, dist, options);
}

std::vector<TestResult> run_battery_in_place(std::span<float> sample, const ReferenceDistribution& dist,
                                             const BatteryOptions& options) {
  const std::size_t n = internal::compact_finite(sample, [](float x) { return std::isfinite(x); });
  require_enough(n);
  if (is_coarse(dist.grid())) {
    const std::vector<std::uint16_t> keys = grid_keys(std::span<const float>(sample.first(n)), dist.grid());
    return battery_of_keys(keys, sample.size(), dist, options, nullptr);
  }
  return battery_of_finite(sample, n, sample.size(), internal::FloatElements{}, dist, options);
}

std::vector<TestResult> run_battery_in_place(std::span<double> sample, const ReferenceDistribution& dist,
                                             const BatteryOptions& options) {
  const std::size_t n = internal::compact_finite(sample, [](double x) { return std::isfinite(x); });
  require_enough(n);
  if (is_coarse(dist.grid())) {
    const std::vector<std::uint16_t> keys = grid_keys(std::span<const double>(sample.first(n)), dist.grid());
    return battery_of_keys(keys, sample.size(), dist, options, nullptr);
  }
  return battery_of_finite(sample, n, sample.size(), internal::DoubleElements{}, dist, options);
}

std::vector<TestResult> run_battery_in_place(std::span<std::uint16_t> bits, HalfFormat format,
                                             const ReferenceDistribution& dist, const BatteryOptions& options) {
  const std::size_t n = internal::compact_finite(bits, [format](std::uint16_t b) { return half_bits_finite(b, format); });
  require_enough(n);
  if (is_coarse(dist.grid())) {
    const HalfFormat grid_format = format_of(dist.grid());
    if (grid_format != format) {  // e.g. bfloat16 values tested on the float16 grid: convert in place
      for (std::size_t i = 0; i < n; ++i) {
        const double x = half_bits_to_double(bits[i], format);
        const std::optional<std::uint16_t> key = double_to_half_bits(x, grid_format);
        if (!key) off_grid(i, x, dist.grid());
        bits[i] = *key;
      }
    }
    return battery_of_keys(bits.first(n), bits.size(), dist, options, nullptr);
  }
  return battery_of_finite(bits, n, bits.size(), internal::HalfElements(format), dist, options);
}

}  // namespace nninit::validation
