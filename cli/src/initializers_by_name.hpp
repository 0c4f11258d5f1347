// initializers_by_name.hpp — every distribution and initializer of nninit by
// the name the CLI's --init takes ("uniform", "torch.kaiming_uniform",
// "keras.HeNormal", "jax.orthogonal", ...), with its parameters from
// --param KEY=VALUE.
//
// Two kinds of initializer:
//   element-wise  every element follows one law (a Distribution): the
//                 distributions and the variance-scaling families; any slice
//                 can be filled on its own with nninit::fill;
//   structured    the values depend on the shape as a whole (orthogonal,
//                 eye, identity, dirac, delta-orthogonal, sparse): a
//                 StructuredInitializer, filled by its own nninit function
//                 (fill_orthogonal, fill_eye, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "nninit/distributions.hpp"
#include "nninit/fans.hpp"
#include "nninit/orthogonal.hpp"
#include "nninit/structured_block.hpp"

namespace nninit::cli {

struct ParameterDoc {
  std::string_view name;
  std::string_view meaning;  // e.g. "default 1; or give nonlinearity"
};

struct InitializerDoc {
  std::string_view name;
  std::string_view summary;
  std::vector<ParameterDoc> parameters;
  bool uses_fans = false;                 // takes the fan parameters (groups, fan_in, ...) and --shape/--layout
  bool structured = false;                // a StructuredInitializer (see the banner)
  std::vector<std::string_view> aliases = {};  // other names of the same initializer (keras.HeNormal, ...)
};

// All names --init accepts, in the order `nninit inits` lists them.
const std::vector<InitializerDoc>& initializer_catalogue();
// The parameters every fan-based initializer also takes.
const std::vector<ParameterDoc>& fan_parameter_docs();

struct InitializerRequest {
  std::string name;                 // --init
  std::vector<std::int64_t> shape;  // the logical tensor's shape (for the fans and the structure)
  // --layout; when not given, keras.* and jax.* initializers read the shape in
  // the Keras layout [k..., in, out] and every other one in PyTorch's [out, in, k...].
  std::optional<Layout> layout;
  std::vector<std::pair<std::string, std::string>> parameters;  // --param KEY=VALUE, in order
};

// The structured initializers and their parameters as the frameworks name
// them: nninit::StructuredInitializer (nninit/structured_block.hpp) holds
// Orthogonal (convention, gain / scale, JAX's column_axis), Eye, Identity,
// Dirac, DeltaOrthogonal and Sparse.

// "orthogonal(convention=torch, gain=1)", "dirac(groups=2)", ...
std::string describe_structured(const StructuredInitializer& initializer);

struct ResolvedInitializer {
  std::string name;  // canonical, e.g. "torch.kaiming_uniform" (an alias gives its initializer's name)
  // Element-wise initializers: the law of every element. Structured ones: the
  // law of the random values where there is one element-wise law (sparse: the
  // non-zeros' Normal{0, std}), otherwise Constant{0} — read `structured`.
  Distribution distribution;
  std::optional<StructuredInitializer> structured;  // set exactly for structured initializers
  std::optional<Fans> fans;                         // for fan-based initializers
  bool is_structured() const { return structured.has_value(); }
};

// Which initializers a command takes.
enum class InitializerKinds {
  element_wise,                 // structured names are a UsageError ("... is structured; this command takes ...")
  element_wise_and_structured,  // every name
};

// The initializer `request` names.
// Names: the full name ("torch.orthogonal") or an alias ("keras.HeNormal");
// an unprefixed name when every initializer it could mean means the same
// ("he_normal" -> keras.he_normal, also jax.he_normal's meaning; "eye" ->
// torch.eye) — when they differ ("orthogonal", "kaiming_normal": PyTorch's is
// not truncated, JAX's is) it is a UsageError listing the candidates. nninit's
// own distributions keep their unprefixed names (uniform, normal,
// truncated_normal, constant, zeros, ones). PyTorch's trailing underscore
// means PyTorch's ("kaiming_uniform_" -> torch.kaiming_uniform,
// "uniform_" -> torch.uniform).
// Throws UsageError (unknown or ambiguous name, unknown parameter, malformed
// value, missing required parameter, a structured name where `kinds` excludes
// it) or nninit::invalid_argument (a value the library rejects).
ResolvedInitializer resolve_initializer(const InitializerRequest& request,
                                        InitializerKinds kinds = InitializerKinds::element_wise);

// "torch" / "keras" -> Layout; throws UsageError naming `what`.
Layout parse_layout(std::string_view text, std::string_view what);

}  // namespace nninit::cli
