// sort_total_order (the battery's sort, vector_sort.hpp) against the in-place
// radix sort in IEEE totalOrder, bit for bit, on the vector path where this
// CPU has it and on the radix path, with many -0 / +0 (Highway's sort of the
// floating-point values themselves fails on them), subnormals, infinities,
// NaNs of both signs and ties.
#include "../src/vector_sort.hpp"

#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "../src/radix_sort.hpp"

namespace nninit::validation::internal {
namespace {

// Normal values (as a fill gives them), one in eight a signed zero, one in 64
// a special value, one in eight a tie with an earlier value.
template <class T>
std::vector<T> mixed_sample(std::size_t n, std::uint64_t seed) {
  using limits = std::numeric_limits<T>;
  const T special[] = {limits::denorm_min(), -limits::denorm_min(), limits::min(), -limits::min(), limits::max(),
                       -limits::max(), limits::infinity(), -limits::infinity(), limits::quiet_NaN(),
                       -limits::quiet_NaN(), T(1), T(-1)};
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal(0.0, 0.02);
  std::vector<T> values(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t choice = engine() % 64;
    if (choice < 8) {
      values[i] = (engine() & 1) != 0 ? -T(0) : T(0);
    } else if (choice == 8) {
      values[i] = special[engine() % std::size(special)];
    } else if (choice < 16 && i > 0) {
      values[i] = values[engine() % i];
    } else {
      values[i] = static_cast<T>(normal(engine));
    }
  }
  return values;
}

template <class T, class Bits>
void expect_radix_bits(std::vector<T> values) {
  std::vector<T> expected = values;
  sort_in_place_by_key(std::span<T>(expected), [](T x) noexcept { return total_order_key(x); });
  sort_total_order(std::span<T>(values));
  ASSERT_EQ(values.size(), expected.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(std::bit_cast<Bits>(values[i]), std::bit_cast<Bits>(expected[i])) << "at " << i << " of " << values.size();
  }
}

class SortTotalOrder : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    set_vector_sort_allowed(GetParam());
    if (GetParam() && !vector_sort_in_use()) GTEST_SKIP() << "SKIPPED: this CPU has neither AVX2 nor AVX-512";
  }
  void TearDown() override { set_vector_sort_allowed(true); }
};

TEST_P(SortTotalOrder, GivesTheRadixSortsBitsForFloat) {
  for (const std::size_t n : {0u, 1u, 2u, 17u, 1000u, 70000u, 1500000u}) {
    expect_radix_bits<float, std::uint32_t>(mixed_sample<float>(n, 20261205 + n));
  }
  expect_radix_bits<float, std::uint32_t>(std::vector<float>(5000, -0.0f));
  expect_radix_bits<float, std::uint32_t>(std::vector<float>(5000, 0.0f));
}

TEST_P(SortTotalOrder, GivesTheRadixSortsBitsForDouble) {
  for (const std::size_t n : {0u, 1u, 3u, 999u, 70000u, 600000u}) {
    expect_radix_bits<double, std::uint64_t>(mixed_sample<double>(n, 20261206 + n));
  }
}

INSTANTIATE_TEST_SUITE_P(Paths, SortTotalOrder, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& path) { return path.param ? "Vector" : "Radix"; });

// The AVX2 compilation of the vector sort, where the CPU would choose AVX-512.
TEST(SortTotalOrder, TheAvx2CompilationGivesTheSameBits) {
  set_vector_sort_allowed(true);
  if (!vector_sort_in_use()) GTEST_SKIP() << "SKIPPED: this CPU has neither AVX2 nor AVX-512";
#if HWY_ARCH_X86
  if ((hwy::SupportedTargets() & HWY_AVX2) == 0) GTEST_SKIP() << "SKIPPED: this CPU has no AVX2";
  hwy::DisableTargets(HWY_AVX3 | HWY_AVX3_DL);
  expect_radix_bits<float, std::uint32_t>(mixed_sample<float>(1500000, 11));
  expect_radix_bits<double, std::uint64_t>(mixed_sample<double>(600000, 12));
  hwy::DisableTargets(0);
#endif
}

// The comparison can fail: a sort that orders the zeros otherwise (here:
// every +0 first) differs from totalOrder in its bits.
TEST(SortTotalOrder, NegativeControlZerosOutOfTotalOrderAreSeen) {
  std::vector<float> values = mixed_sample<float>(10000, 7);
  std::erase_if(values, [](float x) { return std::isnan(x); });
  std::vector<float> expected = values;
  sort_in_place_by_key(std::span<float>(expected), [](float x) noexcept { return total_order_key(x); });
  std::sort(values.begin(), values.end(),
            [](float a, float b) { return a < b || (a == b && !std::signbit(a) && std::signbit(b)); });
  EXPECT_NE(0, std::memcmp(values.data(), expected.data(), values.size() * sizeof(float)));
}

}  // namespace
}  // namespace nninit::validation::internal
