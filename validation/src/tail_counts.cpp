// Tail counts beyond k standard deviations.
#include "nninit/validation/tail_counts.hpp"

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/complement.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "nninit/validation/binomial_test.hpp"

namespace nninit::validation {

TailRange tail_range(const ReferenceDistribution& dist, double k) noexcept {
  return {dist.mean() - k * dist.sd(), dist.mean() + k * dist.sd()};
}

std::vector<TestResult> tail_count_tests(std::span<const double> sample, const ReferenceDistribution& dist,
                                         std::span<const double> multiples) {
  std::vector<std::size_t> counts;
  for (const double k : multiples) {
    const TailRange range = tail_range(dist, k);
    std::size_t count = 0;
    for (const double x : sample) count += (x < range.low || x > range.high) ? 1u : 0u;
    counts.push_back(count);
  }
  return tail_count_tests_from_counts(counts, sample.size(), dist, multiples);
}

std::vector<TestResult> tail_count_tests_from_counts(std::span<const std::size_t> counts, std::size_t n,
                                                     const ReferenceDistribution& dist,
                                                     std::span<const double> multiples) {
  if (counts.size() != multiples.size()) {
    throw std::invalid_argument("tail_count_tests_from_counts: " + std::to_string(counts.size()) + " counts for " +
                                std::to_string(multiples.size()) + " multiples");
  }
  std::vector<TestResult> results;
  for (std::size_t i = 0; i < multiples.size(); ++i) {
    const double k = multiples[i];
    const std::size_t count = counts[i];
    const TailRange range = tail_range(dist, k);
    const double low = range.low, high = range.high;
    const double probability = std::min(1.0, dist.output_cdf_below(low) + dist.output_sf(high));
    std::ostringstream name;
    name << "tail_count(>" << k << " sd)";
    TestResult result;
    result.name = name.str();
    result.statistic = static_cast<double>(count);
    result.sample_size = n;
    result.measured = static_cast<double>(count);
    result.target = probability * static_cast<double>(n);
    if (n > 0) {
      result.p_value = binomial_two_sided_p_value(count, n, probability);
      const boost::math::binomial_distribution<double> binomial(static_cast<double>(n), probability);
      result.ci_low = boost::math::quantile(binomial, 0.0005);
      result.ci_high = boost::math::quantile(boost::math::complement(binomial, 0.0005));
    }
    std::ostringstream detail;
    detail.precision(6);
    detail << "values beyond mean +- " << k << " sd; P = " << probability << " each; exact binomial test";
    result.detail = detail.str();
    results.push_back(result);
  }
  return results;
}

}  // namespace nninit::validation
