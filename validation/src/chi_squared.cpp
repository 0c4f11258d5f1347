// Pearson chi-squared goodness-of-fit tests.
#include "nninit/validation/chi_squared.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/complement.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "nninit/validation/discrete_output.hpp"
#include "nninit/validation/probability_transform.hpp"

namespace nninit::validation {

double chi_squared_p_value(double statistic, double dof) {
  if (!(dof > 0.0)) throw std::invalid_argument("chi_squared_p_value: dof must be > 0, got " + std::to_string(dof));
  if (std::isnan(statistic)) return statistic;
  if (statistic <= 0.0) return 1.0;
  if (std::isinf(statistic)) return 0.0;
  const boost::math::chi_squared_distribution<double> distribution(dof);
  return boost::math::cdf(boost::math::complement(distribution, statistic));
}

std::size_t default_equiprobable_bins(std::size_t n) noexcept {
  return std::clamp<std::size_t>(n / 50, 2, 1000);
}

TestResult chi_squared_equiprobable_test(std::span<const double> u, std::size_t bins) {
  if (bins == 1) throw std::invalid_argument("chi_squared_equiprobable_test: bins must be >= 2 (or 0 for auto)");
  if (bins == 0) bins = default_equiprobable_bins(u.size());
  std::vector<std::size_t> counts(bins, 0);
  for (const double value : u) ++counts[equiprobable_bin(value, bins)];
  return chi_squared_equiprobable_test_from_counts(counts);
}

TestResult chi_squared_equiprobable_test_from_counts(std::span<const std::size_t> counts) {
  const std::size_t bins = counts.size();
  if (bins < 2) throw std::invalid_argument("chi_squared_equiprobable_test: bins must be >= 2 (or 0 for auto)");
  std::size_t size = 0;
  for (const std::size_t count : counts) size += count;
  const double k = static_cast<double>(bins);
  const double expected = static_cast<double>(size) / k;
  double statistic = 0.0;
  for (const std::size_t count : counts) {
    const double difference = static_cast<double>(count) - expected;
    statistic += difference * difference / expected;
  }
  TestResult result;
  result.name = "chi_squared(equiprobable)";
  result.statistic = statistic;
  result.sample_size = size;
  result.p_value = size == 0 ? not_a_number : chi_squared_p_value(statistic, k - 1.0);
  result.measured = statistic;
  result.target = k - 1.0;  // the mean of chi^2_{k-1}
  result.detail = std::to_string(bins) + " equiprobable bins, expected " + std::to_string(expected) + " each";
  return result;
}

TestResult chi_squared_equiprobable_test(std::span<const double> sample, const ReferenceDistribution& dist,
                                         std::size_t bins) {
  const std::vector<double> u = probability_integral_transform(sample, dist);
  return chi_squared_equiprobable_test(u, bins);
}

TestResult chi_squared_grid_test(std::span<const double> sorted_sample, const ReferenceDistribution& dist,
                                 double min_expected_count) {
  const std::vector<GridCell> cells = grid_cells(sorted_sample, dist, min_expected_count);
  return chi_squared_grid_test(cells, sorted_sample.size(), dist, min_expected_count);
}

TestResult chi_squared_grid_test(std::span<const GridCell> cells, std::size_t size, const ReferenceDistribution& dist,
                                 double min_expected_count) {
  const double n = static_cast<double>(size);
  double statistic = 0.0;
  for (const GridCell& cell : cells) {
    const double expected = n * cell.probability;
    const double difference = static_cast<double>(cell.observed) - expected;
    statistic += expected > 0.0 ? difference * difference / expected
                                : (cell.observed > 0 ? HUGE_VAL : 0.0);
  }
  const double dof = static_cast<double>(cells.size()) - 1.0;
  TestResult result;
  result.name = "chi_squared(grid cells)";
  result.statistic = statistic;
  result.sample_size = size;
  result.p_value = (size == 0 || dof < 1.0) ? not_a_number : chi_squared_p_value(statistic, dof);
  result.measured = statistic;
  result.target = dof;
  result.detail = std::to_string(cells.size()) + " cells of consecutive " + std::string(grid_name(dist.grid())) +
                  " values, each expecting >= " + std::to_string(min_expected_count);
  return result;
}

}  // namespace nninit::validation
