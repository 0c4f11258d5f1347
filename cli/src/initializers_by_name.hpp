// initializers_by_name.hpp — every distribution and initializer of nninit by
// the name the CLI's --init takes ("uniform", "torch.kaiming_uniform",
// "keras.he_normal", ...), with its parameters from --param KEY=VALUE.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nninit/distributions.hpp"
#include "nninit/fans.hpp"

namespace nninit::cli {

struct ParameterDoc {
  std::string_view name;
  std::string_view meaning;  // e.g. "default 1; or give nonlinearity"
};

struct InitializerDoc {
  std::string_view name;
  std::string_view summary;
  std::vector<ParameterDoc> parameters;
  bool uses_fans = false;  // takes the fan parameters (groups, fan_in, ...) and --shape/--layout
};

// All names --init accepts, in the order `nninit inits` lists them.
const std::vector<InitializerDoc>& initializer_catalogue();
// The parameters every fan-based initializer also takes.
const std::vector<ParameterDoc>& fan_parameter_docs();

struct InitializerRequest {
  std::string name;                                             // --init
  std::vector<std::int64_t> shape;                              // the logical tensor's shape (for the fans)
  Layout layout = Layout::torch;                                // --layout
  std::vector<std::pair<std::string, std::string>> parameters;  // --param KEY=VALUE, in order
};

struct ResolvedInitializer {
  std::string name;  // canonical, e.g. "torch.kaiming_uniform"
  Distribution distribution;
  std::optional<Fans> fans;  // for fan-based initializers
};

// The distribution `request` names. Unprefixed names that are unique resolve
// ("kaiming_uniform" -> "torch.kaiming_uniform", "he_normal" -> "keras.he_normal"),
// and PyTorch's trailing underscore is accepted ("kaiming_uniform_").
// Throws UsageError (unknown name or parameter, malformed value, missing
// required parameter) or nninit::invalid_argument (a value the library rejects).
ResolvedInitializer resolve_initializer(const InitializerRequest& request);

// "torch" / "keras" -> Layout; throws UsageError naming `what`.
Layout parse_layout(std::string_view text, std::string_view what);

}  // namespace nninit::cli
