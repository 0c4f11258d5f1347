// Kolmogorov–Smirnov's D of the chunks of the two-level test on a continuous
// grid (internal), from the values themselves: the CDF F evaluated at a few
// values per bucket instead of at every value.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace nninit::validation::internal {

// D_m of u_i = clamp(F(x_i), 0, 1) for values x in any order, equal to
// ks_statistic_uniform of the sorted u (the same floating-point expressions
// at the same ranks) where F is non-decreasing, as UnsortedKolmogorovSmirnov
// computes it from the u, but with F evaluated only at the smallest and
// largest value of each bucket and at the values of the few buckets it sorts.
// The buckets (about eight values each) are ranges of x: a table of 2^16
// equal intervals of [low, high] (values beyond it in the end intervals) gives
// each interval the bucket of F at its left end, so a larger value never gets
// an earlier bucket, whatever F's rounding. F is a callable double(double).
template <class Cdf>
class ValueKolmogorovSmirnov {
 public:
  // F and the range of x its table covers (e.g. the reference's mean +- 8 sd).
  ValueKolmogorovSmirnov(Cdf cdf, double low, double high) : cdf_(cdf), low_(low) {
    const double width = (high - low) / static_cast<double>(intervals);
    inverse_width_ = std::isfinite(width) && width > 0.0 ? 1.0 / width : 0.0;
    width_ = width;
  }

  double statistic(std::span<const double> x) {
    const std::size_t m = x.size();
    if (m == 0) return 0.0;
    const double* fraction = fractions(m);  // fraction[k] = k / m, as ks_statistic_uniform divides
    const std::size_t nb = std::max<std::size_t>(1, m / values_per_bucket);
    const std::uint16_t* const table = bucket_table(nb);
    if (buckets_.size() < nb) buckets_.resize(nb);  // every bucket is empty between calls
    Bucket* const buckets = buckets_.data();
    for (const double value : x) {
      Bucket& b = buckets[table[interval(value)]];
      b.low = value < b.low ? value : b.low;
      b.high = value > b.high ? value : b.high;
      ++b.count;
    }
    // The smallest and largest u of every bucket, at their ranks.
    double d = 0.0;
    std::size_t rank = 0;
    for (std::size_t k = 0; k < nb; ++k) {
      Bucket& b = buckets[k];
      if (b.count == 0) continue;
      b.low = u_of(b.low);
      b.high = b.count == 1 ? b.low : u_of(b.high);
      const std::size_t last = rank + b.count - 1;
      d = std::max(d, std::max(candidates(fraction, rank, b.low), candidates(fraction, last, b.high)));
      rank += b.count;
    }
    // Buckets of three or more values whose bound exceeds d: sort their u.
    bool any_flagged = false;
    flagged_buckets_.clear();
    rank = 0;
    for (std::size_t k = 0; k < nb; ++k) {
      Bucket& b = buckets[k];
      const std::size_t c = b.count;
      if (c > 2 && std::max(fraction[rank + c] - b.low, b.high - fraction[rank]) > d) {
        flagged_buckets_.emplace_back(k, rank);
        b.flagged = true;
        any_flagged = true;
      }
      rank += c;
      if (!b.flagged) b = Bucket{};
    }
    if (!any_flagged) return d;
    flagged_.clear();
    for (const double value : x) {
      const std::size_t k = table[interval(value)];
      if (buckets[k].flagged) flagged_.emplace_back(k, u_of(value));
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
  static constexpr std::size_t values_per_bucket = 8;
  static constexpr std::size_t intervals = std::size_t{1} << 16;
  struct Bucket {
    double low = HUGE_VAL;  // the smallest x, then its u
    double high = -HUGE_VAL;
    std::uint32_t count = 0;
    bool flagged = false;
  };
  double u_of(double value) const { return std::clamp(cdf_(value), 0.0, 1.0); }
  static double candidates(const double* fraction, std::size_t k, double u) noexcept {
    return std::max(fraction[k + 1] - u, u - fraction[k]);
  }
  // The interval of x: non-decreasing in x (NaN-free input).
  std::size_t interval(double value) const noexcept {
    const double t = std::clamp((value - low_) * inverse_width_, 0.0, static_cast<double>(intervals - 1));
    return static_cast<std::size_t>(static_cast<std::int64_t>(t));
  }
  // The bucket of every interval for nb buckets, kept for the last two (chunks have two lengths).
  const std::uint16_t* bucket_table(std::size_t nb) {
    for (auto& [buckets, table] : tables_) {
      if (buckets == nb) return table.data();
    }
    auto& [buckets, table] = tables_[next_table_++ % tables_.size()];
    buckets = nb;
    table.assign(intervals, 0);
    std::size_t previous = 0;
    for (std::size_t k = 1; k < intervals; ++k) {  // interval 0 holds everything below low: bucket 0
      const double u = u_of(low_ + static_cast<double>(k) * width_);
      const double position = u * static_cast<double>(nb);
      const std::size_t b = std::min(nb - 1, static_cast<std::size_t>(static_cast<std::int64_t>(position)));
      previous = std::max(previous, b);
      table[k] = static_cast<std::uint16_t>(std::min<std::size_t>(previous, 0xFFFF));
    }
    return table.data();
  }
  // k / m for k = 0 .. m + 1, kept for the last two lengths.
  const double* fractions(std::size_t m) {
    for (auto& [length, table] : fractions_) {
      if (length == m) return table.data();
    }
    auto& [length, table] = fractions_[next_++ % fractions_.size()];
    length = m;
    table.resize(m + 2);
    const double n = static_cast<double>(m);
    for (std::size_t k = 0; k <= m + 1; ++k) table[k] = static_cast<double>(k) / n;
    return table.data();
  }

  Cdf cdf_;
  double low_, width_ = 0.0, inverse_width_ = 0.0;
  std::vector<Bucket> buckets_;
  std::vector<std::pair<std::size_t, std::size_t>> flagged_buckets_;
  std::vector<std::pair<std::size_t, double>> flagged_;
  std::array<std::pair<std::size_t, std::vector<double>>, 2> fractions_{};
  std::array<std::pair<std::size_t, std::vector<std::uint16_t>>, 2> tables_{};
  std::size_t next_ = 0, next_table_ = 0;
};

}  // namespace nninit::validation::internal
