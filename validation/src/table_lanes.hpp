// CdfTable's normal path for a vector of values at once (internal): the
// same floor, position and Horner steps as the scalar CdfTable::evaluate, in
// the lanes of a GCC vector extension (four doubles in cdf_table.cpp; two,
// four or eight in run_sums.cpp). With no FMA contraction every compilation gives the
// scalar path's numbers bit for bit. Include it only from such a source
// file: it turns GCC's -Wpsabi note off for the rest of that file (the
// vectors stay inside always-inlined functions of one compilation, so no
// vector crosses a call and the ABI note does not apply).
//
// Every comparison is used at once in `a < b ? x : y` of doubles: a
// comparison kept as a mask of integers is split into scalar lanes by GCC 12
// when it targets AVX-512 (whose comparisons give mask registers).
#pragma once

#include <cstdint>
#include <limits>

#include "nninit/validation/cdf_table.hpp"

#if defined(__clang__)
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#endif
#pragma GCC diagnostic ignored "-Wpsabi"

namespace nninit::validation::internal {

// V: N doubles; Bits: N int64; Ints: N int32.
template <class V, class Bits, class Ints>
struct TableLanes {
  static constexpr int lanes = static_cast<int>(sizeof(V) / sizeof(double));
  static_assert(lanes == 2 || lanes == 4 || lanes == 8);

  [[gnu::always_inline]] static V splat(double x) noexcept { return V{} + x; }
  // The lanes' total, halves folded onto each other (exact for small counts).
  [[gnu::always_inline]] static double folded_total(V a) noexcept {
    if constexpr (lanes == 8) {
      a += __builtin_shufflevector(a, a, 4, 5, 6, 7, 0, 1, 2, 3);
      a += __builtin_shufflevector(a, a, 2, 3, 0, 1, 6, 7, 4, 5);
      a += __builtin_shufflevector(a, a, 1, 0, 3, 2, 5, 4, 7, 6);
    } else if constexpr (lanes == 4) {
      a += __builtin_shufflevector(a, a, 2, 3, 0, 1);
      a += __builtin_shufflevector(a, a, 1, 0, 3, 2);
    } else {
      a += __builtin_shufflevector(a, a, 1, 0);
    }
    return a[0];
  }

  // The interval k = floor(t) of t = z * per_unit (|t| < 2^31), and how many
  // lanes lie in another interval than lane 0 (as 0 or more, in each lane).
  [[gnu::always_inline]] static V interval(double per_unit, const V& z, V& t, V& others) noexcept {
    const V zero = splat(0.0), one = splat(1.0);
    t = z * splat(per_unit);
    V k = __builtin_convertvector(__builtin_convertvector(t, Ints), V);  // towards zero
    k -= k > t ? one : zero;
    others += k == splat(k[0]) ? zero : one;
    return k;
  }
  // The interval of -t from t's interval k: floor(-t) = -floor(t), less 1
  // where t is not an integer (exact, and +0 for t = 0, as interval gives it),
  // with the same count of lanes in another interval than lane 0.
  [[gnu::always_inline]] static V mirrored_interval(const V& t, const V& k, V& minus_t, V& others) noexcept {
    const V zero = splat(0.0), one = splat(1.0);
    minus_t = -t;
    const V mirrored = (zero - k) - (k == t ? zero : one);
    others += mirrored == splat(mirrored[0]) ? zero : one;
    return mirrored;
  }
  // The table's cubic at position s in interval k (the same in every lane).
  [[gnu::always_inline]] static V cubic(const CdfTable::Cubic* centre, double k, const V& s) noexcept {
    const CdfTable::Cubic& c = centre[static_cast<std::int64_t>(k)];
    return splat(c.a) + s * (splat(c.b) + s * (splat(c.c) + s * splat(c.d)));
  }

  // CdfTable::evaluate of every lane of x, if every lane takes the table path
  // (inside the Phi table's reach, not within the centre's distance) and the
  // lanes share each table's interval; false, nothing written, otherwise.
  // One test for all of it: a lane off the path is counted and takes z = 0.
  [[gnu::always_inline]] static bool normal(const CdfTable::NormalPath& path, const V& x, V& f, V& q, V& log_f,
                                            V& log_q) noexcept {
    const V zero = splat(0.0), one = splat(1.0);
    const Bits sign = Bits{} + std::numeric_limits<std::int64_t>::min();
    const V offset = x - splat(path.location);
    const V distance = reinterpret_cast<V>(reinterpret_cast<Bits>(offset) & ~sign);
    V others = distance <= splat(path.phi_distance) ? zero : one;  // (NaN: off the path)
    others += distance >= splat(path.centre_distance) ? zero : one;
    const V z = others == zero ? offset * splat(path.inverse_scale) : zero;
    const V negative_magnitude = reinterpret_cast<V>(reinterpret_cast<Bits>(z) | sign);
    V t_tail, t_low, t_high;
    const V k_tail = interval(CdfTable::phi_per_unit, negative_magnitude, t_tail, others);
    const V k_low = interval(CdfTable::log_phi_per_unit, z, t_low, others);
    const V k_high = mirrored_interval(t_low, k_low, t_high, others);  // of -z: the same as interval(-z)
    if (folded_total(others) != 0.0) return false;
    const V tail = cubic(path.phi_centre, k_tail[0], t_tail - k_tail);
    const V complement = one - tail;
    f = z > zero ? complement : tail;
    q = z > zero ? tail : complement;
    log_f = cubic(path.log_phi_centre, k_low[0], t_low - k_low);
    log_q = cubic(path.log_phi_centre, k_high[0], t_high - k_high);
    return true;
  }
};

}  // namespace nninit::validation::internal
