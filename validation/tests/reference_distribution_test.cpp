// The reference distributions: CDFs, tails, quantiles, moments and the
// distribution of rounded output, against values computed independently with
// mpmath 1.2 (30 digits; numerical integration for the truncated moments).
#include "nninit/validation/reference_distribution.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace nninit::validation {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

TEST(ReferenceDistribution, NormalCdfAndTails) {
  const auto standard = ReferenceDistribution::normal(0.0, 1.0);
  EXPECT_NEAR(standard.cdf(-1.5), 0.066807201268858066, 1e-16);   // mpmath ncdf(-1.5)
  EXPECT_NEAR(standard.sf(6.0) / 9.8658764503769814e-10, 1.0, 1e-13);  // 1 - ncdf(6)
  EXPECT_NEAR(standard.cdf(-8.0) / 6.2209605742717841e-16, 1.0, 1e-13);
  EXPECT_NEAR(ReferenceDistribution::normal(1.0, 2.0).cdf(0.2), 0.34457825838967584, 1e-15);
  EXPECT_EQ(standard.cdf(-infinity), 0.0);
  EXPECT_EQ(standard.cdf(infinity), 1.0);
  EXPECT_NEAR(standard.quantile(1e-10), -6.3613409024040562, 1e-12);
  EXPECT_NEAR(standard.upper_quantile(1e-10), 6.3613409024040562, 1e-12);
}

TEST(ReferenceDistribution, Moments) {
  const auto normal = ReferenceDistribution::normal(0.5, 0.02);
  EXPECT_EQ(normal.mean(), 0.5);
  EXPECT_EQ(normal.sd(), 0.02);
  EXPECT_EQ(normal.kurtosis(), 3.0);
  const auto uniform = ReferenceDistribution::uniform(-0.3, 0.1);
  EXPECT_NEAR(uniform.mean(), -0.1, 1e-16);
  EXPECT_NEAR(uniform.sd(), 0.4 / std::sqrt(12.0), 1e-16);
  EXPECT_EQ(uniform.kurtosis(), 1.8);
  // N(0,1) on [-2, 2]: the Keras/JAX truncation (sd 0.87962566103423978).
  const auto keras = ReferenceDistribution::truncated_normal(0.0, 1.0, -2.0, 2.0);
  EXPECT_NEAR(keras.mean(), 0.0, 1e-16);
  EXPECT_NEAR(keras.sd(), 0.87962566103423975, 1e-14);
  EXPECT_NEAR(keras.kurtosis(), 2.3655367171296495, 1e-12);
  // Asymmetric windows (mpmath quad of x^k times the density).
  const auto asymmetric = ReferenceDistribution::truncated_normal(0.5, 2.0, -1.0, 4.0);
  EXPECT_NEAR(asymmetric.mean(), 1.0859979832249218, 1e-13);
  EXPECT_NEAR(asymmetric.sd(), 1.2653334188370493, 1e-13);
  EXPECT_NEAR(asymmetric.kurtosis(), 2.1696811078546242, 1e-11);
  const auto half_line = ReferenceDistribution::truncated_normal(0.0, 1.0, 1.0, infinity);
  EXPECT_NEAR(half_line.mean(), 1.5251352761609812, 1e-13);
  EXPECT_NEAR(half_line.sd(), 0.44620361447476957, 1e-13);
  EXPECT_NEAR(half_line.kurtosis(), 4.9973567732993142, 1e-10);
  const auto far = ReferenceDistribution::truncated_normal(-3.0, 0.5, -3.5, -1.0);
  EXPECT_NEAR(far.mean(), -2.8562741376964865, 1e-13);
  EXPECT_NEAR(far.sd(), 0.39658681780573155, 1e-13);
  EXPECT_NEAR(far.kurtosis(), 2.9839824897610483, 1e-10);
}

TEST(ReferenceDistribution, TruncatedNormalCdf) {
  const auto asymmetric = ReferenceDistribution::truncated_normal(0.5, 2.0, -1.0, 4.0);
  EXPECT_EQ(asymmetric.cdf(-1.0), 0.0);
  EXPECT_NEAR(asymmetric.cdf(0.0), 0.23818779299880135, 1e-15);
  EXPECT_NEAR(asymmetric.cdf(1.5), 0.63388320923405904, 1e-15);
  EXPECT_NEAR(asymmetric.cdf(3.9), 0.99385487114104519, 1e-15);
  EXPECT_NEAR(asymmetric.sf(3.9), 1.0 - 0.99385487114104519, 1e-15);
  EXPECT_EQ(asymmetric.cdf(5.0), 1.0);
  // A window in the upper tail keeps its precision.
  const auto upper = ReferenceDistribution::truncated_normal(0.0, 1.0, 1.0, infinity);
  EXPECT_NEAR(upper.cdf(1.5), 0.57891592233232686, 1e-15);
  EXPECT_NEAR(upper.sf(6.0) / 6.2184366454320392e-9, 1.0, 1e-12);
  const auto far = ReferenceDistribution::truncated_normal(0.0, 1.0, 5.0, 6.0);
  EXPECT_NEAR(far.cdf(5.2), 0.65463854175621158, 1e-12);
  // Quantiles invert the CDF.
  for (double p : {1e-9, 0.01, 0.3, 0.5, 0.9, 1.0 - 1e-6}) {
    EXPECT_NEAR(asymmetric.cdf(asymmetric.quantile(p)), p, 1e-12) << p;
    EXPECT_NEAR(far.cdf(far.quantile(p)), p, 1e-9) << p;
    EXPECT_NEAR(upper.sf(upper.upper_quantile(p)), p, 1e-12 * std::max(p, 1e-3)) << p;
  }
}

TEST(ReferenceDistribution, RoundedOutputDistribution) {
  // U(0, 1) as bfloat16: 0.5 owns [0.5 - 2^-10, 0.5 + 2^-9], mass 3 * 2^-10 (hand-worked).
  const auto uniform = ReferenceDistribution::uniform(0.0, 1.0).on_grid(OutputGrid::bfloat16);
  EXPECT_DOUBLE_EQ(uniform.output_mass(0.5), 3.0 * 0x1p-10);
  EXPECT_DOUBLE_EQ(uniform.output_cdf(0.5), 0.5 + 0x1p-9);
  EXPECT_DOUBLE_EQ(uniform.output_cdf(0.501), 0.5 + 0x1p-9);  // no grid value in (0.5, 0.501]
  EXPECT_DOUBLE_EQ(uniform.output_cdf_below(0.5), 0.5 - 0x1p-10);
  EXPECT_DOUBLE_EQ(uniform.output_sf(0.5), 0.5 - 0x1p-9);
  EXPECT_EQ(uniform.output_cdf(1.0), 1.0);
  // 1.0 is the top of the support: only X in [1 - 2^-9, 1] rounds to it.
  EXPECT_DOUBLE_EQ(uniform.output_mass(1.0), 0x1p-9);
  EXPECT_EQ(uniform.output_upper(), 1.0);
  // N(0, 1) as bfloat16: 1.0 owns [1 - 2^-9, 1 + 2^-8] (mpmath: ncdf difference).
  const auto normal = ReferenceDistribution::normal(0.0, 1.0).on_grid(OutputGrid::bfloat16);
  EXPECT_NEAR(normal.output_mass(1.0), 0.0014164126507852112, 1e-16);
  // Bounds round to the grid: 0.1 -> 0x1.9Ap-4 (above 0.1), so Y can exceed b.
  const auto narrow = ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::bfloat16);
  EXPECT_EQ(narrow.output_upper(), 0x1.9Ap-4);
  EXPECT_EQ(narrow.output_lower(), -0x1.9Ap-4);
  EXPECT_GT(narrow.output_mass(0x1.9Ap-4), 0.0);
  // float32 is exact too (only bounds use it in the tests): 1.0 owns [1 - 2^-25, 1 + 2^-24].
  const auto single = ReferenceDistribution::normal(0.0, 1.0).on_grid(OutputGrid::float32);
  EXPECT_NEAR(single.output_mass(1.0) / (0.24197072451914337 * 1.5 * 0x1p-24), 1.0, 1e-6);  // phi(1) * width
  EXPECT_EQ(ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::float32).output_upper(),
            static_cast<double>(0.1f));
  // Continuous grid: Y = X.
  const auto continuous = ReferenceDistribution::normal(0.0, 1.0);
  EXPECT_EQ(continuous.output_cdf(0.3), continuous.cdf(0.3));
  EXPECT_EQ(continuous.output_mass(0.3), 0.0);
}

TEST(ReferenceDistribution, RejectsInvalidParameters) {
  EXPECT_THROW(ReferenceDistribution::uniform(1.0, 1.0), std::invalid_argument);
  EXPECT_THROW(ReferenceDistribution::uniform(0.0, infinity), std::invalid_argument);
  EXPECT_THROW(ReferenceDistribution::normal(0.0, 0.0), std::invalid_argument);
  EXPECT_THROW(ReferenceDistribution::normal(std::nan(""), 1.0), std::invalid_argument);
  EXPECT_THROW(ReferenceDistribution::truncated_normal(0.0, -1.0, -2.0, 2.0), std::invalid_argument);
  EXPECT_THROW(ReferenceDistribution::truncated_normal(0.0, 1.0, 2.0, -2.0), std::invalid_argument);
  EXPECT_THROW(ReferenceDistribution::truncated_normal(0.0, 1.0, 50.0, 60.0), std::invalid_argument);
  EXPECT_THROW(standard_truncated_normal_moments(1.0, 1.0), std::invalid_argument);
  EXPECT_THROW((void)ReferenceDistribution::normal(0.0, 1.0).quantile(1.5), std::invalid_argument);
}

TEST(ReferenceDistribution, Describe) {
  EXPECT_EQ(ReferenceDistribution::truncated_normal(0.0, 1.0, -2.0, 2.0).on_grid(OutputGrid::bfloat16).describe(),
            "truncated_normal(mean=0, sd=1, lower=-2, upper=2) as bfloat16");
  EXPECT_EQ(ReferenceDistribution::uniform(-1.0, 1.0).describe(), "uniform(a=-1, b=1)");
}

}  // namespace
}  // namespace nninit::validation
