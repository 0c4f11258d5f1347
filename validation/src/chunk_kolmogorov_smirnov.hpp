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
// at the same ranks) where F is non-decreasing, with F evaluated only at the
// values of the few buckets it sorts. The buckets (about `values_per_bucket`
// each) are ranges of x: a table of 2^16 equal intervals of [low, high]
// (values beyond it in the end intervals) gives each interval the bucket of F
// at its left end, so a larger value never gets an earlier bucket, whatever
// F's rounding; each bucket has bounds A <= u <= B on the u of its values (F
// at its intervals' ends, widened by 1/16 of an interval against rounding).
// One pass counts the values per bucket; the counts and bounds give a lower
// bound d of D (the first value of a bucket is a candidate of at least
// A - rank / m, its last of at least (rank + count) / m - B) and an upper bound
// of every candidate inside each bucket; only the buckets whose upper bound
// exceeds d can hold D, and only their values are transformed and sorted.
// F is a callable double(double).
template <class Cdf>
class ValueKolmogorovSmirnov {
 public:
  // F and the range of x its table covers (e.g. the reference's mean +- 8 sd).
  ValueKolmogorovSmirnov(Cdf cdf, double low, double high) : cdf_(cdf), low_(low) {
    const double width = (high - low) / static_cast<double>(intervals);
    inverse_width_ = std::isfinite(width) && width > 0.0 ? 1.0 / width : 0.0;
    width_ = width;
    // The bounds hold when an interval's ends are computed to within 1/64 of an
    // interval; otherwise (a degenerate or huge range) every bucket is bounded by [0, 1].
    const double spread = std::fabs(low) + std::fabs(high);
    bounded_ = inverse_width_ > 0.0 && std::isfinite(spread) && spread * 0x1p-48 < width;
  }

  double statistic(std::span<const double> x) {
    const std::size_t m = x.size();
    if (m == 0) return 0.0;
    const double* fraction = fractions(m);  // fraction[k] = k / m, as ks_statistic_uniform divides
    const std::size_t nb = std::max<std::size_t>(1, m / values_per_bucket);
    const Table& table = bucket_table(nb);
    const std::uint16_t* const bucket_of = table.bucket.data();
    if (count_.size() < nb) count_.assign(nb, 0);  // every count is 0 between calls
    if (bucket_.size() < m) bucket_.resize(m);
    std::uint32_t* const count = count_.data();
    std::uint16_t* const bucket = bucket_.data();
    // Every value's interval first (a loop the compiler vectorises), then its bucket.
    for (std::size_t i = 0; i < m; ++i) bucket[i] = interval(x[i]);
    for (std::size_t i = 0; i < m; ++i) {
      const std::uint16_t k = bucket_of[bucket[i]];
      bucket[i] = k;
      ++count[k];
    }
    // The lower bound of D from every bucket's first and last value.
    const double* const low = table.low.data();
    const double* const high = table.high.data();
    double d = 0.0;
    std::size_t rank = 0;
    for (std::size_t k = 0; k < nb; ++k) {
      const std::size_t c = count[k];
      if (c == 0) continue;
      d = std::max(d, std::max(low[k] - fraction[rank], fraction[rank + c] - high[k]));
      rank += c;
    }
    // The buckets that can hold a larger candidate: their values are sorted.
    flagged_buckets_.clear();
    if (flag_.size() < nb) flag_.assign(nb, 0);
    rank = 0;
    for (std::size_t k = 0; k < nb; ++k) {
      const std::size_t c = count[k];
      if (c != 0 && std::max(fraction[rank + c] - low[k], high[k] - fraction[rank]) > d) {
        flagged_buckets_.emplace_back(k, rank);
        flag_[k] = 1;
      }
      rank += c;
      count[k] = 0;
    }
    if (flagged_buckets_.empty()) return d;
    // The flagged values' indices, without a branch per value.
    if (flagged_index_.size() < m) flagged_index_.resize(m);
    std::uint32_t* const index = flagged_index_.data();
    std::size_t flagged = 0;
    for (std::size_t i = 0; i < m; ++i) {
      index[flagged] = static_cast<std::uint32_t>(i);
      flagged += flag_[bucket[i]];
    }
    flagged_.clear();
    for (std::size_t f = 0; f < flagged; ++f) flagged_.emplace_back(bucket[index[f]], u_of(x[index[f]]));
    std::sort(flagged_.begin(), flagged_.end());
    std::size_t i = 0;
    for (const auto& [k, first_rank] : flagged_buckets_) {
      for (std::size_t r = first_rank; i < flagged_.size() && flagged_[i].first == k; ++i, ++r) {
        d = std::max(d, candidates(fraction, r, flagged_[i].second));
      }
      flag_[k] = 0;
    }
    return d;
  }

 private:
  static constexpr std::size_t values_per_bucket = 4;
  static constexpr std::size_t intervals = std::size_t{1} << 16;
  // The bucket of every interval for nb buckets, and each bucket's bounds on u.
  struct Table {
    std::size_t buckets = 0;
    std::vector<std::uint16_t> bucket;
    std::vector<double> low, high;
  };
  double u_of(double value) const { return std::clamp(cdf_(value), 0.0, 1.0); }
  static double candidates(const double* fraction, std::size_t k, double u) noexcept {
    return std::max(fraction[k + 1] - u, u - fraction[k]);
  }
  // The interval of x: non-decreasing in x (NaN-free input; a NaN would get interval 0).
  std::uint16_t interval(double value) const noexcept {
    double t = (value - low_) * inverse_width_;
    t = t > 0.0 ? t : 0.0;
    t = t < static_cast<double>(intervals - 1) ? t : static_cast<double>(intervals - 1);
    return static_cast<std::uint16_t>(static_cast<std::int32_t>(t));
  }
  // Kept for the last two bucket counts (chunks have two lengths).
  const Table& bucket_table(std::size_t nb) {
    for (const Table& table : tables_) {
      if (table.buckets == nb) return table;
    }
    Table& table = tables_[next_table_++ % tables_.size()];
    table.buckets = nb;
    table.bucket.assign(intervals, 0);
    std::size_t previous = 0;
    for (std::size_t k = 1; k < intervals; ++k) {  // interval 0 holds everything below low: bucket 0
      const double u = u_of(low_ + static_cast<double>(k) * width_);
      const double position = u * static_cast<double>(nb);
      const std::size_t b = std::min(nb - 1, static_cast<std::size_t>(static_cast<std::int64_t>(position)));
      previous = std::max(previous, b);
      table.bucket[k] = static_cast<std::uint16_t>(std::min<std::size_t>(previous, 0xFFFF));
    }
    // A value in interval k lies in [low + (k - 1/16) width, low + (k + 1 + 1/16) width]
    // (the end intervals are open to the outside).
    table.low.assign(nb, 0.0);
    table.high.assign(nb, 1.0);
    if (bounded_) {
      for (std::size_t k = intervals; k-- > 0;) {  // the first interval of each bucket
        if (k > 0) table.low[table.bucket[k]] = u_of(low_ + (static_cast<double>(k) - 0.0625) * width_);
      }
      for (std::size_t k = 0; k < intervals; ++k) {  // the last
        if (k + 1 < intervals) table.high[table.bucket[k]] = u_of(low_ + (static_cast<double>(k) + 1.0625) * width_);
      }
      table.low[table.bucket[0]] = 0.0;
      table.high[table.bucket[intervals - 1]] = 1.0;
    }
    return table;
  }
  // k / m for k = 0 .. m, kept for the last two lengths.
  const double* fractions(std::size_t m) {
    for (auto& [length, table] : fractions_) {
      if (length == m) return table.data();
    }
    auto& [length, table] = fractions_[next_++ % fractions_.size()];
    length = m;
    table.resize(m + 1);
    const double n = static_cast<double>(m);
    for (std::size_t k = 0; k <= m; ++k) table[k] = static_cast<double>(k) / n;
    return table.data();
  }

  Cdf cdf_;
  double low_, width_ = 0.0, inverse_width_ = 0.0;
  bool bounded_ = false;
  std::vector<std::uint32_t> count_;
  std::vector<std::uint16_t> bucket_;
  std::vector<std::uint8_t> flag_;
  std::vector<std::uint32_t> flagged_index_;
  std::vector<std::pair<std::size_t, std::size_t>> flagged_buckets_;
  std::vector<std::pair<std::size_t, double>> flagged_;
  std::array<std::pair<std::size_t, std::vector<double>>, 2> fractions_{};
  std::array<Table, 2> tables_{};
  std::size_t next_ = 0, next_table_ = 0;
};

}  // namespace nninit::validation::internal
