// The in-place sorts against std::sort in IEEE totalOrder, on every path of
// the radix sort (insertion, least-significant-digit through the scratch,
// the bucketed in-place distribution, the recursion for a crowded prefix)
// and on the values that order subtly: -0 / +0, subnormals, infinities, NaNs.
#include "nninit/validation/in_place_sort.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace nninit::validation {
namespace {

// totalOrder on the bits: what sort_in_place promises.
template <class T, class Bits>
bool total_order_less(T a, T b) {
  const auto key = [](T x) {
    const auto bits = std::bit_cast<Bits>(x);
    constexpr Bits sign = Bits{1} << (sizeof(Bits) * 8 - 1);
    return (bits & sign) != 0 ? static_cast<Bits>(~bits) : static_cast<Bits>(bits | sign);
  };
  return key(a) < key(b);
}

template <class T, class Bits>
void expect_sorted_like_std(std::vector<T> values) {
  std::vector<T> expected = values;
  std::sort(expected.begin(), expected.end(), total_order_less<T, Bits>);
  sort_in_place(std::span<T>(values));
  ASSERT_EQ(values.size(), expected.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(std::bit_cast<Bits>(values[i]), std::bit_cast<Bits>(expected[i])) << "at " << i << " of " << values.size();
  }
}

template <class T>
std::vector<T> special_values() {
  using limits = std::numeric_limits<T>;
  return {T(0.0), -T(0.0), limits::denorm_min(), -limits::denorm_min(), limits::min(), -limits::min(),
          limits::max(), -limits::max(), limits::infinity(), -limits::infinity(), limits::quiet_NaN(),
          -limits::quiet_NaN(), limits::signaling_NaN(), T(1.0), T(-1.0), limits::epsilon()};
}

// Normal values (as a fill gives them) with the special values and many ties mixed in.
template <class T>
std::vector<T> mixed_sample(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal(0.0, 0.02);
  std::vector<T> values(n);
  const std::vector<T> special = special_values<T>();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t choice = engine() % 64;
    if (choice == 0) {
      values[i] = special[engine() % special.size()];
    } else if (choice < 8 && i > 0) {
      values[i] = values[engine() % i];  // a tie with an earlier value
    } else {
      values[i] = static_cast<T>(normal(engine));
    }
  }
  return values;
}

TEST(InPlaceSort, FloatMatchesStdSortOnEveryPath) {
  // Sizes below the insertion limit, on the scratch path (<= 2^16) and on the
  // distribution path (> 2^16, several buckets per 16-bit prefix range).
  for (const std::size_t n : {0u, 1u, 2u, 47u, 48u, 49u, 1000u, 1025u, 65536u, 65537u, 300000u, 1u << 21}) {
    expect_sorted_like_std<float, std::uint32_t>(mixed_sample<float>(n, 100 + n));
  }
}

TEST(InPlaceSort, DoubleMatchesStdSortOnEveryPath) {
  for (const std::size_t n : {0u, 1u, 47u, 49u, 1025u, 65537u, 400000u}) {
    expect_sorted_like_std<double, std::uint64_t>(mixed_sample<double>(n, 200 + n));
  }
}

TEST(InPlaceSort, SpecialValuesAloneAndNaNPlacement) {
  std::vector<float> values;
  for (int repeat = 0; repeat < 5000; ++repeat) {
    for (const float v : special_values<float>()) values.push_back(v);
  }
  expect_sorted_like_std<float, std::uint32_t>(values);
  sort_in_place(std::span<float>(values));
  // -NaN first, then -inf; +inf then +NaN last; -0 before +0.
  EXPECT_TRUE(std::isnan(values.front()) && std::signbit(values.front()));
  EXPECT_TRUE(std::isnan(values.back()) && !std::signbit(values.back()));
  const auto zero = std::find(values.begin(), values.end(), 0.0f);
  ASSERT_NE(zero, values.end());
  EXPECT_TRUE(std::signbit(*zero));
  EXPECT_FALSE(std::signbit(*(zero + 5000)));
}

TEST(InPlaceSort, CrowdedPrefixAndConstantAndPresortedInput) {
  // 90% of the values share their 16 highest key bits: the crowded bucket is
  // sorted recursively, not through a scratch of its size.
  std::mt19937_64 engine(7);
  std::vector<float> crowded(1u << 20);
  for (float& v : crowded) {
    const std::uint32_t low = static_cast<std::uint32_t>(engine()) & 0xFFFFu;
    v = engine() % 10 == 0 ? static_cast<float>(engine() % 1000) - 500.0f : std::bit_cast<float>(0x3F800000u | low);
  }
  expect_sorted_like_std<float, std::uint32_t>(crowded);
  expect_sorted_like_std<float, std::uint32_t>(std::vector<float>(200000, 0.25f));
  std::vector<double> ascending(200000), descending(200000);
  for (std::size_t i = 0; i < ascending.size(); ++i) {
    ascending[i] = static_cast<double>(i) - 1000.5;
    descending[i] = -ascending[i];
  }
  expect_sorted_like_std<double, std::uint64_t>(ascending);
  expect_sorted_like_std<double, std::uint64_t>(descending);
}

TEST(InPlaceSort, SixteenBitKeysByTheirValues) {
  // Every bit pattern of both formats, several times, shuffled: ordered by the
  // value they encode (bfloat16 and float16 are both sign-magnitude, so one
  // totalOrder on the bits serves both), NaNs by sign.
  for (const HalfFormat format : {HalfFormat::bfloat16, HalfFormat::float16}) {
    std::vector<std::uint16_t> bits;
    for (int repeat = 0; repeat < 3; ++repeat) {
      for (std::uint32_t b = 0; b < 65536; ++b) bits.push_back(static_cast<std::uint16_t>(b));
    }
    std::mt19937_64 engine(11);
    std::shuffle(bits.begin(), bits.end(), engine);
    sort_in_place(std::span<std::uint16_t>(bits), format);
    for (std::size_t i = 1; i < bits.size(); ++i) {
      const double a = half_bits_to_double(bits[i - 1], format), b = half_bits_to_double(bits[i], format);
      if (std::isnan(a) || std::isnan(b)) continue;
      ASSERT_LE(a, b) << i;
      if (a == b && a == 0.0) {
        ASSERT_FALSE(std::signbit(b) && !std::signbit(a)) << "+0 before -0 at " << i;
      }
    }
    EXPECT_TRUE(std::isnan(half_bits_to_double(bits.front(), format)));  // a NaN with the sign bit set
    EXPECT_TRUE(std::isnan(half_bits_to_double(bits.back(), format)));
    EXPECT_EQ(half_bits_to_double(bits[bits.size() / 2 - 1], format), 0.0);  // -0 ... then +0 in the middle
  }
}

TEST(HalfPrecision, ConversionsAgreeWithTheGrids) {
  for (const HalfFormat format : {HalfFormat::bfloat16, HalfFormat::float16}) {
    for (std::uint32_t b = 0; b < 65536; ++b) {
      const auto bits = static_cast<std::uint16_t>(b);
      const double x = half_bits_to_double(bits, format);
      EXPECT_EQ(half_bits_finite(bits, format), std::isfinite(x)) << b;
      if (!std::isfinite(x)) continue;
      ASSERT_TRUE(is_on_grid(x, grid_of(format))) << b;
      const auto back = double_to_half_bits(x, format);
      ASSERT_TRUE(back.has_value()) << b;
      EXPECT_EQ(*back, bits) << b;
    }
    // Values off the grid (and beyond it) have no bits.
    std::mt19937_64 engine(13);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (int i = 0; i < 100000; ++i) {
      const double x = normal(engine) * std::ldexp(1.0, static_cast<int>(engine() % 40) - 30);
      EXPECT_EQ(double_to_half_bits(x, format).has_value(), is_on_grid(x, grid_of(format))) << x;
    }
    EXPECT_FALSE(double_to_half_bits(1e6, HalfFormat::float16).has_value());
    EXPECT_FALSE(double_to_half_bits(std::ldexp(1.0, -25), HalfFormat::float16).has_value());
    EXPECT_TRUE(double_to_half_bits(std::ldexp(1.0, -24), HalfFormat::float16).has_value());
  }
}

}  // namespace
}  // namespace nninit::validation
