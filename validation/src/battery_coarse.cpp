// The battery's passes on a coarse grid (bfloat16, float16): the values as
// 16-bit keys, a histogram in place of the sort, and the Anderson–Darling
// statistic of the randomised transform from the histogram alone.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#include "ascending_jitters.hpp"
#include "battery_core.hpp"
#include "battery_passes.hpp"
#include "nninit/validation/chi_squared.hpp"
#include "nninit/validation/kolmogorov_distribution.hpp"
#include "nninit/validation/tail_counts.hpp"
#include "radix_sort.hpp"

namespace nninit::validation::internal {
namespace {

constexpr std::size_t key_count = std::size_t{1} << 16;
constexpr std::uint32_t no_group = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t fixed_block = 16384;

// The distinct values of the keys (-0 and +0 are one), ascending, with their
// counts and the rounded law's P(Y < v) and P(Y = v).
struct Group {
  double value;
  std::size_t count;
  std::size_t rank;  // values below it
  double below;      // output_cdf_below(value)
  double at;         // output_cdf(value)
  double mass;       // at - below, as probability_integral_transform takes it
};

struct Groups {
  std::vector<Group> groups;
  std::vector<std::uint32_t> of_key;  // the group of each key present, no_group otherwise
};

Groups group_keys(std::span<const std::uint16_t> keys, HalfFormat format, const ReferenceDistribution& dist) {
  std::vector<std::size_t> count(key_count, 0);
  for (const std::uint16_t key : keys) ++count[key];
  Groups result;
  result.of_key.assign(key_count, no_group);
  std::size_t rank = 0;
  for (std::size_t order = 0; order < key_count; ++order) {
    const std::uint16_t key = bits_of_total_order_key16(static_cast<std::uint16_t>(order));
    if (count[key] == 0) continue;
    const double v = half_bits_to_double(key, format);
    if (result.groups.empty() || result.groups.back().value != v) {
      const double below = dist.output_cdf_below(v);
      const double at = dist.output_cdf(v);
      result.groups.push_back(Group{v, 0, rank, below, at, at - below});
    }
    result.groups.back().count += count[key];
    rank += count[key];
    result.of_key[key] = static_cast<std::uint32_t>(result.groups.size() - 1);
  }
  return result;
}

// log1p(t) for |t| <= 1/64: its series to t^10 (truncation below 1.2e-19).
inline double log1p_series(double t) noexcept {
  constexpr double c2 = -1.0 / 2, c3 = 1.0 / 3, c4 = -1.0 / 4, c5 = 1.0 / 5, c6 = -1.0 / 6, c7 = 1.0 / 7,
                   c8 = -1.0 / 8, c9 = 1.0 / 9, c10 = -1.0 / 10;
  const double t2 = t * t;
  const double a = c9 + t * c10, b = c7 + t * c8, e = c5 + t * c6, f = c3 + t * c4;
  const double high = (e + t2 * (b + t2 * a));
  return t + t2 * ((c2 + t * f) + (t2 * t) * high);
}

// The Anderson–Darling sum over ranks r of (2r + 1) log u + (2(n - r) - 1) log(1 - u),
// in blocks of 1024 consecutive ranks from a multiple of 1024: the weights as
// (2R + 1) + 2k and (2(n - R) - 1) - 2k for the block's first rank R, so that
// the doubles summed stay small; each block added in long double. The blocks
// do not depend on how the values were batched, so neither does the sum.
class RankBlocks {
 public:
  void add(std::size_t rank, double log_u, double log_1mu, long double& sum, long double size) noexcept {
    if (!std::isfinite(log_u) || !std::isfinite(log_1mu)) {  // u = 0 or 1: the term itself (-inf), as the reference adds it
      const long double r = static_cast<long double>(rank);
      sum += (2.0L * r + 1.0L) * static_cast<long double>(log_u) +
             (2.0L * (size - r) - 1.0L) * static_cast<long double>(log_1mu);
      return;
    }
    if (rank >= first_ + 1024) {
      flush(sum, size);
      first_ = rank - rank % 1024;
    }
    const auto offset = static_cast<double>(static_cast<std::int64_t>(rank - first_));
    low_ += log_u;
    high_ += log_1mu;
    low_weighted_ += offset * log_u;
    high_weighted_ += offset * log_1mu;
  }
  void flush(long double& sum, long double size) noexcept {
    const long double rank = static_cast<long double>(first_);
    sum += (2.0L * rank + 1.0L) * static_cast<long double>(low_) + 2.0L * static_cast<long double>(low_weighted_) +
           (2.0L * (size - rank) - 1.0L) * static_cast<long double>(high_) - 2.0L * static_cast<long double>(high_weighted_);
    low_ = high_ = low_weighted_ = high_weighted_ = 0.0;
  }

 private:
  std::size_t first_ = 0;
  double low_ = 0.0, high_ = 0.0, low_weighted_ = 0.0, high_weighted_ = 0.0;
};

// Adds to counts[b] the jitters U[0..count) (ascending) whose u = below + U mass
// lies in equiprobable bin b: the bins ascend with U, so a binary search per
// bin boundary crossed.
void count_bins(const double* jitters, std::size_t count, const Group& group, std::span<std::size_t> counts) {
  const std::size_t bins = counts.size();
  const auto bin_of = [&](double jitter) { return equiprobable_bin(group.below + jitter * group.mass, bins); };
  const double* first = jitters;
  const double* const end = jitters + count;
  while (first != end) {
    const std::size_t bin = bin_of(*first);
    const double* const next =
        bin_of(end[-1]) == bin ? end : std::partition_point(first, end, [&](double j) { return bin_of(j) == bin; });
    counts[bin] += static_cast<std::size_t>(next - first);
    first = next;
  }
}

// The Anderson–Darling statistic of the randomised transform with each
// distinct value's jitters drawn for the value (ascending_jitters.hpp): for
// each value in ascending order, its jitters in ascending order. Adds the
// equiprobable bins of the same u to `bin_counts` (if not empty). Reports
// progress from 0.5 to 1 by values.
double anderson_darling_of_groups(const Groups& grouped, std::size_t n, std::uint64_t seed,
                                  std::span<std::size_t> bin_counts, const ProgressReport& progress) {
  const std::vector<Group>& groups = grouped.groups;
  constexpr std::size_t slice = 4096;  // ranks summed in doubles before the long double
  long double sum = 0.0L;
  const long double size = static_cast<long double>(n);
  RankBlocks block;
  std::size_t done = 0, reported = 0;
  for (const Group& group : groups) {
    // log u and log(1 - u) about the middle c of the value's range of u:
    // log c + log1p((u - c) / c), the series to t^10 where |t| <= 1/64
    // (truncation below 1.2e-19); std::log and std::log1p elsewhere.
    const double c = group.below + 0.5 * group.mass, c1 = 1.0 - c;
    const bool series = c > 0.0 && c1 > 0.0 && 32.0 * group.mass <= c && 32.0 * group.mass <= c1;
    const SeriesGroup terms{group.below, group.mass, c, 1.0 / c, 1.0 / c1,
                            series ? std::log(c) : 0.0, series ? std::log1p(-c) : 0.0};
    AscendingJitters jitters(seed, group.value, group.count);
    std::size_t rank = group.rank;
    for (auto piece = jitters.next(); !piece.empty(); piece = jitters.next()) {
      for (std::size_t first = 0; first < piece.size(); first += slice) {
        const std::size_t count = std::min(slice, piece.size() - first);
        const double* const u_jitters = piece.data() + first;
        if (!bin_counts.empty()) count_bins(u_jitters, count, group, bin_counts);
        if (series) {
          const SeriesSums s = anderson_darling_series_sums(u_jitters, count, terms);
          const long double r = static_cast<long double>(rank);
          sum += (2.0L * r + 1.0L) * static_cast<long double>(s.low) + 2.0L * static_cast<long double>(s.low_offset) +
                 (2.0L * (size - r) - 1.0L) * static_cast<long double>(s.high) -
                 2.0L * static_cast<long double>(s.high_offset);
        } else {
          for (std::size_t k = 0; k < count; ++k) {
            const double u = group.below + u_jitters[k] * group.mass;
            block.add(rank + k, std::log(u), std::log1p(-u), sum, size);
          }
        }
        rank += count;
      }
    }
    done += group.count;
    if (done - reported >= (n >> 6)) {
      reported = done;
      progress(0.5 + 0.5 * static_cast<double>(done) / static_cast<double>(n));
    }
  }
  block.flush(sum, size);
  progress(1.0);
  return static_cast<double>(-size - sum / size);
}

}  // namespace

double coarse_anderson_darling(std::span<const std::uint16_t> keys, HalfFormat grid_format,
                               const ReferenceDistribution& dist, std::uint64_t jitter_seed) {
  return anderson_darling_of_groups(group_keys(keys, grid_format, dist), keys.size(), jitter_seed, {}, {});
}

BatterySummary coarse_passes(std::span<const std::uint16_t> keys, HalfFormat grid_format,
                             const ReferenceDistribution& dist, const PassOptions& options) {
  const std::size_t n = keys.size();
  BatterySummary summary;
  summary.n = n;
  const Groups grouped = group_keys(keys, grid_format, dist);
  std::vector<double> value(key_count, 0.0), below(key_count, 0.0), mass(key_count, 0.0);
  for (std::size_t key = 0; key < key_count; ++key) {
    const std::uint32_t g = grouped.of_key[key];
    if (g == no_group) continue;
    value[key] = grouped.groups[g].value;
    below[key] = grouped.groups[g].below;
    mass[key] = grouped.groups[g].mass;
  }

  // (a) Storage order: correlations, and the randomised transform's chunks
  // (the jitter of each index); its equiprobable bins come with (b).
  const std::size_t chunks = options.two_level_chunks;
  summary.two_level_run = chunks != 0;
  const std::size_t blocks = chunks != 0 ? chunks : (n + fixed_block - 1) / fixed_block;
  const auto block_begin = [&](std::size_t c) { return chunks != 0 ? c * n / chunks : std::min(n, c * fixed_block); };
  const std::size_t longest = chunks != 0 ? n / chunks + 1 : fixed_block;
  std::vector<double> buffer(longest + 1), partners(longest), u(longest);
  double* const x = buffer.data() + 1;
  const std::size_t half = n / 2;
  summary.equiprobable_counts.assign(options.equiprobable_bins, 0);
  CoMomentAccumulator serial, halves;
  UnsortedKolmogorovSmirnov chunk_ks;
  if (chunks != 0) summary.chunk_p_values.reserve(chunks);
  for (std::size_t c = 0; c < blocks; ++c) {
    const std::size_t begin = block_begin(c), end = block_begin(c + 1), length = end - begin;
    if (length == 0) continue;
    for (std::size_t k = 0; k < length; ++k) x[k] = value[keys[begin + k]];
    if (begin == 0) {
      serial.add(x, x + 1, length - 1);
    } else {
      serial.add(x - 1, x, length);
    }
    if (begin < half) {
      const std::size_t pairs = std::min(end, half) - begin;
      for (std::size_t k = 0; k < pairs; ++k) partners[k] = value[keys[begin + half + k]];
      halves.add(x, partners.data(), pairs);
    }
    if (chunks != 0) {
      index_jitters(options.jitter_seed, begin, length, u.data());
      for (std::size_t k = 0; k < length; ++k) {
        const std::uint16_t key = keys[begin + k];
        u[k] = below[key] + u[k] * mass[key];
      }
      const double d = chunk_ks.statistic(std::span<const double>(u.data(), length));
      summary.chunk_p_values.push_back(kolmogorov_smirnov_p_value(length, d));
    }
    buffer[0] = x[length - 1];
    options.progress(0.5 * static_cast<double>(end) / static_cast<double>(n));
  }
  summary.serial = serial.moments();
  summary.halves = halves.moments();

  // (b) Ascending order: the distinct values.
  const std::vector<Group>& groups = grouped.groups;
  const double size = static_cast<double>(n);
  const double scale = moment_scale(std::fmax(std::fabs(groups.front().value), std::fabs(groups.back().value)));
  CompensatedSum sum;
  for (const Group& g : groups) add_product(sum, g.count, g.value / scale);
  CentredMoments centred(sum.value() / size, scale);
  const double lower = dist.output_lower(), upper = dist.output_upper();
  std::vector<TailRange> tails;
  if (options.tail_counts) {
    for (const double k : default_tail_multiples) tails.push_back(tail_range(dist, k));
  }
  summary.tail_counts.assign(tails.size(), 0);
  BoundsCounts& bounds = summary.bounds;
  double ks = 0.0;
  for (const Group& g : groups) {
    const double v = g.value;
    centred.add(v, g.count);
    if (v < lower || v > upper) bounds.outside += g.count;
    if (v == lower) bounds.at_lower += g.count;
    if (v == upper) bounds.at_upper += g.count;
    for (std::size_t t = 0; t < tails.size(); ++t) {
      if (v < tails[t].low || v > tails[t].high) summary.tail_counts[t] += g.count;
    }
    // The step CDF: P(Y < v) just below v against i / n, P(Y <= v) at v against j / n.
    ks = std::max({ks, std::fabs(static_cast<double>(g.rank) / size - g.below),
                   std::fabs(static_cast<double>(g.rank + g.count) / size - g.at)});
    summary.distinct.emplace_back(v, g.count);
  }
  summary.moments = centred.moments(n);
  bounds.minimum = groups.front().value;
  bounds.maximum = groups.back().value;
  summary.ks_statistic = ks;
  summary.collisions = n - groups.size();
  summary.ad_statistic =
      anderson_darling_of_groups(grouped, n, options.jitter_seed, summary.equiprobable_counts, options.progress);
  return summary;
}

}  // namespace nninit::validation::internal
