// nninit/philox.hpp — the counter-based generator behind every nninit stream:
// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC'11), the same function as
// Random123's philox4x32, cuRAND's Philox and C++26 std::philox4x32.
#pragma once

#include <array>
#include <cstdint>

namespace nninit {

using PhiloxCounter = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;
using PhiloxBlock = std::array<std::uint32_t, 4>;

namespace internal {
inline constexpr std::uint32_t philox_multiplier_0 = 0xD2511F53u;
inline constexpr std::uint32_t philox_multiplier_1 = 0xCD9E8D57u;
inline constexpr std::uint32_t philox_weyl_0 = 0x9E3779B9u;  // golden ratio
inline constexpr std::uint32_t philox_weyl_1 = 0xBB67AE85u;  // sqrt(3) - 1
}  // namespace internal

// Philox4x32-10 of (counter, key): ten rounds, the key bumped by the Weyl
// constants between rounds. A pure function; four 32-bit output words.
// Example: philox4x32_10({0, 0, 0, 0}, {0, 0})[0] == 0x6627E8D5.
constexpr PhiloxBlock philox4x32_10(PhiloxCounter counter, PhiloxKey key) noexcept {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key[0] += internal::philox_weyl_0;
      key[1] += internal::philox_weyl_1;
    }
    const std::uint64_t product_0 =
        static_cast<std::uint64_t>(internal::philox_multiplier_0) * counter[0];
    const std::uint64_t product_1 =
        static_cast<std::uint64_t>(internal::philox_multiplier_1) * counter[2];
    const auto high_0 = static_cast<std::uint32_t>(product_0 >> 32);
    const auto low_0 = static_cast<std::uint32_t>(product_0);
    const auto high_1 = static_cast<std::uint32_t>(product_1 >> 32);
    const auto low_1 = static_cast<std::uint32_t>(product_1);
    counter = {high_1 ^ counter[1] ^ key[0], low_1, high_0 ^ counter[3] ^ key[1], low_0};
  }
  return counter;
}

}  // namespace nninit
