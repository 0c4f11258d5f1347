// validate_command.cpp — `nninit validate FILE.npy`: the statistical battery of
// nninit::validation (bounds, moments, Kolmogorov–Smirnov, Anderson–Darling,
// chi-squared, tails, two-level and correlation tests with a Holm–Bonferroni
// family-wise verdict) on any tensor, including one written by another
// framework, against a distribution given outright (--dist) or derived from an
// initializer and a shape (--init).
#include <cmath>
#include <cstdio>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "arguments.hpp"
#include "commands.hpp"
#include "initializers_by_name.hpp"
#include "json_text.hpp"
#include "nninit/dtype.hpp"
#include "nninit/fill.hpp"
#include "npy.hpp"
#include "npy_raw_values.hpp"
#include "progress.hpp"

#if NNINIT_CLI_WITH_VALIDATION
#include "nninit/validation/battery.hpp"
#include "nninit/validation/half_precision.hpp"
#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"
#endif

namespace nninit::cli {
namespace {

constexpr const char* validate_help =
    R"(usage: nninit validate FILE.npy --dist NAME [--mean M] [--std S] [--low A] [--high B]
                                        [--lower L] [--upper U] [--value V]
       nninit validate FILE.npy --init NAME [--shape D0,D1,...] [--layout torch|keras]
                                        [--param KEY=VALUE ...]
       common options: [--grid auto|continuous|float32|bfloat16|float16]
                       [--bounds auto|inside|nearest] [--alpha A]
                       [--max-values N] [--json] [--no-progress]

Runs nninit's statistical test battery on the values of FILE.npy ('<f4',
'<f8', '<f2', or '<u2' read as bfloat16 bits) against a fully specified
distribution, and prints a verdict with one line per test: bounds (nothing
outside the support, both ends approached, no mass piled on a bound), mean and
standard deviation, Kolmogorov-Smirnov, Anderson-Darling, chi-squared (also on
the output grid for 16-bit types), tail counts (normal), the sample's extremes
(normal, truncated normal), a two-level KS test over chunks, serial and
half-against-half correlation, and the resolution (collision) test (float32,
float64) -- the battery nninit-validate runs on nninit's own fills. The verdict is
family-wise: Holm-Bonferroni at --alpha (default 1e-6); 'suspicious' (adjusted
p within 100 x alpha) is reported but does not fail. The file may come from any
framework (e.g. numpy.save(path, torch_tensor.numpy())).

the reference distribution, either
  --dist uniform --low A --high B
  --dist normal --mean M --std S                       (mean default 0)
  --dist truncated_normal --mean M --std S --lower L --upper U
                                                       (ABSOLUTE bounds)
  --dist constant --value V                            (exact equality)
or derived from an initializer, as 'nninit fill' would use it:
  --init NAME               any name of 'nninit inits'
  --shape D0,D1,...         the tensor's shape for the fans (default: the
                            file's shape; give it when the file is a slice)
  --layout torch|keras      (default torch)
  --param KEY=VALUE ...     the initializer's parameters

options:
  --grid G                  the grid the values were rounded to: auto (default:
                            from the file's dtype), continuous, float32,
                            bfloat16 or float16
  --bounds auto|inside|nearest
                            the law of the values at a bound that the dtype
                            cannot represent: inside (nninit's fills: every
                            value clamped into [lower, upper]) or nearest (a
                            real draw rounded to nearest in the file's dtype, as
                            PyTorch, JAX and numpy produce: float32(low) may lie
                            below low). auto (default): inside for files that
                            'nninit fill' wrote (their header says so), nearest
                            for every other file
  --alpha A                 family-wise significance level (default 1e-6)
  --max-values N            test only the first N values (default: all)
  --json                    print one JSON object (the file, the reference,
                            every test with its statistic, p-values, measured
                            value, target and verdict, and the verdict)
                            instead of the table; errors still go to stderr
  --no-progress             no progress line (shown on stderr only when it
                            is a terminal, and erased at the end)
  -h, --help                this text

exit status: 0 PASS, 1 FAIL, 2 bad arguments or file (also with --json).

examples:
  nninit validate wte.npy --dist normal --std 0.02
  nninit validate fc1.npy --init torch.kaiming_uniform --param nonlinearity=relu
  nninit validate shard.npy --init keras.he_normal --layout keras --shape 3,3,64,128
)";

}  // namespace

#if !NNINIT_CLI_WITH_VALIDATION

int validate_command(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(validate_help, stdout);
      return 0;
    }
  }
  throw UsageError(
      "this nninit was built without the validation suite (configure with NNINIT_BUILD_VALIDATION=ON)");
}

#else

namespace {

namespace v = nninit::validation;

v::OutputGrid grid_of(DType dtype) {
  switch (dtype) {
    case DType::f32:
      return v::OutputGrid::float32;
    case DType::f64:
      return v::OutputGrid::continuous;
    case DType::bf16:
      return v::OutputGrid::bfloat16;
    case DType::f16:
      return v::OutputGrid::float16;
  }
  return v::OutputGrid::continuous;
}

v::OutputGrid parse_grid(const std::string& text) {
  if (text == "continuous" || text == "f64" || text == "float64") return v::OutputGrid::continuous;
  if (text == "float32" || text == "f32") return v::OutputGrid::float32;
  if (text == "bfloat16" || text == "bf16") return v::OutputGrid::bfloat16;
  if (text == "float16" || text == "f16") return v::OutputGrid::float16;
  throw UsageError("--grid: '" + text + "' is not auto, continuous, float32, bfloat16 or float16");
}

// The constant `value` as the file's dtype stores it.
double stored_constant(double value, DType dtype) {
  switch (dtype) {
    case DType::f32:
      return static_cast<double>(static_cast<float>(value));
    case DType::f64:
      return value;
    case DType::bf16:
      return static_cast<double>(to_float(to_bfloat16(static_cast<float>(value))));
    case DType::f16:
      return static_cast<double>(to_float(to_float16(static_cast<float>(value))));
  }
  return value;
}

std::string cell(double value) {
  if (std::isnan(value)) return "-";
  if (value == 0.0) value = 0.0;  // never print -0
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

// --dist and its numbers.
Distribution distribution_from_flags(const ParsedArguments& arguments) {
  const std::string name = *arguments.value("dist");
  auto number = [&](const char* flag) -> std::optional<double> {
    const auto text = arguments.value(flag);
    if (!text) return std::nullopt;
    return parse_double(*text, std::string("--") + flag);
  };
  auto required = [&](const char* flag) {
    const auto value = number(flag);
    if (!value) throw UsageError("--dist " + name + " needs --" + flag);
    return *value;
  };
  auto only = [&](std::initializer_list<const char*> allowed) {
    for (const char* flag : {"mean", "std", "low", "high", "lower", "upper", "value"}) {
      bool ok = false;
      for (const char* a : allowed) ok = ok || std::string(a) == flag;
      if (!ok && arguments.has(flag))
        throw UsageError(std::string("--") + flag + " does not apply to --dist " + name);
    }
  };
  if (name == "uniform") {
    only({"low", "high"});
    return Uniform{required("low"), required("high")};
  }
  if (name == "normal") {
    only({"mean", "std"});
    return Normal{number("mean").value_or(0.0), required("std")};
  }
  if (name == "truncated_normal") {
    only({"mean", "std", "lower", "upper"});
    return TruncatedNormal{number("mean").value_or(0.0), required("std"), required("lower"),
                           required("upper")};
  }
  if (name == "constant") {
    only({"value"});
    return Constant{required("value")};
  }
  throw UsageError("--dist: '" + name + "' is not uniform, normal, truncated_normal or constant");
}

std::optional<v::ReferenceDistribution> reference_of(const Distribution& distribution) {
  if (const auto* uniform = std::get_if<Uniform>(&distribution)) {
    return v::ReferenceDistribution::uniform(uniform->low, uniform->high);
  }
  if (const auto* normal = std::get_if<Normal>(&distribution)) {
    if (normal->stddev == 0.0) return std::nullopt;  // a constant
    return v::ReferenceDistribution::normal(normal->mean, normal->stddev);
  }
  if (const auto* truncated = std::get_if<TruncatedNormal>(&distribution)) {
    return v::ReferenceDistribution::truncated_normal(truncated->mean, truncated->stddev, truncated->lower,
                                                      truncated->upper);
  }
  return std::nullopt;
}

// One step of the grid at |x| (the distance to the next grid value above).
double grid_step_at(double x, v::OutputGrid grid) {
  const double magnitude = std::fabs(x);
  if (grid == v::OutputGrid::continuous) return std::nextafter(magnitude, HUGE_VAL) - magnitude;
  const double rounded = v::round_to_grid(magnitude, grid);
  return v::next_above(rounded, grid) - rounded;
}

// Refuses a reference distribution the file's dtype cannot resolve: on
// float32 / float64 the battery treats values as continuous, which needs
// grid steps far below the standard deviation (at most 1/1024 of it across
// the distribution's reach); on bfloat16 / float16 the rounded law is
// modelled exactly, but one that puts nearly all its mass on one value (a
// standard deviation below a step at the mean) is a constant, not a
// distribution to test.
void require_resolvable(const v::ReferenceDistribution& reference, const std::string& source) {
  const v::OutputGrid grid = reference.grid();
  const double reach = std::fmax(std::fabs(std::fmax(reference.lower(), reference.mean() - 6.0 * reference.sd())),
                                 std::fabs(std::fmin(reference.upper(), reference.mean() + 6.0 * reference.sd())));
  const double step = grid_step_at(reach, grid);
  const std::string where = source + ": " + reference.describe() + ": ";
  const std::string grid_text = grid == v::OutputGrid::continuous ? "float64" : std::string(v::grid_name(grid));
  if (!v::is_coarse(grid) && !(step <= reference.sd() / 1024.0)) {
    throw UsageError(where + "one " + grid_text + " step near " + format_double(reach) +
                     " is " + format_double(step) + ", more than 1/1024 of the standard deviation " +
                     format_double(reference.sd()) +
                     ", so its values are not continuous there; give a larger --std (or a wider range), "
                     "or test the values with --dist constant");
  }
  if (v::is_coarse(grid) && reference.output_mass(v::round_to_grid(reference.mean(), grid)) > 0.999) {
    throw UsageError(where + "more than 99.9% of the values round to the single " + std::string(v::grid_name(grid)) +
                     " value " + format_double(v::round_to_grid(reference.mean(), grid)) +
                     "; the standard deviation is below one step there: test the values with --dist constant");
  }
}

// Everything `nninit validate` reports, for the table and for --json.
struct ValidateReport {
  const NpyFile& file;
  std::size_t values_tested;
  std::string expected;   // the distribution, e.g. "normal(mean=0, stddev=0.02)"
  std::string source;     // where it came from: "--dist normal" or "torch.kaiming_uniform for shape (...)"
  std::string reference;  // the reference distribution on the file's grid (empty for a constant)
  std::string law;        // the law at the bounds
  double alpha;
  bool statistical;       // false: the exact equality test of a constant
  const std::vector<v::TestResult>& results;
  std::size_t failed;
  std::size_t suspicious;
};

void print_text(const ValidateReport& report) {
  const NpyFile& file = report.file;
  std::printf("nninit validate %s\n", file.path.c_str());
  std::printf(
      "  values     %zu%s of shape %s, %s\n", report.values_tested,
      report.values_tested < file.count ? (" (first, of " + std::to_string(file.count) + ")").c_str() : "",
      format_shape(file.shape).c_str(), std::string(dtype_name(file.dtype)).c_str());
  std::printf("  expected   %s (%s)\n", report.expected.c_str(), report.source.c_str());
  if (!report.statistical) {
    const v::TestResult& equality = report.results.front();
    std::printf("  test       %s\n", equality.detail.c_str());
    std::printf("verdict: %s\n", report.failed == 0 ? "PASS" : "FAIL");
    return;
  }
  std::printf("  reference  %s\n", report.reference.c_str());
  std::printf("  law        %s\n\n", report.law.c_str());
  std::printf("  %-40s %11s %11s %10s %10s  %s\n", "test", "measured", "target", "p-value", "adjusted",
              "verdict");
  for (const v::TestResult& result : report.results) {
    std::printf("  %-40s %11s %11s %10s %10s  %s\n", result.name.c_str(), cell(result.measured).c_str(),
                cell(result.target).c_str(), cell(result.p_value).c_str(),
                cell(result.adjusted_p_value).c_str(), std::string(v::verdict_name(result.verdict)).c_str());
  }
  for (const v::TestResult& result : report.results) {
    if (result.verdict == v::Verdict::fail || result.verdict == v::Verdict::suspicious) {
      std::printf("  %s %s: %s\n", std::string(v::verdict_name(result.verdict)).c_str(), result.name.c_str(),
                  result.detail.c_str());
    }
  }
  std::printf(
      "verdict: %s (%zu tests, %zu failed, %zu suspicious; Holm-Bonferroni at family-wise alpha %s)\n",
      report.failed == 0 ? "PASS" : "FAIL", report.results.size(), report.failed, report.suspicious,
      format_double(report.alpha).c_str());
}

// One JSON object on one line; numbers that are not finite (a p-value not
// computed, an interval that does not apply) are null.
void print_json(const ValidateReport& report) {
  const NpyFile& file = report.file;
  std::string out = "{\"file\": " + json_string(file.path) +
                    ", \"dtype\": " + json_string(std::string(dtype_name(file.dtype))) +
                    ", \"shape\": " + json_shape(file.shape) + ", \"count\": " + std::to_string(file.count) +
                    ", \"values_tested\": " + std::to_string(report.values_tested) +
                    ", \"producer\": " + json_producer(file.provenance) +
                    ", \"expected\": " + json_string(report.expected) + ", \"source\": " + json_string(report.source) +
                    ", \"reference\": " + (report.statistical ? json_string(report.reference) : "null") +
                    ", \"law\": " + (report.statistical ? json_string(report.law) : "null") +
                    ", \"alpha\": " + json_number(report.alpha) + ", \"tests\": [";
  for (std::size_t i = 0; i < report.results.size(); ++i) {
    const v::TestResult& r = report.results[i];
    out += std::string(i ? ", " : "") + "{\"name\": " + json_string(r.name) +
           ", \"statistic\": " + json_number(r.statistic) + ", \"p_value\": " + json_number(r.p_value) +
           ", \"adjusted_p_value\": " + json_number(r.adjusted_p_value) +
           ", \"sample_size\": " + std::to_string(r.sample_size) + ", \"measured\": " + json_number(r.measured) +
           ", \"ci_low\": " + json_number(r.ci_low) + ", \"ci_high\": " + json_number(r.ci_high) +
           ", \"target\": " + json_number(r.target) +
           ", \"verdict\": " + json_string(std::string(v::verdict_name(r.verdict))) +
           ", \"detail\": " + json_string(r.detail) + "}";
  }
  out += "], \"failed\": " + std::to_string(report.failed) + ", \"suspicious\": " + std::to_string(report.suspicious) +
         ", \"verdict\": " + json_string(report.failed == 0 ? "PASS" : "FAIL") + "}\n";
  std::fputs(out.c_str(), stdout);
}

}  // namespace

int validate_command(int argc, char** argv, int first) {
  const std::vector<OptionSpec> specs = {
      {"dist"}, {"mean"},  {"std"},        {"low"},
      {"high"}, {"lower"}, {"upper"},      {"value"},
      {"init"}, {"shape"}, {"layout"},     {"param", ValueKind::multiple},
      {"grid"}, {"bounds"}, {"alpha"}, {"max-values"}, {"json", ValueKind::none}, {"no-progress", ValueKind::none},
      {"help", ValueKind::none, "h"},
  };
  const ParsedArguments arguments = parse_arguments(argc, argv, first, specs);
  if (arguments.has("help")) {
    std::fputs(validate_help, stdout);
    return 0;
  }
  if (arguments.positionals.size() != 1) {
    throw UsageError(arguments.positionals.empty()
                         ? "give one FILE.npy"
                         : "give one FILE.npy, not " + std::to_string(arguments.positionals.size()));
  }
  if (arguments.has("dist") == arguments.has("init")) {
    throw UsageError("give the reference distribution with either --dist NAME or --init NAME");
  }
  if (arguments.has("dist")) {
    for (const char* flag : {"shape", "layout", "param"}) {
      if (arguments.has(flag)) throw UsageError(std::string("--") + flag + " goes with --init, not --dist");
    }
  } else {
    for (const char* flag : {"mean", "std", "low", "high", "lower", "upper", "value"}) {
      if (arguments.has(flag)) {
        throw UsageError(std::string("--") + flag + " goes with --dist; with --init use --param " + flag +
                         "=VALUE");
      }
    }
  }
  const std::uint64_t max_values =
      arguments.has("max-values") ? parse_uint64(*arguments.value("max-values"), "--max-values") : 0;
  v::BatteryOptions options;
  if (const auto alpha = arguments.value("alpha")) options.family.alpha = parse_double(*alpha, "--alpha");
  if (!(options.family.alpha > 0.0 && options.family.alpha < 1.0)) {
    throw UsageError("--alpha: " + format_double(options.family.alpha) + " is not in (0, 1)");
  }

  // Parse everything that does not need the file first, so argument mistakes
  // are reported before a large file is read.
  std::optional<Distribution> given;
  if (arguments.has("dist")) {
    given = distribution_from_flags(arguments);
    try {
      fill(nullptr, DType::f64, 0, *given, Stream{}, {});  // the library's checks of the parameters
      (void)reference_of(*given);                          // and the battery's
    } catch (const std::invalid_argument& error) {
      throw UsageError("--dist " + *arguments.value("dist") + ": " + error.what());
    }
  }
  InitializerRequest request;
  if (arguments.has("init")) {
    request.name = *arguments.value("init");
    if (const auto layout = arguments.value("layout")) request.layout = parse_layout(*layout, "--layout");
    for (const std::string& pair : arguments.values("param"))
      request.parameters.push_back(parse_key_value(pair, "--param"));
    if (const auto shape = arguments.value("shape")) request.shape = parse_shape(*shape, "--shape");
  }
  const std::string grid_text = arguments.value("grid").value_or("auto");
  const bool grid_given = grid_text != "auto";
  const v::OutputGrid grid_choice = grid_given ? parse_grid(grid_text) : v::OutputGrid::continuous;

  const std::string bounds_text = arguments.value("bounds").value_or("auto");
  if (bounds_text != "auto" && bounds_text != "inside" && bounds_text != "nearest") {
    throw UsageError("--bounds: '" + bounds_text + "' is not auto, inside or nearest");
  }

  // The values in their own dtype (a 1 GiB float32 file takes 1 GiB, not 2 as
  // doubles); the battery runs on that memory and reorders it.
  TerminalProgress progress("nninit validate " + arguments.positionals.front(), !arguments.has("no-progress"));
  options.progress = [&progress](double fraction) { progress.update("testing", fraction); };
  NpyRawValues raw = read_npy_raw(arguments.positionals.front(), max_values,
                                  [&progress](std::uint64_t done, std::uint64_t wanted) {
                                    progress.update("reading", static_cast<double>(done) / static_cast<double>(wanted));
                                  });
  const NpyFile& file = raw.file;
  const std::size_t value_count = raw.size();
  // nninit's own fills clamp into the bounds; everyone else rounds to nearest.
  const bool nninit_law = bounds_text == "inside" ||
                          (bounds_text == "auto" && file.provenance.written_by_nninit &&
                           file.provenance.clamp == "inside");
  const v::BoundRounding bound_rounding = nninit_law ? v::BoundRounding::clamp_inside : v::BoundRounding::nearest;
  std::string law_text;
  if (bounds_text != "auto") {
    law_text = "--bounds " + bounds_text;
  } else if (file.provenance.written_by_nninit) {
    law_text = "written by nninit (stream version " + std::to_string(file.provenance.stream_version) +
               "): values clamped inside the bounds";
  } else {
    law_text = "not written by nninit: a real draw rounded to nearest in its dtype";
  }
  std::string source;
  Distribution distribution;
  if (given) {
    distribution = *given;
    source = "--dist " + *arguments.value("dist");
  } else {
    if (!arguments.has("shape")) request.shape = file.shape;
    const ResolvedInitializer initializer = resolve_initializer(request);
    distribution = initializer.distribution;
    source = initializer.name + " for shape " + format_shape(request.shape);
  }

  // Run the battery before printing anything, so an error (too few values,
  // values off the grid) is reported alone.
  const std::optional<v::ReferenceDistribution> continuous = reference_of(distribution);
  std::vector<v::TestResult> results;
  std::string reference_text;
  if (continuous) {
    // The library's own checks for this dtype: a reach (mean +- 6.7 sd) or
    // bounds beyond its finite range cannot describe a tensor of it.
    try {
      fill(nullptr, file.dtype, 0, distribution, Stream{}, {});
    } catch (const std::invalid_argument& error) {
      throw UsageError(source + " for a " + std::string(dtype_name(file.dtype)) + " tensor: " + error.what());
    }
    const v::OutputGrid grid = grid_given ? grid_choice : grid_of(file.dtype);
    const v::ReferenceDistribution reference = continuous->on_grid(grid, bound_rounding);
    require_resolvable(reference, source);
    reference_text = reference.describe();
    switch (file.dtype) {
      case DType::f32:
        results = v::run_battery_in_place(std::span<float>(raw.f32), reference, options);
        break;
      case DType::f64:
        results = v::run_battery_in_place(std::span<double>(raw.f64), reference, options);
        break;
      case DType::bf16:
        results = v::run_battery_in_place(std::span<std::uint16_t>(raw.bits), v::HalfFormat::bfloat16, reference,
                                          options);
        break;
      case DType::f16:
        results = v::run_battery_in_place(std::span<std::uint16_t>(raw.bits), v::HalfFormat::float16, reference,
                                          options);
        break;
    }
  }

  progress.finish();
  const bool json = arguments.has("json");
  if (!continuous) {
    // Constant (or a normal of zero width): every value must equal it exactly.
    const double expected = stored_constant(std::holds_alternative<Constant>(distribution)
                                                ? std::get<Constant>(distribution).value
                                                : std::get<Normal>(distribution).mean,
                                            file.dtype);
    std::size_t different = 0;
    for (std::size_t i = 0; i < value_count; ++i) different += raw.value(i) == expected ? 0u : 1u;
    v::TestResult equality;
    equality.name = "every_value_equals";
    equality.statistic = static_cast<double>(different);
    equality.sample_size = value_count;
    equality.measured = static_cast<double>(different);
    equality.target = 0.0;
    equality.verdict = different == 0 ? v::Verdict::pass : v::Verdict::fail;
    equality.detail = "every value equals " + format_double(expected) + ": " + std::to_string(different) + " of " +
                      std::to_string(value_count) + " differ";
    results.push_back(equality);
  }
  std::size_t failed = 0, suspicious = 0;
  for (const v::TestResult& result : results) {
    if (result.verdict == v::Verdict::fail) ++failed;
    if (result.verdict == v::Verdict::suspicious) ++suspicious;
  }
  const ValidateReport report{file,        value_count, describe(distribution), source, reference_text,
                              law_text,    options.family.alpha, continuous.has_value(), results,
                              failed,      suspicious};
  if (json) {
    print_json(report);
  } else {
    print_text(report);
  }
  return failed == 0 ? 0 : 1;
}

#endif

}  // namespace nninit::cli
