// Exact binomial tests.
#include "nninit/validation/binomial_test.hpp"

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/complement.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

namespace nninit::validation {
namespace {

using Binomial = boost::math::binomial_distribution<double>;

void require_arguments(std::size_t successes, std::size_t trials, double p, const char* where) {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw std::invalid_argument(std::string(where) + ": p must be in [0, 1], got " + std::to_string(p));
  }
  if (successes > trials) {
    throw std::invalid_argument(std::string(where) + ": successes " + std::to_string(successes) +
                                " > trials " + std::to_string(trials));
  }
}

double pmf(const Binomial& distribution, std::size_t k) {
  return boost::math::pdf(distribution, static_cast<double>(k));
}

}  // namespace

double binomial_upper_tail(std::size_t successes, std::size_t trials, double p) {
  require_arguments(successes, trials, p, "binomial_upper_tail");
  if (successes == 0) return 1.0;
  const Binomial distribution(static_cast<double>(trials), p);
  return boost::math::cdf(boost::math::complement(distribution, static_cast<double>(successes - 1)));
}

double binomial_lower_tail(std::size_t successes, std::size_t trials, double p) {
  require_arguments(successes, trials, p, "binomial_lower_tail");
  const Binomial distribution(static_cast<double>(trials), p);
  return boost::math::cdf(distribution, static_cast<double>(successes));
}

double binomial_two_sided_p_value(std::size_t successes, std::size_t trials, double p) {
  require_arguments(successes, trials, p, "binomial_two_sided_p_value");
  if (p == 0.0) return successes == 0 ? 1.0 : 0.0;
  if (p == 1.0) return successes == trials ? 1.0 : 0.0;
  const Binomial distribution(static_cast<double>(trials), p);
  const double observed = pmf(distribution, successes) * (1.0 + 1e-7);
  // The pmf rises up to the mode and falls after it.
  const auto mode = static_cast<std::size_t>(
      std::fmin(std::floor((static_cast<double>(trials) + 1.0) * p), static_cast<double>(trials)));
  if (successes == mode || observed >= pmf(distribution, mode)) return 1.0;
  if (successes < mode) {
    // Smallest j > mode with pmf(j) <= observed; the tail from j is as unlikely.
    std::size_t low = mode + 1, high = trials + 1;  // answer in [low, high], high = none
    while (low < high) {
      const std::size_t middle = low + (high - low) / 2;
      if (pmf(distribution, middle) <= observed) high = middle; else low = middle + 1;
    }
    const double other = low > trials ? 0.0 : binomial_upper_tail(low, trials, p);
    return std::fmin(1.0, binomial_lower_tail(successes, trials, p) + other);
  }
  // Largest j < mode with pmf(j) <= observed.
  std::size_t low = 0, high = mode;  // search j in [0, mode); count of qualifying values
  while (low < high) {  // first index in [0, mode) whose pmf exceeds `observed`
    const std::size_t middle = low + (high - low) / 2;
    if (pmf(distribution, middle) <= observed) low = middle + 1; else high = middle;
  }
  const double other = low == 0 ? 0.0 : binomial_lower_tail(low - 1, trials, p);
  return std::fmin(1.0, binomial_upper_tail(successes, trials, p) + other);
}

}  // namespace nninit::validation
