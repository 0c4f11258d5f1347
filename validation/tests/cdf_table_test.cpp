// The tables of Phi and log Phi behind the battery's per-value passes, proved
// against long double erfc / log over the whole support (tails included),
// and CdfTable against ReferenceDistribution for every kind of reference.
#include "nninit/validation/cdf_table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <limits>
#include <numbers>

namespace nninit::validation {
namespace {

long double exact_cdf(long double z) { return 0.5L * std::erfc(-z / std::numbers::sqrt2_v<long double>); }
long double exact_sf(long double z) { return 0.5L * std::erfc(z / std::numbers::sqrt2_v<long double>); }
long double exact_log_cdf(long double z) { return z <= 0.0L ? std::log(exact_cdf(z)) : std::log1p(-exact_sf(z)); }

// The points of the proof: 2^15 per unit of z (every knot of both tables,
// every midpoint, and the points between), shifted by 0 and by 0.37 of a step.
template <class Check>
void for_each_point(double from, double to, Check check) {
  constexpr double per_unit = 32768.0;
  for (const double shift : {0.0, 0.37}) {
    for (double k = std::ceil(from * per_unit); k <= to * per_unit; k += 1.0) check((k + shift) / per_unit);
  }
}

TEST(CdfTable, PhiWithinOneUnitInTheLastPlaceAbsoluteAndTwoEMinus15Relative) {
  long double worst_absolute = 0.0L, worst_relative = 0.0L;
  for_each_point(-CdfTable::phi_reach, CdfTable::phi_reach, [&](double z) {
    const long double f = exact_cdf(z), q = exact_sf(z);
    const long double table_f = CdfTable::standard_normal_cdf(z), table_q = CdfTable::standard_normal_sf(z);
    worst_absolute = std::fmax(worst_absolute, std::fmax(std::fabs(table_f - f), std::fabs(table_q - q)));
    // Relative in the tail each stands for: Phi below 0, 1 - Phi above.
    const long double relative = z <= 0.0 ? std::fabs(table_f - f) / f : std::fabs(table_q - q) / q;
    worst_relative = std::fmax(worst_relative, relative);
  });
  std::cout << "Phi table: largest absolute error " << static_cast<double>(worst_absolute) << ", relative (tail) "
            << static_cast<double>(worst_relative) << "\n";
  EXPECT_LE(worst_absolute, 1.2e-16);
  EXPECT_LE(worst_relative, 2.5e-15);
}

TEST(CdfTable, LogPhiWithinTwoUnitsInTheLastPlace) {
  long double worst = 0.0L, worst_absolute = 0.0L;
  for_each_point(-CdfTable::log_phi_reach, CdfTable::log_phi_reach, [&](double z) {
    const long double exact = exact_log_cdf(z);
    const long double error = std::fabs(static_cast<long double>(CdfTable::standard_normal_log_cdf(z)) - exact);
    const long double unit = std::fmax(std::fabs(exact), 0.5L) * 0x1p-52L;
    worst = std::fmax(worst, error / unit);
    worst_absolute = std::fmax(worst_absolute, error);
  });
  std::cout << "log Phi table: largest error " << static_cast<double>(worst) << " units of max(|log Phi|, 1/2) 2^-52, "
            << static_cast<double>(worst_absolute) << " absolute\n";
  EXPECT_LE(worst, 2.0);
}

TEST(CdfTable, FarTailsUseTheExactFunctions) {
  // Beyond the reaches (and at the centre) the tables give way to erfc: the
  // same double as ReferenceDistribution's standard normal functions.
  const ReferenceDistribution standard = ReferenceDistribution::normal(0.0, 1.0);
  for (const double z : {-40.0, -38.5, -20.0, -8.5, -4.0000001, 4.0000001, 8.5, 20.0, 39.0, 0.0, 1e-12, -1e-12}) {
    EXPECT_EQ(CdfTable::standard_normal_cdf(z), standard.cdf(z)) << z;
    EXPECT_EQ(CdfTable::standard_normal_sf(z), standard.sf(z)) << z;
  }
  for (const double z : {-40.0, -9.0, 9.0, 30.0}) {
    EXPECT_EQ(CdfTable::standard_normal_log_cdf(z), std::log(standard.cdf(z))) << z;
  }
  EXPECT_EQ(CdfTable::standard_normal_cdf(0.0), 0.5);
  EXPECT_EQ(CdfTable::standard_normal_cdf(-HUGE_VAL), 0.0);
  EXPECT_EQ(CdfTable::standard_normal_cdf(HUGE_VAL), 1.0);
  EXPECT_TRUE(std::isnan(CdfTable::standard_normal_cdf(std::nan(""))));
}

TEST(CdfTable, AgreesWithTheReferenceDistributions) {
  const ReferenceDistribution references[] = {
      ReferenceDistribution::normal(0.0, 0.02),
      ReferenceDistribution::normal(0.5, 0.02).on_grid(OutputGrid::float32),
      ReferenceDistribution::normal(-3.0, 7.0),
      ReferenceDistribution::truncated_normal(0.0, 0.02, -0.04, 0.04),
      ReferenceDistribution::truncated_normal(0.3, 0.02, 0.3 + 2 * 0.02, 0.3 + 3 * 0.02),
      ReferenceDistribution::truncated_normal(0.0, 1.0, -HUGE_VAL, 1.0),
      ReferenceDistribution::uniform(-0.05, 0.05),
  };
  for (const ReferenceDistribution& dist : references) {
    const CdfTable table(dist);
    const double low = std::fmax(dist.lower(), dist.mean() - 12 * dist.sd());
    const double high = std::fmin(dist.upper(), dist.mean() + 12 * dist.sd());
    double worst = 0.0, worst_log = 0.0;
    for (int i = -100; i <= 200100; ++i) {
      const double x = low + (high - low) * (static_cast<double>(i) / 200000.0);
      const double f = dist.cdf(x), q = dist.sf(x);
      double tf = 0, tq = 0, lf = 0, lq = 0;
      table.evaluate(x, tf, tq, lf, lq);
      ASSERT_EQ(tf, table.cdf(x));
      ASSERT_EQ(tq, table.sf(x));
      worst = std::fmax(worst, std::fmax(std::fabs(tf - f), std::fabs(tq - q)));
      if (f > 1e-300 && q > 1e-300) {
        // The normal's logarithms come from the log Phi table; the others are
        // std::log of cdf and sf, as accurate as those (|d log| = |dF| / F).
        const double allowed_f = dist.kind() == DistributionKind::normal ? 0.0 : 1.01 * std::fabs(tf - f) / f;
        const double allowed_q = dist.kind() == DistributionKind::normal ? 0.0 : 1.01 * std::fabs(tq - q) / q;
        worst_log = std::fmax(worst_log, std::fmax(0.0, std::fabs(lf - std::log(f)) - allowed_f) /
                                             std::fmax(1.0, std::fabs(std::log(f))));
        worst_log = std::fmax(worst_log, std::fmax(0.0, std::fabs(lq - std::log(q)) - allowed_q) /
                                             std::fmax(1.0, std::fabs(std::log(q))));
      }
      if (x <= dist.lower()) {
        EXPECT_EQ(tf, 0.0);
      }
      if (x >= dist.upper()) {
        EXPECT_EQ(tq, 0.0);
      }
    }
    // A truncated normal divides Phi's error by the window's probability.
    const ReferenceDistribution parent = ReferenceDistribution::normal(dist.location(), dist.scale());
    const double window = dist.kind() == DistributionKind::truncated_normal
                              ? parent.sf(dist.lower()) - parent.sf(dist.upper())
                              : 1.0;
    EXPECT_LE(worst, 3e-16 / window) << dist.describe();
    EXPECT_LE(worst_log, 1e-15) << dist.describe();
  }
  // Off the support and at its ends.
  const CdfTable uniform(ReferenceDistribution::uniform(-1.0, 1.0));
  EXPECT_EQ(uniform.cdf(-1.0), 0.0);
  EXPECT_EQ(uniform.sf(1.0), 0.0);
  EXPECT_EQ(uniform.cdf(2.0), 1.0);
  EXPECT_EQ(uniform.log_cdf(-1.0), -HUGE_VAL);
  EXPECT_TRUE(std::isnan(uniform.cdf(std::nan(""))));
}

}  // namespace
}  // namespace nninit::validation
