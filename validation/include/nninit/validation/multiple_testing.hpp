// nninit/validation/multiple_testing.hpp — family-wise error control over a
// battery of tests: Holm–Bonferroni adjusted p-values, verdicts at a family
// level alpha, and a non-failing "suspicious" band just above it.
#pragma once

#include <span>
#include <vector>

#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

struct FamilyOptions {
  double alpha = 1e-6;             // family-wise error rate: fail at adjusted p <= alpha
  double suspicion_factor = 100.0;  // suspicious at alpha < adjusted p <= factor * alpha
};

// Holm's step-down adjusted p-values, in the input order: with the m non-NaN
// p-values sorted p_(1) <= ... <= p_(m), adj_(i) = max_{j <= i} min(1, (m-j+1) p_(j)).
// NaN p-values (tests that did not apply) are left NaN and not counted in m.
// Example: {0.01, 0.04, 0.03, 0.005} -> {0.03, 0.06, 0.06, 0.02}.
std::vector<double> holm_adjusted_p_values(std::span<const double> p_values);

// The verdict for one adjusted p-value (not_judged for NaN).
Verdict verdict_for(double adjusted_p_value, const FamilyOptions& options = {}) noexcept;

// Fills adjusted_p_value and verdict of every result (Holm over the whole
// vector) and returns whether none failed. Throws std::invalid_argument unless
// 0 < alpha < 1 and suspicion_factor >= 1.
// Example: bool ok = judge(results, {.alpha = 1e-6});
bool judge(std::vector<TestResult>& results, const FamilyOptions& options = {});

// Whether no result has Verdict::fail.
bool none_failed(std::span<const TestResult> results) noexcept;

}  // namespace nninit::validation
