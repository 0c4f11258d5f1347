// python_values.hpp — Python arguments to nninit's values: seeds, streams,
// initializer parameters as the CLI's KEY=VALUE text, and the CLI's
// messages reworded for Python (they name the Python argument).
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nninit::python {

namespace py = pybind11;

// An int in [0, 2^64). TypeError for other types (bool and float included),
// ValueError for ints out of range; both name `argument`.
std::uint64_t uint64_argument(py::handle value, std::string_view argument);

// The stream id of `stream`: None is 0, an int in [0, 2^64) is the id, a str
// is a parameter name hashed as Stream::named does. Errors name "stream".
std::uint64_t stream_id_argument(py::handle stream);

// An int in [0, 4096] (0: OpenMP's default). Errors name "threads".
int threads_argument(py::handle threads);

// Initializer parameters {key: value} as the CLI's --param KEY=VALUE pairs:
// a float as the shortest text that reads back as the same double, an int in
// decimal, a str as it is, a tuple or list of ints as "a,b" (axis lists; ()
// is the empty list). None means "not given" and is left out. TypeError for
// anything else (bool included), naming the key.
std::vector<std::pair<std::string, std::string>> parameter_pairs(const py::dict& parameters);

// The CLI's wording ("--param mode: ...", "--init torch.x: ...") in Python's
// terms ("mode: ...", "torch.x: ...").
std::string python_wording(std::string message);

}  // namespace nninit::python
