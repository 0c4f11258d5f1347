// nninit/validation/sample.hpp — helpers on a sample held as doubles: a sorted
// copy (most tests need sorted input) and the sample moments.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace nninit::validation {

// The values in ascending order. NaN values are moved to the end (they are
// not ordered); the tests require finite input and say so.
// Example: sorted_copy(values) for ks_test(sorted, dist).
std::vector<double> sorted_copy(std::span<const double> sample);

// Whether every value is finite (no NaN, no infinity).
bool all_finite(std::span<const double> sample) noexcept;

// Sample moments with compensated (Neumaier) sums over two passes: mean,
// unbiased variance (divisor n - 1) and its square root, and the plain sample
// kurtosis m4 / m2^2 with divisor n. For n < 2 the variance, sd and kurtosis
// are NaN. Finite input gives the right result whatever its magnitude: values
// beyond 2^500 or all below 2^-500 are scaled by a power of two first (exact),
// so the mean, the sd and the kurtosis are finite, and the variance is +inf
// only where the true variance exceeds the largest double (a value of 1e200
// among N(0, 1) values: sd ~ 1e200 / sqrt(n), variance ~ 1e400 / n).
// Example: sample_moments(values).variance.
struct SampleMoments {
  std::size_t count = 0;
  double mean = 0.0;
  double variance = 0.0;
  double sd = 0.0;
  double kurtosis = 0.0;
};
SampleMoments sample_moments(std::span<const double> sample) noexcept;

}  // namespace nninit::validation
