// format_number.hpp — shortest round-trip text of a number, for error messages.
#pragma once

#include <charconv>
#include <string>

namespace nninit::internal {

inline std::string format_number(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace nninit::internal
