// runner.hpp — runs the validation suite (suite.hpp): fills every case with
// nninit::fill, runs the statistics layer's battery against the reference
// distribution, runs the negative controls, the independence and the
// reproducibility checks, and judges the whole run as one family (Holm).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "nninit/fans.hpp"
#include "nninit/validation/test_result.hpp"
#include "suite.hpp"

namespace nninit::validation::suite {

struct RunOptions {
  Tier tier = Tier::quick;
  std::uint64_t seed = default_seed;
  int seeds = 0;                // seeds per case; 0: the tier's
  std::size_t sample_size = 0;  // values per case; 0: the tier's
  std::size_t reproducibility_count = 0;  // elements per reproducibility fill; 0: the tier's
  Selection selection;          // which cases (controls always run, with the dtype filter)
  int jobs = 0;                 // cases run in parallel; 0: OpenMP's default
  double alpha = default_alpha;
  double suspicion_factor = default_suspicion_factor;
  bool controls = true;
  bool independence = true;
  bool reproducibility = true;
};

// Data the plots need, computed from the sorted sample (never the raw values).
struct PlotData {
  // Histogram over [edges.front(), edges.back()]: bin j counts values in
  // (edges[j], edges[j+1]]; expected from the rounded reference's CDF.
  std::vector<double> edges;
  std::vector<double> observed;
  std::vector<double> expected;
  double observed_below = 0.0, expected_below = 0.0, observed_above = 0.0, expected_above = 0.0;
  // The ECDF difference sqrt(n) (F_n(x) - F(x)) at the reference's p-quantiles
  // (F = the rounded output's CDF), p = (j + 1/2) / points.
  std::vector<double> ecdf_probability;
  std::vector<double> ecdf_difference;
  // Histogram of the two-level test's chunk p-values over 20 bins of [0, 1].
  std::vector<double> two_level_counts;
};

struct CaseResult {
  std::string name;
  std::string family;        // family or control name
  std::string convention;    // distribution / torch / keras / control
  std::string note;
  std::string shape_name;    // empty when the family does not use fans
  std::string shape_description;
  std::vector<std::int64_t> shape;  // in the convention's layout
  std::string layout;
  std::int64_t groups = 1;
  std::optional<Fans> fans;  // as nninit::compute_fans gave them
  std::string dtype;
  int seed_index = 0;
  std::uint64_t seed = 0;
  std::string stream_name;
  std::uint64_t stream_id = 0;
  std::uint64_t tensor_elements = 0;  // 0: no tensor (plain distribution): the logical tensor is the sample
  std::uint64_t sample_offset = 0;    // index of the sample's first value in the logical tensor
  std::size_t sample_size = 0;
  bool beyond_tensor = false;         // the tensor is smaller than the sample: a larger logical tensor
  std::string distribution;           // what nninit returned (nninit::describe)
  std::string reference;              // the reference distribution (ReferenceDistribution::describe)
  // Controls only.
  bool is_control = false;
  std::string defect, generated_by, expected_detector;
  bool detected = false;
  double min_p_value = not_a_number;
  std::string caught_by;
  // Results.
  std::vector<TestResult> tests;  // statistical tests (the run's Holm family; for controls judged at alpha / m)
  std::vector<TestResult> exact;  // exact checks (fans, parameters, constant values): pass or fail, no error rate
  std::optional<PlotData> plot;
  std::string figure;             // "plots/<slug>.png" when the plot script should draw this entry
  std::string error;              // an exception's message; the entry then fails
  double seconds = 0.0;
  Verdict verdict = Verdict::not_judged;  // for controls: fail = not detected
};

struct IndependenceResult {
  std::string name;
  std::string description;
  std::vector<TestResult> tests;
  Verdict verdict = Verdict::not_judged;
};

struct ReproducibilityResult {
  std::string name;
  std::string distribution;
  std::string dtype;
  std::size_t count = 0;           // elements per fill
  std::size_t comparisons = 0;     // fills compared bit for bit with the single-threaded one
  std::size_t mismatches = 0;      // comparisons that differed
  std::string description;         // what was compared
  std::string first_mismatch;
  bool is_control = false;         // a negative control: its fills must all differ
  bool passed = false;
};

struct RunResult {
  RunOptions options;
  TierSettings settings{};
  std::size_t sample_size = 0;
  int seeds = 1;
  int jobs = 1;
  std::size_t family_size = 0;          // m: statistical tests in the Holm family
  double strictest_threshold = 0.0;     // alpha / m
  std::vector<CaseResult> cases;
  std::vector<CaseResult> controls;
  std::vector<IndependenceResult> independence;
  std::vector<ReproducibilityResult> reproducibility;
  double seconds = 0.0;
  bool passed = false;
};

// One line of progress (no trailing newline), e.g. for stderr.
using Progress = std::function<void(const std::string& line)>;

// Runs everything RunOptions selects. Never throws for a failing case (its
// error is recorded); throws std::invalid_argument for bad options.
RunResult run_suite(const RunOptions& options, const Progress& progress = {});

// A file-name-safe form of a name: [a-z0-9_.-], other runs become '_'.
std::string slug(const std::string& name);

}  // namespace nninit::validation::suite
