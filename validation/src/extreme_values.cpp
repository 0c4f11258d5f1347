// The sample-extremes test.
#include "nninit/validation/extreme_values.hpp"

#include <cmath>
#include <limits>
#include <sstream>

namespace nninit::validation {
namespace {

// P(at least one of n values has an event of probability q) = 1 - (1 - q)^n.
double probability_any(double q, double n) noexcept {
  if (q >= 1.0) return 1.0;
  return -std::expm1(n * std::log1p(-q));
}

TestResult extreme_result(const char* name, double value, double q, std::size_t n, const ReferenceDistribution& dist) {
  TestResult result;
  result.name = name;
  result.statistic = value;
  result.p_value = probability_any(q, static_cast<double>(n));
  result.sample_size = n;
  result.measured = (value - dist.mean()) / dist.sd();
  result.target = 0.0;
  std::ostringstream detail;
  detail.precision(6);
  detail << "value " << value << " (" << result.measured << " sd from the mean); P(one value this far) = " << q;
  result.detail = detail.str();
  return result;
}

}  // namespace

std::vector<TestResult> extreme_value_tests(std::span<const double> sample, const ReferenceDistribution& dist) {
  std::vector<TestResult> results;
  if (dist.kind() == DistributionKind::uniform) return results;
  double minimum = std::numeric_limits<double>::infinity();
  double maximum = -std::numeric_limits<double>::infinity();
  std::size_t n = 0;
  for (const double x : sample) {
    if (!std::isfinite(x)) continue;
    ++n;
    minimum = std::min(minimum, x);
    maximum = std::max(maximum, x);
  }
  return extreme_value_tests(minimum, maximum, n, dist);
}

std::vector<TestResult> extreme_value_tests(double minimum, double maximum, std::size_t n,
                                            const ReferenceDistribution& dist) {
  std::vector<TestResult> results;
  if (dist.kind() == DistributionKind::uniform || n == 0) return results;
  // P(Y <= min): output_cdf counts min's whole rounding interval (and any
  // clamped mass) on a grid, and is F(min) for a continuous output.
  const double q_low = dist.output_cdf(minimum);
  // P(Y >= max): the mass above the lower edge of max's rounding interval.
  double q_high = 0.0;
  if (dist.grid() == OutputGrid::continuous || !is_on_grid(maximum, dist.grid())) {
    q_high = dist.sf(maximum);
  } else {
    q_high = dist.output_sf(next_below(maximum, dist.grid()));
  }
  results.push_back(extreme_result("extreme(min)", minimum, q_low, n, dist));
  results.push_back(extreme_result("extreme(max)", maximum, q_high, n, dist));
  return results;
}

}  // namespace nninit::validation
