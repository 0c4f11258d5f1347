// Sorting and moments of a sample.
#include "nninit/validation/sample.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "compensated_sum.hpp"
#include "radix_sort.hpp"

namespace nninit::validation {
using internal::CompensatedSum;

std::vector<double> sorted_copy(std::span<const double> sample) {
  std::vector<double> sorted(sample.begin(), sample.end());
  const auto numbers_end =
      std::stable_partition(sorted.begin(), sorted.end(), [](double x) { return !std::isnan(x); });
  internal::sort_ascending(std::span<double>(sorted.data(), static_cast<std::size_t>(numbers_end - sorted.begin())));
  return sorted;
}

bool all_finite(std::span<const double> sample) noexcept {
  return std::all_of(sample.begin(), sample.end(), [](double x) { return std::isfinite(x); });
}

SampleMoments sample_moments(std::span<const double> sample) noexcept {
  SampleMoments moments;
  moments.count = sample.size();
  if (sample.empty()) {
    moments.mean = std::numeric_limits<double>::quiet_NaN();
    moments.variance = moments.sd = moments.kurtosis = moments.mean;
    return moments;
  }
  // A power-of-two scale (division by it is exact) where the squares or the
  // fourth powers would overflow or underflow; 1 otherwise, which keeps
  // ordinary results bit for bit as an unscaled computation gives them.
  double largest = 0.0;
  for (const double x : sample) largest = std::fmax(largest, std::fabs(x));
  double scale = 1.0;
  if (std::isfinite(largest) && (largest > 0x1p500 || (largest > 0.0 && largest < 0x1p-500))) {
    scale = std::ldexp(1.0, std::ilogb(largest));
  }
  CompensatedSum sum;
  for (const double x : sample) sum.add(x / scale);
  const double mean = sum.value() / static_cast<double>(sample.size());
  moments.mean = mean * scale;
  if (sample.size() < 2) {
    moments.variance = moments.sd = moments.kurtosis = std::numeric_limits<double>::quiet_NaN();
    return moments;
  }
  CompensatedSum second, fourth;
  for (const double x : sample) {
    const double d = x / scale - mean;
    const double d2 = d * d;
    second.add(d2);
    fourth.add(d2 * d2);
  }
  const double n = static_cast<double>(sample.size());
  const double variance = second.value() / (n - 1.0);
  moments.variance = variance * scale * scale;
  moments.sd = std::sqrt(variance) * scale;
  const double m2 = second.value() / n;
  moments.kurtosis = (fourth.value() / n) / (m2 * m2);
  return moments;
}

}  // namespace nninit::validation
