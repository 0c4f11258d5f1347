// Blocked Householder QR with a fixed operation order (see householder_qr.hpp).
//
// Notation: A is m x k, row-major. Reflector j is H_j = I - tau_j v_j v_j^T
// with v_j(i) = 0 for i < j, v_j(j) = 1 and v_j(i) stored in A(i, j) below the
// diagonal (LAPACK's dgeqrf layout). A panel of b reflectors starting at
// column j0 is H_{j0} ... H_{j0+b-1} = I - V T V^T (V: the panel's vectors,
// T: b x b upper triangular, LAPACK's dlarft, forward and columnwise).
#include "structured/householder_qr.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace nninit::internal {
namespace {

// Columns per unit of parallel work: every entry of a column chunk is
// computed by one thread, in the same order whatever the chunking.
constexpr std::size_t column_chunk = 64;

struct Matrix {
  double* data;
  std::size_t rows, cols;
  double& operator()(std::size_t i, std::size_t j) const noexcept { return data[i * cols + j]; }
};

// Makes reflector j from column j of rows j..m-1 (dlarfg): afterwards A(j, j)
// holds beta = -sign(alpha) ||x|| (the R diagonal entry) and A(i, j), i > j,
// the vector; returns tau. A column that is already zero below the diagonal
// needs no reflection (tau = 0, beta = alpha).
double make_reflector(const Matrix& a, std::size_t j) noexcept {
  const double alpha = a(j, j);
  double sigma = 0.0;
  for (std::size_t i = j + 1; i < a.rows; ++i) sigma += a(i, j) * a(i, j);
  if (sigma == 0.0) return 0.0;
  const double norm = std::sqrt(alpha * alpha + sigma);
  const double beta = alpha >= 0.0 ? -norm : norm;
  const double divisor = alpha - beta;
  for (std::size_t i = j + 1; i < a.rows; ++i) a(i, j) = a(i, j) / divisor;
  a(j, j) = beta;
  return (beta - alpha) / beta;
}

// Applies H_j^T = H_j to columns [c0, c1) of rows j..m-1, unblocked.
void apply_reflector(const Matrix& a, std::size_t j, double tau, std::size_t c0, std::size_t c1,
                     std::vector<double>& w) {
  if (tau == 0.0 || c0 >= c1) return;
  const std::size_t width = c1 - c0;
  w.assign(width, 0.0);
  for (std::size_t l = 0; l < width; ++l) w[l] = a(j, c0 + l);
  for (std::size_t i = j + 1; i < a.rows; ++i) {
    const double v = a(i, j);
    const double* row = &a(i, c0);
    for (std::size_t l = 0; l < width; ++l) w[l] += v * row[l];
  }
  for (std::size_t l = 0; l < width; ++l) w[l] = tau * w[l];
  for (std::size_t l = 0; l < width; ++l) a(j, c0 + l) -= w[l];
  for (std::size_t i = j + 1; i < a.rows; ++i) {
    const double v = a(i, j);
    double* row = &a(i, c0);
    for (std::size_t l = 0; l < width; ++l) row[l] -= v * w[l];
  }
}

// T of the panel [j0, j0 + b) (dlarft, forward, columnwise): T(p, p) = tau_p,
// T(0:p, p) = -tau_p T(0:p, 0:p) (V(:, 0:p)^T v_p).
std::vector<double> block_triangle(const Matrix& a, std::size_t j0, std::size_t b, const std::vector<double>& tau) {
  std::vector<double> t(b * b, 0.0);
  std::vector<double> y(b, 0.0);
  for (std::size_t p = 0; p < b; ++p) {
    t[p * b + p] = tau[j0 + p];
    if (p == 0) continue;
    // y(q) = v_q . v_p over rows j0 + p .. m-1 (v_p is zero above j0 + p).
    for (std::size_t q = 0; q < p; ++q) y[q] = a(j0 + p, j0 + q);  // v_p(j0 + p) = 1
    for (std::size_t i = j0 + p + 1; i < a.rows; ++i) {
      const double vp = a(i, j0 + p);
      for (std::size_t q = 0; q < p; ++q) y[q] += a(i, j0 + q) * vp;
    }
    for (std::size_t q = 0; q < p; ++q) {
      double sum = 0.0;
      for (std::size_t r = q; r < p; ++r) sum += t[q * b + r] * y[r];
      t[q * b + p] = -tau[j0 + p] * sum;
    }
  }
  return t;
}

enum class Side { transposed, plain };

// target(rows j0.., columns [c0, k)) <- (I - V T' V^T) target, with T' = T^T
// (the factorisation: H^T applied to A) or T' = T (forming Q: H applied), V
// the panel [j0, j0 + b) of `v`. Three steps, each summing in a fixed order:
//   W = V^T target (over rows, ascending), W = T' W (over the panel, ascending),
//   target -= V W (over the panel, ascending).
// V is first copied out with its unit diagonal and the zeros above it
// written in (they add exact zeros, which changes no sum), and the loops are
// tiled (blocks of rows; 4 reflectors x 8 columns) so that the sums stay in
// registers and each block of rows is read once per tile column.
void apply_block(const Matrix& v, const Matrix& target, std::size_t j0, std::size_t b, const std::vector<double>& t,
                 Side side, std::size_t c0, int threads) {
  const std::size_t k = target.cols;
  if (c0 >= k) return;
  const std::size_t m = target.rows;
  const std::size_t height = m - j0;
  // The panel, padded to householder_block reflectors with zero columns.
  std::vector<double> panel(height * householder_block, 0.0);
  for (std::size_t i = 0; i < height; ++i) {
    for (std::size_t p = 0; p < b; ++p) {
      panel[i * householder_block + p] = i < p ? 0.0 : i == p ? 1.0 : v(j0 + i, j0 + p);
    }
  }
  const std::size_t width = k - c0;
  const std::size_t chunks = (width + column_chunk - 1) / column_chunk;
  constexpr std::size_t tile_rows = 4, tile_cols = 8, row_block = 128;
  constexpr std::size_t tiles = householder_block / tile_rows;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && chunks > 1)
  for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
    const std::size_t l0 = c0 + chunk * column_chunk;
    const std::size_t n = std::min(column_chunk, k - l0);
    // Columns of the chunk, padded to a whole number of tiles (the padding
    // reads zeros and is never written back).
    alignas(64) double w[householder_block][column_chunk] = {};
    alignas(64) double w2[householder_block][column_chunk] = {};
    alignas(64) double rows[row_block][column_chunk];
    for (std::size_t i0 = 0; i0 < height; i0 += row_block) {
      const std::size_t count = std::min(row_block, height - i0);
      for (std::size_t r = 0; r < count; ++r) {
        const double* source = &target(j0 + i0 + r, l0);
        std::copy_n(source, n, rows[r]);
        std::fill(rows[r] + n, rows[r] + column_chunk, 0.0);
      }
      for (std::size_t tile = 0; tile < tiles; ++tile) {
        const std::size_t p0 = tile * tile_rows;
        if (p0 >= b) break;
        for (std::size_t t0 = 0; t0 < n; t0 += tile_cols) {
          double acc[tile_rows][tile_cols];
          for (std::size_t q = 0; q < tile_rows; ++q)
            for (std::size_t l = 0; l < tile_cols; ++l) acc[q][l] = w[p0 + q][t0 + l];
          for (std::size_t r = 0; r < count; ++r) {
            const double* coefficients = &panel[(i0 + r) * householder_block + p0];
            const double* row = &rows[r][t0];
            for (std::size_t q = 0; q < tile_rows; ++q)
              for (std::size_t l = 0; l < tile_cols; ++l) acc[q][l] += coefficients[q] * row[l];
          }
          for (std::size_t q = 0; q < tile_rows; ++q)
            for (std::size_t l = 0; l < tile_cols; ++l) w[p0 + q][t0 + l] = acc[q][l];
        }
      }
    }
    // W2 = T' W.
    for (std::size_t p = 0; p < b; ++p) {
      if (side == Side::transposed) {  // (T^T W)(p) = sum over q <= p of T(q, p) W(q)
        for (std::size_t q = 0; q <= p; ++q) {
          const double c = t[q * b + p];
          for (std::size_t l = 0; l < n; ++l) w2[p][l] += c * w[q][l];
        }
      } else {  // (T W)(p) = sum over q >= p of T(p, q) W(q)
        for (std::size_t q = p; q < b; ++q) {
          const double c = t[p * b + q];
          for (std::size_t l = 0; l < n; ++l) w2[p][l] += c * w[q][l];
        }
      }
    }
    // target -= V W2, row by row, 8 columns at a time.
    for (std::size_t i = 0; i < height; ++i) {
      const double* coefficients = &panel[i * householder_block];
      double* row = &target(j0 + i, l0);
      for (std::size_t t0 = 0; t0 < n; t0 += tile_cols) {
        const std::size_t cb = std::min(tile_cols, n - t0);
        double acc[tile_cols] = {};
        for (std::size_t p = 0; p < householder_block; ++p)
          for (std::size_t l = 0; l < tile_cols; ++l) acc[l] += coefficients[p] * w2[p][t0 + l];
        for (std::size_t l = 0; l < cb; ++l) row[t0 + l] -= acc[l];
      }
    }
  }
}

}  // namespace

void orthonormalize_columns(std::span<double> values, std::size_t m, std::size_t k, int threads) {
  const Matrix a{values.data(), m, k};
  threads = threads > 0 ? threads : omp_get_max_threads();
  std::vector<double> tau(k, 0.0);
  std::vector<double> scratch;
  // The factorisation, panel by panel: reflectors inside the panel one at a
  // time, then the panel's block reflector on the columns to its right.
  for (std::size_t j0 = 0; j0 < k; j0 += householder_block) {
    const std::size_t b = std::min(householder_block, k - j0);
    for (std::size_t j = j0; j < j0 + b; ++j) {
      tau[j] = make_reflector(a, j);
      apply_reflector(a, j, tau[j], j + 1, j0 + b, scratch);
    }
    if (j0 + b < k) apply_block(a, a, j0, b, block_triangle(a, j0, b, tau), Side::transposed, j0 + b, threads);
  }
  // The sign of each R diagonal entry, before the reflectors' storage is read.
  std::vector<double> sign(k, 1.0);
  for (std::size_t j = 0; j < k; ++j) sign[j] = a(j, j) < 0.0 ? -1.0 : 1.0;
  // Q = H_0 ... H_{k-1} [I; 0], formed from the last panel backwards in a
  // separate matrix (the reflectors stay in `a` until every panel is applied).
  std::vector<double> q(m * k, 0.0);
  const Matrix qm{q.data(), m, k};
  for (std::size_t j = 0; j < k; ++j) qm(j, j) = 1.0;
  const std::size_t panels = (k + householder_block - 1) / householder_block;
  for (std::size_t panel = panels; panel-- > 0;) {
    const std::size_t j0 = panel * householder_block;
    const std::size_t b = std::min(householder_block, k - j0);
    apply_block(a, qm, j0, b, block_triangle(a, j0, b, tau), Side::plain, j0, threads);
  }
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < k; ++j) a(i, j) = qm(i, j) * sign[j];
  }
}

}  // namespace nninit::internal
