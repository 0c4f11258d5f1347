// model_spec.hpp — a model's parameters as a JSON spec (`nninit init`):
//   {"seed": 42, "layout": "torch",
//    "parameters": [{"name": "wte.weight", "shape": [50257, 768], "dtype": "bf16",
//                    "init": "normal", "params": {"std": 0.02}, "shard_dim": 0}]}
// Top-level keys: seed (integer, default 0), layout ("torch"/"keras",
// optional), parameters (required). Parameter keys: name, shape, init
// (required); dtype (default f32), params (object of numbers/strings, the
// --param KEY=VALUE of `nninit fill`), shard_dim, stream (integer id or text
// as `--stream` reads it; default Stream::named(seed, name)), layout
// (default: the top-level one for element-wise initializers, else the
// initializer's own; structured initializers take no layout).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arguments.hpp"
#include "nninit/dtype.hpp"
#include "nninit/fans.hpp"

namespace nninit::cli {

struct ParameterSpec {
  std::string name;
  std::vector<std::int64_t> shape;
  DType dtype = DType::f32;
  std::string init;
  std::vector<std::pair<std::string, std::string>> params;  // as --param KEY=VALUE text
  std::optional<int> shard_dim;                             // in [-rank, rank)
  StreamChoice stream;                                      // the id of its stream (seed from the spec)
  std::optional<Layout> layout;  // given in the entry
};

struct ModelSpec {
  std::uint64_t seed = 0;
  std::optional<Layout> layout;
  std::vector<ParameterSpec> parameters;
};

// Parses a spec's JSON text. Throws UsageError naming the entry
// ("parameters[3] ('fc1.weight')") and the key on: malformed JSON, unknown
// keys, a missing required key, wrong types, duplicate or empty names, a
// negative dimension or a shape of 2^64 elements or more, an unknown dtype,
// a shard_dim outside [-rank, rank), more than 64 dimensions, values nested
// more than 64 levels deep. `source` names the file in messages; spec text
// quoted in them has its control characters escaped (\xNN) and is
// shortened, so that a message stays printable and under 2 KiB.
// Initializer names and params are checked later, by resolve_initializer.
ModelSpec parse_model_spec(const std::string& text, const std::string& source);

// Reads and parses a spec file; FileError when it cannot be read.
ModelSpec read_model_spec(const std::string& path);

// "parameters[3] ('fc1.weight')", for messages about an entry.
std::string entry_label(std::size_t index, const std::string& name);

}  // namespace nninit::cli
