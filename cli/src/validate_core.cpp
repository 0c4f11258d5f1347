// One tensor's values against one law: the battery, the exact test of a
// constant, or the structured initializers' checks.
#include "validate_core.hpp"

#include <cmath>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <variant>

#include "arguments.hpp"
#include "json_text.hpp"
#include "nninit/fill.hpp"
#include "nninit/validation/half_precision.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "validate_structured.hpp"

namespace nninit::cli {
namespace {

namespace v = nninit::validation;


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

// Refuses a reference distribution the dtype cannot resolve: on float32 /
// float64 the battery treats values as continuous, which needs grid steps
// far below the standard deviation (at most 1/1024 of it across the
// distribution's reach); on bfloat16 / float16 the rounded law is modelled
// exactly, but one that puts nearly all its mass on one value (a standard
// deviation below a step at the mean) is a constant, not a distribution to test.
void require_resolvable(const v::ReferenceDistribution& reference, const std::string& source) {
  const v::OutputGrid grid = reference.grid();
  const double reach = std::fmax(std::fabs(std::fmax(reference.lower(), reference.mean() - 6.0 * reference.sd())),
                                 std::fabs(std::fmin(reference.upper(), reference.mean() + 6.0 * reference.sd())));
  const double step = grid_step_at(reach, grid);
  const std::string where = source + ": " + reference.describe() + ": ";
  const std::string grid_text = grid == v::OutputGrid::continuous ? "float64" : std::string(v::grid_name(grid));
  if (!v::is_coarse(grid) && !(step <= reference.sd() / 1024.0)) {
    throw UsageError(where + "one " + grid_text + " step near " + format_double(reach) + " is " +
                     format_double(step) + ", more than 1/1024 of the standard deviation " +
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

v::OutputGrid grid_for(DType dtype, const CoreOptions& options) {
  return options.grid ? *options.grid : grid_of(dtype);
}

// The element-wise law's reference on the grid (none for a constant), checked.
std::optional<v::ReferenceDistribution> checked_reference(const Distribution& distribution, const std::string& source,
                                                          DType dtype, v::OutputGrid grid,
                                                          v::BoundRounding rounding) {
  std::optional<v::ReferenceDistribution> continuous;
  try {
    continuous = reference_of(distribution);
  } catch (const std::invalid_argument& error) {
    throw UsageError(source + ": " + error.what());
  }
  if (!continuous) return std::nullopt;
  // The library's own checks for this dtype: a reach (mean +- 6.7 sd) or
  // bounds beyond its finite range cannot describe a tensor of it.
  try {
    fill(nullptr, dtype, 0, distribution, Stream{}, {});
  } catch (const std::invalid_argument& error) {
    throw UsageError(source + " for a " + std::string(dtype_name(dtype)) + " tensor: " + error.what());
  }
  const v::ReferenceDistribution reference = continuous->on_grid(grid, rounding);
  require_resolvable(reference, source);
  return reference;
}

void count_verdicts(TensorReport& report) {
  report.failed = report.suspicious = 0;
  for (const v::TestResult& result : report.results) {
    if (result.verdict == v::Verdict::fail) ++report.failed;
    if (result.verdict == v::Verdict::suspicious) ++report.suspicious;
  }
}

TensorReport validate_structured_values(const NpyRawValues& raw, const TensorLaw& law, const CoreOptions& options) {
  const NpyFile& file = raw.file;
  StructuredCheckOptions structured;
  structured.dtype = file.dtype;
  structured.grid = grid_for(file.dtype, options);
  // Not nninit's file: the matrix came from another framework's QR, in the
  // file's precision (float32 for the 16-bit types, which no CPU QR takes).
  structured.foreign_qr_unit_roundoff =
      file.provenance.written_by_nninit ? 0.0 : (file.dtype == DType::f64 ? 0x1p-53 : 0x1p-24);
  structured.battery = options.battery;
  std::vector<double> values(raw.size());
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = raw.value(i);
  StructuredReport checked = validate_structured(values, law.shape, *law.structured, structured);
  TensorReport report;
  report.expected = checked.expected;
  report.source = law.source;
  report.reference = checked.reference;
  report.law = checked.allowance.empty()
                   ? std::string("exact structure")
                   : "orthogonality allowance " + checked.allowance;
  report.results = std::move(checked.results);
  count_verdicts(report);
  return report;
}

}  // namespace

// The constant `value` as the dtype stores it.
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

void check_law(const TensorLaw& law, DType dtype, const CoreOptions& options) {
  const v::OutputGrid grid = grid_for(dtype, options);
  if (law.structured) {
    check_structured_shape(*law.structured, law.shape, law.source);
    if (const auto* sparse = std::get_if<Sparse>(&*law.structured); sparse && sparse->std > 0.0) {
      (void)checked_reference(Normal{0.0, sparse->std}, law.source, dtype, grid, v::BoundRounding::nearest);
    }
    return;
  }
  (void)checked_reference(law.distribution, law.source, dtype, grid, v::BoundRounding::nearest);
}

TensorReference reference_for(const TensorLaw& law, DType dtype, const NpyProvenance& provenance,
                              const CoreOptions& options) {
  // nninit's own fills clamp into the bounds; everyone else rounds to nearest.
  const bool nninit_law = options.bounds == "inside" ||
                          (options.bounds == "auto" && provenance.written_by_nninit && provenance.clamp == "inside");
  TensorReference chosen;
  chosen.expected = describe(law.distribution);
  if (options.bounds != "auto") {
    chosen.law = "--bounds " + options.bounds;
  } else if (provenance.written_by_nninit) {
    chosen.law = "written by nninit (stream version " + std::to_string(provenance.stream_version) +
                 "): values clamped inside the bounds";
  } else {
    chosen.law = "not written by nninit: a real draw rounded to nearest in its dtype";
  }
  chosen.reference = checked_reference(law.distribution, law.source, dtype, grid_for(dtype, options),
                                       nninit_law ? v::BoundRounding::clamp_inside : v::BoundRounding::nearest);
  return chosen;
}

TensorReport validate_values(NpyRawValues& raw, const TensorLaw& law, const CoreOptions& options) {
  if (law.structured) return validate_structured_values(raw, law, options);
  const NpyFile& file = raw.file;
  TensorReference chosen = reference_for(law, file.dtype, file.provenance, options);
  TensorReport report;
  report.source = law.source;
  report.expected = std::move(chosen.expected);
  report.law = std::move(chosen.law);
  const std::optional<v::ReferenceDistribution>& reference = chosen.reference;
  const std::size_t value_count = raw.size();
  if (reference) {
    report.reference = reference->describe();
    switch (file.dtype) {
      case DType::f32:
        report.results = v::run_battery_in_place(std::span<float>(raw.f32), *reference, options.battery);
        break;
      case DType::f64:
        report.results = v::run_battery_in_place(std::span<double>(raw.f64), *reference, options.battery);
        break;
      case DType::bf16:
        report.results = v::run_battery_in_place(std::span<std::uint16_t>(raw.bits), v::HalfFormat::bfloat16,
                                                 *reference, options.battery);
        break;
      case DType::f16:
        report.results = v::run_battery_in_place(std::span<std::uint16_t>(raw.bits), v::HalfFormat::float16,
                                                 *reference, options.battery);
        break;
    }
  } else {
    // Constant (or a normal of zero width): every value must equal it exactly.
    report.statistical = false;
    const double expected = stored_constant(std::holds_alternative<Constant>(law.distribution)
                                                ? std::get<Constant>(law.distribution).value
                                                : std::get<Normal>(law.distribution).mean,
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
    report.results.push_back(equality);
  }
  count_verdicts(report);
  return report;
}

bool needs_battery(const TensorLaw& law) {
  if (law.structured) return false;
  if (std::holds_alternative<Constant>(law.distribution)) return false;
  return !(std::holds_alternative<Normal>(law.distribution) && std::get<Normal>(law.distribution).stddev == 0.0);
}

std::string json_tests(const std::vector<v::TestResult>& results) {
  std::string out = "[";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const v::TestResult& r = results[i];
    out += std::string(i ? ", " : "") + "{\"name\": " + json_string(r.name) +
           ", \"statistic\": " + json_number(r.statistic) + ", \"p_value\": " + json_number(r.p_value) +
           ", \"adjusted_p_value\": " + json_number(r.adjusted_p_value) +
           ", \"sample_size\": " + std::to_string(r.sample_size) + ", \"measured\": " + json_number(r.measured) +
           ", \"ci_low\": " + json_number(r.ci_low) + ", \"ci_high\": " + json_number(r.ci_high) +
           ", \"target\": " + json_number(r.target) +
           ", \"verdict\": " + json_string(std::string(v::verdict_name(r.verdict))) +
           ", \"detail\": " + json_string(r.detail) + "}";
  }
  return out + "]";
}

std::string table_cell(double value) {
  if (std::isnan(value)) return "-";
  if (value == 0.0) value = 0.0;  // never print -0
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

}  // namespace nninit::cli
