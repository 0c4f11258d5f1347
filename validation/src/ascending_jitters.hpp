// The jitters of the randomised transform on a coarse grid (internal): for
// Anderson–Darling and the equiprobable bins, each distinct value's in
// ascending order, drawn for the value instead of for each index, and their
// series sums; for the two-level chunks, the jitter of each index. Compiled for the baseline, AVX2 and
// AVX-512 like run_sums.cpp (the same numbers bit for bit on all three).
//
// Why this gives the same test: the randomised transform gives each of the m
// copies of a value v an independent jitter V, u = F(v-) + V (F(v) - F(v-)),
// and Anderson–Darling looks only at the sorted u. Given the counts, the m
// jitters of v are m independent uniforms wherever the copies stand, so their
// ascending order is the order statistics of m uniforms, drawn here directly:
// U_(r) = S_r / S_(m+1), S the running sums of m + 1 exponentials (the
// method of exponential spacings: Devroye, Non-Uniform Random Variate
// Generation, 1986, chapter V). The statistic has the same
// law under every hypothesis, and needs only the histogram of the keys: no pass
// over the values and no sort.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nninit::validation::internal {

// The stream of the jitters of distinct value `value` (-0 and +0 are one)
// under the battery's jitter seed.
std::uint64_t value_jitter_stream(std::uint64_t seed, double value) noexcept;

// Running sums of exponentials E_k = -log V_k, V_k = (b_k + 1/2) 2^-52 with
// b_k the top 52 bits of SplitMix64's finaliser of stream + golden (k + 1):
// out[i] = carry + E_first + ... + E_(first + i) for i < count, eight k at a
// time (an in-lane scan of three shifted adds, then the carry); `first` a
// multiple of 8. Returns the last sum (carry if count is 0).
double exponential_running_sums(std::uint64_t stream, std::uint64_t first, std::size_t count, double carry,
                                double* out) noexcept;

// One distinct value's share of the Anderson–Darling sum, where the series
// applies: u = below + mass U for the jitters U of a slice, and about the
// middle c of its range log u = log_c + log1p((u - c) inverse_c) and
// log(1 - u) = log_1mc + log1p(-(u - c) inverse_1mc), log1p by its series to
// t^10 (|t| <= 1/64).
struct SeriesGroup {
  double below, mass, c, inverse_c, inverse_1mc, log_c, log_1mc;
};
// Over the slice's k < count: low = sum log u, low_offset = sum k log u,
// high = sum log(1 - u), high_offset = sum k log(1 - u); lanes k mod 8, added
// as ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)).
struct SeriesSums {
  double low = 0.0, low_offset = 0.0, high = 0.0, high_offset = 0.0;
};
SeriesSums anderson_darling_series_sums(const double* jitters, std::size_t count, const SeriesGroup& group) noexcept;

// The m ascending jitters of one distinct value, slice by slice: up to
// `capacity` at a time (one pass over the exponentials when m + 1 fit,
// otherwise a first pass for the total). Each U is S_r / S_(m+1) as a product
// with the total's reciprocal, raised to the largest before it (so that they
// ascend exactly: the eight-lane sums may step back by a unit in the last
// place) and at most the largest double below 1.
class AscendingJitters {
 public:
  static constexpr std::size_t default_capacity = std::size_t{1} << 20;
  AscendingJitters(std::uint64_t seed, double value, std::size_t count, std::size_t capacity = default_capacity);
  // The next jitters (a view valid until the next call); empty after the last.
  std::span<const double> next();

 private:
  std::uint64_t stream_;
  std::size_t count_, capacity_, done_ = 0;
  double carry_ = 0.0, inverse_total_ = 0.0, last_ = 0.0;
  bool whole_ = false;  // every sum is already in buffer_
  std::vector<double> buffer_;
};

// The jitter of each index instead (the two-level chunks' randomised
// transform): out[k] = jitter(seed, first + k) of jitter.hpp, bit for bit,
// eight at a time.
void index_jitters(std::uint64_t seed, std::uint64_t first, std::size_t count, double* out) noexcept;

// Every jitter of one distinct value at once (tests and the reference battery).
std::vector<double> ascending_jitters(std::uint64_t seed, double value, std::size_t count);

}  // namespace nninit::validation::internal
