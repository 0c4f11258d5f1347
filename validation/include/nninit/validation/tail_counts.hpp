// nninit/validation/tail_counts.hpp — counts of values beyond k standard
// deviations from the mean against their exact expected probability: the test
// that sees a clipped tail (e.g. Box–Muller on too few uniform bits, or a
// sample clipped at 3.5 sd), which KS and the moments do not.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

inline constexpr double default_tail_multiples[] = {3.0, 4.0, 4.5};

// For each k: the count of values with x < mean - k sd or x > mean + k sd
// (dist's mean and sd) against the probability of that event for the output
// variable Y (rounded on a coarse grid), exact two-sided binomial test.
// measured = count, target = expected count, [ci_low, ci_high] = the central
// 99.9% range of the count under the null. Meaningful where the tails carry
// mass (normal); values must be finite. name "tail_count(>4 sd)" etc.
// Example: tail_count_tests(values, ReferenceDistribution::normal(0, 1)).
std::vector<TestResult> tail_count_tests(std::span<const double> sample, const ReferenceDistribution& dist,
                                         std::span<const double> multiples = default_tail_multiples);

// The range [low, high] = mean -+ k sd of dist that tail_count_tests counts beyond.
struct TailRange {
  double low;
  double high;
};
TailRange tail_range(const ReferenceDistribution& dist, double k) noexcept;

// The same tests from counts gathered elsewhere: counts[i] values of n lie
// beyond tail_range(dist, multiples[i]). Throws std::invalid_argument if the
// spans' lengths differ.
std::vector<TestResult> tail_count_tests_from_counts(std::span<const std::size_t> counts, std::size_t n,
                                                     const ReferenceDistribution& dist,
                                                     std::span<const double> multiples = default_tail_multiples);

}  // namespace nninit::validation
