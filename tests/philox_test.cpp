// Philox4x32-10 against Random123 (the authors' reference) and its published
// known-answer vectors; the stream's key/counter layout.
#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <random>

#include "nninit/philox.hpp"
#include "nninit/stream.hpp"

namespace {

using nninit::PhiloxBlock;
using nninit::philox4x32_10;

// Random123 tests/kat_vectors, the three philox4x32 10 lines: counter, key, output.
TEST(Philox, KnownAnswerVectors) {
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (PhiloxBlock{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
            (PhiloxBlock{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
            (PhiloxBlock{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Philox, IsConstexpr) {
  static_assert(philox4x32_10({0, 0, 0, 0}, {0, 0})[0] == 0x6627e8d5u);
}

PhiloxBlock random123_block(const nninit::PhiloxCounter& counter, const nninit::PhiloxKey& key) {
  r123::Philox4x32 generator;
  r123::Philox4x32::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  r123::Philox4x32::key_type k = {{key[0], key[1]}};
  const auto out = generator(c, k);
  return {out.v[0], out.v[1], out.v[2], out.v[3]};
}

TEST(Philox, MatchesRandom123OnAMillionRandomInputs) {
  std::mt19937_64 source(20261129);
  std::uniform_int_distribution<std::uint32_t> word;
  std::size_t mismatches = 0;
  for (int trial = 0; trial < 1'000'000; ++trial) {
    const nninit::PhiloxCounter counter{word(source), word(source), word(source), word(source)};
    const nninit::PhiloxKey key{word(source), word(source)};
    if (philox4x32_10(counter, key) != random123_block(counter, key)) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(Philox, MatchesRandom123AtCounterAndKeyEdges) {
  const std::uint32_t edges[] = {0u, 1u, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu};
  for (auto a : edges)
    for (auto b : edges)
      for (auto c : edges) {
        const nninit::PhiloxCounter counter{a, b, c, a ^ b};
        const nninit::PhiloxKey key{b, c};
        ASSERT_EQ(philox4x32_10(counter, key), random123_block(counter, key));
      }
}

// The contract's layout: key = (seed low, seed high), counter = (block low,
// block high, id low, id high).
TEST(Stream, BlockUsesTheDocumentedCounterAndKeyLayout) {
  const nninit::Stream stream{0x0123456789abcdefull, 0xfedcba9876543210ull};
  const std::uint64_t block = 0x0000000500000007ull;
  EXPECT_EQ(stream.block(block),
            random123_block({0x00000007, 0x00000005, 0x76543210, 0xfedcba98}, {0x89abcdef, 0x01234567}));
  for (std::uint64_t word = 0; word < 64; ++word) {
    EXPECT_EQ(stream.word(word), stream.block(word / 4)[word % 4]);
  }
}

}  // namespace
