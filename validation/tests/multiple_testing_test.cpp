// Holm–Bonferroni adjustment and verdicts.
#include "nninit/validation/multiple_testing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace nninit::validation {
namespace {

TEST(Holm, HandWorkedAdjustment) {
  // Sorted: 0.005 * 4 = 0.02, 0.01 * 3 = 0.03, 0.03 * 2 = 0.06, max(0.04 * 1, 0.06) = 0.06.
  const std::vector<double> adjusted = holm_adjusted_p_values(std::vector<double>{0.01, 0.04, 0.03, 0.005});
  ASSERT_EQ(adjusted.size(), 4u);
  EXPECT_DOUBLE_EQ(adjusted[0], 0.03);
  EXPECT_DOUBLE_EQ(adjusted[1], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[2], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[3], 0.02);
  // Capped at 1; NaN entries are skipped and do not count in m.
  const std::vector<double> with_nan = holm_adjusted_p_values(std::vector<double>{0.6, std::nan(""), 0.2});
  EXPECT_DOUBLE_EQ(with_nan[0], 0.6);
  EXPECT_TRUE(std::isnan(with_nan[1]));
  EXPECT_DOUBLE_EQ(with_nan[2], 0.4);
  EXPECT_DOUBLE_EQ(holm_adjusted_p_values(std::vector<double>{0.9, 0.8})[0], 1.0);
}

TEST(Holm, VerdictsAndSuspiciousBand) {
  const FamilyOptions options{.alpha = 1e-6, .suspicion_factor = 100.0};
  EXPECT_EQ(verdict_for(1e-7, options), Verdict::fail);
  EXPECT_EQ(verdict_for(1e-6, options), Verdict::fail);
  EXPECT_EQ(verdict_for(5e-5, options), Verdict::suspicious);
  EXPECT_EQ(verdict_for(2e-4, options), Verdict::pass);
  EXPECT_EQ(verdict_for(std::nan(""), options), Verdict::not_judged);
  EXPECT_EQ(verdict_name(Verdict::suspicious), "suspicious");
}

TEST(Holm, JudgeFillsResults) {
  std::vector<TestResult> results(3);
  results[0].p_value = 0.5;
  results[1].p_value = 1e-5;  // adjusted 2e-5 (m = 2): suspicious at alpha 1e-6
  results[2].p_value = not_a_number;
  EXPECT_TRUE(judge(results));
  EXPECT_EQ(results[0].verdict, Verdict::pass);
  EXPECT_DOUBLE_EQ(results[1].adjusted_p_value, 2e-5);
  EXPECT_EQ(results[1].verdict, Verdict::suspicious);
  EXPECT_EQ(results[2].verdict, Verdict::not_judged);
  results[1].p_value = 1e-8;  // adjusted 2e-8: fails
  EXPECT_FALSE(judge(results));
  EXPECT_EQ(results[1].verdict, Verdict::fail);
  EXPECT_FALSE(none_failed(results));
  EXPECT_THROW(judge(results, {.alpha = 0.0}), std::invalid_argument);
  EXPECT_THROW(judge(results, {.alpha = 0.01, .suspicion_factor = 0.5}), std::invalid_argument);
}

}  // namespace
}  // namespace nninit::validation
