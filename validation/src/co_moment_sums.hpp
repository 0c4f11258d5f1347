// The raw sums behind the battery's two correlation tests (internal): for
// pairs (x[i], y[i]) shifted by (x0, y0), the sums of dx, dy, dx^2, dy^2 and
// dx dy, in eight lanes. Compiled for the baseline, AVX2 and AVX-512 and
// chosen as run_sums.hpp chooses (run_sums_target); the lanes and their final
// order are written out and no FMA is used, so every compilation gives the
// same numbers bit for bit (battery_kernels_test.cpp).
#pragma once

#include <cstddef>

namespace nninit::validation::internal {

struct CoMomentSums {
  double sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0;
};

// Pair i < m goes to lane i mod 8 (pairs past the last whole group of
// eight to lane 0, in order); each sum is then
// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
CoMomentSums co_moment_sums(const double* x, const double* y, std::size_t m, double x0, double y0) noexcept;

// The same, one pair at a time in the order above (the reference the tests
// compare every compilation with).
CoMomentSums co_moment_sums_one_by_one(const double* x, const double* y, std::size_t m, double x0,
                                       double y0) noexcept;

}  // namespace nninit::validation::internal
