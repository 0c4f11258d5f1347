// Exact structure of eye, Keras Identity, dirac and delta-orthogonal weights,
// with a negative control for each (one element off, the other framework's
// centre).
#include "nninit/validation/identity_structure.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace nninit::validation {
namespace {

std::vector<double> eye(std::size_t rows, std::size_t cols, double diagonal) {
  std::vector<double> w(rows * cols, 0.0);
  for (std::size_t i = 0; i < rows && i < cols; ++i) w[i * cols + i] = diagonal;
  return w;
}

// PyTorch's dirac_ written out for [out, in, kh, kw] with the given centre.
std::vector<double> dirac(std::int64_t out, std::int64_t in, std::int64_t kh, std::int64_t kw, std::int64_t groups,
                          std::int64_t ch, std::int64_t cw) {
  std::vector<double> w(static_cast<std::size_t>(out * in * kh * kw), 0.0);
  const std::int64_t per_group = out / groups;
  for (std::int64_t g = 0; g < groups; ++g) {
    for (std::int64_t d = 0; d < per_group && d < in; ++d) {
      w[static_cast<std::size_t>((((g * per_group + d) * in + d) * kh + ch) * kw + cw)] = 1.0;
    }
  }
  return w;
}

TEST(EyeStructure, PassesAndDetectsOneElementOff) {
  for (const auto& [rows, cols] : {std::pair<std::size_t, std::size_t>{3, 5}, {5, 3}, {4, 4}}) {
    std::vector<double> w = eye(rows, cols, 1.0);
    EXPECT_EQ(eye_structure_check(w, rows, cols, 1.0).verdict, Verdict::pass);
    w[1] = -0.0;  // -0 is zero
    EXPECT_EQ(eye_structure_check(w, rows, cols, 1.0).verdict, Verdict::pass);
    w[cols] = 1e-30;  // control: one element off
    const TestResult r = eye_structure_check(w, rows, cols, 1.0);
    EXPECT_EQ(r.verdict, Verdict::fail);
    EXPECT_EQ(r.measured, 1.0);
  }
  // Keras Identity(gain): the control is the wrong gain.
  EXPECT_EQ(eye_structure_check(eye(4, 6, 0.5), 4, 6, 0.5).verdict, Verdict::pass);
  EXPECT_EQ(eye_structure_check(eye(4, 6, 1.0), 4, 6, 0.5).verdict, Verdict::fail);
  EXPECT_THROW(eye_structure_check(eye(4, 6, 1.0), 4, 5, 1.0), std::invalid_argument);
}

TEST(DiracStructure, PassesWithPyTorchsCentreAndGroups) {
  const std::int64_t shape[] = {8, 4, 3, 3};
  EXPECT_EQ(dirac_structure_check(dirac(8, 4, 3, 3, 1, 1, 1), shape, 1, 1.0).verdict, Verdict::pass);
  EXPECT_EQ(dirac_structure_check(dirac(8, 4, 3, 3, 2, 1, 1), shape, 2, 1.0).verdict, Verdict::pass);
  EXPECT_EQ(dirac_structure_check(dirac(8, 4, 3, 3, 1, 1, 1), shape, 2, 1.0).verdict, Verdict::fail);  // groups ignored
  const std::int64_t even[] = {6, 6, 4, 2};  // centre 4 // 2 = 2, 2 // 2 = 1
  EXPECT_EQ(dirac_structure_check(dirac(6, 6, 4, 2, 1, 2, 1), even, 1, 1.0).verdict, Verdict::pass);
  // Control: JAX's centre (k - 1) // 2 in an even kernel.
  EXPECT_EQ(dirac_structure_check(dirac(6, 6, 4, 2, 1, 1, 0), even, 1, 1.0).verdict, Verdict::fail);
  // An explicit centre.
  const std::int64_t centre[] = {1, 0};
  EXPECT_EQ(dirac_structure_check(dirac(6, 6, 4, 2, 1, 1, 0), even, 1, 1.0, centre).verdict, Verdict::pass);
  EXPECT_THROW(dirac_structure_check(dirac(6, 6, 4, 2, 1, 1, 0), even, 4, 1.0), std::invalid_argument);
  const std::int64_t two_d[] = {6, 32};
  EXPECT_THROW(dirac_structure_check(std::vector<double>(192), two_d, 1, 1.0), std::invalid_argument);
}

TEST(DeltaOrthogonalStructure, ZerosOffTheCentreAndTheCentreBlock) {
  const std::int64_t shape[] = {4, 4, 2, 3};  // JAX: [kh, kw, in, out], centre (1, 1)
  std::vector<double> w(4 * 4 * 2 * 3, 0.0);
  const std::size_t centre = (1 * 4 + 1) * 6;
  for (std::size_t i = 0; i < 6; ++i) w[centre + i] = 0.1 * static_cast<double>(i + 1);
  std::vector<double> block;
  EXPECT_EQ(delta_orthogonal_structure_check(w, shape, &block).verdict, Verdict::pass);
  ASSERT_EQ(block.size(), 6u);
  EXPECT_EQ(block[5], w[centre + 5]);
  // Control: PyTorch's centre k // 2 = (2, 2).
  std::vector<double> moved(w.size(), 0.0);
  for (std::size_t i = 0; i < 6; ++i) moved[(2 * 4 + 2) * 6 + i] = w[centre + i];
  EXPECT_EQ(delta_orthogonal_structure_check(moved, shape).verdict, Verdict::fail);
  const std::int64_t torch_centre[] = {2, 2};
  EXPECT_EQ(delta_orthogonal_structure_check(moved, shape, nullptr, torch_centre).verdict, Verdict::pass);
  w[0] = 1e-3;
  EXPECT_EQ(delta_orthogonal_structure_check(w, shape).verdict, Verdict::fail);
}

}  // namespace
}  // namespace nninit::validation
