// npy_raw_values.hpp — the values of a .npy file held in their own dtype
// (float32, float64, or the raw bits of bfloat16 / float16): one copy of the
// data, as large as the file's data, for commands that must hold a whole
// tensor that may not fit as doubles (`nninit validate` on a 1 GiB float32
// file holds 1 GiB, not 2). Read through NpyReader (npy.hpp), so pipes and
// every check of the header and the length work as they do for read_npy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "npy.hpp"

namespace nninit::cli {

struct NpyRawValues {
  NpyFile file;                      // the header's fields (file.values stays empty)
  std::vector<float> f32;            // DType::f32
  std::vector<double> f64;           // DType::f64
  std::vector<std::uint16_t> bits;   // DType::bf16 and DType::f16: the raw bits
  // The number of values read (at most file.count).
  std::size_t size() const noexcept;
  // Value i converted exactly to double.
  double value(std::size_t i) const noexcept;
};

// Reads the first `max_values` values (0: all) of a .npy file of '<f4',
// '<f8', '<f2' or '<u2' (bfloat16 bits) in their own dtype; the file must
// still hold all of them. Throws FileError naming the file and the problem,
// also when the memory cannot be allocated ("not enough memory to read N
// values of FILE (B bytes each)"). `on_read`, when set, is called with the
// values read so far and the values wanted, about once per million values
// and at the end.
NpyRawValues read_npy_raw(const std::string& path, std::uint64_t max_values = 0,
                          const std::function<void(std::uint64_t, std::uint64_t)>& on_read = {});

}  // namespace nninit::cli
