// gain.cpp — PyTorch's calculate_gain and the nonlinearity names
// (see nninit/gain.hpp).
#include "nninit/gain.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>

#include "nninit/error.hpp"

namespace nninit {
namespace {

constexpr std::array<std::pair<Nonlinearity, std::string_view>, 13> names{{
    {Nonlinearity::linear, "linear"},
    {Nonlinearity::identity, "identity"},
    {Nonlinearity::conv1d, "conv1d"},
    {Nonlinearity::conv2d, "conv2d"},
    {Nonlinearity::conv3d, "conv3d"},
    {Nonlinearity::conv_transpose1d, "conv_transpose1d"},
    {Nonlinearity::conv_transpose2d, "conv_transpose2d"},
    {Nonlinearity::conv_transpose3d, "conv_transpose3d"},
    {Nonlinearity::sigmoid, "sigmoid"},
    {Nonlinearity::tanh, "tanh"},
    {Nonlinearity::relu, "relu"},
    {Nonlinearity::leaky_relu, "leaky_relu"},
    {Nonlinearity::selu, "selu"},
}};

std::string format_double(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

[[noreturn]] void invalid_enum(const char* function, Nonlinearity nonlinearity) {
  throw invalid_argument(std::string("nninit::") + function + ": nonlinearity (" +
                         std::to_string(static_cast<int>(nonlinearity)) +
                         ") is not a valid nninit::Nonlinearity");
}

}  // namespace

double calculate_gain(Nonlinearity nonlinearity, std::optional<double> param) {
  if (nonlinearity == Nonlinearity::leaky_relu) {
    const double slope = param.value_or(0.01);
    if (!std::isfinite(slope)) {
      throw invalid_argument("nninit::calculate_gain: param (negative slope of leaky_relu, " +
                             format_double(slope) + ") must be finite");
    }
    // Same operations as PyTorch: math.sqrt(2.0 / (1 + negative_slope ** 2)),
    // where Python raises OverflowError once the square overflows (|slope|
    // beyond about 1.3e154); here the gain would silently become 0.
    const double square = slope * slope;
    if (!std::isfinite(square)) {
      throw invalid_argument("nninit::calculate_gain: param (negative slope of leaky_relu, " + format_double(slope) +
                             ") is too large: its square overflows a double");
    }
    return std::sqrt(2.0 / (1.0 + square));
  }
  const std::string_view name = nonlinearity_name(nonlinearity);  // validates the value
  if (param) {
    throw invalid_argument("nninit::calculate_gain: param (" + format_double(*param) +
                           ") given for nonlinearity " + std::string(name) +
                           ", which takes no parameter (only leaky_relu does)");
  }
  switch (nonlinearity) {
    case Nonlinearity::linear:
    case Nonlinearity::identity:
    case Nonlinearity::conv1d:
    case Nonlinearity::conv2d:
    case Nonlinearity::conv3d:
    case Nonlinearity::conv_transpose1d:
    case Nonlinearity::conv_transpose2d:
    case Nonlinearity::conv_transpose3d:
    case Nonlinearity::sigmoid:
      return 1.0;
    case Nonlinearity::tanh:
      return 5.0 / 3.0;
    case Nonlinearity::relu:
      return std::sqrt(2.0);
    case Nonlinearity::selu:
      return 3.0 / 4.0;
    case Nonlinearity::leaky_relu:
      break;  // handled above
  }
  invalid_enum("calculate_gain", nonlinearity);
}

Nonlinearity parse_nonlinearity(std::string_view name) {
  for (const auto& [value, text] : names) {
    if (text == name) return value;
  }
  std::string accepted;
  for (const auto& entry : names) {
    if (!accepted.empty()) accepted += ", ";
    accepted += entry.second;
  }
  throw invalid_argument("nninit::parse_nonlinearity: name \"" + std::string(name) +
                         "\" is not a known nonlinearity (accepted: " + accepted + ")");
}

std::string_view nonlinearity_name(Nonlinearity nonlinearity) {
  for (const auto& [value, text] : names) {
    if (value == nonlinearity) return text;
  }
  invalid_enum("nonlinearity_name", nonlinearity);
}

}  // namespace nninit
