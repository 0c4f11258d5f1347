// Kolmogorov's distribution: Durbin's exact matrix, Smirnov's exact one-sided
// tail, the Pelz–Good expansion, the limiting law, and the p-value built from
// them, against reference values computed independently.
#include "nninit/validation/kolmogorov_distribution.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/complement.hpp>
#include <boost/math/distributions/kolmogorov_smirnov.hpp>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

namespace nninit::validation {
namespace {

using Sizes = std::vector<std::size_t>;

double relative_error(double value, double reference) { return std::fabs(value / reference - 1.0); }

// P(D_n <= d) computed independently in exact rational arithmetic (Python
// fractions) with Steck's (1971) determinant for the probability that the
// uniform order statistics lie in [i/n - d, (i-1)/n + d].
struct CdfCase {
  std::size_t n;
  double d;
  double cdf;
};
constexpr CdfCase steck_cases[] = {
    {10, 0.274, 0.62847961545650433}, {20, 0.2, 0.64727982637658399},  {50, 0.15, 0.80973633481751872},
    {100, 0.1, 0.74730724299360984},  {100, 0.17, 0.99462359340361961}, {128, 0.09, 0.76361066060670846},
};

// P(D_n >= d), exact: Durbin's matrix in 113-bit binary128 arithmetic
// (__float128, the full m x m matrix applied n times to e_k, no band cut),
// good to about 1e-34 absolute, so to 1e-21 relative at p = 1e-12. d = 0.5
// (where P = 2 P(D_n^+ >= d) exactly) comes from a 40-digit Smirnov sum instead.
// Each n runs from p ~ 1e-2 down to p ~ 1e-12.
struct TailCase {
  std::size_t n;
  double d;
  double p;
};
constexpr TailCase exact_tail_cases[] = {
    {100, 0.5, 1.2131434371817858e-23},   {100, 0.45, 5.3249954196571103e-19},
    {20, 0.3, 4.3067066658517818e-2},     {20, 0.45, 3.244641140955466e-4},
    {50, 0.25, 3.0657620198706339e-3},    {100, 0.1608, 1.000569731816053e-2},
    {100, 0.1927, 9.9875136624177929e-4}, {100, 0.2199, 9.9902079950788265e-5},
    {100, 0.2658, 9.9987285777985652e-7}, {100, 0.3045, 1.0022871244178674e-8},
    {100, 0.3385, 1.0011589707686686e-10}, {100, 0.3691, 9.9527471075676245e-13},
    {500, 0.07243, 1.000062088172963e-2}, {500, 0.0868, 9.9936862655249136e-4},
    {500, 0.0991, 9.9926385589547953e-5}, {500, 0.12, 9.8839435058857098e-7},
    {500, 0.1377, 9.8808452050752291e-9}, {500, 0.1533, 1.0014646900280047e-10},
    {500, 0.1675, 9.9041380900945574e-13}, {1000, 0.05129, 1.0008623737911549e-2},
    {1000, 0.06146, 1.0005497435858397e-3}, {1000, 0.07017, 1.0003728455094397e-4},
    {1000, 0.08495, 9.9888175737947e-7},  {1000, 0.0975, 1.0000180194605851e-8},
    {1000, 0.1086, 1.0014803294048898e-10}, {1000, 0.1187, 9.8287103073871698e-13},
    {1001, 0.05127, 9.9972139175469772e-3}, {1001, 0.06143, 1.0004002702760071e-3},
    {1001, 0.07014, 9.9897856640084967e-5}, {1001, 0.0849, 1.0015125808255426e-6},
    {1001, 0.09745, 1.0005921023733415e-8}, {1001, 0.1085, 1.0218144528488142e-10},
    {1001, 0.1186, 1.0023219624449988e-12}, {2000, 0.03631, 9.9947779986248615e-3},
    {2000, 0.0435, 1.0005427040065506e-3}, {2000, 0.04966, 1.001580057289371e-4},
    {2000, 0.06012, 1.0008513595628768e-6}, {2000, 0.06901, 1.0001442950135356e-8},
    {2000, 0.07688, 9.9700261291796263e-11}, {2000, 0.084, 1.0027754120473396e-12},
    {5000, 0.02298, 1.0018075422999271e-2}, {5000, 0.02753, 1.0025994744505442e-3},
    {5000, 0.03143, 1.0023514502405963e-4}, {5000, 0.03805, 1.0012379668904869e-6},
    {5000, 0.04368, 9.9801995252326646e-9}, {5000, 0.04866, 9.9716147538761614e-11},
    {5000, 0.05317, 1.0016739133835779e-12},
};

// The relative error the header promises for a p-value of this size.
double promised_relative_error(double p) {
  if (p > 5e-3) return 1e-6;   // Pelz–Good or the double-counting term near p = 0.01
  if (p > 5e-4) return 5e-10;  // the double-counting term, about (p / 2)^3
  return 3e-13;                // rounding
}

// The p-value this library computed before: n <= 1000 Durbin's matrix, with
// Marsaglia, Tsang & Wang's closed form in the far tail; above, Boost's
// limiting law at the Stephens-corrected statistic. A user measured it 55%
// high at n = 100 and 2-6% low at n = 1001-5000 in the far tail.
double previous_p_value(std::size_t n, double d) {
  const double dn = static_cast<double>(n);
  if (n <= 1000) {
    const double s = d * d * dn;
    if (s > 7.24 || (s > 3.76 && n > 99)) return 2.0 * std::exp(-(2.000071 + 0.331 / std::sqrt(dn) + 1.409 / dn) * s);
    return 1.0 - kolmogorov_exact_cdf(n, d);
  }
  return kolmogorov_asymptotic_sf(n, d * (1.0 + 0.12 / std::sqrt(dn) + 0.11 / dn));
}

TEST(KolmogorovExactCdf, MatchesSteckDeterminant) {
  for (const CdfCase& c : steck_cases) {
    EXPECT_NEAR(kolmogorov_exact_cdf(c.n, c.d), c.cdf, 1e-14) << "n=" << c.n << " d=" << c.d;
  }
}

TEST(KolmogorovExactCdf, ClosedFormsForTinyStatistics) {
  // n = 1: D_1 = max(U, 1 - U), so P(D_1 < d) = 2d - 1 on [1/2, 1].
  for (double d : {0.55, 0.7, 0.9}) EXPECT_NEAR(kolmogorov_exact_cdf(1, d), 2.0 * d - 1.0, 1e-15);
  // Ruben & Gambino (1982): P(D_n < d) = n! / n^n (2 n d - 1)^n for
  // 1 / (2n) < d <= 1 / n, where Durbin's matrix is 1 x 1. At n = 400 it is
  // 2e-261 (and 3e-199 at n d = 0.95).
  constexpr std::pair<std::size_t, double> ruben_gambino_cases[] = {{10, 0.8}, {400, 0.8}, {400, 0.95}};
  for (const auto& [n, nd] : ruben_gambino_cases) {
    const double dn = static_cast<double>(n);
    const double closed = std::exp(std::lgamma(dn + 1.0) - dn * std::log(dn) + dn * std::log(2.0 * nd - 1.0));
    EXPECT_LT(relative_error(kolmogorov_exact_cdf(n, nd / dn), closed), 1e-10) << n << " " << nd;
  }
  EXPECT_EQ(kolmogorov_exact_cdf(5, 0.1), 0.0);  // D_n >= 1/(2n) always
  EXPECT_EQ(kolmogorov_exact_cdf(5, 1.0), 1.0);
  EXPECT_THROW(kolmogorov_exact_cdf(0, 0.5), std::invalid_argument);
  EXPECT_THROW(kolmogorov_exact_cdf(10, std::nan("")), std::invalid_argument);
  EXPECT_THROW(kolmogorov_exact_cdf(100000, 0.05), std::invalid_argument);  // matrix order 10001
}

TEST(KolmogorovExactCdf, MatchesBinary128DurbinInTheCentralRegion) {
  // Absolute error of 1 - cdf below 1.5e-14 wherever the p-value uses it for n <= 1000.
  for (const TailCase& c : exact_tail_cases) {
    const double lambda2 = static_cast<double>(c.n) * c.d * c.d;
    if (lambda2 >= kolmogorov_upper_tail_lambda2 || c.n > kolmogorov_exact_limit) continue;
    EXPECT_NEAR(1.0 - kolmogorov_exact_cdf(c.n, c.d), c.p, 1.5e-14) << "n=" << c.n << " d=" << c.d;
  }
}

TEST(KolmogorovLimitingLaw, IsBoostKolmogorovOfSqrtNTimesD) {
  // 1 - K(lambda) = 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2), summed with mpmath.
  const std::size_t n = 10000;
  const double root_n = 100.0;
  EXPECT_NEAR(kolmogorov_asymptotic_sf(n, 0.5 / root_n), 0.96394524366487509, 1e-12);
  EXPECT_NEAR(kolmogorov_asymptotic_sf(n, 1.0 / root_n), 0.26999967167735452, 1e-12);
  EXPECT_NEAR(kolmogorov_asymptotic_sf(n, 1.36 / root_n), 0.049485876755377884, 1e-12);
  EXPECT_NEAR(kolmogorov_asymptotic_sf(n, 1.63 / root_n), 0.0098463648884865313, 1e-12);
  // Boost's complement is -0 far out; the wrapper returns +0.
  const boost::math::kolmogorov_smirnov_distribution<double> boost_law(2000.0);
  EXPECT_TRUE(std::signbit(boost::math::cdf(boost::math::complement(boost_law, 0.9))));
  EXPECT_EQ(kolmogorov_asymptotic_sf(2000, 0.9), 0.0);
  EXPECT_FALSE(std::signbit(kolmogorov_asymptotic_sf(2000, 0.9)));
}

TEST(KolmogorovOneSided, MatchesFortyDigitSmirnovSums) {
  // 2 P(D_n^+ >= d) from Smirnov's sum of every term in 40-digit mpmath
  // arithmetic; the library adds every term up to n = 20000 and uses the
  // trapezoidal rule at n = 100000 when n d^2 >= 0.25.
  struct Case {
    std::size_t n;
    double d;
    double two_sided;
  };
  constexpr Case cases[] = {
      {20, 0.3, 0.043067208752654106},          {100, 0.5, 1.2131434371817858e-23},
      {100, 0.1608, 0.010005698183864762},      {1000, 0.1187, 9.8287103073871700e-13},
      {5000, 0.02298, 0.010018076673215951},    {5000, 0.05317, 1.0016739133835779e-12},
      {100000, 0.005148, 0.0099450028338505885}, {100000, 0.008944, 2.2389431593837925e-7},
      {100000, 0.01183, 1.3849900366429725e-12},
      // n d^2 = 0.05 and 0.03: the summand rises too steeply near j = 0 for the
      // trapezoid's nodes, so every term is added.
      {100000, 0.0007071, 1.8088258085711048},  {30000, 0.001, 1.8822746162252026},
  };
  for (const Case& c : cases) {
    EXPECT_LT(relative_error(2.0 * kolmogorov_one_sided_sf(c.n, c.d), c.two_sided), 1e-13) << c.n << " " << c.d;
  }
  // n = 1: D_1^+ = 1 - U.
  EXPECT_NEAR(kolmogorov_one_sided_sf(1, 0.3), 0.7, 1e-15);
  // d close to 1: only j = 0 is left, (1 - d)^n.
  EXPECT_LT(relative_error(kolmogorov_one_sided_sf(50, 0.99), std::pow(0.01, 50)), 1e-13);
  EXPECT_EQ(kolmogorov_one_sided_sf(100, 0.0), 1.0);
  EXPECT_EQ(kolmogorov_one_sided_sf(100, 1.0), 0.0);
  EXPECT_THROW(kolmogorov_one_sided_sf(0, 0.1), std::invalid_argument);
}

TEST(KolmogorovOneSided, TrapezoidalRuleContinuesTheFullSum) {
  // At fixed n d^2, P(D_n^+ >= d) is a smooth function of n. Up to n = 20000
  // every term is added, from 20001 on the trapezoidal rule is used: the
  // quadratic through n = 19998, 19999, 20000 must predict n = 20001 to the
  // rounding level (the third difference of the exact P is ~1e-16 relative).
  // The same prediction made with a 1e-10 relative error in n d^2 is off.
  for (double lambda2 : {0.25, 1.0, 2.65, 8.0, 30.0, 200.0}) {
    auto one_sided = [lambda2](double n, double scale = 1.0) {
      return kolmogorov_one_sided_sf(static_cast<std::size_t>(n), std::sqrt(scale * lambda2 / n));
    };
    const double predicted = 3.0 * one_sided(20000) - 3.0 * one_sided(19999) + one_sided(19998);
    EXPECT_LT(relative_error(one_sided(20001), predicted), 1e-12) << lambda2;
    EXPECT_GT(relative_error(one_sided(20001, 1.0 + 1e-10), predicted), 2e-11) << lambda2;
  }
}

TEST(KolmogorovPelzGood, WithinItsStatedErrorAboveN1000) {
  // Against Durbin's matrix at n = 1001, 2000, 5000 and sqrt(n) d up to 1.6:
  // absolute error <= 6.4e-8 (largest near sqrt(n) d = 0.55 at n = 1001),
  // shrinking as n^-2. The limiting law alone (K0) is off by 1e-3 here.
  for (std::size_t n : Sizes{1001u, 2000u, 5000u}) {
    const double bound = 7e-8 * std::pow(1001.0 / static_cast<double>(n), 2.0);
    for (double lambda : {0.3, 0.55, 0.8, 1.1, 1.36, 1.6}) {
      const double d = lambda / std::sqrt(static_cast<double>(n));
      const double exact = 1.0 - kolmogorov_exact_cdf(n, d);
      EXPECT_NEAR(kolmogorov_pelz_good_sf(n, d), exact, bound) << n << " " << lambda;
      if (lambda >= 0.55) {
        EXPECT_GT(std::fabs(kolmogorov_asymptotic_sf(n, d) - exact), 100.0 * bound) << n << " " << lambda;
      }
    }
  }
}

TEST(KolmogorovPValue, MatchesExactValuesFromTheCentreToTheFarTail) {
  for (const TailCase& c : exact_tail_cases) {
    const double p = kolmogorov_smirnov_p_value(c.n, c.d);
    EXPECT_LT(relative_error(p, c.p), promised_relative_error(c.p)) << "n=" << c.n << " d=" << c.d;
  }
  EXPECT_NEAR(kolmogorov_smirnov_p_value(100, 0.17), 1.0 - 0.99462359340361961, 1e-14);
  EXPECT_NEAR(kolmogorov_smirnov_p_value(10, 0.274), 1.0 - 0.62847961545650433, 1e-14);
}

TEST(KolmogorovPValue, NegativeControlPreviousFormulaFailsTheSameTolerance) {
  // The previous p-value, held to the same tolerance, fails in the far tail:
  // 5-55% high at n = 100, p = 1e-6 .. 1e-12 (and 3-9 times at p = 1e-19 and
  // 1e-23), and 0.2-6% low at every point above n = 1000.
  std::size_t failures = 0, checked = 0;
  for (const TailCase& c : exact_tail_cases) {
    if (c.n > 1000 || (c.n == 100 && c.p < 2e-6)) {
      ++checked;
      if (relative_error(previous_p_value(c.n, c.d), c.p) > promised_relative_error(c.p)) ++failures;
    }
  }
  EXPECT_EQ(failures, checked);
  EXPECT_EQ(checked, 27u);
  EXPECT_GT(previous_p_value(100, 0.3691) / 9.9527471075676245e-13, 1.5);
}

// p just below and just above a switch between two methods.
void expect_continuous_at(std::size_t n, double d, double tolerance) {
  const double below = kolmogorov_smirnov_p_value(n, d * (1.0 - 1e-12));
  const double above = kolmogorov_smirnov_p_value(n, d * (1.0 + 1e-12));
  EXPECT_LT(relative_error(above, below), tolerance) << "n=" << n << " d=" << d;
  // Where p < 1/2 the limiting law differs from the p-value by more than ten
  // times the tolerance, so a method that bad would show as a failing jump.
  if (below < 0.5) {
    EXPECT_GT(relative_error(kolmogorov_asymptotic_sf(n, d), below), 10.0 * tolerance) << "n=" << n << " d=" << d;
  }
}

TEST(KolmogorovPValue, ContinuousAcrossMethodSwitches) {
  // Durbin <-> 2 x one-sided at n d^2 = 4 (n <= 1000, and 1001, where Durbin is still cheap).
  for (std::size_t n : Sizes{20u, 100u, 500u, 1000u, 1001u}) {
    expect_continuous_at(n, std::sqrt(kolmogorov_upper_tail_lambda2 / static_cast<double>(n)), 1e-10);
  }
  // Durbin <-> Pelz–Good or 2 x one-sided where the matrix stops being cheap:
  // n (2 floor(n d) + 1) crosses kolmogorov_exact_cost_limit at n d = f + 1.
  for (std::size_t n : Sizes{1100u, 1300u, 2000u, 4096u}) {
    const double f = std::floor((kolmogorov_exact_cost_limit / static_cast<double>(n) - 1.0) / 2.0);
    expect_continuous_at(n, (f + 1.0) / static_cast<double>(n), 1e-6);
  }
  // Pelz–Good <-> 2 x one-sided at n d^2 = 2.65 for large n.
  for (std::size_t n : Sizes{1300u, 2000u, 4096u, 20001u, 65536u, std::size_t{1} << 24, std::size_t{1} << 31}) {
    expect_continuous_at(n, std::sqrt(kolmogorov_large_n_upper_tail_lambda2 / static_cast<double>(n)), 1e-6);
  }
  // Smirnov's full sum <-> its trapezoidal rule at n = 20000 / 20001 is
  // covered by KolmogorovOneSided.TrapezoidalRuleMatchesTheFullSumAtTheSwitch.
}

TEST(KolmogorovPValue, MonotoneInDAndInsideTheUnitInterval) {
  for (std::size_t n : Sizes{1u, 5u, 20u, 100u, 1000u, 1001u, 2000u, 4096u, 65536u, std::size_t{1} << 24,
                        std::size_t{1} << 31}) {
    const double dn = static_cast<double>(n);
    double previous = 1.0;
    std::size_t steps = 0;
    const double factor = std::exp(std::log(2.5 * dn) / 300.0);  // 300 steps from 0.4 / n to 1
    for (double d = 0.4 / dn; d < 1.0; d *= factor, ++steps) {
      const double p = kolmogorov_smirnov_p_value(n, d);
      ASSERT_GE(p, 0.0) << n << " " << d;
      ASSERT_LE(p, 1.0) << n << " " << d;
      ASSERT_FALSE(std::signbit(p)) << n << " " << d;
      ASSERT_LE(p, previous) << "n=" << n << " d=" << d;
      previous = p;
    }
    EXPECT_GE(steps, 299u);
  }
}

TEST(KolmogorovPValue, PositiveZeroAndEdges) {
  for (std::size_t n : Sizes{100u, 2000u, std::size_t{1} << 20, std::size_t{1} << 31}) {
    for (double d : {0.5, 0.9, 0.99, 1.0 - 1e-12, 1.0, 1.5}) {
      const double p = kolmogorov_smirnov_p_value(n, d);
      EXPECT_GE(p, 0.0);
      EXPECT_FALSE(std::signbit(p)) << n << " " << d;
    }
  }
  // d > 1 - 1/n: P = 2 (1 - d)^n, exact (here 1e-230: the exponent's rounding,
  // |log p| times 1e-16, limits the relative accuracy to about 1e-13).
  EXPECT_LT(relative_error(kolmogorov_smirnov_p_value(100, 0.995), 2.0 * std::pow(0.005, 100)), 1e-12);
  EXPECT_EQ(kolmogorov_smirnov_p_value(100, 0.0), 1.0);
  EXPECT_EQ(kolmogorov_smirnov_p_value(100, 0.004), 1.0);  // d <= 1 / (2n)
  EXPECT_EQ(kolmogorov_smirnov_p_value(100, 1.0), 0.0);
  EXPECT_THROW(kolmogorov_smirnov_p_value(0, 0.1), std::invalid_argument);
  EXPECT_THROW(kolmogorov_smirnov_p_value(10, std::nan("")), std::invalid_argument);
  // Tiny p-values stay positive and finite instead of cancelling to 0.
  const double tiny = kolmogorov_smirnov_p_value(1000, 0.2);
  EXPECT_GT(tiny, 0.0);
  EXPECT_LT(tiny, 1e-30);
  EXPECT_GT(kolmogorov_smirnov_p_value(std::size_t{1} << 24, 0.004), 0.0);  // 2 n d^2 = 537: about 1e-233
}

}  // namespace
}  // namespace nninit::validation
