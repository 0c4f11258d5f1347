// Identity-like initializers: the exact structure PyTorch's eye_ / dirac_,
// Keras's Identity and JAX's delta_orthogonal give (written out by hand from
// their definitions), the centre conventions for even kernels, and rejected
// shapes (nothing written).
#include "nninit/identity_like.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "nninit/error.hpp"
#include "nninit/orthogonal.hpp"

namespace nninit {
namespace {

using Shape = std::vector<std::int64_t>;

std::size_t count_of(const Shape& shape) {
  std::size_t n = 1;
  for (const auto d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

TEST(IdentityLike, EyeIsRectangularIdentity) {
  std::vector<float> w(3 * 5, 9.0f);
  fill_eye(std::span(w), Shape{3, 5});
  const std::vector<float> expected = {1, 0, 0, 0, 0,  //
                                       0, 1, 0, 0, 0,  //
                                       0, 0, 1, 0, 0};
  EXPECT_EQ(w, expected);
  std::vector<double> tall(4 * 2);
  fill_identity(std::span(tall), Shape{4, 2}, 0.5);
  EXPECT_EQ(tall, (std::vector<double>{0.5, 0, 0, 0.5, 0, 0, 0, 0}));
  std::vector<bfloat16> b(4);
  fill_identity(std::span(b), Shape{2, 2}, 3.0);
  EXPECT_EQ(b[0].bits, to_bfloat16(3.0f).bits);
  EXPECT_EQ(b[1].bits, to_bfloat16(0.0f).bits);
}

TEST(IdentityLike, DiracPutsOnesAtPyTorchsCentre) {
  // [4, 2, 3] with groups 2: out per group 2, min(2, 2) = 2 ones per group at
  // [g * 2 + d, d, 3 // 2 = 1].
  const Shape shape{4, 2, 3};
  std::vector<double> w(count_of(shape), 7.0);
  fill_dirac(std::span(w), shape, 2);
  std::vector<double> expected(w.size(), 0.0);
  for (const auto& [o, i] : {std::pair<std::size_t, std::size_t>{0, 0}, {1, 1}, {2, 0}, {3, 1}}) expected[(o * 2 + i) * 3 + 1] = 1.0;
  EXPECT_EQ(w, expected);
  // An even 4 x 4 kernel: PyTorch's centre is 4 // 2 = 2 (JAX's would be 1).
  const Shape conv{3, 5, 4, 4};
  std::vector<float> c(count_of(conv));
  fill_dirac(std::span(c), conv);
  std::size_t ones = 0;
  for (std::size_t d = 0; d < 3; ++d) {
    EXPECT_EQ(c[((d * 5 + d) * 4 + 2) * 4 + 2], 1.0f);
  }
  for (const float v : c) ones += v == 1.0f ? 1u : 0u;
  EXPECT_EQ(ones, 3u);  // min(out 3, in 5)
  // 5-D.
  const Shape three_d{2, 2, 3, 3, 3};
  std::vector<float> v(count_of(three_d));
  fill_dirac(std::span(v), three_d);
  EXPECT_EQ(v[((1 * 2 + 1) * 27) + 13], 1.0f);  // centre (1, 1, 1) = 13 of 27
}

TEST(IdentityLike, DeltaOrthogonalHasTheBlockAtJaxsCentre) {
  const Shape shape{4, 4, 8, 16};  // even kernel: JAX's centre (4 - 1) // 2 = 1
  std::vector<double> w(count_of(shape), 5.0);
  const Stream stream{9, 4};
  fill_delta_orthogonal(std::span(w), shape, 2.0, -1, stream);
  std::vector<double> block(8 * 16);
  fill_orthogonal(std::span(block), Shape{8, 16}, jax::orthogonal(2.0, -1), stream);
  const std::size_t centre = (1 * 4 + 1) * block.size();
  for (std::size_t i = 0; i < w.size(); ++i) {
    const bool inside = i >= centre && i < centre + block.size();
    EXPECT_EQ(w[i], inside ? block[i - centre] : 0.0) << i;
  }
  // The block's rows (in = 8 of them, out = 16 columns) are orthogonal, norm 2.
  for (std::size_t a = 0; a < 8; ++a) {
    for (std::size_t b = 0; b < 8; ++b) {
      double dot = 0.0;
      for (std::size_t c = 0; c < 16; ++c) dot += block[a * 16 + c] * block[b * 16 + c];
      EXPECT_NEAR(dot, a == b ? 4.0 : 0.0, 1e-12);
    }
  }
}

TEST(IdentityLike, RejectsWhatTheFrameworksRejectAndWritesNothing) {
  std::vector<float> w(24, 7.0f);
  const auto untouched = [&] { return std::all_of(w.begin(), w.end(), [](float v) { return v == 7.0f; }); };
  EXPECT_THROW(fill_eye(std::span(w), Shape{2, 3, 4}), invalid_argument);
  EXPECT_THROW(fill_identity(std::span(w), Shape{24}), invalid_argument);
  EXPECT_THROW(fill_identity(std::span(w), Shape{4, 6}, std::nan("")), invalid_argument);
  EXPECT_THROW(fill_eye(std::span(w), Shape{5, 5}), invalid_argument);  // 25 != 24 elements
  EXPECT_THROW(fill_dirac(std::span(w), Shape{4, 6}), invalid_argument);  // 2-D
  EXPECT_THROW(fill_dirac(std::span(w), Shape{3, 2, 4}, 2), invalid_argument);  // 3 not divisible by 2
  EXPECT_THROW(fill_dirac(std::span(w), Shape{4, 3, 2}, 0), invalid_argument);
  EXPECT_THROW(fill_delta_orthogonal(std::span(w), Shape{2, 4, 3}, 1.0, -1, Stream{}), invalid_argument);  // out 3 < in 4
  EXPECT_THROW(fill_delta_orthogonal(std::span(w), Shape{4, 6}, 1.0, -1, Stream{}), invalid_argument);
  EXPECT_TRUE(untouched());
  try {
    fill_dirac(std::span(w), Shape{3, 2, 4}, 2);
  } catch (const invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("divisible by groups (2)"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace nninit
