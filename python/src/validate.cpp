// validate.cpp — nninit.validate through the CLI's per-tensor validation core.
#include "validate.hpp"

#include <cmath>
#include <cstring>

#include <pybind11/stl.h>

#if NNINIT_PYTHON_WITH_VALIDATION
#include "arguments.hpp"
#include "named_fill.hpp"
#include "npy_raw_values.hpp"
#include "python_values.hpp"
#include "validate_core.hpp"
#endif

namespace nninit::python {

#if !NNINIT_PYTHON_WITH_VALIDATION

bool validation_available() noexcept { return false; }

py::dict validate_target(const FillTarget&, const ValidateLaw&, const ValidateOptions&) {
  throw py::value_error("this nninit module was built without the validation library (NNINIT_BUILD_VALIDATION=ON)");
}

#else

namespace v = nninit::validation;

namespace {

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

cli::TensorLaw tensor_law(const ValidateLaw& law) {
  cli::TensorLaw out;
  out.shape = law.shape;
  if (law.init) {
    std::optional<Layout> layout;
    if (!law.layout.is_none()) {
      const std::string text = py::str(law.layout).cast<std::string>();
      if (text == "torch") {
        layout = Layout::torch;
      } else if (text == "keras" || text == "jax") {
        layout = Layout::keras;
      } else {
        throw py::value_error("layout: '" + text + "' is not None, 'torch' or 'keras'");
      }
    }
    const cli::ResolvedInitializer resolved = resolve_named(*law.init, law.shape, layout,
                                                            parameter_pairs(law.parameters),
                                                            cli::InitializerKinds::element_wise_and_structured);
    out.distribution = resolved.distribution;
    out.structured = resolved.structured;
    out.source = resolved.name + " for shape " + cli::format_shape(law.shape);
  } else {
    out.distribution = *law.distribution;
    out.source = describe(out.distribution);
  }
  return out;
}

}  // namespace

bool validation_available() noexcept { return true; }

py::dict validate_target(const FillTarget& target, const ValidateLaw& law, const ValidateOptions& options) {
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    throw py::value_error("alpha (" + cli::format_double(options.alpha) + ") must be in (0, 1)");
  }
  if (options.bounds != "auto" && options.bounds != "nearest" && options.bounds != "inside") {
    throw py::value_error("bounds: '" + options.bounds + "' is not 'auto' (from producer), 'nearest' (a real "
                          "draw rounded to its dtype) or 'inside' (nninit's fills)");
  }
  if (options.producer != "other" && options.producer != "nninit") {
    throw py::value_error("producer: '" + options.producer + "' is not 'other' or 'nninit'");
  }
  const cli::TensorLaw tensor = tensor_law(law);
  cli::CoreOptions core;
  core.battery.family.alpha = options.alpha;
  core.bounds = options.bounds;
  const std::size_t count = options.max_values != 0 && options.max_values < target.count
                                ? static_cast<std::size_t>(options.max_values)
                                : target.count;
  if (tensor.structured && count != target.count) {
    throw py::value_error("max_values: a structured initializer (" + tensor.source + ") is checked on the whole tensor");
  }
  cli::NpyRawValues raw;
  raw.file.path = "<array>";
  raw.file.dtype = target.dtype;
  raw.file.shape = target.shape;
  raw.file.count = target.count;
  if (options.producer == "nninit") raw.file.provenance = cli::nninit_provenance();
  cli::TensorReport report;
  try {
    if (options.grid) core.grid = cli::parse_grid(*options.grid);
    cli::check_law(tensor, target.dtype, core);
    switch (target.dtype) {
      case DType::f32: raw.f32 = copy_of<float>(target, count); break;
      case DType::f64: raw.f64 = copy_of<double>(target, count); break;
      case DType::bf16:
      case DType::f16: raw.bits = copy_of<std::uint16_t>(target, count); break;
    }
    py::gil_scoped_release unlocked;
    report = cli::validate_values(raw, tensor, core);
  } catch (const cli::UsageError& error) {
    throw py::value_error(python_wording(error.what()));
  } catch (const std::invalid_argument& error) {
    throw py::value_error(std::string("x: ") + python_wording(error.what()));
  }
  py::list tests;
  for (const v::TestResult& result : report.results) tests.append(result_dict(result));
  py::dict out;
  out["passed"] = report.failed == 0;
  out["failed"] = report.failed;
  out["suspicious"] = report.suspicious;
  out["values_tested"] = count;
  out["count"] = target.count;
  out["dtype"] = std::string(python_dtype_name(target.dtype));
  out["shape"] = py::tuple(py::cast(target.shape));
  out["expected"] = report.expected;
  out["source"] = report.source;
  out["reference"] = report.statistical ? py::object(py::str(report.reference)) : py::object(py::none());
  out["law"] = report.statistical ? py::object(py::str(report.law)) : py::object(py::none());
  out["alpha"] = options.alpha;
  out["statistical"] = report.statistical;
  out["structured"] = tensor.structured.has_value();
  out["tests"] = tests;
  return out;
}

#endif

}  // namespace nninit::python
