// The standard battery of tests for one sample and one reference distribution.
#include "nninit/validation/battery.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

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

  std::vector<TestResult> results = bounds_tests(sample, dist, options.bounds);
  results.push_back(mean_test(finite, dist, options.confidence));
  results.push_back(std_test(finite, dist, options.confidence));
  results.push_back(ks_test(sorted, dist));
  if (coarse) {
    std::vector<double> sorted_u = u;
    internal::sort_unit_interval(sorted_u);
    TestResult ad = anderson_darling_test_uniform(sorted_u);
    ad.name = "anderson_darling";
    ad.detail = "randomised probability transform of the rounded output";
    results.push_back(ad);
  } else {
    results.push_back(anderson_darling_test(sorted, dist));
  }
  results.push_back(chi_squared_equiprobable_test(u));
  if (coarse) results.push_back(chi_squared_grid_test(sorted, dist, options.grid_min_expected_count));
  if (dist.kind() == DistributionKind::normal) {
    for (TestResult& result : tail_count_tests(finite, dist)) results.push_back(result);
  }
  for (TestResult& result : extreme_value_tests(finite, dist)) results.push_back(result);
  if (options.two_level && finite.size() >= options.two_level_min_values) {
    results.push_back(
        two_level_ks_test_uniform(u, default_two_level_chunks(finite.size()), &artifacts.two_level_p_values));
  }
  results.push_back(serial_correlation_test(finite, 1));
  const std::size_t half = finite.size() / 2;
  TestResult halves = correlation_test(std::span<const double>(finite).first(half),
                                       std::span<const double>(finite).subspan(half, half));
  halves.name = "correlation(first half, second half)";
  results.push_back(halves);
  const double step = options.generator_step == 0.0 ? default_generator_step(dist.grid()) : options.generator_step;
  if (!coarse && step > 0.0) results.push_back(resolution_test(sorted, dist, step));

  for (TestResult& result : results) {
    if (result.detail.empty()) result.detail = dist.describe();
  }
  judge(results, options.family);
  return results;
}

}  // namespace nninit::validation
