// The battery as it was computed before the two-pass implementation, for the
// tests: every test run on the whole sample held as doubles, straight from the
// per-test functions (a sorted copy, the probability transform of every value,
// the sorted transform for Anderson–Darling and the equiprobable bins on a
// coarse grid, with the jitters of each distinct value drawn for the value). The two-pass
// battery (battery.cpp) must agree with it to within stated tolerances.
#pragma once

#include <algorithm>
#include <cmath>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../src/ascending_jitters.hpp"
#include "nninit/validation/validation.hpp"

namespace nninit::validation::testing {

inline std::vector<TestResult> reference_battery(std::span<const double> sample, const ReferenceDistribution& dist,
                                                 const BatteryOptions& options = {},
                                                 std::vector<double>* chunk_p_values = nullptr) {
  std::vector<double> finite;
  std::copy_if(sample.begin(), sample.end(), std::back_inserter(finite), [](double x) { return std::isfinite(x); });
  if (finite.size() < 100) throw std::invalid_argument("reference_battery: need at least 100 finite values");
  const std::vector<double> sorted = sorted_copy(finite);
  const std::vector<double> u = probability_integral_transform(finite, dist, options.jitter_seed);
  const bool coarse = is_coarse(dist.grid());
  std::vector<TestResult> results;
  const auto run = [&](const char* name, auto&& test) {
    try {
      using Result = decltype(test());
      if constexpr (std::is_same_v<Result, TestResult>) {
        results.push_back(test());
      } else {
        for (TestResult& result : test()) results.push_back(std::move(result));
      }
    } catch (const std::invalid_argument&) {
      throw;
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
  // On a coarse grid, Anderson–Darling and the equiprobable bins take each
  // distinct value's jitters drawn for the value (ascending_jitters.hpp).
  std::vector<double> sorted_u;
  if (coarse) {
    for (std::size_t i = 0; i < sorted.size();) {
      std::size_t j = i;
      while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
      const double below = dist.output_cdf_below(sorted[i]), mass = dist.output_cdf(sorted[i]) - below;
      for (const double jitter : internal::ascending_jitters(options.jitter_seed, sorted[i], j - i)) {
        sorted_u.push_back(below + jitter * mass);
      }
      i = j;
    }
    std::sort(sorted_u.begin(), sorted_u.end());
  }
  run("anderson_darling", [&] {
    if (!coarse) return anderson_darling_test(sorted, dist);
    TestResult ad = anderson_darling_test_uniform(sorted_u);
    ad.name = "anderson_darling";
    ad.detail = "randomised probability transform of the rounded output (jitters drawn per distinct value)";
    return ad;
  });
  run("chi_squared(equiprobable)", [&] { return chi_squared_equiprobable_test(coarse ? sorted_u : u); });
  if (coarse) {
    run("chi_squared(grid cells)", [&] { return chi_squared_grid_test(sorted, dist, options.grid_min_expected_count); });
  }
  if (dist.kind() == DistributionKind::normal) run("tail_count", [&] { return tail_count_tests(finite, dist); });
  run("extreme", [&] { return extreme_value_tests(finite, dist); });
  if (options.two_level && finite.size() >= options.two_level_min_values) {
    run("two_level_ks", [&] {
      return two_level_ks_test_uniform(u, default_two_level_chunks(finite.size()), chunk_p_values);
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

}  // namespace nninit::validation::testing
