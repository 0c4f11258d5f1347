// nninit/validation/two_level.hpp — the two-level Kolmogorov–Smirnov test:
// one KS p-value per consecutive chunk of the sample, then a KS test of those
// p-values against U(0, 1). It sees defects that vary along the output (per
// block, per thread, per SIMD lane group) and average out in the whole sample.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

// The default number of chunks: max(256, n / 16384).
std::size_t default_two_level_chunks(std::size_t n) noexcept;

// u: a U(0, 1) sample in OUTPUT ORDER (e.g. probability_integral_transform of
// the fill). Chunk c is u[c n / C, (c+1) n / C); its KS p-value uses
// kolmogorov_smirnov_p_value (exact for chunks of up to 1000 values, within
// 1.2e-8 absolute of the exact p-value above), so under the null the chunk
// p-values are uniform to within 1.2e-8 in distribution. statistic = D of
// the C p-values, p_value = its KS p-value; measured = the fraction of chunk
// p-values below 0.01 (target 0.01). Throws std::invalid_argument if
// chunks < 2 or a chunk would hold fewer than 5 values. name "two_level_ks".
// When chunk_p_values is given, it receives the C chunk p-values in chunk
// order (for a histogram in a report).
// Example: two_level_ks_test_uniform(u, 256).
TestResult two_level_ks_test_uniform(std::span<const double> u, std::size_t chunks,
                                     std::vector<double>* chunk_p_values = nullptr);

// The second level alone: the KS test of the chunk p-values (in chunk order)
// of a sample of n values, as two_level_ks_test_uniform judges them.
TestResult two_level_ks_of_chunk_p_values(std::span<const double> chunk_p_values, std::size_t n);

// The same on a sample of dist in output order, through
// probability_integral_transform (randomised on a coarse grid); chunks == 0
// picks default_two_level_chunks.
TestResult two_level_ks_test(std::span<const double> sample, const ReferenceDistribution& dist,
                             std::size_t chunks = 0);

}  // namespace nninit::validation
