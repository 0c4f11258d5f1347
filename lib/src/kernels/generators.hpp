// kernels/generators.hpp — the scalar reference: how one Philox block becomes
// the working-precision values of the elements that read it. These define the
// output bits of stream version 1; any SIMD kernel must reproduce them exactly.
//
// Elements per block (element i reads block i / per_block, lane i % per_block):
//   uniform f32-family     4  lane j reads word j
//   uniform f64            2  lane j reads words 2j (low half), 2j+1 (high half)
//   normal f32-family      4  lanes 2p, 2p+1 share words 2p (radius) and 2p+1 (angle)
//   normal f64             2  words 0,1 (radius) and 2,3 (angle)
//   truncated normal f32   4  lane j reads word j
//   truncated normal f64   2  lane j reads words 2j, 2j+1
// ("f32-family" = float, bfloat16, float16: computed in float, then rounded.)
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

#include "kernels/unit_interval.hpp"
#include "math/inverse_normal_cdf.hpp"
#include "math/log.hpp"
#include "math/sincos.hpp"
#include "nninit/philox.hpp"

namespace nninit::internal {

// x = low + width * u, u in [0, 1) from unit_closed_open.
template <class W>
struct UniformGenerator;

template <>
struct UniformGenerator<float> {
  static constexpr unsigned elements_per_block = 4;
  float low;
  float width;
  std::array<float, 4> generate(const PhiloxBlock& words) const noexcept {
    std::array<float, 4> values{};
    for (unsigned lane = 0; lane < 4; ++lane) {
      values[lane] = low + width * unit_closed_open_f32(words[lane]);
    }
    return values;
  }
};

template <>
struct UniformGenerator<double> {
  static constexpr unsigned elements_per_block = 2;
  double low;
  double width;
  std::array<double, 2> generate(const PhiloxBlock& words) const noexcept {
    std::array<double, 2> values{};
    for (unsigned lane = 0; lane < 2; ++lane) {
      values[lane] =
          low + width * unit_closed_open_f64(join_words(words[2 * lane], words[2 * lane + 1]));
    }
    return values;
  }
};

// Box-Muller: r = sqrt(-2 log u1), theta = 2 pi u2; the pair is
// (mean + stddev * (r cos theta), mean + stddev * (r sin theta)).
template <class W>
struct NormalGenerator;

template <>
struct NormalGenerator<float> {
  static constexpr unsigned elements_per_block = 4;
  float mean;
  float stddev;
  std::array<float, 4> generate(const PhiloxBlock& words) const noexcept {
    std::array<float, 4> values{};
    for (unsigned pair = 0; pair < 2; ++pair) {
      const float radius_uniform = unit_open_closed_f32(words[2 * pair]);
      const float radius = std::sqrt(-2.0f * log_f32(radius_uniform));
      const SinCos32 angle = sincos_turns_f32(words[2 * pair + 1] >> 8);
      values[2 * pair] = mean + stddev * (radius * angle.cos);
      values[2 * pair + 1] = mean + stddev * (radius * angle.sin);
    }
    return values;
  }
};

template <>
struct NormalGenerator<double> {
  static constexpr unsigned elements_per_block = 2;
  double mean;
  double stddev;
  std::array<double, 2> generate(const PhiloxBlock& words) const noexcept {
    const double radius_uniform = unit_open_closed_f64(join_words(words[0], words[1]));
    const double radius = std::sqrt(-2.0 * log_f64(radius_uniform));
    const SinCos64 angle = sincos_turns_f64(join_words(words[2], words[3]) >> 11);
    return {mean + stddev * (radius * angle.cos), mean + stddev * (radius * angle.sin)};
  }
};

// Truncated normal by inversion, one uniform u in (0, 1) per element:
//   z = Phi^-1(Phi(alpha) + u * (Phi(beta) - Phi(alpha)))
// The probability is carried in the representation that keeps its precision:
//   q  = (Phi(alpha) - 1/2) + u * delta   near the median (|q| <= 0.425),
//   pl = Phi(alpha) + u * delta           in the lower tail,
//   pu = Phi(-beta) + (1 - u) * delta     in the upper tail (z = -Phi^-1(pu)),
// so narrow windows and far-tail windows keep full precision. Then
// x = mean + stddev * z; the caller clamps to the window's representable bounds.
template <class W>
struct TruncatedNormalParameters {
  W centred_lower_cdf;  // Phi(alpha) - 1/2
  W lower_cdf;          // Phi(alpha)
  W upper_tail;         // Phi(-beta) = 1 - Phi(beta)
  W mass;               // Phi(beta) - Phi(alpha)
  W mean;
  W stddev;
};

inline float truncated_normal_value(const TruncatedNormalParameters<float>& p, float u) noexcept {
  const float v = 1.0f - u;
  const float q = p.centred_lower_cdf + u * p.mass;
  float z;
  if (std::fabs(q) <= 0.425f) {
    z = inverse_normal_central_f32(q);
  } else if (q < 0.0f) {
    z = inverse_normal_lower_tail_f32(p.lower_cdf + u * p.mass);
  } else {
    z = -inverse_normal_lower_tail_f32(p.upper_tail + v * p.mass);
  }
  return p.mean + p.stddev * z;
}

inline double truncated_normal_value(const TruncatedNormalParameters<double>& p,
                                     double u) noexcept {
  const double v = 1.0 - u;
  const double q = p.centred_lower_cdf + u * p.mass;
  double z;
  if (std::fabs(q) <= 0.425) {
    z = inverse_normal_central_f64(q);
  } else if (q < 0.0) {
    z = inverse_normal_lower_tail_f64(p.lower_cdf + u * p.mass);
  } else {
    z = -inverse_normal_lower_tail_f64(p.upper_tail + v * p.mass);
  }
  return p.mean + p.stddev * z;
}

template <class W>
struct TruncatedNormalGenerator;

template <>
struct TruncatedNormalGenerator<float> {
  static constexpr unsigned elements_per_block = 4;
  TruncatedNormalParameters<float> parameters;
  std::array<float, 4> generate(const PhiloxBlock& words) const noexcept {
    std::array<float, 4> values{};
    for (unsigned lane = 0; lane < 4; ++lane) {
      values[lane] = truncated_normal_value(parameters, unit_open_f32(words[lane]));
    }
    return values;
  }
};

template <>
struct TruncatedNormalGenerator<double> {
  static constexpr unsigned elements_per_block = 2;
  TruncatedNormalParameters<double> parameters;
  std::array<double, 2> generate(const PhiloxBlock& words) const noexcept {
    std::array<double, 2> values{};
    for (unsigned lane = 0; lane < 2; ++lane) {
      values[lane] = truncated_normal_value(
          parameters, unit_open_f64(join_words(words[2 * lane], words[2 * lane + 1])));
    }
    return values;
  }
};

}  // namespace nninit::internal
