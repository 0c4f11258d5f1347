// Haar law of orthogonal matrices: the exact law of one entry and the trace's
// first two moments pass on Haar matrices and reject the defects of the
// issue's negative controls (no sign correction, a plain normal matrix, a
// wrong gain, chunk-wise defects).
#include "nninit/validation/haar_law.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

#include "haar_samples.hpp"
#include "nninit/validation/output_grid.hpp"

namespace nninit::validation {
namespace {

constexpr double pass_level = 1e-4;  // each passing test on a fixed seed, chosen once
constexpr double reject_level = 1e-10;

double smallest_p(const std::vector<TestResult>& results) {
  double p = 1.0;
  for (const TestResult& r : results) p = std::min(p, r.p_value);
  return p;
}

// One entry from each of `count` independent n x n matrices, the position
// cycling over the matrix; their traces.
struct SmallMatrices {
  std::vector<double> entries, traces;
};
SmallMatrices small_matrices(std::size_t n, std::size_t count, std::uint64_t seed, bool sign_correction = true) {
  std::mt19937_64 random(seed);
  SmallMatrices out;
  for (std::size_t k = 0; k < count; ++k) {
    const std::vector<double> q = testing::random_orthogonal(n, n, random, sign_correction);
    out.entries.push_back(q[k % (n * n)]);
    out.traces.push_back(testing::trace(q, n));
  }
  return out;
}

TEST(SphereCoordinate, MatchesClosedFormsAndSymmetry) {
  for (const double x : {-0.99, -0.5, -0.1, 0.0, 0.3, 0.77, 0.999}) {
    EXPECT_NEAR(sphere_coordinate_cdf(x, 2), 0.5 + std::asin(x) / std::numbers::pi, 1e-14) << x;  // arcsine law
    EXPECT_NEAR(sphere_coordinate_cdf(x, 3), (x + 1.0) / 2.0, 1e-14) << x;  // Archimedes: uniform on [-1, 1]
    // m = 4: density (2 / pi) sqrt(1 - x^2).
    EXPECT_NEAR(sphere_coordinate_cdf(x, 4), 0.5 + (x * std::sqrt(1 - x * x) + std::asin(x)) / std::numbers::pi, 1e-14);
    for (const std::uint64_t m : {5u, 64u, 4096u}) {
      EXPECT_NEAR(sphere_coordinate_cdf(x, m) + sphere_coordinate_cdf(-x, m), 1.0, 1e-14) << m;
    }
  }
  EXPECT_EQ(sphere_coordinate_cdf(-1.5, 8), 0.0);
  EXPECT_EQ(sphere_coordinate_cdf(1.0, 8), 1.0);
  EXPECT_EQ(sphere_coordinate_cdf(0.0, 9), 0.5);
  // Far tail keeps relative precision: about N(0, 1/m) for large m.
  EXPECT_GT(sphere_coordinate_cdf(0.25, 4096), 1.0 - 1e-15);
  EXPECT_LT(1.0 - sphere_coordinate_cdf(0.25, 4096), 1e-40);
  EXPECT_GT(sphere_coordinate_cdf(-0.25, 4096), 0.0);
  EXPECT_THROW(sphere_coordinate_cdf(0.0, 1), std::invalid_argument);
}

TEST(HaarEntry, IndependentEntriesPassInEveryDtype) {
  const SmallMatrices haar = small_matrices(8, 20000, 101);
  for (const OutputGrid grid : {OutputGrid::continuous, OutputGrid::float32, OutputGrid::bfloat16, OutputGrid::float16}) {
    for (const double gain : {1.0, 1.7}) {
      std::vector<double> values;
      for (const double v : haar.entries) values.push_back(round_to_grid(round_to_grid(gain * v, OutputGrid::float32), grid));
      if (grid == OutputGrid::continuous) values = haar.entries, std::for_each(values.begin(), values.end(), [&](double& v) { v *= gain; });
      const std::vector<TestResult> results = haar_entry_tests(values, 8, gain, grid);
      ASSERT_EQ(results.size(), 3u);
      EXPECT_GT(smallest_p(results), pass_level) << grid_name(grid) << " gain " << gain;
    }
  }
}

TEST(HaarEntry, PooledEntriesOfOneLargeMatrixPass) {
  std::mt19937_64 random(102);
  const std::vector<double> q = testing::random_orthogonal(256, 96, random);
  EXPECT_GT(smallest_p(haar_entry_tests(q, 256, 1.0, OutputGrid::float32)), pass_level);
  const std::vector<double> wide = testing::random_orthogonal(64, 200, random);
  EXPECT_GT(smallest_p(haar_entry_tests(wide, 200, 1.0, OutputGrid::float32)), pass_level);
}

TEST(HaarEntry, NegativeControlNoSignCorrectionIsDetected) {
  const SmallMatrices wrong = small_matrices(8, 20000, 103, /*sign_correction=*/false);
  EXPECT_LT(smallest_p(haar_entry_tests(wrong.entries, 8, 1.0, OutputGrid::float32)), reject_level);
}

TEST(HaarEntry, NegativeControlPlainNormalIsDetected) {
  std::mt19937_64 random(104);
  std::normal_distribution<double> normal(0.0, 1.0 / std::sqrt(8.0));  // the right variance, 1 / m
  std::vector<double> values(20000);
  for (double& v : values) v = normal(random);
  EXPECT_LT(smallest_p(haar_entry_tests(values, 8, 1.0, OutputGrid::float32)), reject_level);
}

TEST(HaarEntry, NegativeControlWrongDimensionIsDetected) {
  const SmallMatrices haar = small_matrices(8, 20000, 105);
  EXPECT_LT(smallest_p(haar_entry_tests(haar.entries, 10, 1.0, OutputGrid::float32)), reject_level);
}

TEST(HaarEntry, CoarseGridNeedsGridValues) {
  EXPECT_THROW(haar_entry_transform(std::vector<double>{0.1}, 8, 1.0, OutputGrid::bfloat16), std::invalid_argument);
  EXPECT_THROW(haar_entry_transform(std::vector<double>{0.0}, 8, 0.0, OutputGrid::float32), std::invalid_argument);
  // A value beyond |gain| has u = 1 (or 0): Anderson-Darling rejects it.
  const std::vector<double> u = haar_entry_transform(std::vector<double>{1.5, -2.0}, 8, 1.0, OutputGrid::bfloat16);
  EXPECT_EQ(u[0], 1.0);
  EXPECT_EQ(u[1], 0.0);
}

TEST(HaarTrace, HaarTracesPass) {
  const SmallMatrices haar = small_matrices(8, 16384, 106);
  const std::vector<TestResult> results = haar_trace_tests(haar.traces, 8, 256);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_GT(smallest_p(results), pass_level);
  EXPECT_NEAR(results[0].measured, 0.0, 0.05);
  EXPECT_NEAR(results[1].measured, 1.0, 0.05);
}

TEST(HaarTrace, NegativeControlNoSignCorrectionIsDetected) {
  const SmallMatrices wrong = small_matrices(8, 16384, 107, false);
  const std::vector<TestResult> results = haar_trace_tests(wrong.traces, 8, 256);
  EXPECT_LT(results[0].p_value, reject_level);  // mean trace about -2
  EXPECT_LT(results[2].p_value, reject_level);
}

TEST(HaarTrace, NegativeControlGainOffByFivePercentIsDetectedBySecondMoment) {
  SmallMatrices haar = small_matrices(8, 16384, 108);
  for (double& t : haar.traces) t *= 1.05;
  const std::vector<TestResult> results = haar_trace_tests(haar.traces, 8, 256);
  EXPECT_GT(results[0].p_value, pass_level);
  EXPECT_LT(results[1].p_value, reject_level);
}

TEST(HaarTrace, NegativeControlChunkwiseVarianceDefectIsSeenOnlyByTheTwoLevelTest) {
  // Alternate chunks of 64 traces scaled by 1.3 and by sqrt(2 - 1.69): the
  // second moment of the whole sample stays 1, every chunk's is wrong.
  SmallMatrices haar = small_matrices(8, 16384, 109);
  for (std::size_t i = 0; i < haar.traces.size(); ++i) haar.traces[i] *= (i / 64) % 2 == 0 ? 1.3 : std::sqrt(2.0 - 1.69);
  const std::vector<TestResult> results = haar_trace_tests(haar.traces, 8, 256);
  EXPECT_GT(results[1].p_value, pass_level);
  EXPECT_LT(results[3].p_value, reject_level);
}

TEST(HaarTrace, RejectsBadArguments) {
  const std::vector<double> traces(100, 0.0);
  EXPECT_THROW(haar_trace_tests(traces, 1, 2), std::invalid_argument);
  EXPECT_THROW(haar_trace_tests(traces, 8, 1), std::invalid_argument);
  EXPECT_THROW(haar_trace_tests(traces, 8, 10), std::invalid_argument);  // chunks of 10 < 16
}

}  // namespace
}  // namespace nninit::validation
