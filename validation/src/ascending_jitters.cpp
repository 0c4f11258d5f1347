// Ascending jitters of one distinct value and their Anderson–Darling series
// sums, in eight lanes of GCC vector extensions, compiled three times
// (ascending_jitters.hpp).
#include "ascending_jitters.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "eight_lanes.hpp"
#include "jitter.hpp"
#include "run_sums.hpp"

namespace nninit::validation::internal {
namespace {

[[gnu::always_inline]] inline EightCounts broadcast_bits(std::uint64_t x) noexcept { return EightCounts{} + x; }
[[gnu::always_inline]] inline Eight as_doubles_of_bits(const EightCounts& b) noexcept {
  return reinterpret_cast<const Eight&>(b);
}
[[gnu::always_inline]] inline EightCounts bits_of(const Eight& x) noexcept {
  return reinterpret_cast<const EightCounts&>(x);
}
// b < 2^52 as a double, exactly: 2^52 + b has b as its mantissa.
[[gnu::always_inline]] inline Eight small_to_double(const EightCounts& b) noexcept {
  return as_doubles_of_bits(b | broadcast_bits(0x4330000000000000u)) - broadcast(0x1p52);
}
// Lanes i < valid (of eight) keep x, the others are 0.
[[gnu::always_inline]] inline Eight first_lanes(const Eight& x, std::size_t valid) noexcept {
  const EightBits lane = {0, 1, 2, 3, 4, 5, 6, 7};
  return lane < static_cast<std::int64_t>(valid) ? x : Eight{};
}

// SplitMix64's finaliser (jitter.hpp's mix64), lane by lane.
[[gnu::always_inline]] inline EightCounts mix(EightCounts x) noexcept {
  x ^= x >> 30;
  x *= broadcast_bits(0xBF58476D1CE4E5B9u);
  x ^= x >> 27;
  x *= broadcast_bits(0x94D049BB133111EBu);
  x ^= x >> 31;
  return x;
}

// log x for x in (0, 1), fdlibm's reduction and polynomial (as the library's
// log_f64), lane by lane; no FMA.
[[gnu::always_inline]] inline Eight log_of(const Eight& x) noexcept {
  const EightCounts ix = bits_of(x) - broadcast_bits(0x3fe6a09e667f3bcdu);
  const Eight dk = small_to_double((ix >> 52) ^ broadcast_bits(0x800u)) - broadcast(2048.0);
  const Eight m = as_doubles_of_bits((ix & broadcast_bits(0x000fffffffffffffu)) + broadcast_bits(0x3fe6a09e667f3bcdu));
  const Eight f = m - broadcast(1.0);
  const Eight s = f / (broadcast(2.0) + f);
  const Eight z = s * s;
  const Eight r =
      z * (broadcast(0x1.5555555555593p-1) +
           z * (broadcast(0x1.999999997fa04p-2) +
                z * (broadcast(0x1.2492494229359p-2) +
                     z * (broadcast(0x1.c71c51d8e78afp-3) +
                          z * (broadcast(0x1.7466496cb03dep-3) +
                               z * (broadcast(0x1.39a09d078c69fp-3) + z * broadcast(0x1.2f112df3e5244p-3)))))));
  const Eight hfsq = broadcast(0.5) * f * f;
  return dk * broadcast(0x1.62e42fee00000p-1) -
         ((hfsq - (s * (hfsq + r) + dk * broadcast(0x1.a39ef35793c76p-33))) - f);
}

// The exponentials of k = first + q + lane, lanes at or beyond `valid` 0.
[[gnu::always_inline]] inline Eight exponentials(std::uint64_t stream, std::uint64_t k, std::size_t valid) noexcept {
  const EightCounts lane = {1, 2, 3, 4, 5, 6, 7, 8};
  const EightCounts k1 = broadcast_bits(k) + lane;  // k + 1
  const EightCounts b = mix(broadcast_bits(stream) + k1 * broadcast_bits(0x9E3779B97F4A7C15u)) >> 12;
  const Eight v = (small_to_double(b) + broadcast(0.5)) * broadcast(0x1p-52);
  const Eight e = Eight{} - log_of(v);
  return valid >= 8 ? e : first_lanes(e, valid);
}

// The running sums within eight lanes: three shifted adds.
[[gnu::always_inline]] inline Eight lane_scan(Eight e) noexcept {
  const Eight zero{};
  e = e + __builtin_shufflevector(e, zero, 8, 0, 1, 2, 3, 4, 5, 6);
  e = e + __builtin_shufflevector(e, zero, 8, 8, 0, 1, 2, 3, 4, 5);
  e = e + __builtin_shufflevector(e, zero, 8, 8, 8, 8, 0, 1, 2, 3);
  return e;
}
[[gnu::always_inline]] inline Eight last_lane(const Eight& x) noexcept {
  return __builtin_shufflevector(x, x, 7, 7, 7, 7, 7, 7, 7, 7);
}

[[gnu::always_inline]] inline double exponential_sums(std::uint64_t stream, std::uint64_t first, std::size_t count,
                                                      double carry_in, double* out) noexcept {
  Eight carry = broadcast(carry_in);
  std::size_t q = 0;
  // Four independent groups of eight at a time (their exponentials overlap),
  // then the carry through them in order: the same sums as one at a time.
  for (; q + 32 <= count; q += 32) {
    const Eight s0 = lane_scan(exponentials(stream, first + q, 8));
    const Eight s1 = lane_scan(exponentials(stream, first + q + 8, 8));
    const Eight s2 = lane_scan(exponentials(stream, first + q + 16, 8));
    const Eight s3 = lane_scan(exponentials(stream, first + q + 24, 8));
    const Eight t0 = carry + s0;
    const Eight t1 = last_lane(t0) + s1;
    const Eight t2 = last_lane(t1) + s2;
    const Eight t3 = last_lane(t2) + s3;
    std::memcpy(out + q, &t0, sizeof t0);
    std::memcpy(out + q + 8, &t1, sizeof t1);
    std::memcpy(out + q + 16, &t2, sizeof t2);
    std::memcpy(out + q + 24, &t3, sizeof t3);
    carry = last_lane(t3);
  }
  for (; q < count; q += 8) {
    const std::size_t valid = std::min<std::size_t>(8, count - q);
    const Eight sums = carry + lane_scan(exponentials(stream, first + q, valid));
    if (valid == 8) {
      std::memcpy(out + q, &sums, sizeof sums);
    } else {
      for (std::size_t i = 0; i < valid; ++i) out[q + i] = sums[i];
    }
    carry = last_lane(sums);
  }
  return carry[0];
}

// x[i] = min(max over j <= i of x[j] factor (and `floor`), the largest double
// below 1): the jitters ascending exactly (the eight-lane sums may step back
// by a unit in the last place). Returns the last.
[[gnu::always_inline]] inline double scale_sums(double* x, std::size_t count, double factor, double floor) noexcept {
  const Eight f = broadcast(factor), below_one = broadcast(0x1.fffffffffffffp-1), zero{};
  Eight running = broadcast(floor);
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    Eight v;
    std::memcpy(&v, x + i, sizeof v);
    v = v * f;
    v = maximum(v, __builtin_shufflevector(v, zero, 8, 0, 1, 2, 3, 4, 5, 6));
    v = maximum(v, __builtin_shufflevector(v, zero, 8, 8, 0, 1, 2, 3, 4, 5));
    v = maximum(v, __builtin_shufflevector(v, zero, 8, 8, 8, 8, 0, 1, 2, 3));
    v = maximum(v, running);
    v = v < below_one ? v : below_one;
    std::memcpy(x + i, &v, sizeof v);
    running = __builtin_shufflevector(v, v, 7, 7, 7, 7, 7, 7, 7, 7);
  }
  double last = running[0];
  for (; i < count; ++i) {
    last = std::min(std::max(x[i] * factor, last), 0x1.fffffffffffffp-1);
    x[i] = last;
  }
  return last;
}

// jitter(seed, first + k) of jitter.hpp for k < count, bit for bit: the 53
// bits converted as two exact halves, then the same + 0.5 and * 2^-53.
[[gnu::always_inline]] inline void index_jitters_of(std::uint64_t seed, std::uint64_t first, std::size_t count,
                                                    double* out) noexcept {
  const EightCounts lane = {1, 2, 3, 4, 5, 6, 7, 8};
  std::size_t q = 0;
  for (; q + 8 <= count; q += 8) {
    const EightCounts k1 = broadcast_bits(first + q) + lane;  // index + 1
    const EightCounts j = mix(broadcast_bits(seed) + broadcast_bits(0x9E3779B97F4A7C15u) * k1) >> 11;
    const Eight whole = small_to_double(j >> 21) * broadcast(0x1p21) + small_to_double(j & broadcast_bits(0x1FFFFFu));
    const Eight v = (whole + broadcast(0.5)) * broadcast(0x1p-53);
    std::memcpy(out + q, &v, sizeof v);
  }
  for (; q < count; ++q) out[q] = jitter(seed, first + q);
}

// log1p(t) for |t| <= 1/64: its series to t^10 (truncation below 1.2e-19),
// as battery_coarse.cpp's scalar log1p_series.
[[gnu::always_inline]] inline Eight log1p_series(const Eight& t) noexcept {
  const Eight t2 = t * t;
  const Eight a = broadcast(1.0 / 9) + t * broadcast(-1.0 / 10), b = broadcast(1.0 / 7) + t * broadcast(-1.0 / 8),
              e = broadcast(1.0 / 5) + t * broadcast(-1.0 / 6), f = broadcast(1.0 / 3) + t * broadcast(-1.0 / 4);
  const Eight high = e + t2 * (b + t2 * a);
  return t + t2 * ((broadcast(-1.0 / 2) + t * f) + (t2 * t) * high);
}

[[gnu::always_inline]] inline SeriesSums series_sums(const double* jitters, std::size_t count,
                                                     const SeriesGroup& g) noexcept {
  const Eight below = broadcast(g.below), mass = broadcast(g.mass), c = broadcast(g.c),
              inverse_c = broadcast(g.inverse_c), inverse_1mc = broadcast(g.inverse_1mc),
              log_c = broadcast(g.log_c), log_1mc = broadcast(g.log_1mc), zero{};
  Eight low{}, low_offset{}, high{}, high_offset{};
  Eight k = {0, 1, 2, 3, 4, 5, 6, 7};
  for (std::size_t q = 0; q < count; q += 8) {
    const std::size_t valid = std::min<std::size_t>(8, count - q);
    Eight jitter{};
    if (valid == 8) {
      std::memcpy(&jitter, jitters + q, sizeof jitter);
    } else {
      for (std::size_t i = 0; i < valid; ++i) jitter[i] = jitters[q + i];
    }
    const Eight d = (below + jitter * mass) - c;  // exact: u is within 1/64 of c
    Eight log_u = log_c + log1p_series(d * inverse_c);
    Eight log_1mu = log_1mc + log1p_series((zero - d) * inverse_1mc);
    if (valid != 8) {
      log_u = first_lanes(log_u, valid);
      log_1mu = first_lanes(log_1mu, valid);
    }
    low += log_u;
    low_offset += k * log_u;
    high += log_1mu;
    high_offset += k * log_1mu;
    k += broadcast(8.0);
  }
  return SeriesSums{lanes_total(low), lanes_total(low_offset), lanes_total(high), lanes_total(high_offset)};
}

double exponential_sums_baseline(std::uint64_t stream, std::uint64_t first, std::size_t count, double carry,
                                 double* out) noexcept {
  return exponential_sums(stream, first, count, carry, out);
}
double scale_sums_baseline(double* x, std::size_t count, double factor, double floor) noexcept {
  return scale_sums(x, count, factor, floor);
}
void index_jitters_baseline(std::uint64_t seed, std::uint64_t first, std::size_t count, double* out) noexcept {
  index_jitters_of(seed, first, count, out);
}
SeriesSums series_sums_baseline(const double* jitters, std::size_t count, const SeriesGroup& g) noexcept {
  return series_sums(jitters, count, g);
}
#if NNINIT_EIGHT_LANE_CLONES
[[gnu::target("avx2")]] double exponential_sums_avx2(std::uint64_t stream, std::uint64_t first, std::size_t count,
                                                     double carry, double* out) noexcept {
  return exponential_sums(stream, first, count, carry, out);
}
[[gnu::target("avx2")]] double scale_sums_avx2(double* x, std::size_t count, double factor, double floor) noexcept {
  return scale_sums(x, count, factor, floor);
}
[[gnu::target("avx2")]] void index_jitters_avx2(std::uint64_t seed, std::uint64_t first, std::size_t count,
                                                 double* out) noexcept {
  index_jitters_of(seed, first, count, out);
}
[[gnu::target("avx2")]] SeriesSums series_sums_avx2(const double* jitters, std::size_t count,
                                                    const SeriesGroup& g) noexcept {
  return series_sums(jitters, count, g);
}
[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw")]] double exponential_sums_avx512(std::uint64_t stream,
                                                                                    std::uint64_t first,
                                                                                    std::size_t count, double carry,
                                                                                    double* out) noexcept {
  return exponential_sums(stream, first, count, carry, out);
}
[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw")]] double scale_sums_avx512(double* x, std::size_t count,
                                                                              double factor, double floor) noexcept {
  return scale_sums(x, count, factor, floor);
}
[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw")]] void index_jitters_avx512(std::uint64_t seed,
                                                                               std::uint64_t first,
                                                                               std::size_t count,
                                                                               double* out) noexcept {
  index_jitters_of(seed, first, count, out);
}
[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw")]] SeriesSums series_sums_avx512(const double* jitters,
                                                                                   std::size_t count,
                                                                                   const SeriesGroup& g) noexcept {
  return series_sums(jitters, count, g);
}
#endif

double scaled(double* x, std::size_t count, double factor, double floor) noexcept {
#if NNINIT_EIGHT_LANE_CLONES
  switch (run_sums_target()) {
    case 2:
      return scale_sums_avx512(x, count, factor, floor);
    case 1:
      return scale_sums_avx2(x, count, factor, floor);
    default:
      break;
  }
#endif
  return scale_sums_baseline(x, count, factor, floor);
}

}  // namespace

std::uint64_t value_jitter_stream(std::uint64_t seed, double value) noexcept {
  const double canonical = value == 0.0 ? 0.0 : value;  // -0 and +0 are one value
  return mix64(mix64(std::bit_cast<std::uint64_t>(canonical) ^ 0x6A09E667F3BCC909u) + seed);
}

double exponential_running_sums(std::uint64_t stream, std::uint64_t first, std::size_t count, double carry,
                                double* out) noexcept {
#if NNINIT_EIGHT_LANE_CLONES
  switch (run_sums_target()) {
    case 2:
      return exponential_sums_avx512(stream, first, count, carry, out);
    case 1:
      return exponential_sums_avx2(stream, first, count, carry, out);
    default:
      break;
  }
#endif
  return exponential_sums_baseline(stream, first, count, carry, out);
}

void index_jitters(std::uint64_t seed, std::uint64_t first, std::size_t count, double* out) noexcept {
#if NNINIT_EIGHT_LANE_CLONES
  switch (run_sums_target()) {
    case 2:
      return index_jitters_avx512(seed, first, count, out);
    case 1:
      return index_jitters_avx2(seed, first, count, out);
    default:
      break;
  }
#endif
  index_jitters_baseline(seed, first, count, out);
}

SeriesSums anderson_darling_series_sums(const double* jitters, std::size_t count, const SeriesGroup& group) noexcept {
#if NNINIT_EIGHT_LANE_CLONES
  switch (run_sums_target()) {
    case 2:
      return series_sums_avx512(jitters, count, group);
    case 1:
      return series_sums_avx2(jitters, count, group);
    default:
      break;
  }
#endif
  return series_sums_baseline(jitters, count, group);
}

AscendingJitters::AscendingJitters(std::uint64_t seed, double value, std::size_t count, std::size_t capacity)
    : stream_(value_jitter_stream(seed, value)), count_(count), capacity_(std::max<std::size_t>(8, capacity / 8 * 8)) {
  if (count_ == 0) return;
  // count + 1 exponentials: the first count sums are the numerators, the last the total.
  if (count_ + 1 <= capacity_) {
    buffer_.resize(count_ + 1);
    const double total = exponential_running_sums(stream_, 0, count_ + 1, 0.0, buffer_.data());
    scaled(buffer_.data(), count_, 1.0 / total, 0.0);
    whole_ = true;
    return;
  }
  buffer_.resize(capacity_);
  double total = 0.0;
  for (std::size_t first = 0; first < count_ + 1; first += capacity_) {
    total = exponential_running_sums(stream_, first, std::min(capacity_, count_ + 1 - first), total, buffer_.data());
  }
  inverse_total_ = 1.0 / total;
}

std::span<const double> AscendingJitters::next() {
  if (done_ >= count_) return {};
  if (whole_) {
    done_ = count_;
    return std::span<const double>(buffer_.data(), count_);
  }
  // The same slices (from multiples of capacity) as the total's pass: the same sums.
  const std::size_t length = std::min(capacity_, count_ - done_);
  carry_ = exponential_running_sums(stream_, done_, length, carry_, buffer_.data());
  last_ = scaled(buffer_.data(), length, inverse_total_, last_);
  done_ += length;
  return std::span<const double>(buffer_.data(), length);
}

std::vector<double> ascending_jitters(std::uint64_t seed, double value, std::size_t count) {
  std::vector<double> all;
  all.reserve(count);
  AscendingJitters jitters(seed, value, count);
  for (auto slice = jitters.next(); !slice.empty(); slice = jitters.next()) all.insert(all.end(), slice.begin(), slice.end());
  return all;
}

}  // namespace nninit::validation::internal
