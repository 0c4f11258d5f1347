// orthogonal_factories.cpp — the model-spec fuzzer links initializers_by_name.cpp
// for parse_layout; its initializer table names torch/keras/jax::orthogonal,
// whose file (lib/src/structured/orthogonal.cpp) would bring the QR and fill
// kernels with it. The spec parser never resolves an initializer, so these
// stand-ins abort: if that ever changes, the fuzzer says so at once.
#include <cstdio>
#include <cstdlib>

#include "nninit/orthogonal.hpp"

namespace {
[[noreturn]] void not_in_the_parser(const char* name) {
  std::fprintf(stderr, "model_spec_fuzzer: %s called: the spec parser now resolves initializers; link the library\n",
               name);
  std::abort();
}
}  // namespace

namespace nninit {
namespace torch {
Orthogonal orthogonal(double) { not_in_the_parser("nninit::torch::orthogonal"); }
}  // namespace torch
namespace keras {
Orthogonal orthogonal(double) { not_in_the_parser("nninit::keras::orthogonal"); }
}  // namespace keras
namespace jax {
Orthogonal orthogonal(double, int) { not_in_the_parser("nninit::jax::orthogonal"); }
}  // namespace jax
}  // namespace nninit
