// Golden vectors: the first outputs of every distribution and dtype, pinned.
// These bits are stream version 1. If this test fails, an output bit changed:
// that is a breaking change which must be deliberate — bump
// nninit::stream_version, regenerate these vectors (NNINIT_PRINT_GOLDEN=1
// prints them in this file's syntax) and record it in CHANGELOG.md.
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fill_test_support.hpp"

namespace {

using namespace nninit;
using nninit::testing::bits_of;
using nninit::testing::filled;

struct GoldenCase {
  const char* name;
  Distribution distribution;
};

const GoldenCase golden_cases[] = {
    {"constant", Constant{0.1}},
    {"uniform", Uniform{-0.5, 0.75}},
    {"normal", Normal{0.25, 1.5}},
    {"truncated_normal", TruncatedNormal{0.0, 1.0, -2.0, 2.0}},
    {"truncated_normal_far_tail", TruncatedNormal{0.0, 1.0, 4.0, 6.0}},
};

constexpr std::size_t golden_count = 6;
// Also pinned: elements at a large offset, to fix the block/lane mapping.
constexpr std::uint64_t golden_far_offset = (std::uint64_t{1} << 40) + 1;

struct GoldenVector {
  const char* name;
  const char* dtype;
  std::uint64_t offset;
  std::vector<std::uint64_t> bits;
};

// clang-format off
const std::vector<GoldenVector> expected = {
// GOLDEN-BEGIN
// GOLDEN-END
};
// clang-format on

template <class T>
std::vector<std::uint64_t> golden_bits(const Distribution& distribution, std::uint64_t offset) {
  const auto values = filled<T>(golden_count, distribution, Stream::named(2026, "golden"), offset);
  std::vector<std::uint64_t> bits;
  for (T v : values) bits.push_back(bits_of(v));
  return bits;
}

std::vector<GoldenVector> actual_vectors() {
  std::vector<GoldenVector> all;
  for (const GoldenCase& c : golden_cases) {
    for (std::uint64_t offset : {std::uint64_t{0}, golden_far_offset}) {
      all.push_back({c.name, "f32", offset, golden_bits<float>(c.distribution, offset)});
      all.push_back({c.name, "f64", offset, golden_bits<double>(c.distribution, offset)});
      all.push_back({c.name, "bf16", offset, golden_bits<bfloat16>(c.distribution, offset)});
      all.push_back({c.name, "f16", offset, golden_bits<float16>(c.distribution, offset)});
    }
  }
  return all;
}

TEST(Golden, StreamVersionIsOne) { EXPECT_EQ(nninit::stream_version, 1); }

TEST(Golden, FirstOutputsOfEveryDistributionAndDtypeArePinned) {
  const auto actual = actual_vectors();
  if (std::getenv("NNINIT_PRINT_GOLDEN") != nullptr) {
    for (const GoldenVector& v : actual) {
      std::printf("{\"%s\", \"%s\", %" PRIu64 "u, {", v.name, v.dtype, v.offset);
      for (std::size_t i = 0; i < v.bits.size(); ++i) {
        std::printf("%s0x%" PRIx64, i ? ", " : "", v.bits[i]);
      }
      std::printf("}},\n");
    }
  }
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].bits, expected[i].bits)
        << actual[i].name << " " << actual[i].dtype << " offset " << actual[i].offset;
  }
}

}  // namespace
