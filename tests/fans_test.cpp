// fans_test.cpp — fan_in / fan_out for the PyTorch and Keras/JAX layouts,
// explicit JAX axes, PyTorch grouped and transposed convolutions, select_fan,
// and every error case (each message must name the parameter and its value).
#include "nninit/fans.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "nninit/error.hpp"

namespace {

using nninit::compute_fans;
using nninit::compute_fans_grouped_conv;
using nninit::FanAxes;
using nninit::FanMode;
using nninit::Fans;
using nninit::Layout;
using nninit::select_fan;

// Runs `f`, which must throw nninit::invalid_argument whose message contains `needle`.
void expect_invalid_argument(const std::function<void()>& f, std::string_view needle) {
  try {
    f();
    ADD_FAILURE() << "expected nninit::invalid_argument containing \"" << needle << "\"";
  } catch (const nninit::invalid_argument& error) {
    EXPECT_NE(std::string_view(error.what()).find(needle), std::string_view::npos)
        << "message \"" << error.what() << "\" does not contain \"" << needle << "\"";
  }
}

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t two_32 = std::int64_t{1} << 32;

// ------------------------------------------------------------------ torch layout

TEST(ComputeFansTorch, Linear) {
  // nn.Linear(784, 256).weight is [256, 784].
  EXPECT_EQ(compute_fans({256, 784}, Layout::torch), (Fans{784, 256}));
  EXPECT_EQ(compute_fans({5, 7}, Layout::torch), (Fans{7, 5}));
  EXPECT_EQ(compute_fans({1, 1}, Layout::torch), (Fans{1, 1}));
}

TEST(ComputeFansTorch, Convolutions) {
  // Conv1d(16, 32, 5): [32, 16, 5], r = 5.
  EXPECT_EQ(compute_fans({32, 16, 5}, Layout::torch), (Fans{80, 160}));
  // Conv2d(3, 64, 3): [64, 3, 3, 3], r = 9.
  EXPECT_EQ(compute_fans({64, 3, 3, 3}, Layout::torch), (Fans{27, 576}));
  // Conv3d(4, 8, 3): [8, 4, 3, 3, 3], r = 27.
  EXPECT_EQ(compute_fans({8, 4, 3, 3, 3}, Layout::torch), (Fans{108, 216}));
  // Non-square kernel: Conv2d(2, 6, (3, 5)): r = 15.
  EXPECT_EQ(compute_fans({6, 2, 3, 5}, Layout::torch), (Fans{30, 90}));
}

TEST(ComputeFansTorch, AcceptsVectorsAndArrays) {
  const std::vector<std::int64_t> vector_shape{64, 3, 3, 3};
  const std::array<std::int64_t, 4> array_shape{64, 3, 3, 3};
  EXPECT_EQ(compute_fans(vector_shape, Layout::torch), (Fans{27, 576}));
  EXPECT_EQ(compute_fans(array_shape, Layout::torch), (Fans{27, 576}));
}

TEST(ComputeFansTorch, LargeShapesWithinInt64) {
  // 2^31 * 2^31 = 2^62 fits; the fans are exact.
  const std::int64_t big = std::int64_t{1} << 31;
  EXPECT_EQ(compute_fans({big, big}, Layout::torch), (Fans{2147483648.0, 2147483648.0}));
  // A product of exactly int64 max is allowed.
  EXPECT_EQ(compute_fans({int64_max, 1}, Layout::torch),
            (Fans{1.0, static_cast<double>(int64_max)}));
}

// ------------------------------------------------------------------ keras layout

TEST(ComputeFansKeras, DenseAndConvolutions) {
  // Dense(256) on 784 inputs: kernel [784, 256].
  EXPECT_EQ(compute_fans({784, 256}, Layout::keras), (Fans{784, 256}));
  // Conv1D(32, 5) on 16 channels: [5, 16, 32].
  EXPECT_EQ(compute_fans({5, 16, 32}, Layout::keras), (Fans{80, 160}));
  // Conv2D(64, 3) on 3 channels: [3, 3, 3, 64].
  EXPECT_EQ(compute_fans({3, 3, 3, 64}, Layout::keras), (Fans{27, 576}));
  // Conv3D(8, 3) on 4 channels: [3, 3, 3, 4, 8].
  EXPECT_EQ(compute_fans({3, 3, 3, 4, 8}, Layout::keras), (Fans{108, 216}));
}

TEST(ComputeFansKeras, ZeroAndOneDimensionalShapes) {
  // Keras: a 1-D shape uses shape[0] for both fans, a 0-D shape uses 1.
  EXPECT_EQ(compute_fans({10}, Layout::keras), (Fans{10, 10}));
  EXPECT_EQ(compute_fans({1}, Layout::keras), (Fans{1, 1}));
  EXPECT_EQ(compute_fans({}, Layout::keras), (Fans{1, 1}));
  EXPECT_EQ(compute_fans(std::span<const std::int64_t>{}, Layout::keras), (Fans{1, 1}));
}

TEST(ComputeFans, TorchAndKerasAgreeOnTheSameLayer) {
  // The same Conv2d(16, 32, (3, 5)) in both layouts.
  EXPECT_EQ(compute_fans({32, 16, 3, 5}, Layout::torch),
            compute_fans({3, 5, 16, 32}, Layout::keras));
  // The same Linear/Dense(784 -> 256).
  EXPECT_EQ(compute_fans({256, 784}, Layout::torch), compute_fans({784, 256}, Layout::keras));
}

// ------------------------------------------------------------------ explicit axes

TEST(ComputeFansAxes, DefaultsMatchKerasLayout) {
  const std::vector<std::vector<std::int64_t>> shapes{
      {784, 256}, {5, 16, 32}, {3, 3, 3, 64}, {3, 3, 3, 4, 8}, {1, 1}};
  for (const auto& shape : shapes) {
    EXPECT_EQ(compute_fans(shape, FanAxes{}), compute_fans(shape, Layout::keras))
        << "shape rank " << shape.size();
  }
}

TEST(ComputeFansAxes, BatchAxis) {
  // r = (8*3*3*16*32) / (16 * 32 * 8) = 9.
  EXPECT_EQ(compute_fans({8, 3, 3, 16, 32}, FanAxes{.batch_axis = 0}), (Fans{144, 288}));
  // JAX docstring-style example: shape (2, 3, 4, 5), batch 0: r = 120 / (4*5*2) = 3.
  EXPECT_EQ(compute_fans({2, 3, 4, 5}, FanAxes{-2, -1, 0}), (Fans{12, 15}));
  // A batch axis in the middle.
  EXPECT_EQ(compute_fans({3, 6, 3, 16, 32}, FanAxes{.batch_axis = 1}), (Fans{144, 288}));
}

TEST(ComputeFansAxes, NegativeAndPositiveAxesAgree) {
  // in = shape[1] = 5, out = shape[2] = 7, batch = shape[3] = 2: r = 280 / 70 = 4.
  EXPECT_EQ(compute_fans({4, 5, 7, 2}, FanAxes{-3, -2, -1}), (Fans{20, 28}));
  EXPECT_EQ(compute_fans({4, 5, 7, 2}, FanAxes{1, 2, 3}), (Fans{20, 28}));
  EXPECT_EQ(compute_fans({4, 5, 7, 2}, FanAxes{1, -2, -1}), (Fans{20, 28}));
  // in 0, out -1: [16, 3, 3, 32] has r = 9.
  EXPECT_EQ(compute_fans({16, 3, 3, 32}, FanAxes{.in_axis = 0, .out_axis = -1}), (Fans{144, 288}));
}

TEST(ComputeFansAxes, TorchOrderViaAxes) {
  // in_axis 1, out_axis 0 reproduces the torch layout.
  EXPECT_EQ(compute_fans({64, 3, 3, 3}, FanAxes{.in_axis = 1, .out_axis = 0}),
            compute_fans({64, 3, 3, 3}, Layout::torch));
  EXPECT_EQ(compute_fans({256, 784}, FanAxes{.in_axis = 1, .out_axis = 0}), (Fans{784, 256}));
}

// ------------------------------------------------------------------ grouped convs

TEST(ComputeFansGroupedConv, PyTorchConvention) {
  // Conv2d(64, 64, 3, groups=8): weight [64, 8, 3, 3]. fan_in is per group
  // (8 * 9); fan_out is NOT divided by groups (64 * 9), as in PyTorch.
  EXPECT_EQ(compute_fans_grouped_conv({64, 8, 3, 3}, 8), (Fans{72, 576}));
  // Depthwise Conv2d(32, 32, 3, groups=32): [32, 1, 3, 3].
  EXPECT_EQ(compute_fans_grouped_conv({32, 1, 3, 3}, 32), (Fans{9, 288}));
  // groups = 1 is an ordinary convolution.
  EXPECT_EQ(compute_fans_grouped_conv({64, 3, 3, 3}, 1),
            compute_fans({64, 3, 3, 3}, Layout::torch));
  // Same numbers as the plain torch layout for any valid groups.
  EXPECT_EQ(compute_fans_grouped_conv({64, 8, 3, 3}, 8),
            compute_fans({64, 8, 3, 3}, Layout::torch));
}

TEST(ComputeFansGroupedConv, TransposedConvolutionShapePassedAsIs) {
  // ConvTranspose2d(16, 16, 4, groups=2) stores [in=16, out/groups=8, 4, 4];
  // PyTorch reads dim 1 as fan_in: 8 * 16 = 128, dim 0 as fan_out: 16 * 16 = 256.
  EXPECT_EQ(compute_fans_grouped_conv({16, 8, 4, 4}, 2), (Fans{128, 256}));
  // ConvTranspose1d(4, 6, 3): [4, 6, 3]: fan_in = 18, fan_out = 12.
  EXPECT_EQ(compute_fans_grouped_conv({4, 6, 3}, 1), (Fans{18, 12}));
}

// ------------------------------------------------------------------ select_fan

TEST(SelectFan, Modes) {
  const Fans fans{27, 576};
  EXPECT_EQ(select_fan(fans, FanMode::fan_in), 27.0);
  EXPECT_EQ(select_fan(fans, FanMode::fan_out), 576.0);
  EXPECT_EQ(select_fan(fans, FanMode::fan_avg), 301.5);
  EXPECT_EQ(select_fan(Fans{1, 2}, FanMode::fan_avg), 1.5);
  // Fractional fans are allowed.
  EXPECT_EQ(select_fan(Fans{0.5, 0.25}, FanMode::fan_avg), 0.375);
  // No overflow near the largest double.
  const double huge = std::numeric_limits<double>::max();
  EXPECT_EQ(select_fan(Fans{huge, huge}, FanMode::fan_avg), huge);
}

TEST(SelectFan, OnlyTheFanInUseIsChecked) {
  EXPECT_EQ(select_fan(Fans{27, 0}, FanMode::fan_in), 27.0);
  EXPECT_EQ(select_fan(Fans{0, 576}, FanMode::fan_out), 576.0);
}

// ------------------------------------------------------------------ errors

TEST(ComputeFansErrors, ExactMessage) {
  try {
    compute_fans({64, 0, 3, 3}, Layout::torch);
    ADD_FAILURE() << "expected an exception";
  } catch (const nninit::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()), "nninit::compute_fans: shape[1] (0) must be positive");
  }
}

TEST(ComputeFansErrors, IsAlsoAStdInvalidArgument) {
  EXPECT_THROW(compute_fans({0}, Layout::keras), std::invalid_argument);
}

struct ErrorCase {
  const char* description;
  std::function<void()> call;
  const char* needle;
};

TEST(ComputeFansErrors, EveryCaseNamesTheParameterAndValue) {
  // clang-format off
  const std::vector<ErrorCase> cases{
      // Non-positive dimensions, every entry point.
      {"torch zero dim", [] { compute_fans({64, 0, 3, 3}, Layout::torch); },
       "shape[1] (0) must be positive"},
      {"torch negative dim", [] { compute_fans({-3, 4}, Layout::torch); },
       "shape[0] (-3) must be positive"},
      {"torch zero kernel", [] { compute_fans({8, 4, 3, 0}, Layout::torch); }, "shape[3] (0)"},
      {"keras zero dim", [] { compute_fans({3, 3, 0, 64}, Layout::keras); },
       "shape[2] (0) must be positive"},
      {"keras 1-D zero", [] { compute_fans({0}, Layout::keras); }, "shape[0] (0) must be positive"},
      {"axes negative dim", [] { compute_fans({4, -1}, FanAxes{}); },
       "shape[1] (-1) must be positive"},
      {"grouped zero dim", [] { compute_fans_grouped_conv({64, 8, 0, 3}, 8); },
       "torch_shape[2] (0) must be positive"},
      // Too few dimensions.
      {"torch 1-D", [] { compute_fans({10}, Layout::torch); }, "has 1 dimension(s)"},
      {"torch 0-D", [] { compute_fans({}, Layout::torch); }, "shape [] has 0 dimension(s)"},
      {"grouped 2-D", [] { compute_fans_grouped_conv({64, 8}, 8); },
       "torch_shape [64, 8] has 2 dimension(s)"},
      // Overflow of the product.
      {"torch overflow", [] { compute_fans({two_32, two_32}, Layout::torch); },
       "overflows int64"},
      {"keras overflow", [] { compute_fans({3, 3, int64_max, 2}, Layout::keras); },
       "shape [3, 3, 9223372036854775807, 2] overflows int64"},
      {"axes overflow", [] { compute_fans({two_32, 2, two_32}, FanAxes{}); },
       "overflows int64"},
      {"grouped overflow", [] { compute_fans_grouped_conv({two_32, 1, two_32}, 1); },
       "torch_shape"},
      // Axes out of range.
      {"in_axis too large",
       [] { compute_fans({3, 3, 16, 32}, FanAxes{.in_axis = 4, .out_axis = -1}); },
       "axes.in_axis (4) is out of range for a shape of rank 4"},
      {"out_axis too negative",
       [] { compute_fans({3, 3, 16, 32}, FanAxes{.in_axis = -2, .out_axis = -5}); },
       "axes.out_axis (-5) is out of range"},
      {"batch_axis out of range", [] { compute_fans({3, 3, 16, 32}, FanAxes{-2, -1, 7}); },
       "axes.batch_axis (7) is out of range"},
      {"default axes on 1-D shape", [] { compute_fans({10}, FanAxes{}); },
       "axes.in_axis (-2) is out of range"},
      {"default axes on 0-D shape", [] { compute_fans({}, FanAxes{}); }, "axes.in_axis (-2)"},
      // Axes naming the same dimension.
      {"in == out", [] { compute_fans({3, 3, 16, 32}, FanAxes{.in_axis = -1, .out_axis = 3}); },
       "axes.in_axis (-1) and axes.out_axis (3) name the same dimension 3"},
      {"batch == in", [] { compute_fans({3, 3, 16, 32}, FanAxes{-2, -1, 2}); },
       "axes.batch_axis (2) and axes.in_axis (-2)"},
      {"batch == out", [] { compute_fans({3, 3, 16, 32}, FanAxes{0, 1, -3}); },
       "axes.batch_axis (-3) and axes.out_axis (1)"},
      // Groups.
      {"groups zero", [] { compute_fans_grouped_conv({64, 8, 3, 3}, 0); },
       "groups (0) must be at least 1"},
      {"groups negative", [] { compute_fans_grouped_conv({64, 8, 3, 3}, -8); }, "groups (-8)"},
      {"groups not dividing", [] { compute_fans_grouped_conv({64, 8, 3, 3}, 3); },
       "groups (3) must divide torch_shape[0] (64)"},
      {"groups larger than out", [] { compute_fans_grouped_conv({4, 1, 3}, 8); },
       "groups (8) must divide torch_shape[0] (4)"},
      // Invalid enum values.
      {"bad layout", [] { compute_fans({3, 3}, static_cast<Layout>(5)); }, "layout (5)"},
      // select_fan.
      {"select_fan zero fan_in", [] { select_fan(Fans{0, 1}, FanMode::fan_in); },
       "fans.fan_in (0)"},
      {"select_fan negative fan_out", [] { select_fan(Fans{1, -2}, FanMode::fan_out); },
       "fans.fan_out (-2) must be finite and positive"},
      {"select_fan NaN for fan_avg", [] { select_fan(Fans{1, std::nan("")}, FanMode::fan_avg); },
       "fans.fan_out (nan)"},
      {"select_fan inf",
       [] { select_fan(Fans{std::numeric_limits<double>::infinity(), 1}, FanMode::fan_avg); },
       "fans.fan_in (inf)"},
      {"select_fan bad mode", [] { select_fan(Fans{1, 1}, static_cast<FanMode>(9)); }, "mode (9)"},
  };
  // clang-format on
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.description);
    expect_invalid_argument(c.call, c.needle);
  }
}

TEST(ComputeFansErrors, MessagesNameTheFunction) {
  expect_invalid_argument([] { compute_fans({0, 1}, Layout::torch); }, "nninit::compute_fans: ");
  expect_invalid_argument(
      [] {
        compute_fans_grouped_conv({64, 8, 3, 3}, 0);
      },
      "nninit::compute_fans_grouped_conv: ");
  expect_invalid_argument([] { select_fan(Fans{0, 0}, FanMode::fan_in); }, "nninit::select_fan: ");
}

}  // namespace
