// The battery's passes over a sample (internal): what every test reads from
// the sample, gathered in (a) a streaming pass over the values in storage
// order, block by block, and (b) a pass over the finite values in ascending
// order, so that a sample is read a few times and never copied whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "nninit/validation/bounds.hpp"
#include "nninit/validation/correlation.hpp"
#include "nninit/validation/half_precision.hpp"
#include "nninit/validation/reference_distribution.hpp"
#include "nninit/validation/sample.hpp"

namespace nninit::validation::internal {

// Everything the battery's tests read from a sample of `n` finite values.
struct BatterySummary {
  std::size_t n = 0;
  BoundsCounts bounds;                           // .values and .non_finite set by the caller
  SampleMoments moments;
  double ks_statistic = 0.0;                     // D against F (or the step CDF on a coarse grid)
  double ad_statistic = 0.0;                     // A^2 (randomised transform on a coarse grid)
  std::vector<std::size_t> equiprobable_counts;  // bins of u
  std::vector<std::size_t> tail_counts;          // beyond default_tail_multiples (normal only)
  bool two_level_run = false;
  std::vector<double> chunk_p_values;            // in chunk order
  CoMoments serial;                              // (x_i, x_i+1)
  CoMoments halves;                              // (x_i, x_i+n/2), i < n/2
  std::size_t collisions = 0;                    // n minus the distinct values
  std::vector<std::pair<double, std::size_t>> distinct;  // coarse grid: distinct values, ascending, with counts
};

// BatteryOptions::progress, if set: the fraction of the passes done.
struct ProgressReport {
  const std::function<void(double)>* sink = nullptr;
  void operator()(double fraction) const {
    if (sink != nullptr && *sink) (*sink)(fraction);
  }
};

struct PassOptions {
  std::uint64_t jitter_seed = 0;
  std::size_t two_level_chunks = 0;     // 0: the two-level test is not run
  bool tail_counts = false;             // normal references
  std::size_t equiprobable_bins = 2;
  ProgressReport progress;
};

// Non-coarse grids. The values (finite, in storage order) are sorted in
// place. `Elements` gives value(T) -> double, equal(T, T) (as values, so -0
// equals +0) and sort(std::span<T>) (ascending).
template <class Elements>
BatterySummary continuous_passes(std::span<typename Elements::Stored> values, const Elements& elements,
                                 const ReferenceDistribution& dist, const PassOptions& options);

struct FloatElements {
  using Stored = float;
  static double value(float x) noexcept { return static_cast<double>(x); }
  static bool equal(float a, float b) noexcept { return a == b; }
  static void sort(std::span<float> values);
};
struct DoubleElements {
  using Stored = double;
  static double value(double x) noexcept { return x; }
  static bool equal(double a, double b) noexcept { return a == b; }
  static void sort(std::span<double> values);
};
struct HalfElements {
  using Stored = std::uint16_t;
  explicit HalfElements(HalfFormat format);
  double value(std::uint16_t bits) const noexcept { return table[bits]; }
  bool equal(std::uint16_t a, std::uint16_t b) const noexcept { return table[a] == table[b]; }
  void sort(std::span<std::uint16_t> bits) const;
  HalfFormat format;
  std::vector<double> table;  // the value of every bit pattern
};

// Coarse grids (bfloat16, float16): `keys` are the grid format's bits of the
// finite values in storage order (the histogram replaces the sort).
BatterySummary coarse_passes(std::span<const std::uint16_t> keys, HalfFormat grid_format,
                             const ReferenceDistribution& dist, const PassOptions& options);

// The Anderson–Darling statistic of keys on a coarse grid: the randomised
// transform u = below(v) + U mass(v), each distinct value v's jitters U the
// ascending_jitters of (jitter_seed, v, its count), as
// anderson_darling_statistic_uniform of the sorted u computes it, from the
// histogram of the keys. Exposed for its tests.
double coarse_anderson_darling(std::span<const std::uint16_t> keys, HalfFormat grid_format,
                               const ReferenceDistribution& dist, std::uint64_t jitter_seed);

// Moves the values that `finite` accepts to the front, keeping their order;
// returns how many there are.
template <class T, class Finite>
std::size_t compact_finite(std::span<T> values, Finite finite) {
  std::size_t write = 0;
  while (write < values.size() && finite(values[write])) ++write;
  for (std::size_t read = write; read < values.size(); ++read) {
    if (finite(values[read])) values[write++] = values[read];
  }
  return write;
}

}  // namespace nninit::validation::internal
