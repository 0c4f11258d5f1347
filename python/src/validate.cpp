// validate.cpp — the validation battery on an array or tensor in memory.
#include "validate.hpp"

#include <cmath>
#include <cstring>
#include <span>
#include <vector>

#include <pybind11/stl.h>

#include "arguments.hpp"
#include "nninit/fill.hpp"

#if NNINIT_PYTHON_WITH_VALIDATION
#include "nninit/validation/battery.hpp"
#include "nninit/validation/half_precision.hpp"
#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"
#endif

namespace nninit::python {

#if !NNINIT_PYTHON_WITH_VALIDATION

bool validation_available() noexcept { return false; }

py::dict validate_target(const FillTarget&, const Distribution&, const ValidateOptions&) {
  throw py::value_error("this nninit module was built without the validation library (NNINIT_BUILD_VALIDATION=ON)");
}

#else

namespace v = nninit::validation;

namespace {

v::OutputGrid grid_of(DType dtype) {
  switch (dtype) {
    case DType::f32: return v::OutputGrid::float32;
    case DType::f64: return v::OutputGrid::continuous;
    case DType::bf16: return v::OutputGrid::bfloat16;
    case DType::f16: return v::OutputGrid::float16;
  }
  return v::OutputGrid::continuous;
}

v::OutputGrid parse_grid(const std::string& text) {
  if (text == "continuous" || text == "float64") return v::OutputGrid::continuous;
  if (text == "float32") return v::OutputGrid::float32;
  if (text == "bfloat16") return v::OutputGrid::bfloat16;
  if (text == "float16") return v::OutputGrid::float16;
  throw py::value_error("grid: '" + text + "' is not None, 'continuous', 'float32', 'bfloat16' or 'float16'");
}

std::optional<v::ReferenceDistribution> reference_of(const Distribution& distribution) {
  if (const auto* uniform = std::get_if<Uniform>(&distribution)) {
    return v::ReferenceDistribution::uniform(uniform->low, uniform->high);
  }
  if (const auto* normal = std::get_if<Normal>(&distribution)) {
    if (normal->stddev == 0.0) return std::nullopt;
    return v::ReferenceDistribution::normal(normal->mean, normal->stddev);
  }
  if (const auto* truncated = std::get_if<TruncatedNormal>(&distribution)) {
    return v::ReferenceDistribution::truncated_normal(truncated->mean, truncated->stddev, truncated->lower,
                                                      truncated->upper);
  }
  return std::nullopt;
}

double grid_step_at(double x, v::OutputGrid grid) {
  const double magnitude = std::fabs(x);
  if (grid == v::OutputGrid::continuous) return std::nextafter(magnitude, HUGE_VAL) - magnitude;
  const double rounded = v::round_to_grid(magnitude, grid);
  return v::next_above(rounded, grid) - rounded;
}

// As `nninit validate`: float32 / float64 values are treated as continuous,
// which needs grid steps far below the standard deviation; on a 16-bit grid
// a law with nearly all its mass on one value is a constant.
void require_resolvable(const v::ReferenceDistribution& reference) {
  const v::OutputGrid grid = reference.grid();
  const double reach = std::fmax(std::fabs(std::fmax(reference.lower(), reference.mean() - 6.0 * reference.sd())),
                                 std::fabs(std::fmin(reference.upper(), reference.mean() + 6.0 * reference.sd())));
  const double step = grid_step_at(reach, grid);
  if (!v::is_coarse(grid) && !(step <= reference.sd() / 1024.0)) {
    throw py::value_error(reference.describe() + ": one grid step near " + cli::format_double(reach) + " is " +
                          cli::format_double(step) + ", more than 1/1024 of the standard deviation " +
                          cli::format_double(reference.sd()) + "; the values are not continuous there");
  }
  if (v::is_coarse(grid) && reference.output_mass(v::round_to_grid(reference.mean(), grid)) > 0.999) {
    throw py::value_error(reference.describe() + ": more than 99.9% of the values round to one " +
                          std::string(v::grid_name(grid)) + " value; validate it as a constant");
  }
}

double stored_constant(double value, DType dtype) {
  switch (dtype) {
    case DType::f32: return static_cast<double>(static_cast<float>(value));
    case DType::f64: return value;
    case DType::bf16: return static_cast<double>(to_float(to_bfloat16(static_cast<float>(value))));
    case DType::f16: return static_cast<double>(to_float(to_float16(static_cast<float>(value))));
  }
  return value;
}

double value_at(const FillTarget& target, std::size_t i) {
  switch (target.dtype) {
    case DType::f32: return static_cast<double>(static_cast<const float*>(target.data)[i]);
    case DType::f64: return static_cast<const double*>(target.data)[i];
    case DType::bf16: return static_cast<double>(to_float(static_cast<const bfloat16*>(target.data)[i]));
    case DType::f16: return static_cast<double>(to_float(static_cast<const float16*>(target.data)[i]));
  }
  return 0.0;
}

template <typename T>
std::vector<T> copy_of(const FillTarget& target, std::size_t count) {
  std::vector<T> values(count);
  if (count != 0) std::memcpy(values.data(), target.data, count * sizeof(T));
  return values;
}

py::object number(double value) { return std::isnan(value) ? py::object(py::none()) : py::object(py::float_(value)); }

py::dict result_dict(const v::TestResult& result) {
  py::dict out;
  out["name"] = result.name;
  out["statistic"] = number(result.statistic);
  out["p_value"] = number(result.p_value);
  out["adjusted_p_value"] = number(result.adjusted_p_value);
  out["sample_size"] = result.sample_size;
  out["measured"] = number(result.measured);
  out["ci_low"] = number(result.ci_low);
  out["ci_high"] = number(result.ci_high);
  out["target"] = number(result.target);
  out["verdict"] = std::string(v::verdict_name(result.verdict));
  out["detail"] = result.detail;
  return out;
}

}  // namespace

bool validation_available() noexcept { return true; }

py::dict validate_target(const FillTarget& target, const Distribution& distribution, const ValidateOptions& options) {
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    throw py::value_error("alpha (" + cli::format_double(options.alpha) + ") must be in (0, 1)");
  }
  if (options.bounds != "nearest" && options.bounds != "inside") {
    throw py::value_error("bounds: '" + options.bounds + "' is not 'nearest' (any framework's draws) or "
                          "'inside' (nninit's fills)");
  }
  const std::size_t count = options.max_values != 0 && options.max_values < target.count
                                ? static_cast<std::size_t>(options.max_values)
                                : target.count;
  v::BatteryOptions battery;
  battery.family.alpha = options.alpha;
  std::optional<v::ReferenceDistribution> continuous;
  try {
    fill(nullptr, DType::f64, 0, distribution, Stream{}, {});  // the library's checks of the parameters
    continuous = reference_of(distribution);
    if (continuous) fill(nullptr, target.dtype, 0, distribution, Stream{}, {});  // and for this dtype
  } catch (const std::invalid_argument& error) {
    throw py::value_error(options.source + " for a " + std::string(python_dtype_name(target.dtype)) +
                          " tensor: " + error.what());
  }
  std::vector<v::TestResult> results;
  std::string reference_text;
  std::string law = options.bounds == "inside" ? "values clamped inside the bounds (nninit's fills)"
                                               : "a real draw rounded to nearest in its dtype";
  if (continuous) {
    const v::OutputGrid grid = options.grid ? parse_grid(*options.grid) : grid_of(target.dtype);
    const v::ReferenceDistribution reference = continuous->on_grid(
        grid, options.bounds == "inside" ? v::BoundRounding::clamp_inside : v::BoundRounding::nearest);
    require_resolvable(reference);
    reference_text = reference.describe();
    try {
      switch (target.dtype) {
        case DType::f32: {
          std::vector<float> values = copy_of<float>(target, count);
          py::gil_scoped_release unlocked;
          results = v::run_battery_in_place(std::span<float>(values), reference, battery);
          break;
        }
        case DType::f64: {
          std::vector<double> values = copy_of<double>(target, count);
          py::gil_scoped_release unlocked;
          results = v::run_battery_in_place(std::span<double>(values), reference, battery);
          break;
        }
        case DType::bf16:
        case DType::f16: {
          std::vector<std::uint16_t> bits = copy_of<std::uint16_t>(target, count);
          const v::HalfFormat format = target.dtype == DType::bf16 ? v::HalfFormat::bfloat16 : v::HalfFormat::float16;
          py::gil_scoped_release unlocked;
          results = v::run_battery_in_place(std::span<std::uint16_t>(bits), format, reference, battery);
          break;
        }
      }
    } catch (const std::invalid_argument& error) {
      throw py::value_error(std::string("x: ") + error.what());
    }
  } else {
    const double expected = stored_constant(std::holds_alternative<Constant>(distribution)
                                                ? std::get<Constant>(distribution).value
                                                : std::get<Normal>(distribution).mean,
                                            target.dtype);
    std::size_t different = 0;
    for (std::size_t i = 0; i < count; ++i) different += value_at(target, i) == expected ? 0u : 1u;
    v::TestResult equality;
    equality.name = "every_value_equals";
    equality.statistic = static_cast<double>(different);
    equality.sample_size = count;
    equality.measured = static_cast<double>(different);
    equality.target = 0.0;
    equality.verdict = different == 0 ? v::Verdict::pass : v::Verdict::fail;
    equality.detail = "every value equals " + cli::format_double(expected) + ": " + std::to_string(different) +
                      " of " + std::to_string(count) + " differ";
    results.push_back(equality);
  }
  std::size_t failed = 0;
  std::size_t suspicious = 0;
  py::list tests;
  for (const v::TestResult& result : results) {
    failed += result.verdict == v::Verdict::fail ? 1u : 0u;
    suspicious += result.verdict == v::Verdict::suspicious ? 1u : 0u;
    tests.append(result_dict(result));
  }
  py::dict out;
  out["passed"] = failed == 0;
  out["failed"] = failed;
  out["suspicious"] = suspicious;
  out["values_tested"] = count;
  out["count"] = target.count;
  out["dtype"] = std::string(python_dtype_name(target.dtype));
  out["shape"] = py::tuple(py::cast(target.shape));
  out["expected"] = describe(distribution);
  out["source"] = options.source;
  out["reference"] = continuous ? py::object(py::str(reference_text)) : py::object(py::none());
  out["law"] = continuous ? py::object(py::str(law)) : py::object(py::none());
  out["alpha"] = options.alpha;
  out["statistical"] = continuous.has_value();
  out["tests"] = tests;
  return out;
}

#endif

}  // namespace nninit::python
