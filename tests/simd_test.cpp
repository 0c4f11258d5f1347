// The SIMD kernels (lib/src/simd) against the scalar reference
// (kernels/fill_range.hpp, nninit::philox4x32_10), bit for bit, on every
// compiled target this CPU supports: every distribution and dtype, counts
// around the lane counts, unaligned outputs, offsets up to the last element
// index 2^64 - 1, random slices, regular and streaming stores; and the public
// nninit::fill, which runs on these kernels.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "fill_plan.hpp"
#include "kernels/fill_range.hpp"
#include "nninit/error.hpp"
#include "nninit/fill.hpp"
#include "simd/simd_fill.hpp"

namespace {

using namespace nninit;
using internal::FillKind;
using internal::FillPlan;
namespace simd = nninit::internal::simd;

// Runs `body(name)` once per compiled target the CPU supports, with dispatch
// restricted to that target, then restores the dispatch to the best target.
void for_each_target(const std::function<void(const std::string&)>& body) {
  const std::int64_t runnable = simd::runnable_targets();
  for (std::int64_t bits = runnable; bits != 0; bits &= bits - 1) {
    const std::int64_t target = bits & -bits;
    simd::restrict_targets_for_test(target);
    const std::string name = simd::dispatched_target_name();
    EXPECT_EQ(name, simd::target_name(target)) << "dispatch did not follow the restriction";
    body(name);
  }
  simd::restrict_targets_for_test(0);
}

template <class Names>
std::string joined(const Names& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : " ") + name;
  return text;
}

// The scalar reference for any plan.
template <class T>
void reference_fill(const FillPlan<T>& plan, T* out, std::uint64_t first_index, std::size_t count,
                    const Stream& stream) {
  switch (plan.kind) {
    case FillKind::constant:
      std::fill(out, out + count, plan.constant_value);
      return;
    case FillKind::uniform:
      internal::fill_range(out, first_index, count, stream, plan.uniform, plan.clamp_low,
                           plan.clamp_high);
      return;
    case FillKind::normal:
      internal::fill_range(out, first_index, count, stream, plan.normal, plan.clamp_low,
                           plan.clamp_high);
      return;
    case FillKind::truncated_normal:
      internal::fill_range(out, first_index, count, stream, plan.truncated_normal,
                           plan.clamp_low, plan.clamp_high);
      return;
  }
}

template <class T>
std::uint64_t bits_of(T value) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(T));
  return bits;
}

std::string hex(std::uint64_t bits) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(bits));
  return text;
}

// Index of the first element whose bits differ, or count.
template <class T>
std::size_t first_difference(const T* a, const T* b, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if (bits_of(a[i]) != bits_of(b[i])) return i;
  }
  return count;
}

// Distributions that reach every branch: clamps that bind, +0 and -0 near a
// bound, Box-Muller with zero stddev, central and both tails of the inverse
// CDF including its far rational (r > 5), float16 subnormals and its top.
std::vector<Distribution> distributions() {
  return {Constant{0.25},
          Constant{-3.0e-6},
          Uniform{-0.5, 0.75},
          Uniform{0.0, 1.0},
          Uniform{-1.0, 1.0},
          Uniform{1.0, 1.0 + 1.0e-7},
          Uniform{-1.0e-5, 1.0e-5},
          Uniform{-60000.0, 65000.0},
          Uniform{0.0, 1.0e-35},  // width * 2^-24 subnormal: the unfolded product
          Uniform{-1.0e-300, 1.0e-300},
          Normal{0.1, 2.0},
          Normal{0.0, 1.0},
          Normal{-3.0, 0.0},
          Normal{0.0, 1.0e-6},
          TruncatedNormal{0.0, 1.0, -2.0, 2.0},
          TruncatedNormal{0.0, 1.0, 0.0, 1.0},
          TruncatedNormal{0.0, 1.0, -1.0, 0.0},
          TruncatedNormal{0.0, 1.0, -0.01, 0.01},
          TruncatedNormal{0.0, 1.0e-6, -3.0e-6, 1.0e-6},
          truncated_normal_in_stddevs(1.0, 0.5, 4.0, 6.0),
          truncated_normal_in_stddevs(0.0, 1.0, -10.0, -9.0),
          truncated_normal_in_stddevs(0.0, 1.0, 6.0, 1.0e9),
          truncated_normal_in_stddevs(0.0, 1.0, -1.0e9, 1.0)};
}

// The plan, or nothing when the distribution is invalid for T.
template <class T>
bool try_plan(const Distribution& distribution, FillPlan<T>& plan) {
  try {
    plan = internal::plan_fill<T>(distribution);
    return true;
  } catch (const nninit::invalid_argument&) {
    return false;
  }
}

// simd::fill of [first_index, first_index + count) into a buffer at element
// offset `shift` with sentinels around it, against `expected`.
template <class T>
::testing::AssertionResult matches(const std::vector<T>& expected, const FillPlan<T>& plan,
                                   const Stream& stream, std::uint64_t first_index,
                                   std::size_t shift, simd::StoreHint hint) {
  const std::size_t count = expected.size();
  std::vector<T> buffer(count + shift + 1);
  std::memset(static_cast<void*>(buffer.data()), 0xA5, buffer.size() * sizeof(T));
  simd::fill(plan, buffer.data() + shift, first_index, count, stream, hint);
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(buffer.data());
  for (std::size_t b = 0; b < shift * sizeof(T); ++b) {
    if (bytes[b] != 0xA5) return ::testing::AssertionFailure() << "wrote before the output";
  }
  for (std::size_t b = (shift + count) * sizeof(T); b < buffer.size() * sizeof(T); ++b) {
    if (bytes[b] != 0xA5) return ::testing::AssertionFailure() << "wrote after the output";
  }
  const std::size_t i = first_difference(buffer.data() + shift, expected.data(), count);
  if (i == count) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "element " << i << " of " << count << " (index " << first_index + i
         << "): simd bits " << hex(bits_of(buffer[shift + i])) << ", reference "
         << hex(bits_of(expected[i])) << " (" << internal::to_double(buffer[shift + i])
         << " vs " << internal::to_double(expected[i]) << ")";
}

// Where the output starts and how it is stored.
struct Placement {
  std::size_t shift;  // elements between the (aligned) allocation and out[0]
  simd::StoreHint hint;
};
const std::vector<Placement> every_placement = {{0, simd::StoreHint::regular},
                                                {1, simd::StoreHint::regular},
                                                {3, simd::StoreHint::regular},
                                                {0, simd::StoreHint::streaming},
                                                {5, simd::StoreHint::streaming}};

// The reference once, then simd::fill on every runnable target at every
// placement; `targets` collects the names of the targets that ran.
template <class T>
::testing::AssertionResult matches_reference_on_every_target(
    const FillPlan<T>& plan, const Stream& stream, std::uint64_t first_index, std::size_t count,
    const std::vector<Placement>& placements, std::set<std::string>& targets) {
  std::vector<T> expected(count);
  reference_fill(plan, expected.data(), first_index, count, stream);
  ::testing::AssertionResult result = ::testing::AssertionSuccess();
  for_each_target([&](const std::string& target) {
    targets.insert(target);
    for (const Placement& placement : placements) {
      if (!result) return;
      result = matches(expected, plan, stream, first_index, placement.shift, placement.hint);
      if (!result) {
        result << "; target " << target << ", shift " << placement.shift
               << (placement.hint == simd::StoreHint::streaming ? ", streaming" : ", regular")
               << ", first index " << first_index << ", count " << count;
      }
    }
  });
  return result;
}

template <class T>
class SimdFillTest : public ::testing::Test {};
using OutputTypes = ::testing::Types<float, double, bfloat16, float16>;
TYPED_TEST_SUITE(SimdFillTest, OutputTypes);

// Counts {0, 1, L-1, L, L+1, 3L+1} for every L the kernels step by (lanes
// 4..16 times blocks, times groups), at unaligned outputs and offsets from 0
// to the last element index.
TYPED_TEST(SimdFillTest, EqualsScalarReferenceAtEdgeCounts) {
  using T = TypeParam;
  std::vector<std::size_t> counts = {0};
  for (std::size_t lanes : {2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u}) {
    for (std::size_t count : {lanes - 1, lanes, lanes + 1, 3 * lanes + 1}) counts.push_back(count);
  }
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  const Stream stream = Stream::named(2026, "simd");
  std::set<std::string> targets;
  for (const Distribution& distribution : distributions()) {
    FillPlan<T> plan;
    if (!try_plan(distribution, plan)) continue;
    SCOPED_TRACE(describe(distribution));
    for (const std::size_t count : counts) {
      const std::uint64_t last_start = std::numeric_limits<std::uint64_t>::max() - count + 1;
      const std::uint64_t block_wrap = (std::uint64_t{1} << 32) * 4 - 7;  // c0 wraps, c1 carries
      for (const std::uint64_t first :
           {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{3}, std::uint64_t{6}, block_wrap,
            (std::uint64_t{1} << 40) + 1, last_start}) {
        ASSERT_TRUE(matches_reference_on_every_target(plan, stream, first, count, every_placement,
                                                      targets));
      }
    }
  }
  std::cout << "[ targets  ] " << joined(targets) << "\n";
  EXPECT_FALSE(targets.empty());
}

TYPED_TEST(SimdFillTest, EqualsScalarReferenceOnRandomSlices) {
  using T = TypeParam;
  std::set<std::string> targets;
  std::mt19937_64 source(17);
  for (const Distribution& distribution : distributions()) {
    FillPlan<T> plan;
    if (!try_plan(distribution, plan)) continue;
    SCOPED_TRACE(describe(distribution));
    for (int trial = 0; trial < 24; ++trial) {
      const Stream stream{source(), source()};
      const std::size_t count = static_cast<std::size_t>(source() % 700);
      std::uint64_t first = source();
      if (trial % 3 == 0) first %= 100'000;  // small offsets too
      first = std::min(first, std::numeric_limits<std::uint64_t>::max() - count + 1);
      const Placement placement{static_cast<std::size_t>(source() % 8),
                                trial % 2 ? simd::StoreHint::streaming : simd::StoreHint::regular};
      ASSERT_TRUE(
          matches_reference_on_every_target(plan, stream, first, count, {placement}, targets));
    }
  }
  std::cout << "[ targets  ] " << joined(targets) << "\n";
}

TYPED_TEST(SimdFillTest, EqualsScalarReferenceOnLargeFills) {
  using T = TypeParam;
  const Stream stream{7, 99};
  std::set<std::string> targets;
  for (const Distribution& distribution :
       {Distribution{Uniform{-0.1, 0.1}}, Distribution{Normal{0.0, 0.02}},
        Distribution{TruncatedNormal{0.0, 1.0, -2.0, 2.0}}, Distribution{Constant{1.5}}}) {
    FillPlan<T> plan;
    ASSERT_TRUE(try_plan(distribution, plan));
    SCOPED_TRACE(describe(distribution));
    for (const std::size_t count : {std::size_t{65'536}, std::size_t{100'003}}) {
      ASSERT_TRUE(matches_reference_on_every_target(
          plan, stream, 0, count, {{0, simd::StoreHint::regular}, {0, simd::StoreHint::streaming}},
          targets));
      ASSERT_TRUE(matches_reference_on_every_target(
          plan, stream, 5, count, {{1, simd::StoreHint::regular}, {1, simd::StoreHint::streaming}},
          targets));
    }
  }
  std::cout << "[ targets  ] " << joined(targets) << "\n";
}

// Plans made by hand, outside what plan_fill accepts, so that the rounding
// and the clamp meet NaN (with payloads, signalling too), infinities, float16
// overflow and subnormals, and signed zeros at the clamp (std::max/std::min
// keep their first argument on ties).
template <class T>
std::vector<FillPlan<T>> hand_made_plans() {
  using W = typename internal::OutputFormat<T>::Working;
  using Bits = std::conditional_t<sizeof(W) == 4, std::uint32_t, std::uint64_t>;
  const auto from_bits = [](Bits bits) { return std::bit_cast<W>(bits); };
  const W inf = std::numeric_limits<W>::infinity();
  // Quiet, with payload bits that rounding to 16 bits would carry upwards.
  const W quiet_nan_with_payload = sizeof(W) == 4 ? from_bits(static_cast<Bits>(0xFFC1C001u))
                                                  : from_bits(static_cast<Bits>(0xFFF8123456789ABCull));
  const W largest_quiet_nan = sizeof(W) == 4 ? from_bits(static_cast<Bits>(0x7FFFFFFFu))
                                             : from_bits(static_cast<Bits>(0x7FFFFFFFFFFFFFFFull));
  const W signalling_nan = sizeof(W) == 4 ? from_bits(static_cast<Bits>(0x7F812345u))
                                          : from_bits(static_cast<Bits>(0x7FF0000000012345ull));
  struct Case {
    FillKind kind;
    W a, b, low, high;  // uniform: low, width; normal: mean, stddev
  };
  const std::vector<Case> cases = {
      {FillKind::uniform, W(-1e-30), W(2e-30), W(0), -W(0)},
      {FillKind::uniform, -W(0), -W(0), W(0), W(0)},  // -0 meets a +0 bound
      {FillKind::uniform, W(0), W(0), -W(0), -W(0)},  // +0 meets a -0 bound
      {FillKind::uniform, W(-1e-30), W(2e-30), -inf, inf},
      {FillKind::uniform, W(-1e-9), W(2e-9), -W(0), W(0)},
      {FillKind::uniform, quiet_nan_with_payload, W(1), -inf, inf},
      {FillKind::uniform, signalling_nan, W(1), W(-1), W(1)},
      {FillKind::uniform, largest_quiet_nan, W(1), -inf, inf},
      {FillKind::uniform, W(0), quiet_nan_with_payload, -inf, inf},
      {FillKind::uniform, inf, W(0), -inf, inf},
      {FillKind::uniform, -inf, inf, -inf, inf},
      {FillKind::uniform, W(65000), W(1000), -inf, inf},
      {FillKind::uniform, W(65504), W(32), W(0), inf},
      {FillKind::uniform, W(6.0e-5), W(2e-6), -inf, inf},
      {FillKind::uniform, W(-2e-8), W(4e-8), -inf, inf},
      {FillKind::uniform, W(1e-30), W(1e-38), -inf, inf},
      {FillKind::normal, W(0), inf, -inf, inf},
      {FillKind::normal, quiet_nan_with_payload, W(1), -inf, inf},
      {FillKind::normal, W(0), W(1e-30), W(0), -W(0)},
      {FillKind::normal, W(1e30), W(1e30), -inf, inf},
      {FillKind::truncated_normal, W(0), W(1), W(-0.5), W(0.5)},
  };
  std::vector<FillPlan<T>> plans;
  for (const Case& c : cases) {
    FillPlan<T> plan;
    plan.kind = c.kind;
    plan.uniform.low = c.a;
    plan.uniform.width = c.b;
    plan.normal.mean = c.a;
    plan.normal.stddev = c.b;
    plan.clamp_low = c.low;
    plan.clamp_high = c.high;
    plans.push_back(plan);
  }
  // Truncated normal with nonsense parameters: negative and NaN probabilities
  // reach log and sqrt in the tails, and both tails and the far rational.
  const W nan = std::numeric_limits<W>::quiet_NaN();
  for (const internal::TruncatedNormalParameters<W>& parameters :
       {internal::TruncatedNormalParameters<W>{W(-0.6), W(-0.1), W(0.3), W(1.2), W(0), W(1)},
        internal::TruncatedNormalParameters<W>{W(-0.5), W(1e-30), W(1e-30), W(1), W(0), W(2)},
        internal::TruncatedNormalParameters<W>{nan, W(0.1), W(0.1), W(0.5), W(0), W(1)},
        internal::TruncatedNormalParameters<W>{W(-0.2), nan, W(0.2), W(0.9), W(3), W(1)},
        internal::TruncatedNormalParameters<W>{W(-0.2), W(0.1), nan, W(0.9), W(0), W(1)},
        // q = u * 1e-30: squares below the smallest normal in the central piece
        internal::TruncatedNormalParameters<W>{W(0), W(0.5), W(0.5), W(1e-30), W(0), W(1)}}) {
    FillPlan<T> plan;
    plan.kind = FillKind::truncated_normal;
    plan.truncated_normal.parameters = parameters;
    plan.clamp_low = -inf;
    plan.clamp_high = inf;
    plans.push_back(plan);
  }
  return plans;
}

TYPED_TEST(SimdFillTest, EqualsScalarReferenceOnHandMadePlans) {
  using T = TypeParam;
  const Stream stream{3, 4};
  const std::vector<FillPlan<T>> plans = hand_made_plans<T>();
  std::set<std::string> targets;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    SCOPED_TRACE("hand-made plan " + std::to_string(i));
    ASSERT_TRUE(
        matches_reference_on_every_target(plans[i], stream, 2, 777, every_placement, targets));
    ASSERT_TRUE(
        matches_reference_on_every_target(plans[i], stream, 0, 256, every_placement, targets));
  }
  std::cout << "[ targets  ] " << joined(targets) << "\n";
}

// The vector Philox against nninit::philox4x32_10 (through Stream::block) for
// random keys and counters, runs of every length around the step sizes,
// carries from the low into the high counter word, and the 2^64 wrap.
TEST(SimdPhilox, EqualsScalarPhiloxForRandomCountersAndKeys) {
  std::set<std::string> targets;
  std::mt19937_64 source(4);
  std::vector<std::uint32_t> words;
  std::vector<std::uint32_t> expected;
  for (int trial = 0; trial < 3000 && !::testing::Test::HasFailure(); ++trial) {
    const Stream stream{source(), source()};
    std::uint64_t first = source();
    if (trial % 4 == 1) first = (first & 0xFFFFFFFF00000000u) | (0xFFFFFFFFu - source() % 70);
    if (trial % 4 == 2) first = std::numeric_limits<std::uint64_t>::max() - source() % 70;
    const std::size_t count =
        trial < 200 ? static_cast<std::size_t>(trial) : static_cast<std::size_t>(source() % 160);
    expected.clear();
    for (std::size_t b = 0; b < count; ++b) {
      const PhiloxBlock block = stream.block(first + b);
      expected.insert(expected.end(), block.begin(), block.end());
    }
    for_each_target([&](const std::string& target) {
      targets.insert(target);
      words.assign(4 * count + 1, 0xDEADBEEFu);
      simd::philox_words(stream, first, count, words.data());
      const std::size_t i = first_difference(words.data(), expected.data(), 4 * count);
      EXPECT_EQ(i, 4 * count) << target << ": block " << first + i / 4 << " word " << i % 4
                              << " seed " << stream.seed << " id " << stream.id;
      EXPECT_EQ(words[4 * count], 0xDEADBEEFu) << target << ": wrote past the end";
    });
  }
  std::cout << "[ targets  ] " << joined(targets) << "\n";
}

TEST(SimdPhilox, KnownAnswer) {
  for_each_target([&](const std::string& target) {
    std::uint32_t words[4] = {};
    simd::philox_words(Stream{0, 0}, 0, 1, words);
    EXPECT_EQ(words[0], 0x6627E8D5u) << target;
    EXPECT_EQ(words[0], philox4x32_10({0, 0, 0, 0}, {0, 0})[0]) << target;
  });
}

TEST(SimdTargets, EveryRunnableTargetIsCompiledAndTheBestIsDispatched) {
  const std::int64_t compiled = simd::compiled_targets();
  const std::int64_t runnable = simd::runnable_targets();
  EXPECT_NE(runnable, 0);
  EXPECT_EQ(runnable & ~compiled, 0);
  std::vector<std::string> compiled_names;
  for (std::int64_t bits = compiled; bits != 0; bits &= bits - 1) {
    compiled_names.push_back(simd::target_name(bits & -bits));
  }
  std::cout << "[ compiled ] " << joined(compiled_names) << "\n";
  // Highway's bits: the better target has the lower bit.
  EXPECT_STREQ(simd::dispatched_target_name(), simd::target_name(runnable & -runnable));
  std::cout << "[ dispatch ] " << simd::dispatched_target_name() << "\n";
}

// The public fill (chunked, parallel, streaming above a quarter of the
// last-level cache) equals the scalar reference.
template <class T>
void expect_public_fill_matches(const Distribution& distribution, std::size_t count,
                                std::uint64_t offset, int threads) {
  const Stream stream = Stream::named(11, "public");
  const FillPlan<T> plan = internal::plan_fill<T>(distribution);
  std::vector<T> expected(count);
  reference_fill(plan, expected.data(), offset, count, stream);
  std::vector<T> out(count);
  fill(std::span<T>(out), distribution, stream, FillOptions{offset, threads});
  const std::size_t i = first_difference(out.data(), expected.data(), count);
  EXPECT_EQ(i, count) << describe(distribution) << " count " << count << " offset " << offset
                      << " threads " << threads << ": first difference at " << i;
}

TYPED_TEST(SimdFillTest, PublicFillEqualsScalarReference) {
  using T = TypeParam;
  for (const Distribution& distribution :
       {Distribution{Uniform{-0.5, 0.5}}, Distribution{Normal{0.0, 1.0}},
        Distribution{TruncatedNormal{0.0, 1.0, -2.0, 2.0}}, Distribution{Constant{0.5}}}) {
    expect_public_fill_matches<T>(distribution, 1000, 3, 1);
    expect_public_fill_matches<T>(distribution, 300'007, 1, 2);
    // Large enough for streaming stores on any last-level cache up to 32 MiB.
    expect_public_fill_matches<T>(distribution, (std::size_t{9} << 20) / sizeof(T) + 5, 0, 2);
  }
}

}  // namespace
