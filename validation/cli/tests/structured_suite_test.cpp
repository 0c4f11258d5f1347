// The structured initializers in the suite: every family in every dtype, the
// float32 cases pass on the default seed, and every structured negative
// control is detected (an exact check fails or a test rejects far below the
// run's strictest threshold).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "structured_suite.hpp"

namespace nninit::validation::suite {
namespace {

TEST(StructuredSuite, EveryFamilyInEveryDtype) {
  const std::vector<StructuredEntry> cases = structured_cases(Tier::quick, default_seed, 1, Selection{});
  EXPECT_EQ(cases.size(), 9u * 4u);
  std::set<std::string> names;
  for (const StructuredEntry& e : cases) names.insert(e.name);
  for (const char* required : {"torch.orthogonal(gain sqrt 2)/[256, 64, 3, 3]/bf16",
                               "keras.orthogonal(gain 1)/[3, 3, 64, 256]/f16",
                               "jax.orthogonal(scale 2, column_axis -2)/[3, 3, 64, 256]/f64",
                               "torch.sparse(0.9, 0.01)/[1024, 256]/f32", "torch.eye/f32", "keras.identity(gain 0.1)/bf16",
                               "torch.dirac(groups 1, 2)/f16", "jax.delta_orthogonal(scale 2)/f32"}) {
    EXPECT_TRUE(names.count(required)) << required;
  }
  EXPECT_EQ(structured_cases(Tier::full, default_seed, 3, Selection{}).size(), 3u * 36u);
  Selection only_sparse;
  only_sparse.name_pattern = "sparse";
  only_sparse.dtypes = {DType::bf16};
  EXPECT_EQ(structured_cases(Tier::quick, default_seed, 1, only_sparse).size(), 2u);
}

TEST(StructuredSuite, Float32CasesPass) {
  Selection f32;
  f32.dtypes = {DType::f32};
  for (const StructuredEntry& e : structured_cases(Tier::quick, default_seed, 1, f32)) {
    const CaseResult r = e.run(default_seed, BatteryOptions{});
    EXPECT_TRUE(r.error.empty()) << e.name << ": " << r.error;
    EXPECT_FALSE(r.exact.empty()) << e.name;
    for (const TestResult& t : r.exact) EXPECT_EQ(t.verdict, Verdict::pass) << e.name << ": " << t.name << ": " << t.detail;
    for (const TestResult& t : r.tests) EXPECT_GT(t.p_value, 1e-9) << e.name << ": " << t.name;
  }
}

TEST(StructuredSuite, EveryControlIsDetected) {
  const std::vector<StructuredEntry> controls = structured_controls(Tier::quick, {});
  EXPECT_EQ(controls.size(), 10u);
  for (const StructuredEntry& e : controls) {
    ASSERT_TRUE(e.is_control);
    const CaseResult r = e.run(default_seed, BatteryOptions{});
    EXPECT_TRUE(r.error.empty()) << e.name << ": " << r.error;
    bool detected = false;
    for (const TestResult& t : r.exact) detected = detected || t.verdict == Verdict::fail;
    for (const TestResult& t : r.tests) detected = detected || t.p_value < 1e-12;
    EXPECT_TRUE(detected) << e.name;
  }
}

}  // namespace
}  // namespace nninit::validation::suite
