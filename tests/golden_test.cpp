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
{"constant", "f32", 0u, {0x3dcccccd, 0x3dcccccd, 0x3dcccccd, 0x3dcccccd, 0x3dcccccd, 0x3dcccccd}},
{"constant", "f64", 0u, {0x3fb999999999999a, 0x3fb999999999999a, 0x3fb999999999999a, 0x3fb999999999999a, 0x3fb999999999999a, 0x3fb999999999999a}},
{"constant", "bf16", 0u, {0x3dcd, 0x3dcd, 0x3dcd, 0x3dcd, 0x3dcd, 0x3dcd}},
{"constant", "f16", 0u, {0x2e66, 0x2e66, 0x2e66, 0x2e66, 0x2e66, 0x2e66}},
{"constant", "f32", 1099511627777u, {0x3dcccccd, 0x3dcccccd, 0x3dcccccd, 0x3dcccccd, 0x3dcccccd, 0x3dcccccd}},
{"constant", "f64", 1099511627777u, {0x3fb999999999999a, 0x3fb999999999999a, 0x3fb999999999999a, 0x3fb999999999999a, 0x3fb999999999999a, 0x3fb999999999999a}},
{"constant", "bf16", 1099511627777u, {0x3dcd, 0x3dcd, 0x3dcd, 0x3dcd, 0x3dcd, 0x3dcd}},
{"constant", "f16", 1099511627777u, {0x2e66, 0x2e66, 0x2e66, 0x2e66, 0x2e66, 0x2e66}},
{"uniform", "f32", 0u, {0x3f16a1a4, 0x3e477454, 0xbe8f3698, 0x3f15350c, 0x3f383390, 0xbe38d1c2}},
{"uniform", "f64", 0u, {0x3fc8ee8ad7eb50d0, 0x3fe2a6a1691f0c96, 0xbfc71a381123e638, 0x3fe5579e4e3d9796, 0xbfdfa036ae5dc06c, 0x3fdb14fba87526a2}},
{"uniform", "bf16", 0u, {0x3f17, 0x3e47, 0xbe8f, 0x3f15, 0x3f38, 0xbe39}},
{"uniform", "f16", 0u, {0x38b5, 0x323c, 0xb47a, 0x38aa, 0x39c2, 0xb1c7}},
{"uniform", "f32", 1099511627777u, {0x3e8f8a2e, 0x3e23054c, 0x3e8d21a8, 0x3e453598, 0xbe7eda78, 0x3e47c560}},
{"uniform", "f64", 1099511627777u, {0x3fdde708844b6894, 0x3fe6e3122dd688a4, 0xbfdbaf19d391f874, 0x3fdb5848e8a2ba90, 0xbfbbd2ef5478be58, 0xbfdb5b0b3a532d5e}},
{"uniform", "bf16", 1099511627777u, {0x3e90, 0x3e23, 0x3e8d, 0x3e45, 0xbe7f, 0x3e48}},
{"uniform", "f16", 1099511627777u, {0x347c, 0x3118, 0x3469, 0x322a, 0xb3f7, 0x323e}},
{"normal", "f32", 0u, {0xbefb8008, 0xbcad9f50, 0x40075cfe, 0xbfea74ec, 0x3e73f9d1, 0x3f153f5e}},
{"normal", "f64", 0u, {0x3ff86727bebff37a, 0xbff2c5df41ef3296, 0x3ff4db5e24ff5755, 0xbfcbd0a414732710, 0x3fcea9223f32e4ff, 0x3fbae9f01a182368}},
{"normal", "bf16", 0u, {0xbefc, 0xbcae, 0x4007, 0xbfea, 0x3e74, 0x3f15}},
{"normal", "f16", 0u, {0xb7dc, 0xa56d, 0x403b, 0xbf54, 0x33a0, 0x38aa}},
{"normal", "f32", 1099511627777u, {0xbecd75b8, 0xbf7bb260, 0xbf6a65f0, 0x3f3eb728, 0x3fe6cb9a, 0xbf520c70}},
{"normal", "f64", 1099511627777u, {0xc0021b208796868c, 0x40102527d0e37af5, 0x3ff95c28aefcc64a, 0xbfe67b0018149a0f, 0x400437ddc74ad51a, 0xbfc956d5a559a6d4}},
{"normal", "bf16", 1099511627777u, {0xbecd, 0xbf7c, 0xbf6a, 0x3f3f, 0x3fe7, 0xbf52}},
{"normal", "f16", 1099511627777u, {0xb66c, 0xbbde, 0xbb53, 0x39f6, 0x3f36, 0xba90}},
{"truncated_normal", "f32", 0u, {0x3f86cc61, 0x3e092d61, 0xbf5fd619, 0x3f8472aa, 0x3fd7a825, 0xbf1f6b7a}},
{"truncated_normal", "f64", 0u, {0x3fc125ace129a10a, 0x3ff08e555ca997e1, 0xbfe3ed6fa2e55f83, 0x3ff5d5e5328686e3, 0xbffec647d0878351, 0x3fe36299bc780309}},
{"truncated_normal", "bf16", 0u, {0x3f87, 0x3e09, 0xbf60, 0x3f84, 0x3fd8, 0xbf1f}},
{"truncated_normal", "f16", 0u, {0x3c36, 0x3049, 0xbaff, 0x3c24, 0x3ebd, 0xb8fb}},
{"truncated_normal", "f32", 1099511627777u, {0x3e9a8f43, 0x3d8628c2, 0x3e95bdec, 0x3e04d7b7, 0xbf4a7786, 0x3e09c9eb}},
{"truncated_normal", "f64", 1099511627777u, {0x3fe6bcf7cb0b3d6f, 0x3ffa6ce89da066d2, 0xbff71e3c6db5f92a, 0x3fe3b034bb83f8a8, 0xbfdda78b26d6b665, 0xbff6ae3a3eed0a2d}},
{"truncated_normal", "bf16", 1099511627777u, {0x3e9b, 0x3d86, 0x3e96, 0x3e05, 0xbf4a, 0x3e0a}},
{"truncated_normal", "f16", 1099511627777u, {0x34d4, 0x2c31, 0x34ae, 0x3027, 0xba54, 0x304e}},
{"truncated_normal_far_tail", "f32", 0u, {0x408eb983, 0x4086047f, 0x408175e5, 0x408e7e0d, 0x4099c495, 0x408237d0}},
{"truncated_normal_far_tail", "f64", 0u, {0x4010c08fd33cdc81, 0x4011cfc19231f8e0, 0x401046f9ea39ab11, 0x401267206fc5e87b, 0x40100122c95f741f, 0x40113a278c9099ef}},
{"truncated_normal_far_tail", "bf16", 0u, {0x408f, 0x4086, 0x4081, 0x408e, 0x409a, 0x4082}},
{"truncated_normal_far_tail", "f16", 0u, {0x4476, 0x4430, 0x440c, 0x4474, 0x44ce, 0x4412}},
{"truncated_normal_far_tail", "f32", 1099511627777u, {0x40873a76, 0x408590d2, 0x40872815, 0x4085fd2b, 0x4081b02f, 0x40860588}},
{"truncated_normal_far_tail", "f64", 1099511627777u, {0x40115adc33087e07, 0x40131d6056cb6268, 0x40100d6b6258a889, 0x40113d04f18bf2bb, 0x40105a189902ce1c, 0x40100e7846b39b6c}},
{"truncated_normal_far_tail", "bf16", 1099511627777u, {0x4087, 0x4086, 0x4087, 0x4086, 0x4082, 0x4086}},
{"truncated_normal_far_tail", "f16", 1099511627777u, {0x443a, 0x442d, 0x4439, 0x4430, 0x440e, 0x4430}},
// GOLDEN-END
};
// clang-format on

// The bits of the public fill; they must also be the scalar reference's.
template <class T>
std::vector<std::uint64_t> golden_bits(const Distribution& distribution, std::uint64_t offset) {
  const Stream stream = Stream::named(2026, "golden");
  const auto values = filled<T>(golden_count, distribution, stream, offset);
  const auto reference = nninit::testing::scalar_reference<T>(golden_count, distribution, stream, offset);
  std::vector<std::uint64_t> bits;
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(bits_of(values[i]), bits_of(reference[i])) << describe(distribution) << " element " << i;
    bits.push_back(bits_of(values[i]));
  }
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
