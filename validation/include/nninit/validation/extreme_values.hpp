// nninit/validation/extreme_values.hpp — is the sample's smallest or largest
// value more extreme than n values of the reference law would ever give? The
// test that sees a single outlier (one value at 100 sd among millions, as an
// inversion sampler that loses precision in float32 produces), which the
// shape tests, the moments and the tail counts cannot: one value moves none of
// them by more than 1 / n.
#pragma once

#include <span>
#include <vector>

#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// On the finite values of `sample` (any order), for a normal or truncated
// normal reference (empty for uniform, whose ends the bounds tests check, and
// where a draw of u = 0 legitimately reaches the lower bound):
//  * "extreme(min)": p = P(min of n values <= observed min) = 1 - (1 - q)^n,
//    q = P(Y <= min) for the output variable Y (its whole atom included, so
//    the p-value is exact for a continuous output and conservative on a grid);
//  * "extreme(max)": the mirror, q = P(Y >= max), computed in the upper tail.
// A value where the reference has no probability at all (beyond 38 sd, or a
// truncated normal's bound that only a broken sampler hits, such as -2 for
// N(0, 0.02) truncated to [-2, 2]) gives q = 0 and p = 0. measured = the
// extreme value in sd from the reference's mean, target = 0; detail names q.
// Example: extreme_value_tests(values, ReferenceDistribution::normal(0, 0.02)).
std::vector<TestResult> extreme_value_tests(std::span<const double> sample, const ReferenceDistribution& dist);

// The same from the smallest and largest of n finite values (the battery's
// passes); empty for uniform or n == 0.
std::vector<TestResult> extreme_value_tests(double minimum, double maximum, std::size_t n,
                                            const ReferenceDistribution& dist);

}  // namespace nninit::validation
