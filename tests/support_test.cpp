// The support of every distribution in every dtype, tested at its edges:
// uniform's half-open / closed ends, truncated normal's exact support with no
// mass piled on a bound, and its shape for narrow and far-tail windows
// (Kolmogorov-Smirnov against the exact CDF of the rounded variable). Each
// statistical check has a negative control that must fail it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "fill_test_support.hpp"
#include "kernels/output_format.hpp"

namespace {

using namespace nninit;
using nninit::internal::next_down;
using nninit::internal::next_up;
using nninit::internal::to_double;
using nninit::testing::filled;

// ---- uniform ----------------------------------------------------------------

TEST(UniformSupport, FloatNeverReturnsHighEvenWhenRoundingWouldReachIt) {
  // width 2^-20 at 1: the working value 1 + width * u rounds up to high for the
  // top ~1/16 of u; the clamp keeps every value below high.
  const double low = 1.0, high = 1.0 + 0x1p-20;
  const auto out = filled<float>(1 << 16, Uniform{low, high}, Stream{5, 6});
  const float top = std::nextafter(static_cast<float>(high), 0.0f);
  std::size_t at_top = 0;
  for (float v : out) {
    ASSERT_GE(v, static_cast<float>(low));
    ASSERT_LT(static_cast<double>(v), high);
    at_top += (v == top);
  }
  EXPECT_GT(at_top, 0u);  // the largest value below high is reached
}

TEST(UniformSupport, DoubleNeverReturnsHigh) {
  const double low = 1.0, high = 1.0 + 0x1p-49;
  const auto out = filled<double>(1 << 16, Uniform{low, high}, Stream{5, 6});
  for (double v : out) {
    ASSERT_GE(v, low);
    ASSERT_LT(v, high);
  }
  const auto unit = filled<double>(1 << 16, Uniform{0.0, 1.0}, Stream{5, 7});
  EXPECT_EQ(*std::min_element(unit.begin(), unit.end()) >= 0.0, true);
  EXPECT_LT(*std::max_element(unit.begin(), unit.end()), 1.0);
}

// In bfloat16 / float16 a uniform on [-1, 1) rounded to nearest reaches 1.0
// with probability exactly 2^-10 (bf16) / 2^-13 (f16): the draws in
// [1 - half a step, 1). Rounding toward low instead (a half-open output)
// would give 0 and shift the mean by half a step.
template <class T>
void expect_edge_mass(int log2_mass, const char* name) {
  const std::size_t n = std::size_t{1} << 22;
  const auto out = filled<T>(n, Uniform{-1.0, 1.0}, Stream::named(11, name), 0, 2);
  std::size_t at_high = 0, at_low = 0, outside = 0;
  for (T v : out) {
    const double x = to_double(v);
    at_high += (x == 1.0);
    at_low += (x == -1.0);
    outside += (x < -1.0 || x > 1.0);
  }
  const double expected = std::ldexp(static_cast<double>(n), log2_mass);
  const double tolerance = 6.0 * std::sqrt(expected);
  EXPECT_EQ(outside, 0u);
  EXPECT_NEAR(static_cast<double>(at_high), expected, tolerance) << name;
  EXPECT_NEAR(static_cast<double>(at_low), expected, tolerance) << name;
}

TEST(UniformSupport, BFloat16ReachesBothEndsWithHalfAStepOfMass) {
  expect_edge_mass<bfloat16>(-10, "uniform-edges-bf16");
}

TEST(UniformSupport, Float16ReachesBothEndsWithHalfAStepOfMass) {
  expect_edge_mass<float16>(-13, "uniform-edges-f16");
}

// ---- truncated normal ---------------------------------------------------------

// Exact CDF of a truncated normal in long double, computed in the tail where
// the probabilities are small so far windows keep their precision.
struct TruncatedCdf {
  long double mean, stddev, alpha, beta, mass;
  bool upper_side;  // window at or above the mean: use the upper tail Q(z)

  explicit TruncatedCdf(const TruncatedNormal& d)
      : mean(d.mean), stddev(d.stddev) {
    alpha = std::max<long double>((d.lower - mean) / stddev, -40.0L);
    beta = std::min<long double>((d.upper - mean) / stddev, 40.0L);
    upper_side = alpha >= 0;
    mass = upper_side ? tail(alpha) - tail(beta) : lower(beta) - lower(alpha);
  }
  static long double lower(long double z) { return 0.5L * std::erfc(-z / std::sqrt(2.0L)); }
  static long double tail(long double z) { return 0.5L * std::erfc(z / std::sqrt(2.0L)); }
  long double operator()(long double x) const {
    const long double z = std::clamp((x - mean) / stddev, alpha, beta);
    const long double f = upper_side ? (tail(alpha) - tail(z)) / mass : (lower(z) - lower(alpha)) / mass;
    return std::clamp(f, 0.0L, 1.0L);
  }
};

// KS distance between a sample of T values and the CDF of the variable
// rounded to T: value v holds the mass between the midpoints to its neighbours.
template <class T>
double rounded_ks_distance(std::vector<T> sample, const TruncatedCdf& cdf) {
  std::sort(sample.begin(), sample.end(),
            [](T a, T b) { return to_double(a) < to_double(b); });
  const double n = static_cast<double>(sample.size());
  double distance = 0.0;
  std::size_t i = 0;
  while (i < sample.size()) {
    std::size_t j = i;
    while (j < sample.size() && to_double(sample[j]) == to_double(sample[i])) ++j;
    const double v = to_double(sample[i]);
    const double below = 0.5 * (to_double(next_down(sample[i])) + v);
    const double above = 0.5 * (v + to_double(next_up(sample[i])));
    distance = std::max(distance, std::fabs(static_cast<double>(i) / n - static_cast<double>(cdf(below))));
    distance = std::max(distance, std::fabs(static_cast<double>(j) / n - static_cast<double>(cdf(above))));
    i = j;
  }
  return distance;
}

struct Window {
  const char* name;
  TruncatedNormal distribution;
};

std::vector<Window> windows() {
  const double inf = std::numeric_limits<double>::infinity();
  return {
      {"standard +-2", {0.0, 1.0, -2.0, 2.0}},
      {"narrow +-0.01 std", {0.0, 1.0, -0.01, 0.01}},
      {"tail [2, 3] std", {0.0, 1.0, 2.0, 3.0}},
      {"far tail [4, 6] std", {0.0, 1.0, 4.0, 6.0}},
      {"far lower tail [-6, -4] std", {0.0, 1.0, -6.0, -4.0}},
      {"far tail [9, 10] std", {0.0, 1.0, 9.0, 10.0}},
      {"half normal [0, inf)", {0.0, 1.0, 0.0, inf}},
      {"small std 0.02, +-2 std", {0.0, 0.02, -0.04, 0.04}},
      {"small std 0.02, bounds +-2 absolute", {0.0, 0.02, -2.0, 2.0}},
      {"narrow off-centre", {1.0, 0.5, 1.5, 1.51}},
  };
}

constexpr std::size_t sample_size = 200'000;
// KS critical distance for alpha = 1e-6 at n = 200000 (Kolmogorov's limit).
const double ks_critical = std::sqrt(std::log(2.0 / 1e-6) / (2.0 * sample_size));

// Count at the lowest / highest output value against what rounding alone puts
// there; more than 6 standard errors above is a pile-up.
template <class T>
bool has_pile_up(const std::vector<T>& sample, const TruncatedCdf& cdf) {
  const auto [low_it, high_it] = std::minmax_element(
      sample.begin(), sample.end(), [](T a, T b) { return to_double(a) < to_double(b); });
  const T lowest = *low_it, highest = *high_it;
  const double n = static_cast<double>(sample.size());
  const double low_mass = static_cast<double>(cdf(0.5 * (to_double(lowest) + to_double(next_up(lowest)))));
  const double high_mass =
      1.0 - static_cast<double>(cdf(0.5 * (to_double(next_down(highest)) + to_double(highest))));
  std::size_t at_low = 0, at_high = 0;
  for (T v : sample) {
    at_low += to_double(v) == to_double(lowest);
    at_high += to_double(v) == to_double(highest);
  }
  const auto too_many = [n](std::size_t count, double mass) {
    return static_cast<double>(count) > n * mass + 6.0 * std::sqrt(n * mass) + 6.0;
  };
  return too_many(at_low, low_mass) || too_many(at_high, high_mass);
}

template <class T>
class TruncatedNormalSupport : public ::testing::Test {};
using OutputTypes = ::testing::Types<float, double, bfloat16, float16>;
TYPED_TEST_SUITE(TruncatedNormalSupport, OutputTypes);

TYPED_TEST(TruncatedNormalSupport, ExactSupportRightShapeNoPileUp) {
  using T = TypeParam;
  int index = 0;
  for (const Window& window : windows()) {
    const TruncatedNormal& d = window.distribution;
    const auto sample = filled<T>(sample_size, d, Stream{20261129, static_cast<std::uint64_t>(index++)}, 0, 2);
    for (T v : sample) {
      const double x = to_double(v);
      ASSERT_TRUE(x >= d.lower && x <= d.upper) << window.name << ": " << x;
    }
    const TruncatedCdf cdf(d);
    EXPECT_LT(rounded_ks_distance(sample, cdf), ks_critical) << window.name;
    EXPECT_FALSE(has_pile_up(sample, cdf)) << window.name;
  }
}

// Negative controls: the same checks must reject a wrong window and a
// truncated normal made by clamping (PyTorch-style clamp after inversion).
TEST(TruncatedNormalSupportControls, KsRejectsAShiftedWindow) {
  const auto sample = filled<float>(sample_size, TruncatedNormal{0, 1, 2.0, 3.0}, Stream{1, 1});
  const TruncatedCdf wrong(TruncatedNormal{0, 1, 2.02, 3.0});
  EXPECT_GT(rounded_ks_distance(sample, wrong), ks_critical);
}

TEST(TruncatedNormalSupportControls, PileUpCheckRejectsClamping) {
  auto sample = filled<bfloat16>(sample_size, Normal{0, 1}, Stream{1, 2});
  for (bfloat16& v : sample) v = to_bfloat16(std::clamp(to_float(v), -2.0f, 2.0f));
  const TruncatedCdf cdf(TruncatedNormal{0, 1, -2, 2});
  EXPECT_TRUE(has_pile_up(sample, cdf));
  EXPECT_GT(rounded_ks_distance(sample, cdf), ks_critical);
}

}  // namespace
