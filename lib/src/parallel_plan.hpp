// parallel_plan.hpp — how many threads a fill of `count` elements uses.
#pragma once

#include <cstddef>

namespace nninit::internal {

// Elements per parallel work item: large enough to amortise scheduling.
inline constexpr std::size_t chunk_elements = std::size_t{1} << 16;

// 1 below nninit::parallel_threshold or when one thread is requested;
// otherwise the requested count (0: available_threads), never more than
// there are chunks.
inline int threads_for_fill(std::size_t count, int requested, int available_threads,
                            std::size_t parallel_threshold) noexcept {
  if (count < parallel_threshold) return 1;
  const int wanted = requested > 0 ? requested : available_threads;
  const std::size_t chunks = (count + chunk_elements - 1) / chunk_elements;
  if (static_cast<std::size_t>(wanted) > chunks) return static_cast<int>(chunks);
  return wanted < 1 ? 1 : wanted;
}

}  // namespace nninit::internal
