// fill_test_support.hpp — helpers shared by the fill tests: filling vectors
// of any output type, comparing bits, and the distributions every test sweeps.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fill_plan.hpp"
#include "kernels/fill_range.hpp"
#include "nninit/fill.hpp"

namespace nninit::testing {

template <class T>
std::vector<T> filled(std::size_t count, const Distribution& distribution, const Stream& stream,
                      std::uint64_t offset = 0, int threads = 1) {
  std::vector<T> out(count);
  fill(std::span<T>(out), distribution, stream, FillOptions{offset, threads});
  return out;
}

// The scalar reference alone (no SIMD, no threads): the definition of the bits.
template <class T>
std::vector<T> scalar_reference(std::size_t count, const Distribution& distribution,
                                const Stream& stream, std::uint64_t offset = 0) {
  using namespace nninit::internal;
  const FillPlan<T> plan = plan_fill<T>(distribution);
  std::vector<T> out(count);
  switch (plan.kind) {
    case FillKind::constant:
      std::fill(out.begin(), out.end(), plan.constant_value);
      break;
    case FillKind::uniform:
      fill_range(out.data(), offset, count, stream, plan.uniform, plan.clamp_low, plan.clamp_high);
      break;
    case FillKind::normal:
      fill_range(out.data(), offset, count, stream, plan.normal, plan.clamp_low, plan.clamp_high);
      break;
    case FillKind::truncated_normal:
      fill_range(out.data(), offset, count, stream, plan.truncated_normal, plan.clamp_low,
                 plan.clamp_high);
      break;
  }
  return out;
}

template <class T>
bool same_bits(const T* a, const T* b, std::size_t count) {
  return std::memcmp(a, b, count * sizeof(T)) == 0;
}

template <class T>
std::uint64_t bits_of(T value) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(T));
  return bits;
}

// One of each distribution, including a far-tail truncated window.
inline std::vector<Distribution> sample_distributions() {
  return {Constant{0.25},
          Uniform{-0.5, 0.75},
          Normal{0.1, 2.0},
          TruncatedNormal{0.0, 1.0, -2.0, 2.0},
          truncated_normal_in_stddevs(1.0, 0.5, 4.0, 6.0)};
}

}  // namespace nninit::testing
