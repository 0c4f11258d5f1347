// The standard battery of tests for one sample and one reference distribution.
#include "nninit/validation/battery.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "nninit/validation/anderson_darling.hpp"
#include "nninit/validation/chi_squared.hpp"
#include "nninit/validation/correlation.hpp"
#include "nninit/validation/extreme_values.hpp"
#include "nninit/validation/kolmogorov_smirnov.hpp"
#include "nninit/validation/moment_tests.hpp"
#include "nninit/validation/resolution.hpp"
#include "nninit/validation/sample.hpp"
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
  if (finite.size() < 100) {
    throw std::invalid_argument("run_battery: need at least 100 finite values, got " + std::to_string(finite.size()));
  }
  artifacts.sorted = sorted_copy(finite);
  artifacts.two_level_p_values.clear();
  const std::vector<double>& sorted = artifacts.sorted;
  const std::vector<double> u = probability_integral_transform(finite, dist, options.jitter_seed);
  const bool coarse = is_coarse(dist.grid());

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
      failed.sample_size = finite.size();
      failed.detail = std::string("could not be evaluated, the statistic is out of range: ") + error.what();
      results.push_back(std::move(failed));
    }
  };
  run("bounds", [&] { return bounds_tests(sample, dist, options.bounds); });
  run("mean", [&] { return mean_test(finite, dist, options.confidence); });
  run("standard_deviation", [&] { return std_test(finite, dist, options.confidence); });
  run("kolmogorov_smirnov", [&] { return ks_test(sorted, dist); });
  run("anderson_darling", [&] {
    if (!coarse) return anderson_darling_test(sorted, dist);
    std::vector<double> sorted_u = u;
    internal::sort_unit_interval(sorted_u);
    TestResult ad = anderson_darling_test_uniform(sorted_u);
    ad.name = "anderson_darling";
    ad.detail = "randomised probability transform of the rounded output";
    return ad;
  });
  run("chi_squared(equiprobable)", [&] { return chi_squared_equiprobable_test(u); });
  if (coarse) {
    run("chi_squared(grid cells)", [&] { return chi_squared_grid_test(sorted, dist, options.grid_min_expected_count); });
  }
  if (dist.kind() == DistributionKind::normal) run("tail_count", [&] { return tail_count_tests(finite, dist); });
  run("extreme", [&] { return extreme_value_tests(finite, dist); });
  if (options.two_level && finite.size() >= options.two_level_min_values) {
    run("two_level_ks", [&] {
      return two_level_ks_test_uniform(u, default_two_level_chunks(finite.size()), &artifacts.two_level_p_values);
    });
  }
  run("serial_correlation(lag 1)", [&] { return serial_correlation_test(finite, 1); });
  run("correlation(first half, second half)", [&] {
    const std::size_t half = finite.size() / 2;
    TestResult halves = correlation_test(std::span<const double>(finite).first(half),
                                         std::span<const double>(finite).subspan(half, half));
    halves.name = "correlation(first half, second half)";
    return halves;
  });
  const double step = options.generator_step == 0.0 ? default_generator_step(dist.grid()) : options.generator_step;
  if (!coarse && step > 0.0) run("resolution(collisions)", [&] { return resolution_test(sorted, dist, step); });

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

}  // namespace nninit::validation
