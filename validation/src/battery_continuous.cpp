// The battery's passes on a continuous or float32 grid: values in their own
// dtype, sorted in place between the two passes.
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "battery_core.hpp"
#include "battery_passes.hpp"
#include "chunk_kolmogorov_smirnov.hpp"
#include "nninit/validation/cdf_table.hpp"
#include "nninit/validation/chi_squared.hpp"
#include "nninit/validation/kolmogorov_distribution.hpp"
#include "nninit/validation/tail_counts.hpp"
#include "radix_sort.hpp"
#include "run_sums.hpp"
#include "vector_sort.hpp"

namespace nninit::validation::internal {

void FloatElements::sort(std::span<float> values) { sort_total_order(values); }
void DoubleElements::sort(std::span<double> values) { sort_total_order(values); }

HalfElements::HalfElements(HalfFormat half_format) : format(half_format), table(std::size_t{1} << 16) {
  for (std::size_t bits = 0; bits < table.size(); ++bits) {
    table[bits] = half_bits_to_double(static_cast<std::uint16_t>(bits), format);
  }
}
void HalfElements::sort(std::span<std::uint16_t> bits) const { sort_in_place_16(bits); }

namespace {

// Blocks of the streaming pass when the two-level test does not set them.
constexpr std::size_t fixed_block = 16384;

// F, 1 - F and their logarithms of the sorted pass's run values, where the
// table's lanes do not take them: CdfTable::evaluate_many, and a value on or
// beyond a bound (F or 1 - F is 0) with half the mass of its rounding
// interval inside the support, as anderson_darling_statistic takes it (the
// interval: the neighbouring doubles on a continuous grid).
struct RunLaw {
  const CdfTable& cdf;
  const ReferenceDistribution& dist;

  RoundingInterval edges(double v) const {
    if (dist.grid() == OutputGrid::continuous) return {std::nextafter(v, -HUGE_VAL), std::nextafter(v, HUGE_VAL)};
    return rounding_interval(v, dist.grid());
  }
  void operator()(const double* v, std::size_t m, double* f, double* q, double* log_f, double* log_q) const {
    cdf.evaluate_many(std::span<const double>(v, m), f, q, log_f, log_q);
    for (std::size_t r = 0; r < m; ++r) {
      if (!(f[r] > 0.0)) [[unlikely]] log_f[r] = std::log(0.5 * dist.cdf(edges(v[r]).upper));
      if (!(q[r] > 0.0)) [[unlikely]] log_q[r] = std::log(0.5 * dist.sf(edges(v[r]).lower));
    }
  }
  static void evaluate(const void* context, const double* v, std::size_t m, double* f, double* q, double* log_f,
                       double* log_q) {
    (*static_cast<const RunLaw*>(context))(v, m, f, q, log_f, log_q);
  }
};

}  // namespace

template <class Elements>
BatterySummary continuous_passes(std::span<typename Elements::Stored> values, const Elements& elements,
                                 const ReferenceDistribution& dist, const PassOptions& options) {
  using Stored = typename Elements::Stored;
  const std::size_t n = values.size();
  BatterySummary summary;
  summary.n = n;
  const CdfTable cdf(dist);

  // (a) Storage order, block by block (the two-level test's chunks when it runs).
  const std::size_t chunks = options.two_level_chunks;
  summary.two_level_run = chunks != 0;
  const std::size_t blocks = chunks != 0 ? chunks : (n + fixed_block - 1) / fixed_block;
  const auto block_begin = [&](std::size_t c) { return chunks != 0 ? c * n / chunks : std::min(n, c * fixed_block); };
  const std::size_t longest = chunks != 0 ? n / chunks + 1 : fixed_block;
  std::vector<double> buffer(longest + 1), partners(longest);
  double* const x = buffer.data() + 1;  // buffer[0]: the last value of the previous block
  const std::size_t half = n / 2;
  BlockSum sum;
  double largest = 0.0;
  const auto f_of = [&cdf](double v) { return cdf.cdf(v); };
  ValueKolmogorovSmirnov<decltype(f_of)> chunk_ks(f_of, dist.mean() - 8.0 * dist.sd(), dist.mean() + 8.0 * dist.sd());
  CoMomentAccumulator serial, halves;
  if (chunks != 0) summary.chunk_p_values.reserve(chunks);
  for (std::size_t c = 0; c < blocks; ++c) {
    const std::size_t begin = block_begin(c), end = block_begin(c + 1), length = end - begin;
    if (length == 0) continue;
    for (std::size_t k = 0; k < length; ++k) x[k] = elements.value(values[begin + k]);
    sum.add(x, length);
    largest = largest_magnitude(x, length, largest);
    if (begin == 0) {
      serial.add(x, x + 1, length - 1);
    } else {
      serial.add(x - 1, x, length);
    }
    if (begin < half) {
      const std::size_t pairs = std::min(end, half) - begin;
      for (std::size_t k = 0; k < pairs; ++k) partners[k] = elements.value(values[begin + half + k]);
      halves.add(x, partners.data(), pairs);
    }
    if (chunks != 0) {
      const double d = chunk_ks.statistic(std::span<const double>(x, length));
      summary.chunk_p_values.push_back(kolmogorov_smirnov_p_value(length, d));
    }
    buffer[0] = x[length - 1];
    options.progress(0.45 * as_double(end) / as_double(n));
  }
  summary.serial = serial.moments();
  summary.halves = halves.moments();

  // (b) Ascending order.
  elements.sort(values);
  options.progress(0.6);
  const std::span<const Stored> sorted(values);
  const auto equal = [&](Stored a, Stored b) { return elements.equal(a, b); };
  const double size = static_cast<double>(n);
  const double scale = moment_scale(largest);
  double mean = sum.value() / size;
  if (scale != 1.0) {  // values beyond 2^500 or below 2^-500: sum them scaled, as sample_moments does
    CompensatedSum scaled;
    for_each_run_block(sorted, equal, [&](std::span<const std::size_t> bounds) {
      for (std::size_t r = 0; r + 1 < bounds.size(); ++r) {
        add_product(scaled, bounds[r + 1] - bounds[r], elements.value(sorted[bounds[r]]) / scale);
      }
    });
    mean = scaled.value() / size;
  }
  CentredMoments centred(mean, scale);

  const double lower = dist.output_lower(), upper = dist.output_upper();
  const std::size_t bins = options.equiprobable_bins;
  summary.equiprobable_counts.assign(bins, 0);
  // Counts that only compare values with a threshold: binary searches of the sorted values.
  const SortedCounts<Stored, Elements> counts_of(sorted, elements);
  BoundsCounts& bounds_counts = summary.bounds;
  bounds_counts.outside = counts_of.outside(lower, upper);
  bounds_counts.at_lower = counts_of.equal(lower);
  bounds_counts.at_upper = counts_of.equal(upper);
  if (options.tail_counts) {
    for (const double k : default_tail_multiples) {
      const TailRange tail = tail_range(dist, k);
      summary.tail_counts.push_back(counts_of.outside(tail.low, tail.high));
    }
  }
  // Anderson–Darling: sum over ranks k of (2k + 1) log F + (2(n - k) - 1) log(1 - F),
  // in long double. The weights of ranks [i, j) are sum (2k + 1) = c (i + j) and
  // sum (2(n - k) - 1) = c (2n - i - j), with i + j = 2 first + delta: per block of
  // runs the sums of c log F, c delta log F (and of 1 - F) in eight lanes of doubles
  // (run_sums.hpp), so that the doubles summed stay small, and the block's total in
  // long double. A very long run, or a logarithm of 0, is added with its weights directly.
  long double ad_sum = 0.0L;
  const long double ad_n = static_cast<long double>(n);
  std::size_t runs = 0;
  const RunLaw law{cdf, dist};
  CdfTable::NormalPath normal{};
  SortedPassSettings settings;
  settings.normal = cdf.normal_path(normal) ? &normal : nullptr;
  settings.cdf = RunCdf{&RunLaw::evaluate, &law};
  settings.size = size;
  settings.mean = centred.centre();
  settings.inverse_scale = 1.0 / scale;
  settings.bins = bins;
  settings.counts = summary.equiprobable_counts.data();
  SortedPassState state;
  struct {
    std::vector<double> v, f, q, log_f, log_q;
  } block;
  for_each_run_block(sorted, equal, [&](std::span<const std::size_t> bounds) {
    const std::size_t m = bounds.size() - 1;  // runs in this block
    block.v.resize(m);
    double* const v = block.v.data();
    for (std::size_t r = 0; r < m; ++r) v[r] = elements.value(sorted[bounds[r]]);
    const RunSums sums = sorted_block_sums(settings, state, bounds.data(), v, m);
    centred.add_sums(sums.second, sums.fourth);
    const std::size_t first = bounds[0];
    if (sums.any_direct) [[unlikely]] {
      for (auto* a : {&block.f, &block.q, &block.log_f, &block.log_q}) a->resize(m);
      law(v, m, block.f.data(), block.q.data(), block.log_f.data(), block.log_q.data());
      for (std::size_t r = 0; r < m; ++r) {
        const std::size_t i = bounds[r], j = bounds[r + 1];
        const std::size_t delta = (i - first) + (j - first);
        const double log_f = block.log_f[r], log_q = block.log_q[r];
        if (delta <= (std::size_t{1} << 24) && std::isfinite(log_f) && std::isfinite(log_q)) continue;
        const long double li = static_cast<long double>(i), lj = static_cast<long double>(j);
        const long double lc = static_cast<long double>(j - i);
        ad_sum += lc * (li + lj) * static_cast<long double>(log_f) +
                  lc * (2.0L * ad_n - li - lj) * static_cast<long double>(log_q);
      }
    }
    const long double twice_first = 2.0L * static_cast<long double>(first);
    ad_sum += twice_first * static_cast<long double>(sums.low) + static_cast<long double>(sums.low_offset) +
              (2.0L * ad_n - twice_first) * static_cast<long double>(sums.high) -
              static_cast<long double>(sums.high_offset);
    runs += m;
    options.progress(0.6 + 0.4 * as_double(bounds[m]) / size);
  });
  const double ks = state.ks;
  summary.equiprobable_counts[state.bin] += state.in_bin;
  summary.moments = centred.moments(n);
  bounds_counts.minimum = elements.value(sorted.front());
  bounds_counts.maximum = elements.value(sorted.back());
  summary.ks_statistic = ks;
  summary.ad_statistic = static_cast<double>(-ad_n - ad_sum / ad_n);
  summary.collisions = n - runs;
  return summary;
}

template BatterySummary continuous_passes<FloatElements>(std::span<float>, const FloatElements&,
                                                         const ReferenceDistribution&, const PassOptions&);
template BatterySummary continuous_passes<DoubleElements>(std::span<double>, const DoubleElements&,
                                                          const ReferenceDistribution&, const PassOptions&);
template BatterySummary continuous_passes<HalfElements>(std::span<std::uint16_t>, const HalfElements&,
                                                        const ReferenceDistribution&, const PassOptions&);

}  // namespace nninit::validation::internal
