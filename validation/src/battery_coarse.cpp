// The battery's passes on a coarse grid (bfloat16, float16): the values as
// 16-bit keys, a histogram in place of the sort, and the Anderson–Darling
// statistic of the randomised transform in batches of distinct values.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#include "battery_core.hpp"
#include "battery_passes.hpp"
#include "jitter.hpp"
#include "key_range.hpp"
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
  std::uint16_t first_order, last_order;  // the total_order_key16 of its keys (two for -0 and +0)
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
      result.groups.push_back(Group{v, 0, rank, below, at, at - below, static_cast<std::uint16_t>(order), 0});
    }
    result.groups.back().last_order = static_cast<std::uint16_t>(order);
    result.groups.back().count += count[key];
    rank += count[key];
    result.of_key[key] = static_cast<std::uint32_t>(result.groups.size() - 1);
  }
  return result;
}

// Sorts jitter bits that lie in [low, high) (about uniformly: they are a hash
// of the index) into `out`: one bucket per value, then insertion.
void sort_jitters(std::span<const std::uint64_t> in, std::uint64_t low, std::uint64_t high, std::span<std::uint64_t> out,
                  std::vector<std::uint32_t>& starts) {
  const std::size_t m = in.size();
  if (m < 64) std::copy(in.begin(), in.end(), out.begin());
  if (m > 1) {
    if (m >= 64) {
      const double factor = static_cast<double>(m) / static_cast<double>(high - low);
      const auto bucket = [&](std::uint64_t j) {
        // (through signed integers: j - low < 2^53, and the product is below m)
        const double position = static_cast<double>(static_cast<std::int64_t>(j - low)) * factor;
        return std::min(m - 1, static_cast<std::size_t>(static_cast<std::int64_t>(position)));
      };
      starts.assign(m + 1, 0);
      for (const std::uint64_t j : in) ++starts[bucket(j) + 1];
      for (std::size_t b = 0; b < m; ++b) starts[b + 1] += starts[b];
      for (const std::uint64_t j : in) out[starts[bucket(j)]++] = j;
    }
    for (std::size_t i = 1; i < m; ++i) {  // only neighbours within a bucket are out of order
      const std::uint64_t j = out[i];
      std::size_t k = i;
      while (k > 0 && out[k - 1] > j) {
        out[k] = out[k - 1];
        --k;
      }
      out[k] = j;
    }
  }
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

// Reports progress from 0.5 to 1 batch by batch.
double anderson_darling_of_groups(std::span<const std::uint16_t> keys, const Groups& grouped,
                                  std::uint64_t seed, std::size_t budget_bytes, const ProgressReport& progress) {
  const std::size_t n = keys.size();
  const std::vector<Group>& groups = grouped.groups;
  constexpr std::uint64_t jitter_range = std::uint64_t{1} << 53;
  constexpr int bin_shift = 37;  // 2^16 bins of the 53-bit jitter
  constexpr std::size_t bins = std::size_t{1} << 16;
  const std::size_t budget = std::max<std::size_t>(std::size_t{1} << 16, budget_bytes / sizeof(std::uint64_t));
  const std::size_t piece_limit = std::max<std::size_t>(std::size_t{1} << 12, budget / 8);

  // A piece: the values of one group whose jitter lies in [low, high), with
  // the rank of the first. Groups larger than piece_limit are split by the
  // histogram of their jitters.
  struct Piece {
    std::size_t group;
    std::uint64_t low, high;
    std::size_t count;
    std::size_t rank;
  };
  std::vector<std::uint32_t> big_of_group(groups.size(), no_group);
  std::size_t big = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].count > piece_limit) big_of_group[g] = static_cast<std::uint32_t>(big++);
  }
  std::vector<std::vector<std::size_t>> histogram(big, std::vector<std::size_t>(bins, 0));
  if (big != 0) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t b = big_of_group[grouped.of_key[keys[i]]];
      if (b != no_group) ++histogram[b][jitter_bits(seed, i) >> bin_shift];
    }
  }
  std::vector<Piece> pieces;
  std::vector<std::vector<std::uint32_t>> piece_of_bin(big);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::uint32_t b = big_of_group[g];
    if (b == no_group) {
      pieces.push_back(Piece{g, 0, jitter_range, groups[g].count, groups[g].rank});
      continue;
    }
    piece_of_bin[b].assign(bins, 0);
    std::size_t rank = groups[g].rank;
    std::size_t first = 0, count = 0;
    for (std::size_t bin = 0; bin <= bins; ++bin) {
      const bool close = bin == bins || (count > 0 && count + histogram[b][bin] > piece_limit);
      if (close && count > 0) {
        for (std::size_t k = first; k < bin; ++k) piece_of_bin[b][k] = static_cast<std::uint32_t>(pieces.size());
        pieces.push_back(Piece{g, std::uint64_t{first} << bin_shift, std::uint64_t{bin} << bin_shift, count, rank});
        rank += count;
        first = bin;
        count = 0;
      }
      if (bin < bins) {
        if (count == 0) first = bin;
        count += histogram[b][bin];
      }
    }
  }

  // The batches: pieces [batch_start[b], batch_start[b + 1]) holding at most
  // `budget` values (at least one piece each).
  std::vector<std::size_t> batch_start{0};
  std::size_t largest_piece = 0, largest_batch = 0;
  for (std::size_t p = 0, total = 0; p < pieces.size(); ++p) {
    if (total > 0 && total + pieces[p].count > budget) {
      batch_start.push_back(p);
      total = 0;
    }
    total += pieces[p].count;
    largest_batch = std::max(largest_batch, total);
    largest_piece = std::max(largest_piece, pieces[p].count);
  }
  batch_start.push_back(pieces.size());
  std::vector<std::uint64_t> buffer(largest_batch), sorted(largest_piece);
  std::vector<std::uint32_t> starts;
  std::vector<std::int64_t> slot_of_key(key_count, -1), slot_of_group(groups.size(), -1);
  std::vector<std::size_t> position;
  long double sum = 0.0L;
  const long double size = static_cast<long double>(n);
  RankBlocks block;
  for (std::size_t batch = 0; batch + 1 < batch_start.size(); ++batch) {
    const std::size_t first = batch_start[batch], last = batch_start[batch + 1];
    position.assign(last - first + 1, 0);
    for (std::size_t p = first; p < last; ++p) position[p - first + 1] = position[p - first] + pieces[p].count;
    // Where a key's values go in this batch: a slot, a big group's bins, or nowhere (-1).
    std::fill(slot_of_group.begin(), slot_of_group.end(), -1);
    for (std::size_t p = first; p < last; ++p) {
      const std::size_t g = pieces[p].group;
      const std::uint32_t b = big_of_group[g];
      slot_of_group[g] = b != no_group ? -2 - static_cast<std::int64_t>(b) : static_cast<std::int64_t>(p - first);
    }
    for (std::size_t key = 0; key < key_count; ++key) {
      const std::uint32_t g = grouped.of_key[key];
      slot_of_key[key] = g == no_group ? -1 : slot_of_group[g];
    }
    std::vector<std::size_t> next(position.begin(), position.end() - 1);
    // The batch's groups are consecutive in value order, so its keys are those
    // whose total-order key lies in [lowest, lowest + width]: a test without a
    // table, made for 64 values at once, then only the members are visited.
    const std::uint16_t lowest = groups[pieces[first].group].first_order;
    const auto width = static_cast<std::uint16_t>(groups[pieces[last - 1].group].last_order - lowest);
    const std::uint16_t* const key = keys.data();
    for (std::size_t base = 0; base < n; base += 64) {
      const std::size_t count = std::min<std::size_t>(64, n - base);
      std::uint64_t members = count == 64 ? keys_in_range_64(key + base, lowest, width)
                                          : keys_in_range_scalar(key + base, count, lowest, width);
      while (members != 0) {
        const std::size_t i = base + static_cast<std::size_t>(std::countr_zero(members));
        members &= members - 1;
        const std::int64_t slot = slot_of_key[key[i]];
        const std::uint64_t j = jitter_bits(seed, i);
        if (slot >= 0) {
          buffer[next[static_cast<std::size_t>(slot)]++] = j;
        } else {
          const std::size_t p = piece_of_bin[static_cast<std::size_t>(-2 - slot)][j >> bin_shift];
          if (p >= first && p < last) buffer[next[p - first]++] = j;
        }
      }
    }
    for (std::size_t p = first; p < last; ++p) {
      const Piece& piece = pieces[p];
      const Group& group = groups[piece.group];
      const std::span<std::uint64_t> out(sorted.data(), piece.count);
      sort_jitters(std::span<const std::uint64_t>(buffer.data() + position[p - first], piece.count), piece.low,
                   piece.high, out, starts);
      // log u and log(1 - u) about the middle c of the group's range of u:
      // log c + log1p((u - c) / c), the series to t^10 where |t| <= 1/64
      // (truncation below 1.2e-19); std::log and std::log1p elsewhere.
      const double c = group.below + 0.5 * group.mass, c1 = 1.0 - c;
      const bool series = c > 0.0 && c1 > 0.0 && 32.0 * group.mass <= c && 32.0 * group.mass <= c1;
      const double log_c = series ? std::log(c) : 0.0, log_c1 = series ? std::log1p(-c) : 0.0;
      const double inverse_c = 1.0 / c, inverse_c1 = 1.0 / c1;
      for (std::size_t k = 0; k < piece.count; ++k) {
        const double u = group.below + jitter_from_bits(out[k]) * group.mass;
        double log_u, log_1mu;
        if (series) {
          const double d = u - c;  // exact: u is within 1/64 of c
          log_u = log_c + log1p_series(d * inverse_c);
          log_1mu = log_c1 + log1p_series(-d * inverse_c1);
        } else {
          log_u = std::log(u);
          log_1mu = std::log1p(-u);
        }
        block.add(piece.rank + k, log_u, log_1mu, sum, size);
      }
    }
    progress(0.5 + 0.5 * static_cast<double>(batch + 1) / static_cast<double>(batch_start.size() - 1));
  }
  block.flush(sum, size);
  return static_cast<double>(-size - sum / size);
}

}  // namespace

double coarse_anderson_darling(std::span<const std::uint16_t> keys, HalfFormat grid_format,
                               const ReferenceDistribution& dist, std::uint64_t jitter_seed,
                               std::size_t budget_bytes) {
  return anderson_darling_of_groups(keys, group_keys(keys, grid_format, dist), jitter_seed, budget_bytes, {});
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

  // (a) Storage order: correlations, and the randomised transform's bins and chunks.
  const std::size_t chunks = options.two_level_chunks;
  summary.two_level_run = chunks != 0;
  const std::size_t blocks = chunks != 0 ? chunks : (n + fixed_block - 1) / fixed_block;
  const auto block_begin = [&](std::size_t c) { return chunks != 0 ? c * n / chunks : std::min(n, c * fixed_block); };
  const std::size_t longest = chunks != 0 ? n / chunks + 1 : fixed_block;
  std::vector<double> buffer(longest + 1), partners(longest), u(longest);
  double* const x = buffer.data() + 1;
  const std::size_t half = n / 2;
  const std::size_t bins = options.equiprobable_bins;
  summary.equiprobable_counts.assign(bins, 0);
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
    for (std::size_t k = 0; k < length; ++k) {
      const std::uint16_t key = keys[begin + k];
      u[k] = below[key] + jitter(options.jitter_seed, begin + k) * mass[key];
      ++summary.equiprobable_counts[equiprobable_bin(u[k], bins)];
    }
    if (chunks != 0) {
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
      anderson_darling_of_groups(keys, grouped, options.jitter_seed, options.coarse_budget_bytes, options.progress);
  return summary;
}

}  // namespace nninit::validation::internal
