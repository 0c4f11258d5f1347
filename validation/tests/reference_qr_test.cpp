// The reference Householder QR: Q has orthonormal columns and Q^T A is upper
// triangular, with a positive diagonal exactly when the sign correction is on.
#include "nninit/validation/reference_qr.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace nninit::validation {
namespace {

TEST(ReferenceQr, FactorsTheMatrix) {
  std::mt19937_64 random(301);
  std::normal_distribution<double> normal;
  const std::size_t m = 9, k = 5;
  std::vector<double> a(m * k);
  for (double& v : a) v = normal(random);
  for (const bool sign : {true, false}) {
    const std::vector<double> q = householder_q(a, m, k, sign);
    int negative_diagonal = 0;
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t j = 0; j < k; ++j) {
        double qq = 0.0, r = 0.0;  // (Q^T Q)_ij and R_ij = (Q^T A)_ij
        for (std::size_t t = 0; t < m; ++t) {
          qq += q[t * k + i] * q[t * k + j];
          r += q[t * k + i] * a[t * k + j];
        }
        EXPECT_NEAR(qq, i == j ? 1.0 : 0.0, 1e-14);
        if (i > j) {
          EXPECT_NEAR(r, 0.0, 1e-13);
        }
        if (i == j && r < 0.0) ++negative_diagonal;
      }
    }
    if (sign) {
      EXPECT_EQ(negative_diagonal, 0);
    } else {
      EXPECT_GT(negative_diagonal, 0);  // a control: without the correction some are negative
    }
  }
  EXPECT_THROW(householder_q(a, 5, 9, true), std::invalid_argument);
}

}  // namespace
}  // namespace nninit::validation
