// haar_samples.hpp — test matrices for the structured-initializer checks:
// Haar-distributed orthogonal matrices from the reference Householder QR
// (reference_qr.hpp) of a normal matrix, with or without the sign correction. Fixed seeds; std::mt19937_64 and std::normal_distribution
// give the same values on every run of one standard library.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "nninit/validation/reference_qr.hpp"

namespace nninit::validation::testing {

// A (rows x cols) N(0, 1) matrix, C order.
inline std::vector<double> normal_matrix(std::size_t rows, std::size_t cols, std::mt19937_64& random) {
  std::normal_distribution<double> normal;
  std::vector<double> a(rows * cols);
  for (double& v : a) v = normal(random);
  return a;
}

// A (rows x cols) matrix with orthonormal columns (rows >= cols) or rows
// (rows < cols), Haar when sign_correction is set.
inline std::vector<double> random_orthogonal(std::size_t rows, std::size_t cols, std::mt19937_64& random,
                                             bool sign_correction = true) {
  const std::size_t m = rows >= cols ? rows : cols, k = rows >= cols ? cols : rows;
  std::vector<double> q = householder_q(normal_matrix(m, k, random), m, k, sign_correction);
  if (rows >= cols) return q;
  std::vector<double> t(rows * cols);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < k; ++j) t[j * m + i] = q[i * k + j];
  }
  return t;
}

inline double trace(const std::vector<double>& square, std::size_t n) {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += square[i * n + i];
  return sum;
}

}  // namespace nninit::validation::testing
