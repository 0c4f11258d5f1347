// module.cpp — the extension module nninit._nninit: the distributions as
// classes, and the fills, name resolution and validation the Python package
// (python/nninit/*.py) builds its API on.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fill_target.hpp"
#include "initializers_by_name.hpp"
#include "arguments.hpp"
#include "named_fill.hpp"
#include "nninit/distributions.hpp"
#include "nninit/fill.hpp"
#include "nninit/fans.hpp"
#include "nninit/gain.hpp"
#include "nninit/stream.hpp"
#include "nninit/version.hpp"
#include "python_values.hpp"
#include "validate.hpp"

namespace py = pybind11;
using namespace py::literals;

namespace nninit::python {
namespace {

Distribution distribution_argument(py::handle value) {
  if (py::isinstance<Uniform>(value)) return value.cast<Uniform>();
  if (py::isinstance<Normal>(value)) return value.cast<Normal>();
  if (py::isinstance<TruncatedNormal>(value)) return value.cast<TruncatedNormal>();
  if (py::isinstance<Constant>(value)) return value.cast<Constant>();
  throw py::type_error(std::string("distribution must be nninit.Uniform, Normal, TruncatedNormal or Constant, not ") +
                       Py_TYPE(value.ptr())->tp_name);
}

py::object distribution_object(const Distribution& distribution) {
  return std::visit([](const auto& d) { return py::cast(d); }, distribution);
}

// One dimension: an int or anything with __index__ (numpy integers), not a bool.
std::int64_t dimension_of(py::handle dimension) {
  if (PyBool_Check(dimension.ptr()) || !PyIndex_Check(dimension.ptr())) {
    throw py::type_error("shape must be a sequence of ints, not one holding a " +
                         std::string(Py_TYPE(dimension.ptr())->tp_name));
  }
  const py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(dimension.ptr()));
  if (!index) throw py::error_already_set();
  int overflow = 0;
  const long long value = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow != 0) throw py::value_error("shape: the dimension " + py::str(index).cast<std::string>() + " is too large");
  return static_cast<std::int64_t>(value);
}

// A shape: an int (one dimension) or a sequence of them.
std::vector<std::int64_t> plain_shape(py::handle shape) {
  if (PyIndex_Check(shape.ptr()) && !PySequence_Check(shape.ptr()) && !PyBool_Check(shape.ptr())) {
    return {dimension_of(shape)};
  }
  if (!py::isinstance<py::iterable>(shape)) {
    throw py::type_error(std::string("shape must be a sequence of ints, not ") + Py_TYPE(shape.ptr())->tp_name);
  }
  std::vector<std::int64_t> out;
  for (const py::handle dimension : shape) out.push_back(dimension_of(dimension));
  return out;
}

// The logical shape: `shape`, or the target's own when None.
std::vector<std::int64_t> shape_argument(py::handle shape, const FillTarget& target) {
  return shape.is_none() ? target.shape : plain_shape(shape);
}

std::optional<Layout> layout_argument(py::handle layout) {
  if (layout.is_none()) return std::nullopt;
  const std::string text = py::str(layout).cast<std::string>();
  if (text == "torch") return Layout::torch;
  if (text == "keras" || text == "jax") return Layout::keras;
  throw py::value_error("layout: '" + text + "' is not None, 'torch' or 'keras'");
}

FillPlacement placement_argument(py::handle offset, py::handle threads) {
  return FillPlacement{uint64_argument(offset, "offset"), threads_argument(threads)};
}

void fill_plain(py::handle x, py::handle distribution, py::handle seed, py::handle stream, py::handle offset,
                py::handle threads, const std::string& argument) {
  const Distribution law = distribution_argument(distribution);
  const Stream where{uint64_argument(seed, "seed"), stream_id_argument(stream)};
  const FillPlacement placement = placement_argument(offset, threads);
  const FillTarget target = fill_target(x, argument, Access::write, Shape::not_needed);
  fill_distribution(target, law, where, placement);
  mark_written(target);
}

void fill_named(py::handle x, const std::string& name, const py::dict& parameters, py::handle seed,
                py::handle stream, py::handle offset, py::handle threads, py::handle shape, py::handle layout,
                const std::string& argument) {
  const Stream where{uint64_argument(seed, "seed"), stream_id_argument(stream)};
  const FillPlacement placement = placement_argument(offset, threads);
  const FillTarget target =
      fill_target(x, argument, Access::write, shape.is_none() ? Shape::wanted : Shape::not_needed);
  const std::vector<std::int64_t> logical = shape_argument(shape, target);
  const cli::ResolvedInitializer initializer =
      resolve_named(name, logical, layout_argument(layout), parameter_pairs(parameters),
                    cli::InitializerKinds::element_wise_and_structured);
  fill_resolved(target, initializer, logical, where, placement);
  mark_written(target);
}

// Seconds per fill measured inside C++ (the median of `repeats` fills, GIL
// released), for bench/python_overhead.py's same-run ratio of a Python call
// to the C++ fill it makes.
double time_fill(py::handle x, py::handle distribution, int repeats, py::handle threads) {
  const Distribution law = distribution_argument(distribution);
  const FillPlacement placement = placement_argument(py::int_(0), threads);
  const FillTarget target = fill_target(x, "x", Access::write, Shape::not_needed);
  if (repeats < 1) throw py::value_error("repeats must be >= 1");
  std::vector<double> seconds(static_cast<std::size_t>(repeats));
  {
    py::gil_scoped_release unlocked;
    for (double& elapsed : seconds) {
      const auto start = std::chrono::steady_clock::now();
      fill(target.data, target.dtype, target.count, law, Stream{}, FillOptions{.offset = 0, .threads = placement.threads});
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  }
  std::nth_element(seconds.begin(), seconds.begin() + repeats / 2, seconds.end());
  return seconds[static_cast<std::size_t>(repeats / 2)];
}

py::dict resolve(const std::string& name, py::handle shape, py::handle layout, const py::dict& parameters) {
  const cli::ResolvedInitializer resolved =
      resolve_named(name, plain_shape(shape), layout_argument(layout), parameter_pairs(parameters),
                    cli::InitializerKinds::element_wise_and_structured);
  py::dict out;
  out["name"] = resolved.name;
  out["structured"] = resolved.structured ? py::object(py::str(cli::describe_structured(*resolved.structured)))
                                          : py::object(py::none());
  out["distribution"] = resolved.structured ? py::object(py::none()) : distribution_object(resolved.distribution);
  out["fans"] = resolved.fans ? py::object(py::make_tuple(resolved.fans->fan_in, resolved.fans->fan_out))
                              : py::object(py::none());
  return out;
}

py::dict validate(py::handle x, py::handle distribution, py::handle init, const py::dict& parameters,
                  py::handle shape, py::handle layout, py::handle grid, const std::string& bounds,
                  const std::string& producer, double alpha, py::handle max_values) {
  const FillTarget target = fill_target(x, "x", Access::read);
  ValidateOptions options;
  options.bounds = bounds;
  options.producer = producer;
  options.alpha = alpha;
  if (!grid.is_none()) options.grid = py::str(grid).cast<std::string>();
  if (!max_values.is_none()) options.max_values = uint64_argument(max_values, "max_values");
  ValidateLaw law;
  law.shape = shape_argument(shape, target);
  law.layout = layout;
  if (!init.is_none()) {
    law.init = init.cast<std::string>();
    law.parameters = parameters;
  } else {
    law.distribution = distribution_argument(distribution);
  }
  return validate_target(target, law, options);
}

py::list catalogue() {
  py::list out;
  auto parameters_of = [](const std::vector<cli::ParameterDoc>& docs) {
    py::list list;
    for (const cli::ParameterDoc& doc : docs) list.append(py::make_tuple(std::string(doc.name), std::string(doc.meaning)));
    return list;
  };
  for (const cli::InitializerDoc& doc : cli::initializer_catalogue()) {
    py::dict entry;
    entry["name"] = std::string(doc.name);
    entry["summary"] = std::string(doc.summary);
    entry["parameters"] = parameters_of(doc.parameters);
    entry["fan_parameters"] = doc.uses_fans ? parameters_of(cli::fan_parameter_docs()) : py::list();
    entry["uses_fans"] = doc.uses_fans;
    entry["structured"] = doc.structured;
    py::list aliases;
    for (const std::string_view alias : doc.aliases) aliases.append(std::string(alias));
    entry["aliases"] = aliases;
    out.append(entry);
  }
  return out;
}

template <typename T>
void add_equality(py::module_& m, const char* name) {
  py::class_<T> type = m.attr(name);
  type.def("__eq__", [](const T& a, py::handle b) { return py::isinstance<T>(b) && a == b.cast<T>(); });
  type.def("__hash__", [](const T& a) { return py::hash(py::str(describe(Distribution(a)))); });
}

template <typename F>
auto library_call(F&& call) {
  try {
    return call();
  } catch (const std::invalid_argument& error) {
    throw py::value_error(error.what());
  }
}

}  // namespace
}  // namespace nninit::python

PYBIND11_MODULE(_nninit, m) {
  using namespace nninit;
  using namespace nninit::python;
  m.doc() = "nninit's extension module; use the package nninit";
  m.attr("__version__") = version_string;
  m.attr("stream_version") = stream_version;
  m.attr("parallel_threshold") = parallel_threshold;

  py::class_<Uniform>(m, "Uniform", "U[low, high): nninit::Uniform")
      .def(py::init([](double low, double high) { return Uniform{low, high}; }), "low"_a = 0.0, "high"_a = 1.0)
      .def_readonly("low", &Uniform::low)
      .def_readonly("high", &Uniform::high)
      .def("__repr__", [](const Uniform& d) { return describe(d); });
  py::class_<Normal>(m, "Normal", "N(mean, std^2), not truncated: nninit::Normal")
      .def(py::init([](double mean, double std) { return Normal{mean, std}; }), "mean"_a = 0.0, "std"_a = 1.0)
      .def_readonly("mean", &Normal::mean)
      .def_readonly("std", &Normal::stddev)
      .def("__repr__", [](const Normal& d) { return describe(d); });
  py::class_<TruncatedNormal>(m, "TruncatedNormal",
                              "N(mean, std^2) conditioned on [lower, upper], absolute bounds: nninit::TruncatedNormal")
      .def(py::init([](double mean, double std, double lower, double upper) {
             return TruncatedNormal{mean, std, lower, upper};
           }),
           "mean"_a = 0.0, "std"_a = 1.0, "lower"_a = -2.0, "upper"_a = 2.0)
      .def_readonly("mean", &TruncatedNormal::mean)
      .def_readonly("std", &TruncatedNormal::stddev)
      .def_readonly("lower", &TruncatedNormal::lower)
      .def_readonly("upper", &TruncatedNormal::upper)
      .def("__repr__", [](const TruncatedNormal& d) { return describe(d); });
  py::class_<Constant>(m, "Constant", "every element equals value: nninit::Constant")
      .def(py::init([](double value) { return Constant{value}; }), "value"_a = 0.0)
      .def_readonly("value", &Constant::value)
      .def("__repr__", [](const Constant& d) { return describe(d); });
  add_equality<Uniform>(m, "Uniform");
  add_equality<Normal>(m, "Normal");
  add_equality<TruncatedNormal>(m, "TruncatedNormal");
  add_equality<Constant>(m, "Constant");

  m.def(
      "truncated_normal_in_stddevs",
      [](double mean, double std, double lower, double upper) {
        return truncated_normal_in_stddevs(mean, std, lower, upper);
      },
      "mean"_a = 0.0, "std"_a = 1.0, "lower"_a = -2.0, "upper"_a = 2.0,
      "TruncatedNormal on [mean + lower * std, mean + upper * std] (Keras/JAX bounds)");
  m.def(
      "distribution_moments",
      [](py::handle d) {
        const Distribution law = distribution_argument(d);
        return library_call([&] { return py::make_tuple(distribution_mean(law), distribution_stddev(law)); });
      },
      "distribution"_a, "(mean, standard deviation) of the distribution, exact formulas");
  m.def(
      "stream_id_from_name", [](const std::string& name) { return stream_id_from_name(name); }, "name"_a,
      "The stream id Stream::named gives the parameter name (FNV-1a + SplitMix64)");
  m.def(
      "calculate_gain",
      [](const std::string& nonlinearity, std::optional<double> param) {
        return library_call([&] { return calculate_gain(parse_nonlinearity(nonlinearity), param); });
      },
      "nonlinearity"_a, "param"_a = py::none());
  m.def(
      "compute_fans",
      [](py::handle shape, const std::string& layout) {
        const std::vector<std::int64_t> dims = plain_shape(shape);
        const Layout chosen = layout_argument(py::str(layout)).value_or(Layout::torch);
        return library_call([&] {
          const Fans fans = compute_fans(dims, chosen);
          return py::make_tuple(fans.fan_in, fans.fan_out);
        });
      },
      "shape"_a, "layout"_a = "torch");
  m.def("_fill", &fill_plain, "x"_a, "distribution"_a, "seed"_a, "stream"_a, "offset"_a, "threads"_a,
        "argument"_a);
  m.def("_fill_named", &fill_named, "x"_a, "name"_a, "parameters"_a, "seed"_a, "stream"_a, "offset"_a,
        "threads"_a, "shape"_a, "layout"_a, "argument"_a);
  m.def("_resolve", &resolve, "name"_a, "shape"_a, "layout"_a, "parameters"_a);
  m.def("_validate", &validate, "x"_a, "distribution"_a, "init"_a, "parameters"_a, "shape"_a, "layout"_a,
        "grid"_a, "bounds"_a, "producer"_a, "alpha"_a, "max_values"_a);
  m.def("_time_fill", &time_fill, "x"_a, "distribution"_a, "repeats"_a, "threads"_a);
  m.def("_validation_available", &validation_available);
  m.def("_catalogue", &catalogue);
}
