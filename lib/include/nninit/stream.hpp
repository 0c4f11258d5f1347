// nninit/stream.hpp — a Stream names one tensor's sequence of random words:
// a 64-bit seed (the Philox key) and a 64-bit stream id (the upper half of the
// Philox counter). Ids come from integers or from parameter names.
#pragma once

#include <cstdint>
#include <string_view>

#include "nninit/philox.hpp"

namespace nninit {

// Version of the mapping (seed, stream, element index, distribution, dtype) ->
// output bits. Any change to an output bit bumps it (see CHANGELOG.md).
inline constexpr int stream_version = 1;

// 64-bit FNV-1a of the name's bytes followed by the SplitMix64 finaliser:
//   h = 0xcbf29ce484222325; for each byte b: h = (h ^ b) * 0x100000001b3;
//   h ^= h >> 30; h *= 0xbf58476d1ce4e5b9; h ^= h >> 27; h *= 0x94d049bb133111eb; h ^= h >> 31.
// Fixed forever within a stream version. Example:
//   stream_id_from_name("encoder.layer3.weight")
std::uint64_t stream_id_from_name(std::string_view name) noexcept;

struct Stream {
  std::uint64_t seed = 0;  // Philox key: (k0, k1) = (low 32 bits, high 32 bits)
  std::uint64_t id = 0;    // Philox counter words (c2, c3) = (low, high)

  // Stream whose id is derived from a parameter name, so adding or removing a
  // layer never changes the weights of the others.
  // Example: Stream::named(42, "encoder.layer3.weight")
  static Stream named(std::uint64_t seed, std::string_view name) noexcept {
    return Stream{seed, stream_id_from_name(name)};
  }

  // The four words of block `block_index` of this stream: Philox4x32-10 with
  // counter (block low, block high, id low, id high) and key (seed low, seed high).
  constexpr PhiloxBlock block(std::uint64_t block_index) const noexcept {
    return philox4x32_10({static_cast<std::uint32_t>(block_index),
                          static_cast<std::uint32_t>(block_index >> 32),
                          static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(id >> 32)},
                         {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
  }

  // Word `word_index` of the stream: word i lives in block i / 4 at position i % 4.
  constexpr std::uint32_t word(std::uint64_t word_index) const noexcept {
    return block(word_index / 4)[word_index % 4];
  }

  friend bool operator==(const Stream&, const Stream&) = default;
};

}  // namespace nninit
