// The sorted pass's per-run sums, in eight lanes of GCC vector extensions,
// compiled three times (run_sums.hpp).
#include "run_sums.hpp"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "eight_lanes.hpp"
#include "nninit/validation/chi_squared.hpp"

namespace nninit::validation::internal {
namespace {

[[gnu::always_inline]] inline Eight as_doubles(const EightCounts& c) noexcept {
  return __builtin_convertvector(reinterpret_cast<const EightBits&>(c), Eight);  // counts < 2^63
}
[[gnu::always_inline]] inline Eight magnitude(const Eight& a) noexcept {
  return reinterpret_cast<Eight>(reinterpret_cast<EightBits>(a) & (EightBits{} + INT64_MAX));
}

// One run's terms, as the lanes compute them (the tail of a block).
struct Lane {
  double ks, low, high, low_offset, high_offset;
};
[[gnu::always_inline]] inline bool add_one(Lane& lane, const std::size_t* bounds, std::size_t r, std::size_t first,
                                           const double* f, const double* log_f, const double* log_q,
                                           double size) noexcept {
  const std::size_t i = bounds[r], j = bounds[r + 1];
  const double below = static_cast<double>(static_cast<std::int64_t>(i)) / size;
  const double at = static_cast<double>(static_cast<std::int64_t>(j)) / size;
  const double ks = std::fabs(below - f[r]) < std::fabs(at - f[r]) ? std::fabs(at - f[r]) : std::fabs(below - f[r]);
  lane.ks = lane.ks < ks ? ks : lane.ks;
  const std::size_t delta = (i - first) + (j - first);
  const bool direct = delta > (std::size_t{1} << 24) || !(std::fabs(log_f[r]) <= 0x1.fffffffffffffp1023) ||
                      !(std::fabs(log_q[r]) <= 0x1.fffffffffffffp1023);
  const double lf = direct ? 0.0 : log_f[r], lq = direct ? 0.0 : log_q[r];
  const double c = static_cast<double>(static_cast<std::int64_t>(j - i));
  const double c_delta = static_cast<double>(static_cast<std::int64_t>((j - i) * delta));
  lane.low += c * lf;
  lane.high += c * lq;
  lane.low_offset += c_delta * lf;
  lane.high_offset += c_delta * lq;
  return direct;
}

[[gnu::always_inline]] inline RunSums run_sums(const std::size_t* bounds, std::size_t m, const double* f,
                                               const double* log_f, const double* log_q, double size,
                                               double ks_in) noexcept {
  const std::size_t first = bounds[0];
  const Eight n = broadcast(size), largest = broadcast(0x1.fffffffffffffp1023), zero = broadcast(0.0),
              one = broadcast(1.0);
  const EightCounts first_v = EightCounts{} + first, limit = EightCounts{} + (std::uint64_t{1} << 24);
  Eight ks = broadcast(ks_in), low = zero, high = zero, low_offset = zero, high_offset = zero;
  Eight direct_count = zero;  // runs left out, per lane (selects only: no comparison becomes an integer vector)
  std::size_t r = 0;
  for (; r + 8 <= m; r += 8) {
    EightCounts i, j;
    Eight fv, lf, lq;
    std::memcpy(&i, bounds + r, sizeof i);
    std::memcpy(&j, bounds + r + 1, sizeof j);
    std::memcpy(&fv, f + r, sizeof fv);
    std::memcpy(&lf, log_f + r, sizeof lf);
    std::memcpy(&lq, log_q + r, sizeof lq);
    const Eight below = as_doubles(i) / n, at = as_doubles(j) / n;
    ks = maximum(ks, maximum(magnitude(below - fv), magnitude(at - fv)));
    const EightCounts delta = (i - first_v) + (j - first_v);
    Eight direct = delta > limit ? one : zero;
    direct += magnitude(lf) <= largest ? zero : one;
    direct += magnitude(lq) <= largest ? zero : one;
    direct_count += direct;
    lf = direct == zero ? lf : zero;
    lq = direct == zero ? lq : zero;
    const EightCounts count = j - i;
    const Eight c = as_doubles(count), c_delta = as_doubles(count * delta);
    low += c * lf;
    high += c * lq;
    low_offset += c_delta * lf;
    high_offset += c_delta * lq;
  }
  // The last m % 8 runs, each in its own lane (r % 8), as the vectors would take them.
  Lane lanes[8];
  for (int l = 0; l < 8; ++l) lanes[l] = Lane{ks[l], low[l], high[l], low_offset[l], high_offset[l]};
  bool direct_tail = false;
  for (; r < m; ++r) direct_tail |= add_one(lanes[r % 8], bounds, r, first, f, log_f, log_q, size);
  for (int l = 0; l < 8; ++l) {
    ks[l] = lanes[l].ks;
    low[l] = lanes[l].low;
    high[l] = lanes[l].high;
    low_offset[l] = lanes[l].low_offset;
    high_offset[l] = lanes[l].high_offset;
  }
  RunSums sums;
  double ks_total = ks[0];
  for (int l = 1; l < 8; ++l) ks_total = ks_total < ks[l] ? ks[l] : ks_total;
  sums.ks = ks_total;
  sums.low = lanes_total(low);
  sums.high = lanes_total(high);
  sums.low_offset = lanes_total(low_offset);
  sums.high_offset = lanes_total(high_offset);
  bool any = direct_tail;
  for (int l = 0; l < 8; ++l) any |= direct_count[l] != 0.0;
  sums.any_direct = any;
  return sums;
}

[[gnu::always_inline]] inline void run_bins(const std::size_t* bounds, std::size_t m, const double* f,
                                            std::size_t bins, std::size_t* counts, std::size_t& bin,
                                            std::size_t& in_bin) noexcept {
  const Eight scale = broadcast(static_cast<double>(bins)), zero = broadcast(0.0), one = broadcast(1.0);
  const EightBits last = EightBits{} + static_cast<std::int64_t>(bins - 1);
  // Runs [begin, end) one at a time: a new bin closes the open one.
  const auto one_by_one = [&](std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k < end; ++k) {
      const std::size_t here = equiprobable_bin(f[k], bins);
      if (here != bin) {
        counts[bin] += in_bin;
        bin = here;
        in_bin = 0;
      }
      in_bin += bounds[k + 1] - bounds[k];
    }
  };
  std::size_t r = 0;
  for (; r + 8 <= m; r += 8) {
    Eight fv;
    std::memcpy(&fv, f + r, sizeof fv);
    // equiprobable_bin: clamp into [0, 1], times bins, through a signed integer, at most bins - 1.
    Eight u = fv < zero ? zero : fv;
    u = one < u ? one : u;
    EightBits b = __builtin_convertvector(u * scale, EightBits);
    b = b < last ? b : last;
    const Eight other = b == static_cast<std::int64_t>(bin) ? zero : one;  // (a select: see run_sums)
    if (lanes_total(other) == 0.0) [[likely]] {
      in_bin += bounds[r + 8] - bounds[r];
      continue;
    }
    one_by_one(r, r + 8);
  }
  one_by_one(r, m);
}

RunSums run_sums_baseline(const std::size_t* bounds, std::size_t m, const double* f, const double* log_f,
                          const double* log_q, double size, double ks) noexcept {
  return run_sums(bounds, m, f, log_f, log_q, size, ks);
}
void run_bins_baseline(const std::size_t* bounds, std::size_t m, const double* f, std::size_t bins,
                       std::size_t* counts, std::size_t& bin, std::size_t& in_bin) noexcept {
  run_bins(bounds, m, f, bins, counts, bin, in_bin);
}
#if NNINIT_EIGHT_LANE_CLONES
[[gnu::target("avx2")]] RunSums run_sums_avx2(const std::size_t* bounds, std::size_t m, const double* f,
                                              const double* log_f, const double* log_q, double size,
                                              double ks) noexcept {
  return run_sums(bounds, m, f, log_f, log_q, size, ks);
}
[[gnu::target("avx2")]] void run_bins_avx2(const std::size_t* bounds, std::size_t m, const double* f,
                                           std::size_t bins, std::size_t* counts, std::size_t& bin,
                                           std::size_t& in_bin) noexcept {
  run_bins(bounds, m, f, bins, counts, bin, in_bin);
}
[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw")]] RunSums run_sums_avx512(const std::size_t* bounds,
                                                                              std::size_t m, const double* f,
                                                                              const double* log_f,
                                                                              const double* log_q, double size,
                                                                              double ks) noexcept {
  return run_sums(bounds, m, f, log_f, log_q, size, ks);
}
[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw")]] void run_bins_avx512(const std::size_t* bounds,
                                                                           std::size_t m, const double* f,
                                                                           std::size_t bins, std::size_t* counts,
                                                                           std::size_t& bin,
                                                                           std::size_t& in_bin) noexcept {
  run_bins(bounds, m, f, bins, counts, bin, in_bin);
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

RunSums sorted_run_sums(const std::size_t* bounds, std::size_t m, const double* f, const double* log_f,
                        const double* log_q, double size, double ks) noexcept {
#if NNINIT_EIGHT_LANE_CLONES
  switch (run_sums_target()) {
    case 2:
      return run_sums_avx512(bounds, m, f, log_f, log_q, size, ks);
    case 1:
      return run_sums_avx2(bounds, m, f, log_f, log_q, size, ks);
    default:
      break;
  }
#endif
  return run_sums_baseline(bounds, m, f, log_f, log_q, size, ks);
}

void count_run_bins(const std::size_t* bounds, std::size_t m, const double* f, std::size_t bins,
                    std::size_t* counts, std::size_t& bin, std::size_t& in_bin) noexcept {
#if NNINIT_EIGHT_LANE_CLONES
  switch (run_sums_target()) {
    case 2:
      return run_bins_avx512(bounds, m, f, bins, counts, bin, in_bin);
    case 1:
      return run_bins_avx2(bounds, m, f, bins, counts, bin, in_bin);
    default:
      break;
  }
#endif
  run_bins_baseline(bounds, m, f, bins, counts, bin, in_bin);
}

}  // namespace nninit::validation::internal
