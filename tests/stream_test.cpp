// Stream ids from parameter names: the documented hash, pinned.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "nninit/stream.hpp"

namespace {

// The hash written out from its documentation in stream.hpp, independently of
// the library's code.
std::uint64_t documented_hash(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name) {
    h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

TEST(StreamId, FollowsTheDocumentedHash) {
  for (const char* name : {"", "a", "encoder.layer3.weight", "fc.bias", "conv1.weight",
                           "decoder.layers.11.self_attn.q_proj.weight"}) {
    EXPECT_EQ(nninit::stream_id_from_name(name), documented_hash(name)) << name;
  }
}

// Pinned values (computed with Python from the documented formula): these ids are part of stream version 1 and never change.
TEST(StreamId, PinnedValues) {
  EXPECT_EQ(nninit::stream_id_from_name(""), 0xf52a15e9a9b5e89bull);
  EXPECT_EQ(nninit::stream_id_from_name("encoder.layer3.weight"), 0xbb75db94975ca887ull);
  EXPECT_EQ(nninit::stream_id_from_name("fc.bias"), 0xd76e3720db5d7c78ull);
}

TEST(StreamId, NamesThatDifferInOneCharacterGetUnrelatedIds) {
  std::set<std::uint64_t> ids;
  for (int layer = 0; layer < 1000; ++layer) {
    ids.insert(nninit::stream_id_from_name("layers." + std::to_string(layer) + ".weight"));
  }
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(Stream, NamedUsesTheHash) {
  const auto stream = nninit::Stream::named(42, "fc.weight");
  EXPECT_EQ(stream.seed, 42u);
  EXPECT_EQ(stream.id, nninit::stream_id_from_name("fc.weight"));
}

}  // namespace
