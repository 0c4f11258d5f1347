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
#include "validate_checkpoint.hpp"
#include "validate_core.hpp"
#include "validate_structured.hpp"
#endif

namespace nninit::cli {
namespace {

constexpr const char* validate_help =
    R"(usage: nninit validate FILE.npy --dist NAME [--mean M] [--std S] [--low A] [--high B]
                                        [--lower L] [--upper U] [--value V]
       nninit validate FILE.npy --init NAME [--shape D0,D1,...] [--layout torch|keras]
                                        [--param KEY=VALUE ...]
       nninit validate CHECKPOINT.safetensors|CHECKPOINT.npz --spec SPEC.json [--junit FILE.xml]
                                        [--rank R --world-size W]
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
  --init NAME               any name of 'nninit inits', the structured ones
                            too (checked on the whole tensor, see below)
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

a checkpoint against a model spec (the JSON of 'nninit init'):
  --spec SPEC.json          every tensor of CHECKPOINT (.safetensors, .npz) is
                            checked against its spec entry: present, the
                            shape and dtype as given, its values by the
                            entry's initializer and params (fans from the
                            whole shape; structured ones as below; constant,
                            zeros and ones exactly); a tensor the spec lacks
                            fails too. One tensor is in memory at a time.
                            Exit 0 when all pass, 1 when one fails or is
                            missing. With --json one object with a report per
                            tensor; --alpha is the level of each tensor's family
  --junit FILE.xml          also write a JUnit XML report, one test case per
                            tensor (failures name the failed tests)
  --rank R --world-size W   CHECKPOINT holds rank R's shards, as written by
                            'nninit init --rank R --world-size W': each tensor
                            with a shard_dim must have its shard's shape (the
                            law is the whole tensor's). A .safetensors file
                            written so says it in its metadata, which is used
                            when these are not given (and must agree when
                            they are)

structured initializers (torch.orthogonal, keras.Orthogonal, jax.orthogonal,
torch.sparse, torch.eye, keras.Identity, torch.dirac, jax.delta_orthogonal):
  orthogonal     max |Q^T Q - gain^2 I| (Q Q^T for wide matrices) within the
                 dtype's rounding bound, plus an allowance for another
                 framework's float32 QR when nninit did not write the file;
                 the entries / gain against the Haar law (KS, AD, chi-squared)
                 and the diagonal's sum against N(0, k / m)
  sparse         exactly ceil(sparsity * rows) zeros in every column, the
                 zeros' rows uniform, the non-zeros through the battery
                 against N(0, std)
  eye, identity, dirac
                 the exact structure
  delta_orthogonal
                 the exact zeros and the centre block's orthogonality
  (no --max-values or --bounds with these; --shape must hold every value)

exit status: 0 PASS, 1 FAIL, 2 bad arguments or file (also with --json).

examples:
  nninit validate wte.npy --dist normal --std 0.02
  nninit validate fc1.npy --init torch.kaiming_uniform --param nonlinearity=relu
  nninit validate shard.npy --init keras.he_normal --layout keras --shape 3,3,64,128
  nninit validate rnn_hh.npy --init torch.orthogonal --param gain=1
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

// What `nninit validate FILE.npy` prints: the file's fields and the tensor's report.
void print_text(const NpyFile& file, std::size_t values_tested, const TensorReport& report, double alpha) {
  std::printf("nninit validate %s\n", file.path.c_str());
  std::printf(
      "  values     %zu%s of shape %s, %s\n", values_tested,
      values_tested < file.count ? (" (first, of " + std::to_string(file.count) + ")").c_str() : "",
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
    std::printf("  %-40s %11s %11s %10s %10s  %s\n", result.name.c_str(), table_cell(result.measured).c_str(),
                table_cell(result.target).c_str(), table_cell(result.p_value).c_str(),
                table_cell(result.adjusted_p_value).c_str(), std::string(v::verdict_name(result.verdict)).c_str());
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
      format_double(alpha).c_str());
}

// One JSON object on one line; numbers that are not finite (a p-value not
// computed, an interval that does not apply) are null.
void print_json(const NpyFile& file, std::size_t values_tested, const TensorReport& report, double alpha) {
  std::string out = "{\"file\": " + json_string(file.path) +
                    ", \"dtype\": " + json_string(std::string(dtype_name(file.dtype))) +
                    ", \"shape\": " + json_shape(file.shape) + ", \"count\": " + std::to_string(file.count) +
                    ", \"values_tested\": " + std::to_string(values_tested) +
                    ", \"producer\": " + json_producer(file.provenance) +
                    ", \"expected\": " + json_string(report.expected) + ", \"source\": " + json_string(report.source) +
                    ", \"reference\": " + (report.statistical ? json_string(report.reference) : "null") +
                    ", \"law\": " + (report.statistical ? json_string(report.law) : "null") +
                    ", \"alpha\": " + json_number(alpha) + ", \"tests\": " + json_tests(report.results);
  out += ", \"failed\": " + std::to_string(report.failed) + ", \"suspicious\": " + std::to_string(report.suspicious) +
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
      {"spec"}, {"junit"}, {"rank"}, {"world-size"},
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
  if (arguments.has("spec")) return validate_checkpoint_command(arguments);
  if (arguments.has("junit")) throw UsageError("--junit goes with --spec SPEC.json (the report of a checkpoint)");
  for (const char* flag : {"rank", "world-size"}) {
    if (arguments.has(flag)) {
      throw UsageError(std::string("--") + flag + " goes with --spec SPEC.json (the shards of one rank's checkpoint)");
    }
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
  CoreOptions options;
  if (const auto alpha = arguments.value("alpha")) options.battery.family.alpha = parse_double(*alpha, "--alpha");
  if (!(options.battery.family.alpha > 0.0 && options.battery.family.alpha < 1.0)) {
    throw UsageError("--alpha: " + format_double(options.battery.family.alpha) + " is not in (0, 1)");
  }

  // Parse everything that does not need the file first, so argument mistakes
  // are reported before a large file is read.
  TensorLaw law;
  if (arguments.has("dist")) {
    law.distribution = distribution_from_flags(arguments);
    law.source = "--dist " + *arguments.value("dist");
    try {
      fill(nullptr, DType::f64, 0, law.distribution, Stream{}, {});  // the library's checks of the parameters
    } catch (const std::invalid_argument& error) {
      throw UsageError("--dist " + *arguments.value("dist") + ": " + error.what());
    }
  }
  InitializerRequest request;
  std::optional<ResolvedInitializer> initializer;
  if (arguments.has("init")) {
    request.name = *arguments.value("init");
    if (const auto layout = arguments.value("layout")) request.layout = parse_layout(*layout, "--layout");
    for (const std::string& pair : arguments.values("param"))
      request.parameters.push_back(parse_key_value(pair, "--param"));
    if (const auto shape = arguments.value("shape")) {
      request.shape = parse_shape(*shape, "--shape");
      // Resolve now (with the shape given), so a bad name or parameter is
      // reported before the file is read.
      initializer = resolve_initializer(request, InitializerKinds::element_wise_and_structured);
    }
  }
  // Whether the name is a structured initializer (the shape does not matter
  // for that; a placeholder is used when the file gives it): the flags that
  // do not apply to one are refused before the file is read. Errors of the
  // name and parameters are reported below, with the real shape.
  bool structured_name = initializer && initializer->is_structured();
  if (arguments.has("init") && !initializer) {
    InitializerRequest probe = request;
    probe.shape = {2, 2, 2};
    try {
      structured_name = resolve_initializer(probe, InitializerKinds::element_wise_and_structured).is_structured();
    } catch (const std::exception&) {
      structured_name = false;
    }
  }
  if (structured_name) {
    if (arguments.has("max-values")) {
      throw UsageError("--max-values: --init " + request.name +
                       " is structured; its checks need the whole tensor (leave --max-values out)");
    }
    if (arguments.has("bounds")) {
      throw UsageError("--bounds: --init " + request.name + " is structured and has no bounds to round at");
    }
    if (initializer) check_structured_shape(*initializer->structured, request.shape, "--shape " + format_shape(request.shape));
  }
  const std::string grid_text = arguments.value("grid").value_or("auto");
  if (grid_text != "auto") options.grid = parse_grid(grid_text);

  options.bounds = arguments.value("bounds").value_or("auto");
  if (options.bounds != "auto" && options.bounds != "inside" && options.bounds != "nearest") {
    throw UsageError("--bounds: '" + options.bounds + "' is not auto, inside or nearest");
  }

  // The values in their own dtype (a 1 GiB float32 file takes 1 GiB, not 2 as
  // doubles); the battery runs on that memory and reorders it.
  TerminalProgress progress("nninit validate " + arguments.positionals.front(), !arguments.has("no-progress"));
  options.battery.progress = [&progress](double fraction) { progress.update("testing", fraction); };
  NpyRawValues raw = read_npy_raw(arguments.positionals.front(), max_values,
                                  [&progress](std::uint64_t done, std::uint64_t wanted) {
                                    progress.update("reading", static_cast<double>(done) / static_cast<double>(wanted));
                                  });
  const NpyFile& file = raw.file;
  const std::size_t value_count = raw.size();
  if (arguments.has("init")) {
    if (!arguments.has("shape")) {
      request.shape = file.shape;
      initializer = resolve_initializer(request, InitializerKinds::element_wise_and_structured);
    }
    law.distribution = initializer->distribution;
    law.source = initializer->name + " for shape " + format_shape(request.shape);
    if (initializer->is_structured()) {
      law.structured = initializer->structured;
      law.shape = request.shape;
      const std::string what = arguments.has("shape") ? "--shape " + format_shape(request.shape)
                                                      : file.path + ": shape " + format_shape(request.shape);
      check_structured_shape(*law.structured, law.shape, what);
      std::uint64_t elements = 1;
      for (const std::int64_t d : law.shape) elements *= static_cast<std::uint64_t>(d);
      if (elements != file.count) {
        throw UsageError("--shape " + format_shape(request.shape) + ": " + std::to_string(elements) +
                         " elements, but " + file.path + " holds " + std::to_string(file.count) + " (shape " +
                         format_shape(file.shape) + "); --init " + initializer->name +
                         " is checked on the whole tensor");
      }
    }
  }
  check_law(law, file.dtype, options);

  // Run the checks before printing anything, so an error (too few values,
  // values off the grid) is reported alone.
  const TensorReport report = validate_values(raw, law, options);
  progress.finish();
  if (arguments.has("json")) {
    print_json(file, value_count, report, options.battery.family.alpha);
  } else {
    print_text(file, value_count, report, options.battery.family.alpha);
  }
  return report.failed == 0 ? 0 : 1;
}

#endif

}  // namespace nninit::cli
