// kernels/fill_range.hpp — the scalar reference driver: fills elements
// [first_index, first_index + count) of a tensor block by block.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/output_format.hpp"
#include "nninit/stream.hpp"

namespace nninit::internal {

// Each element: the generator's working value, rounded to T, then clamped into
// [clamp_low, clamp_high] (representable in T; +-infinity for no clamp).
template <class T, class Generator>
void fill_range(T* out, std::uint64_t first_index, std::size_t count, const Stream& stream,
                const Generator& generator, typename OutputFormat<T>::Working clamp_low,
                typename OutputFormat<T>::Working clamp_high) noexcept {
  using Format = OutputFormat<T>;
  constexpr unsigned per_block = Generator::elements_per_block;
  std::size_t done = 0;
  std::uint64_t block = first_index / per_block;
  unsigned lane = static_cast<unsigned>(first_index % per_block);
  while (done < count) {
    const auto values = generator.generate(stream.block(block));
    for (; lane < per_block && done < count; ++lane, ++done) {
      const auto rounded = Format::to_working(Format::from_working(values[lane]));
      out[done] = Format::from_working(std::min(std::max(rounded, clamp_low), clamp_high));
    }
    lane = 0;
    ++block;
  }
}

}  // namespace nninit::internal
