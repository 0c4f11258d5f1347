// Test data for the validation unit tests: samples from std::mt19937_64 with
// fixed seeds chosen once (never re-picked after a failure), and an
// independent bit-level rounding to bfloat16 to make rounded output.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace nninit::validation::testing {

inline std::vector<double> normal_sample(std::size_t n, double mean, double sd, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal(mean, sd);
  std::vector<double> values(n);
  for (double& v : values) v = normal(engine);
  return values;
}

inline std::vector<double> uniform_sample(std::size_t n, double a, double b, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::uniform_real_distribution<double> uniform(a, b);
  std::vector<double> values(n);
  for (double& v : values) v = uniform(engine);
  return values;
}

// N(mean, sd) conditioned on [lower, upper], by rejection.
inline std::vector<double> truncated_normal_sample(std::size_t n, double mean, double sd, double lower,
                                                   double upper, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal(mean, sd);
  std::vector<double> values(n);
  for (double& v : values) {
    do {
      v = normal(engine);
    } while (v < lower || v > upper);
  }
  return values;
}

// Every value times `factor` (a scale error applied to the same draws).
inline std::vector<double> scaled(std::vector<double> values, double factor) {
  for (double& v : values) v *= factor;
  return values;
}

// Every value plus `shift`.
inline std::vector<double> shifted(std::vector<double> values, double shift) {
  for (double& v : values) v += shift;
  return values;
}

// Round-to-nearest-even of a double to bfloat16 (8 significant bits) on the
// double's own bits: keep the top 7 of 52 stored fraction bits. Valid for
// normal bfloat16 magnitudes (2^-126 .. 2^127), which is all the tests use.
inline double round_to_bfloat16_bits(double x) {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  constexpr int dropped = 52 - 7;
  const std::uint64_t half = (std::uint64_t{1} << (dropped - 1)) - 1;
  const std::uint64_t rounded = bits + half + ((bits >> dropped) & 1u);
  return std::bit_cast<double>(rounded & ~((std::uint64_t{1} << dropped) - 1));
}

inline std::vector<double> rounded_to_bfloat16(std::vector<double> values) {
  for (double& v : values) v = round_to_bfloat16_bits(v);
  return values;
}

}  // namespace nninit::validation::testing
