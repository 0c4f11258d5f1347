// The two-level KS test, with a defect that only shows chunk by chunk.
#include "nninit/validation/two_level.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "nninit/validation/kolmogorov_smirnov.hpp"
#include "nninit/validation/sample.hpp"
#include "test_samples.hpp"

namespace nninit::validation {
namespace {

TEST(TwoLevel, DefaultChunks) {
  EXPECT_EQ(default_two_level_chunks(1000), 256u);
  EXPECT_EQ(default_two_level_chunks(std::size_t{1} << 22), 256u);
  EXPECT_EQ(default_two_level_chunks(std::size_t{1} << 26), 4096u);
}

TEST(TwoLevel, AcceptsCorrectSampleWithExactChunkPValues) {
  // 256 chunks of 500: every chunk p-value comes from the exact distribution.
  const auto sample = testing::normal_sample(256 * 500, 0.0, 1.0, 801);
  const TestResult result = two_level_ks_test(sample, ReferenceDistribution::normal(0.0, 1.0), 256);
  EXPECT_EQ(result.name, "two_level_ks");
  EXPECT_GT(result.p_value, 1e-3);
  EXPECT_NEAR(result.measured, 0.01, 0.03);
}

TEST(TwoLevel, AcceptsCorrectSampleWithLargeChunks) {
  const auto sample = testing::uniform_sample(256 * 4096, 0.0, 1.0, 802);
  EXPECT_GT(two_level_ks_test_uniform(sample, 256).p_value, 1e-3);
}

TEST(TwoLevel, NegativeControlChunkwiseMeanDefect) {
  // Chunks alternate between N(+0.05, 1) and N(-0.05, 1): the pooled sample is a
  // mixture with sd 1.00125 that one-level KS cannot tell from N(0, 1) at this n,
  // but each chunk is off and the chunk p-values pile up near 0.
  const std::size_t chunks = 256, size = 4096;
  auto sample = testing::normal_sample(chunks * size, 0.0, 1.0, 803);
  for (std::size_t c = 0; c < chunks; ++c) {
    const double shift = c % 2 == 0 ? 0.05 : -0.05;
    for (std::size_t i = 0; i < size; ++i) sample[c * size + i] += shift;
  }
  const auto dist = ReferenceDistribution::normal(0.0, 1.0);
  EXPECT_GT(ks_test(sorted_copy(sample), dist).p_value, 1e-3);
  const TestResult result = two_level_ks_test(sample, dist, chunks);
  EXPECT_LT(result.p_value, 1e-6);
  EXPECT_GT(result.measured, 0.05);
}

TEST(TwoLevel, RejectsTooSmallChunks) {
  const std::vector<double> u(1000, 0.5);
  EXPECT_THROW(two_level_ks_test_uniform(u, 1), std::invalid_argument);
  EXPECT_THROW(two_level_ks_test_uniform(u, 256), std::invalid_argument);
}

}  // namespace
}  // namespace nninit::validation
