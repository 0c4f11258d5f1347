// Rounding onto the bfloat16 / float16 / float32 grids, checked against
// independent conversions: the compiler's float and _Float16 conversions
// (correctly rounded, ties to even) and a bit-level bfloat16 rounding.
#include "nninit/validation/output_grid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "test_samples.hpp"

namespace nninit::validation {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

double reference_round(double x, OutputGrid grid) {
  switch (grid) {
    case OutputGrid::float32: return static_cast<double>(static_cast<float>(x));
    case OutputGrid::float16: return static_cast<double>(static_cast<_Float16>(x));
    case OutputGrid::bfloat16: return testing::round_to_bfloat16_bits(x);
    case OutputGrid::continuous: return x;
  }
  return x;
}

TEST(OutputGrid, KnownValues) {
  EXPECT_EQ(round_to_grid(0.1, OutputGrid::bfloat16), 0x1.9Ap-4);  // 0.10009765625
  EXPECT_EQ(round_to_grid(1.0 + 0x1p-8, OutputGrid::bfloat16), 1.0);            // tie -> even
  EXPECT_EQ(round_to_grid(1.0 + 3 * 0x1p-8, OutputGrid::bfloat16), 1.0 + 0x1p-6);  // tie -> even (up)
  EXPECT_EQ(round_to_grid(65519.99, OutputGrid::float16), 65504.0);
  EXPECT_EQ(round_to_grid(65520.0, OutputGrid::float16), infinity);
  EXPECT_EQ(round_to_grid(-65520.0, OutputGrid::float16), -infinity);
  EXPECT_EQ(round_to_grid(0x1p-25, OutputGrid::float16), 0.0);            // tie with 0 -> 0
  EXPECT_EQ(round_to_grid(0x1.8p-25, OutputGrid::float16), 0x1p-24);      // smallest subnormal
  EXPECT_EQ(round_to_grid(0.3, OutputGrid::continuous), 0.3);
  EXPECT_EQ(grid_max_finite(OutputGrid::bfloat16), 0x1.FEp127);
  EXPECT_EQ(grid_max_finite(OutputGrid::float16), 65504.0);
  EXPECT_TRUE(std::isnan(round_to_grid(std::nan(""), OutputGrid::float16)));
  EXPECT_FALSE(is_on_grid(std::nan(""), OutputGrid::float16));
}

TEST(OutputGrid, MatchesIndependentConversionsOnRandomValuesAndTies) {
  std::mt19937_64 engine(20240611);
  std::uniform_real_distribution<double> exponent(-20.0, 15.0);
  std::uniform_real_distribution<double> mantissa(1.0, 2.0);
  for (OutputGrid grid : {OutputGrid::float32, OutputGrid::float16, OutputGrid::bfloat16}) {
    for (int i = 0; i < 200000; ++i) {
      double x = std::ldexp(mantissa(engine), static_cast<int>(std::floor(exponent(engine))));
      if (i % 2 == 1) x = -x;
      if (i % 4 >= 2) {  // move x onto a midpoint between two grid values
        const double v = round_to_grid(x, grid);
        x = (v + next_above(v, grid)) / 2.0;
      }
      ASSERT_EQ(round_to_grid(x, grid), reference_round(x, grid)) << grid_name(grid) << " x=" << x;
    }
  }
}

TEST(OutputGrid, NeighboursStepOneUnitInTheLastPlace) {
  // float32 against nextafterf; float16 and bfloat16 against the spacing rule.
  for (double v : {1.0, 0.75, -1.0, 0x1p-126, 0x1.1C3A2p127, -0x1p-149, 0.0}) {
    EXPECT_EQ(next_above(v, OutputGrid::float32),
              static_cast<double>(std::nextafter(static_cast<float>(v), std::numeric_limits<float>::infinity())))
        << v;
    EXPECT_EQ(next_below(v, OutputGrid::float32),
              static_cast<double>(std::nextafter(static_cast<float>(v), -std::numeric_limits<float>::infinity())))
        << v;
  }
  EXPECT_EQ(next_above(1.0, OutputGrid::bfloat16), 1.0 + 0x1p-7);
  EXPECT_EQ(next_below(1.0, OutputGrid::bfloat16), 1.0 - 0x1p-8);
  EXPECT_EQ(next_below(-1.0, OutputGrid::bfloat16), -1.0 - 0x1p-7);
  EXPECT_EQ(next_above(-1.0, OutputGrid::bfloat16), -1.0 + 0x1p-8);
  EXPECT_EQ(next_above(0.0, OutputGrid::float16), 0x1p-24);
  EXPECT_EQ(next_below(0.0, OutputGrid::float16), -0x1p-24);
  EXPECT_EQ(next_above(-0x1p-24, OutputGrid::float16), 0.0);
  EXPECT_EQ(next_above(65504.0, OutputGrid::float16), infinity);
  EXPECT_EQ(next_below(-65504.0, OutputGrid::float16), -infinity);
  EXPECT_EQ(next_below(infinity, OutputGrid::float16), 65504.0);
  EXPECT_EQ(next_below(0x1p-14, OutputGrid::float16), 0x1p-14 - 0x1p-24);  // normal -> subnormal
}

TEST(OutputGrid, RoundingIntervalEdgesRoundToTheValue) {
  const auto check = [](double v, OutputGrid grid) {
    const RoundingInterval interval = rounding_interval(v, grid);
    EXPECT_LT(interval.lower, v);
    EXPECT_GT(interval.upper, v);
    // Just inside both edges rounds to v, just outside does not.
    EXPECT_EQ(round_to_grid(std::nextafter(interval.lower, infinity), grid), v);
    EXPECT_EQ(round_to_grid(std::nextafter(interval.upper, -infinity), grid), v);
    EXPECT_NE(round_to_grid(std::nextafter(interval.lower, -infinity), grid), v);
    EXPECT_NE(round_to_grid(std::nextafter(interval.upper, infinity), grid), v);
  };
  for (double v : {1.0, 0.5, -2.0, 1.5, 0x1p-130, 0.0, 3.0}) check(v, OutputGrid::bfloat16);
  for (double v : {1.0, -0x1p-24, 65504.0, -65504.0, 0x1p-14}) check(v, OutputGrid::float16);
  // Hand-worked: 0.5 in bfloat16 owns [0.5 - 2^-10, 0.5 + 2^-9].
  EXPECT_EQ(rounding_interval(0.5, OutputGrid::bfloat16).lower, 0.5 - 0x1p-10);
  EXPECT_EQ(rounding_interval(0.5, OutputGrid::bfloat16).upper, 0.5 + 0x1p-9);
  EXPECT_EQ(rounding_interval(65504.0, OutputGrid::float16).upper, 65520.0);
  EXPECT_EQ(rounding_interval(infinity, OutputGrid::float16).lower, 65520.0);
}

}  // namespace
}  // namespace nninit::validation
