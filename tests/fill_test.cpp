// Reproducibility of fills: slices equal the whole bit for bit at any offset,
// any split and any thread count; sentinels around the output stay untouched;
// the documented word layout holds at huge offsets.
#include <gtest/gtest.h>

#include <bit>
#include <limits>
#include <random>

#include "fill_test_support.hpp"
#include "nninit/error.hpp"
#include "parallel_plan.hpp"

namespace {

using namespace nninit;
using nninit::testing::filled;
using nninit::testing::same_bits;
using nninit::testing::sample_distributions;

template <class T>
class FillTest : public ::testing::Test {};
using OutputTypes = ::testing::Types<float, double, bfloat16, float16>;
TYPED_TEST_SUITE(FillTest, OutputTypes);

// Counts {0, 1, L-1, L, L+1, 3L+1} for lane counts L in {2, 4, 8, 16}, at
// unaligned starts, with sentinels on both sides.
TYPED_TEST(FillTest, SlicesEqualTheWholeWithSentinelsUntouched) {
  using T = TypeParam;
  const Stream stream = Stream::named(2026, "slices");
  for (const Distribution& distribution : sample_distributions()) {
    const std::vector<T> whole = filled<T>(400, distribution, stream);
    for (std::size_t count : {0u, 1u, 3u, 4u, 5u, 7u, 8u, 9u, 13u, 15u, 16u, 17u, 25u, 49u}) {
      for (std::uint64_t start : {0u, 1u, 2u, 3u, 5u, 6u, 11u, 100u, 301u}) {
        // out[0] and out[count + 1] are sentinels; the fill starts one element in.
        std::vector<T> out(count + 2);
        std::memset(static_cast<void*>(out.data()), 0xA5, out.size() * sizeof(T));
        fill(std::span<T>(out.data() + 1, count), distribution, stream, FillOptions{start, 1});
        ASSERT_TRUE(same_bits(out.data() + 1, whole.data() + start, count))
            << describe(distribution) << " count " << count << " start " << start;
        const unsigned char* first = reinterpret_cast<const unsigned char*>(out.data());
        const unsigned char* last = reinterpret_cast<const unsigned char*>(out.data() + count + 1);
        for (std::size_t b = 0; b < sizeof(T); ++b) {
          ASSERT_EQ(first[b], 0xA5);
          ASSERT_EQ(last[b], 0xA5);
        }
      }
    }
  }
}

TYPED_TEST(FillTest, RandomSplitsEqualTheWhole) {
  using T = TypeParam;
  const Stream stream{99, 12345};
  std::mt19937_64 source(5);
  for (const Distribution& distribution : sample_distributions()) {
    const std::size_t total = 100'003;
    const std::vector<T> whole = filled<T>(total, distribution, stream);
    std::vector<T> pieces(total);
    std::size_t begin = 0;
    while (begin < total) {
      const std::size_t length =
          std::min<std::size_t>(total - begin, std::uniform_int_distribution<std::size_t>(1, 9000)(source));
      fill(std::span<T>(pieces.data() + begin, length), distribution, stream,
           FillOptions{begin, 2});
      begin += length;
    }
    ASSERT_TRUE(same_bits(pieces.data(), whole.data(), total)) << describe(distribution);
  }
}

TYPED_TEST(FillTest, ThreadCountNeverChangesABit) {
  using T = TypeParam;
  const Stream stream = Stream::named(7, "threads");
  for (const Distribution& distribution : sample_distributions()) {
    const std::size_t total = 3 * parallel_threshold + 12'345;
    const std::vector<T> one = filled<T>(total, distribution, stream, 17, 1);
    for (int threads : {2, 3, 8}) {
      const std::vector<T> many = filled<T>(total, distribution, stream, 17, threads);
      ASSERT_TRUE(same_bits(one.data(), many.data(), total))
          << describe(distribution) << " threads " << threads;
    }
  }
}

// Offsets of 2^40 and near 2^64: a run read in one piece equals the same
// elements read one at a time.
TYPED_TEST(FillTest, HugeOffsetsAreConsistent) {
  using T = TypeParam;
  const Stream stream{0xFFFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFFFull};
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();  // last element index
  for (const Distribution& distribution : sample_distributions()) {
    for (std::uint64_t offset : {std::uint64_t{1} << 40, (std::uint64_t{1} << 34) - 3,
                                 max - 40, max - 36}) {
      const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(37, max - offset + 1));
      const std::vector<T> run = filled<T>(count, distribution, stream, offset);
      for (std::size_t i = 0; i < count; ++i) {
        const std::vector<T> single = filled<T>(1, distribution, stream, offset + i);
        ASSERT_TRUE(same_bits(&run[i], single.data(), 1)) << describe(distribution) << " i " << i;
      }
    }
  }
}

TEST(FillLayout, UniformFloatReadsOneWordPerElement) {
  const Stream stream = Stream::named(1, "layout");
  const std::uint64_t offset = (std::uint64_t{1} << 40) + 3;
  const auto out = filled<float>(64, Uniform{-1.0, 1.0}, stream, offset);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const float u = static_cast<float>(stream.word(offset + i) >> 8) * 0x1p-24f;
    EXPECT_EQ(out[i], -1.0f + 2.0f * u);
  }
}

TEST(FillLayout, UniformDoubleReadsTwoWordsPerElement) {
  const Stream stream = Stream::named(1, "layout");
  const std::uint64_t offset = std::numeric_limits<std::uint64_t>::max() - 63;
  const auto out = filled<double>(64, Uniform{0.0, 1.0}, stream, offset);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::uint64_t element = offset + i;
    const auto block = stream.block(element / 2);
    const unsigned lane = static_cast<unsigned>(element % 2);
    const std::uint64_t word =
        (static_cast<std::uint64_t>(block[2 * lane + 1]) << 32) | block[2 * lane];
    EXPECT_EQ(out[i], static_cast<double>(word >> 11) * 0x1p-53);
  }
}

TEST(FillLayout, LowPrecisionOutputsAreTheRoundedFloatFill) {
  const Stream stream = Stream::named(3, "rounded");
  for (const Distribution& distribution : sample_distributions()) {
    const auto reference = filled<float>(5000, distribution, stream);
    const auto brain = filled<bfloat16>(5000, distribution, stream);
    const auto half = filled<float16>(5000, distribution, stream);
    for (std::size_t i = 0; i < reference.size(); ++i) {
      // Equal to the rounded float, except where the clamp into the
      // representable window moved a value by one step at a bound.
      const bfloat16 b = to_bfloat16(reference[i]);
      const float16 h = to_float16(reference[i]);
      EXPECT_LE(std::abs(static_cast<int>(b.bits) - static_cast<int>(brain[i].bits)), 1);
      EXPECT_LE(std::abs(static_cast<int>(h.bits) - static_cast<int>(half[i].bits)), 1);
    }
  }
}

TEST(FillParallel, SmallFillsStayOnTheCallingThread) {
  using nninit::internal::threads_for_fill;
  EXPECT_EQ(threads_for_fill(1000, 8, 8, parallel_threshold), 1);
  EXPECT_EQ(threads_for_fill(parallel_threshold - 1, 0, 8, parallel_threshold), 1);
  EXPECT_EQ(threads_for_fill(std::size_t{1} << 24, 0, 8, parallel_threshold), 8);
  EXPECT_EQ(threads_for_fill(std::size_t{1} << 24, 3, 8, parallel_threshold), 3);
  // Never more threads than chunks.
  EXPECT_EQ(threads_for_fill(parallel_threshold, 64, 64, parallel_threshold), 1);
}

TEST(FillParallel, OffsetPlusCountMayReachExactlyTwoToThe64) {
  std::vector<float> out(4);
  const std::uint64_t offset = std::numeric_limits<std::uint64_t>::max() - 3;
  EXPECT_NO_THROW(fill(std::span<float>(out), Normal{0, 1}, Stream{1, 2}, FillOptions{offset, 1}));
  std::vector<float> five(5);
  EXPECT_THROW(fill(std::span<float>(five), Normal{0, 1}, Stream{1, 2}, FillOptions{offset, 1}),
               nninit::invalid_argument);
}

}  // namespace
