// continuous_cdf.hpp — F(x) and 1 - F(x) of a reference distribution's
// continuous variable X (uniform, normal, truncated normal), shared by
// ReferenceDistribution (libm's erfc) and CdfTable (tables of Phi): the same
// formulas, with the standard normal functions passed in.
#pragma once

#include <algorithm>
#include <cmath>

#include "nninit/validation/reference_distribution.hpp"

namespace nninit::validation::internal {

// The parameters of X; for the truncated normal also the standardised bounds
// alpha, beta, Phi and 1 - Phi there, and the window's probability.
struct ContinuousLaw {
  DistributionKind kind;
  double lower, upper, location, scale;
  double alpha, beta, cdf_alpha, sf_alpha, cdf_beta, sf_beta, window_mass;
};

// F(x): 0 at or below the lower end, 1 at or above the upper, NaN for NaN;
// the truncated normal from the tail where the window lies.
template <class Phi, class PhiSf>
double continuous_cdf(const ContinuousLaw& law, double x, Phi phi, PhiSf phi_sf) noexcept {
  if (std::isnan(x)) return x;
  if (x <= law.lower) return 0.0;
  if (x >= law.upper) return 1.0;
  switch (law.kind) {
    case DistributionKind::uniform:
      return std::clamp((x - law.lower) / (law.upper - law.lower), 0.0, 1.0);
    case DistributionKind::normal:
      return phi((x - law.location) / law.scale);
    case DistributionKind::truncated_normal: {
      const double z = (x - law.location) / law.scale;
      const double p = law.alpha >= 0.0 ? law.sf_alpha - phi_sf(z) : phi(z) - law.cdf_alpha;
      return std::clamp(p / law.window_mass, 0.0, 1.0);
    }
  }
  return 0.0;
}

// 1 - F(x), accurate in the upper tail.
template <class Phi, class PhiSf>
double continuous_sf(const ContinuousLaw& law, double x, Phi phi, PhiSf phi_sf) noexcept {
  if (std::isnan(x)) return x;
  if (x <= law.lower) return 1.0;
  if (x >= law.upper) return 0.0;
  switch (law.kind) {
    case DistributionKind::uniform:
      return std::clamp((law.upper - x) / (law.upper - law.lower), 0.0, 1.0);
    case DistributionKind::normal:
      return phi_sf((x - law.location) / law.scale);
    case DistributionKind::truncated_normal: {
      const double z = (x - law.location) / law.scale;
      const double p = law.beta <= 0.0 ? law.cdf_beta - phi(z) : phi_sf(z) - law.sf_beta;
      return std::clamp(p / law.window_mass, 0.0, 1.0);
    }
  }
  return 0.0;
}

}  // namespace nninit::validation::internal
