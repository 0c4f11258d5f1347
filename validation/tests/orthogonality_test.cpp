// Orthogonality check: correct matrices in every dtype stay within the bound
// that the dtype's rounding allows; wrong gains, plain normal matrices and a
// perturbed entry exceed it (negative controls).
#include "nninit/validation/orthogonality.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "haar_samples.hpp"
#include "nninit/validation/output_grid.hpp"

namespace nninit::validation {
namespace {

std::vector<double> scaled_on_grid(const std::vector<double>& q, double gain, OutputGrid grid) {
  std::vector<double> out(q.size());
  for (std::size_t i = 0; i < q.size(); ++i) {
    const double x = gain * q[i];
    // as nninit stores it: double -> float32 -> bfloat16 / float16
    out[i] = grid == OutputGrid::continuous ? x
                                            : round_to_grid(round_to_grid(x, OutputGrid::float32), grid);
  }
  return out;
}

const OutputGrid all_grids[] = {OutputGrid::continuous, OutputGrid::float32, OutputGrid::bfloat16,
                                OutputGrid::float16};

TEST(Orthogonality, CorrectMatricesAreWithinTheBoundInEveryDtype) {
  std::mt19937_64 random(20240611);
  const std::pair<std::size_t, std::size_t> shapes[] = {{64, 64}, {100, 30}, {30, 100}, {1, 7}, {7, 1}};
  for (const auto& [rows, cols] : shapes) {
    const std::vector<double> q = testing::random_orthogonal(rows, cols, random);
    for (const double gain : {1.0, 0.5, 3.0, -2.0, 1e-3}) {
      for (const OutputGrid grid : all_grids) {
        const TestResult r = orthogonality_check(scaled_on_grid(q, gain, grid), rows, cols, gain, grid);
        EXPECT_EQ(r.verdict, Verdict::pass) << rows << "x" << cols << " gain " << gain << " " << grid_name(grid)
                                            << ": " << r.detail;
        EXPECT_LE(r.measured, r.ci_high);
      }
    }
  }
}

TEST(Orthogonality, BoundFollowsTheDtypeRounding) {
  // float32: about 2 * 2^-24 for gain 1 (the rounding term dominates).
  const double f32 = orthogonality_bound(OutputGrid::float32, 256, 576, 1.0);
  EXPECT_GT(f32, 2.0 * 0x1p-24);
  EXPECT_LT(f32, 2.0 * 0x1p-24 * 1.01);
  // bfloat16: about 2 * 2^-8 + 2^-16.
  const double bf16 = orthogonality_bound(OutputGrid::bfloat16, 64, 64, 1.0);
  EXPECT_NEAR(bf16, 2.0 * 0x1p-8 + 0x1p-16, 1e-5);
  // float64: the QR allowance m k 2^-53 dominates.
  const double f64 = orthogonality_bound(OutputGrid::continuous, 256, 576, 1.0);
  EXPECT_NEAR(f64, 576.0 * 256.0 * 0x1p-53, 1e-12);
  // The bound scales with gain^2.
  EXPECT_NEAR(orthogonality_bound(OutputGrid::float32, 64, 64, 3.0), 9.0 * orthogonality_bound(OutputGrid::float32, 64, 64, 1.0), 1e-12);
  // Wide and tall give the same bound.
  EXPECT_EQ(orthogonality_bound(OutputGrid::float16, 30, 100, 1.0), orthogonality_bound(OutputGrid::float16, 100, 30, 1.0));
}

TEST(Orthogonality, NegativeControlGainOffByOnePercentIsDetectedInEveryDtype) {
  std::mt19937_64 random(7);
  const std::vector<double> q = testing::random_orthogonal(64, 48, random);
  for (const OutputGrid grid : all_grids) {
    for (const double gain : {1.0, 0.25}) {
      const TestResult r = orthogonality_check(scaled_on_grid(q, gain * 1.01, grid), 64, 48, gain, grid);
      EXPECT_EQ(r.verdict, Verdict::fail) << grid_name(grid) << ": " << r.detail;
      EXPECT_NEAR(r.measured, gain * gain * (1.01 * 1.01 - 1.0), 0.01 * gain * gain);
    }
  }
}

TEST(Orthogonality, NegativeControlPlainNormalMatrixIsDetected) {
  std::mt19937_64 random(8);
  std::vector<double> a = testing::normal_matrix(128, 128, random);
  for (double& v : a) v /= std::sqrt(128.0);  // the variance of an orthogonal matrix's entries
  const TestResult r = orthogonality_check(a, 128, 128, 1.0, OutputGrid::bfloat16);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_GT(r.measured, 0.1);
}

TEST(Orthogonality, NegativeControlOneEntryOffIsDetectedInFloat32) {
  std::mt19937_64 random(9);
  std::vector<double> q = scaled_on_grid(testing::random_orthogonal(50, 50, random), 1.0, OutputGrid::float32);
  q[17 * 50 + 3] += 1e-5;
  EXPECT_EQ(orthogonality_check(q, 50, 50, 1.0, OutputGrid::float32).verdict, Verdict::fail);
  q[17 * 50 + 3] = std::numeric_limits<double>::quiet_NaN();
  const OrthogonalityMeasurement m = measure_orthogonality(q, 50, 50, 1.0);
  EXPECT_TRUE(std::isinf(m.max_deviation));
  EXPECT_EQ(orthogonality_check(q, 50, 50, 1.0, OutputGrid::float32).verdict, Verdict::fail);
}

TEST(Orthogonality, ReportsWhereAndWhichGram) {
  std::vector<double> eye(12, 0.0);  // 3 x 4 with orthonormal rows
  for (std::size_t i = 0; i < 3; ++i) eye[i * 4 + i] = 1.0;
  OrthogonalityMeasurement m = measure_orthogonality(eye, 3, 4, 1.0);
  EXPECT_TRUE(m.rows_orthonormal);
  EXPECT_EQ(m.max_deviation, 0.0);
  eye[1 * 4 + 1] = 0.5;
  m = measure_orthogonality(eye, 3, 4, 1.0);
  EXPECT_EQ(m.max_deviation, 0.75);
  EXPECT_EQ(m.i, 1u);
  EXPECT_EQ(m.j, 1u);
}

TEST(Orthogonality, RejectsBadArguments) {
  const std::vector<double> q(12, 0.0);
  EXPECT_THROW(measure_orthogonality(q, 5, 3, 1.0), std::invalid_argument);
  EXPECT_THROW(measure_orthogonality(q, 0, 12, 1.0), std::invalid_argument);
  EXPECT_THROW(measure_orthogonality(q, 3, 4, std::numeric_limits<double>::infinity()), std::invalid_argument);
}

}  // namespace
}  // namespace nninit::validation
