// structured_common.hpp — helpers shared by the structured initializers
// (orthogonal, identity-like, sparse): a shape as text for error messages,
// and a double converted to an output dtype as those initializers define it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <type_traits>

#include "nninit/dtype.hpp"

namespace nninit::internal {

// "(4, 3)", "(12,)", "()".
inline std::string shape_text(std::span<const std::int64_t> shape) {
  std::string text = "(";
  for (std::size_t d = 0; d < shape.size(); ++d) text += (d ? ", " : "") + std::to_string(shape[d]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

// double -> T: float rounded to nearest; bfloat16 / float16 that float
// rounded to nearest even; double itself.
template <typename T>
T from_double(double value) noexcept {
  if constexpr (std::is_same_v<T, double>) {
    return value;
  } else if constexpr (std::is_same_v<T, float>) {
    return static_cast<float>(value);
  } else if constexpr (std::is_same_v<T, bfloat16>) {
    return to_bfloat16(static_cast<float>(value));
  } else {
    return to_float16(static_cast<float>(value));
  }
}

}  // namespace nninit::internal
