// validate.hpp — nninit.validate: the per-tensor core of `nninit validate`
// (cli/src/validate_core, compiled in) on an array or tensor in memory,
// copied in its own dtype (the input is not touched).
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fill_target.hpp"
#include "nninit/distributions.hpp"

namespace nninit::python {

struct ValidateOptions {
  std::optional<std::string> grid;  // "continuous", "float32", "bfloat16", "float16"; default: the dtype's
  std::string bounds = "auto";      // "auto" (from producer), "inside" (nninit's fills) or "nearest"
  std::string producer = "other";   // "nninit": the values are an nninit fill (as nninit's .npy marker says)
  double alpha = 1e-6;              // family-wise level (Holm-Bonferroni)
  std::uint64_t max_values = 0;     // test only the first N values; 0: all
};

// The law to check: an initializer by name (element-wise or structured, for
// the logical `shape`) or a plain distribution.
struct ValidateLaw {
  std::optional<std::string> init;
  py::dict parameters;
  std::optional<Distribution> distribution;
  std::vector<std::int64_t> shape;
  py::handle layout;
};

// Runs the checks `nninit validate` runs and returns a dict: passed, failed,
// suspicious, values_tested, count, dtype, shape, expected, source,
// reference, law, alpha, statistical, structured, tests (dicts with name,
// statistic, p_value, adjusted_p_value, sample_size, measured, ci_low,
// ci_high, target, verdict, detail). ValueError, naming the argument, for a
// law the dtype or shape cannot take, too few values, a bad option. The GIL
// is released while the checks run.
py::dict validate_target(const FillTarget& target, const ValidateLaw& law, const ValidateOptions& options);

// True when the module was built with the validation library.
bool validation_available() noexcept;

}  // namespace nninit::python
