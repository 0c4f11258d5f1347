// spec_plan.cpp — resolving a model spec as `nninit init` does.
#include "spec_plan.hpp"

#include <limits>
#include <stdexcept>

#include "nninit/block_fill.hpp"
#include "nninit/fill.hpp"
#include "nninit/version.hpp"

namespace nninit::mpi {

std::vector<PlannedParameter> plan_parameters(const cli::ModelSpec& spec) {
  using cli::UsageError;
  std::vector<PlannedParameter> plan;
  std::uint64_t total_bytes = 0;
  for (std::size_t index = 0; index < spec.parameters.size(); ++index) {
    const cli::ParameterSpec& parameter = spec.parameters[index];
    const std::string label = cli::entry_label(index, parameter.name);
    PlannedParameter planned;
    planned.parameter = &parameter;
    planned.stream = Stream{spec.seed, parameter.stream.id};
    try {
      cli::InitializerRequest request;
      request.name = parameter.init;
      request.shape = parameter.shape;
      request.layout = parameter.layout;
      request.parameters = parameter.params;
      planned.initializer = cli::resolve_initializer(request, cli::InitializerKinds::element_wise_and_structured);
      if (!parameter.layout && spec.layout && !planned.initializer.is_structured()) {
        request.layout = spec.layout;
        planned.initializer = cli::resolve_initializer(request, cli::InitializerKinds::element_wise_and_structured);
      }
      if (!planned.initializer.is_structured()) {
        // A fill of no elements checks the distribution for this dtype.
        fill(nullptr, parameter.dtype, 0, planned.initializer.distribution, planned.stream, FillOptions{});
      }
    } catch (const UsageError& error) {
      throw UsageError(label + ": " + error.what());
    } catch (const std::invalid_argument& error) {
      throw UsageError(label + ": " + error.what());
    }
    const std::uint64_t count = block_element_count(whole_tensor(parameter.shape));
    if (count > (std::numeric_limits<std::uint64_t>::max() >> 4) ||
        total_bytes > (std::numeric_limits<std::uint64_t>::max() >> 2)) {
      throw UsageError(label + ": too large for a file");
    }
    total_bytes += count * dtype_size(parameter.dtype);
    plan.push_back(std::move(planned));
  }
  return plan;
}

std::map<std::string, std::string> checkpoint_metadata(const cli::ModelSpec& spec) {
  return {
      {"format", "pt"},
      {"nninit", "stream_version=" + std::to_string(stream_version)},
      {"nninit_version", version_string},
      {"seed", std::to_string(spec.seed)},
  };
}

}  // namespace nninit::mpi
