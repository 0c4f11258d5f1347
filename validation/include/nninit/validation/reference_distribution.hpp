// nninit/validation/reference_distribution.hpp — a fully specified reference
// distribution (uniform, normal, truncated normal) together with the output
// grid the tested values were rounded to. It gives the CDF of the continuous
// variable X, the CDF and point masses of the rounded output Y = round(X), and
// the moments (mean, standard deviation, kurtosis) the moment tests need.
#pragma once

#include <string>

#include "nninit/validation/output_grid.hpp"

namespace nninit::validation {
namespace internal {
struct ContinuousLaw;
}  // namespace internal


enum class DistributionKind { uniform, normal, truncated_normal };

// What the output does at a bound of the support that is not a grid value.
//  * nearest: Y = round(X); a bound that is not a grid value may be exceeded
//    by up to half a spacing (U(-0.1, 0.1) in bfloat16 reaches +-0x1.9Ap-4).
//  * clamp_inside: Y = clamp(round(X), smallest grid value >= lower, largest
//    grid value <= upper) — nninit's contract (its fills never leave
//    [low, high]); the mass that would round beyond a bound sits on the
//    innermost grid value, so P(Y == that value) is larger than its rounding
//    interval's. Identical to nearest where the bounds are grid values.
enum class BoundRounding { nearest, clamp_inside };

class ReferenceDistribution {
 public:
  // U(a, b). Throws std::invalid_argument unless a and b are finite and a < b.
  // Example: ReferenceDistribution::uniform(-0.1, 0.1).
  static ReferenceDistribution uniform(double a, double b);

  // N(mean, sd^2). Throws std::invalid_argument unless mean is finite and
  // 0 < sd < infinity. Example: ReferenceDistribution::normal(0.0, 0.02).
  static ReferenceDistribution normal(double mean, double sd);

  // N(mean, sd^2) conditioned on [lower, upper]; the bounds are ABSOLUTE values
  // (the PyTorch trunc_normal_ convention), either may be infinite. Throws
  // std::invalid_argument unless mean finite, 0 < sd < inf, lower < upper and
  // the window holds probability > 1e-300.
  // Example (Keras/JAX +-2 sd): ReferenceDistribution::truncated_normal(0, s, -2 * s, 2 * s).
  static ReferenceDistribution truncated_normal(double mean, double sd, double lower, double upper);

  // A copy whose output is rounded to `grid` (default: continuous), with
  // `bounds` deciding what happens at a bound that is not a grid value (see
  // BoundRounding; it matters only for a bounded support on a grid). Throws
  // std::invalid_argument with clamp_inside when no grid value lies in
  // [lower, upper].
  // Example: ReferenceDistribution::normal(0, 1).on_grid(OutputGrid::bfloat16).
  // Example: ReferenceDistribution::uniform(-0.1, 0.1).on_grid(OutputGrid::bfloat16,
  //                                                            BoundRounding::clamp_inside).
  [[nodiscard]] ReferenceDistribution on_grid(OutputGrid grid, BoundRounding bounds = BoundRounding::nearest) const;

  DistributionKind kind() const noexcept { return kind_; }
  OutputGrid grid() const noexcept { return grid_; }
  BoundRounding bound_rounding() const noexcept { return bound_rounding_; }
  // Parameters: location/scale are the parent normal's mean and sd (for uniform:
  // the centre (a+b)/2 and half-width (b-a)/2); lower/upper are the support's
  // ends (a and b; the truncation bounds; -inf and +inf for normal).
  double location() const noexcept { return location_; }
  double scale() const noexcept { return scale_; }
  double lower() const noexcept { return lower_; }
  double upper() const noexcept { return upper_; }

  // Moments of the continuous variable X. Kurtosis is the plain fourth
  // standardised moment (normal 3, uniform 1.8, N(0,1) on [-2, 2] 2.3655367).
  double mean() const noexcept { return mean_; }
  double sd() const noexcept { return sd_; }
  double kurtosis() const noexcept { return kurtosis_; }

  // Moments of the output variable Y: on a coarse grid (bfloat16, float16)
  // summed exactly over the grid values that carry mass (P(Y == v), clamping
  // included); elsewhere X's. Rounding adds about spacing^2 / 12 to the
  // variance, which is negligible only where the spacing is far below the sd:
  // N(0.5, 0.02) in bfloat16 (spacing 2^-9 at 0.5) has a 0.1% larger sd, a
  // normal truncated to [4, 6] sd in bfloat16 0.17% — as much as a moment
  // test sees at 2^22 values. The mean and sd tests use these.
  double output_mean() const noexcept { return output_mean_; }
  double output_sd() const noexcept { return output_sd_; }
  double output_kurtosis() const noexcept { return output_kurtosis_; }

  // P(X <= x) and P(X > x) of the continuous variable, each computed without
  // cancellation in its own tail; 0/1 outside the support; defined for +-inf.
  double cdf(double x) const noexcept;
  double sf(double x) const noexcept;
  // The p-quantile of X (the support's ends at p = 0 and 1), and the upper
  // quantile: x with P(X > x) = q, accurate for tiny q. Throw
  // std::invalid_argument unless 0 <= p, q <= 1.
  double quantile(double p) const;
  double upper_quantile(double q) const;

  // The output variable Y = round_to_grid(X, grid()) (clamped into the bounds
  // with BoundRounding::clamp_inside); equal to X's functions on the
  // continuous grid. P(Y <= x), P(Y < x), P(Y > x) (accurate in the upper
  // tail), and P(Y == v) for a grid value v (the mass of X over
  // rounding_interval(v), plus the clamped mass on the innermost values).
  double output_cdf(double x) const noexcept;
  double output_cdf_below(double x) const noexcept;
  double output_sf(double x) const noexcept;
  double output_mass(double v) const noexcept;
  // The support of Y: the bounds rounded to the grid (+-inf for normal); with
  // clamp_inside, the smallest grid value >= lower and the largest <= upper.
  double output_lower() const noexcept;
  double output_upper() const noexcept;

  // e.g. "truncated_normal(mean=0, sd=1, lower=-2, upper=2) as bfloat16"
  // (", clamped inside the bounds" appended for clamp_inside on a grid).
  std::string describe() const;

 private:
  ReferenceDistribution() = default;
  // Probability of X in [x, y], x <= y, from whichever tail is accurate.
  double probability_between(double x, double y) const noexcept;
  // Fills output_mean_ / output_sd_ / output_kurtosis_ from the grid's masses.
  void compute_output_moments();

  DistributionKind kind_ = DistributionKind::normal;
  OutputGrid grid_ = OutputGrid::continuous;
  BoundRounding bound_rounding_ = BoundRounding::nearest;
  // Whether Y is clamped (clamp_inside, a grid, a bounded support), and the
  // grid values it is clamped to (-inf / +inf on an unbounded side).
  bool clamped_ = false;
  double clamp_low_ = 0.0, clamp_high_ = 0.0;
  double location_ = 0.0, scale_ = 1.0, lower_ = 0.0, upper_ = 0.0;
  double mean_ = 0.0, sd_ = 1.0, kurtosis_ = 3.0;
  double output_mean_ = 0.0, output_sd_ = 1.0, output_kurtosis_ = 3.0;
  // Truncated normal: standardised bounds, Phi and 1 - Phi there, and the window's probability.
  double alpha_ = 0.0, beta_ = 0.0, window_mass_ = 1.0;
  double cdf_alpha_ = 0.0, sf_alpha_ = 1.0, cdf_beta_ = 1.0, sf_beta_ = 0.0;
  // The parameters cdf() and sf() compute with (src/continuous_cdf.hpp).
  internal::ContinuousLaw law() const noexcept;
};

// Moments of N(0, 1) conditioned on [alpha, beta] (either end may be infinite),
// from the recurrence m_k = (k-1) m_{k-2} + (alpha^{k-1} phi(alpha) - beta^{k-1} phi(beta)) / Z.
// Throws std::invalid_argument unless alpha < beta. Example:
// standard_truncated_normal_moments(-2, 2).kurtosis ~= 2.3655367.
struct TruncatedNormalMoments {
  double mean;
  double sd;
  double kurtosis;
};
TruncatedNormalMoments standard_truncated_normal_moments(double alpha, double beta);

}  // namespace nninit::validation
