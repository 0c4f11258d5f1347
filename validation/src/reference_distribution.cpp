// The reference distributions: CDFs of X and of the rounded output Y, moments.
#include "continuous_cdf.hpp"
#include "nninit/validation/reference_distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include "normal_functions.hpp"

namespace nninit::validation {
namespace {

using internal::standard_normal_cdf;
using internal::standard_normal_quantile;
using internal::standard_normal_sf;

constexpr double infinity = std::numeric_limits<double>::infinity();

[[noreturn]] void reject(const std::string& where, const std::string& what, double value) {
  std::ostringstream message;
  message.precision(17);
  message << "ReferenceDistribution::" << where << ": invalid " << what << " = " << value;
  throw std::invalid_argument(message.str());
}


}  // namespace

ReferenceDistribution ReferenceDistribution::uniform(double a, double b) {
  if (!std::isfinite(a)) reject("uniform", "a", a);
  if (!std::isfinite(b) || !(a < b)) reject("uniform", "b (need a < b)", b);
  if (!std::isfinite(b - a)) reject("uniform", "b - a", b - a);
  ReferenceDistribution d;
  d.kind_ = DistributionKind::uniform;
  d.location_ = a / 2.0 + b / 2.0;
  d.scale_ = (b - a) / 2.0;
  d.lower_ = a;
  d.upper_ = b;
  d.mean_ = d.location_;
  d.sd_ = (b - a) / std::sqrt(12.0);
  d.kurtosis_ = 1.8;
  d.output_mean_ = d.mean_;
  d.output_sd_ = d.sd_;
  d.output_kurtosis_ = d.kurtosis_;
  return d;
}

ReferenceDistribution ReferenceDistribution::normal(double mean, double sd) {
  if (!std::isfinite(mean)) reject("normal", "mean", mean);
  if (!(sd > 0.0) || !std::isfinite(sd)) reject("normal", "sd", sd);
  ReferenceDistribution d;
  d.kind_ = DistributionKind::normal;
  d.location_ = mean;
  d.scale_ = sd;
  d.lower_ = -infinity;
  d.upper_ = infinity;
  d.mean_ = mean;
  d.sd_ = sd;
  d.kurtosis_ = 3.0;
  d.output_mean_ = d.mean_;
  d.output_sd_ = d.sd_;
  d.output_kurtosis_ = d.kurtosis_;
  return d;
}

ReferenceDistribution ReferenceDistribution::truncated_normal(double mean, double sd, double lower,
                                                              double upper) {
  if (!std::isfinite(mean)) reject("truncated_normal", "mean", mean);
  if (!(sd > 0.0) || !std::isfinite(sd)) reject("truncated_normal", "sd", sd);
  if (std::isnan(lower) || lower == infinity) reject("truncated_normal", "lower", lower);
  if (std::isnan(upper) || !(lower < upper)) reject("truncated_normal", "upper (need lower < upper)", upper);
  ReferenceDistribution d;
  d.kind_ = DistributionKind::truncated_normal;
  d.location_ = mean;
  d.scale_ = sd;
  d.lower_ = lower;
  d.upper_ = upper;
  d.alpha_ = (lower - mean) / sd;
  d.beta_ = (upper - mean) / sd;
  d.window_mass_ = d.alpha_ >= 0.0 ? standard_normal_sf(d.alpha_) - standard_normal_sf(d.beta_)
                                   : standard_normal_cdf(d.beta_) - standard_normal_cdf(d.alpha_);
  if (!(d.window_mass_ > 1e-300)) reject("truncated_normal", "window probability", d.window_mass_);
  d.cdf_alpha_ = standard_normal_cdf(d.alpha_);
  d.sf_alpha_ = standard_normal_sf(d.alpha_);
  d.cdf_beta_ = standard_normal_cdf(d.beta_);
  d.sf_beta_ = standard_normal_sf(d.beta_);
  const TruncatedNormalMoments moments = standard_truncated_normal_moments(d.alpha_, d.beta_);
  d.mean_ = mean + sd * moments.mean;
  d.sd_ = sd * moments.sd;
  d.kurtosis_ = moments.kurtosis;
  d.output_mean_ = d.mean_;
  d.output_sd_ = d.sd_;
  d.output_kurtosis_ = d.kurtosis_;
  return d;
}

ReferenceDistribution ReferenceDistribution::on_grid(OutputGrid grid, BoundRounding bounds) const {
  ReferenceDistribution copy = *this;
  copy.grid_ = grid;
  copy.bound_rounding_ = bounds;
  const bool bounded = std::isfinite(lower_) || std::isfinite(upper_);
  copy.clamped_ = bounds == BoundRounding::clamp_inside && grid != OutputGrid::continuous && bounded;
  copy.clamp_low_ = -infinity;
  copy.clamp_high_ = infinity;
  if (copy.clamped_) {
    if (std::isfinite(lower_)) {
      double v = round_to_grid(lower_, grid);
      if (v < lower_) v = next_above(v, grid);
      copy.clamp_low_ = v;
    }
    if (std::isfinite(upper_)) {
      double v = round_to_grid(upper_, grid);
      if (v > upper_) v = next_below(v, grid);
      copy.clamp_high_ = v;
    }
    if (!(copy.clamp_low_ <= copy.clamp_high_)) {
      reject("on_grid", std::string("bounds (no ") + std::string(grid_name(grid)) + " value in [lower, upper]); upper",
             upper_);
    }
  }
  copy.output_mean_ = mean_;
  copy.output_sd_ = sd_;
  copy.output_kurtosis_ = kurtosis_;
  if (is_coarse(grid)) copy.compute_output_moments();
  return copy;
}

void ReferenceDistribution::compute_output_moments() {
  // Every grid value between the 1e-18 quantiles (at most 65536 of them);
  // the mass beyond is below 2e-18.
  constexpr double tail = 1e-18;
  double first = round_to_grid(quantile(tail), grid_);
  double last = round_to_grid(upper_quantile(tail), grid_);
  first = std::max(first, -grid_max_finite(grid_));
  last = std::min(last, grid_max_finite(grid_));
  if (clamped_) {
    first = std::max(first, clamp_low_);
    last = std::min(last, clamp_high_);
  }
  long double total = 0.0L, sum = 0.0L;
  for (double v = first; v <= last; v = next_above(v, grid_)) {
    const double p = output_mass(v);
    total += p;
    sum += static_cast<long double>(p) * v;
  }
  if (!(total > 0.0L)) return;  // keep X's moments
  const long double mean = sum / total;
  long double second = 0.0L, fourth = 0.0L;
  for (double v = first; v <= last; v = next_above(v, grid_)) {
    const long double p = output_mass(v);
    const long double d = static_cast<long double>(v) - mean;
    second += p * d * d;
    fourth += p * d * d * d * d;
  }
  second /= total;
  fourth /= total;
  output_mean_ = static_cast<double>(mean);
  output_sd_ = static_cast<double>(std::sqrt(second));
  output_kurtosis_ = second > 0.0L ? static_cast<double>(fourth / (second * second)) : kurtosis_;
}

internal::ContinuousLaw ReferenceDistribution::law() const noexcept {
  return {kind_, lower_, upper_, location_, scale_, alpha_, beta_, cdf_alpha_, sf_alpha_, cdf_beta_, sf_beta_,
          window_mass_};
}

double ReferenceDistribution::cdf(double x) const noexcept {
  return internal::continuous_cdf(law(), x, standard_normal_cdf, standard_normal_sf);
}

double ReferenceDistribution::sf(double x) const noexcept {
  return internal::continuous_sf(law(), x, standard_normal_cdf, standard_normal_sf);
}

double ReferenceDistribution::quantile(double p) const {
  if (std::isnan(p) || p < 0.0 || p > 1.0) reject("quantile", "p", p);
  if (p == 0.0) return lower_;
  if (p == 1.0) return upper_;
  switch (kind_) {
    case DistributionKind::uniform:
      return std::clamp(lower_ + p * (upper_ - lower_), lower_, upper_);
    case DistributionKind::normal:
      return location_ + scale_ * standard_normal_quantile(p);
    case DistributionKind::truncated_normal: {
      double z = 0.0;
      if (alpha_ >= 0.0) {  // upper-tail window: work with survival probabilities
        z = -standard_normal_quantile(standard_normal_sf(alpha_) - p * window_mass_);
      } else {
        z = standard_normal_quantile(standard_normal_cdf(alpha_) + p * window_mass_);
      }
      return std::clamp(location_ + scale_ * z, lower_, upper_);
    }
  }
  return 0.0;
}

double ReferenceDistribution::upper_quantile(double q) const {
  if (std::isnan(q) || q < 0.0 || q > 1.0) reject("upper_quantile", "q", q);
  if (q == 0.0) return upper_;
  if (q == 1.0) return lower_;
  switch (kind_) {
    case DistributionKind::uniform:
      return std::clamp(upper_ - q * (upper_ - lower_), lower_, upper_);
    case DistributionKind::normal:
      return location_ - scale_ * standard_normal_quantile(q);
    case DistributionKind::truncated_normal: {
      double z = 0.0;
      if (beta_ <= 0.0) {  // lower-tail window: work with CDF values
        z = standard_normal_quantile(standard_normal_cdf(beta_) - q * window_mass_);
      } else {
        z = -standard_normal_quantile(standard_normal_sf(beta_) + q * window_mass_);
      }
      return std::clamp(location_ + scale_ * z, lower_, upper_);
    }
  }
  return 0.0;
}

double ReferenceDistribution::probability_between(double x, double y) const noexcept {
  const double p = cdf(x) > 0.5 ? sf(x) - sf(y) : cdf(y) - cdf(x);
  return std::max(p, 0.0);
}

double ReferenceDistribution::output_cdf(double x) const noexcept {
  if (grid_ == OutputGrid::continuous || std::isnan(x)) return cdf(x);
  if (clamped_) {
    if (x < clamp_low_) return 0.0;
    if (x >= clamp_high_) return 1.0;
  }
  double v = round_to_grid(x, grid_);
  if (v > x) v = next_below(v, grid_);
  if (v == infinity) return 1.0;
  return cdf(rounding_interval(v, grid_).upper);
}

double ReferenceDistribution::output_cdf_below(double x) const noexcept {
  if (grid_ == OutputGrid::continuous || std::isnan(x)) return cdf(x);
  if (clamped_) {
    if (x <= clamp_low_) return 0.0;
    if (x > clamp_high_) return 1.0;
  }
  double v = round_to_grid(x, grid_);
  if (v < x) v = next_above(v, grid_);
  return cdf(rounding_interval(v, grid_).lower);
}

double ReferenceDistribution::output_sf(double x) const noexcept {
  if (grid_ == OutputGrid::continuous || std::isnan(x)) return sf(x);
  if (clamped_) {
    if (x < clamp_low_) return 1.0;
    if (x >= clamp_high_) return 0.0;
  }
  double v = round_to_grid(x, grid_);
  if (v > x) v = next_below(v, grid_);
  if (v == infinity) return 0.0;
  return sf(rounding_interval(v, grid_).upper);
}

double ReferenceDistribution::output_mass(double v) const noexcept {
  if (grid_ == OutputGrid::continuous) return 0.0;
  const RoundingInterval interval = rounding_interval(v, grid_);
  if (clamped_) {
    if (v < clamp_low_ || v > clamp_high_) return 0.0;
    if (clamp_low_ == clamp_high_) return 1.0;
    if (v == clamp_low_) return cdf(interval.upper);   // everything below rounds up to it
    if (v == clamp_high_) return sf(interval.lower);  // everything above rounds down to it
  }
  return probability_between(interval.lower, interval.upper);
}

double ReferenceDistribution::output_lower() const noexcept {
  return clamped_ ? clamp_low_ : round_to_grid(lower_, grid_);
}
double ReferenceDistribution::output_upper() const noexcept {
  return clamped_ ? clamp_high_ : round_to_grid(upper_, grid_);
}

std::string ReferenceDistribution::describe() const {
  std::ostringstream text;
  text.precision(9);
  switch (kind_) {
    case DistributionKind::uniform:
      text << "uniform(a=" << lower_ << ", b=" << upper_ << ")";
      break;
    case DistributionKind::normal:
      text << "normal(mean=" << location_ << ", sd=" << scale_ << ")";
      break;
    case DistributionKind::truncated_normal:
      text << "truncated_normal(mean=" << location_ << ", sd=" << scale_ << ", lower=" << lower_
           << ", upper=" << upper_ << ")";
      break;
  }
  if (grid_ != OutputGrid::continuous) text << " as " << grid_name(grid_);
  if (clamped_) text << ", clamped inside the bounds";
  return text.str();
}

}  // namespace nninit::validation
