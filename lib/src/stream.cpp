// stream.cpp — stream ids from parameter names.
#include "nninit/stream.hpp"

namespace nninit {

std::uint64_t stream_id_from_name(std::string_view name) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325u;  // FNV-1a 64 offset basis
  for (const char character : name) {
    hash ^= static_cast<unsigned char>(character);
    hash *= 0x100000001b3u;  // FNV-1a 64 prime
  }
  // SplitMix64 finaliser: spreads FNV's weak low-bit mixing over all 64 bits.
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9u;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebu;
  hash ^= hash >> 31;
  return hash;
}

}  // namespace nninit
