// One-sample Kolmogorov–Smirnov statistics and tests.
#include "nninit/validation/kolmogorov_smirnov.hpp"

#include <algorithm>
#include <cmath>

#include "nninit/validation/kolmogorov_distribution.hpp"

namespace nninit::validation {
namespace {

TestResult make_result(const char* name, double d, std::size_t n, const char* detail) {
  TestResult result;
  result.name = name;
  result.statistic = d;
  result.sample_size = n;
  result.p_value = n == 0 ? not_a_number : kolmogorov_smirnov_p_value(n, d);
  result.measured = d;
  result.target = 0.0;
  result.detail = detail;
  return result;
}

}  // namespace

double ks_statistic_uniform(std::span<const double> sorted_u) noexcept {
  const double n = static_cast<double>(sorted_u.size());
  double d = 0.0;
  for (std::size_t i = 0; i < sorted_u.size(); ++i) {
    const double u = std::clamp(sorted_u[i], 0.0, 1.0);
    d = std::max({d, static_cast<double>(i + 1) / n - u, u - static_cast<double>(i) / n});
  }
  return d;
}

double ks_statistic(std::span<const double> sorted_sample, const ReferenceDistribution& dist) noexcept {
  const bool coarse = is_coarse(dist.grid());
  const double n = static_cast<double>(sorted_sample.size());
  double d = 0.0;
  std::size_t i = 0;
  while (i < sorted_sample.size()) {
    const double v = sorted_sample[i];
    std::size_t j = i;
    while (j < sorted_sample.size() && sorted_sample[j] == v) ++j;
    // Just below v the ECDF is i/n and the reference P(Y < v); at v they are j/n and P(Y <= v).
    const double below = coarse ? dist.output_cdf_below(v) : dist.cdf(v);
    const double at = coarse ? dist.output_cdf(v) : below;
    d = std::max({d, std::fabs(static_cast<double>(i) / n - below), std::fabs(static_cast<double>(j) / n - at)});
    i = j;
  }
  return d;
}

TestResult ks_test(std::span<const double> sorted_sample, const ReferenceDistribution& dist) {
  const char* detail = is_coarse(dist.grid())
                           ? "step CDF of the rounded output; p-value conservative for discrete data"
                           : "continuous CDF";
  return make_result("kolmogorov_smirnov", ks_statistic(sorted_sample, dist), sorted_sample.size(), detail);
}

TestResult ks_test_uniform(std::span<const double> sorted_u) {
  return make_result("kolmogorov_smirnov(u)", ks_statistic_uniform(sorted_u), sorted_u.size(),
                     "probability-transformed sample against U(0,1)");
}

}  // namespace nninit::validation
