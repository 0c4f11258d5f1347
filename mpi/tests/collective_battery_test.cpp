// collective_battery_test.cpp — the Anderson-Darling statistic from a
// histogram of u (anderson_darling_on_grid) is within its stated error bound
// of the exact statistic of the sorted values, also on samples built to sit
// at the worst place within the bins; the bound is small next to the null
// spread of A^2; a distorted sample is rejected by the grid statistic as by
// the exact one (the negative control); edge values that do not match the
// counts are refused; the battery passes a normal sample, and fails
// Anderson-Darling, saying why, when the edge values are given up.
#include "collective_battery.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "nninit/validation/anderson_darling.hpp"
#include "nninit/validation/multiple_testing.hpp"
#include "nninit/validation/output_grid.hpp"
#include "nninit/validation/reference_distribution.hpp"

namespace nninit::mpi {
namespace {

struct Gridded {
  std::vector<std::uint64_t> counts;
  std::vector<double> edges;
};

Gridded grid_of(const std::vector<double>& u, std::size_t bins) {
  Gridded g;
  g.counts.assign(bins, 0);
  for (const double x : u) {
    const std::size_t bin = std::min(bins - 1, static_cast<std::size_t>(x * static_cast<double>(bins)));
    ++g.counts[bin];
    if (bin == 0 || bin == bins - 1) g.edges.push_back(x);
  }
  return g;
}

double exact_statistic(std::vector<double> u) {
  std::sort(u.begin(), u.end());
  return validation::anderson_darling_statistic_uniform(u);
}

std::vector<double> uniforms(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::uniform_real_distribution<double> law(0.0, 1.0);
  std::vector<double> u(n);
  for (double& x : u) x = law(generator);
  return u;
}

TEST(GridAndersonDarling, WithinItsBoundOfTheExactStatistic) {
  for (const std::size_t n : {100u, 1000u, 100000u, 1000000u}) {
    const std::vector<double> u = uniforms(n, 20261202 + n);
    const std::size_t bins = collective_bins(n);
    const Gridded g = grid_of(u, bins);
    const GridAndersonDarling grid = anderson_darling_on_grid(g.counts, g.edges);
    const double exact = exact_statistic(u);
    EXPECT_LE(std::fabs(grid.statistic - exact), grid.error_bound) << "n " << n << " exact " << exact;
    EXPECT_LT(grid.error_bound, 0.05) << "n " << n;  // the null sd of A^2 is about 0.76
  }
}

TEST(GridAndersonDarling, BoundHoldsWhereTheLinearModelIsWorst) {
  // Every value of a bin piled at its lower (then its upper) edge: the step
  // function is as far from the line as it gets.
  const std::size_t n = 200000, bins = collective_bins(n);
  const double h = 1.0 / static_cast<double>(bins);
  for (const double place : {1e-9, 1.0 - 1e-9}) {
    std::vector<double> u = uniforms(n, 77);
    for (double& x : u) {
      const double bin = std::floor(x * static_cast<double>(bins));
      if (bin > 0 && bin + 1 < static_cast<double>(bins)) x = (bin + place) * h;
    }
    const Gridded g = grid_of(u, bins);
    const GridAndersonDarling grid = anderson_darling_on_grid(g.counts, g.edges);
    EXPECT_LE(std::fabs(grid.statistic - exact_statistic(u)), grid.error_bound) << "place " << place;
  }
}

TEST(GridAndersonDarling, RejectsADistortedSampleAsTheExactStatisticDoes) {
  const std::size_t n = 100000;
  std::vector<double> u = uniforms(n, 5);
  for (double& x : u) x = std::pow(x, 1.05);  // the negative control: not U(0, 1)
  const Gridded g = grid_of(u, collective_bins(n));
  const GridAndersonDarling grid = anderson_darling_on_grid(g.counts, g.edges);
  const double exact = exact_statistic(u);
  EXPECT_GT(exact, 30.0);
  EXPECT_LE(std::fabs(grid.statistic - exact), grid.error_bound);
  EXPECT_LT(validation::anderson_darling_p_value(n, grid.statistic), 1e-9);
}

TEST(GridAndersonDarling, RefusesEdgeValuesThatDoNotMatchTheCounts) {
  const std::vector<double> u = uniforms(5000, 9);
  Gridded g = grid_of(u, 1024);
  g.edges.pop_back();
  EXPECT_THROW(anderson_darling_on_grid(g.counts, g.edges), std::invalid_argument);
  EXPECT_THROW(anderson_darling_on_grid(std::vector<std::uint64_t>{5}, {}), std::invalid_argument);
}

TEST(GridKolmogorovSmirnov, BracketsTheExactDistance) {
  const std::size_t n = 50000, bins = collective_bins(n);
  std::vector<double> u = uniforms(n, 3);
  const Gridded g = grid_of(u, bins);
  std::sort(u.begin(), u.end());
  double exact = 0;
  for (std::size_t i = 0; i < n; ++i) {
    exact = std::max({exact, static_cast<double>(i + 1) / static_cast<double>(n) - u[i],
                      u[i] - static_cast<double>(i) / static_cast<double>(n)});
  }
  const double at_edges = ks_distance_at_edges(g.counts);
  EXPECT_LE(at_edges, exact + 1e-15);
  EXPECT_LE(exact, at_edges + 1.0 / static_cast<double>(bins) + 1e-15);
}

TEST(CollectiveBattery, PassesANormalSampleAndFailsAndersonDarlingWhenEdgeValuesAreDropped) {
  const validation::ReferenceDistribution reference =
      validation::ReferenceDistribution::normal(0.0, 1.0).on_grid(validation::OutputGrid::continuous);
  const std::size_t n = 5000;
  std::mt19937_64 generator(404);
  std::normal_distribution<double> law(0.0, 1.0);
  std::vector<double> values(n);
  for (double& x : values) x = law(generator);
  values[10] = -4.5;  // u = 3.4e-6 and 1 - 3.4e-6: in the first and last of the 2^16 bins
  values[20] = 4.5;
  const CollectiveBattery battery(reference, n, DType::f64, 1);
  RankTally tally = battery.empty_tally();
  battery.add_block(tally, values, {}, 0);
  battery.finish(tally);
  const MomentSummary moments = merge_in_block_order(tally.block_moments);
  const std::vector<validation::TestResult> kept = battery.results(moments, tally.counts, tally.edge_values, {});
  EXPECT_TRUE(validation::none_failed(kept));
  ASSERT_GE(tally.edge_values.size(), 2u);
  battery.drop_edge_values(tally);  // as when the ranks hold more than rank 0 gathers
  const std::vector<validation::TestResult> dropped = battery.results(moments, tally.counts, tally.edge_values, {});
  for (const validation::TestResult& result : dropped) {
    if (result.name == "anderson_darling") {
      EXPECT_EQ(result.verdict, validation::Verdict::fail);
      EXPECT_NE(result.detail.find("more than the ranks keep"), std::string::npos) << result.detail;
    } else {
      EXPECT_NE(result.verdict, validation::Verdict::fail) << result.name;
    }
  }
}

}  // namespace
}  // namespace nninit::mpi
