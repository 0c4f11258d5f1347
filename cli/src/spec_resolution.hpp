// spec_resolution.hpp — a model-spec entry resolved into what a checkpoint
// writer fills, with the checks and the provenance metadata every writer
// shares: `nninit init` (init_command.cpp) and nninit-mpi (mpi/), so that
// their files are byte-identical.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "initializers_by_name.hpp"
#include "model_spec.hpp"
#include "nninit/dtype.hpp"
#include "nninit/stream.hpp"

namespace nninit::cli {

struct ResolvedParameter {
  ResolvedInitializer initializer;
  Stream stream;
};

// The initializer of `parameter`, an entry of `spec`: the entry's layout,
// else the spec's for element-wise initializers. Throws UsageError or
// std::invalid_argument as resolve_initializer does (not naming the entry).
ResolvedInitializer resolve_entry_initializer(const ModelSpec& spec, const ParameterSpec& parameter);

// Entry `index` of `spec`: its initializer (the entry's layout, else the
// spec's for element-wise initializers) and its stream (seed, entry's stream
// id). Checks that an element-wise distribution fits the entry's dtype.
// Throws UsageError naming the entry ("parameters[1] ('w'): ...") on an
// unknown initializer, a bad parameter or a distribution the dtype cannot hold.
//   ResolvedParameter p = resolve_parameter(spec, 0);
ResolvedParameter resolve_parameter(const ModelSpec& spec, std::size_t index);

// Adds `count` elements of `dtype` to `total_bytes`; throws
// UsageError(label + ": too large for a file") when the tensor or the file
// would be too large to address.
void add_tensor_bytes(const std::string& label, std::uint64_t count, DType dtype, std::uint64_t& total_bytes);

// The __metadata__ of a whole checkpoint of `spec`: format "pt" (what Hugging
// Face's loaders expect of a PyTorch-layout checkpoint), the stream version,
// nninit's version and the seed.
std::map<std::string, std::string> checkpoint_metadata(const ModelSpec& spec);

}  // namespace nninit::cli
