// The jitter of the randomised probability transform (internal): a fixed hash
// of (seed, index) onto the 2^-53 grid of (0, 1), shared by
// probability_integral_transform and the battery's streaming pass so that both
// give every value the same u.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nninit::validation::internal {

// SplitMix64's finaliser: a bijective mix of 64 bits.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9u;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBu;
  x ^= x >> 31;
  return x;
}

// The jitter's 53-bit integer j: the jitter is (j + 0.5) 2^-53, so ordering
// values by j orders them by their jitter.
constexpr std::uint64_t jitter_bits(std::uint64_t seed, std::size_t index) noexcept {
  return mix64(seed + 0x9E3779B97F4A7C15u * (static_cast<std::uint64_t>(index) + 1u)) >> 11;
}

// The jitter of jitter_bits j: a uniform in (0, 1), shifted by half a step.
// (j < 2^53 converts exactly through a signed integer: one instruction on x86-64.)
constexpr double jitter_from_bits(std::uint64_t j) noexcept {
  return (static_cast<double>(static_cast<std::int64_t>(j)) + 0.5) * 0x1p-53;
}

constexpr double jitter(std::uint64_t seed, std::size_t index) noexcept {
  return jitter_from_bits(jitter_bits(seed, index));
}

}  // namespace nninit::validation::internal
