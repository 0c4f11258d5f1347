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
#include <memory>
#include <vector>

#include "structured/block_reflector.hpp"

namespace nninit::internal {
namespace {

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

// T of the panel [j0, j0 + b) (dlarft, forward, columnwise; tau[p] is
// tau_{j0 + p}): T(p, p) = tau_p,
// T(0:p, p) = -tau_p T(0:p, 0:p) (V(:, 0:p)^T v_p).
std::vector<double> block_triangle(const Matrix& a, std::size_t j0, std::size_t b, const double* tau) {
  std::vector<double> t(b * b, 0.0);
  std::vector<double> y(b, 0.0);
  for (std::size_t p = 0; p < b; ++p) {
    t[p * b + p] = tau[p];
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
      t[q * b + p] = -tau[p] * sum;
    }
  }
  return t;
}

enum class Side { transposed, plain };

// The block reflector of a panel of b reflectors as the kernel reads it
// (block_reflector.hpp): H^T = I - V T^T V^T (the factorisation applies it
// to A) or H = I - V T V^T (forming Q). V(i, p) = v[i * stride + p] for the
// panel's `height` rows. The first b rows of V are copied out with the unit
// diagonal and the zeros above it written in (they add exact zeros, which
// changes no sum); the rows below are read in place, or from a padded copy
// when fewer than householder_block columns are readable (the kernel reads
// whole tiles of reflectors).
class PanelReflector {
 public:
  PanelReflector(const double* v, std::size_t stride, std::size_t height, std::size_t b, bool padded,
                 const std::vector<double>& t, Side side)
      : top_(b * householder_block, 0.0), mix_(householder_block * householder_block, 0.0) {
    for (std::size_t i = 0; i < b; ++i) {
      for (std::size_t p = 0; p <= i; ++p) top_[i * householder_block + p] = i == p ? 1.0 : v[i * stride + p];
    }
    view_.top = top_.data();
    view_.height = height;
    view_.reflectors = b;
    if (padded || b == householder_block) {
      view_.rest = v + b * stride;
      view_.rest_stride = stride;
    } else {
      padded_.assign((height - b) * householder_block, 0.0);
      for (std::size_t i = b; i < height; ++i) {
        for (std::size_t p = 0; p < b; ++p) padded_[(i - b) * householder_block + p] = v[i * stride + p];
      }
      view_.rest = padded_.data();
      view_.rest_stride = householder_block;
    }
    // T' as the kernel applies it: (T' W)(p) = sum over q in [first, last) of mix(p, q) W(q).
    for (std::size_t p = 0; p < b; ++p) {
      if (side == Side::transposed) {  // (T^T W)(p) = sum over q <= p of T(q, p) W(q)
        first_[p] = 0, last_[p] = p + 1;
        for (std::size_t q = 0; q <= p; ++q) mix_[p * householder_block + q] = t[q * b + p];
      } else {  // (T W)(p) = sum over q >= p of T(p, q) W(q)
        first_[p] = p, last_[p] = b;
        for (std::size_t q = p; q < b; ++q) mix_[p * householder_block + q] = t[p * b + q];
      }
    }
    view_.mix = mix_.data();
    view_.mix_first = first_;
    view_.mix_last = last_;
  }
  PanelReflector(const PanelReflector&) = delete;
  PanelReflector& operator=(const PanelReflector&) = delete;

  // target(rows j0.., columns [l0, l0 + n)) <- H' target, one chunk of at
  // most block_reflector_columns columns. Three steps, each summing in a
  // fixed order: W = V^T target (over rows, ascending), W = T' W (over the
  // panel, ascending), target -= V W (over the panel, ascending).
  void apply(const Matrix& target, std::size_t j0, std::size_t l0, std::size_t n) const noexcept {
    apply_block_reflector(view_, &target(j0, l0), target.cols, n);
  }

 private:
  std::vector<double> top_, padded_, mix_;
  std::size_t first_[householder_block] = {}, last_[householder_block] = {};
  BlockReflector view_;
};

}  // namespace

void orthonormalize_columns(std::span<double> values, std::size_t m, std::size_t k, int threads) {
  const Matrix a{values.data(), m, k};
  threads = threads > 0 ? threads : omp_get_max_threads();
  std::vector<double> tau(k, 0.0);
  std::vector<double> scratch;
  // The factorisation, panel by panel: the panel's columns (rows j0..m-1)
  // copied out into a dense buffer of householder_block columns (zeros past
  // the panel), its reflectors made there one at a time, copied back; then
  // the panel's block reflector on the columns to its right.
  const std::size_t panels = (k + householder_block - 1) / householder_block;
  std::vector<std::vector<double>> triangles(panels);  // T of each panel, for forming Q too
  std::vector<double> buffer;
  for (std::size_t j0 = 0; j0 < k; j0 += householder_block) {
    const std::size_t b = std::min(householder_block, k - j0);
    const std::size_t height = m - j0;
    buffer.assign(height * householder_block, 0.0);
    const Matrix panel{buffer.data(), height, householder_block};
    for (std::size_t i = 0; i < height; ++i) std::copy_n(&a(j0 + i, j0), b, &panel(i, 0));
    for (std::size_t j = 0; j < b; ++j) {
      tau[j0 + j] = make_reflector(panel, j);
      apply_reflector(panel, j, tau[j0 + j], j + 1, b, scratch);
    }
    for (std::size_t i = 0; i < height; ++i) std::copy_n(&panel(i, 0), b, &a(j0 + i, j0));
    triangles[j0 / householder_block] = block_triangle(panel, 0, b, tau.data() + j0);
    if (j0 + b >= k) continue;
    // Chunk by chunk (every entry depends on its column alone, so the split
    // between threads changes no bit).
    const PanelReflector reflector(buffer.data(), householder_block, height, b, true,
                                   triangles[j0 / householder_block], Side::transposed);
    const std::size_t c0 = j0 + b;
    const std::size_t chunks = (k - c0 + block_reflector_columns - 1) / block_reflector_columns;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (threads > 1 && chunks > 1)
    for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
      const std::size_t l0 = c0 + chunk * block_reflector_columns;
      reflector.apply(a, j0, l0, std::min(block_reflector_columns, k - l0));
    }
  }
  // The sign of each R diagonal entry, before the reflectors' storage is read.
  std::vector<double> sign(k, 1.0);
  for (std::size_t j = 0; j < k; ++j) sign[j] = a(j, j) < 0.0 ? -1.0 : 1.0;
  // Q = H_0 ... H_{k-1} [I; 0], formed in a separate matrix (the reflectors
  // stay in `a`). The columns of Q are independent, so each chunk of
  // columns is formed on its own, start to finish, by one thread: the panels
  // from the last backwards, panel j0 on the chunk's columns from j0 on
  // (Q's columns left of j0 are still those of [I; 0] there).
  std::vector<double> q(m * k, 0.0);
  const Matrix qm{q.data(), m, k};
  for (std::size_t j = 0; j < k; ++j) qm(j, j) = 1.0;
  std::vector<std::unique_ptr<PanelReflector>> reflectors(panels);
  for (std::size_t panel = 0; panel < panels; ++panel) {
    const std::size_t j0 = panel * householder_block;
    const std::size_t b = std::min(householder_block, k - j0);
    reflectors[panel] = std::make_unique<PanelReflector>(&a(j0, j0), k, m - j0, b, false,
                                                         triangles[panel], Side::plain);
  }
  const std::size_t chunks = (k + block_reflector_columns - 1) / block_reflector_columns;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (threads > 1 && chunks > 1)
  for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
    const std::size_t l0 = chunk * block_reflector_columns;
    const std::size_t l1 = std::min(k, l0 + block_reflector_columns);
    for (std::size_t panel = panels; panel-- > 0;) {
      const std::size_t j0 = panel * householder_block;
      if (j0 >= l1) continue;
      const std::size_t first = std::max(j0, l0);
      reflectors[panel]->apply(qm, j0, first, l1 - first);
    }
  }
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < k; ++j) a(i, j) = qm(i, j) * sign[j];
  }
}

}  // namespace nninit::internal
