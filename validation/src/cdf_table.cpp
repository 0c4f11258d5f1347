// Tables of Phi and log Phi for the battery's per-value passes.
#include "nninit/validation/cdf_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include "continuous_cdf.hpp"
#include "normal_functions.hpp"

namespace nninit::validation {
namespace {

using Cubic = CdfTable::Cubic;
constexpr std::size_t phi_per_unit = 4096;
constexpr std::size_t log_phi_per_unit = 2048;
constexpr std::size_t phi_units = 4;
constexpr std::size_t log_phi_units = 8;

// The Hermite cubic through (0, p0), (1, p1) with slopes m0, m1 (per unit of s).
Cubic hermite(long double p0, long double p1, long double m0, long double m1) {
  return Cubic{static_cast<double>(p0), static_cast<double>(m0),
               static_cast<double>(3.0L * (p1 - p0) - 2.0L * m0 - m1),
               static_cast<double>(2.0L * (p0 - p1) + m0 + m1)};
}

long double phi_long(long double z) {
  return std::exp(-0.5L * z * z) / std::sqrt(2.0L * std::numbers::pi_v<long double>);
}
long double cdf_long(long double z) { return 0.5L * std::erfc(-z / std::numbers::sqrt2_v<long double>); }

// The cubics of f on [-units, units_above] with knots 1 / per_unit apart (and one interval beyond).
template <class Value, class Slope>
std::vector<Cubic> cubics(std::size_t per_unit, std::size_t units_below, std::size_t units_above, Value value,
                          Slope slope) {
  const std::size_t intervals = (units_below + units_above) * per_unit + 1;
  std::vector<Cubic> table;
  table.reserve(intervals);
  const long double h = 1.0L / static_cast<long double>(per_unit);
  for (std::size_t k = 0; k < intervals; ++k) {
    const long double z0 = -static_cast<long double>(units_below) + static_cast<long double>(k) * h;
    const long double z1 = z0 + h;
    table.push_back(hermite(value(z0), value(z1), h * slope(z0), h * slope(z1)));
  }
  return table;
}

// Phi on [-4, 0].
struct PhiTable {
  std::vector<Cubic> table = cubics(phi_per_unit, phi_units, 0, cdf_long, phi_long);
  const Cubic* centre() const noexcept { return table.data() + phi_units * phi_per_unit; }
};

// log Phi on [-8, 8], from the tail that is accurate: log1p(-Phi(-z)) above 0.
struct LogPhiTable {
  std::vector<Cubic> table = cubics(
      log_phi_per_unit, log_phi_units, log_phi_units,
      [](long double z) { return z <= 0.0L ? std::log(cdf_long(z)) : std::log1p(-cdf_long(-z)); },
      [](long double z) { return phi_long(z) / cdf_long(z); });
  const Cubic* centre() const noexcept { return table.data() + log_phi_units * log_phi_per_unit; }
};

const PhiTable& phi_table() {
  static const PhiTable table;
  return table;
}
const LogPhiTable& log_phi_table() {
  static const LogPhiTable table;
  return table;
}


}  // namespace

double CdfTable::standard_normal_cdf(double z) noexcept {
  if (!(std::fabs(z) <= phi_reach && std::fabs(z) >= 0x1p-30)) return internal::standard_normal_cdf(z);
  const Cubic* centre = phi_table().centre();
  return z <= 0.0 ? phi(centre, z) : 1.0 - phi(centre, -z);
}

double CdfTable::standard_normal_sf(double z) noexcept {
  if (!(std::fabs(z) <= phi_reach && std::fabs(z) >= 0x1p-30)) return internal::standard_normal_sf(z);
  const Cubic* centre = phi_table().centre();
  return z >= 0.0 ? phi(centre, -z) : 1.0 - phi(centre, z);
}

double CdfTable::standard_normal_log_cdf(double z) noexcept {
  if (!(std::fabs(z) <= log_phi_reach)) return std::log(internal::standard_normal_cdf(z));
  return log_phi(log_phi_table().centre(), z);
}

CdfTable::CdfTable(const ReferenceDistribution& dist)
    : kind_(dist.kind()),
      lower_(dist.lower()),
      upper_(dist.upper()),
      location_(dist.location()),
      scale_(dist.scale()),
      inverse_scale_(1.0 / dist.scale()),
      phi_centre_(phi_table().centre()),
      log_phi_centre_(log_phi_table().centre()) {
  // z = (x - location) / scale stays within the tables' reach after rounding.
  phi_distance_ = phi_reach * scale_ * (1.0 - 0x1p-40);
  log_phi_distance_ = log_phi_reach * scale_ * (1.0 - 0x1p-40);
  centre_distance_ = 0x1p-30 * scale_;
  if (kind_ == DistributionKind::truncated_normal) {
    // As ReferenceDistribution::truncated_normal computes them.
    alpha_ = (lower_ - location_) / scale_;
    beta_ = (upper_ - location_) / scale_;
    cdf_alpha_ = internal::standard_normal_cdf(alpha_);
    sf_alpha_ = internal::standard_normal_sf(alpha_);
    cdf_beta_ = internal::standard_normal_cdf(beta_);
    sf_beta_ = internal::standard_normal_sf(beta_);
    window_mass_ = alpha_ >= 0.0 ? sf_alpha_ - sf_beta_ : cdf_beta_ - cdf_alpha_;
  }
}

double CdfTable::cdf_general(double x) const noexcept {
  const internal::ContinuousLaw law{kind_,   lower_,    upper_,     location_, scale_,  alpha_,
                                   beta_,   cdf_alpha_, sf_alpha_, cdf_beta_, sf_beta_, window_mass_};
  return internal::continuous_cdf(law, x, standard_normal_cdf, standard_normal_sf);
}

double CdfTable::sf_general(double x) const noexcept {
  const internal::ContinuousLaw law{kind_,   lower_,    upper_,     location_, scale_,  alpha_,
                                   beta_,   cdf_alpha_, sf_alpha_, cdf_beta_, sf_beta_, window_mass_};
  return internal::continuous_sf(law, x, standard_normal_cdf, standard_normal_sf);
}

double CdfTable::log_cdf_general(double x) const noexcept { return std::log(cdf_general(x)); }

double CdfTable::log_sf_general(double x) const noexcept { return std::log(sf_general(x)); }

}  // namespace nninit::validation
