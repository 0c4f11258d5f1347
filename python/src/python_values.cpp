// python_values.cpp — seeds, streams, threads and initializer parameters from
// Python objects.
#include "python_values.hpp"

#include <limits>

#include "arguments.hpp"
#include "nninit/stream.hpp"

namespace nninit::python {
namespace {

bool is_int(py::handle value) { return PyLong_Check(value.ptr()) && !PyBool_Check(value.ptr()); }

std::string type_name(py::handle value) { return std::string(Py_TYPE(value.ptr())->tp_name); }

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

std::uint64_t uint64_argument(py::handle value, std::string_view argument) {
  if (!is_int(value)) {
    throw py::type_error(std::string(argument) + " must be an int in [0, 2**64), not " + type_name(value));
  }
  int overflow = 0;
  const long long small = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (overflow == 0) {
    if (small < 0) throw py::value_error(std::string(argument) + " (" + std::to_string(small) + ") must be >= 0");
    return static_cast<std::uint64_t>(small);
  }
  if (overflow < 0) {
    throw py::value_error(std::string(argument) + " (" + py::str(value).cast<std::string>() + ") must be >= 0");
  }
  const unsigned long long large = PyLong_AsUnsignedLongLong(value.ptr());
  if (PyErr_Occurred()) {
    PyErr_Clear();
    throw py::value_error(std::string(argument) + " (" + py::str(value).cast<std::string>() +
                          ") must be below 2**64");
  }
  return static_cast<std::uint64_t>(large);
}

std::uint64_t stream_id_argument(py::handle stream) {
  if (stream.is_none()) return 0;
  if (PyUnicode_Check(stream.ptr())) {
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(stream.ptr(), &size);
    if (text == nullptr) throw py::error_already_set();
    return stream_id_from_name(std::string_view(text, static_cast<std::size_t>(size)));
  }
  if (!is_int(stream)) {
    throw py::type_error("stream must be None, an int id in [0, 2**64) or a str name, not " + type_name(stream));
  }
  return uint64_argument(stream, "stream");
}

int threads_argument(py::handle threads) {
  if (!is_int(threads)) throw py::type_error("threads must be an int in [0, 4096], not " + type_name(threads));
  const long long value = PyLong_AsLongLong(threads.ptr());
  if (PyErr_Occurred() || value < 0 || value > 4096) {
    PyErr_Clear();
    throw py::value_error("threads (" + py::str(threads).cast<std::string>() +
                          ") must be in [0, 4096] (0: OpenMP's default)");
  }
  return static_cast<int>(value);
}

std::vector<std::pair<std::string, std::string>> parameter_pairs(const py::dict& parameters) {
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(parameters.size());
  for (const auto& [key_object, value] : parameters) {
    std::string key = py::str(key_object).cast<std::string>();
    if (value.is_none()) continue;
    if (PyFloat_Check(value.ptr())) {
      pairs.emplace_back(std::move(key), cli::format_double(PyFloat_AsDouble(value.ptr())));
    } else if (is_int(value)) {
      pairs.emplace_back(std::move(key), py::str(value).cast<std::string>());
    } else if (PyUnicode_Check(value.ptr())) {
      pairs.emplace_back(std::move(key), value.cast<std::string>());
    } else if (PyTuple_Check(value.ptr()) || PyList_Check(value.ptr())) {
      std::string list;
      for (const py::handle item : value) {
        if (!is_int(item)) {
          throw py::type_error(key + " must hold ints (axes), not " + type_name(item));
        }
        if (!list.empty()) list += ",";
        list += py::str(item).cast<std::string>();
      }
      pairs.emplace_back(std::move(key), list.empty() ? "()" : list);
    } else {
      throw py::type_error(key + " must be a float, an int, a str or a tuple of ints, not " + type_name(value));
    }
  }
  return pairs;
}

std::string python_wording(std::string message) {
  replace_all(message, "--param ", "");
  replace_all(message, "--init: ", "initializer: ");
  replace_all(message, "--init ", "");
  replace_all(message, "--shape ", "shape ");
  replace_all(message, "--layout", "layout");
  replace_all(message, "--grid", "grid");
  replace_all(message, "--bounds", "bounds");
  replace_all(message, "--alpha", "alpha");
  replace_all(message, "--dist ", "dist ");
  replace_all(message, "'nninit inits'", "nninit.initializers()");
  return message;
}

}  // namespace nninit::python
