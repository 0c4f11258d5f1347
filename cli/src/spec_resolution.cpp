// spec_resolution.cpp — resolving a spec entry as every checkpoint writer does.
#include "spec_resolution.hpp"

#include <limits>
#include <stdexcept>

#include "arguments.hpp"
#include "nninit/fill.hpp"
#include "nninit/version.hpp"

namespace nninit::cli {

ResolvedInitializer resolve_entry_initializer(const ModelSpec& spec, const ParameterSpec& parameter) {
  InitializerRequest request;
  request.name = parameter.init;
  request.shape = parameter.shape;
  request.layout = parameter.layout;
  request.parameters = parameter.params;
  ResolvedInitializer initializer = resolve_initializer(request, InitializerKinds::element_wise_and_structured);
  // The spec's layout applies to the element-wise initializers of entries without their own.
  if (!parameter.layout && spec.layout && !initializer.is_structured()) {
    request.layout = spec.layout;
    initializer = resolve_initializer(request, InitializerKinds::element_wise_and_structured);
  }
  return initializer;
}

ResolvedParameter resolve_parameter(const ModelSpec& spec, std::size_t index) {
  const ParameterSpec& parameter = spec.parameters.at(index);
  ResolvedParameter resolved;
  resolved.stream = Stream{spec.seed, parameter.stream.id};
  try {
    resolved.initializer = resolve_entry_initializer(spec, parameter);
    if (!resolved.initializer.is_structured()) {
      // A fill of no elements checks the distribution for this dtype.
      fill(nullptr, parameter.dtype, 0, resolved.initializer.distribution, resolved.stream, FillOptions{});
    }
  } catch (const UsageError& error) {
    throw UsageError(entry_label(index, parameter.name) + ": " + error.what());
  } catch (const std::invalid_argument& error) {
    throw UsageError(entry_label(index, parameter.name) + ": " + error.what());
  }
  return resolved;
}

void add_tensor_bytes(const std::string& label, std::uint64_t count, DType dtype, std::uint64_t& total_bytes) {
  if (count > (std::numeric_limits<std::uint64_t>::max() >> 4) ||
      total_bytes > (std::numeric_limits<std::uint64_t>::max() >> 2)) {
    throw UsageError(label + ": too large for a file");
  }
  total_bytes += count * dtype_size(dtype);
}

std::map<std::string, std::string> checkpoint_metadata(const ModelSpec& spec) {
  return {
      {"format", "pt"},
      {"nninit", "stream_version=" + std::to_string(stream_version)},
      {"nninit_version", version_string},
      {"seed", std::to_string(spec.seed)},
  };
}

}  // namespace nninit::cli
