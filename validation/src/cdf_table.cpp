// Tables of Phi and log Phi for the battery's per-value passes.
#include "nninit/validation/cdf_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <atomic>
#include <numbers>
#include <vector>

#include "cdf_table_dispatch.hpp"
#include "continuous_cdf.hpp"
#include "normal_functions.hpp"
#include "table_lanes.hpp"

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

// The cubics of f on [-units, units_above] with knots 1 / per_unit apart (and
// one interval beyond). `value_and_slope(z)` gives f(z) and f'(z) at a knot;
// each knot is evaluated once and shared by its two intervals (the knots
// -units + k h are exact in long double, so interval k's right end is
// interval k + 1's left end bit for bit).
template <class ValueAndSlope>
std::vector<Cubic> cubics(std::size_t per_unit, std::size_t units_below, std::size_t units_above,
                          ValueAndSlope value_and_slope) {
  const std::size_t intervals = (units_below + units_above) * per_unit + 1;
  std::vector<Cubic> table;
  table.reserve(intervals);
  const long double h = 1.0L / static_cast<long double>(per_unit);
  const auto knot = [&](std::size_t k) { return -static_cast<long double>(units_below) + static_cast<long double>(k) * h; };
  auto [p0, m0] = value_and_slope(knot(0));
  for (std::size_t k = 0; k < intervals; ++k) {
    const auto [p1, m1] = value_and_slope(knot(k) + h);
    table.push_back(hermite(p0, p1, h * m0, h * m1));
    p0 = p1;
    m0 = m1;
  }
  return table;
}

struct ValueSlope {
  long double value, slope;
};

// Phi on [-4, 0].
struct PhiTable {
  std::vector<Cubic> table =
      cubics(phi_per_unit, phi_units, 0, [](long double z) { return ValueSlope{cdf_long(z), phi_long(z)}; });
  const Cubic* centre() const noexcept { return table.data() + phi_units * phi_per_unit; }
};

// log Phi on [-8, 8], from the tail that is accurate: log1p(-Phi(-z)) above 0.
struct LogPhiTable {
  std::vector<Cubic> table = cubics(log_phi_per_unit, log_phi_units, log_phi_units, [](long double z) {
    const long double cdf = cdf_long(z);
    return ValueSlope{z <= 0.0L ? std::log(cdf) : std::log1p(-cdf_long(-z)), phi_long(z) / cdf};
  });
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


// (Four doubles in a vector of GCC's extension: two SSE2 registers on the
// baseline, one AVX2 register in the AVX2 clone; table_lanes.hpp turns
// -Wpsabi's ABI note off.)
using Four = double __attribute__((vector_size(32)));
using FourLanes = internal::TableLanes<Four, std::int64_t __attribute__((vector_size(32))),
                                       std::int32_t __attribute__((vector_size(16)))>;
using NormalPath = CdfTable::NormalPath;

// The normal path of CdfTable::evaluate for x[4g, 4g + 4) of every group g
// < groups whose four values are all inside the fast path's range and share
// each table's interval; done[g] says which were. Compiled for the baseline
// and for AVX2 (normal_fours_avx2); with no FMA, both give the scalar path's numbers.
[[gnu::always_inline]] inline void normal_fours(const NormalPath& path, const double* x, std::size_t groups, double* f,
                                                double* q, double* log_f, double* log_q, std::uint8_t* done) noexcept {
  for (std::size_t g = 0; g < groups; ++g) {
    Four v, fv, qv, lf, lq;
    std::memcpy(&v, x + 4 * g, sizeof v);
    done[g] = 0;
    if (!FourLanes::normal(path, v, fv, qv, lf, lq)) continue;
    std::memcpy(f + 4 * g, &fv, sizeof fv);
    std::memcpy(q + 4 * g, &qv, sizeof qv);
    std::memcpy(log_f + 4 * g, &lf, sizeof lf);
    std::memcpy(log_q + 4 * g, &lq, sizeof lq);
    done[g] = 1;
  }
}

void normal_fours_baseline(const NormalPath& path, const double* x, std::size_t groups, double* f, double* q,
                           double* log_f, double* log_q, std::uint8_t* done) noexcept {
  normal_fours(path, x, groups, f, q, log_f, log_q, done);
}

#if NNINIT_VALIDATION_AVX2_CLONE
[[gnu::target("avx2")]] void normal_fours_avx2(const NormalPath& path, const double* x, std::size_t groups, double* f,
                                               double* q, double* log_f, double* log_q, std::uint8_t* done) noexcept {
  normal_fours(path, x, groups, f, q, log_f, log_q, done);
}
#endif

std::atomic<bool> avx2_allowed{true};

}  // namespace

void CdfTable::evaluate_many(std::span<const double> x, double* f, double* q, double* log_f,
                             double* log_q) const noexcept {
  std::size_t r = 0;
  if (kind_ == DistributionKind::normal) {
    constexpr std::size_t batch = 256;  // groups of four per call
    std::uint8_t done[batch];
    NormalPath path{};
    normal_path(path);
#if NNINIT_VALIDATION_AVX2_CLONE
    const auto four_avx2 = normal_fours_avx2;
#else
    const auto four_avx2 = normal_fours_baseline;
#endif
    while (x.size() - r >= 4) {
      const std::size_t groups = std::min(batch, (x.size() - r) / 4);
      (internal::cdf_table_avx2_in_use() ? four_avx2 : normal_fours_baseline)(path, x.data() + r, groups, f + r, q + r,
                                                                             log_f + r, log_q + r, done);
      for (std::size_t g = 0; g < groups; ++g) {
        if (done[g] != 0) continue;
        for (std::size_t k = r + 4 * g; k < r + 4 * g + 4; ++k) evaluate(x[k], f[k], q[k], log_f[k], log_q[k]);
      }
      r += 4 * groups;
    }
  }
  for (; r < x.size(); ++r) evaluate(x[r], f[r], q[r], log_f[r], log_q[r]);
}

namespace internal {

void set_cdf_table_avx2_allowed(bool allowed) noexcept { avx2_allowed.store(allowed, std::memory_order_relaxed); }

bool cdf_table_avx2_in_use() noexcept {
#if NNINIT_VALIDATION_AVX2_CLONE
  static const bool cpu_has_avx2 = __builtin_cpu_supports("avx2") != 0;
  return cpu_has_avx2 && avx2_allowed.load(std::memory_order_relaxed);
#else
  return false;
#endif
}

}  // namespace internal

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
