// Tests of the mean and the standard deviation.
#include "nninit/validation/moment_tests.hpp"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/complement.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

#include "normal_functions.hpp"
#include "nninit/validation/sample.hpp"

namespace nninit::validation {
namespace {

void require_confidence(double confidence, const char* where) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument(std::string(where) + ": confidence must be in (0, 1), got " +
                                std::to_string(confidence));
  }
}

}  // namespace

TestResult mean_test(std::span<const double> sample, double target_mean, double confidence) {
  require_confidence(confidence, "mean_test");
  if (sample.size() < 2) throw std::invalid_argument("mean_test: need at least 2 values");
  return mean_test(sample_moments(sample), target_mean, confidence);
}

TestResult mean_test(const SampleMoments& moments, double target_mean, double confidence) {
  require_confidence(confidence, "mean_test");
  if (moments.count < 2) throw std::invalid_argument("mean_test: need at least 2 values");
  const double n = static_cast<double>(moments.count);
  TestResult result;
  result.name = "mean";
  result.sample_size = moments.count;
  result.measured = moments.mean;
  result.target = target_mean;
  if (!(moments.variance > 0.0)) {
    result.statistic = moments.mean == target_mean ? 0.0 : HUGE_VAL;
    result.p_value = moments.mean == target_mean ? 1.0 : 0.0;
    result.ci_low = result.ci_high = moments.mean;
    result.detail = "zero sample variance";
    return result;
  }
  // t from the sd (finite for any finite sample), not the variance (which
  // overflows for values beyond 1e154).
  const double standard_error = moments.sd / std::sqrt(n);
  const double t = (moments.mean - target_mean) / standard_error;
  const boost::math::students_t_distribution<double> student(n - 1.0);
  result.statistic = t;
  result.p_value =
      std::isfinite(t) ? std::fmin(1.0, 2.0 * boost::math::cdf(boost::math::complement(student, std::fabs(t)))) : 0.0;
  const double half_width =
      boost::math::quantile(boost::math::complement(student, (1.0 - confidence) / 2.0)) * standard_error;
  result.ci_low = moments.mean - half_width;
  result.ci_high = moments.mean + half_width;
  result.detail = "one-sample t-test; " + std::to_string(confidence) + " t-interval";
  return result;
}

TestResult mean_test(std::span<const double> sample, const ReferenceDistribution& dist, double confidence) {
  return mean_test(sample, dist.output_mean(), confidence);
}

TestResult mean_test(const SampleMoments& moments, const ReferenceDistribution& dist, double confidence) {
  return mean_test(moments, dist.output_mean(), confidence);
}

TestResult std_test(std::span<const double> sample, double target_sd, double kurtosis, double confidence) {
  require_confidence(confidence, "std_test");
  if (sample.size() < 4) throw std::invalid_argument("std_test: need at least 4 values");
  return std_test(sample_moments(sample), target_sd, kurtosis, confidence);
}

TestResult std_test(const SampleMoments& moments, double target_sd, double kurtosis, double confidence) {
  require_confidence(confidence, "std_test");
  if (moments.count < 4) throw std::invalid_argument("std_test: need at least 4 values");
  if (!(target_sd > 0.0) || !std::isfinite(target_sd)) {
    throw std::invalid_argument("std_test: target_sd must be > 0, got " + std::to_string(target_sd));
  }
  if (!(kurtosis >= 1.0) || !std::isfinite(kurtosis)) {
    throw std::invalid_argument("std_test: kurtosis must be >= 1, got " + std::to_string(kurtosis));
  }
  const double n = static_cast<double>(moments.count);
  // Var(s^2) / sigma^4 for iid data with kurtosis kappa; everything in units
  // of the target (s / sigma), so that no square overflows.
  const double relative_variance = (kurtosis - (n - 3.0) / (n - 1.0)) / n;
  const double ratio = moments.sd / target_sd;
  const double z = (ratio * ratio - 1.0) / std::sqrt(relative_variance);
  const double critical = internal::standard_normal_quantile(0.5 + confidence / 2.0);
  const double half_width = critical * std::sqrt(relative_variance);  // of s^2 / sigma^2, relative
  TestResult result;
  result.name = "standard_deviation";
  result.statistic = z;
  result.p_value = std::isfinite(z) ? std::fmin(1.0, 2.0 * internal::standard_normal_sf(std::fabs(z))) : 0.0;
  result.sample_size = moments.count;
  result.measured = moments.sd;
  result.ci_low = moments.sd * std::sqrt(std::fmax(0.0, 1.0 - half_width));
  result.ci_high = moments.sd * std::sqrt(1.0 + half_width);
  result.target = target_sd;
  result.detail = "z-test on s^2 with kurtosis " + std::to_string(kurtosis) + "; sample kurtosis " +
                  std::to_string(moments.kurtosis);
  return result;
}

TestResult std_test(std::span<const double> sample, const ReferenceDistribution& dist, double confidence) {
  if (dist.kind() != DistributionKind::normal) {
    return std_test(sample, dist.output_sd(), dist.output_kurtosis(), confidence);
  }
  require_confidence(confidence, "std_test");
  if (sample.size() < 2) throw std::invalid_argument("std_test: need at least 2 values");
  return std_test(sample_moments(sample), dist, confidence);
}

TestResult std_test(const SampleMoments& moments, const ReferenceDistribution& dist, double confidence) {
  if (dist.kind() != DistributionKind::normal) {
    return std_test(moments, dist.output_sd(), dist.output_kurtosis(), confidence);
  }
  require_confidence(confidence, "std_test");
  if (moments.count < 2) throw std::invalid_argument("std_test: need at least 2 values");
  const double dof = static_cast<double>(moments.count) - 1.0;
  const double ratio = moments.sd / dist.output_sd();  // finite for finite input; its square may not be
  const double statistic = dof * ratio * ratio;
  const boost::math::chi_squared_distribution<double> chi_squared(dof);
  const double tail = (1.0 - confidence) / 2.0;
  TestResult result;
  result.name = "standard_deviation";
  result.statistic = statistic;
  if (std::isfinite(statistic)) {
    const double lower_tail = boost::math::cdf(chi_squared, statistic);
    const double upper_tail = boost::math::cdf(boost::math::complement(chi_squared, statistic));
    result.p_value = std::fmin(1.0, 2.0 * std::fmin(lower_tail, upper_tail));
  } else {
    result.p_value = 0.0;  // s / sigma beyond 1e154: no chi-squared value is that large
  }
  result.sample_size = moments.count;
  result.measured = moments.sd;
  result.ci_low = moments.sd * std::sqrt(dof / boost::math::quantile(boost::math::complement(chi_squared, tail)));
  result.ci_high = moments.sd * std::sqrt(dof / boost::math::quantile(chi_squared, tail));
  result.target = dist.output_sd();
  result.detail = "chi-squared test of (n-1) s^2 / sigma^2 (normal); sample kurtosis " +
                  std::to_string(moments.kurtosis);
  return result;
}

}  // namespace nninit::validation
