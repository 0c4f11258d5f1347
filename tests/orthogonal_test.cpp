// Orthogonal initializers: orthonormality, agreement with Eigen's QR on the
// same normal draw, the three conventions' shapes, bit-identical output for
// any thread count and SIMD target, pinned bits, and rejected arguments
// (nothing written).
#include "nninit/orthogonal.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <string>
#include <vector>

#include "nninit/distributions.hpp"
#include "nninit/error.hpp"
#include "simd/simd_fill.hpp"
#include "structured/block_reflector.hpp"
#include "structured/householder_qr.hpp"

namespace nninit {
namespace {

using Shape = std::vector<std::int64_t>;
using Index = Eigen::Index;

// Row-major index of (r, c) in a matrix of `cols` columns.
std::size_t at(Index r, Index c, Index cols) { return static_cast<std::size_t>(r * cols + c); }

std::vector<double> orthogonal_double(const Shape& shape, const Orthogonal& spec, const Stream& stream, int threads = 1) {
  std::uint64_t count = 1;
  for (const auto d : shape) count *= static_cast<std::uint64_t>(d);
  std::vector<double> out(count);
  fill_orthogonal(std::span(out), shape, spec, stream, {.threads = threads});
  return out;
}

// max |M M^T - gain^2 I| over the (rows x cols) matrix `q` when rows <= cols,
// else max |M^T M - gain^2 I|.
double orthogonality_error(const std::vector<double>& q, std::size_t rows, std::size_t cols, double gain) {
  const std::size_t n = std::min(rows, cols);
  double worst = 0.0;
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      long double dot = 0.0L;
      if (rows <= cols) {
        for (std::size_t c = 0; c < cols; ++c) dot += static_cast<long double>(q[a * cols + c]) * q[b * cols + c];
      } else {
        for (std::size_t r = 0; r < rows; ++r) dot += static_cast<long double>(q[r * cols + a]) * q[r * cols + b];
      }
      const double expected = a == b ? gain * gain : 0.0;
      worst = std::max(worst, std::fabs(static_cast<double>(dot) - expected));
    }
  }
  return worst;
}

TEST(Orthogonal, TorchShapesAreOrthonormal) {
  // PyTorch's own test shapes, and tall / wide matrices beyond one panel.
  for (const Shape& shape : {Shape{3, 4}, Shape{4, 3}, Shape{20, 2, 3, 4}, Shape{2, 3, 4, 5}, Shape{1, 5}, Shape{5, 1},
                             Shape{300, 70}, Shape{70, 300}, Shape{129, 129}}) {
    const MatrixShape matrix = orthogonal_matrix_shape(shape, torch::orthogonal());
    for (const double gain : {1.0, 1.4142135623730951}) {
      const auto q = orthogonal_double(shape, torch::orthogonal(gain), Stream{7, 1});
      EXPECT_LT(orthogonality_error(q, matrix.rows, matrix.cols, gain), 1e-13) << shape.size() << " gain " << gain;
    }
  }
}

TEST(Orthogonal, EqualsEigenQrWithTheSignCorrection) {
  // The same normal draw through Eigen's Householder QR, Q diag(sign(diag R)):
  // the unique Q with a positive R diagonal, so the two agree to rounding.
  for (const auto& [rows, cols] : {std::pair<Index, Index>{200, 90}, {64, 64}, {90, 200}}) {
    const Stream stream{11, 3};
    std::vector<double> draw(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    fill(std::span(draw), Normal{0.0, 1.0}, stream);
    Eigen::MatrixXd a(rows, cols);
    for (Index r = 0; r < rows; ++r)
      for (Index c = 0; c < cols; ++c) a(r, c) = draw[at(r, c, cols)];
    if (rows < cols) a.transposeInPlace();  // torch: factorise the transpose
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
    const auto k = std::min(rows, cols);
    Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(a.rows(), k);
    const Eigen::MatrixXd r = qr.matrixQR().topRows(k).triangularView<Eigen::Upper>();
    for (Index j = 0; j < k; ++j) {
      if (r(j, j) < 0) q.col(j) *= -1.0;
    }
    if (rows < cols) q.transposeInPlace();
    const auto ours = orthogonal_double({rows, cols}, torch::orthogonal(), stream);
    double worst = 0.0;
    for (Index i = 0; i < rows; ++i)
      for (Index j = 0; j < cols; ++j) worst = std::max(worst, std::fabs(ours[at(i, j, cols)] - q(i, j)));
    EXPECT_LT(worst, 1e-12) << rows << "x" << cols;
  }
}

TEST(Orthogonal, NegativeControlWithoutSignCorrectionDiffers) {
  // The Eigen comparison above can fail: Q without the sign correction (half
  // its columns flipped) is still orthonormal but is not the same matrix.
  const Stream stream{11, 3};
  std::vector<double> draw(64 * 64);
  fill(std::span(draw), Normal{0.0, 1.0}, stream);
  Eigen::MatrixXd a(64, 64);
  for (Index r = 0; r < 64; ++r)
    for (Index c = 0; c < 64; ++c) a(r, c) = draw[at(r, c, 64)];
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  const Eigen::MatrixXd q = qr.householderQ();
  const auto ours = orthogonal_double({64, 64}, torch::orthogonal(), stream);
  double worst = 0.0;
  for (Index i = 0; i < 64; ++i)
    for (Index j = 0; j < 64; ++j) worst = std::max(worst, std::fabs(ours[at(i, j, 64)] - q(i, j)));
  EXPECT_GT(worst, 0.01);
}

TEST(Orthogonal, ConventionsFlattenDifferently) {
  const Shape conv{8, 3, 3, 4};  // torch: 8 x 36 ; keras: 72 x 4
  EXPECT_EQ(orthogonal_matrix_shape(conv, torch::orthogonal()), (MatrixShape{8, 36}));
  EXPECT_EQ(orthogonal_matrix_shape(conv, keras::orthogonal()), (MatrixShape{72, 4}));
  EXPECT_EQ(orthogonal_matrix_shape(conv, jax::orthogonal()), (MatrixShape{72, 4}));
  EXPECT_EQ(orthogonal_matrix_shape(conv, jax::orthogonal(1.0, 0)), (MatrixShape{36, 8}));
  const auto keras_q = orthogonal_double(conv, keras::orthogonal(), Stream{5, 5});
  EXPECT_LT(orthogonality_error(keras_q, 72, 4, 1.0), 1e-13);
  // JAX with the column axis -1 is Keras.
  EXPECT_EQ(orthogonal_double(conv, jax::orthogonal(), Stream{5, 5}), keras_q);
  // JAX with column_axis 0: the 8 slices along axis 0 are orthonormal vectors
  // of 36 values (they are the columns of a 36 x 8 Q).
  const auto jax_q = orthogonal_double(conv, jax::orthogonal(2.0, 0), Stream{5, 5});
  EXPECT_LT(orthogonality_error(jax_q, 8, 36, 2.0), 1e-13);
}

TEST(Orthogonal, BitsDoNotDependOnTheThreadCount) {
  for (const Shape& shape : {Shape{300, 200}, Shape{100, 700}, Shape{1000, 130}}) {
    const auto one = orthogonal_double(shape, torch::orthogonal(), Stream{3, 9}, 1);
    for (const int threads : {2, 3, 8}) {
      const auto many = orthogonal_double(shape, torch::orthogonal(), Stream{3, 9}, threads);
      ASSERT_EQ(one.size(), many.size());
      for (std::size_t i = 0; i < one.size(); ++i) {
        ASSERT_EQ(std::bit_cast<std::uint64_t>(one[i]), std::bit_cast<std::uint64_t>(many[i])) << threads << " " << i;
      }
    }
  }
}

// FNV-1a over the bit patterns of `values`.
std::uint64_t fingerprint(const std::vector<double>& values) {
  std::uint64_t hash = 0xcbf29ce484222325;
  for (const double value : values) {
    std::uint64_t bits = std::bit_cast<std::uint64_t>(value);
    for (int byte = 0; byte < 8; ++byte, bits >>= 8) hash = (hash ^ (bits & 0xff)) * 0x100000001b3;
  }
  return hash;
}

// Shapes through every path of the blocked QR: several panels and a partial
// last one, column chunks of block_reflector_columns and a partial last one,
// tall and wide (torch transposes the wide draw), a single panel.
const Shape qr_paths[] = {Shape{300, 200}, Shape{70, 300}, Shape{1000, 130}, Shape{129, 97}, Shape{40, 40}};

TEST(Orthogonal, BitsAreTheSameOnEverySimdTargetAndThreadCount) {
  // The reference: the least capable runnable target (Highway's scalar or
  // EMU128 one, lanes of the plain loops) at 1 thread.
  namespace simd = internal::simd;
  const std::int64_t runnable = simd::runnable_targets();
  ASSERT_NE(runnable, 0);
  std::int64_t least = runnable;
  while ((least & (least - 1)) != 0) least &= least - 1;  // the highest bit: the least capable target
  simd::restrict_targets_for_test(least);
  std::vector<std::vector<double>> reference;
  for (const Shape& shape : qr_paths) reference.push_back(orthogonal_double(shape, torch::orthogonal(), Stream{3, 9}, 1));
  std::string names;
  for (std::int64_t bits = runnable; bits != 0; bits &= bits - 1) {
    const std::int64_t target = bits & -bits;
    simd::restrict_targets_for_test(target);
    const std::string name = internal::block_reflector_target_name();
    ASSERT_EQ(name, simd::target_name(target)) << "dispatch did not follow the restriction";
    names += " " + name;
    for (std::size_t s = 0; s < std::size(qr_paths); ++s) {
      for (const int threads : {1, 2, 3}) {
        const auto q = orthogonal_double(qr_paths[s], torch::orthogonal(), Stream{3, 9}, threads);
        ASSERT_EQ(q.size(), reference[s].size());
        for (std::size_t i = 0; i < q.size(); ++i) {
          ASSERT_EQ(std::bit_cast<std::uint64_t>(q[i]), std::bit_cast<std::uint64_t>(reference[s][i]))
              << name << ", " << threads << " threads, shape " << s << ", element " << i;
        }
      }
    }
  }
  simd::restrict_targets_for_test(0);
  std::printf("targets compared:%s\n", names.c_str());
}

TEST(Orthogonal, PinnedBitsOfMultiPanelMatrices) {
  // Fingerprints of whole outputs through the block reflectors (the 4 x 3
  // case below has one partial panel only). They equal those of the plain
  // loops the SIMD kernel replaced; a change is a stream-version change.
  const std::uint64_t pinned[std::size(qr_paths)] = {0x27d1ae554ed93ef4, 0xd6e9f6c2efb76f9b, 0xc6cad1a01a0dcad1,
                                                   0x516ba71fa85aae3b, 0xdb0764483721931f};
  for (std::size_t s = 0; s < std::size(qr_paths); ++s) {
    const auto q = orthogonal_double(qr_paths[s], torch::orthogonal(), Stream{3, 9});
    EXPECT_EQ(fingerprint(q), pinned[s]) << "shape " << s << ": 0x" << std::hex << fingerprint(q);
  }
}

TEST(Orthogonal, PinnedBits) {
  // Golden values of torch::orthogonal on [4, 3], seed 42, stream 0: a change
  // here changes output bits (a stream-version change).
  const auto q = orthogonal_double({4, 3}, torch::orthogonal(), Stream{42, 0});
  const std::uint64_t pinned[3] = {0xbfd1037f8d94c910, 0x3fe267a749ef227e, 0xbfd529e69415e26a};
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(std::bit_cast<std::uint64_t>(q[i]), pinned[i]) << i;
  // float32 output is the double result rounded to nearest.
  std::vector<float> f(12);
  fill_orthogonal(std::span(f), Shape{4, 3}, torch::orthogonal(), Stream{42, 0});
  for (std::size_t i = 0; i < 12; ++i) EXPECT_EQ(f[i], static_cast<float>(q[i]));
}

TEST(Orthogonal, RejectsBadArgumentsAndWritesNothing) {
  std::vector<float> out(12, 7.0f);
  const auto untouched = [&] { return std::all_of(out.begin(), out.end(), [](float v) { return v == 7.0f; }); };
  const auto rejects = [&](const Shape& shape, const Orthogonal& spec, const FillOptions& options, const char* words) {
    try {
      fill_orthogonal(std::span(out), shape, spec, Stream{}, options);
      ADD_FAILURE() << "accepted: " << words;
    } catch (const invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
    }
    EXPECT_TRUE(untouched());
  };
  rejects({12}, torch::orthogonal(), {}, "at least 2 dimensions");
  rejects({}, torch::orthogonal(), {}, "at least 2 dimensions");
  rejects({4, -3}, torch::orthogonal(), {}, "negative");
  rejects({4, 4}, torch::orthogonal(), {}, "out has 12 elements");
  rejects({4, 3}, torch::orthogonal(std::nan("")), {}, "gain");
  rejects({4, 3}, torch::orthogonal(), {.offset = 5}, "offset (5)");
  rejects({4, 3}, jax::orthogonal(1.0, 2), {}, "column_axis (2)");
  rejects({4, 3}, jax::orthogonal(1.0, -3), {}, "column_axis (-3)");
  std::vector<float> none;
  EXPECT_NO_THROW(fill_orthogonal(std::span(none), Shape{0, 5}, torch::orthogonal(), Stream{}));
}

}  // namespace
}  // namespace nninit
