// The sorted pass's per-block sums, a group of eight runs at a time, in GCC
// vector extensions of the compilation's native width: a group is one vector
// of eight doubles for AVX-512, two of four for AVX2, four of two for the
// baseline (wider vectors than the target's are split by GCC 12 into scalar
// lanes wherever a comparison selects). Every lane computes the same
// expressions whatever the width, so the three compilations agree bit for
// bit (run_sums.hpp).
#include "run_sums.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "eight_lanes.hpp"
#include "nninit/validation/chi_squared.hpp"
#include "table_lanes.hpp"

namespace nninit::validation::internal {
namespace {

// W doubles, W int64 and W int32 in GCC vector extensions (spelled out for
// each width: GCC drops vector_size of a dependent size).
template <std::size_t W>
struct Width;
template <>
struct Width<2> {
  using V = double __attribute__((vector_size(16)));
  using Bits = std::int64_t __attribute__((vector_size(16)));
  using Ints = std::int32_t __attribute__((vector_size(8)));
};
template <>
struct Width<4> {
  using V = double __attribute__((vector_size(32)));
  using Bits = std::int64_t __attribute__((vector_size(32)));
  using Ints = std::int32_t __attribute__((vector_size(16)));
};
template <>
struct Width<8> {
  using V = Eight;
  using Bits = EightBits;
  using Ints = std::int32_t __attribute__((vector_size(32)));
};

template <std::size_t W>
struct GroupSums {
  using V = typename Width<W>::V;
  using Bits = typename Width<W>::Bits;
  using Lanes = TableLanes<V, Bits, typename Width<W>::Ints>;
  static constexpr std::size_t parts = 8 / W;  // vectors per group of eight runs
  using Group = std::array<V, parts>;

  [[gnu::always_inline]] static V splat(double x) noexcept { return V{} + x; }
  [[gnu::always_inline]] static V magnitude(const V& a) noexcept {
    return reinterpret_cast<V>(reinterpret_cast<Bits>(a) & (Bits{} + INT64_MAX));
  }
  [[gnu::always_inline]] static V maximum(const V& a, const V& b) noexcept { return a < b ? b : a; }
  // Ranks below 2^52 as doubles, exactly: 2^52 + x has x in its low mantissa
  // bits (AVX2 has no conversion of 64-bit integers).
  [[gnu::always_inline]] static V rank_doubles(const std::size_t* x) noexcept {
    Bits bits;
    std::memcpy(&bits, x, sizeof bits);
    return reinterpret_cast<V>(bits | (Bits{} + std::int64_t{0x4330000000000000})) - splat(0x1p52);
  }
  // Lane l of a group (part l / W, lane l % W).
  static std::array<double, 8> lanes_of(const Group& g) noexcept {
    std::array<double, 8> out;
    std::memcpy(out.data(), g.data(), sizeof out);
    return out;
  }
  // The eight lanes added as ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)).
  static double total(const Group& g) noexcept {
    const std::array<double, 8> a = lanes_of(g);
    return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
  }
  // The lanes a, shifted up by one lane: lane 0 takes lane W - 1 of `before`.
  [[gnu::always_inline]] static V shifted(const V& before, const V& a) noexcept {
    if constexpr (W == 8) {
      return __builtin_shufflevector(before, a, 7, 8, 9, 10, 11, 12, 13, 14);
    } else if constexpr (W == 4) {
      return __builtin_shufflevector(before, a, 3, 4, 5, 6);
    } else {
      return __builtin_shufflevector(before, a, 1, 2);
    }
  }

  [[gnu::always_inline]] static RunSums block(const SortedPassSettings& settings, SortedPassState& state,
                                              const std::size_t* bounds, const double* v, std::size_t m) noexcept {
    RunSums sums;
    if (m == 0) return sums;
    const std::size_t first = bounds[0];
    const V n = splat(settings.size), largest = splat(0x1.fffffffffffffp1023), zero = splat(0.0), one = splat(1.0);
    const V first_v = splat(static_cast<double>(first)), limit = splat(0x1p24);
    const V mean = splat(settings.mean), inverse_scale = splat(settings.inverse_scale);
    const std::size_t bins = settings.bins;
    const V bin_scale = splat(static_cast<double>(bins));
    Group ks, low, high, low_offset, high_offset, second, fourth, direct_count;
    for (std::size_t p = 0; p < parts; ++p) {
      ks[p] = splat(state.ks);
      low[p] = high[p] = low_offset[p] = high_offset[p] = second[p] = fourth[p] = direct_count[p] = zero;
    }
    // j / n of the previous group; its last lane is the next group's first i / n.
    V previous_at = splat(static_cast<double>(first) / settings.size);
    std::size_t bin = state.bin, in_bin = state.in_bin;
    // The open bin as positions u * bins: [bin, bin + 1), the last bin up to
    // infinity (exactly the positions equiprobable_bin puts in it, but for u < 0).
    V bin_lower, bin_upper;
    const auto set_bin_edges = [&] {
      bin_lower = splat(static_cast<double>(bin));
      bin_upper = splat(bin + 1 == bins ? HUGE_VAL : static_cast<double>(bin + 1));
    };
    set_bin_edges();
    std::size_t padded_bounds[9];
    double padded_v[8];
    for (std::size_t r = 0; r < m; r += 8) {
      const std::size_t* b = bounds + r;
      const double* x = v + r;
      const std::size_t valid = std::min<std::size_t>(8, m - r);
      if (valid < 8) {  // the last group: runs of length 0 at bounds[m] with the last value
        for (std::size_t l = 0; l < 9; ++l) padded_bounds[l] = b[std::min(l, valid)];
        for (std::size_t l = 0; l < 8; ++l) padded_v[l] = x[std::min(l, valid - 1)];
        b = padded_bounds;
        x = padded_v;
      }
      Group xv, fv, qv, lf, lq;
      std::memcpy(xv.data(), x, sizeof xv);
      bool table = settings.normal != nullptr;
      for (std::size_t p = 0; p < parts && table; ++p) table = Lanes::normal(*settings.normal, xv[p], fv[p], qv[p], lf[p], lq[p]);
      if (!table) {
        double q8[8];
        settings.cdf.evaluate(settings.cdf.context, x, 8, reinterpret_cast<double*>(fv.data()), q8,
                              reinterpret_cast<double*>(lf.data()), reinterpret_cast<double*>(lq.data()));
      }
      V others = zero;  // lanes outside the open bin
      for (std::size_t p = 0; p < parts; ++p) {
        // Kolmogorov–Smirnov.
        const V i = rank_doubles(b + p * W), j = rank_doubles(b + p * W + 1);
        const V at = j / n;
        const V below = shifted(previous_at, at);
        previous_at = at;
        ks[p] = maximum(ks[p], maximum(magnitude(below - fv[p]), magnitude(at - fv[p])));
        // Anderson–Darling (exact: c and delta below 2^53, c delta below 2^53 where it is used).
        const V c = j - i;
        const V delta = (i - first_v) + (j - first_v);
        const V c_delta = c * delta;
        V direct = delta > limit ? c : zero;  // (c = 0: a padded run)
        direct += magnitude(lf[p]) <= largest ? zero : one;
        direct += magnitude(lq[p]) <= largest ? zero : one;
        direct_count[p] += direct;
        const V log_f = direct == zero ? lf[p] : zero, log_q = direct == zero ? lq[p] : zero;
        low[p] += c * log_f;
        high[p] += c * log_q;
        low_offset[p] += c_delta * log_f;
        high_offset[p] += c_delta * log_q;
        // Moments (a padded run adds exact zeros, even where d^4 overflows).
        const V d = xv[p] * inverse_scale - mean;
        const V d2 = d * d;
        second[p] += c == zero ? zero : c * d2;
        fourth[p] += c == zero ? zero : c * (d2 * d2);
        // Equiprobable bins.
        const V position = fv[p] * bin_scale;
        others += position >= bin_lower ? zero : one;
        others += position < bin_upper ? zero : one;
      }
      if (Lanes::folded_total(others) == 0.0) [[likely]] {
        in_bin += b[8] - b[0];
        continue;
      }
      const std::array<double, 8> f = lanes_of(fv);
      for (std::size_t l = 0; l < valid; ++l) {  // run by run
        const std::size_t here = equiprobable_bin(f[l], bins);
        if (here != bin) {
          settings.counts[bin] += in_bin;
          bin = here;
          in_bin = 0;
        }
        in_bin += b[l + 1] - b[l];
      }
      set_bin_edges();
    }
    state.bin = bin;
    state.in_bin = in_bin;
    const std::array<double, 8> deviations = lanes_of(ks);
    double ks_total = deviations[0];
    for (std::size_t l = 1; l < 8; ++l) ks_total = ks_total < deviations[l] ? deviations[l] : ks_total;
    state.ks = ks_total;
    sums.low = total(low);
    sums.high = total(high);
    sums.low_offset = total(low_offset);
    sums.high_offset = total(high_offset);
    sums.second = total(second);
    sums.fourth = total(fourth);
    sums.any_direct = total(direct_count) != 0.0;
    return sums;
  }
};

RunSums block_sums_baseline(const SortedPassSettings& settings, SortedPassState& state, const std::size_t* bounds,
                            const double* v, std::size_t m) noexcept {
  return GroupSums<2>::block(settings, state, bounds, v, m);
}
#if NNINIT_EIGHT_LANE_CLONES
[[gnu::target("avx2")]] RunSums block_sums_avx2(const SortedPassSettings& settings, SortedPassState& state,
                                                const std::size_t* bounds, const double* v,
                                                std::size_t m) noexcept {
  return GroupSums<4>::block(settings, state, bounds, v, m);
}
[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw")]] RunSums block_sums_avx512(const SortedPassSettings& settings,
                                                                                SortedPassState& state,
                                                                                const std::size_t* bounds,
                                                                                const double* v,
                                                                                std::size_t m) noexcept {
  return GroupSums<8>::block(settings, state, bounds, v, m);
}
#endif

int detect_best() noexcept {
#if NNINIT_EIGHT_LANE_CLONES
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw")) {
    return 2;
  }
  if (__builtin_cpu_supports("avx2")) return 1;
#endif
  return 0;
}

std::atomic<int> chosen{-1};

}  // namespace

int best_run_sums_target() noexcept {
  static const int best = detect_best();
  return best;
}

int run_sums_target() noexcept {
  const int target = chosen.load(std::memory_order_relaxed);
  return target < 0 ? best_run_sums_target() : target;
}

void set_run_sums_target(int target) noexcept {
  chosen.store(target < 0 ? -1 : (target < best_run_sums_target() ? target : best_run_sums_target()),
               std::memory_order_relaxed);
}

RunSums sorted_block_sums(const SortedPassSettings& settings, SortedPassState& state, const std::size_t* bounds,
                          const double* v, std::size_t m) noexcept {
#if NNINIT_EIGHT_LANE_CLONES
  switch (run_sums_target()) {
    case 2:
      return block_sums_avx512(settings, state, bounds, v, m);
    case 1:
      return block_sums_avx2(settings, state, bounds, v, m);
    default:
      break;
  }
#endif
  return block_sums_baseline(settings, state, bounds, v, m);
}

}  // namespace nninit::validation::internal
