// Pearson correlation tests, with correlated negative controls.
#include "nninit/validation/correlation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "test_samples.hpp"

namespace nninit::validation {
namespace {

TEST(Correlation, HandWorked) {
  // x = 1..6, y = {2, 1, 4, 3, 6, 5}: r = 0.828571 (numpy corrcoef),
  // t = 2.95980, p = 0.0415627 (Student t, 4 dof; mpmath).
  const std::vector<double> x = {1, 2, 3, 4, 5, 6};
  const std::vector<double> y = {2, 1, 4, 3, 6, 5};
  const TestResult result = correlation_test(x, y);
  EXPECT_NEAR(result.measured, 0.8285714285714287, 1e-14);
  EXPECT_NEAR(result.statistic, 2.9598001058630086, 1e-12);
  EXPECT_NEAR(result.p_value, 0.041562682215743368, 1e-12);
  EXPECT_LT(result.ci_low, result.measured);
  EXPECT_GT(result.ci_high, result.measured);
  EXPECT_THROW(correlation_test(x, std::vector<double>{1, 2, 3}), std::invalid_argument);
  EXPECT_TRUE(std::isnan(correlation_test(x, std::vector<double>(6, 1.0)).p_value));
  EXPECT_EQ(correlation_test(x, x).p_value, 0.0);
}

TEST(Correlation, AcceptsIndependentAndRejectsCorrelatedStreams) {
  const std::size_t n = std::size_t{1} << 20;
  const auto a = testing::normal_sample(n, 0.0, 1.0, 901);
  const auto b = testing::normal_sample(n, 0.0, 1.0, 902);
  EXPECT_GT(correlation_test(a, b).p_value, 1e-3);
  // Negative control: rho = 0.01 (about 10 standard errors at n = 2^20).
  std::vector<double> c(n);
  for (std::size_t i = 0; i < n; ++i) c[i] = 0.01 * a[i] + std::sqrt(1.0 - 1e-4) * b[i];
  const TestResult result = correlation_test(a, c);
  EXPECT_LT(result.p_value, 1e-6);
  EXPECT_LT(result.ci_low, 0.01);
  EXPECT_GT(result.ci_high, 0.01);
}

TEST(Correlation, SerialCorrelation) {
  const std::size_t n = std::size_t{1} << 20;
  const auto noise = testing::normal_sample(n, 0.0, 1.0, 903);
  EXPECT_GT(serial_correlation_test(noise).p_value, 1e-3);
  EXPECT_EQ(serial_correlation_test(noise, 2).name, "serial_correlation(lag 2)");
  // Negative control: a moving average x_i = e_i + 0.02 e_{i-1} (lag-1 rho ~ 0.02).
  std::vector<double> moving(n);
  moving[0] = noise[0];
  for (std::size_t i = 1; i < n; ++i) moving[i] = noise[i] + 0.02 * noise[i - 1];
  EXPECT_LT(serial_correlation_test(moving).p_value, 1e-6);
  EXPECT_THROW(serial_correlation_test(noise, 0), std::invalid_argument);
}

}  // namespace
}  // namespace nninit::validation
