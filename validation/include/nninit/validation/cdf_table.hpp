// nninit/validation/cdf_table.hpp — fast evaluation of the CDF F and the
// survival function 1 - F of a reference distribution's continuous variable X
// (and their logarithms), for the battery's passes over hundreds of millions
// of values: a libm erfc costs 15-20 ns, a table look-up a few.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <span>

#include "nninit/validation/reference_distribution.hpp"

namespace nninit::validation {

// F(x) = dist.cdf(x), 1 - F(x) = dist.sf(x) and their logarithms, computed as
// ReferenceDistribution computes them but with the standard normal functions
// taken from tables:
//  * Phi(z) for -4 <= z <= 0 from a piecewise cubic Hermite interpolant on
//    knots 2^-12 apart (values and derivatives from long double erfc and
//    exp); Phi(z) for 0 < z <= 4 as 1 - Phi(-z), and 1 - Phi(z) likewise;
//    beyond |z| = 4 (6e-5 of a normal's values) and within |z| < 2^-30 (so
//    that Phi(0) = 1/2 exactly, an edge of the equiprobable bins) erfc;
//  * log Phi(z) for -8 <= z <= 8 from the same kind of interpolant of
//    log Phi (derivative phi / Phi) on knots 2^-11 apart; beyond, log of erfc.
// Uniform references use the exact formulas; the truncated normal the same
// differences of Phi as ReferenceDistribution, with the logarithms from
// std::log. Errors measured against long double erfc / log on 2^15 points
// per unit of z (cdf_table_test.cpp proves the bounds): see
// validation/README.md, "Memory and speed". The tables (2.5 MiB, built once
// per process in about 10 ms) are shared by every CdfTable and safe to use
// from several threads.
// Example: CdfTable f(ReferenceDistribution::normal(0, 0.02)); f.cdf(0.01) ~= 0.6915.
class CdfTable {
 public:
  explicit CdfTable(const ReferenceDistribution& dist);

  // F(x), 0 at or below the lower end of the support, 1 at or above the upper; NaN for NaN.
#if defined(__GNUC__)
  [[gnu::always_inline]]
#endif
  inline double cdf(double x) const noexcept {
    if (kind_ == DistributionKind::normal && std::fabs(x - location_) <= phi_distance_ &&
        std::fabs(x - location_) >= centre_distance_) {
      return phi_between_reach((x - location_) * inverse_scale_);
    }
    return cdf_general(x);
  }
  // 1 - F(x), accurate in the upper tail.
  double sf(double x) const noexcept {
    if (kind_ == DistributionKind::normal && std::fabs(x - location_) <= phi_distance_ &&
        std::fabs(x - location_) >= centre_distance_) {
      return phi_between_reach(-((x - location_) * inverse_scale_));
    }
    return sf_general(x);
  }
  // log F(x) and log(1 - F(x)); -inf where the function is 0.
  double log_cdf(double x) const noexcept {
    if (kind_ == DistributionKind::normal && std::fabs(x - location_) <= log_phi_distance_) {
      return log_phi(log_phi_centre_, (x - location_) * inverse_scale_);
    }
    return log_cdf_general(x);
  }
  double log_sf(double x) const noexcept {
    if (kind_ == DistributionKind::normal && std::fabs(x - location_) <= log_phi_distance_) {
      return log_phi(log_phi_centre_, -((x - location_) * inverse_scale_));
    }
    return log_sf_general(x);
  }

  // cdf(x), sf(x), log_cdf(x) and log_sf(x) together (for the normal: one
  // division, one look-up of Phi and two of log Phi).
#if defined(__GNUC__)
  [[gnu::always_inline]]
#endif
  inline void evaluate(double x, double& f, double& q, double& log_f, double& log_q) const noexcept {
    if (kind_ == DistributionKind::normal && std::fabs(x - location_) <= phi_distance_ &&
        std::fabs(x - location_) >= centre_distance_) {
      const double z = (x - location_) * inverse_scale_;
      const double tail = phi(phi_centre_, -std::fabs(z));
      f = select(z > 0.0, tail, 1.0 - tail);
      q = select(z > 0.0, 1.0 - tail, tail);
      log_f = log_phi(log_phi_centre_, z);
      log_q = log_phi(log_phi_centre_, -z);
      return;
    }
    f = cdf(x);
    q = sf(x);
    log_f = log_cdf(x);
    log_q = log_sf(x);
  }

  // evaluate() of every x[r] into f[r], q[r], log_f[r] and log_q[r], the same
  // numbers; for the normal, four values at once where the four share each
  // table's interval (as neighbours in a large sorted sample mostly do).
  void evaluate_many(std::span<const double> x, double* f, double* q, double* log_f, double* log_q) const noexcept;

  // The standard normal functions behind the tables: Phi(z), 1 - Phi(z), log Phi(z).
  static double standard_normal_cdf(double z) noexcept;
  static double standard_normal_sf(double z) noexcept;
  static double standard_normal_log_cdf(double z) noexcept;
  // The Phi table covers |z| <= phi_reach, the log Phi table |z| <= log_phi_reach.
  static constexpr double phi_reach = 4.0;
  static constexpr double log_phi_reach = 8.0;

  // The cubic a + s (b + s (c + s d)) of a table's function on one interval, s in [0, 1).
  struct Cubic {
    double a, b, c, d;
  };
  // Intervals per unit of z: 2^12 for Phi, 2^11 for log Phi.
  static constexpr double phi_per_unit = 4096.0;
  static constexpr double log_phi_per_unit = 2048.0;

  // What the normal reference's table path reads (for kernels that evaluate
  // it for several values at once): the tables' centre intervals, z = (x -
  // location) * inverse_scale, and the distances |x - location| within which
  // the path is taken (at most phi_distance, at least centre_distance).
  struct NormalPath {
    const Cubic* phi_centre;
    const Cubic* log_phi_centre;
    double location, inverse_scale, phi_distance, centre_distance;
  };
  // True, and `path` set, for a normal reference; false otherwise.
  bool normal_path(NormalPath& path) const noexcept {
    if (kind_ != DistributionKind::normal) return false;
    path = NormalPath{phi_centre_, log_phi_centre_, location_, inverse_scale_, phi_distance_, centre_distance_};
    return true;
  }

 private:
  // Knots 2^-12 (2^-11) apart: z * 4096 is exact, and so is the position in an interval.
#if defined(__GNUC__)
  [[gnu::always_inline]]
#endif
  static inline double at(const Cubic* centre, double per_unit, double z) noexcept {
    const double t = z * per_unit;
    auto k = static_cast<std::int64_t>(t);  // towards zero; the floor below
    k -= static_cast<double>(k) > t ? 1 : 0;
    const double s = t - static_cast<double>(k);
    const Cubic& c = centre[k];
    return c.a + s * (c.b + s * (c.c + s * c.d));
  }
#if defined(__GNUC__)
  [[gnu::always_inline]]
#endif
  static inline double phi(const Cubic* centre, double z) noexcept {
    return at(centre, phi_per_unit, z);
  }
#if defined(__GNUC__)
  [[gnu::always_inline]]
#endif
  static inline double log_phi(const Cubic* centre, double z) noexcept {
    return at(centre, log_phi_per_unit, z);
  }
  // b if choose_b else a, without a branch (which would be mispredicted half
  // the time in the streaming pass, where z's sign is random).
  static double select(bool choose_b, double a, double b) noexcept {
    const std::uint64_t mask = 0 - static_cast<std::uint64_t>(choose_b);
    return std::bit_cast<double>((std::bit_cast<std::uint64_t>(b) & mask) | (std::bit_cast<std::uint64_t>(a) & ~mask));
  }
  // Phi(z) for |z| <= reach (and within the reach by rounding).
  double phi_between_reach(double z) const noexcept {
    const double tail = phi(phi_centre_, -std::fabs(z));
    return select(z > 0.0, tail, 1.0 - tail);
  }
  double cdf_general(double x) const noexcept;
  double sf_general(double x) const noexcept;
  double log_cdf_general(double x) const noexcept;
  double log_sf_general(double x) const noexcept;

  DistributionKind kind_;
  double lower_, upper_, location_, scale_;
  double inverse_scale_;  // z = (x - location) * (1 / scale): within one unit in the last place of the quotient
  // |x - location| within which z = (x - location) / scale is inside the
  // tables (for the normal), a little inside the reaches so that rounding keeps it there.
  double phi_distance_ = 0.0, log_phi_distance_ = 0.0;
  // Within |z| < 2^-30 of the mean (x == mean among them, where F is 1/2 exactly,
  // an edge of equiprobable bins) the exact functions are used.
  double centre_distance_ = 0.0;
  const Cubic* phi_centre_;      // the interval that starts at z = 0 of the Phi table
  const Cubic* log_phi_centre_;  // the same of the log Phi table
  // Truncated normal: standardised bounds, window probability, and Phi / 1 - Phi
  // at alpha (beta) as ReferenceDistribution computes them.
  double alpha_ = 0.0, beta_ = 0.0, window_mass_ = 1.0;
  double cdf_alpha_ = 0.0, sf_alpha_ = 1.0, cdf_beta_ = 1.0, sf_beta_ = 0.0;
};

}  // namespace nninit::validation
