// spec_plan.cpp — resolving a model spec as `nninit init` does.
#include "spec_plan.hpp"

#include "nninit/block_fill.hpp"
#include "spec_resolution.hpp"

namespace nninit::mpi {

std::vector<PlannedParameter> plan_parameters(const cli::ModelSpec& spec) {
  std::vector<PlannedParameter> plan;
  std::uint64_t total_bytes = 0;
  for (std::size_t index = 0; index < spec.parameters.size(); ++index) {
    const cli::ParameterSpec& parameter = spec.parameters[index];
    cli::ResolvedParameter resolved = cli::resolve_parameter(spec, index);
    PlannedParameter planned;
    planned.parameter = &parameter;
    planned.stream = resolved.stream;
    planned.initializer = std::move(resolved.initializer);
    cli::add_tensor_bytes(cli::entry_label(index, parameter.name), block_element_count(whole_tensor(parameter.shape)),
                          parameter.dtype, total_bytes);
    plan.push_back(std::move(planned));
  }
  return plan;
}

}  // namespace nninit::mpi
