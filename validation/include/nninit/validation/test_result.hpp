// nninit/validation/test_result.hpp — the outcome of one statistical test: its
// statistic, its p-value, the quantity it measured beside the target, and (after
// a family-wise correction) its adjusted p-value and verdict.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace nninit::validation {

inline constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// What a family of tests concluded about one member (see multiple_testing.hpp).
// not_judged: no correction applied yet. suspicious: adjusted p-value below the
// suspicion threshold but not below alpha; it is reported and does not fail.
enum class Verdict { not_judged, pass, suspicious, fail };

// "not_judged", "pass", "suspicious", "fail".
std::string_view verdict_name(Verdict verdict) noexcept;

struct TestResult {
  std::string name;                  // e.g. "kolmogorov_smirnov", "tail_count(>4 sd)"
  double statistic = not_a_number;   // the test statistic (D, A^2, chi^2, z, t, count, ...)
  double p_value = not_a_number;     // raw p-value under the null hypothesis
  std::size_t sample_size = 0;       // number of values the test used
  double measured = not_a_number;    // the measured quantity (sample mean, std, count, ...)
  double ci_low = not_a_number;      // confidence interval for `measured`, when one applies
  double ci_high = not_a_number;
  double target = not_a_number;      // the value `measured` should have under the null
  double adjusted_p_value = not_a_number;  // family-wise adjusted p-value (Holm)
  Verdict verdict = Verdict::not_judged;
  std::string detail;                // a short human-readable note (parameters, caveats)
};

}  // namespace nninit::validation
