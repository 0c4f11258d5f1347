// exact_check.hpp (internal) — a TestResult for a check without an error rate
// (structure, exact counts, rigorous bounds): p = 1 when it holds, 0 when not.
#pragma once

#include <string>
#include <utility>

#include "nninit/validation/test_result.hpp"

namespace nninit::validation::internal {

inline TestResult exact_result(std::string name, bool holds, std::string detail, double measured = not_a_number,
                               double target = not_a_number) {
  TestResult result;
  result.name = std::move(name);
  result.statistic = holds ? 0.0 : 1.0;
  result.p_value = holds ? 1.0 : 0.0;
  result.adjusted_p_value = result.p_value;
  result.measured = measured;
  result.target = target;
  result.verdict = holds ? Verdict::pass : Verdict::fail;
  result.detail = std::move(detail);
  return result;
}

}  // namespace nninit::validation::internal
