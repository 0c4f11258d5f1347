// spec_plan.hpp — a model spec resolved into what `nninit init` fills, and the
// provenance metadata it writes: the same checks, messages and metadata as the
// single-process command (cli/src/init_command.cpp), shared by nninit-mpi so
// that its checkpoint is byte-identical to `nninit init`'s.
#pragma once

#include <string>
#include <vector>

#include "initializers_by_name.hpp"
#include "spec_resolution.hpp"
#include "model_spec.hpp"
#include "nninit/stream.hpp"

namespace nninit::mpi {

struct PlannedParameter {
  const cli::ParameterSpec* parameter = nullptr;  // into the ModelSpec, which must outlive the plan
  cli::ResolvedInitializer initializer;
  Stream stream;
  // Split along shard_dim across ranks: it has one and its values do not
  // depend on the whole tensor (a structured one is filled whole by one rank).
  bool split_across_ranks() const { return parameter->shard_dim.has_value() && !initializer.is_structured(); }
};

// Every parameter's initializer (the entry's layout, else the spec's for
// element-wise initializers) and stream, checked as `nninit init` checks them
// before anything is written. Throws cli::UsageError naming the entry
// ("parameters[1] ('w'): ...") on an unknown initializer, a bad parameter, a
// distribution the dtype cannot hold, or a tensor too large for a file.
std::vector<PlannedParameter> plan_parameters(const cli::ModelSpec& spec);

// (The __metadata__ of the whole checkpoint is cli::checkpoint_metadata,
// spec_resolution.hpp: no rank, no world_size.)

}  // namespace nninit::mpi
