// nninit/error.hpp — the exception every nninit function throws for bad input.
#pragma once

#include <stdexcept>
#include <string>

namespace nninit {

// Thrown before anything is written when an argument is invalid. The message
// names the function, the parameter and the offending value, e.g.
//   "nninit::fill: uniform: low (1) must be less than high (1)".
class invalid_argument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace nninit
