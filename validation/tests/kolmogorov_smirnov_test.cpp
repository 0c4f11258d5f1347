// Kolmogorov's distribution (exact and asymptotic) and the one-sample KS test.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "nninit/validation/kolmogorov_distribution.hpp"
#include "nninit/validation/kolmogorov_smirnov.hpp"
#include "nninit/validation/sample.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

constexpr std::size_t large_n = std::size_t{1} << 22;

// P(D_n <= d) computed independently in exact rational arithmetic (Python
// fractions) with Steck's (1971) determinant for the probability that the
// uniform order statistics lie in [i/n - d, (i-1)/n + d].
struct ExactCase {
  std::size_t n;
  double d;
  double cdf;
};
constexpr ExactCase steck_cases[] = {
    {10, 0.274, 0.62847961545650433}, {20, 0.2, 0.64727982637658399},  {50, 0.15, 0.80973633481751872},
    {100, 0.1, 0.74730724299360984},  {100, 0.17, 0.99462359340361961}, {128, 0.09, 0.76361066060670846},
};

TEST(KolmogorovDistribution, ExactMatchesSteckDeterminant) {
  for (const ExactCase& c : steck_cases) {
    EXPECT_NEAR(kolmogorov_exact_cdf(c.n, c.d), c.cdf, 1e-13) << "n=" << c.n << " d=" << c.d;
  }
}

TEST(KolmogorovDistribution, ExactClosedFormsForTinySamples) {
  // n = 1: D_1 = max(U, 1 - U), so P(D_1 < d) = 2d - 1 on [1/2, 1].
  for (double d : {0.55, 0.7, 0.9}) EXPECT_NEAR(kolmogorov_exact_cdf(1, d), 2.0 * d - 1.0, 1e-14);
  EXPECT_EQ(kolmogorov_exact_cdf(5, 0.1), 0.0);  // D_n >= 1/(2n) always
  EXPECT_EQ(kolmogorov_exact_cdf(5, 1.0), 1.0);
  EXPECT_THROW(kolmogorov_exact_cdf(0, 0.5), std::invalid_argument);
}

TEST(KolmogorovDistribution, AsymptoticIsBoostKolmogorovOfSqrtNTimesD) {
  // 1 - K(lambda) = 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2), summed with mpmath.
  const std::size_t n = 10000;
  const double root_n = 100.0;
  EXPECT_NEAR(kolmogorov_asymptotic_sf(n, 0.5 / root_n), 0.96394524366487509, 1e-12);
  EXPECT_NEAR(kolmogorov_asymptotic_sf(n, 1.0 / root_n), 0.26999967167735452, 1e-12);
  EXPECT_NEAR(kolmogorov_asymptotic_sf(n, 1.36 / root_n), 0.049485876755377884, 1e-12);
  EXPECT_NEAR(kolmogorov_asymptotic_sf(n, 1.63 / root_n), 0.0098463648884865313, 1e-12);
}

TEST(KolmogorovDistribution, ExactAndAsymptoticAgreeAtModerateN) {
  // Just above the exact limit the p-value comes from the asymptotic form. The
  // plain form is conservative by about 1/sqrt(n) relative; the Stephens
  // correction brings it within 4e-3 everywhere and 1e-4 near p = 0.05.
  const std::size_t n = kolmogorov_exact_limit + 1;
  for (double lambda : {0.6, 0.8, 1.0, 1.22, 1.36, 1.63}) {
    const double d = lambda / std::sqrt(static_cast<double>(n));
    const double exact = 1.0 - kolmogorov_exact_cdf(n, d);
    const double asymptotic = kolmogorov_asymptotic_sf(n, d);
    EXPECT_GT(asymptotic, exact) << lambda;
    EXPECT_NEAR(asymptotic, exact, 0.01) << lambda;
    EXPECT_NEAR(kolmogorov_smirnov_p_value(n, d), exact, 0.004) << lambda;
  }
  const double d = 1.36 / std::sqrt(static_cast<double>(n));
  EXPECT_NEAR(kolmogorov_smirnov_p_value(n, d), 1.0 - kolmogorov_exact_cdf(n, d), 1e-4);
}

TEST(KolmogorovDistribution, PValueUsesExactThenClosedTailForm) {
  EXPECT_NEAR(kolmogorov_smirnov_p_value(100, 0.17), 1.0 - 0.99462359340361961, 1e-13);
  EXPECT_NEAR(kolmogorov_smirnov_p_value(10, 0.274), 1.0 - 0.62847961545650433, 1e-13);
  // Far tail (n d^2 > 3.76, n > 99): the closed form tracks the exact tail within 1%.
  const std::size_t n = 500;
  const double d = std::sqrt(6.0 / n);
  EXPECT_NEAR(kolmogorov_smirnov_p_value(n, d) / (1.0 - kolmogorov_exact_cdf(n, d)), 1.0, 0.01);
  // Tiny p-values stay positive and finite instead of cancelling to 0.
  const double tiny = kolmogorov_smirnov_p_value(1000, 0.2);
  EXPECT_GT(tiny, 0.0);
  EXPECT_LT(tiny, 1e-30);
  EXPECT_EQ(kolmogorov_smirnov_p_value(100, 0.0), 1.0);
  EXPECT_EQ(kolmogorov_smirnov_p_value(100, 1.0), 0.0);
  EXPECT_THROW(kolmogorov_smirnov_p_value(0, 0.1), std::invalid_argument);
}

TEST(KolmogorovSmirnovStatistic, HandWorkedSamples) {
  // u = {0.1, 0.4, 0.7}: D = max(1/3 - 0.1, 2/3 - 0.4, 1 - 0.7, ...) = 0.3.
  const std::vector<double> u = {0.1, 0.4, 0.7};
  EXPECT_NEAR(ks_statistic_uniform(u), 0.3, 1e-15);
  EXPECT_NEAR(ks_statistic_uniform(std::vector<double>{0.5}), 0.5, 1e-15);
  // Against U(2, 4): the same sample mapped by x = 2 + 2u.
  const std::vector<double> x = {2.2, 2.8, 3.4};
  EXPECT_NEAR(ks_statistic(x, ReferenceDistribution::uniform(2.0, 4.0)), 0.3, 1e-15);
  // Ties: {0.5, 0.5} against U(0, 1): the ECDF jumps 0 -> 1 at 0.5, D = 0.5.
  EXPECT_NEAR(ks_statistic(std::vector<double>{0.5, 0.5}, ReferenceDistribution::uniform(0.0, 1.0)), 0.5, 1e-15);
}

TEST(KolmogorovSmirnovStatistic, StepCdfOfRoundedOutput) {
  // U(0, 1) as bfloat16, sample {0.5, 0.5}: P(Y < 0.5) = 0.5 - 2^-10 and
  // P(Y <= 0.5) = 0.5 + 2^-9, so D = max(0.5 - 2^-10, 1 - 0.5 - 2^-9) = 0.5 - 2^-10.
  const auto dist = ReferenceDistribution::uniform(0.0, 1.0).on_grid(OutputGrid::bfloat16);
  EXPECT_NEAR(ks_statistic(std::vector<double>{0.5, 0.5}, dist), 0.5 - 0x1p-10, 1e-15);
}

// Large samples are costly; a null sample and its negative control share one
// set of draws (scaling a sorted sample keeps it sorted).
TEST(KolmogorovSmirnovTest, AcceptsCorrectNormalAndRejectsOnePercentStdError) {
  const auto sample = sorted_copy(testing::normal_sample(large_n, 0.0, 1.0, 101));
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  const TestResult result = ks_test(sample, dist);
  EXPECT_EQ(result.name, "kolmogorov_smirnov");
  EXPECT_EQ(result.sample_size, large_n);
  EXPECT_GT(result.p_value, 1e-3);
  // Negative control. REFERENCE.md: KS needs about 2^22 samples to see a 1% scale error.
  EXPECT_LT(ks_test(testing::scaled(sample, 1.01), dist).p_value, 1e-6);
}

TEST(KolmogorovSmirnovTest, NegativeControlRejectsShiftedMean) {
  const auto sample = sorted_copy(testing::normal_sample(std::size_t{1} << 20, 0.01, 1.0, 103));
  EXPECT_LT(ks_test(sample, ReferenceDistribution::normal(0.0, 1.0)).p_value, 1e-6);
}

TEST(KolmogorovSmirnovTest, SmallSampleUsesExactDistribution) {
  const auto sample = sorted_copy(testing::normal_sample(200, 0.0, 1.0, 104));
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  const TestResult result = ks_test(sample, dist);
  EXPECT_NEAR(result.p_value, 1.0 - kolmogorov_exact_cdf(200, result.statistic), 1e-12);
  EXPECT_GT(result.p_value, 1e-3);
  // Negative control at small n: a mean shifted by 0.5 sd.
  const auto shifted = sorted_copy(testing::normal_sample(200, 0.5, 1.0, 105));
  EXPECT_LT(ks_test(shifted, dist).p_value, 1e-4);
}

TEST(KolmogorovSmirnovTest, RoundedOutputNeedsTheStepCdf) {
  // Correct U(0, 1) output rounded to bfloat16: near 1 each value carries
  // mass 2^-8, so the continuous CDF is rejected although the data are right;
  // the step CDF of the rounded variable accepts them.
  const auto base = sorted_copy(testing::uniform_sample(large_n, 0.0, 1.0, 106));
  const auto sample = testing::rounded_to_bfloat16(base);
  const auto continuous = ReferenceDistribution::uniform(0.0, 1.0);
  EXPECT_LT(ks_test(sample, continuous).p_value, 1e-6);
  EXPECT_GT(ks_test(sample, continuous.on_grid(OutputGrid::bfloat16)).p_value, 1e-3);
  // Negative control on the grid: 1% too wide, rounded the same way.
  const auto wide = testing::rounded_to_bfloat16(testing::scaled(base, 1.01));
  EXPECT_LT(ks_test(wide, continuous.on_grid(OutputGrid::bfloat16)).p_value, 1e-6);
}

}  // namespace
}  // namespace nninit::validation
