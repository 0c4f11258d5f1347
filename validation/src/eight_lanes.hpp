// Eight doubles in a GCC vector extension, for the battery's sums that are
// compiled for the baseline, AVX2 and AVX-512 (run_sums.cpp,
// co_moment_sums.cpp, ascending_jitters.cpp; internal). Include it only from such a source file:
// it turns GCC's -Wpsabi note off for the rest of that file (the vectors stay
// inside always-inlined functions of one compilation, so no vector crosses a
// call and the ABI note does not apply).
#pragma once

#include <cstdint>

// 1 where the file's functions are also compiled for AVX2 and AVX-512.
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define NNINIT_EIGHT_LANE_CLONES 1
#else
#define NNINIT_EIGHT_LANE_CLONES 0
#endif

#if defined(__clang__)
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#endif
#pragma GCC diagnostic ignored "-Wpsabi"

namespace nninit::validation::internal {

using Eight = double __attribute__((vector_size(64)));
using EightBits = std::int64_t __attribute__((vector_size(64)));
using EightCounts = std::uint64_t __attribute__((vector_size(64)));

[[gnu::always_inline]] inline Eight broadcast(double x) noexcept { return Eight{} + x; }
[[gnu::always_inline]] inline Eight maximum(const Eight& a, const Eight& b) noexcept {
  return a < b ? b : a;  // as std::max(a, b)
}
// The lanes added as ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)).
[[gnu::always_inline]] inline double lanes_total(const Eight& a) noexcept {
  return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

}  // namespace nninit::validation::internal
