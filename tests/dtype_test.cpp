// bfloat16 / float16 conversions against an independent rounding of the
// exact value (bracketing by neighbours), and the dtype names.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "kernels/output_format.hpp"
#include "nninit/dtype.hpp"
#include "nninit/error.hpp"

namespace {

using nninit::bfloat16;
using nninit::float16;

// Independent reference: nearest of the 2^16 patterns by exhaustive search
// over the sorted finite values would be slow per call, so precompute them.
template <class T>
std::vector<std::pair<double, std::uint16_t>> sorted_finite_values() {
  std::vector<std::pair<double, std::uint16_t>> values;
  for (std::uint32_t bits = 0; bits < 0x10000u; ++bits) {
    const double v = static_cast<double>(nninit::to_float(T{static_cast<std::uint16_t>(bits)}));
    if (std::isfinite(v) && !(v == 0.0 && (bits & 0x8000u))) values.emplace_back(v, bits);
  }
  std::sort(values.begin(), values.end());
  return values;
}

// Round to nearest, ties to the even pattern, by bracketing in the sorted table.
template <class T>
std::uint16_t reference_round(const std::vector<std::pair<double, std::uint16_t>>& table, float x) {
  const double v = x;
  auto above = std::lower_bound(table.begin(), table.end(), std::make_pair(v, std::uint16_t{0}));
  if (above != table.end() && above->first == v) {
    return (v == 0.0 && std::signbit(x)) ? std::uint16_t{0x8000} : above->second;
  }
  auto below = above - 1;
  const double down = v - below->first;
  const double up = above->first - v;
  std::uint16_t chosen;
  if (down < up) chosen = below->second;
  else if (up < down) chosen = above->second;
  else chosen = (below->second & 1u) == 0 ? below->second : above->second;
  // Zero results keep the sign of x (IEEE): -tiny rounds to -0.
  if ((chosen & 0x7FFFu) == 0) chosen = std::signbit(x) ? 0x8000 : 0x0000;
  return chosen;
}

TEST(DType, BFloat16RoundsToNearestEven) {
  const auto table = sorted_finite_values<bfloat16>();
  std::mt19937 source(7);
  std::uniform_int_distribution<std::uint32_t> bits;
  const float largest = nninit::to_float(bfloat16{0x7F7F});
  int checked = 0;
  for (int i = 0; i < 2'000'000; ++i) {
    const float x = std::bit_cast<float>(bits(source));
    if (!std::isfinite(x) || std::fabs(x) >= largest) continue;
    ASSERT_EQ(nninit::to_bfloat16(x).bits, reference_round<bfloat16>(table, x)) << x;
    ++checked;
  }
  EXPECT_GT(checked, 1'000'000);
  // Ties: 1 + 2^-8 lies halfway between 1 and 1 + 2^-7 -> even (1).
  EXPECT_EQ(nninit::to_bfloat16(1.0f + 0x1p-8f).bits, 0x3F80);
  EXPECT_EQ(nninit::to_bfloat16(1.0f + 3 * 0x1p-8f).bits, 0x3F82);
  EXPECT_TRUE(std::isnan(nninit::to_float(nninit::to_bfloat16(std::numeric_limits<float>::quiet_NaN()))));
}

TEST(DType, Float16RoundsToNearestEvenIncludingSubnormals) {
  const auto table = sorted_finite_values<float16>();
  std::mt19937 source(11);
  std::uniform_real_distribution<float> magnitude(-26.0f, 16.0f);
  int checked = 0;
  for (int i = 0; i < 2'000'000; ++i) {
    const float x = (i % 2 ? -1.0f : 1.0f) * std::exp2(magnitude(source));
    if (std::fabs(x) >= 65504.0f) continue;
    ASSERT_EQ(nninit::to_float16(x).bits, reference_round<float16>(table, x)) << x;
    ++checked;
  }
  EXPECT_GT(checked, 1'000'000);
  // Every finite half converts to float and back unchanged.
  for (std::uint32_t bits = 0; bits < 0x10000u; ++bits) {
    const float16 h{static_cast<std::uint16_t>(bits)};
    const float f = nninit::to_float(h);
    if (std::isnan(f)) continue;
    ASSERT_EQ(nninit::to_float16(f).bits, bits);
  }
  EXPECT_EQ(nninit::to_float16(1.0f).bits, 0x3C00);
  EXPECT_EQ(nninit::to_float16(65504.0f).bits, 0x7BFF);
  EXPECT_EQ(nninit::to_float16(65519.99f).bits, 0x7BFF);
  EXPECT_EQ(nninit::to_float16(65520.0f).bits, 0x7C00);  // tie rounds to even: infinity
  EXPECT_EQ(nninit::to_float16(0x1p-24f).bits, 0x0001);  // smallest subnormal
  EXPECT_EQ(nninit::to_float16(0x1p-25f).bits, 0x0000);  // tie to even: zero
  EXPECT_EQ(nninit::to_float16(0x1.8p-25f).bits, 0x0001);
}

TEST(DType, NamesAndSizes) {
  EXPECT_EQ(nninit::parse_dtype("bf16"), nninit::DType::bf16);
  EXPECT_EQ(nninit::parse_dtype("float64"), nninit::DType::f64);
  EXPECT_EQ(nninit::dtype_name(nninit::DType::f16), "f16");
  EXPECT_EQ(nninit::dtype_size(nninit::DType::f64), 8u);
  try {
    nninit::parse_dtype("int8");
    FAIL() << "parse_dtype accepted int8";
  } catch (const nninit::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("int8"), std::string::npos);
  }
}

TEST(OutputFormat, BoundsOnRepresentableValues) {
  using nninit::internal::largest_at_most;
  using nninit::internal::largest_below;
  using nninit::internal::smallest_at_least;
  using nninit::internal::to_double;
  // 0.1f = 0.100000001490116... lies above 0.1; the float below it lies below.
  EXPECT_EQ(to_double(smallest_at_least<float>(0.1)), static_cast<double>(0.1f));
  EXPECT_EQ(to_double(largest_at_most<float>(0.1)), static_cast<double>(std::nextafter(0.1f, 0.0f)));
  EXPECT_EQ(to_double(largest_below<float>(1.0)), static_cast<double>(std::nextafter(1.0f, 0.0f)));
  EXPECT_EQ(to_double(largest_at_most<bfloat16>(1.0)), 1.0);
  EXPECT_EQ(to_double(largest_below<bfloat16>(1.0)), 1.0 - 0x1p-8);
  EXPECT_EQ(to_double(smallest_at_least<float16>(-0.01)), -0.0099945068359375);
  EXPECT_EQ(to_double(largest_below<double>(0.0)), -std::numeric_limits<double>::denorm_min());
}

}  // namespace
