// Range checks in the output dtype.
#include "nninit/validation/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "nninit/validation/binomial_test.hpp"

namespace nninit::validation {
namespace {

std::string format(double value) {
  std::ostringstream text;
  text.precision(9);
  text << value;
  return text.str();
}

// P(all n values avoid an event of probability q) = (1 - q)^n.
double probability_all_avoid(double q, double n) noexcept {
  if (q >= 1.0) return 0.0;
  return std::exp(n * std::log1p(-q));
}

// The probability q_gap of the edge region that n values all miss with
// probability 1e-3: (1 - q)^n = 1e-3.
double edge_probability_missed_rarely(double n) noexcept {
  return -std::expm1(std::log(1e-3) / n);
}

TestResult edge_result(const char* name, double gap, double p_value, double rare_gap, std::size_t n) {
  TestResult result;
  result.name = name;
  result.statistic = gap;
  result.p_value = p_value;
  result.sample_size = n;
  result.measured = gap;
  result.target = 0.0;
  result.ci_low = 0.0;
  result.ci_high = rare_gap;
  result.detail = "gap between the bound and the nearest value; ci_high: gap exceeded with probability 1e-3";
  return result;
}

TestResult mass_result(const char* name, double bound, std::size_t count, std::size_t n, double mass,
                       double allowance) {
  const double high = std::min(1.0, mass + allowance);
  const double p_value = std::min(
      1.0, 2.0 * std::min(binomial_upper_tail(count, n, high), binomial_lower_tail(count, n, mass)));
  TestResult result;
  result.name = name;
  result.statistic = static_cast<double>(count);
  result.p_value = p_value;
  result.sample_size = n;
  result.measured = static_cast<double>(count) / static_cast<double>(n);
  result.target = mass;
  result.ci_low = mass;
  result.ci_high = high;
  result.detail = std::to_string(count) + " values exactly at " + format(bound) + "; null mass range [" +
                  format(mass) + ", " + format(high) + "]";
  return result;
}

}  // namespace

BoundsCounts bounds_counts(std::span<const double> sample, const ReferenceDistribution& dist) noexcept {
  const double lower = dist.output_lower();
  const double upper = dist.output_upper();
  BoundsCounts counts;
  counts.values = sample.size();
  for (const double x : sample) {
    if (!std::isfinite(x)) {
      ++counts.non_finite;
      continue;
    }
    counts.minimum = std::min(counts.minimum, x);
    counts.maximum = std::max(counts.maximum, x);
    if (x < lower || x > upper) ++counts.outside;
    if (x == lower) ++counts.at_lower;
    if (x == upper) ++counts.at_upper;
  }
  return counts;
}

std::vector<TestResult> bounds_tests(std::span<const double> sample, const ReferenceDistribution& dist,
                                     const BoundsOptions& options) {
  return bounds_tests(bounds_counts(sample, dist), dist, options);
}

std::vector<TestResult> bounds_tests(const BoundsCounts& counts, const ReferenceDistribution& dist,
                                     const BoundsOptions& options) {
  const double lower = dist.output_lower();
  const double upper = dist.output_upper();
  const std::size_t non_finite = counts.non_finite, outside = counts.outside;
  const std::size_t at_lower = counts.at_lower, at_upper = counts.at_upper;
  const double minimum = counts.minimum, maximum = counts.maximum;
  const std::size_t finite = counts.values - non_finite;
  std::vector<TestResult> results;

  TestResult finite_result;
  finite_result.name = "bounds(non-finite)";
  finite_result.statistic = static_cast<double>(non_finite);
  finite_result.p_value = non_finite == 0 ? 1.0 : 0.0;
  finite_result.sample_size = counts.values;
  finite_result.measured = static_cast<double>(non_finite);
  finite_result.target = 0.0;
  finite_result.detail = "NaN or infinite values";
  results.push_back(finite_result);

  const bool bounded = std::isfinite(dist.lower()) || std::isfinite(dist.upper());
  if (!bounded || finite == 0) return results;

  TestResult outside_result;
  outside_result.name = "bounds(outside)";
  outside_result.statistic = static_cast<double>(outside);
  outside_result.p_value = outside == 0 ? 1.0 : 0.0;
  outside_result.sample_size = finite;
  outside_result.measured = static_cast<double>(outside);
  outside_result.target = 0.0;
  outside_result.ci_low = minimum;
  outside_result.ci_high = maximum;
  outside_result.detail = "values outside [" + format(lower) + ", " + format(upper) + "] (" +
                          std::string(grid_name(dist.grid())) + "); min " + format(minimum) + ", max " +
                          format(maximum);
  results.push_back(outside_result);

  const double n = static_cast<double>(finite);
  const double rare = edge_probability_missed_rarely(n);
  if (std::isfinite(dist.lower())) {
    const double p = probability_all_avoid(dist.output_cdf_below(minimum), n);
    results.push_back(edge_result("bounds(lower edge approached)", minimum - dist.lower(), p,
                                  dist.quantile(rare) - dist.lower(), finite));
  }
  if (std::isfinite(dist.upper())) {
    const double p = probability_all_avoid(dist.output_sf(maximum), n);
    results.push_back(edge_result("bounds(upper edge approached)", dist.upper() - maximum, p,
                                  dist.upper() - dist.upper_quantile(rare), finite));
  }
  if (std::isfinite(lower)) {
    results.push_back(mass_result("bounds(mass at lower)", lower, at_lower, finite, dist.output_mass(lower),
                                  options.atom_allowance));
  }
  if (std::isfinite(upper)) {
    results.push_back(mass_result("bounds(mass at upper)", upper, at_upper, finite, dist.output_mass(upper),
                                  options.atom_allowance));
  }
  return results;
}

}  // namespace nninit::validation
