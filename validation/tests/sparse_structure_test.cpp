// Sparse structure: exact zero counts per column, uniform zero rows
// (chi-squared), excess zeros against the dtype's chance of a draw rounding to
// zero; each with a negative control.
#include "nninit/validation/sparse_structure.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

namespace nninit::validation {
namespace {

// A (rows x cols) N(0, std) matrix with z zeros per column at rows chosen by
// `choose` (default: uniformly without replacement).
std::vector<double> sparse_matrix(std::size_t rows, std::size_t cols, std::size_t z, std::uint64_t seed,
                                  bool fixed_rows = false) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> normal(0.0, 0.01);
  std::vector<double> w(rows * cols);
  for (double& v : w) v = normal(random);
  std::vector<std::size_t> order(rows);
  for (std::size_t c = 0; c < cols; ++c) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (!fixed_rows) std::shuffle(order.begin(), order.end(), random);
    for (std::size_t t = 0; t < z; ++t) w[order[t] * cols + c] = 0.0;
  }
  return w;
}

TEST(SparseStructure, CorrectMatrixPasses) {
  const std::vector<double> w = sparse_matrix(300, 1000, 30, 201);
  EXPECT_EQ(sparse_zero_count_check(w, 300, 1000, 30, 0.0).verdict, Verdict::pass);
  const TestResult position = sparse_zero_position_test(w, 300, 1000, 30);
  EXPECT_GT(position.p_value, 1e-4);
  EXPECT_EQ(nonzero_values(w).size(), 270u * 1000u);
  const std::vector<double> dense = sparse_matrix(1024, 256, 922, 202);
  EXPECT_GT(sparse_zero_position_test(dense, 1024, 256, 922).p_value, 1e-4);
}

TEST(SparseStructure, ZeroPositionTestKeepsItsLevel) {
  // The scaled statistic is chi-squared(rows - 1) under the null: over 200
  // independent matrices about 1% of the p-values fall below 0.01.
  int small = 0;
  double sum = 0.0;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const double p = sparse_zero_position_test(sparse_matrix(40, 200, 10, 1000 + seed), 40, 200, 10).p_value;
    small += p < 0.01 ? 1 : 0;
    sum += p;
  }
  EXPECT_LE(small, 8);  // Binomial(200, 0.01): P(>= 9) ~ 6e-4
  EXPECT_NEAR(sum / 200.0, 0.5, 0.07);
}

TEST(SparseStructure, NegativeControlZeroCountOffByOneIsDetected) {
  const std::vector<double> fewer = sparse_matrix(300, 1000, 29, 203);
  EXPECT_EQ(sparse_zero_count_check(fewer, 300, 1000, 30, 0.0).verdict, Verdict::fail);
  const std::vector<double> more = sparse_matrix(300, 1000, 31, 204);
  EXPECT_EQ(sparse_zero_count_check(more, 300, 1000, 30, 0.0).verdict, Verdict::fail);
  // With a small chance of rounded zeros (float16), more zeros are left to
  // the binomial test, which rejects one extra per column.
  const double p16 = normal_zero_probability(0.01, OutputGrid::float16);
  EXPECT_EQ(sparse_zero_count_check(more, 300, 1000, 30, p16).verdict, Verdict::pass);
  EXPECT_LT(sparse_excess_zero_test(more, 300, 1000, 30, p16).p_value, 1e-100);
  EXPECT_EQ(sparse_zero_count_check(fewer, 300, 1000, 30, p16).verdict, Verdict::fail);
}

TEST(SparseStructure, NegativeControlZerosInFixedRowsAreDetected) {
  const std::vector<double> w = sparse_matrix(300, 1000, 30, 205, /*fixed_rows=*/true);
  EXPECT_EQ(sparse_zero_count_check(w, 300, 1000, 30, 0.0).verdict, Verdict::pass);
  EXPECT_LT(sparse_zero_position_test(w, 300, 1000, 30).p_value, 1e-100);
}

TEST(SparseStructure, ZeroProbabilityOfARoundedDraw) {
  EXPECT_EQ(normal_zero_probability(0.01, OutputGrid::continuous), 0.0);
  // float16: |x| <= 2^-25 rounds to 0: about 2 phi(0) 2^-25 / std.
  EXPECT_NEAR(normal_zero_probability(0.01, OutputGrid::float16), 2.0 * 0.3989422804 * 0x1p-25 / 0.01, 1e-12);
  EXPECT_LT(normal_zero_probability(0.01, OutputGrid::float32), 1e-40);
  EXPECT_GT(normal_zero_probability(0.01, OutputGrid::float32), 0.0);
}

TEST(SparseStructure, NotApplicableWithoutRandomness) {
  const std::vector<double> w = sparse_matrix(10, 20, 0, 206);
  EXPECT_TRUE(std::isnan(sparse_zero_position_test(w, 10, 20, 0).p_value));
  EXPECT_TRUE(std::isnan(sparse_excess_zero_test(w, 10, 20, 0, 0.0).p_value));
  const std::vector<double> zeros(200, 0.0);
  EXPECT_EQ(sparse_zero_count_check(zeros, 10, 20, 10, 0.0).verdict, Verdict::pass);
  EXPECT_TRUE(std::isnan(sparse_zero_position_test(zeros, 10, 20, 10).p_value));
  EXPECT_THROW(sparse_zero_count_check(zeros, 10, 21, 1, 0.0), std::invalid_argument);
  EXPECT_THROW(sparse_zero_count_check(zeros, 10, 20, 11, 0.0), std::invalid_argument);
}

}  // namespace
}  // namespace nninit::validation
