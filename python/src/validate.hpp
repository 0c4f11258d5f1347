// validate.hpp — nninit.validate: the battery `nninit validate` runs, on an
// array or tensor in memory (copied in its own dtype; the input is not
// touched), against a distribution.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>

#include "fill_target.hpp"
#include "nninit/distributions.hpp"

namespace nninit::python {

struct ValidateOptions {
  std::string source;                 // where the distribution came from, for the report
  std::optional<std::string> grid;    // "continuous", "float32", "bfloat16", "float16"; default: the dtype's
  std::string bounds = "nearest";     // "nearest" (any framework's draws) or "inside" (nninit's fills)
  double alpha = 1e-6;                // family-wise level (Holm-Bonferroni)
  std::uint64_t max_values = 0;       // test only the first N values; 0: all
};

// Runs the battery (or, for a constant, the exact equality test) and returns
// a dict: passed, failed, suspicious, values_tested, dtype, shape, expected,
// source, reference, law, alpha, statistical, tests (dicts with name,
// statistic, p_value, adjusted_p_value, sample_size, measured, ci_low,
// ci_high, target, verdict, detail). ValueError, naming the argument, for a
// distribution the dtype cannot resolve, too few values, a bad option.
// The GIL is released while the battery runs.
py::dict validate_target(const FillTarget& target, const Distribution& distribution, const ValidateOptions& options);

// True when the module was built with the validation library.
bool validation_available() noexcept;

}  // namespace nninit::python
