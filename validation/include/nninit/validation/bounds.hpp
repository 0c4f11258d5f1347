// nninit/validation/bounds.hpp — checks of the output's range in its dtype:
// nothing outside the support, both edges of a bounded support approached as
// closely as n values should, and no pile-up of mass exactly on a bound.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

struct BoundsOptions {
  // Probability a correct generator may put on a bound value beyond the
  // rounded distribution's own mass there, from the resolution of its uniform
  // source: e.g. a 24-bit uniform hits exactly 0 (-> the lower bound) with
  // probability 2^-24. Added to the expected mass of each bound value.
  double atom_allowance = 0x1p-24;
};

// The checks, on values in any order:
//  * "bounds(non-finite)": count of NaN / infinite values; p = 1 if none, else 0.
//  * "bounds(outside)" (bounded support only): count of values outside
//    [dist.output_lower(), dist.output_upper()], the support rounded to the
//    output grid; p = 1 if none, else 0. detail gives the sample's min and max.
//  * "bounds(lower edge approached)" / "bounds(upper edge approached)" (bounded
//    support): one-sided p-value of a minimum this far above the lower bound,
//    P(min >= observed min) = (1 - P(Y < min))^n (and the mirror for the max),
//    exact for the rounded distribution. measured = the gap, target = 0, and
//    ci_high = the gap exceeded with probability 1e-3 (e.g. about 6.9 (b-a)/n
//    for uniform).
//  * "bounds(mass at lower)" / "bounds(mass at upper)" (bounded support): the
//    count of values exactly equal to the rounded bound against its expected
//    mass P(Y == bound) (+ atom_allowance), exact two-sided binomial test with
//    the null range [mass, mass + allowance]; catches clamping pile-ups.
//    measured = observed fraction, target = expected mass.
// Example: for (auto& r : bounds_tests(values, dist)) ...
std::vector<TestResult> bounds_tests(std::span<const double> sample, const ReferenceDistribution& dist,
                                     const BoundsOptions& options = {});

// What the checks read from a sample, in any order: its counts against the
// rounded support [dist.output_lower(), dist.output_upper()] and the extremes
// of its finite values (+inf / -inf when there are none).
struct BoundsCounts {
  std::size_t values = 0;      // every value, non-finite ones included
  std::size_t non_finite = 0;  // NaN or infinite
  std::size_t outside = 0;     // finite values below output_lower() or above output_upper()
  std::size_t at_lower = 0;    // finite values equal to output_lower()
  std::size_t at_upper = 0;    // finite values equal to output_upper()
  double minimum = std::numeric_limits<double>::infinity();
  double maximum = -std::numeric_limits<double>::infinity();
};
BoundsCounts bounds_counts(std::span<const double> sample, const ReferenceDistribution& dist) noexcept;

// The same checks from counts gathered elsewhere (the battery's passes):
// bounds_tests(sample, dist) == bounds_tests(bounds_counts(sample, dist), dist).
std::vector<TestResult> bounds_tests(const BoundsCounts& counts, const ReferenceDistribution& dist,
                                     const BoundsOptions& options = {});

}  // namespace nninit::validation
