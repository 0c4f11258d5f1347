// A plain Householder QR (the suite's oracle and negative control maker).
#include "nninit/validation/reference_qr.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace nninit::validation {

std::vector<double> householder_q(std::span<const double> input, std::size_t m, std::size_t k, bool sign_correction) {
  if (m < k || input.size() != m * k) {
    throw std::invalid_argument("householder_q: " + std::to_string(input.size()) + " values are not an " +
                                std::to_string(m) + " x " + std::to_string(k) + " matrix with m >= k");
  }
  std::vector<double> a(input.begin(), input.end());
  std::vector<double> reflectors(k * m, 0.0);  // row j: v_j with H_j = I - v_j v_j^T
  std::vector<double> diagonal(k);
  std::vector<double> v(m);
  for (std::size_t j = 0; j < k; ++j) {
    double norm = 0.0;
    for (std::size_t i = j; i < m; ++i) norm += a[i * k + j] * a[i * k + j];
    norm = std::sqrt(norm);
    const double alpha = a[j * k + j];
    const double beta = alpha >= 0.0 ? -norm : norm;
    std::fill(v.begin(), v.end(), 0.0);
    v[j] = alpha - beta;
    for (std::size_t i = j + 1; i < m; ++i) v[i] = a[i * k + j];
    double vv = 0.0;
    for (std::size_t i = j; i < m; ++i) vv += v[i] * v[i];
    for (std::size_t c = j; c < k; ++c) {
      double dot = 0.0;
      for (std::size_t i = j; i < m; ++i) dot += v[i] * a[i * k + c];
      const double f = vv > 0.0 ? 2.0 * dot / vv : 0.0;
      for (std::size_t i = j; i < m; ++i) a[i * k + c] -= f * v[i];
    }
    diagonal[j] = vv > 0.0 ? beta : alpha;
    const double scale = vv > 0.0 ? std::sqrt(2.0 / vv) : 0.0;
    for (std::size_t i = j; i < m; ++i) reflectors[j * m + i] = v[i] * scale;
  }
  // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of I.
  std::vector<double> q(m * k, 0.0);
  for (std::size_t j = 0; j < k; ++j) q[j * k + j] = 1.0;
  for (std::size_t r = k; r-- > 0;) {
    const double* w = reflectors.data() + r * m;
    for (std::size_t c = 0; c < k; ++c) {
      double dot = 0.0;
      for (std::size_t i = r; i < m; ++i) dot += w[i] * q[i * k + c];
      for (std::size_t i = r; i < m; ++i) q[i * k + c] -= dot * w[i];
    }
  }
  if (sign_correction) {
    for (std::size_t c = 0; c < k; ++c) {
      if (diagonal[c] < 0.0) {
        for (std::size_t i = 0; i < m; ++i) q[i * k + c] = -q[i * k + c];
      }
    }
  }
  return q;
}

}  // namespace nninit::validation
