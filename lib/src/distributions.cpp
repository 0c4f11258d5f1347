// distributions.cpp — descriptions and exact moments of the distributions.
// (Not on the generating path: these may use the C++ library's math.)
#include "nninit/distributions.hpp"

#include <cmath>
#include <numbers>

#include "format_number.hpp"

namespace nninit {
namespace {

using internal::format_number;

double standard_normal_density(double x) {
  if (std::isinf(x)) return 0.0;
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}

// Phi(b) - Phi(a), computed in the tail where the values are small.
double standard_normal_mass(double a, double b) {
  if (a >= 0) return 0.5 * (std::erfc(a / std::numbers::sqrt2) - std::erfc(b / std::numbers::sqrt2));
  if (b <= 0) {
    return 0.5 * (std::erfc(-b / std::numbers::sqrt2) - std::erfc(-a / std::numbers::sqrt2));
  }
  return 1.0 - 0.5 * (std::erfc(-a / std::numbers::sqrt2) + std::erfc(b / std::numbers::sqrt2));
}

double times_density(double x) { return std::isinf(x) ? 0.0 : x * standard_normal_density(x); }

struct StandardisedWindow {
  double alpha;
  double beta;
};

StandardisedWindow standardise(const TruncatedNormal& d) {
  return {(d.lower - d.mean) / d.stddev, (d.upper - d.mean) / d.stddev};
}

}  // namespace

std::string describe(const Distribution& distribution) {
  struct Describer {
    std::string operator()(const Constant& d) const {
      return "constant(value=" + format_number(d.value) + ")";
    }
    std::string operator()(const Uniform& d) const {
      return "uniform(low=" + format_number(d.low) + ", high=" + format_number(d.high) + ")";
    }
    std::string operator()(const Normal& d) const {
      return "normal(mean=" + format_number(d.mean) + ", stddev=" + format_number(d.stddev) + ")";
    }
    std::string operator()(const TruncatedNormal& d) const {
      return "truncated_normal(mean=" + format_number(d.mean) +
             ", stddev=" + format_number(d.stddev) + ", lower=" + format_number(d.lower) +
             ", upper=" + format_number(d.upper) + ")";
    }
  };
  return std::visit(Describer{}, distribution);
}

double distribution_mean(const Distribution& distribution) {
  struct Mean {
    double operator()(const Constant& d) const { return d.value; }
    double operator()(const Uniform& d) const { return 0.5 * d.low + 0.5 * d.high; }
    double operator()(const Normal& d) const { return d.mean; }
    double operator()(const TruncatedNormal& d) const {
      const auto [alpha, beta] = standardise(d);
      const double mass = standard_normal_mass(alpha, beta);
      return d.mean + d.stddev * (standard_normal_density(alpha) - standard_normal_density(beta)) /
                          mass;
    }
  };
  return std::visit(Mean{}, distribution);
}

double distribution_stddev(const Distribution& distribution) {
  struct Stddev {
    double operator()(const Constant&) const { return 0.0; }
    double operator()(const Uniform& d) const { return (d.high - d.low) / std::sqrt(12.0); }
    double operator()(const Normal& d) const { return d.stddev; }
    double operator()(const TruncatedNormal& d) const {
      const auto [alpha, beta] = standardise(d);
      const double mass = standard_normal_mass(alpha, beta);
      const double shift = (standard_normal_density(alpha) - standard_normal_density(beta)) / mass;
      const double variance = 1.0 + (times_density(alpha) - times_density(beta)) / mass - shift * shift;
      return d.stddev * std::sqrt(variance);
    }
  };
  return std::visit(Stddev{}, distribution);
}

}  // namespace nninit
