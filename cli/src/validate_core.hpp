// validate_core.hpp — the per-tensor core of `nninit validate`: the values of
// one tensor (held in their own dtype) against one law (a distribution, an
// element-wise initializer's law, a constant, or a structured initializer),
// giving the report that `validate FILE.npy` prints and `validate CHECKPOINT
// --spec` prints once per tensor.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "initializers_by_name.hpp"
#include "nninit/distributions.hpp"
#include "nninit/dtype.hpp"
#include "npy_raw_values.hpp"
#include "nninit/validation/battery.hpp"
#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::cli {

// What one tensor is checked against.
struct TensorLaw {
  std::string source;                               // "--dist normal", "torch.orthogonal for shape (64, 64)", ...
  Distribution distribution;                        // element-wise law (sparse: its non-zeros)
  std::optional<StructuredInitializer> structured;  // set: the structured checks instead of the battery
  std::vector<std::int64_t> shape;                  // the tensor's logical shape (structured checks)
};

struct CoreOptions {
  validation::BatteryOptions battery;          // battery.family.alpha is --alpha
  std::optional<validation::OutputGrid> grid;  // --grid; empty: from the dtype
  std::string bounds = "auto";                 // --bounds: auto, inside or nearest
};

struct TensorReport {
  std::string expected;   // the law, e.g. "normal(mean=0, stddev=0.02)"
  std::string source;     // TensorLaw::source
  std::string reference;  // the reference on the file's grid (statistical), or what was checked (structured)
  std::string law;        // the law at the bounds, or the orthogonality allowance
  bool statistical = true;  // false: the exact equality test of a constant
  std::vector<validation::TestResult> results;
  std::size_t failed = 0;
  std::size_t suspicious = 0;
};

// The grid of a dtype's values: float32, bfloat16, float16, continuous (f64).
// The constant `value` as the dtype stores it (rounded to nearest).
double stored_constant(double value, DType dtype);

validation::OutputGrid grid_of(DType dtype);
// --grid's values: continuous/f64/float64, float32/f32, bfloat16/bf16, float16/f16. UsageError otherwise.
validation::OutputGrid parse_grid(const std::string& text);

// Throws UsageError (naming law.source and the dtype) when `law` cannot be
// tested on a tensor of `dtype`: the library refuses the distribution for
// that dtype, or its grid cannot resolve it (a standard deviation below
// 1024 steps on float32 / float64, or nearly all mass on one value of a
// 16-bit grid), or a structured initializer refuses the shape. Called before
// any values are read.
void check_law(const TensorLaw& law, DType dtype, const CoreOptions& options);

// The reference distribution an element-wise law's values are tested
// against, as validate_values chooses it for a tensor of `dtype` from a file
// of `provenance` (nninit's own files clamp into the bounds; others round to
// nearest): `reference` is empty for a constant (or a normal of zero width),
// which is tested for exact equality instead. Throws UsageError as check_law.
struct TensorReference {
  std::optional<validation::ReferenceDistribution> reference;
  std::string expected;  // TensorReport::expected
  std::string law;       // TensorReport::law
};
TensorReference reference_for(const TensorLaw& law, DType dtype, const NpyProvenance& provenance,
                              const CoreOptions& options);

// Whether `law` is tested by the battery (an element-wise law that is not a
// constant): false for structured initializers and constants.
bool needs_battery(const TensorLaw& law);

// Runs the checks of `law` on `raw`'s values (which it reorders: the battery
// sorts in place) and returns the report. `raw.file.provenance` says whose
// law applies at the bounds and whose QR made an orthogonal matrix. Throws
// UsageError as check_law does, or std::invalid_argument when the battery
// cannot take the values (fewer than 100 finite ones, values off the grid).
TensorReport validate_values(NpyRawValues& raw, const TensorLaw& law, const CoreOptions& options);

// The tests of a report as a JSON array: [{"name": ..., "statistic": ...,
// "p_value": ..., "adjusted_p_value": ..., "sample_size": ..., "measured": ...,
// "ci_low": ..., "ci_high": ..., "target": ..., "verdict": ..., "detail": ...}, ...].
std::string json_tests(const std::vector<validation::TestResult>& results);

// "%.4g" of a value, "-" for NaN, never "-0" (the text tables).
std::string table_cell(double value);

}  // namespace nninit::cli
