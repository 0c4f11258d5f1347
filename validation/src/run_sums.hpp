// The per-run sums of the battery's sorted pass (internal): for a block of
// runs of equal values, Kolmogorov–Smirnov's largest ECDF deviation and the
// Anderson–Darling sums, eight runs at a time. Compiled for the baseline, for
// AVX2 and for AVX-512 and chosen at run time; the eight lanes and their
// final order are written out, and no FMA is used, so every compilation gives
// the same numbers bit for bit (battery_kernels_test.cpp).
#pragma once

#include <cstddef>

namespace nninit::validation::internal {

// What sorted_run_sums adds up for the runs of one block.
struct RunSums {
  double ks = 0.0;           // max over runs of |i / n - F| and |j / n - F|, and the caller's ks
  double low = 0.0;          // sum of c log F          (c = j - i, the run's length)
  double high = 0.0;         // sum of c log(1 - F)
  double low_offset = 0.0;   // sum of c delta log F    (delta = (i - first) + (j - first))
  double high_offset = 0.0;  // sum of c delta log(1 - F)
  bool any_direct = false;   // some run was left out of the four sums (see below)
};

// The runs r < m are [bounds[r], bounds[r + 1]) of a sorted sample of `size`
// values (as a double), first = bounds[0]; f, log_f, log_q their F, log F and
// log(1 - F). A run whose delta exceeds 2^24 or whose logarithms are not both
// finite is left out of the sums (its terms are the caller's: any_direct).
// ks starts from `ks`. Each of the eight lanes takes the runs r = 8k + lane;
// the lanes are added as ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)).
RunSums sorted_run_sums(const std::size_t* bounds, std::size_t m, const double* f, const double* log_f,
                        const double* log_q, double size, double ks) noexcept;

// The equiprobable bins of the runs: counts[b] += the length of every run whose
// F falls in bin b of `bins` (equiprobable_bin), with bin / in_bin the open
// bin and its count carried from block to block (bins rise with the runs).
void count_run_bins(const std::size_t* bounds, std::size_t m, const double* f, std::size_t bins,
                    std::size_t* counts, std::size_t& bin, std::size_t& in_bin) noexcept;

// Which compilation runs: 0 baseline, 1 AVX2, 2 AVX-512 (at most what the CPU
// has); tests set it to compare them. The default is the best the CPU has.
int run_sums_target() noexcept;
void set_run_sums_target(int target) noexcept;
// The best compilation this CPU can run.
int best_run_sums_target() noexcept;

}  // namespace nninit::validation::internal
