// The Anderson–Darling statistic and test.
#include "nninit/validation/anderson_darling.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "nninit/validation/probability_transform.hpp"

namespace nninit::validation {
namespace {

// A^2 from ln F(x_i) and ln(1 - F(x_i)) of a sorted sample, accumulated in long double.
template <typename LogCdf, typename LogSf>
double statistic_from_logs(std::size_t size, LogCdf log_cdf, LogSf log_sf) noexcept {
  if (size == 0) return not_a_number;
  const long double n = static_cast<long double>(size);
  long double sum = 0.0L;
  for (std::size_t i = 0; i < size; ++i) {
    const long double weight_low = 2.0L * static_cast<long double>(i) + 1.0L;        // 2(i+1) - 1
    const long double weight_high = 2.0L * static_cast<long double>(size - i) - 1.0L;  // 2(n-i) - 1
    sum += weight_low * static_cast<long double>(log_cdf(i)) + weight_high * static_cast<long double>(log_sf(i));
  }
  return static_cast<double>(-n - sum / n);
}

TestResult make_result(const char* name, double a2, std::size_t n, const char* detail) {
  TestResult result;
  result.name = name;
  result.statistic = a2;
  result.sample_size = n;
  result.p_value = n == 0 ? not_a_number : anderson_darling_p_value(n, a2);
  result.measured = a2;
  result.detail = detail;
  return result;
}

}  // namespace

double anderson_darling_statistic_uniform(std::span<const double> sorted_u) noexcept {
  return statistic_from_logs(
      sorted_u.size(), [&](std::size_t i) { return std::log(sorted_u[i]); },
      [&](std::size_t i) { return std::log1p(-sorted_u[i]); });
}

double anderson_darling_statistic(std::span<const double> sorted_sample,
                                  const ReferenceDistribution& dist) noexcept {
  // The edges of the real numbers a grid value stands for (for the continuous
  // grid, whose midpoints are not doubles: the neighbouring doubles).
  const auto edges = [&](double x) -> RoundingInterval {
    if (dist.grid() == OutputGrid::continuous) return {std::nextafter(x, -HUGE_VAL), std::nextafter(x, HUGE_VAL)};
    return rounding_interval(x, dist.grid());
  };
  // A value on or beyond a bound of the support that rounding reaches (a
  // float32 uniform on [0, 1) gives 0 with probability 2^-24; PyTorch's
  // U(-b, b) gives float32(-b), which lies below -b when float32 rounds
  // outward) stands for the part of its rounding interval inside the support:
  // F there is half that part's mass, not 0 (which would make A^2 infinite).
  // A value whose whole rounding interval lies outside keeps F = 0: A^2 is
  // infinite and the test fails, as the bounds test does.
  const auto log_cdf = [&](std::size_t i) {
    const double x = sorted_sample[i];
    double p = dist.cdf(x);
    if (p == 0.0) p = 0.5 * dist.cdf(edges(x).upper);
    return std::log(p);
  };
  const auto log_sf = [&](std::size_t i) {
    const double x = sorted_sample[i];
    double q = dist.sf(x);
    if (q == 0.0) q = 0.5 * dist.sf(edges(x).lower);
    return std::log(q);
  };
  return statistic_from_logs(sorted_sample.size(), log_cdf, log_sf);
}

TestResult anderson_darling_test(std::span<const double> sorted_sample, const ReferenceDistribution& dist) {
  if (!is_coarse(dist.grid())) {
    return make_result("anderson_darling", anderson_darling_statistic(sorted_sample, dist), sorted_sample.size(),
                       "continuous CDF, fully specified");
  }
  std::vector<double> u = probability_integral_transform(sorted_sample, dist);
  // Ranks of tied values share one rounding interval: sort within it.
  std::sort(u.begin(), u.end());
  return make_result("anderson_darling", anderson_darling_statistic_uniform(u), sorted_sample.size(),
                     "randomised probability transform of the rounded output");
}

TestResult anderson_darling_test_from_statistic(double a2, std::size_t n, const char* detail) {
  return make_result("anderson_darling", a2, n, detail);
}

TestResult anderson_darling_test_uniform(std::span<const double> sorted_u) {
  return make_result("anderson_darling(u)", anderson_darling_statistic_uniform(sorted_u), sorted_u.size(),
                     "probability-transformed sample against U(0,1)");
}

}  // namespace nninit::validation
