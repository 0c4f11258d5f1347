// framework_initializers_test.cpp — the plain families under each framework's
// own names and defaults (torch::uniform/normal/constant, keras::random_*,
// jax::uniform/normal/truncated_normal), JAX's variance scaling (fan_geo_avg,
// the glorot/he/lecun/xavier/kaiming names) and JAX's axis-group fans. The
// expected numbers come from each framework's definition, worked out by hand
// (decimal literals computed in Python from the formula in the comment), not
// by calling this library.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <variant>

#include "nninit/error.hpp"
#include "nninit/fans.hpp"
#include "nninit/initializers.hpp"

namespace nninit {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double correction = 0.87962566103423978;  // std of N(0, 1) on (-2, 2)

void expect_relative_near(double actual, double expected) {
  EXPECT_NEAR(actual, expected, 1e-14 * std::abs(expected)) << "actual " << actual << ", expected " << expected;
}

void expect_invalid_argument(const std::function<void()>& f, std::string_view needle) {
  try {
    f();
    ADD_FAILURE() << "expected nninit::invalid_argument containing \"" << needle << "\"";
  } catch (const invalid_argument& error) {
    EXPECT_NE(std::string_view(error.what()).find(needle), std::string_view::npos)
        << "message \"" << error.what() << "\" does not contain \"" << needle << "\"";
  }
}

// ---------------------------------------------------------------------------
// PyTorch: uniform_(a=0, b=1), normal_(mean=0, std=1), constant_(val), zeros_, ones_
// ---------------------------------------------------------------------------

TEST(TorchPlainFamilies, DefaultsAndParameters) {
  EXPECT_EQ(torch::uniform(), (Uniform{0.0, 1.0}));
  EXPECT_EQ(torch::uniform(-0.25, 0.5), (Uniform{-0.25, 0.5}));
  EXPECT_EQ(torch::normal(), (Normal{0.0, 1.0}));
  EXPECT_EQ(torch::normal(1.5, 0.02), (Normal{1.5, 0.02}));
  EXPECT_EQ(torch::normal(3.0, 0.0), (Normal{3.0, 0.0}));  // std = 0 is PyTorch's constant mean
  EXPECT_EQ(torch::constant(-7.0), Constant{-7.0});
  EXPECT_EQ(torch::zeros(), Constant{0.0});
  EXPECT_EQ(torch::ones(), Constant{1.0});
}

TEST(TorchPlainFamilies, ErrorsNameTheParameter) {
  expect_invalid_argument([] { torch::uniform(1.0, 1.0); }, "a (1) must be less than b (1)");
  expect_invalid_argument([] { torch::uniform(2.0, 1.0); }, "a (2)");
  expect_invalid_argument([] { torch::uniform(nan, 1.0); }, "a (nan)");
  expect_invalid_argument([] { torch::uniform(0.0, inf); }, "b (inf)");
  expect_invalid_argument([] { torch::normal(0.0, -1.0); }, "std (-1)");
  expect_invalid_argument([] { torch::normal(nan, 1.0); }, "mean (nan)");
  expect_invalid_argument([] { torch::constant(inf); }, "val (inf)");
}

// ---------------------------------------------------------------------------
// Keras 3: RandomUniform(-0.05, 0.05), RandomNormal(0, 0.05), TruncatedNormal(0, 0.05), Constant(0)
// ---------------------------------------------------------------------------

TEST(KerasPlainFamilies, DefaultsAreKeras3s) {
  EXPECT_EQ(keras::random_uniform(), (Uniform{-0.05, 0.05}));
  EXPECT_EQ(keras::random_uniform(0.0, 2.0), (Uniform{0.0, 2.0}));
  EXPECT_EQ(keras::random_normal(), (Normal{0.0, 0.05}));
  EXPECT_EQ(keras::random_normal(1.0, 0.5), (Normal{1.0, 0.5}));
  // mean +- 2 stddev, no variance correction.
  EXPECT_EQ(keras::truncated_normal(), (TruncatedNormal{0.0, 0.05, -0.1, 0.1}));
  EXPECT_EQ(keras::truncated_normal(1.0, 0.5), (TruncatedNormal{1.0, 0.5, 0.0, 2.0}));
  EXPECT_EQ(keras::constant(), Constant{0.0});
  EXPECT_EQ(keras::constant(0.25), Constant{0.25});
  EXPECT_EQ(keras::zeros(), Constant{0.0});
  EXPECT_EQ(keras::ones(), Constant{1.0});
}

TEST(KerasPlainFamilies, ErrorsNameTheParameter) {
  expect_invalid_argument([] { keras::random_uniform(0.05, -0.05); }, "minval (0.05) must be less than maxval (-0.05)");
  expect_invalid_argument([] { keras::random_uniform(0.0, nan); }, "maxval (nan)");
  expect_invalid_argument([] { keras::random_normal(0.0, -0.5); }, "stddev (-0.5)");
  expect_invalid_argument([] { keras::truncated_normal(0.0, 0.0); }, "stddev (0)");
  expect_invalid_argument([] { keras::constant(nan); }, "value (nan)");
}

// ---------------------------------------------------------------------------
// JAX: uniform(1e-2) = U[0, scale), normal(1e-2), truncated_normal(1e-2, -2, 2), constant
// ---------------------------------------------------------------------------

TEST(JaxPlainFamilies, DefaultsAreJaxs) {
  EXPECT_EQ(jax::uniform(), (Uniform{0.0, 0.01}));
  EXPECT_EQ(jax::uniform(10.0), (Uniform{0.0, 10.0}));
  EXPECT_EQ(jax::normal(), (Normal{0.0, 0.01}));
  EXPECT_EQ(jax::normal(5.0), (Normal{0.0, 5.0}));
  // random.truncated_normal(lower, upper) * stddev: bounds lower * stddev, upper * stddev.
  EXPECT_EQ(jax::truncated_normal(), (TruncatedNormal{0.0, 0.01, -0.02, 0.02}));
  EXPECT_EQ(jax::truncated_normal(0.5, -1.0, 3.0), (TruncatedNormal{0.0, 0.5, -0.5, 1.5}));
  EXPECT_EQ(jax::truncated_normal(2.0, -inf, 1.0), (TruncatedNormal{0.0, 2.0, -inf, 2.0}));
  EXPECT_EQ(jax::constant(-7.0), Constant{-7.0});
  EXPECT_EQ(jax::zeros(), Constant{0.0});
  EXPECT_EQ(jax::ones(), Constant{1.0});
}

TEST(JaxPlainFamilies, ErrorsNameTheParameter) {
  expect_invalid_argument([] { jax::uniform(0.0); }, "scale (0)");
  expect_invalid_argument([] { jax::uniform(-1.0); }, "scale (-1)");
  expect_invalid_argument([] { jax::normal(-1.0); }, "stddev (-1)");
  expect_invalid_argument([] { jax::truncated_normal(0.0); }, "stddev (0)");
  expect_invalid_argument([] { jax::truncated_normal(1.0, 2.0, -2.0); }, "lower (2) must be less than upper (-2)");
  expect_invalid_argument([] { jax::truncated_normal(1.0, nan, 2.0); }, "lower (nan)");
  expect_invalid_argument([] { jax::constant(inf); }, "value (inf)");
}

// ---------------------------------------------------------------------------
// JAX variance scaling
// ---------------------------------------------------------------------------

TEST(JaxVarianceScaling, FanGeoAvgIsTheGeometricMean) {
  EXPECT_EQ(jax::select_fan(Fans{4, 9}, jax::VarianceMode::fan_geo_avg), 6.0);
  EXPECT_EQ(jax::select_fan(Fans{4, 9}, jax::VarianceMode::fan_avg), 6.5);
  EXPECT_EQ(jax::select_fan(Fans{4, 9}, jax::VarianceMode::fan_in), 4.0);
  EXPECT_EQ(jax::select_fan(Fans{4, 9}, jax::VarianceMode::fan_out), 9.0);
  // The product overflows; the geometric mean does not.
  EXPECT_EQ(jax::select_fan(Fans{1e200, 1e200}, jax::VarianceMode::fan_geo_avg), 1e200);
  // normal, scale 1, fan_geo_avg of (4, 9): std sqrt(1 / 6) = 0.408248290463863.
  const Distribution normal =
      jax::variance_scaling(Fans{4, 9}, 1.0, jax::VarianceMode::fan_geo_avg, jax::VarianceDistribution::untruncated_normal);
  ASSERT_TRUE(std::holds_alternative<Normal>(normal));
  expect_relative_near(std::get<Normal>(normal).stddev, 0.408248290463863);
  // uniform, scale 3, fan_geo_avg 6: limit sqrt(3 * 3 / 6) = sqrt(1.5).
  const Distribution uniform =
      jax::variance_scaling(Fans{4, 9}, 3.0, jax::VarianceMode::fan_geo_avg, jax::VarianceDistribution::uniform);
  ASSERT_TRUE(std::holds_alternative<Uniform>(uniform));
  expect_relative_near(std::get<Uniform>(uniform).high, 1.224744871391589);
  EXPECT_EQ(std::get<Uniform>(uniform).low, -std::get<Uniform>(uniform).high);
}

TEST(JaxVarianceScaling, TruncatedNormalHasTheCorrection) {
  // he_normal of fan_in 576: s = sqrt(2 / 576) / 0.8796... = 0.06698936571449711, bounds +-2 s.
  const TruncatedNormal he = jax::he_normal(Fans{576, 1152});
  expect_relative_near(he.stddev, 0.06698936571449711);
  EXPECT_EQ(he.mean, 0.0);
  EXPECT_EQ(he.lower, -2.0 * he.stddev);
  EXPECT_EQ(he.upper, 2.0 * he.stddev);
  // lecun_normal (100, 10): 0.1 / 0.8796; glorot_normal: sqrt(1 / 55) / 0.8796 = 0.15329244980655438.
  expect_relative_near(jax::lecun_normal(Fans{100, 10}).stddev, 0.1 / correction);
  expect_relative_near(jax::glorot_normal(Fans{100, 10}).stddev, 0.15329244980655438);
}

TEST(JaxVarianceScaling, NamedInitializersAndTheirAliases) {
  const Fans fans{27, 576};
  // he_uniform: sqrt(6 / 27) = 0.4714045207910317; glorot_uniform (784, 256): sqrt(6 / 1040).
  expect_relative_near(jax::he_uniform(fans).high, 0.4714045207910317);
  expect_relative_near(jax::glorot_uniform(Fans{784, 256}).high, 0.075955452531275);
  expect_relative_near(jax::lecun_uniform(Fans{4096, 1}).high, std::sqrt(3.0 / 4096.0));
  // JAX's xavier_* and kaiming_* are glorot_* and he_* (truncated normals).
  EXPECT_EQ(jax::xavier_uniform(fans), jax::glorot_uniform(fans));
  EXPECT_EQ(jax::xavier_normal(fans), jax::glorot_normal(fans));
  EXPECT_EQ(jax::kaiming_uniform(fans), jax::he_uniform(fans));
  EXPECT_EQ(jax::kaiming_normal(fans), jax::he_normal(fans));
  // ... and so jax::kaiming_normal is not PyTorch's untruncated kaiming_normal.
  const Normal torch_normal = torch::kaiming_normal(fans);
  EXPECT_NE(jax::kaiming_normal(fans).stddev, torch_normal.stddev);
  expect_relative_near(jax::kaiming_normal(fans).stddev * correction, torch_normal.stddev);
  // Same formula as Keras for fans >= 1.
  EXPECT_EQ(jax::he_normal(fans), keras::he_normal(fans));
  EXPECT_EQ(jax::glorot_uniform(fans), keras::glorot_uniform(fans));
  EXPECT_EQ(jax::variance_scaling(fans, 0.5, jax::VarianceMode::fan_avg, jax::VarianceDistribution::truncated_normal),
            keras::variance_scaling(fans, 0.5, FanMode::fan_avg, keras::VarianceDistribution::truncated_normal));
}

TEST(JaxVarianceScaling, ErrorsNameTheParameter) {
  expect_invalid_argument(
      [] { jax::variance_scaling(Fans{1, 1}, 0.0, jax::VarianceMode::fan_in, jax::VarianceDistribution::uniform); },
      "scale (0)");
  expect_invalid_argument(
      [] {
        jax::variance_scaling(Fans{0, 1}, 1.0, jax::VarianceMode::fan_geo_avg, jax::VarianceDistribution::uniform);
      },
      "fans.fan_in (0)");
  expect_invalid_argument([] { jax::select_fan(Fans{1, -1}, jax::VarianceMode::fan_geo_avg); }, "fans.fan_out (-1)");
  expect_invalid_argument([] { jax::select_fan(Fans{1, 1}, static_cast<jax::VarianceMode>(9)); }, "mode (9)");
  expect_invalid_argument(
      [] {
        jax::variance_scaling(Fans{1, 1}, 1.0, jax::VarianceMode::fan_in, static_cast<jax::VarianceDistribution>(7));
      },
      "distribution (7)");
  expect_invalid_argument([] { jax::he_normal(Fans{nan, 1}); }, "fans.fan_in (nan)");
}

// ---------------------------------------------------------------------------
// JAX's _compute_fans with axis groups
// ---------------------------------------------------------------------------

TEST(FanAxisGroups, DefaultsEqualTheKerasLayout) {
  EXPECT_EQ(compute_fans({3, 3, 16, 32}, FanAxisGroups{}), compute_fans({3, 3, 16, 32}, Layout::keras));
  EXPECT_EQ(compute_fans({784, 256}, FanAxisGroups{}), (Fans{784, 256}));
}

TEST(FanAxisGroups, GroupsMultiplyTheirDimensions) {
  // in = 3 * 3 * 16 = 144, out = 32, r = 4608 / (144 * 32) = 1.
  EXPECT_EQ(compute_fans({3, 3, 16, 32}, FanAxisGroups{.in_axes = {0, 1, 2}}), (Fans{144, 32}));
  // in = 4 * 5 = 20, out = 6 * 7 = 42, r = 1 (an attention projection [heads.. ]).
  EXPECT_EQ(compute_fans({4, 5, 6, 7}, FanAxisGroups{.in_axes = {0, 1}, .out_axes = {2, 3}}), (Fans{20, 42}));
  // batch 8 excluded: in 16, out 32, r = 8 * 9 * 16 * 32 / (16 * 32 * 8) = 9.
  EXPECT_EQ(compute_fans({8, 3, 3, 16, 32}, FanAxisGroups{.batch_axes = {0}}), (Fans{144, 288}));
  EXPECT_EQ(compute_fans({8, 3, 3, 16, 32}, FanAxisGroups{.batch_axes = {0}}),
            compute_fans({8, 3, 3, 16, 32}, FanAxes{.batch_axis = 0}));
  // Two batch axes, negative axes, an empty group (its size is 1).
  EXPECT_EQ(compute_fans({2, 5, 16, 32}, FanAxisGroups{.batch_axes = {0, 1}}), (Fans{16, 32}));
  EXPECT_EQ(compute_fans({16, 32}, FanAxisGroups{.in_axes = {-1}, .out_axes = {-2}}), (Fans{32, 16}));
  EXPECT_EQ(compute_fans({16, 32}, FanAxisGroups{.in_axes = {}, .out_axes = {-1}}), (Fans{16, 32 * 16}));
}

TEST(FanAxisGroups, ErrorsNameTheParameter) {
  expect_invalid_argument([] { compute_fans({16}, FanAxisGroups{}); }, "at least 2");
  expect_invalid_argument([] { compute_fans(std::initializer_list<std::int64_t>{}, FanAxisGroups{}); }, "at least 2");
  expect_invalid_argument([] { compute_fans({4, 0}, FanAxisGroups{}); }, "shape[1] (0)");
  expect_invalid_argument([] { compute_fans({4, 4}, FanAxisGroups{.in_axes = {2}}); }, "axes.in_axes (2)");
  expect_invalid_argument([] { compute_fans({4, 4}, FanAxisGroups{.in_axes = {-1}}); }, "axes.out_axes (-1)");
  expect_invalid_argument([] { compute_fans({4, 4, 4}, FanAxisGroups{.in_axes = {0, 0}}); }, "axes.in_axes (0)");
  expect_invalid_argument([] { compute_fans({4, 4, 4}, FanAxisGroups{.batch_axes = {-1}}); }, "axes.batch_axes (-1)");
}

}  // namespace
}  // namespace nninit
