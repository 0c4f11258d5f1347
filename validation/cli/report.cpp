// report.md, report.json and junit.xml of a validation run.
#include "report.hpp"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "json_writer.hpp"
#include "nninit/stream.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/resolution.hpp"
#include "nninit/version.hpp"

namespace nninit::validation::suite {
namespace {

constexpr double z_power_90 = 1.2815515655446004;  // Phi^-1(0.9)

std::string fmt(double value, const char* format = "%.3g") {
  if (std::isnan(value)) return "—";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string percent(double fraction) {
  return fmt(100.0 * fraction, fraction >= 0.1 ? "%.0f" : "%.2g") + "%";
}

// Two-sided normal critical value for tail probability t.
double normal_critical(double t) { return std::numbers::sqrt2 * boost::math::erfc_inv(t); }

// sqrt(n) D exceeded with probability t by Kolmogorov's limit (2 e^{-2 c^2} = t).
double ks_critical(double t) { return std::sqrt(-std::log(t / 2.0) / 2.0); }

const TestResult* worst_test(const CaseResult& r) {
  const TestResult* worst = nullptr;
  for (const TestResult& t : r.exact) {
    if (t.verdict == Verdict::fail) return &t;
  }
  for (const TestResult& t : r.tests) {
    if (std::isnan(t.p_value)) continue;
    if (worst == nullptr || t.p_value < worst->p_value) worst = &t;
  }
  return worst;
}

std::string md_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
    }
  }
  return out;
}

std::string test_line(const TestResult& t) {
  std::ostringstream line;
  line << t.name << ": " << verdict_text(t.verdict) << ", p = " << fmt(t.p_value)
       << ", adjusted p = " << fmt(t.adjusted_p_value) << ", measured " << fmt(t.measured, "%.6g");
  if (!std::isnan(t.target)) line << " (target " << fmt(t.target, "%.6g") << ")";
  if (!std::isnan(t.ci_low)) line << " [" << fmt(t.ci_low, "%.6g") << ", " << fmt(t.ci_high, "%.6g") << "]";
  if (!t.detail.empty()) line << " — " << t.detail;
  return line.str();
}

struct Counts {
  std::size_t total = 0, pass = 0, suspicious = 0, fail = 0;
};

Counts count(const std::vector<CaseResult>& entries) {
  Counts c;
  for (const CaseResult& r : entries) {
    ++c.total;
    if (r.verdict == Verdict::fail) {
      ++c.fail;
    } else if (r.verdict == Verdict::suspicious) {
      ++c.suspicious;
    } else {
      ++c.pass;
    }
  }
  return c;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string seeds_text(const RunResult& run) {
  std::string text = std::to_string(run.options.seed);
  if (run.seeds > 1) text += " … " + std::to_string(run.options.seed + static_cast<std::uint64_t>(run.seeds - 1));
  return text;
}

void json_test(JsonWriter& json, const TestResult& t, bool exact) {
  json.begin_object();
  json.member("name", t.name);
  json.member("exact", exact);
  json.key("statistic").value(t.statistic);
  json.key("p_value").value(t.p_value);
  json.key("adjusted_p_value").value(t.adjusted_p_value);
  json.member("sample_size", static_cast<std::uint64_t>(t.sample_size));
  json.key("measured").value(t.measured);
  json.key("target").value(t.target);
  json.key("ci_low").value(t.ci_low);
  json.key("ci_high").value(t.ci_high);
  json.member("verdict", verdict_text(t.verdict));
  json.member("detail", t.detail);
  json.end_object();
}

void json_entry(JsonWriter& json, const CaseResult& r) {
  json.begin_object();
  json.member("name", r.name);
  json.member("family", r.family);
  json.member("convention", r.convention);
  json.member("note", r.note);
  json.member("dtype", r.dtype);
  json.member("verdict", verdict_text(r.verdict));
  if (!r.shape_name.empty()) {
    json.member("shape_name", r.shape_name);
    json.member("shape_description", r.shape_description);
    json.key("shape").begin_array();
    for (const std::int64_t d : r.shape) json.value(d);
    json.end_array();
    json.member("layout", r.layout);
    json.member("groups", r.groups);
  }
  if (r.fans) {
    json.key("fans").begin_object();
    json.key("fan_in").value(r.fans->fan_in);
    json.key("fan_out").value(r.fans->fan_out);
    json.end_object();
  }
  json.member("seed", r.seed);
  json.member("seed_index", r.seed_index);
  json.member("stream_name", r.stream_name);
  json.member("stream_id", r.stream_id);
  json.member("tensor_elements", r.tensor_elements);
  json.member("sample_offset", r.sample_offset);
  json.member("sample_size", static_cast<std::uint64_t>(r.sample_size));
  json.member("beyond_tensor", r.beyond_tensor);
  json.member("distribution", r.distribution);
  json.member("reference", r.reference);
  if (r.is_control) {
    json.member("defect", r.defect);
    json.member("generated_by", r.generated_by);
    json.member("expected_detector", r.expected_detector);
    json.member("detected", r.detected);
    json.key("min_p_value").value(r.min_p_value);
    json.member("caught_by", r.caught_by);
  }
  json.key("seconds").value(r.seconds, 4);
  if (!r.error.empty()) json.member("error", r.error);
  if (!r.figure.empty()) json.member("figure", r.figure);
  json.key("tests").begin_array();
  for (const TestResult& t : r.exact) json_test(json, t, true);
  for (const TestResult& t : r.tests) json_test(json, t, false);
  json.end_array();
  if (r.plot) {
    const PlotData& p = *r.plot;
    json.key("plot").begin_object();
    json.key("histogram").begin_object();
    json.key("edges").numbers(p.edges, 9);
    json.key("observed").numbers(p.observed, 9);
    json.key("expected").numbers(p.expected, 7);
    json.key("observed_below").value(p.observed_below);
    json.key("expected_below").value(p.expected_below, 7);
    json.key("observed_above").value(p.observed_above);
    json.key("expected_above").value(p.expected_above, 7);
    json.end_object();
    json.key("ecdf").begin_object();
    json.key("probability").numbers(p.ecdf_probability, 6);
    json.key("scaled_difference").numbers(p.ecdf_difference, 5);
    json.end_object();
    json.key("two_level_p_value_counts").numbers(p.two_level_counts, 9);
    json.end_object();
  }
  json.end_object();
}

}  // namespace

std::string verdict_text(Verdict verdict) { return std::string(verdict_name(verdict)); }

std::vector<PowerRow> power_table(std::size_t n, double threshold) {
  const double root_n = std::sqrt(static_cast<double>(n));
  const double z = normal_critical(threshold) + z_power_90;
  const double c = ks_critical(threshold) + 0.64;  // + 1.28 x the bridge's largest pointwise sd (1/2)
  std::vector<PowerRow> rows;
  const auto sd_row = [&](const char* shape, double kurtosis) {
    rows.push_back({"standard_deviation", std::string("sd error, ") + shape, z * std::sqrt((kurtosis - 1.0) / 4.0) / root_n,
                    "relative", "z-test of s^2 with the shape's kurtosis " + fmt(kurtosis, "%.4g")});
  };
  sd_row("normal", 3.0);
  sd_row("uniform", 1.8);
  sd_row("truncated normal +-2 sd", 2.3655367);
  rows.push_back({"mean", "mean shift", z / root_n, "sd", "t-test"});
  rows.push_back({"kolmogorov_smirnov", "sd error, normal", c / (0.24197072451914337 * root_n), "relative",
                  "max CDF change 0.242 x error (at 1 sd); KS is weak against scale errors"});
  rows.push_back({"kolmogorov_smirnov", "bound error, uniform", 2.0 * c / root_n, "relative",
                  "max CDF change error / 2 (at the bounds)"});
  rows.push_back({"kolmogorov_smirnov", "mean shift, normal", c / (0.3989422804014327 * root_n), "sd",
                  "max CDF change 0.399 x shift"});
  rows.push_back({"bounds(edge approached)", "uniform bound too small", 2.0 * -std::log(threshold) / static_cast<double>(n),
                  "relative", "no value within the missing edge: (1 - q)^n <= threshold (power ~1 beyond)"});
  rows.push_back({"bounds(mass at bound)", "extra mass piled on a bound (f32 / f64)",
                  (-std::log(threshold) + z) / static_cast<double>(n), "probability",
                  "a bound's own mass is ~0 there; clamping a normal at +-2 sd piles 2.3% on each bound"});
  const double tail3 = 0.0026997960632601866 * static_cast<double>(n);
  rows.push_back({"tail_count(>3 sd)", "excess or deficit of normal tail mass beyond 3 sd", z / std::sqrt(tail3), "relative",
                  "expected count " + fmt(tail3, "%.0f")});
  const double tail45 = 6.795346249477e-6 * static_cast<double>(n);
  rows.push_back({"tail_count(>4.5 sd)", "tail mass beyond 4.5 sd", z / std::sqrt(tail45), "relative",
                  "expected count " + fmt(tail45, "%.1f") + "; a clipped tail (none beyond 4.5 sd) needs an expected count >= " +
                      fmt(-std::log(threshold), "%.0f")});
  {
    // Fewest bits a uniform source may have before collisions exceed the
    // resolution test's bound: n^2/2 2^-R >= E + z sqrt(E).
    const auto bits = [&](double collision_probability, double step) {
      const double pairs = 0.5 * static_cast<double>(n) * static_cast<double>(n - 1);
      const double bound = pairs * (collision_probability + 3.0 * step);
      const double needed = std::max(bound + z * std::sqrt(bound), -std::log(threshold) + z);
      return std::log2(pairs / needed);
    };
    const double p32 = rounding_collision_probability(
        ReferenceDistribution::uniform(-1.0, 1.0).on_grid(OutputGrid::float32));
    rows.push_back({"resolution(collisions)", "uniform source with R bits (f32)", bits(p32, 0x1p-23), "bits",
                    "R below this is detected (nninit uses 24)"});
    rows.push_back({"resolution(collisions)", "uniform source with R bits (f64)", bits(0.0, 0x1p-52), "bits",
                    "R below this is detected (nninit uses 53)"});
  }
  return rows;
}

void write_markdown(std::ostream& out, const RunResult& run) {
  const Counts cases = count(run.cases);
  std::size_t detected = 0;
  for (const CaseResult& r : run.controls) detected += r.detected ? 1 : 0;
  std::size_t repro_failed = 0, repro_comparisons = 0;
  for (const ReproducibilityResult& r : run.reproducibility) {
    repro_failed += r.passed ? 0 : 1;
    repro_comparisons += r.comparisons;
  }
  std::size_t independence_failed = 0, independence_suspicious = 0;
  for (const IndependenceResult& r : run.independence) {
    independence_failed += r.verdict == Verdict::fail ? 1 : 0;
    independence_suspicious += r.verdict == Verdict::suspicious ? 1 : 0;
  }

  out << "# nninit statistical validation report\n\n";
  out << "**Verdict: " << (run.passed ? "PASS" : "FAIL") << "** — " << cases.pass << " cases pass, " << cases.suspicious
      << " suspicious, " << cases.fail << " fail; " << detected << " of " << run.controls.size()
      << " negative controls detected; " << run.independence.size() - independence_failed << " of "
      << run.independence.size() << " independence checks pass; " << run.reproducibility.size() - repro_failed << " of "
      << run.reproducibility.size() << " reproducibility checks pass.\n\n";
  out << "| | |\n| --- | --- |\n";
  out << "| tier | " << tier_name(run.options.tier) << " |\n";
  char hex_seed[32];
  std::snprintf(hex_seed, sizeof hex_seed, "0x%016llX", static_cast<unsigned long long>(run.options.seed));
  out << "| seed(s) | " << seeds_text(run) << " = " << hex_seed
      << (run.options.seed == default_seed ? " (the default, chosen once)" : " (--seed)") << " |\n";
  out << "| values per case | " << run.sample_size << " |\n";
  out << "| cases / controls | " << run.cases.size() << " / " << run.controls.size() << " |\n";
  out << "| statistical tests in the family (m) | " << run.family_size << " |\n";
  out << "| family-wise alpha (Holm over the whole run) | " << fmt(run.options.alpha) << " |\n";
  out << "| strictest threshold alpha / m | " << fmt(run.strictest_threshold) << " |\n";
  out << "| jobs | " << run.jobs << " |\n";
  out << "| runtime | " << fmt(run.seconds, "%.1f") << " s |\n";
  out << "| nninit | " << version_string << ", stream version " << stream_version << " |\n";
  out << "| generated | " << utc_now() << " |\n";
  if (!run.options.selection.name_pattern.empty()) out << "| --init | `" << run.options.selection.name_pattern << "` |\n";
  out << "\n";

  out << "## Significance policy\n\n"
      << "- Seeds are fixed: the default seed is a constant in the code, chosen once and never re-picked after a failure; "
         "`--seed` overrides it. Each case's stream is `Stream::named(seed, case name)`.\n"
      << "- Every statistical test of every case and of the independence checks forms **one family of m = "
      << run.family_size << " tests**. Holm's step-down procedure controls the family-wise error rate at alpha = "
      << fmt(run.options.alpha) << ": the probability that a correct nninit fails this run anywhere is at most "
      << fmt(run.options.alpha) << ".\n"
      << "- A test whose Holm-adjusted p-value lies in (alpha, " << fmt(run.options.suspicion_factor) << " alpha] = ("
      << fmt(run.options.alpha) << ", " << fmt(run.options.alpha * run.options.suspicion_factor)
      << "] is flagged **suspicious**: reported, not failing.\n"
      << "- Exact checks (fans, initializer parameters against the published formulas, constant values, bit equality) "
         "have no error rate: any difference fails.\n"
      << "- A negative control is **detected** when at least one of its tests has a raw p-value <= alpha / m = "
      << fmt(run.strictest_threshold)
      << ", the strictest Holm threshold, so the same defect in a real case would have failed the run. A control that "
         "is not detected fails the run.\n"
      << "- Samples: each case tests " << run.sample_size
      << " values. A tensor with more elements contributes its last n elements (filled on their own at offset "
         "elements - n: the reproducibility checks show a slice equals the whole fill); a smaller tensor is extended: "
         "the sample is the first n elements of a larger logical tensor on the same stream (`beyond_tensor` in the "
         "JSON), which holds the tensor's own values followed by what the stream gives next.\n"
      << "- bfloat16 and float16 outputs are tested against the distribution of the rounded value, clamped inside the "
         "bounds as nninit's contract states (`BoundRounding::clamp_inside`).\n\n";

  out << "## Power at this sample size\n\n"
      << "The smallest defect each test detects with 90% power at the strictest threshold alpha / m = "
      << fmt(run.strictest_threshold) << " and n = " << run.sample_size << " values per case.\n\n"
      << "| test | defect | detectable | note |\n| --- | --- | --- | --- |\n";
  for (const PowerRow& row : power_table(run.sample_size, run.strictest_threshold)) {
    std::string value;
    if (row.unit == "relative") {
      value = percent(row.detectable);
    } else if (row.unit == "sd") {
      value = fmt(row.detectable, "%.2g") + " sd";
    } else if (row.unit == "bits") {
      value = "< " + fmt(row.detectable, "%.1f") + " bits";
    } else {
      value = fmt(row.detectable, "%.2g");
    }
    out << "| " << row.test << " | " << row.defect << " | " << value << " | " << md_escape(row.note) << " |\n";
  }
  out << "\nNot detectable at this size: normal tails beyond about 5.5 sd (Box–Muller's cut at 6.66 sd needs 1e9+ "
         "values), defects smaller than a bfloat16 / float16 rounding step, dependence between elements more than "
         "one chunk apart or among three or more values. See validation/README.md.\n\n";

  out << "## Negative controls\n\n"
      << "| control | defect | detected | min p | caught by (p <= alpha / m) | meant for |\n"
      << "| --- | --- | --- | --- | --- | --- |\n";
  for (const CaseResult& r : run.controls) {
    out << "| " << md_escape(r.name) << " | " << md_escape(r.defect) << " | "
        << (r.detected ? "**yes**" : "**NO — the suite lacks power**") << " | " << fmt(r.min_p_value) << " | "
        << md_escape(r.caught_by.empty() ? (r.error.empty() ? "—" : "error: " + r.error) : r.caught_by) << " | "
        << md_escape(r.expected_detector) << " |\n";
  }
  out << "\n";

  const auto figure_list = [&](const std::vector<CaseResult>& entries) {
    for (const CaseResult& r : entries) {
      if (!r.figure.empty()) out << "- [" << md_escape(r.name) << "](" << r.figure << ")\n";
    }
  };
  out << "## Plots\n\n"
      << "Rendered from report.json by `validation/plot_report.py` (`python3 validation/plot_report.py "
         "report.json`). Each figure: the histogram against the expected counts of the reference (rounded to the "
         "dtype), the ECDF difference sqrt(n) (F_n - F) with the KS critical band, and the histogram of the two-level "
         "test's chunk p-values (flat when correct).\n\n"
      << "- [all p-values of the run](plots/overview_p_values.png) — flat histogram and a straight QQ line when "
         "correct\n"
      << "- [pooled two-level chunk p-values](plots/overview_two_level.png)\n"
      << "- [negative controls](plots/controls.png)\n";
  figure_list(run.controls);
  figure_list(run.cases);
  out << "\n";

  out << "## Cases\n\n| case | reference | verdict | min adjusted p | weakest test | time |\n| --- | --- | --- | --- | --- | --- |\n";
  for (const CaseResult& r : run.cases) {
    const TestResult* worst = worst_test(r);
    double min_adjusted = 1.0;
    for (const TestResult& t : r.tests) {
      if (!std::isnan(t.adjusted_p_value)) min_adjusted = std::min(min_adjusted, t.adjusted_p_value);
    }
    out << "| " << md_escape(r.name) << " | " << md_escape(r.reference) << " | "
        << (r.verdict == Verdict::pass ? "pass" : "**" + verdict_text(r.verdict) + "**") << " | "
        << (r.tests.empty() ? "exact" : fmt(min_adjusted)) << " | "
        << md_escape(!r.error.empty() ? "error: " + r.error : worst != nullptr ? worst->name + " (p " + fmt(worst->p_value) + ")" : "—")
        << " | " << fmt(r.seconds, "%.2f") << " s |\n";
  }
  out << "\n";

  out << "## Independence\n\n| check | test | p | adjusted p | measured | verdict |\n| --- | --- | --- | --- | --- | --- |\n";
  for (const IndependenceResult& r : run.independence) {
    for (const TestResult& t : r.tests) {
      out << "| " << md_escape(r.name) << " | " << t.name << " | " << fmt(t.p_value) << " | " << fmt(t.adjusted_p_value)
          << " | " << fmt(t.measured, "%.3g") << " | " << verdict_text(t.verdict) << " |\n";
    }
  }
  out << "\nPearson correlation and the 32x32 joint chi-squared of the probability transforms, for: element i of "
         "chunk 2k against chunk 2k+1 (chunks of 1, 2, 4, 1024 and n values of one stream), consecutive stream ids, "
         "stream ids 0 and 1, and consecutive seeds.\n\n";

  out << "## Reproducibility (bit for bit)\n\n"
      << repro_comparisons << " fills compared with the single-threaded fill of the same slice.\n\n"
      << "| check | distribution | elements | comparisons | mismatches |\n| --- | --- | --- | --- | --- |\n";
  for (const ReproducibilityResult& r : run.reproducibility) {
    out << "| " << md_escape(r.name) << " | " << md_escape(r.distribution) << " | " << r.count << " | " << r.comparisons
        << " | "
        << (r.is_control ? (r.passed ? std::to_string(r.mismatches) + " (all differ, as they must)"
                                     : "**" + std::to_string(r.mismatches) + "**: " + md_escape(r.first_mismatch))
                         : (r.passed ? "0" : "**" + std::to_string(r.mismatches) + "** (" + md_escape(r.first_mismatch) + ")"))
        << " |\n";
  }
  if (!run.reproducibility.empty()) {
    out << "\nEach check: " << run.reproducibility.front().description
        << ". The control: " << run.reproducibility.back().description << ".\n";
  }
  out << "\n";

  out << "## Details of failing and suspicious entries\n\n";
  bool any = false;
  const auto details = [&](const CaseResult& r) {
    if (r.verdict == Verdict::pass && !(r.is_control && !r.detected)) return;
    any = true;
    out << "### " << r.name << " — " << verdict_text(r.verdict) << "\n\n";
    out << "- distribution: " << r.distribution << "\n- reference: " << r.reference << "\n";
    if (!r.error.empty()) out << "- error: " << r.error << "\n";
    for (const TestResult& t : r.exact) out << "- " << test_line(t) << "\n";
    for (const TestResult& t : r.tests) out << "- " << test_line(t) << "\n";
    out << "\n";
  };
  for (const CaseResult& r : run.cases) details(r);
  for (const CaseResult& r : run.controls) {
    if (!r.detected) details(r);
  }
  if (!any) out << "None.\n";
}

void write_json(std::ostream& out, const RunResult& run) {
  JsonWriter json(out);
  json.begin_object();
  json.member("tool", "nninit-validate");
  json.member("nninit_version", version_string);
  json.member("stream_version", stream_version);
  json.member("generated", utc_now());
  json.member("tier", tier_name(run.options.tier));
  json.member("passed", run.passed);
  json.member("seed", run.options.seed);
  json.member("default_seed", run.options.seed == default_seed);
  json.key("seeds").begin_array();
  for (int k = 0; k < run.seeds; ++k) json.value(run.options.seed + static_cast<std::uint64_t>(k));
  json.end_array();
  json.member("sample_size", static_cast<std::uint64_t>(run.sample_size));
  json.member("jobs", run.jobs);
  json.key("seconds").value(run.seconds, 4);
  json.member("init_filter", run.options.selection.name_pattern);
  json.key("dtype_filter").begin_array();
  for (const DType d : run.options.selection.dtypes) json.value(dtype_name(d));
  json.end_array();
  json.key("policy").begin_object();
  json.member("multiple_testing", "Holm over every statistical test of the run (cases and independence checks)");
  json.key("alpha").value(run.options.alpha);
  json.key("suspicion_factor").value(run.options.suspicion_factor);
  json.member("family_size", static_cast<std::uint64_t>(run.family_size));
  json.key("strictest_threshold").value(run.strictest_threshold);
  json.member("control_rule", "detected when some test has raw p <= alpha / m");
  json.end_object();
  json.key("ks_critical_scaled").begin_object();
  json.key("run_threshold").value(ks_critical(run.strictest_threshold), 6);
  json.key("alpha_0.05").value(1.3580986393225507, 6);
  json.end_object();
  json.key("power").begin_array();
  for (const PowerRow& row : power_table(run.sample_size, run.strictest_threshold)) {
    json.begin_object();
    json.member("test", row.test);
    json.member("defect", row.defect);
    json.key("detectable").value(row.detectable, 6);
    json.member("unit", row.unit);
    json.member("note", row.note);
    json.end_object();
  }
  json.end_array();
  json.key("cases").begin_array();
  for (const CaseResult& r : run.cases) json_entry(json, r);
  json.end_array();
  json.key("controls").begin_array();
  for (const CaseResult& r : run.controls) json_entry(json, r);
  json.end_array();
  json.key("independence").begin_array();
  for (const IndependenceResult& r : run.independence) {
    json.begin_object();
    json.member("name", r.name);
    json.member("description", r.description);
    json.member("verdict", verdict_text(r.verdict));
    json.key("tests").begin_array();
    for (const TestResult& t : r.tests) json_test(json, t, false);
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.key("reproducibility").begin_array();
  for (const ReproducibilityResult& r : run.reproducibility) {
    json.begin_object();
    json.member("name", r.name);
    json.member("distribution", r.distribution);
    json.member("dtype", r.dtype);
    json.member("count", static_cast<std::uint64_t>(r.count));
    json.member("comparisons", static_cast<std::uint64_t>(r.comparisons));
    json.member("mismatches", static_cast<std::uint64_t>(r.mismatches));
    json.member("description", r.description);
    json.member("first_mismatch", r.first_mismatch);
    json.member("is_control", r.is_control);
    json.member("passed", r.passed);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  out << '\n';
}

void write_junit(std::ostream& out, const RunResult& run) {
  struct Case {
    std::string name;
    double seconds;
    bool failed;
    std::string message;
    std::string body;
    std::string output;
  };
  struct Suite {
    std::string name;
    std::vector<Case> cases;
  };
  std::vector<Suite> suites;

  const auto entry_body = [](const CaseResult& r) {
    std::string text = "distribution: " + r.distribution + "\nreference: " + r.reference + "\n";
    if (!r.error.empty()) text += "error: " + r.error + "\n";
    for (const TestResult& t : r.exact) text += test_line(t) + "\n";
    for (const TestResult& t : r.tests) text += test_line(t) + "\n";
    return text;
  };
  Suite cases{"cases", {}};
  for (const CaseResult& r : run.cases) {
    const TestResult* worst = worst_test(r);
    std::string message = !r.error.empty() ? "error: " + r.error
                          : worst != nullptr ? worst->name + " " + verdict_text(worst->verdict) + " (p " + fmt(worst->p_value) +
                                                   ", adjusted " + fmt(worst->adjusted_p_value) + ")"
                                             : "";
    std::string output = entry_body(r);
    if (r.verdict == Verdict::suspicious) output = "SUSPICIOUS (not failing): " + message + "\n" + output;
    cases.cases.push_back({r.name, r.seconds, r.verdict == Verdict::fail, message, entry_body(r), output});
  }
  suites.push_back(std::move(cases));
  Suite controls{"negative_controls", {}};
  for (const CaseResult& r : run.controls) {
    const std::string body = "defect: " + r.defect + "\ngenerated by: " + r.generated_by + "\n" + entry_body(r);
    controls.cases.push_back({r.name, r.seconds, !r.detected,
                              "the defect was NOT detected (min p " + fmt(r.min_p_value) + " > alpha / m = " +
                                  fmt(run.strictest_threshold) + "): the suite lacks power",
                              body, "detected by: " + r.caught_by + "\n" + body});
  }
  suites.push_back(std::move(controls));
  Suite independence{"independence", {}};
  for (const IndependenceResult& r : run.independence) {
    std::string body = r.description + "\n";
    for (const TestResult& t : r.tests) body += test_line(t) + "\n";
    independence.cases.push_back({r.name, 0.0, r.verdict == Verdict::fail, "dependence detected", body, body});
  }
  suites.push_back(std::move(independence));
  Suite reproducibility{"reproducibility", {}};
  for (const ReproducibilityResult& r : run.reproducibility) {
    const std::string body = r.distribution + ": " + r.description + "; " + std::to_string(r.mismatches) + " of " +
                             std::to_string(r.comparisons) + " comparisons differ";
    reproducibility.cases.push_back(
        {r.name, 0.0, !r.passed, r.is_control ? r.first_mismatch : "output bits differ: " + r.first_mismatch, body, body});
  }
  suites.push_back(std::move(reproducibility));

  std::size_t total = 0, failures = 0;
  for (const Suite& s : suites) {
    for (const Case& c : s.cases) {
      ++total;
      failures += c.failed ? 1 : 0;
    }
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"nninit-validate\" tests=\"" << total << "\" failures=\"" << failures << "\" errors=\"0\" time=\""
      << fmt(run.seconds, "%.3f") << "\">\n";
  for (const Suite& s : suites) {
    std::size_t suite_failures = 0;
    double suite_time = 0.0;
    for (const Case& c : s.cases) {
      suite_failures += c.failed ? 1 : 0;
      suite_time += c.seconds;
    }
    out << "  <testsuite name=\"nninit.validation." << s.name << "\" tests=\"" << s.cases.size() << "\" failures=\""
        << suite_failures << "\" errors=\"0\" skipped=\"0\" time=\"" << fmt(suite_time, "%.3f") << "\">\n";
    out << "    <properties>\n      <property name=\"tier\" value=\"" << tier_name(run.options.tier)
        << "\"/>\n      <property name=\"seed\" value=\"" << run.options.seed << "\"/>\n      <property name=\"sample_size\" value=\""
        << run.sample_size << "\"/>\n      <property name=\"alpha\" value=\"" << fmt(run.options.alpha)
        << "\"/>\n      <property name=\"holm_family_size\" value=\"" << run.family_size << "\"/>\n    </properties>\n";
    for (const Case& c : s.cases) {
      out << "    <testcase classname=\"nninit.validation." << s.name << "\" name=\"" << xml_escape(c.name) << "\" time=\""
          << fmt(c.seconds, "%.3f") << "\">\n";
      if (c.failed) {
        out << "      <failure message=\"" << xml_escape(c.message) << "\" type=\"statistical\">" << xml_escape(c.body)
            << "</failure>\n";
      }
      out << "      <system-out>" << xml_escape(c.output) << "</system-out>\n";
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

void write_reports(const std::string& directory, const RunResult& run) {
  std::filesystem::create_directories(directory);
  const auto write = [&](const char* name, void (*writer)(std::ostream&, const RunResult&)) {
    const std::filesystem::path path = std::filesystem::path(directory) / name;
    std::ofstream file(path);
    if (!file) throw std::runtime_error("cannot write " + path.string());
    writer(file, run);
    file.close();
    if (!file) throw std::runtime_error("error writing " + path.string());
  };
  write("report.md", write_markdown);
  write("report.json", write_json);
  write("junit.xml", write_junit);
}

}  // namespace nninit::validation::suite
