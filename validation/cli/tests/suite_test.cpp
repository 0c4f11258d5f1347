// The validation suite's definition (coverage of every distribution,
// initializer, shape and dtype; formulas against the library) and its
// plumbing (a small run, the reports), with small samples so it stays a fast
// unit test. The statistical power itself is shown by the quick tier's
// negative controls (ctest validation.quick).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <variant>

#include "nninit/fans.hpp"
#include "nninit/fill.hpp"
#include "report.hpp"
#include "runner.hpp"
#include "sampling.hpp"
#include "suite.hpp"

namespace nninit::validation::suite {
namespace {

std::set<std::string> family_names() {
  std::set<std::string> names;
  for (const FamilySpec& f : families()) names.insert(f.name);
  return names;
}

TEST(SuiteDefinition, CoversEveryInitializerOfTheIssue) {
  const std::set<std::string> names = family_names();
  for (const char* required :
       {"torch.xavier_uniform", "torch.xavier_normal", "torch.linear_default", "torch.linear_bias_default",
        "torch.trunc_normal()", "keras.glorot_uniform", "keras.glorot_normal", "keras.he_uniform", "keras.he_normal",
        "keras.lecun_uniform", "keras.lecun_normal"}) {
    EXPECT_TRUE(names.count(required)) << required;
  }
  for (const char* kind : {"uniform", "normal"}) {
    for (const char* mode : {"fan_in", "fan_out"}) {
      for (const char* nl : {"relu", "leaky_relu(0.2)", "tanh", "linear"}) {
        const std::string name = std::string("torch.kaiming_") + kind + "(" + mode + ", " + nl + ")";
        EXPECT_TRUE(names.count(name)) << name;
      }
    }
  }
  for (const char* kind : {"truncated_normal", "untruncated_normal", "uniform"}) {
    for (const char* mode : {"fan_in", "fan_out", "fan_avg"}) {
      const std::string name = std::string("keras.variance_scaling(1.5, ") + mode + ", " + kind + ")";
      EXPECT_TRUE(names.count(name)) << name;
    }
  }
  for (const char* dist : {"dist.constant(0)", "dist.uniform(0, 1)", "dist.normal(0, 1)",
                           "dist.truncated_normal(0, 1, [-0.01, 0.01] sd)", "dist.truncated_normal(0, 1, [2, 3] sd)",
                           "dist.truncated_normal(0, 1, [4, 6] sd)"}) {
    EXPECT_TRUE(names.count(dist)) << dist;
  }
}

TEST(SuiteDefinition, HandComputedFansMatchComputeFans) {
  ASSERT_EQ(shapes().size(), 4u);
  for (const ShapeSpec& shape : shapes()) {
    const Fans torch = shape.groups > 1 ? compute_fans_grouped_conv(shape.torch_shape, shape.groups)
                                        : compute_fans(shape.torch_shape, Layout::torch);
    EXPECT_EQ(torch, shape.expected_fans) << shape.name;
    EXPECT_EQ(compute_fans(shape.keras_shape, Layout::keras), shape.expected_fans) << shape.name;
  }
}

TEST(SuiteDefinition, FormulasAgreeWithTheLibraryOnEveryShape) {
  for (const FamilySpec& family : families()) {
    if (!family.formula) continue;
    for (const ShapeSpec& shape : shapes()) {
      const Distribution library = family.library(shape.expected_fans);
      const Distribution formula = family.formula(shape.expected_fans);
      ASSERT_EQ(library.index(), formula.index()) << family.name;
      EXPECT_NEAR(distribution_stddev(library) / distribution_stddev(formula), 1.0, 1e-12)
          << family.name << " on " << shape.name << ": " << describe(library) << " vs " << describe(formula);
    }
  }
}

TEST(SuiteDefinition, QuickTierIsALatinSquareFullTierTheCrossProduct) {
  const std::vector<CaseSpec> quick = enumerate_cases(Tier::quick, default_seed, 1, {});
  std::map<std::string, std::set<std::string>> shapes_of, dtypes_of;
  std::set<std::string> names;
  for (const CaseSpec& c : quick) {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate " << c.name;
    dtypes_of[c.family->name].insert(std::string(dtype_name(c.dtype)));
    if (c.shape != nullptr) shapes_of[c.family->name].insert(c.shape->name);
  }
  for (const FamilySpec& f : families()) {
    EXPECT_EQ(dtypes_of[f.name].size(), 4u) << f.name;
    if (f.uses_fans) {
      EXPECT_EQ(shapes_of[f.name].size(), 4u) << f.name;
    }
  }
  const std::vector<CaseSpec> full = enumerate_cases(Tier::full, default_seed, 3, {});
  std::size_t expected = 0;
  for (const FamilySpec& f : families()) expected += (f.uses_fans ? 4u : 1u) * 4u * 3u;
  EXPECT_EQ(full.size(), expected);
  EXPECT_EQ(tier_settings(Tier::quick).sample_size, std::size_t{1} << 20);
  EXPECT_EQ(tier_settings(Tier::full).sample_size, std::size_t{1} << 22);
}

TEST(SuiteDefinition, SelectionByRegexSubstringAndDtype) {
  EXPECT_TRUE(matches({"kaiming_uniform", {}}, "torch.kaiming_uniform(fan_in, relu)/tiny/f32", DType::f32));
  EXPECT_TRUE(matches({"keras\\..*_normal", {}}, "keras.he_normal/tiny/f16", DType::f16));
  EXPECT_FALSE(matches({"keras\\..*_normal", {}}, "keras.he_uniform/tiny/f16", DType::f16));
  // Not a valid regular expression: a plain substring.
  EXPECT_TRUE(matches({"kaiming_uniform(fan_in", {}}, "torch.kaiming_uniform(fan_in, relu)/tiny/f32", DType::f32));
  EXPECT_FALSE(matches({"", {DType::bf16}}, "x/f32", DType::f32));
  const auto bf16_only = enumerate_cases(Tier::quick, 1, 1, {"", {DType::bf16}});
  EXPECT_FALSE(bf16_only.empty());
  for (const CaseSpec& c : bf16_only) EXPECT_EQ(c.dtype, DType::bf16);
}

TEST(SuiteDefinition, ControlsCoverEveryRequiredDefect) {
  std::set<std::string> names;
  for (const ControlSpec& c : controls()) names.insert(c.name);
  for (const char* required :
       {"control.std_plus_1_percent/kaiming_normal/f32", "control.uniform_bound_minus_1_percent/he_uniform/f32",
        "control.uniform_bound_plus_1_percent/he_uniform/f32", "control.seed_article_he_uniform/f32",
        "control.mean_shift_0.01_sd/kaiming_normal/f32", "control.clamped_not_truncated/he_normal/f32",
        "control.uniform_16_bit_resolution/kaiming_uniform/f32", "control.shared_counters/xavier_normal/f32"}) {
    EXPECT_TRUE(names.count(required)) << required;
  }
}

TEST(Sampling, ReferenceClampsInsideAndFillsAreOnTheGrid) {
  const ReferenceDistribution ref = reference_for(Uniform{-0.1, 0.1}, DType::bf16);
  EXPECT_EQ(ref.grid(), OutputGrid::bfloat16);
  EXPECT_LE(ref.output_upper(), 0.1);
  const std::vector<double> values = fill_values(DType::bf16, 1000, Uniform{-0.1, 0.1}, Stream{1, 2});
  for (const double v : values) EXPECT_TRUE(is_on_grid(v, OutputGrid::bfloat16));
  EXPECT_THROW((void)reference_for(Constant{1.0}, DType::f32), std::invalid_argument);
  EXPECT_EQ(round_to_dtype(0.1, DType::bf16), 0x1.9Ap-4);
}

TEST(Runner, SmallRunPassesAndWritesReports) {
  RunOptions options;
  options.sample_size = 1 << 14;
  options.reproducibility_count = 40000;  // above nninit::parallel_threshold: the thread counts matter
  static_assert(40000 > parallel_threshold);
  options.selection.name_pattern = "^dist\\.(normal\\(0, 1\\)|constant\\(0\\.1\\))/|^keras\\.he_uniform/";
  options.selection.dtypes = {DType::f32, DType::bf16};
  options.controls = false;
  options.independence = false;
  options.jobs = 2;
  std::vector<std::string> lines;
  const RunResult run = run_suite(options, [&](const std::string& line) { lines.push_back(line); });
  ASSERT_EQ(run.cases.size(), 6u);
  EXPECT_TRUE(run.passed);
  EXPECT_GT(run.family_size, 20u);
  EXPECT_EQ(run.reproducibility.size(), 13u);  // 6 distributions x 2 dtypes + the control
  EXPECT_TRUE(run.reproducibility.back().is_control);
  EXPECT_EQ(run.reproducibility.back().mismatches, 2u);
  for (const ReproducibilityResult& r : run.reproducibility) EXPECT_TRUE(r.passed) << r.name << ": " << r.first_mismatch;
  EXPECT_GE(lines.size(), run.cases.size() + 1);
  for (const CaseResult& r : run.cases) {
    EXPECT_EQ(r.verdict, Verdict::pass) << r.name << " " << r.error;
    if (r.family == "dist.constant(0.1)") {
      ASSERT_EQ(r.exact.size(), 1u);
      EXPECT_EQ(r.exact.front().name, "constant(every value)");
    } else {
      ASSERT_TRUE(r.plot.has_value());
      EXPECT_EQ(r.plot->observed.size(), 60u);
      EXPECT_EQ(r.plot->two_level_counts.size(), 20u);
    }
    if (r.family == "keras.he_uniform") {
      // The tensor is smaller or larger than the sample: both handled.
      EXPECT_TRUE(r.beyond_tensor || r.sample_offset + r.sample_size == r.tensor_elements) << r.name;
    }
  }
  std::ostringstream json, junit, markdown;
  write_json(json, run);
  write_junit(junit, run);
  write_markdown(markdown, run);
  EXPECT_NE(json.str().find("\"family_size\""), std::string::npos);
  // Non-finite numbers are written as null (JSON has no NaN / Infinity).
  for (const char* bad : {":nan", ":-nan", ":inf", ":-inf", ",nan", ",inf", ",-inf", "[nan", "[inf"}) {
    EXPECT_EQ(json.str().find(bad), std::string::npos) << bad;
  }
  EXPECT_NE(junit.str().find("<testcase classname=\"nninit.validation.cases\""), std::string::npos);
  EXPECT_NE(markdown.str().find("**Verdict: PASS**"), std::string::npos);
}

TEST(Runner, StrongDefectsAreDetectedEvenAtSmallSamples) {
  RunOptions options;
  options.sample_size = 1 << 16;
  options.selection.name_pattern = "^$";  // no cases: controls only
  options.independence = false;
  options.reproducibility = false;
  const RunResult run = run_suite(options);
  for (const CaseResult& r : run.controls) {
    EXPECT_TRUE(r.error.empty()) << r.name << ": " << r.error;
    const bool strong = r.name.find("seed_article") != std::string::npos ||
                        r.name.find("clamped") != std::string::npos || r.name.find("shared_counters") != std::string::npos ||
                        r.name.find("16_bit") != std::string::npos || r.name.find("plus_1_percent/he") != std::string::npos;
    if (strong) {
      EXPECT_TRUE(r.detected) << r.name << " min p " << r.min_p_value;
    }
  }
}

TEST(Report, PowerTableMatchesReferenceFacts) {
  // The variance test sees a 1% sd error at a few hundred
  // thousand values; KS needs about 2^22.
  const double threshold = 1e-6 / 3000.0;
  const auto rows_quick = power_table(std::size_t{1} << 20, threshold);
  const auto rows_full = power_table(std::size_t{1} << 22, threshold);
  const auto find = [](const std::vector<PowerRow>& rows, const std::string& test, const std::string& defect) {
    for (const PowerRow& r : rows) {
      if (r.test == test && r.defect == defect) return r.detectable;
    }
    return -1.0;
  };
  EXPECT_LT(find(rows_quick, "standard_deviation", "sd error, normal"), 0.01);
  EXPECT_GT(find(rows_quick, "kolmogorov_smirnov", "sd error, normal"), 0.01);
  EXPECT_LT(find(rows_full, "kolmogorov_smirnov", "sd error, normal"), 0.01);
  EXPECT_LT(find(rows_quick, "mean", "mean shift"), 0.01);
  EXPECT_GT(find(rows_quick, "resolution(collisions)", "uniform source with R bits (f32)"), 16.0);
}

TEST(Report, SlugIsFileNameSafe) {
  EXPECT_EQ(slug("torch.kaiming_uniform(fan_in, relu)/conv3x3/f32"), "torch.kaiming_uniform_fan_in_relu_conv3x3_f32");
  EXPECT_EQ(slug("A/B"), "a_b");
}

}  // namespace
}  // namespace nninit::validation::suite
