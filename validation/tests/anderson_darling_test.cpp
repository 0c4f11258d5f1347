// The Anderson–Darling statistic, its distribution (Marsaglia & Marsaglia
// 2004) and the test, with negative controls.
#include "nninit/validation/anderson_darling.hpp"

#include <gtest/gtest.h>

#include <boost/math/statistics/anderson_darling.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "nninit/validation/probability_transform.hpp"
#include "nninit/validation/sample.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

constexpr std::size_t large_n = std::size_t{1} << 22;

// lim P(A^2 <= z), from Anderson & Darling's (1954) series
// (sqrt(2 pi) / z) sum_j C(-1/2, j) (4j+1) exp(-(4j+1)^2 pi^2 / (8z))
//   * integral_0^inf exp(z / (8 (w^2 + 1)) - (4j+1)^2 pi^2 w^2 / (8z)) dw,
// evaluated with mpmath (30 digits, numerical quadrature).
struct AsymptoticCase {
  double z;
  double cdf;
};
constexpr AsymptoticCase series_cases[] = {
    {0.5, 0.253185626469656}, {1.0, 0.642733326785981},   {1.5, 0.82352462715795},
    {2.0, 0.908163225058748}, {2.492, 0.949977813640392}, {3.0, 0.972635211665974},
    {3.878, 0.9899985901155}, {5.967, 0.998997399256497}, {8.094, 0.999896984873927},
    {10.0, 0.999986184964589},
};

TEST(AndersonDarlingDistribution, AsymptoticMatchesSeries) {
  for (const AsymptoticCase& c : series_cases) {
    EXPECT_NEAR(anderson_darling_asymptotic_cdf(c.z), c.cdf, 1e-12) << c.z;
  }
  EXPECT_EQ(anderson_darling_asymptotic_cdf(0.0), 0.0);
  EXPECT_EQ(anderson_darling_asymptotic_cdf(HUGE_VAL), 1.0);
}

TEST(AndersonDarlingDistribution, FarTail) {
  // 1 - lim P(A^2 <= z) from the same mpmath series (40 digits).
  const std::size_t n = std::size_t{1} << 30;  // finite-n correction negligible
  EXPECT_NEAR(anderson_darling_p_value(n, 12.0) / 1.71028699932212e-6, 1.0, 1e-6);
  EXPECT_NEAR(anderson_darling_p_value(n, 15.0) / 7.6332231802342e-8, 1.0, 1e-4);
  EXPECT_NEAR(anderson_darling_p_value(n, 20.0) / 4.46507153831192e-10, 1.0, 1e-4);
  EXPECT_NEAR(anderson_darling_p_value(n, 30.0) / 1.65954895277832e-14, 1.0, 1e-4);
  EXPECT_NEAR(anderson_darling_p_value(n, 40.0) / 6.53412644147596e-19, 1.0, 1e-4);
}

TEST(AndersonDarlingDistribution, CriticalValues) {
  // Commonly quoted: 3.878 (alpha 1e-2), 5.967 (1e-3), 8.094 (1e-4). The series
  // gives 0.0100014, 0.0010026 and 0.000103015 at those points (the last
  // two are the values of Marsaglia's short approximation, which is 3% low there).
  const std::size_t n = std::size_t{1} << 20;
  EXPECT_NEAR(anderson_darling_p_value(n, 3.878), 0.010001409884501822, 1e-7);
  EXPECT_NEAR(anderson_darling_p_value(n, 5.967) / 0.001002600743504778, 1.0, 1e-4);
  EXPECT_NEAR(anderson_darling_p_value(n, 8.094) / 0.00010301512607480134, 1.0, 1e-4);
  EXPECT_NEAR(anderson_darling_p_value(n, 2.492), 0.05, 1e-4);
  EXPECT_GT(anderson_darling_p_value(n, 50.0), 0.0);
  EXPECT_EQ(anderson_darling_p_value(n, 0.0), 1.0);
  EXPECT_EQ(anderson_darling_p_value(n, HUGE_VAL), 0.0);
  EXPECT_THROW(anderson_darling_p_value(0, 1.0), std::invalid_argument);
}

TEST(AndersonDarlingDistribution, FiniteSampleCorrection) {
  // P(A_10^2 <= z) by Monte Carlo (numpy 1.24, 8e6 samples of 10 uniforms,
  // seed 99; standard error <= 1.8e-4): z = 0.5: 0.25742, 1.0: 0.64507,
  // 1.5: 0.82340, 2.0: 0.90706. The limiting values are 0.25319, 0.64273,
  // 0.82352, 0.90816: the finite-n form must be within 4e-4 of the simulation.
  EXPECT_NEAR(anderson_darling_cdf(10, 0.5), 0.25742, 4e-4);
  EXPECT_NEAR(anderson_darling_cdf(10, 1.0), 0.64507, 4e-4);
  EXPECT_NEAR(anderson_darling_cdf(10, 1.5), 0.82340, 4e-4);
  EXPECT_NEAR(anderson_darling_cdf(10, 2.0), 0.90706, 4e-4);
  // Tail (1e7 samples, seed 777): P(A_10^2 > 3.878) = 0.0104958 (+-3.2e-5).
  EXPECT_NEAR(anderson_darling_p_value(10, 3.878), 0.0104958, 1.2e-4);
  // At n = 40 (same simulation): z = 0.5: 0.25423, z = 1.0: 0.64342.
  EXPECT_NEAR(anderson_darling_cdf(40, 0.5), 0.25423, 4e-4);
  EXPECT_NEAR(anderson_darling_cdf(40, 1.0), 0.64342, 4e-4);
}

TEST(AndersonDarlingStatistic, HandWorkedSamples) {
  // n = 1, u = 0.5: A^2 = -1 - (ln 0.5 + ln 0.5) = 2 ln 2 - 1.
  EXPECT_NEAR(anderson_darling_statistic_uniform(std::vector<double>{0.5}), 0.38629436111989062, 1e-15);
  // u = {0.1, 0.3, 0.5, 0.9}, the defining sum evaluated with mpmath.
  EXPECT_NEAR(anderson_darling_statistic_uniform(std::vector<double>{0.1, 0.3, 0.5, 0.9}), 0.25517199558717305,
              1e-14);
  EXPECT_EQ(anderson_darling_statistic_uniform(std::vector<double>{0.0, 0.5}), HUGE_VAL);
}

TEST(AndersonDarlingStatistic, AgreesWithBoostNormalityStatistic) {
  // Boost integrates the ECDF against the normal density in closed form: an
  // independent computation of the same A^2 for known mean and sd.
  const auto sample = sorted_copy(testing::normal_sample(1000, 0.3, 2.0, 201));
  const double boost_a2 = boost::math::statistics::anderson_darling_normality_statistic(sample, 0.3, 2.0);
  EXPECT_NEAR(anderson_darling_statistic(sample, ReferenceDistribution::normal(0.3, 2.0)), boost_a2, 1e-9);
}

TEST(AndersonDarlingTest, AcceptsCorrectNormalAndRejectsOnePercentStdError) {
  const auto sample = sorted_copy(testing::normal_sample(large_n, 0.0, 1.0, 202));
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  const TestResult result = anderson_darling_test(sample, dist);
  EXPECT_EQ(result.name, "anderson_darling");
  EXPECT_GT(result.p_value, 1e-3);
  EXPECT_LT(anderson_darling_test(testing::scaled(sample, 1.01), dist).p_value, 1e-6);  // negative control
}

TEST(AndersonDarlingTest, NegativeControlsAtModerateN) {
  const auto sample = sorted_copy(testing::normal_sample(std::size_t{1} << 18, 0.0, 1.0, 203));
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  EXPECT_GT(anderson_darling_test(sample, dist).p_value, 1e-3);
  EXPECT_LT(anderson_darling_test(testing::shifted(sample, 0.02), dist).p_value, 1e-6);
  // A uniform sample against the normal of the same variance.
  const auto uniform = sorted_copy(testing::uniform_sample(std::size_t{1} << 18, -std::sqrt(3.0), std::sqrt(3.0), 204));
  EXPECT_LT(anderson_darling_test(uniform, dist).p_value, 1e-6);
  // A value outside the support of U(0, 1) makes A^2 infinite.
  EXPECT_EQ(anderson_darling_test(std::vector<double>{0.2, 0.5, 1.5}, ReferenceDistribution::uniform(0.0, 1.0)).p_value,
            0.0);
}

TEST(AndersonDarlingTest, RoundedOutputUsesTheRandomisedTransform) {
  const auto base = sorted_copy(testing::uniform_sample(std::size_t{1} << 20, 0.0, 1.0, 205));
  const auto sample = testing::rounded_to_bfloat16(base);
  const auto dist = ReferenceDistribution::uniform(0.0, 1.0);
  // Against the continuous F the ties of correct bfloat16 data are rejected...
  EXPECT_LT(anderson_darling_test_uniform(sample).p_value, 1e-6);
  // ...against the rounded distribution they are accepted...
  EXPECT_GT(anderson_darling_test(sample, dist.on_grid(OutputGrid::bfloat16)).p_value, 1e-3);
  // ...and a 1% scale error is still seen (negative control).
  const auto wide = testing::rounded_to_bfloat16(testing::scaled(base, 1.01));
  EXPECT_LT(anderson_darling_test(wide, dist.on_grid(OutputGrid::bfloat16)).p_value, 1e-6);
}

}  // namespace
}  // namespace nninit::validation
