// nninit/validation/battery.hpp — the standard battery of tests for one sample
// against one reference distribution, with the family-wise verdicts.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "nninit/validation/bounds.hpp"
#include "nninit/validation/half_precision.hpp"
#include "nninit/validation/multiple_testing.hpp"
#include "nninit/validation/probability_transform.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

struct BatteryOptions {
  FamilyOptions family;                        // alpha 1e-6, suspicious below 1e-4
  double confidence = 0.99;                    // confidence level of the reported intervals
  std::uint64_t jitter_seed = default_jitter_seed;
  BoundsOptions bounds;
  bool two_level = true;                       // run when n >= two_level_min_values
  std::size_t two_level_min_values = 256 * 20;
  double grid_min_expected_count = 10.0;       // cells of the grid chi-squared test
  // The resolution (collision) test on float32 and float64 output (not on a
  // coarse grid): the finest step of the generator's uniform that a correct
  // fill may have. 0 picks the default of the grid: 2^-23 for float32 (nninit
  // uses 2^-24 and 2^-23, PyTorch 2^-24, JAX 2^-23) and 2^-52 for float64
  // (nninit 2^-53 and 2^-52, PyTorch and numpy 2^-53). Negative: not run.
  double generator_step = 0.0;
  // Called, when set, with the fraction of the battery's passes over the
  // sample done (0 to 1, never decreasing, 1 at the end) after each block of
  // values (at most a few per 16384 values), on the calling thread. For a
  // progress display; it must not throw.
  std::function<void(double)> progress;
};

// The default generator step of BatteryOptions for a grid: 2^-23 (float32),
// 2^-52 (continuous, i.e. float64); 0 for a coarse grid (no resolution test).
double default_generator_step(OutputGrid grid) noexcept;

// Runs, on the finite values of `sample` (in output order):
//   bounds_tests (non-finite count; for bounded support: outside, edges
//   approached, mass on each bound); mean_test; std_test; ks_test (step CDF on a
//   coarse grid); anderson_darling_test; chi_squared_equiprobable_test on the
//   probability transform (on a coarse grid both from the randomised
//   transform with each distinct value's jitters drawn for the value: the
//   same law as anderson_darling_test's jitter per index, validation/README.md); chi_squared_grid_test (coarse grid only);
//   tail_count_tests at 3, 4, 4.5 sd (normal only); extreme_value_tests
//   (normal and truncated normal); two_level_ks_test;
//   serial_correlation_test (lag 1); correlation_test of the first half
//   against the second half —
// then judge()s the family with Holm–Bonferroni at options.family.alpha.
// Throws std::invalid_argument if fewer than 100 finite values, or (coarse
// grid) a value is not on the grid.
// Example: auto results = run_battery(values, ReferenceDistribution::normal(0, 0.02));
//          bool ok = none_failed(results);
std::vector<TestResult> run_battery(std::span<const double> sample, const ReferenceDistribution& dist,
                                    const BatteryOptions& options = {});

// What run_battery computed on the way, handed out so a report can draw
// histograms and ECDF curves without sorting the sample again.
struct BatteryArtifacts {
  std::vector<double> sorted;              // the finite values, ascending
  std::vector<double> two_level_p_values;  // the chunk p-values of two_level_ks in chunk order (empty if not run)
};

// The same battery, also filling `artifacts`.
std::vector<TestResult> run_battery(std::span<const double> sample, const ReferenceDistribution& dist,
                                    const BatteryOptions& options, BatteryArtifacts& artifacts);

// The same battery — the same tests, statistics and p-values — on a sample
// held in its own dtype (float32, float64, or the bits of bfloat16 / float16),
// in storage order, for tensors too large to copy: the values are reordered
// in place (finite values moved to the front, then sorted; on a coarse grid
// converted to that grid's bits), so the span's contents are unspecified
// afterwards. Extra memory: at most 1/16 of the sample for the sort, a few
// MiB of tables, and on a coarse grid 0.35 of the 16-bit keys' bytes for the
// Anderson–Darling pass (plus the keys themselves, 2 bytes a value, when the
// sample is not stored in that grid's format). The statistics differ from
// run_battery's on the same values only by floating-point rounding
// (validation/README.md, "Memory and speed"). Same exceptions as run_battery.
// Example: std::vector<float> w = load(); auto results = run_battery_in_place(std::span(w), dist);
std::vector<TestResult> run_battery_in_place(std::span<float> sample, const ReferenceDistribution& dist,
                                             const BatteryOptions& options = {});
std::vector<TestResult> run_battery_in_place(std::span<double> sample, const ReferenceDistribution& dist,
                                             const BatteryOptions& options = {});
std::vector<TestResult> run_battery_in_place(std::span<std::uint16_t> bits, HalfFormat format,
                                             const ReferenceDistribution& dist, const BatteryOptions& options = {});

}  // namespace nninit::validation
