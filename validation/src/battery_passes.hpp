// Building blocks of the battery's passes (internal): co-moments merged across
// blocks, compensated sums in lanes, the runs of equal values of a sorted
// sample, and the second level of the two-level test.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "co_moment_sums.hpp"
#include "compensated_sum.hpp"
#include "nninit/validation/correlation.hpp"
#include "nninit/validation/sample.hpp"

namespace nninit::validation::internal {

// The centred co-moments of pairs (x_i, y_i) fed block by block: each block
// in one pass of sums about its first pair (so a constant input gives exact
// zeros, and an offset far from 0 costs no digits), centred exactly by the
// block's sums, the blocks merged with Chan, Golub & LeVeque's update in long double.
class CoMomentAccumulator {
 public:
  void add(const double* x, const double* y, std::size_t m) noexcept {
    if (m == 0) return;
    const double x0 = x[0], y0 = y[0];
    const CoMomentSums s = co_moment_sums(x, y, m, x0, y0);
    const long double lm = static_cast<long double>(m);
    long double rx = s.sx, ry = s.sy, xx = s.sxx, yy = s.syy, xy = s.sxy;
    if (!std::isfinite(static_cast<double>(xx)) || !std::isfinite(static_cast<double>(yy)) ||
        !std::isfinite(static_cast<double>(xy))) {
      // Squares beyond the doubles (a value of 1e200): the block in long double, as co_moments sums.
      rx = ry = xx = yy = xy = 0.0L;
      for (std::size_t i = 0; i < m; ++i) {
        const long double dx = static_cast<long double>(x[i]) - x0, dy = static_cast<long double>(y[i]) - y0;
        rx += dx;
        ry += dy;
        xx += dx * dx;
        yy += dy * dy;
        xy += dx * dy;
      }
    }
    const long double block_xx = xx - rx * rx / lm;
    const long double block_yy = yy - ry * ry / lm;
    const long double block_xy = xy - rx * ry / lm;
    const long double block_mean_x = static_cast<long double>(x0) + rx / lm;
    const long double block_mean_y = static_cast<long double>(y0) + ry / lm;
    if (count_ == 0) {
      mean_x_ = block_mean_x;
      mean_y_ = block_mean_y;
      moments_.sxx = block_xx;
      moments_.syy = block_yy;
      moments_.sxy = block_xy;
    } else {
      const long double before = static_cast<long double>(count_);
      const long double after = before + lm;
      const long double dx = block_mean_x - mean_x_, dy = block_mean_y - mean_y_;
      const long double weight = before * lm / after;
      moments_.sxx += block_xx + dx * dx * weight;
      moments_.syy += block_yy + dy * dy * weight;
      moments_.sxy += block_xy + dx * dy * weight;
      mean_x_ += dx * lm / after;
      mean_y_ += dy * lm / after;
    }
    count_ += m;
    moments_.count = count_;
  }
  const CoMoments& moments() const noexcept { return moments_; }

 private:
  std::size_t count_ = 0;
  long double mean_x_ = 0.0L, mean_y_ = 0.0L;
  CoMoments moments_;
};

// Adds count * x to a compensated sum, the product split exactly enough
// (its long double rounding is 2^-64 relative).
inline void add_product(CompensatedSum& sum, std::size_t count, double x) noexcept {
  const long double product = static_cast<long double>(count) * static_cast<long double>(x);
  const auto high = static_cast<double>(product);
  sum.add(high);
  sum.add(static_cast<double>(product - static_cast<long double>(high)));
}

// A sum fed in blocks (at most about 2^16 values each): each block summed in
// eight lanes of doubles about its first value x0 (so that an offset far
// from 0 costs no digits), the block sums and m x0 (split exactly) in a
// compensated sum. Its error is about 2^-53 sqrt(block) of the block's spread.
class BlockSum {
 public:
  void add(const double* x, std::size_t m) noexcept {
    if (m == 0) return;
    const double x0 = x[0];
    std::array<double, 8> lanes{};
    std::size_t i = 0;
    for (; i + 8 <= m; i += 8) {
      for (std::size_t l = 0; l < 8; ++l) lanes[l] += x[i + l] - x0;
    }
    for (; i < m; ++i) lanes[0] += x[i] - x0;
    total_.add(((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7])));
    add_product(total_, m, x0);
  }
  double value() const noexcept { return total_.value(); }

 private:
  CompensatedSum total_;
};

// The largest |x| of a block.
inline double largest_magnitude(const double* x, std::size_t m, double largest) noexcept {
  std::array<double, 4> lanes{largest, largest, largest, largest};
  std::size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    for (std::size_t l = 0; l < 4; ++l) {
      const double a = std::fabs(x[i + l]);
      lanes[l] = a > lanes[l] ? a : lanes[l];
    }
  }
  for (; i < m; ++i) lanes[0] = std::fabs(x[i]) > lanes[0] ? std::fabs(x[i]) : lanes[0];
  return std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
}

// Kolmogorov–Smirnov's D_n of a sample u of U(0, 1) in any order, equal to
// ks_statistic_uniform of the sorted sample (the same floating-point
// expressions at the same ranks), without sorting it: each of m / 8 equal buckets
// (about eight values) holds the count, smallest and largest u in it. A bucket with one value, and
// the smallest and largest of any bucket, give D's candidates exactly; only a
// bucket whose bounds could exceed the largest of those is sorted.
class UnsortedKolmogorovSmirnov {
 public:
  double statistic(std::span<const double> u) {
    const std::size_t m = u.size();
    if (m == 0) return 0.0;
    const double* fraction = fractions(m);  // fraction[k] = k / m, as ks_statistic_uniform divides
    const std::size_t nb = std::max<std::size_t>(1, m / values_per_bucket);
    if (buckets_.size() < nb) buckets_.resize(nb);  // every bucket is empty between calls
    Bucket* const buckets = buckets_.data();
    for (const double value : u) {
      const double x = std::clamp(value, 0.0, 1.0);
      Bucket& b = buckets[bucket(x, nb)];
      b.low = x < b.low ? x : b.low;
      b.high = x > b.high ? x : b.high;
      ++b.count;
    }
    // The smallest and largest value of every bucket, at their ranks.
    double d = 0.0;
    std::size_t rank = 0;
    for (std::size_t k = 0; k < nb; ++k) {
      const Bucket& b = buckets[k];
      const std::size_t last = rank + b.count - (b.count != 0 ? 1 : 0);
      const double low = b.count != 0 ? b.low : fraction[rank];  // an empty bucket gives 1 / m ...
      const double high = b.count != 0 ? b.high : fraction[rank];
      const double candidate = std::max(candidates(fraction, rank, low), candidates(fraction, last, high));
      d = std::max(d, b.count != 0 ? candidate : 0.0);  // ... and is left out
      rank += b.count;
    }
    // Buckets of three or more values whose bound exceeds d: sort their values.
    flagged_buckets_.clear();
    rank = 0;
    for (std::size_t k = 0; k < nb; ++k) {
      Bucket& b = buckets[k];
      const std::size_t c = b.count;
      if (c > 2 && std::max(fraction[rank + c] - b.low, b.high - fraction[rank]) > d) {
        flagged_buckets_.emplace_back(k, rank);
        b.flagged = true;
      }
      rank += c;
      if (!b.flagged) b = Bucket{};
    }
    if (flagged_buckets_.empty()) return d;
    flagged_.clear();
    for (const double value : u) {
      const double x = std::clamp(value, 0.0, 1.0);
      const std::size_t k = bucket(x, nb);
      if (buckets[k].flagged) flagged_.emplace_back(k, x);
    }
    std::sort(flagged_.begin(), flagged_.end());
    std::size_t i = 0;
    for (const auto& [k, first_rank] : flagged_buckets_) {
      for (std::size_t r = first_rank; i < flagged_.size() && flagged_[i].first == k; ++i, ++r) {
        d = std::max(d, candidates(fraction, r, flagged_[i].second));
      }
      buckets[k] = Bucket{};
    }
    return d;
  }

 private:
  // About eight values per bucket: the bounds stay within 8 / m of the exact
  // candidates, few buckets need sorting, and the buckets stay in cache.
  static constexpr std::size_t values_per_bucket = 8;
  struct Bucket {
    double low = HUGE_VAL;
    double high = -HUGE_VAL;
    std::uint32_t count = 0;
    bool flagged = false;
  };
  // ks_statistic_uniform's two candidates at rank k.
  static double candidates(const double* fraction, std::size_t k, double x) noexcept {
    return std::max(fraction[k + 1] - x, x - fraction[k]);
  }
  static std::size_t bucket(double x, std::size_t m) noexcept {
    return std::min(static_cast<std::size_t>(static_cast<std::int64_t>(x * static_cast<double>(m))), m - 1);
  }
  // k / m for k = 0 .. m + 1, kept for the last two lengths (chunks have two).
  const double* fractions(std::size_t m) {
    for (auto& [length, table] : fractions_) {
      if (length == m) return table.data();
    }
    auto& [length, table] = fractions_[next_++ % fractions_.size()];
    length = m;
    table.resize(m + 2);  // one past the end, read (and discarded) for empty buckets at the end
    const double n = static_cast<double>(m);
    for (std::size_t k = 0; k <= m + 1; ++k) table[k] = static_cast<double>(k) / n;
    return table.data();
  }
  std::vector<Bucket> buckets_;
  std::vector<std::pair<std::size_t, std::size_t>> flagged_buckets_;
  std::vector<std::pair<std::size_t, double>> flagged_;
  std::array<std::pair<std::size_t, std::vector<double>>, 2> fractions_{};
  std::size_t next_ = 0;
};

// A count as a double through a signed integer (one instruction on x86-64;
// counts stay far below 2^63).
inline double as_double(std::size_t count) noexcept { return static_cast<double>(static_cast<std::int64_t>(count)); }

// The power of two that sample_moments divides every value by (1 unless the
// largest magnitude is beyond 2^500 or below 2^-500).
inline double moment_scale(double largest) noexcept {
  if (std::isfinite(largest) && (largest > 0x1p500 || (largest > 0.0 && largest < 0x1p-500))) {
    return std::ldexp(1.0, std::ilogb(largest));
  }
  return 1.0;
}


// Splits a sorted sample into runs of equal values and hands them over in
// blocks: consume(bounds) with bounds[0] < bounds[1] < ... < bounds[m - 1],
// the runs [bounds[r], bounds[r + 1]) for r < m - 1, in order. Run boundaries
// are found without data-dependent branches (the runs of a large float32
// sample are short and of random length), and a block's runs can be worked
// on together (independent table look-ups overlap).
template <class T, class Equal, class Consume>
void for_each_run_block(std::span<const T> sorted, Equal equal, Consume&& consume) {
  const std::size_t n = sorted.size();
  if (n == 0) return;
  constexpr std::size_t block = 2048;
  std::array<std::size_t, block + 2> bounds;
  bounds[0] = 0;
  std::size_t k = 1;
  for (std::size_t begin = 1; begin < n; begin += block) {
    const std::size_t end = std::min(n, begin + block);
    for (std::size_t j = begin; j < end; ++j) {
      bounds[k] = j;
      k += equal(sorted[j], sorted[j - 1]) ? 0u : 1u;
    }
    if (k > 1) consume(std::span<const std::size_t>(bounds.data(), k));
    bounds[0] = bounds[k - 1];  // the open run
    k = 1;
  }
  bounds[1] = n;
  consume(std::span<const std::size_t>(bounds.data(), 2));
}

// Counts of a sorted sample (ascending values, no NaN) that only compare a
// value with a threshold, as a pass over every value counts them, by binary
// search: the values below t, above t, equal to t, outside [low, high].
// `Elements` gives value(T) -> double.
template <class T, class Elements>
class SortedCounts {
 public:
  SortedCounts(std::span<const T> sorted, const Elements& elements) : sorted_(sorted), elements_(elements) {}
  std::size_t below(double t) const { return first_where([&](double v) { return !(v < t); }); }
  std::size_t above(double t) const { return sorted_.size() - first_where([&](double v) { return v > t; }); }
  std::size_t equal(double t) const {
    if (std::isnan(t)) return 0;
    return first_where([&](double v) { return v > t; }) - first_where([&](double v) { return !(v < t); });
  }
  // The values with v < low or v > high.
  std::size_t outside(double low, double high) const {
    if (low <= high || std::isnan(low) || std::isnan(high)) return below(low) + above(high);
    std::size_t count = 0;  // overlapping conditions (low > high): value by value
    for (const T x : sorted_) {
      const double v = elements_.value(x);
      count += (v < low || v > high) ? 1u : 0u;
    }
    return count;
  }

 private:
  // The first index whose value satisfies `predicate` (false below it, true from it on).
  template <class Predicate>
  std::size_t first_where(Predicate predicate) const {
    std::size_t low = 0, high = sorted_.size();
    while (low < high) {
      const std::size_t middle = low + (high - low) / 2;
      if (predicate(elements_.value(sorted_[middle]))) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }
  std::span<const T> sorted_;
  const Elements& elements_;
};

// The centred second and fourth sums of runs (value, count) about `mean`
// (values divided by `scale`), as sample_moments sums them per value.
class CentredMoments {
 public:
  // scale is a power of two: multiplying by its inverse is dividing by it.
  CentredMoments(double mean, double scale) : mean_(mean), scale_(scale), inverse_scale_(1.0 / scale) {}
  void add(double v, std::size_t count) noexcept {
    const double d = v * inverse_scale_ - mean_;
    const double d2 = d * d;
    const auto c = as_double(count);
    second_.add(c * d2);
    fourth_.add(c * (d2 * d2));
  }
  // Sums of c d^2 and c d^4 gathered elsewhere (run_sums.hpp), d = v / scale - centre().
  void add_sums(double second, double fourth) noexcept {
    second_.add(second);
    fourth_.add(fourth);
  }
  // The mean the deviations are taken from, in units of the scale.
  double centre() const noexcept { return mean_; }
  // The moments of n values with this (scaled) mean.
  SampleMoments moments(std::size_t n) const noexcept {
    SampleMoments m;
    m.count = n;
    m.mean = mean_ * scale_;
    const auto size = static_cast<double>(n);
    const double variance = second_.value() / (size - 1.0);
    m.variance = variance * scale_ * scale_;
    m.sd = std::sqrt(variance) * scale_;
    const double m2 = second_.value() / size;
    m.kurtosis = (fourth_.value() / size) / (m2 * m2);
    return m;
  }

 private:
  double mean_, scale_, inverse_scale_;
  CompensatedSum second_, fourth_;
};

}  // namespace nninit::validation::internal
