// nninit/validation/resolution.hpp — the resolution (collision) test: a
// sample of a continuous distribution written as float32 or float64 repeats a
// value only as often as the output grid and the generator's resolution allow.
// Output built from too few random bits (a uniform with 16-bit resolution, a
// truncated normal from a coarse table) repeats values far more often, which
// none of the distribution-shape tests can see: their resolution is about
// 1 / sqrt(n), while the defect sits at 2^-16.
#pragma once

#include <span>

#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// sum_v P(Y == v)^2 for the continuous X rounded to the grid (float32: 24
// significant bits; continuous is taken as float64, 53 bits): the probability
// that two independent values coincide because of the output's rounding alone.
// Computed binade by binade as ulp * integral of f(x)^2 (exact for uniform,
// from the normal CDF at sqrt(2) z for the normals), which is accurate to a
// fraction of a percent. Throws std::invalid_argument for a coarse grid
// (bfloat16, float16), where every value repeats and the grid chi-squared test
// applies instead. Example: rounding_collision_probability(
//   ReferenceDistribution::uniform(0, 1).on_grid(OutputGrid::float32)) ~= 2^-23 / 3.
double rounding_collision_probability(const ReferenceDistribution& dist);

// The test, on a sorted sample of n finite values: collisions = the number of
// values equal to their predecessor (n minus the distinct values), against
// the upper bound of its mean for a generator whose values are a monotone map
// of a uniform on a grid of step `generator_step` (or finer):
//   E = n (n - 1) / 2 * (rounding_collision_probability(dist) + 3 generator_step)
// (each output value v collects at most P_round(v) + step of probability, so
// sum P(v)^2 <= sum P_round(v)^2 + 3 step). p-value: P(Poisson(E) >= collisions),
// one-sided and conservative (the true mean is below E). nninit's fills use
// steps of 2^-24 (uniform) and 2^-23 (truncated normal) for float32 and
// 2^-53 / 2^-52 for double, so 2^-23 and 2^-52 cover every fill; a 16-bit
// uniform collides about 2^16 / n times more often than E allows.
// measured = collisions, target = E, [ci_low, ci_high] = [0, the 0.999
// Poisson quantile of E]. Throws std::invalid_argument for a coarse grid, a
// generator_step outside (0, 1) or fewer than 2 values. name "resolution(collisions)".
// Example: resolution_test(sorted, dist.on_grid(OutputGrid::float32), 0x1p-23).
TestResult resolution_test(std::span<const double> sorted_sample, const ReferenceDistribution& dist,
                           double generator_step);

// The same test from the collision count of n values (n minus their distinct
// values), gathered elsewhere. Same exceptions.
TestResult resolution_test_from_collisions(std::size_t collisions, std::size_t n, const ReferenceDistribution& dist,
                                           double generator_step);

}  // namespace nninit::validation
