// mergeable_stats.cpp — block summaries, their exact pairwise merge, and the
// probability histogram.
#include "mergeable_stats.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace nninit::mpi {

MomentSummary summarize_block(std::span<const double> values) {
  MomentSummary summary;
  double sum = 0;
  bool first = true;
  for (const double x : values) {
    if (!std::isfinite(x)) {
      ++summary.nonfinite;
      continue;
    }
    ++summary.count;
    sum += x;
    summary.min = first ? x : std::min(summary.min, x);
    summary.max = first ? x : std::max(summary.max, x);
    first = false;
  }
  if (summary.count == 0) return summary;
  summary.mean = sum / static_cast<double>(summary.count);
  for (const double x : values) {
    if (!std::isfinite(x)) continue;
    const double d = x - summary.mean;
    const double d2 = d * d;
    summary.m2 += d2;
    summary.m3 += d2 * d;
    summary.m4 += d2 * d2;
  }
  return summary;
}

MomentSummary merge(const MomentSummary& a, const MomentSummary& b) {
  if (a.count == 0) {
    MomentSummary result = b;
    result.nonfinite += a.nonfinite;
    return result;
  }
  if (b.count == 0) {
    MomentSummary result = a;
    result.nonfinite += b.nonfinite;
    return result;
  }
  const double na = static_cast<double>(a.count);
  const double nb = static_cast<double>(b.count);
  const double n = na + nb;
  const double delta = b.mean - a.mean;
  const double delta_n = delta / n;
  MomentSummary result;
  result.count = a.count + b.count;
  result.nonfinite = a.nonfinite + b.nonfinite;
  result.mean = a.mean + delta_n * nb;
  result.m2 = a.m2 + b.m2 + delta * delta_n * na * nb;
  result.m3 = a.m3 + b.m3 + delta * delta_n * delta_n * na * nb * (na - nb) +
              3 * delta_n * (na * b.m2 - nb * a.m2);
  result.m4 = a.m4 + b.m4 + delta * delta_n * delta_n * delta_n * na * nb * (na * na - na * nb + nb * nb) +
              6 * delta_n * delta_n * (na * na * b.m2 + nb * nb * a.m2) + 4 * delta_n * (na * b.m3 - nb * a.m3);
  result.min = std::min(a.min, b.min);
  result.max = std::max(a.max, b.max);
  return result;
}

MomentSummary merge_in_block_order(std::span<const MomentSummary> blocks) {
  if (blocks.empty()) return {};
  std::vector<MomentSummary> level(blocks.begin(), blocks.end());
  while (level.size() > 1) {
    std::vector<MomentSummary> next;
    next.reserve((level.size() + 1) / 2);
    for (std::size_t i = 0; i + 1 < level.size(); i += 2) next.push_back(merge(level[i], level[i + 1]));
    if (level.size() % 2 == 1) next.push_back(level.back());
    level = std::move(next);
  }
  return level.front();
}

ProbabilityHistogram::ProbabilityHistogram(std::size_t bins) : counts(bins, 0) {
  if (bins == 0) throw std::invalid_argument("ProbabilityHistogram: bins must be at least 1");
}

void ProbabilityHistogram::add(double u) {
  if (!(u >= 0 && u <= 1)) throw std::invalid_argument("ProbabilityHistogram::add: u is not in [0, 1]");
  const auto bins = static_cast<double>(counts.size());
  const auto bin = std::min(counts.size() - 1, static_cast<std::size_t>(u * bins));
  ++counts[bin];
}

void ProbabilityHistogram::add(const ProbabilityHistogram& other) {
  if (other.counts.size() != counts.size()) throw std::invalid_argument("ProbabilityHistogram: different bins");
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
}

std::uint64_t ProbabilityHistogram::total() const {
  std::uint64_t sum = 0;
  for (const std::uint64_t c : counts) sum += c;
  return sum;
}

double ks_distance_at_edges(const ProbabilityHistogram& histogram) { return ks_distance_at_edges(histogram.counts); }

double ks_distance_at_edges(std::span<const std::uint64_t> counts) {
  std::uint64_t n = 0;
  for (const std::uint64_t c : counts) n += c;
  if (n == 0) return 0;
  const auto size = static_cast<double>(n), bins = static_cast<double>(counts.size());
  double distance = 0;
  std::uint64_t below = 0;
  for (std::size_t j = 0; j <= counts.size(); ++j) {
    distance = std::max(distance, std::fabs(static_cast<double>(below) / size - static_cast<double>(j) / bins));
    if (j < counts.size()) below += counts[j];
  }
  return distance;
}

}  // namespace nninit::mpi
