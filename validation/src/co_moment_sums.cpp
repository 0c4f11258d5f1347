// The correlation tests' raw sums in eight lanes of GCC vector extensions,
// compiled three times (co_moment_sums.hpp).
#include "co_moment_sums.hpp"

#include <array>
#include <cstring>

#include "eight_lanes.hpp"
#include "run_sums.hpp"

namespace nninit::validation::internal {
namespace {

// Lane order of the final additions.
[[gnu::always_inline]] inline double total(const double (&lane)[8]) noexcept {
  return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

[[gnu::always_inline]] inline CoMomentSums sums(const double* x, const double* y, std::size_t m, double x0,
                                                double y0) noexcept {
  Eight sx{}, sy{}, sxx{}, syy{}, sxy{};
  const Eight shift_x = Eight{} + x0, shift_y = Eight{} + y0;
  std::size_t i = 0;
  for (; i + 8 <= m; i += 8) {
    Eight vx, vy;
    std::memcpy(&vx, x + i, sizeof vx);
    std::memcpy(&vy, y + i, sizeof vy);
    const Eight dx = vx - shift_x, dy = vy - shift_y;
    sx += dx;
    sy += dy;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  double lx[8], ly[8], lxx[8], lyy[8], lxy[8];
  std::memcpy(lx, &sx, sizeof lx);
  std::memcpy(ly, &sy, sizeof ly);
  std::memcpy(lxx, &sxx, sizeof lxx);
  std::memcpy(lyy, &syy, sizeof lyy);
  std::memcpy(lxy, &sxy, sizeof lxy);
  for (; i < m; ++i) {
    const double dx = x[i] - x0, dy = y[i] - y0;
    lx[0] += dx;
    ly[0] += dy;
    lxx[0] += dx * dx;
    lyy[0] += dy * dy;
    lxy[0] += dx * dy;
  }
  return CoMomentSums{total(lx), total(ly), total(lxx), total(lyy), total(lxy)};
}

CoMomentSums sums_baseline(const double* x, const double* y, std::size_t m, double x0, double y0) noexcept {
  return sums(x, y, m, x0, y0);
}
#if NNINIT_EIGHT_LANE_CLONES
[[gnu::target("avx2")]] CoMomentSums sums_avx2(const double* x, const double* y, std::size_t m, double x0,
                                               double y0) noexcept {
  return sums(x, y, m, x0, y0);
}
[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw")]] CoMomentSums sums_avx512(const double* x, const double* y,
                                                                               std::size_t m, double x0,
                                                                               double y0) noexcept {
  return sums(x, y, m, x0, y0);
}
#endif

}  // namespace

CoMomentSums co_moment_sums(const double* x, const double* y, std::size_t m, double x0, double y0) noexcept {
#if NNINIT_EIGHT_LANE_CLONES
  switch (run_sums_target()) {
    case 2:
      return sums_avx512(x, y, m, x0, y0);
    case 1:
      return sums_avx2(x, y, m, x0, y0);
    default:
      break;
  }
#endif
  return sums_baseline(x, y, m, x0, y0);
}

CoMomentSums co_moment_sums_one_by_one(const double* x, const double* y, std::size_t m, double x0,
                                       double y0) noexcept {
  double lx[8] = {}, ly[8] = {}, lxx[8] = {}, lyy[8] = {}, lxy[8] = {};
  const std::size_t whole = m - m % 8;
  for (std::size_t i = 0; i < m; ++i) {
    const std::size_t lane = i < whole ? i % 8 : 0;
    const double dx = x[i] - x0, dy = y[i] - y0;
    lx[lane] += dx;
    ly[lane] += dy;
    lxx[lane] += dx * dx;
    lyy[lane] += dy * dy;
    lxy[lane] += dx * dy;
  }
  return CoMomentSums{total(lx), total(ly), total(lxx), total(lyy), total(lxy)};
}

}  // namespace nninit::validation::internal
