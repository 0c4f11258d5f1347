// Pearson correlation tests.
#include "nninit/validation/correlation.hpp"

#include <algorithm>
#include <boost/math/distributions/complement.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "nninit/validation/chi_squared.hpp"
#include "normal_functions.hpp"

namespace nninit::validation {

CoMoments co_moments(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) {
    throw std::invalid_argument("correlation_test: lengths differ (" + std::to_string(x.size()) + " and " +
                                std::to_string(y.size()) + ")");
  }
  const std::size_t size = x.size();
  CoMoments moments;
  moments.count = size;
  if (size == 0) return moments;
  long double sum_x = 0.0L, sum_y = 0.0L;
  for (std::size_t i = 0; i < size; ++i) {
    sum_x += x[i];
    sum_y += y[i];
  }
  const long double mean_x = sum_x / static_cast<long double>(size);
  const long double mean_y = sum_y / static_cast<long double>(size);
  for (std::size_t i = 0; i < size; ++i) {
    const long double dx = x[i] - mean_x;
    const long double dy = y[i] - mean_y;
    moments.sxx += dx * dx;
    moments.syy += dy * dy;
    moments.sxy += dx * dy;
  }
  return moments;
}

TestResult correlation_test(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) {
    throw std::invalid_argument("correlation_test: lengths differ (" + std::to_string(x.size()) + " and " +
                                std::to_string(y.size()) + ")");
  }
  if (x.size() < 4) throw std::invalid_argument("correlation_test: need at least 4 pairs");
  return correlation_test(co_moments(x, y));
}

TestResult correlation_test(const CoMoments& moments) {
  if (moments.count < 4) throw std::invalid_argument("correlation_test: need at least 4 pairs");
  const std::size_t size = moments.count;
  const double n = static_cast<double>(size);
  const long double sxx = moments.sxx, syy = moments.syy, sxy = moments.sxy;
  TestResult result;
  result.name = "correlation";
  result.sample_size = size;
  result.target = 0.0;
  result.detail = "Pearson r, t-test with n-2 dof; 0.99 Fisher-z interval";
  if (!(sxx > 0.0L && syy > 0.0L)) {
    result.detail = "constant input: correlation undefined";
    return result;
  }
  const double r = std::fmax(-1.0, std::fmin(1.0, static_cast<double>(sxy / std::sqrt(sxx * syy))));
  result.measured = r;
  if (std::fabs(r) == 1.0) {
    result.statistic = std::copysign(HUGE_VAL, r);
    result.p_value = 0.0;
    result.ci_low = result.ci_high = r;
    return result;
  }
  const double t = r * std::sqrt((n - 2.0) / (1.0 - r * r));
  const boost::math::students_t_distribution<double> student(n - 2.0);
  result.statistic = t;
  result.p_value = std::fmin(1.0, 2.0 * boost::math::cdf(boost::math::complement(student, std::fabs(t))));
  const double z = std::atanh(r);
  const double half_width = internal::standard_normal_quantile(0.995) / std::sqrt(n - 3.0);
  result.ci_low = std::tanh(z - half_width);
  result.ci_high = std::tanh(z + half_width);
  return result;
}

TestResult serial_correlation_test(std::span<const double> sample, std::size_t lag) {
  if (lag == 0) throw std::invalid_argument("serial_correlation_test: lag must be >= 1");
  if (sample.size() < lag + 4) {
    throw std::invalid_argument("serial_correlation_test: need at least lag + 4 values, got " +
                                std::to_string(sample.size()));
  }
  TestResult result = correlation_test(sample.first(sample.size() - lag), sample.subspan(lag));
  result.name = "serial_correlation(lag " + std::to_string(lag) + ")";
  return result;
}

TestResult joint_uniformity_test(std::span<const double> u, std::span<const double> v,
                                 std::size_t cells_per_axis) {
  if (u.size() != v.size()) {
    throw std::invalid_argument("joint_uniformity_test: lengths differ (" + std::to_string(u.size()) + " and " +
                                std::to_string(v.size()) + ")");
  }
  if (cells_per_axis < 2) throw std::invalid_argument("joint_uniformity_test: cells_per_axis must be >= 2");
  const std::size_t cells = cells_per_axis * cells_per_axis;
  const double expected = static_cast<double>(u.size()) / static_cast<double>(cells);
  if (!(expected >= 5.0)) {
    throw std::invalid_argument("joint_uniformity_test: " + std::to_string(u.size()) + " pairs are too few for " +
                                std::to_string(cells) + " cells (need 5 per cell)");
  }
  const double scale = static_cast<double>(cells_per_axis);
  const auto cell_of = [&](double x) {
    const double c = std::floor(std::clamp(x, 0.0, 1.0) * scale);
    return std::min(static_cast<std::size_t>(c), cells_per_axis - 1);
  };
  std::vector<std::size_t> counts(cells, 0);
  for (std::size_t i = 0; i < u.size(); ++i) ++counts[cell_of(u[i]) * cells_per_axis + cell_of(v[i])];
  double statistic = 0.0;
  for (const std::size_t count : counts) {
    const double d = static_cast<double>(count) - expected;
    statistic += d * d / expected;
  }
  const double dof = static_cast<double>(cells - 1);
  TestResult result;
  result.name = "joint_uniformity(" + std::to_string(cells_per_axis) + "x" + std::to_string(cells_per_axis) + ")";
  result.statistic = statistic;
  result.p_value = chi_squared_p_value(statistic, dof);
  result.sample_size = u.size();
  result.measured = statistic / dof;
  result.target = 1.0;
  result.detail = "chi-squared over " + std::to_string(cells) + " equal cells of the unit square, expected " +
                  std::to_string(expected) + " pairs each";
  return result;
}

}  // namespace nninit::validation
