// nninit/validation/probability_transform.hpp — the probability integral
// transform u = F(x), which turns a sample of a fully specified distribution
// into a sample of U(0, 1), and its randomised form for rounded (discrete) output.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nninit/validation/reference_distribution.hpp"

namespace nninit::validation {

// The fixed seed of the jitter used by the randomised transform (chosen once).
inline constexpr std::uint64_t default_jitter_seed = 0x6E6E696E69742D76u;  // "nninit-v"

// u_i for each x_i, in the sample's order.
//  * Grid not coarse: u_i = F(x_i), the continuous CDF.
//  * Coarse grid (bfloat16, float16): the randomised transform
//    u_i = P(Y < x_i) + V_i * P(Y = x_i), V_i in (0, 1) from a fixed hash of
//    (jitter_seed, i); under the null hypothesis (x is a sample of the rounded
//    variable Y) u is EXACTLY a U(0, 1) sample, so every continuous test applies.
// Throws std::invalid_argument (naming the index and value) on a coarse grid
// when a value is not on the grid (NaN included).
// Example: auto u = probability_integral_transform(values, dist);
std::vector<double> probability_integral_transform(std::span<const double> sample,
                                                   const ReferenceDistribution& dist,
                                                   std::uint64_t jitter_seed = default_jitter_seed);

}  // namespace nninit::validation
