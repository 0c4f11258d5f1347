// The two-level Kolmogorov–Smirnov test.
#include "nninit/validation/two_level.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "nninit/validation/kolmogorov_distribution.hpp"
#include "nninit/validation/kolmogorov_smirnov.hpp"
#include "nninit/validation/probability_transform.hpp"
#include "radix_sort.hpp"

namespace nninit::validation {

std::size_t default_two_level_chunks(std::size_t n) noexcept {
  return std::max<std::size_t>(256, n / 16384);
}

TestResult two_level_ks_test_uniform(std::span<const double> u, std::size_t chunks,
                                     std::vector<double>* chunk_p_values) {
  if (chunks < 2) throw std::invalid_argument("two_level_ks_test: chunks must be >= 2, got " + std::to_string(chunks));
  const std::size_t n = u.size();
  if (n / chunks < 5) {
    throw std::invalid_argument("two_level_ks_test: " + std::to_string(n) + " values are too few for " +
                                std::to_string(chunks) + " chunks of at least 5");
  }
  std::vector<double> p_values(chunks);
  std::vector<double> chunk;
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t begin = c * n / chunks;
    const std::size_t end = (c + 1) * n / chunks;
    chunk.assign(u.begin() + static_cast<std::ptrdiff_t>(begin), u.begin() + static_cast<std::ptrdiff_t>(end));
    internal::sort_unit_interval(chunk);
    p_values[c] = kolmogorov_smirnov_p_value(chunk.size(), ks_statistic_uniform(chunk));
  }
  if (chunk_p_values != nullptr) *chunk_p_values = p_values;
  return two_level_ks_of_chunk_p_values(p_values, n);
}

TestResult two_level_ks_of_chunk_p_values(std::span<const double> chunk_p_values, std::size_t n) {
  const std::size_t chunks = chunk_p_values.size();
  std::size_t small = 0;
  for (const double p : chunk_p_values) small += p < 0.01 ? 1u : 0u;
  std::vector<double> p_values(chunk_p_values.begin(), chunk_p_values.end());
  std::sort(p_values.begin(), p_values.end());
  const double d = ks_statistic_uniform(p_values);
  TestResult result;
  result.name = "two_level_ks";
  result.statistic = d;
  result.p_value = kolmogorov_smirnov_p_value(chunks, d);
  result.sample_size = n;
  result.measured = static_cast<double>(small) / static_cast<double>(chunks);
  result.target = 0.01;
  result.detail = std::to_string(chunks) + " chunks of " + std::to_string(n / chunks) +
                  "+ values; measured: fraction of chunk p-values < 0.01";
  return result;
}

TestResult two_level_ks_test(std::span<const double> sample, const ReferenceDistribution& dist,
                             std::size_t chunks) {
  if (chunks == 0) chunks = default_two_level_chunks(sample.size());
  const std::vector<double> u = probability_integral_transform(sample, dist);
  return two_level_ks_test_uniform(u, chunks);
}

}  // namespace nninit::validation
