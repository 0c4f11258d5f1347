// The battery's sorted pass over one block of runs of equal values
// (internal), eight runs at a time in one pass: F and log F of each run's
// value (CdfTable's normal table in lanes where it applies), Kolmogorov–
// Smirnov's largest ECDF deviation, the Anderson–Darling sums, the centred
// second and fourth moments and the equiprobable bins. Compiled for the
// baseline, for AVX2 and for AVX-512 and chosen at run time; a group of eight
// runs is held in vectors of the compilation's native width, every lane
// computes the same expressions, the lanes' final order is written out and no
// FMA is used, so every compilation gives the same numbers bit for bit
// (battery_kernels_test.cpp).
#pragma once

#include <cstddef>

#include "nninit/validation/cdf_table.hpp"

namespace nninit::validation::internal {

// F, 1 - F, log F and log(1 - F) of `count` values, for the runs where the
// table's lanes do not apply (another law, the tails, neighbours in two
// intervals): evaluate(context, v, count, f, q, log_f, log_q).
struct RunCdf {
  void (*evaluate)(const void* context, const double* v, std::size_t count, double* f, double* q, double* log_f,
                   double* log_q);
  const void* context;
};

// What stays the same for every block of one sorted pass.
struct SortedPassSettings {
  const CdfTable::NormalPath* normal = nullptr;  // the normal table path, or nullptr (RunCdf for every run)
  RunCdf cdf{};
  double size = 0.0;           // n, the sample size, as a double
  double mean = 0.0;           // the moments' centre, in units of `scale` (CentredMoments)
  double inverse_scale = 1.0;  // 1 / scale, a power of two
  std::size_t bins = 1;        // equiprobable bins
  std::size_t* counts = nullptr;  // their counts, `bins` of them
};

// What is carried from block to block: the largest KS deviation so far and
// the open equiprobable bin with its count (bins rise with the runs; the
// caller adds in_bin to counts[bin] after the last block).
struct SortedPassState {
  double ks = 0.0;
  std::size_t bin = 0, in_bin = 0;
};

// The sums of one block (c = j - i the length of run [i, j), delta = (i -
// first) + (j - first), d = v * inverse_scale - mean).
struct RunSums {
  double low = 0.0;          // sum of c log F
  double high = 0.0;         // sum of c log(1 - F)
  double low_offset = 0.0;   // sum of c delta log F
  double high_offset = 0.0;  // sum of c delta log(1 - F)
  double second = 0.0;       // sum of c d^2
  double fourth = 0.0;       // sum of c d^4
  bool any_direct = false;   // some run was left out of the four logarithm sums (see below)
};

// The runs r < m are [bounds[r], bounds[r + 1]) of a sorted sample, v[r]
// their values, first = bounds[0], every bound below 2^52 (ranks are turned
// into doubles exactly). Runs 8g .. 8g + 7 form group g, run r goes to lane
// r % 8; the last group is padded with runs of length 0 at bounds[m] with the
// last value (they add zeros and repeat the last run's deviation). A group's F and logarithms come from the normal table in lanes
// when all eight take its path and share its intervals, from settings.cdf
// otherwise. KS: the largest of |i / n - F| and |j / n - F| (divisions of
// the ranks by n). A run whose delta exceeds 2^24 or whose logarithms are not
// both finite is left out of the logarithm sums (its terms are the caller's:
// any_direct); the moments and bins take every run, a run's bin being the one
// whose edges [b, b + 1) hold F * bins (the last bin up to infinity; a group
// whose runs leave the open bin is binned run by run with equiprobable_bin).
// Each sum's lanes are added as ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)).
RunSums sorted_block_sums(const SortedPassSettings& settings, SortedPassState& state, const std::size_t* bounds,
                          const double* v, std::size_t m) noexcept;

// Which compilation runs: 0 baseline, 1 AVX2, 2 AVX-512 (at most what the CPU
// has); tests set it to compare them. The default is the best the CPU has.
int run_sums_target() noexcept;
void set_run_sums_target(int target) noexcept;
// The best compilation this CPU can run.
int best_run_sums_target() noexcept;

}  // namespace nninit::validation::internal
