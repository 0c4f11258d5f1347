// nninit/gain.hpp — the recommended gain of a nonlinearity, with PyTorch's
// values (torch.nn.init.calculate_gain), and its names as PyTorch spells them.
// The Xavier and Kaiming initializers (nninit/initializers.hpp) scale by it.
#pragma once

#include <optional>
#include <string_view>

namespace nninit {

enum class Nonlinearity {
  linear,
  identity,  // nninit alias of linear (PyTorch's table lists "Linear / Identity")
  conv1d,
  conv2d,
  conv3d,
  conv_transpose1d,
  conv_transpose2d,
  conv_transpose3d,
  sigmoid,
  tanh,
  relu,
  leaky_relu,  // takes a parameter: the negative slope (default 0.01)
  selu,
};

// PyTorch's recommended gain:
//   linear, identity, conv*, conv_transpose*, sigmoid: 1
//   tanh: 5/3      relu: sqrt(2)      selu: 3/4
//   leaky_relu: sqrt(2 / (1 + slope^2)), slope = param or 0.01 when absent.
// Errors (nninit::invalid_argument): a param for any nonlinearity other than
// leaky_relu (PyTorch silently ignores it; here it is almost surely a
// mistake), a non-finite slope, an invalid `nonlinearity` value.
// Example: calculate_gain(Nonlinearity::leaky_relu, 0.2) == std::sqrt(2.0 / 1.04).
double calculate_gain(Nonlinearity nonlinearity, std::optional<double> param = std::nullopt);

// The Nonlinearity PyTorch names `name`: "linear", "conv1d", "conv2d",
// "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
// "sigmoid", "tanh", "relu", "leaky_relu", "selu", plus "identity".
// Case-sensitive, as in PyTorch.
// Errors (nninit::invalid_argument): any other text, quoted in the message.
// Example: parse_nonlinearity("leaky_relu") == Nonlinearity::leaky_relu.
Nonlinearity parse_nonlinearity(std::string_view name);

// The name parse_nonlinearity accepts for `nonlinearity` (PyTorch's spelling).
// Errors (nninit::invalid_argument): an invalid `nonlinearity` value.
// Example: nonlinearity_name(Nonlinearity::conv_transpose2d) == "conv_transpose2d".
std::string_view nonlinearity_name(Nonlinearity nonlinearity);

}  // namespace nninit
