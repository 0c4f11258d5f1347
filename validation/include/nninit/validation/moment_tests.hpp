// nninit/validation/moment_tests.hpp — tests of the sample mean and standard
// deviation against their targets, each reporting the measured value with a
// confidence interval beside the target.
#pragma once

#include <span>

#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/sample.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// Student's t-test of H0: E[X] = target_mean, by
// boost::math::statistics::one_sample_t_test (not one_sample_z_test, which is
// wrong in Boost 1.81). measured = sample mean, [ci_low, ci_high] its
// `confidence` t-interval. A sample with zero variance gets p = 1 if its mean
// equals the target, else 0. Throws std::invalid_argument if fewer than 2
// values or confidence is not in (0, 1). name "mean".
// Example: mean_test(values, 0.0).p_value.
TestResult mean_test(std::span<const double> sample, double target_mean, double confidence = 0.99);
// The same with dist.output_mean() (the mean of the rounded output on a coarse
// grid, else dist.mean()).
TestResult mean_test(std::span<const double> sample, const ReferenceDistribution& dist, double confidence = 0.99);

// Test of H0: sd(X) = target_sd for a distribution of known kurtosis kappa,
// through the unbiased s^2: Var(s^2) = sigma^4 (kappa - (n-3)/(n-1)) / n exactly
// for iid data, z = (s^2 - sigma^2) / sqrt(Var(s^2)), two-sided normal p-value;
// statistic = z. measured = s, with a `confidence` interval from the same
// approximation with s^2 in place of sigma^2. Valid for any shape with the
// right kappa (normal 3, uniform 1.8, N on +-2 sd 2.3655367); its relative
// resolution is sqrt((kappa - 1) / (4 n)) in sd. Throws std::invalid_argument
// if fewer than 4 values, target_sd <= 0, kurtosis < 1 or confidence not in (0, 1).
// name "standard_deviation". Example: std_test(values, 0.02, 3.0).
TestResult std_test(std::span<const double> sample, double target_sd, double kurtosis, double confidence = 0.99);

// With dist.output_sd() and dist.output_kurtosis() (those of the rounded
// output on a coarse grid, else dist.sd() and dist.kurtosis()). For a normal dist the test is the exact
// one: (n-1) s^2 / sigma^2 ~ chi^2_{n-1} (statistic), two-sided p-value, and the
// chi-squared confidence interval for sigma.
TestResult std_test(std::span<const double> sample, const ReferenceDistribution& dist, double confidence = 0.99);

// The same tests from the sample's moments (sample_moments(sample), or the
// battery's passes): mean_test(sample, ...) == mean_test(sample_moments(sample), ...),
// and likewise for std_test. moments.count is the sample size.
TestResult mean_test(const SampleMoments& moments, double target_mean, double confidence = 0.99);
TestResult mean_test(const SampleMoments& moments, const ReferenceDistribution& dist, double confidence = 0.99);
TestResult std_test(const SampleMoments& moments, double target_sd, double kurtosis, double confidence = 0.99);
TestResult std_test(const SampleMoments& moments, const ReferenceDistribution& dist, double confidence = 0.99);

}  // namespace nninit::validation
