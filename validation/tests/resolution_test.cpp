// The resolution (collision) test and the joint-uniformity test: correct
// high-resolution samples pass, a 16-bit uniform and dependent pairs fail.
#include "nninit/validation/resolution.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "nninit/validation/correlation.hpp"
#include "nninit/validation/sample.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

constexpr std::size_t n = std::size_t{1} << 20;

// A float32 uniform on [a, b) the way a 24-bit generator makes it.
std::vector<double> float32_uniform(std::size_t count, double a, double b, int bits, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::vector<double> values(count);
  const double scale = std::ldexp(1.0, -bits);
  for (double& v : values) {
    const double u = static_cast<double>(engine() >> (64 - bits)) * scale;
    v = static_cast<double>(static_cast<float>(a + (b - a) * u));
  }
  return values;
}

TEST(RoundingCollisionProbability, HandWorkedUniform) {
  // U(0, 1) in float32: binade [2^e, 2^(e+1)) holds mass 2^e at spacing 2^(e-23):
  // sum_e 2^(2e - 23) over e <= -1 = 2^-23 / 3.
  const auto dist = ReferenceDistribution::uniform(0.0, 1.0).on_grid(OutputGrid::float32);
  EXPECT_NEAR(rounding_collision_probability(dist) / (0x1p-23 / 3.0), 1.0, 1e-9);
  EXPECT_LT(rounding_collision_probability(ReferenceDistribution::normal(0.0, 1.0)), 1e-15);
  EXPECT_THROW((void)rounding_collision_probability(
                   ReferenceDistribution::normal(0.0, 1.0).on_grid(OutputGrid::bfloat16)),
               std::invalid_argument);
}

TEST(ResolutionTest, CorrectFloat32UniformPasses) {
  const auto dist = ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::float32);
  const auto sorted = sorted_copy(float32_uniform(n, -0.1, 0.1, 24, 2001));
  const TestResult result = resolution_test(sorted, dist, 0x1p-23);
  EXPECT_GT(result.p_value, 0.01) << result.measured << " vs " << result.target;
  EXPECT_LT(result.measured, result.target);
}

TEST(ResolutionTest, CorrectDoubleNormalPasses) {
  const auto sorted = sorted_copy(testing::normal_sample(n, 0.0, 0.02, 2002));
  const TestResult result = resolution_test(sorted, ReferenceDistribution::normal(0.0, 0.02), 0x1p-52);
  EXPECT_EQ(result.measured, 0.0);
  EXPECT_EQ(result.p_value, 1.0);
}

TEST(ResolutionTest, NegativeControlSixteenBitUniformFails) {
  const auto dist = ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::float32);
  const auto sorted = sorted_copy(float32_uniform(n, -0.1, 0.1, 16, 2003));
  const TestResult result = resolution_test(sorted, dist, 0x1p-23);
  EXPECT_LT(result.p_value, 1e-100) << result.measured << " vs " << result.target;
  // Also for double output, whose bound is tiny.
  const auto wide = sorted_copy(float32_uniform(n, -0.1, 0.1, 20, 2004));
  EXPECT_LT(resolution_test(wide, ReferenceDistribution::uniform(-0.1, 0.1), 0x1p-52).p_value, 1e-100);
}

TEST(ResolutionTest, RejectsBadArguments) {
  const std::vector<double> two = {0.0, 0.5};
  const auto dist = ReferenceDistribution::uniform(0.0, 1.0);
  EXPECT_THROW((void)resolution_test(two, dist, 0.0), std::invalid_argument);
  EXPECT_THROW((void)resolution_test(std::vector<double>{0.5}, dist, 0x1p-23), std::invalid_argument);
  EXPECT_THROW((void)resolution_test(two, dist.on_grid(OutputGrid::float16), 0x1p-23), std::invalid_argument);
}

TEST(JointUniformityTest, IndependentPairsPass) {
  const auto u = testing::uniform_sample(n, 0.0, 1.0, 2005);
  const auto v = testing::uniform_sample(n, 0.0, 1.0, 2006);
  const TestResult result = joint_uniformity_test(u, v);
  EXPECT_EQ(result.name, "joint_uniformity(32x32)");
  EXPECT_GT(result.p_value, 1e-3);
}

TEST(JointUniformityTest, NegativeControlUncorrelatedButDependentFails) {
  // v = |2u - 1| is a function of u, yet uncorrelated with it (symmetric about 1/2).
  const auto u = testing::uniform_sample(n, 0.0, 1.0, 2007);
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::fabs(2.0 * u[i] - 1.0);
  EXPECT_GT(correlation_test(u, v).p_value, 1e-6);
  EXPECT_LT(joint_uniformity_test(u, v).p_value, 1e-100);
}

TEST(JointUniformityTest, RejectsBadArguments) {
  const std::vector<double> few(100, 0.5);
  EXPECT_THROW((void)joint_uniformity_test(few, few), std::invalid_argument);
  EXPECT_THROW((void)joint_uniformity_test(few, std::vector<double>(99, 0.5), 2), std::invalid_argument);
  EXPECT_THROW((void)joint_uniformity_test(few, few, 1), std::invalid_argument);
}

}  // namespace
}  // namespace nninit::validation
