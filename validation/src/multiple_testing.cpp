// Holm–Bonferroni family-wise correction and verdicts.
#include "nninit/validation/multiple_testing.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace nninit::validation {

std::vector<double> holm_adjusted_p_values(std::span<const double> p_values) {
  std::vector<double> adjusted(p_values.size(), not_a_number);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    if (!std::isnan(p_values[i])) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  const std::size_t m = order.size();
  double running = 0.0;
  for (std::size_t rank = 0; rank < m; ++rank) {
    const double scaled = std::fmin(1.0, static_cast<double>(m - rank) * p_values[order[rank]]);
    running = std::fmax(running, scaled);
    adjusted[order[rank]] = running;
  }
  return adjusted;
}

Verdict verdict_for(double adjusted_p_value, const FamilyOptions& options) noexcept {
  if (std::isnan(adjusted_p_value)) return Verdict::not_judged;
  if (adjusted_p_value <= options.alpha) return Verdict::fail;
  if (adjusted_p_value <= options.alpha * options.suspicion_factor) return Verdict::suspicious;
  return Verdict::pass;
}

bool judge(std::vector<TestResult>& results, const FamilyOptions& options) {
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    throw std::invalid_argument("judge: alpha must be in (0, 1), got " + std::to_string(options.alpha));
  }
  if (!(options.suspicion_factor >= 1.0)) {
    throw std::invalid_argument("judge: suspicion_factor must be >= 1, got " +
                                std::to_string(options.suspicion_factor));
  }
  std::vector<double> p_values(results.size());
  std::transform(results.begin(), results.end(), p_values.begin(), [](const TestResult& r) { return r.p_value; });
  const std::vector<double> adjusted = holm_adjusted_p_values(p_values);
  for (std::size_t i = 0; i < results.size(); ++i) {
    results[i].adjusted_p_value = adjusted[i];
    results[i].verdict = verdict_for(adjusted[i], options);
  }
  return none_failed(results);
}

bool none_failed(std::span<const TestResult> results) noexcept {
  return std::none_of(results.begin(), results.end(), [](const TestResult& r) { return r.verdict == Verdict::fail; });
}

}  // namespace nninit::validation
