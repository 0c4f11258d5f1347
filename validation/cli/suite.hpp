// suite.hpp — the validation suite as data: which distributions and
// initializers are tested, on which shapes and dtypes, with which sample sizes
// and seeds, and the negative controls that prove the suite can fail. The
// runner (runner.hpp) executes it; nothing here draws a random number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "nninit/distributions.hpp"
#include "nninit/dtype.hpp"
#include "nninit/fans.hpp"

namespace nninit::validation::suite {

// The seed of every run that does not pass --seed, chosen once and never
// re-picked after a failure ("nninitV1" in ASCII).
inline constexpr std::uint64_t default_seed = 0x6E6E696E69745631u;

// Family-wise error rate of a whole run (Holm over every statistical test of
// every case and independence check) and the factor of the "suspicious" band.
inline constexpr double default_alpha = 1e-6;
inline constexpr double default_suspicion_factor = 100.0;

enum class Tier { quick, full };

struct TierSettings {
  std::size_t sample_size;  // values tested per case and control
  int seeds;                // consecutive seeds (seed, seed + 1, ...) each case runs with
  bool cross_product;       // every shape x every dtype (full), or a Latin square (quick)
  std::size_t reproducibility_count;  // elements of each reproducibility fill
};
// quick: 2^20 values, 1 seed, Latin square; full: 2^22 values, 3 seeds, cross product.
TierSettings tier_settings(Tier tier) noexcept;
const char* tier_name(Tier tier) noexcept;

// A representative weight shape in both layouts, with the fans the published
// rules give by hand (checked against nninit::compute_fans in every case).
struct ShapeSpec {
  std::string name;                       // "conv3x3"
  std::string description;                // "3x3 convolution, 64 -> 64 channels"
  std::vector<std::int64_t> torch_shape;  // [out, in / groups, k...]
  std::vector<std::int64_t> keras_shape;  // [k..., in / groups, out]
  std::int64_t groups = 1;
  Fans expected_fans;
};
const std::vector<ShapeSpec>& shapes();

enum class Convention { distribution, torch, keras };
const char* convention_name(Convention convention) noexcept;

// One initializer configuration or plain distribution.
struct FamilySpec {
  std::string name;         // "torch.kaiming_uniform(fan_out, tanh)", "dist.uniform(-0.05, 0.05)"
  Convention convention = Convention::distribution;
  bool uses_fans = false;   // false: the shape does not matter (plain distributions, trunc_normal)
  bool bias = false;        // the tensor is the bias [out] of the weight whose fans are used
  std::string note;         // a short remark for the report (e.g. "far tail window [4, 6] sd")
  // What nninit returns for these fans (the fans nninit::compute_fans gave).
  std::function<Distribution(const Fans&)> library;
  // The same distribution from the published formulas, written out here
  // independently of the library, from the hand-computed fans; empty for
  // plain distributions (nothing to compare).
  std::function<Distribution(const Fans&)> formula;
};
const std::vector<FamilySpec>& families();

// One case: a family on a shape (or none) in a dtype with one seed.
struct CaseSpec {
  std::string name;         // "torch.kaiming_uniform(fan_in, relu)/conv3x3/bf16" (+ "/seed+1" ...)
  std::string stream_name;  // the case's name without the seed suffix: Stream::named(seed, stream_name)
  const FamilySpec* family = nullptr;
  const ShapeSpec* shape = nullptr;  // null for shape-independent families
  DType dtype = DType::f32;
  int seed_index = 0;
  std::uint64_t seed = default_seed;
};

struct Selection {
  std::string name_pattern;     // regex (ECMAScript) or, if it does not compile, a substring; empty: all
  std::vector<DType> dtypes;    // empty: all four
};
bool matches(const Selection& selection, const std::string& name, DType dtype);

// The cases of a tier. quick: every family in every dtype, on shape
// (family index + dtype index) mod 4, so every family meets every shape and
// every dtype; full: every family x shape x dtype. Each with `seeds` seeds.
std::vector<CaseSpec> enumerate_cases(Tier tier, std::uint64_t seed, int seeds, const Selection& selection);

// A negative control: real nninit output transformed into a specific defect,
// tested against the CORRECT reference. It must be detected.
struct ControlSpec {
  std::string name;               // "control.std_plus_1_percent/normal/f32"
  std::string defect;             // what is wrong, in words
  std::string generated_by;       // how the sample is made from an nninit fill
  std::string expected_detector;  // the test(s) meant to see it
  DType dtype = DType::f32;
  Distribution reference;         // the correct distribution
  // Produces the defective sample (as doubles on the dtype's grid) of n values
  // from fills on stream `stream`.
  std::function<std::vector<double>(std::size_t n, std::uint64_t seed, std::uint64_t stream_id)> make_sample;
};
const std::vector<ControlSpec>& controls();

// All dtypes in their usual order.
const std::vector<DType>& all_dtypes();

}  // namespace nninit::validation::suite
