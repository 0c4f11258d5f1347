// Sorting and moments of a sample.
#include "nninit/validation/sample.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "radix_sort.hpp"

namespace nninit::validation {
namespace {

// Neumaier's compensated sum.
class CompensatedSum {
 public:
  void add(double x) noexcept {
    const double t = sum_ + x;
    if (std::fabs(sum_) >= std::fabs(x)) {
      compensation_ += (sum_ - t) + x;
    } else {
      compensation_ += (x - t) + sum_;
    }
    sum_ = t;
  }
  double value() const noexcept { return sum_ + compensation_; }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

}  // namespace

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
  } else {
    CompensatedSum sum;
    for (const double x : sample) sum.add(x);
    moments.mean = sum.value() / static_cast<double>(sample.size());
  }
  if (sample.size() < 2) {
    moments.variance = std::numeric_limits<double>::quiet_NaN();
    moments.kurtosis = std::numeric_limits<double>::quiet_NaN();
    return moments;
  }
  CompensatedSum second, fourth;
  for (const double x : sample) {
    const double d = x - moments.mean;
    const double d2 = d * d;
    second.add(d2);
    fourth.add(d2 * d2);
  }
  const double n = static_cast<double>(sample.size());
  moments.variance = second.value() / (n - 1.0);
  const double m2 = second.value() / n;
  moments.kurtosis = (fourth.value() / n) / (m2 * m2);
  return moments;
}

}  // namespace nninit::validation
