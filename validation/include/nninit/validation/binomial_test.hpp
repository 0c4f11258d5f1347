// nninit/validation/binomial_test.hpp — exact binomial tests for counts of
// rare events (tail counts, values exactly on a bound).
#pragma once

#include <cstddef>

namespace nninit::validation {

// Exact two-sided p-value of observing `successes` in `trials` Bernoulli(p)
// draws: the total probability of every outcome no more likely than the one
// observed (the "minimum likelihood" rule of R's binom.test and scipy's
// binomtest, with a relative tolerance of 1e-7), from boost::math::binomial
// tails so it costs O(log trials). Throws std::invalid_argument unless
// 0 <= p <= 1 and successes <= trials.
// Example: binomial_two_sided_p_value(0, 1u << 20, 6.334e-5) ~= 3e-29.
double binomial_two_sided_p_value(std::size_t successes, std::size_t trials, double p);

// P(X >= successes) and P(X <= successes) for X ~ Binomial(trials, p).
double binomial_upper_tail(std::size_t successes, std::size_t trials, double p);
double binomial_lower_tail(std::size_t successes, std::size_t trials, double p);

}  // namespace nninit::validation
