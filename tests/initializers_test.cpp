// initializers_test.cpp — every initializer of nninit/initializers.hpp against
// expected values worked out independently from the published formulas
// (Glorot & Bengio 2010, He et al. 2015, LeCun 1998; PyTorch torch.nn.init,
// Keras 3 / JAX variance scaling). The literals in the table were computed in
// 50-digit decimal arithmetic with Python from the formula in each row's
// comment, not by calling this library. Also: gains, the seed article's wrong
// He bound, and the error cases.
#include "nninit/initializers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "nninit/error.hpp"

namespace nninit {
namespace {

constexpr double relative_tolerance = 1e-12;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

void expect_relative_near(double actual, double expected) {
  EXPECT_NEAR(actual, expected, relative_tolerance * std::abs(expected))
      << "actual " << actual << ", expected " << expected;
}

// Runs `f`, which must throw nninit::invalid_argument whose message contains `needle`.
void expect_invalid_argument(const std::function<void()>& f, std::string_view needle) {
  try {
    f();
    ADD_FAILURE() << "expected nninit::invalid_argument containing \"" << needle << "\"";
  } catch (const invalid_argument& error) {
    EXPECT_NE(std::string_view(error.what()).find(needle), std::string_view::npos)
        << "message \"" << error.what() << "\" does not contain \"" << needle << "\"";
  }
}

std::string describe_kind(const Distribution& distribution) {
  constexpr const char* names[] = {"Constant", "Uniform", "Normal", "TruncatedNormal"};
  return std::string("got ") + names[distribution.index()];
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

// Where the row's fans come from.
enum class Source { torch_layout, keras_layout, torch_grouped, axes };
// What the initializer must return, and what `expected` is:
//   uniform:   Uniform{-expected, expected}
//   normal:    Normal{0, expected}
//   truncated: TruncatedNormal{0, expected, -2 * expected, 2 * expected}, where
//              expected = target std / 0.87962566103423978 (Keras/JAX).
enum class Kind { uniform, normal, truncated };

struct Row {
  const char* label;
  std::vector<std::int64_t> shape;
  Source source;
  std::int64_t groups;  // Source::torch_grouped only
  FanAxes axes;         // Source::axes only
  const char* initializer;
  Distribution (*make)(const Fans&);
  Kind kind;
  double expected;
};

void PrintTo(const Row& row, std::ostream* os) {
  *os << row.label << " [";
  for (std::size_t i = 0; i < row.shape.size(); ++i) *os << (i ? ", " : "") << row.shape[i];
  *os << "] " << row.initializer << " -> " << row.expected;
}

// "initializer" column (its text) and the call it stands for.
#define INIT(...) #__VA_ARGS__, [](const Fans& f) -> Distribution { return __VA_ARGS__; }

// clang-format off
const std::vector<Row> table{
    {"dense 4096x4096", {4096, 4096}, Source::torch_layout, 0, {},
     INIT(torch::xavier_uniform(f)),
     Kind::uniform, 0.027063293868263706},  // sqrt(6/8192)
    {"dense 784->256", {256, 784}, Source::torch_layout, 0, {},
     INIT(torch::xavier_uniform(f)),
     Kind::uniform, 0.075955452531275003},  // sqrt(6/1040)
    {"dense 784->256", {256, 784}, Source::torch_layout, 0, {},
     INIT(torch::xavier_normal(f)),
     Kind::normal, 0.043852900965351459},  // sqrt(2/1040)
    {"dense 784->256, tanh gain", {256, 784}, Source::torch_layout, 0, {},
     INIT(torch::xavier_uniform(f, calculate_gain(Nonlinearity::tanh))),
     Kind::uniform, 0.12659242088545833},  // 5/3*sqrt(6/1040)
    {"dense 64->128, relu gain", {128, 64}, Source::torch_layout, 0, {},
     INIT(torch::xavier_normal(f, calculate_gain(Nonlinearity::relu))),
     Kind::normal, 0.14433756729740643},  // sqrt(2)*sqrt(2/192)
    {"conv 3x3, 3->64", {64, 3, 3, 3}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_uniform(f, {.nonlinearity = Nonlinearity::relu})),
     Kind::uniform, 0.47140452079103168},  // sqrt(2)*sqrt(3/27)
    {"conv 3x3, 3->64", {64, 3, 3, 3}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_normal(f, {.mode = FanMode::fan_out, .nonlinearity = Nonlinearity::relu})),
     Kind::normal, 0.05892556509887896},  // sqrt(2)/sqrt(576)
    {"conv 3x3, 64->64, defaults", {64, 64, 3, 3}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_uniform(f)),
     Kind::uniform, 0.10206207261596575},  // sqrt(2/(1+0^2))*sqrt(3/576)
    {"conv 3x3, 64->64", {64, 64, 3, 3}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_uniform(f, {.a = 0.01})),
     Kind::uniform, 0.10205696989503583},  // sqrt(2/1.0001)*sqrt(3/576)
    {"conv 3x3, 64->64", {64, 64, 3, 3}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_normal(f, {.a = 0.2})),
     Kind::normal, 0.057781270440128034},  // sqrt(2/1.04)/sqrt(576)
    {"conv 3x3, 64->64", {64, 64, 3, 3}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_uniform(f, {.a = std::sqrt(5.0)})),
     Kind::uniform, 0.041666666666666664},  // sqrt(2/6)*sqrt(3/576) = 1/24
    {"dense 784->256", {256, 784}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_normal(f, {.a = std::sqrt(5.0), .mode = FanMode::fan_out})),
     Kind::normal, 0.036084391824351608},  // sqrt(1/3)/sqrt(256)
    {"dense 784->256", {256, 784}, Source::torch_layout, 0, {},
     INIT(torch::linear_default(f)),
     Kind::uniform, 0.035714285714285712},  // 1/sqrt(784) = 1/28
    {"dense 784->256 bias", {256, 784}, Source::torch_layout, 0, {},
     INIT(torch::linear_bias_default(f)),
     Kind::uniform, 0.035714285714285712},  // 1/sqrt(784) = 1/28
    {"dense 3->10", {10, 3}, Source::torch_layout, 0, {},
     INIT(torch::linear_default(f)),
     Kind::uniform, 0.57735026918962573},  // 1/sqrt(3)
    {"tiny 1->1", {1, 1}, Source::torch_layout, 0, {},
     INIT(torch::xavier_uniform(f)),
     Kind::uniform, 1.7320508075688772},  // sqrt(6/2)
    {"tiny 1->2", {2, 1}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_uniform(f, {.nonlinearity = Nonlinearity::relu})),
     Kind::uniform, 2.4494897427831779},  // sqrt(2)*sqrt(3/1)
    {"tiny 2->1", {1, 2}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_normal(f, {.nonlinearity = Nonlinearity::relu})),
     Kind::normal, 1},  // sqrt(2)/sqrt(2) = 1
    {"tiny 2->1", {1, 2}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_uniform(f, {.mode = FanMode::fan_out, .nonlinearity = Nonlinearity::relu})),
     Kind::uniform, 2.4494897427831779},  // sqrt(2)*sqrt(3/1)
    {"dense 64->128", {128, 64}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_normal(f, {.nonlinearity = Nonlinearity::tanh})),
     Kind::normal, 0.20833333333333334},  // (5/3)/sqrt(64)
    {"dense 64->128", {128, 64}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_uniform(f, {.nonlinearity = Nonlinearity::selu})),
     Kind::uniform, 0.16237976320958225},  // 0.75*sqrt(3/64)
    {"dense 64->128", {128, 64}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_normal(f, {.mode = FanMode::fan_out, .nonlinearity = Nonlinearity::linear})),
     Kind::normal, 0.088388347648318447},  // 1/sqrt(128)
    {"dense 64->128 (fan_avg extension)", {128, 64}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_uniform(f, {.mode = FanMode::fan_avg, .nonlinearity = Nonlinearity::sigmoid})),
     Kind::uniform, 0.17677669529663689},  // sqrt(3/96)
    {"conv1d k5, 16->32", {32, 16, 5}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_uniform(f, {.mode = FanMode::fan_out, .nonlinearity = Nonlinearity::relu})),
     Kind::uniform, 0.19364916731037085},  // sqrt(2)*sqrt(3/160)
    {"conv3d 3x3x3, 4->8", {8, 4, 3, 3, 3}, Source::torch_layout, 0, {},
     INIT(torch::kaiming_normal(f, {.nonlinearity = Nonlinearity::relu})),
     Kind::normal, 0.13608276348795434},  // sqrt(2)/sqrt(108)
    {"grouped conv 3x3, 64->64, groups 8", {64, 8, 3, 3}, Source::torch_grouped, 8, {},
     INIT(torch::kaiming_uniform(f, {.nonlinearity = Nonlinearity::relu})),
     Kind::uniform, 0.28867513459481287},  // sqrt(2)*sqrt(3/72)
    {"grouped conv 3x3, 64->64, groups 8", {64, 8, 3, 3}, Source::torch_grouped, 8, {},
     INIT(torch::kaiming_normal(f, {.mode = FanMode::fan_out, .nonlinearity = Nonlinearity::relu})),
     Kind::normal, 0.05892556509887896},  // sqrt(2)/sqrt(576) (fan_out not divided by groups)
    {"depthwise conv 3x3, 32 channels", {32, 1, 3, 3}, Source::torch_grouped, 32, {},
     INIT(torch::xavier_uniform(f)),
     Kind::uniform, 0.14213381090374028},  // sqrt(6/(9+288))
    {"depthwise conv 3x3, 32 channels", {32, 1, 3, 3}, Source::torch_grouped, 32, {},
     INIT(torch::linear_default(f)),
     Kind::uniform, 0.33333333333333331},  // 1/sqrt(9)
    {"conv_transpose 4x4, in 16, out 16, groups 2", {16, 8, 4, 4}, Source::torch_grouped, 2, {},
     INIT(torch::xavier_normal(f)),
     Kind::normal, 0.072168783648703216},  // sqrt(2/(128+256))
    {"Dense 784->256", {784, 256}, Source::keras_layout, 0, {},
     INIT(keras::glorot_uniform(f)),
     Kind::uniform, 0.075955452531275003},  // sqrt(3/520)
    {"Dense 784->256", {784, 256}, Source::keras_layout, 0, {},
     INIT(keras::glorot_normal(f)),
     Kind::truncated, 0.049854049180182422},  // sqrt(1/520)/0.87962566103423978
    {"Conv2D 3x3, 3->64", {3, 3, 3, 64}, Source::keras_layout, 0, {},
     INIT(keras::he_uniform(f)),
     Kind::uniform, 0.47140452079103168},  // sqrt(6/27)
    {"Conv2D 3x3, 64->128", {3, 3, 64, 128}, Source::keras_layout, 0, {},
     INIT(keras::he_normal(f)),
     Kind::truncated, 0.066989365714497109},  // sqrt(2/576)/0.87962566103423978
    {"Dense 4096x4096", {4096, 4096}, Source::keras_layout, 0, {},
     INIT(keras::lecun_uniform(f)),
     Kind::uniform, 0.027063293868263706},  // sqrt(3/4096)
    {"Dense 100->10", {100, 10}, Source::keras_layout, 0, {},
     INIT(keras::lecun_normal(f)),
     Kind::truncated, 0.11368472343385565},  // sqrt(1/100)/0.87962566103423978
    {"Conv1D k5, 16->32", {5, 16, 32}, Source::keras_layout, 0, {},
     INIT(keras::he_uniform(f)),
     Kind::uniform, 0.27386127875258304},  // sqrt(6/80)
    {"1-D kernel [10]", {10}, Source::keras_layout, 0, {},
     INIT(keras::glorot_uniform(f)),
     Kind::uniform, 0.54772255750516607},  // sqrt(3/10)
    {"0-D kernel []", {}, Source::keras_layout, 0, {},
     INIT(keras::he_uniform(f)),
     Kind::uniform, 2.4494897427831779},  // sqrt(6/1)
    {"tiny Dense 1->2", {1, 2}, Source::keras_layout, 0, {},
     INIT(keras::he_normal(f)),
     Kind::truncated, 1.6077447771479307},  // sqrt(2/1)/0.87962566103423978
    {"Conv2D 3x3, 64->128", {3, 3, 64, 128}, Source::keras_layout, 0, {},
     INIT(keras::variance_scaling(f, 1.0, FanMode::fan_in, keras::VarianceDistribution::uniform)),
     Kind::uniform, 0.072168783648703216},  // sqrt(3/576)
    {"Conv2D 3x3, 64->128", {3, 3, 64, 128}, Source::keras_layout, 0, {},
     INIT(keras::variance_scaling(f, 2.0, FanMode::fan_out, keras::VarianceDistribution::untruncated_normal)),
     Kind::normal, 0.041666666666666664},  // sqrt(2/1152) = 1/24
    {"Conv2D 3x3, 64->128, defaults", {3, 3, 64, 128}, Source::keras_layout, 0, {},
     INIT(keras::variance_scaling(f)),
     Kind::truncated, 0.047368634764106521},  // sqrt(1/576)/0.87962566103423978
    {"Conv2D 5x5, 16->32", {5, 5, 16, 32}, Source::keras_layout, 0, {},
     INIT(keras::variance_scaling(f, 0.5, FanMode::fan_avg, keras::VarianceDistribution::truncated_normal)),
     Kind::truncated, 0.032817952838642354},  // sqrt(0.5/600)/0.87962566103423978
    {"tiny Dense 2->1", {2, 1}, Source::keras_layout, 0, {},
     INIT(keras::variance_scaling(f, 3.0, FanMode::fan_avg, keras::VarianceDistribution::uniform)),
     Kind::uniform, 2.4494897427831779},  // sqrt(9/1.5)
    {"Dense 784->256", {784, 256}, Source::keras_layout, 0, {},
     INIT(keras::variance_scaling(f, 0.1, FanMode::fan_out, keras::VarianceDistribution::untruncated_normal)),
     Kind::normal, 0.019764235376052371},  // sqrt(0.1/256)
    {"torch layout, keras convention", {256, 784}, Source::torch_layout, 0, {},
     INIT(keras::lecun_uniform(f)),
     Kind::uniform, 0.061858957413174188},  // sqrt(3/784)
    {"keras layout, torch convention", {784, 256}, Source::keras_layout, 0, {},
     INIT(torch::xavier_uniform(f)),
     Kind::uniform, 0.075955452531275003},  // sqrt(6/1040)
    {"keras layout, torch convention", {3, 3, 3, 64}, Source::keras_layout, 0, {},
     INIT(torch::kaiming_uniform(f, {.nonlinearity = Nonlinearity::relu})),
     Kind::uniform, 0.47140452079103168},  // sqrt(2)*sqrt(3/27)
    {"axes: batch_axis 0", {8, 3, 3, 16, 32}, Source::axes, 0, {-2, -1, 0},
     INIT(keras::he_normal(f)),
     Kind::truncated, 0.13397873142899422},  // sqrt(2/144)/0.87962566103423978
    {"axes: torch order via in 1, out 0", {64, 3, 3, 3}, Source::axes, 0, {1, 0, std::nullopt},
     INIT(torch::kaiming_uniform(f, {.nonlinearity = Nonlinearity::relu})),
     Kind::uniform, 0.47140452079103168},  // sqrt(2)*sqrt(3/27)
    {"axes: in 0, out -1", {16, 3, 3, 32}, Source::axes, 0, {0, -1, std::nullopt},
     INIT(keras::glorot_uniform(f)),
     Kind::uniform, 0.11785113019775792},  // sqrt(3/216)
    {"axes: in -3, out -2, batch -1", {4, 5, 7, 2}, Source::axes, 0, {-3, -2, -1},
     INIT(keras::variance_scaling(f, 1.0, FanMode::fan_avg, keras::VarianceDistribution::untruncated_normal)),
     Kind::normal, 0.20412414523193151},  // sqrt(1/24)
};
// clang-format on
#undef INIT

Fans fans_of(const Row& row) {
  switch (row.source) {
    case Source::torch_layout:
      return compute_fans(row.shape, Layout::torch);
    case Source::keras_layout:
      return compute_fans(row.shape, Layout::keras);
    case Source::torch_grouped:
      return compute_fans_grouped_conv(row.shape, row.groups);
    case Source::axes:
      return compute_fans(row.shape, row.axes);
  }
  ADD_FAILURE() << "bad source";
  return {};
}

class InitializerTable : public testing::TestWithParam<Row> {};

TEST_P(InitializerTable, MatchesPublishedFormula) {
  const Row& row = GetParam();
  const Distribution distribution = row.make(fans_of(row));
  switch (row.kind) {
    case Kind::uniform: {
      ASSERT_TRUE(std::holds_alternative<Uniform>(distribution)) << describe_kind(distribution);
      const auto& uniform = std::get<Uniform>(distribution);
      expect_relative_near(uniform.high, row.expected);
      EXPECT_EQ(uniform.low, -uniform.high);
      break;
    }
    case Kind::normal: {
      ASSERT_TRUE(std::holds_alternative<Normal>(distribution)) << describe_kind(distribution);
      const auto& normal = std::get<Normal>(distribution);
      EXPECT_EQ(normal.mean, 0.0);
      expect_relative_near(normal.stddev, row.expected);
      break;
    }
    case Kind::truncated: {
      ASSERT_TRUE(std::holds_alternative<TruncatedNormal>(distribution))
          << describe_kind(distribution);
      const auto& truncated = std::get<TruncatedNormal>(distribution);
      EXPECT_EQ(truncated.mean, 0.0);
      expect_relative_near(truncated.stddev, row.expected);
      EXPECT_EQ(truncated.lower, -2.0 * truncated.stddev);
      EXPECT_EQ(truncated.upper, 2.0 * truncated.stddev);
      break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, InitializerTable, testing::ValuesIn(table));

TEST(InitializerTableSize, HasAtLeastThirtyRows) { EXPECT_GE(table.size(), 30u); }

// ---------------------------------------------------------------------------
// The Keras/JAX constant
// ---------------------------------------------------------------------------

TEST(TruncatedNormalConstant, IsTheStddevOfTheTwoSigmaTruncatedStandardNormal) {
  // Var of N(0,1) truncated to (-a, a) is 1 - 2 a phi(a) / (2 Phi(a) - 1).
  const double a = 2.0;
  const double phi = std::exp(-a * a / 2.0) / std::sqrt(2.0 * std::numbers::pi);
  const double mass = std::erf(a / std::numbers::sqrt2);  // 2 Phi(a) - 1
  const double stddev = std::sqrt(1.0 - 2.0 * a * phi / mass);
  EXPECT_NEAR(keras::truncated_normal_2sigma_stddev, stddev, 1e-15);
  // The truncated keras variants therefore have the target standard deviation.
  const TruncatedNormal he = keras::he_normal(Fans{576, 1152});
  expect_relative_near(he.stddev * stddev, 0.058925565098878960);  // sqrt(2/576)
}

// ---------------------------------------------------------------------------
// Gains (PyTorch calculate_gain)
// ---------------------------------------------------------------------------

TEST(CalculateGain, PyTorchValues) {
  for (const Nonlinearity unit :
       {Nonlinearity::linear, Nonlinearity::identity, Nonlinearity::conv1d, Nonlinearity::conv2d,
        Nonlinearity::conv3d, Nonlinearity::conv_transpose1d, Nonlinearity::conv_transpose2d,
        Nonlinearity::conv_transpose3d, Nonlinearity::sigmoid}) {
    EXPECT_EQ(calculate_gain(unit), 1.0) << nonlinearity_name(unit);
  }
  expect_relative_near(calculate_gain(Nonlinearity::tanh), 1.6666666666666667);  // 5/3
  expect_relative_near(calculate_gain(Nonlinearity::relu), 1.4142135623730951);  // sqrt(2)
  EXPECT_EQ(calculate_gain(Nonlinearity::selu), 0.75);
  // leaky_relu: sqrt(2 / (1 + slope^2)); default slope 0.01.
  expect_relative_near(calculate_gain(Nonlinearity::leaky_relu), 1.4141428569978354);
  expect_relative_near(calculate_gain(Nonlinearity::leaky_relu, 0.01), 1.4141428569978354);
  expect_relative_near(calculate_gain(Nonlinearity::leaky_relu, 0.0), 1.4142135623730951);
  expect_relative_near(calculate_gain(Nonlinearity::leaky_relu, 0.2), 1.3867504905630728);
  expect_relative_near(calculate_gain(Nonlinearity::leaky_relu, std::sqrt(5.0)),
                       0.57735026918962576);  // sqrt(1/3)
  expect_relative_near(calculate_gain(Nonlinearity::leaky_relu, -0.2), 1.3867504905630728);
  expect_relative_near(calculate_gain(Nonlinearity::leaky_relu, 1.0), 1.0);
  // A slope whose square overflows (PyTorch: OverflowError) is refused, not a gain of 0.
  EXPECT_GT(calculate_gain(Nonlinearity::leaky_relu, 1e154), 0.0);
  EXPECT_THROW(calculate_gain(Nonlinearity::leaky_relu, 1e200), invalid_argument);
  EXPECT_THROW(calculate_gain(Nonlinearity::leaky_relu, -1e155), invalid_argument);
}

TEST(NonlinearityNames, RoundTripWithPyTorchSpelling) {
  const std::vector<std::pair<Nonlinearity, std::string_view>> expected{
      {Nonlinearity::linear, "linear"},
      {Nonlinearity::identity, "identity"},
      {Nonlinearity::conv1d, "conv1d"},
      {Nonlinearity::conv2d, "conv2d"},
      {Nonlinearity::conv3d, "conv3d"},
      {Nonlinearity::conv_transpose1d, "conv_transpose1d"},
      {Nonlinearity::conv_transpose2d, "conv_transpose2d"},
      {Nonlinearity::conv_transpose3d, "conv_transpose3d"},
      {Nonlinearity::sigmoid, "sigmoid"},
      {Nonlinearity::tanh, "tanh"},
      {Nonlinearity::relu, "relu"},
      {Nonlinearity::leaky_relu, "leaky_relu"},
      {Nonlinearity::selu, "selu"},
  };
  for (const auto& [value, name] : expected) {
    EXPECT_EQ(nonlinearity_name(value), name);
    EXPECT_EQ(parse_nonlinearity(name), value) << name;
  }
}

// ---------------------------------------------------------------------------
// PyTorch convention: specific properties
// ---------------------------------------------------------------------------

TEST(TorchConvention, KaimingDefaultsArePyTorchs) {
  const torch::KaimingOptions options;
  EXPECT_EQ(options.a, 0.0);
  EXPECT_EQ(options.mode, FanMode::fan_in);
  EXPECT_EQ(options.nonlinearity, Nonlinearity::leaky_relu);
  // leaky_relu with slope 0 is ReLU's gain.
  EXPECT_EQ(torch::kaiming_uniform(Fans{576, 1152}),
            torch::kaiming_uniform(Fans{576, 1152}, {.nonlinearity = Nonlinearity::relu}));
}

TEST(TorchConvention, NormalsAreNotTruncated) {
  const Distribution xavier = torch::xavier_normal(Fans{784, 256});
  const Distribution kaiming = torch::kaiming_normal(Fans{784, 256});
  EXPECT_TRUE(std::holds_alternative<Normal>(xavier));
  EXPECT_TRUE(std::holds_alternative<Normal>(kaiming));
}

TEST(TorchConvention, LinearDefaultIsOneOverSqrtFanIn) {
  for (const double fan_in : {1.0, 2.0, 3.0, 9.0, 784.0, 4096.0, 1e6}) {
    const Uniform weight = torch::linear_default(Fans{fan_in, 7.0});
    const Uniform bias = torch::linear_bias_default(Fans{fan_in, 7.0});
    EXPECT_NEAR(weight.high, 1.0 / std::sqrt(fan_in), 4e-16 / std::sqrt(fan_in)) << fan_in;
    EXPECT_EQ(bias.high, 1.0 / std::sqrt(fan_in)) << fan_in;
    EXPECT_EQ(bias.low, -bias.high);
    // linear_default is kaiming_uniform with a = sqrt(5).
    EXPECT_EQ(weight, torch::kaiming_uniform(Fans{fan_in, 7.0}, {.a = std::sqrt(5.0)}));
  }
}

TEST(TorchConvention, OnlyTheFansInUseAreRequired) {
  // fan_out is not used by fan_in-mode Kaiming nor by the nn.Linear defaults.
  EXPECT_NO_THROW(torch::kaiming_uniform(Fans{27, 0}));
  EXPECT_NO_THROW(torch::linear_default(Fans{27, nan}));
  EXPECT_NO_THROW(torch::linear_bias_default(Fans{27, -1}));
  EXPECT_NO_THROW(torch::kaiming_normal(Fans{0, 27}, {.mode = FanMode::fan_out}));
}

TEST(TorchConvention, TruncNormalUsesAbsoluteBounds) {
  EXPECT_EQ(torch::trunc_normal(), (TruncatedNormal{0.0, 1.0, -2.0, 2.0}));
  // ViT-style trunc_normal_(std=0.02): bounds stay at ±2, i.e. ±100 std.
  EXPECT_EQ(torch::trunc_normal(0.0, 0.02), (TruncatedNormal{0.0, 0.02, -2.0, 2.0}));
  EXPECT_EQ(torch::trunc_normal(1.0, 0.5, 0.0, 3.0), (TruncatedNormal{1.0, 0.5, 0.0, 3.0}));
  EXPECT_EQ(torch::trunc_normal(0.0, 1.0, -inf, 0.0), (TruncatedNormal{0.0, 1.0, -inf, 0.0}));
}

// ---------------------------------------------------------------------------
// Keras / JAX convention: specific properties
// ---------------------------------------------------------------------------

TEST(KerasConvention, NamedInitializersAreVarianceScaling) {
  using keras::VarianceDistribution;
  for (const Fans fans : {Fans{784, 256}, Fans{27, 576}, Fans{1, 1}, Fans{1, 2}}) {
    EXPECT_EQ(Distribution(keras::glorot_uniform(fans)),
              keras::variance_scaling(fans, 1.0, FanMode::fan_avg, VarianceDistribution::uniform));
    EXPECT_EQ(Distribution(keras::glorot_normal(fans)),
              keras::variance_scaling(fans, 1.0, FanMode::fan_avg,
                                      VarianceDistribution::truncated_normal));
    EXPECT_EQ(Distribution(keras::he_uniform(fans)),
              keras::variance_scaling(fans, 2.0, FanMode::fan_in, VarianceDistribution::uniform));
    EXPECT_EQ(Distribution(keras::he_normal(fans)),
              keras::variance_scaling(fans, 2.0, FanMode::fan_in,
                                      VarianceDistribution::truncated_normal));
    EXPECT_EQ(Distribution(keras::lecun_uniform(fans)),
              keras::variance_scaling(fans, 1.0, FanMode::fan_in, VarianceDistribution::uniform));
    EXPECT_EQ(Distribution(keras::lecun_normal(fans)), keras::variance_scaling(fans));
  }
}

TEST(KerasConvention, VarianceScalingReturnsTheRequestedDistribution) {
  using keras::VarianceDistribution;
  const Fans fans{100, 10};
  EXPECT_TRUE(std::holds_alternative<TruncatedNormal>(keras::variance_scaling(fans)));
  EXPECT_TRUE(std::holds_alternative<Normal>(keras::variance_scaling(
      fans, 1.0, FanMode::fan_in, VarianceDistribution::untruncated_normal)));
  EXPECT_TRUE(std::holds_alternative<Uniform>(
      keras::variance_scaling(fans, 1.0, FanMode::fan_in, VarianceDistribution::uniform)));
}

TEST(KerasConvention, GlorotUniformEqualsTorchXavierUniform) {
  // Same formula in both conventions (the uniform variants agree).
  for (const Fans fans : {Fans{784, 256}, Fans{27, 576}, Fans{1, 1}, Fans{4096, 4096}}) {
    expect_relative_near(keras::glorot_uniform(fans).high, torch::xavier_uniform(fans).high);
    expect_relative_near(keras::he_uniform(fans).high,
                         torch::kaiming_uniform(fans, {.nonlinearity = Nonlinearity::relu}).high);
  }
}

TEST(KerasConvention, TruncatedNormalHasNoCorrection) {
  EXPECT_EQ(keras::truncated_normal(0.0, 0.05), (TruncatedNormal{0.0, 0.05, -0.1, 0.1}));
  const TruncatedNormal shifted = keras::truncated_normal(1.0, 0.25);
  EXPECT_EQ(shifted.mean, 1.0);
  EXPECT_EQ(shifted.stddev, 0.25);
  EXPECT_EQ(shifted.lower, 0.5);
  EXPECT_EQ(shifted.upper, 1.5);
}

// ---------------------------------------------------------------------------
// The seed article's He formula
// ---------------------------------------------------------------------------

// The seed article of this project gave the He uniform bound as
// sqrt(6) / (2 * sqrt(n_in + n_out)). That is half the Glorot bound (a quarter
// of its variance) and not He's sqrt(6 / n_in). These checks document that
// nninit implements the published formula, not the article's.
double seed_article_he_bound(const Fans& fans) {
  return std::sqrt(6.0) / (2.0 * std::sqrt(fans.fan_in + fans.fan_out));
}

TEST(SeedArticleHeFormula, IsHalfTheGlorotBoundNotHe) {
  const Fans fans = compute_fans({784, 256}, Layout::keras);
  const double wrong = seed_article_he_bound(fans);
  const double glorot = keras::glorot_uniform(fans).high;
  const double he = keras::he_uniform(fans).high;
  expect_relative_near(wrong / glorot, 0.5);
  expect_relative_near((wrong * wrong) / (glorot * glorot), 0.25);
  // He's bound is sqrt(6 / 784), computed independently; the article's is
  // smaller by a factor 2 * sqrt(1040 / 784).
  expect_relative_near(he, 0.087481776527970646);
  expect_relative_near(he / wrong, 2.3035022137995856);
  EXPECT_GT(std::abs(he - wrong), 0.5 * he);
  // Same in the PyTorch convention.
  const double torch_he = torch::kaiming_uniform(compute_fans({256, 784}, Layout::torch),
                                                 {.nonlinearity = Nonlinearity::relu})
                              .high;
  expect_relative_near(torch_he, 0.087481776527970646);
  // Square layer: the article's bound is He's divided by 2 * sqrt(2).
  const Fans square{4096, 4096};
  expect_relative_near(keras::he_uniform(square).high / seed_article_he_bound(square),
                       2.8284271247461901);
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

struct ErrorCase {
  const char* description;
  std::function<void()> call;
  const char* needle;
};

TEST(InitializerErrors, EveryCaseNamesTheParameterAndValue) {
  using keras::VarianceDistribution;
  const Fans ok{27, 576};
  // clang-format off
  const std::vector<ErrorCase> cases{
      // torch::xavier_*
      {"xavier zero fan_in", [] { torch::xavier_uniform(Fans{0, 10}); },
       "nninit::torch::xavier_uniform: fans.fan_in (0) must be finite and positive"},
      {"xavier NaN fan_out", [] { torch::xavier_normal(Fans{10, nan}); },
       "nninit::torch::xavier_normal: fans.fan_out (nan)"},
      {"xavier inf fan_in", [] { torch::xavier_normal(Fans{inf, 10}); }, "fans.fan_in (inf)"},
      {"xavier zero gain", [ok] { torch::xavier_uniform(ok, 0.0); },
       "gain (0) must be finite and positive"},
      {"xavier negative gain", [ok] { torch::xavier_normal(ok, -1.5); }, "gain (-1.5)"},
      {"xavier inf gain", [ok] { torch::xavier_uniform(ok, inf); }, "gain (inf)"},
      {"xavier NaN gain", [ok] { torch::xavier_uniform(ok, nan); }, "gain (nan)"},
      // torch::kaiming_*
      {"kaiming negative fan_in", [] { torch::kaiming_uniform(Fans{-3, 10}); },
       "nninit::torch::kaiming_uniform: fans.fan_in (-3)"},
      {"kaiming fan_out mode zero fan_out",
       [] { torch::kaiming_normal(Fans{10, 0}, {.mode = FanMode::fan_out}); },
       "nninit::torch::kaiming_normal: fans.fan_out (0)"},
      {"kaiming fan_avg NaN fan_out",
       [] { torch::kaiming_uniform(Fans{10, nan}, {.mode = FanMode::fan_avg}); },
       "fans.fan_out (nan)"},
      {"kaiming NaN a", [ok] { torch::kaiming_uniform(ok, {.a = nan}); },
       "options.a (nan) must be finite"},
      {"kaiming inf a", [ok] { torch::kaiming_normal(ok, {.a = inf}); }, "options.a (inf)"},
      {"kaiming a with relu",
       [ok] { torch::kaiming_uniform(ok, {.a = 0.2, .nonlinearity = Nonlinearity::relu}); },
       "options.a (0.2) is the negative slope of leaky_relu and must be 0 for nonlinearity relu"},
      {"kaiming a with tanh",
       [ok] { torch::kaiming_normal(ok, {.a = 1.0, .nonlinearity = Nonlinearity::tanh}); },
       "options.a (1)"},
      {"kaiming bad mode", [ok] { torch::kaiming_uniform(ok, {.mode = static_cast<FanMode>(7)}); },
       "mode (7)"},
      {"kaiming bad nonlinearity",
       [ok] { torch::kaiming_uniform(ok, {.nonlinearity = static_cast<Nonlinearity>(99)}); },
       "nonlinearity (99)"},
      // nn.Linear defaults
      {"linear_default zero fan_in", [] { torch::linear_default(Fans{0, 5}); },
       "nninit::torch::linear_default: fans.fan_in (0)"},
      {"linear_bias_default inf fan_in", [] { torch::linear_bias_default(Fans{inf, 5}); },
       "nninit::torch::linear_bias_default: fans.fan_in (inf)"},
      // torch::trunc_normal
      {"trunc_normal zero std", [] { torch::trunc_normal(0.0, 0.0); },
       "nninit::torch::trunc_normal: std (0)"},
      {"trunc_normal negative std", [] { torch::trunc_normal(0.0, -1.0); }, "std (-1)"},
      {"trunc_normal NaN mean", [] { torch::trunc_normal(nan); }, "mean (nan) must be finite"},
      {"trunc_normal a >= b", [] { torch::trunc_normal(0.0, 1.0, 2.0, -2.0); },
       "a (2) must be less than b (-2)"},
      {"trunc_normal a == b", [] { torch::trunc_normal(0.0, 1.0, 1.0, 1.0); },
       "a (1) must be less than b (1)"},
      {"trunc_normal NaN a", [] { torch::trunc_normal(0.0, 1.0, nan, 2.0); }, "a (nan)"},
      {"trunc_normal NaN b", [] { torch::trunc_normal(0.0, 1.0, -2.0, nan); }, "b (nan)"},
      // keras::variance_scaling and the named initializers
      {"variance_scaling zero scale", [ok] { keras::variance_scaling(ok, 0.0); },
       "nninit::keras::variance_scaling: scale (0) must be finite and positive"},
      {"variance_scaling negative scale", [ok] { keras::variance_scaling(ok, -2.0); },
       "scale (-2)"},
      {"variance_scaling inf scale", [ok] { keras::variance_scaling(ok, inf); }, "scale (inf)"},
      {"variance_scaling fan_avg zero fan_out",
       [] {
         keras::variance_scaling(Fans{10, 0}, 1.0, FanMode::fan_avg, VarianceDistribution::uniform);
       },
       "fans.fan_out (0)"},
      {"variance_scaling fan_out negative",
       [] { keras::variance_scaling(Fans{10, -4}, 1.0, FanMode::fan_out); }, "fans.fan_out (-4)"},
      {"variance_scaling bad mode",
       [ok] { keras::variance_scaling(ok, 1.0, static_cast<FanMode>(3)); },
       "mode (3)"},
      {"variance_scaling bad distribution",
       [ok] {
         keras::variance_scaling(ok, 1.0, FanMode::fan_in, static_cast<VarianceDistribution>(5));
       },
       "distribution (5)"},
      {"glorot_uniform zero fan_in", [] { keras::glorot_uniform(Fans{0, 1}); },
       "nninit::keras::glorot_uniform: fans.fan_in (0)"},
      {"glorot_normal NaN fan_out", [] { keras::glorot_normal(Fans{1, nan}); },
       "nninit::keras::glorot_normal: fans.fan_out (nan)"},
      {"he_uniform negative fan_in", [] { keras::he_uniform(Fans{-1, 1}); },
       "nninit::keras::he_uniform: fans.fan_in (-1)"},
      {"he_normal zero fan_in", [] { keras::he_normal(Fans{0, 1}); },
       "nninit::keras::he_normal: fans.fan_in (0)"},
      {"lecun_uniform inf fan_in", [] { keras::lecun_uniform(Fans{inf, 1}); },
       "nninit::keras::lecun_uniform: fans.fan_in (inf)"},
      {"lecun_normal zero fan_in", [] { keras::lecun_normal(Fans{0, 1}); },
       "nninit::keras::lecun_normal: fans.fan_in (0)"},
      // keras::truncated_normal
      {"keras truncated_normal zero stddev", [] { keras::truncated_normal(0.0, 0.0); },
       "nninit::keras::truncated_normal: stddev (0)"},
      {"keras truncated_normal inf mean", [] { keras::truncated_normal(inf, 1.0); }, "mean (inf)"},
      // Gains and names
      {"gain param for relu", [] { calculate_gain(Nonlinearity::relu, 0.1); },
       "nninit::calculate_gain: param (0.1) given for nonlinearity relu"},
      {"gain param for linear", [] { calculate_gain(Nonlinearity::linear, 0.0); }, "param (0)"},
      {"gain NaN slope", [] { calculate_gain(Nonlinearity::leaky_relu, nan); },
       "nan) must be finite"},
      {"gain inf slope", [] { calculate_gain(Nonlinearity::leaky_relu, -inf); },
       "-inf) must be finite"},
      {"gain bad enum", [] { calculate_gain(static_cast<Nonlinearity>(42)); }, "nonlinearity (42)"},
      {"parse unknown", [] { parse_nonlinearity("swish"); },
       "nninit::parse_nonlinearity: name \"swish\" is not a known nonlinearity"},
      {"parse is case-sensitive", [] { parse_nonlinearity("ReLU"); }, "\"ReLU\""},
      {"parse empty", [] { parse_nonlinearity(""); }, "name \"\""},
      {"name bad enum", [] { nonlinearity_name(static_cast<Nonlinearity>(-1)); },
       "nonlinearity (-1)"},
  };
  // clang-format on
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.description);
    expect_invalid_argument(c.call, c.needle);
  }
}

}  // namespace
}  // namespace nninit
