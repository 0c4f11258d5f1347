// spec_plan.cpp — resolving a model spec as `nninit init` does.
#include "spec_plan.hpp"

#include <cstring>
#include <limits>
#include <span>
#include <stdexcept>
#include <variant>

#include "nninit/block_fill.hpp"
#include "nninit/fill.hpp"
#include "nninit/identity_like.hpp"
#include "nninit/orthogonal.hpp"
#include "nninit/sparse.hpp"
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

namespace {

template <typename T>
void fill_structured_as(std::span<T> out, const PlannedParameter& planned, int threads) {
  const std::vector<std::int64_t>& shape = planned.parameter->shape;
  const FillOptions whole{.offset = 0, .threads = threads};
  const Stream& stream = planned.stream;
  struct Filler {
    std::span<T> out;
    const std::vector<std::int64_t>& shape;
    const Stream& stream;
    FillOptions whole;
    void operator()(const Orthogonal& spec) const { fill_orthogonal(out, shape, spec, stream, whole); }
    void operator()(const cli::EyeSpec&) const { fill_eye(out, shape); }
    void operator()(const cli::IdentitySpec& spec) const { fill_identity(out, shape, spec.gain); }
    void operator()(const cli::DiracSpec& spec) const { fill_dirac(out, shape, spec.groups); }
    void operator()(const cli::DeltaOrthogonalSpec& spec) const {
      fill_delta_orthogonal(out, shape, spec.scale, spec.column_axis, stream, whole);
    }
    void operator()(const cli::SparseSpec& spec) const {
      fill_sparse(out, shape, spec.sparsity, spec.std, stream, whole);
    }
  };
  std::visit(Filler{out, shape, stream, whole}, *planned.initializer.structured);
}

template <typename T>
void fill_structured_typed(void* out, std::size_t bytes, const PlannedParameter& planned, int threads) {
  if (bytes % sizeof(T) != 0) throw std::logic_error("fill_structured: size is not a whole number of elements");
  fill_structured_as(std::span<T>(static_cast<T*>(out), bytes / sizeof(T)), planned, threads);
}

}  // namespace

void fill_structured(void* out, std::size_t bytes, const PlannedParameter& planned, int threads) {
  if (!planned.initializer.is_structured()) throw std::logic_error("fill_structured: not a structured initializer");
  const std::uint64_t count = block_element_count(whole_tensor(planned.parameter->shape));
  if (bytes != count * dtype_size(planned.parameter->dtype)) throw std::logic_error("fill_structured: wrong size");
  switch (planned.parameter->dtype) {
    case DType::f32: return fill_structured_typed<float>(out, bytes, planned, threads);
    case DType::f64: return fill_structured_typed<double>(out, bytes, planned, threads);
    case DType::bf16: return fill_structured_typed<bfloat16>(out, bytes, planned, threads);
    case DType::f16: return fill_structured_typed<float16>(out, bytes, planned, threads);
  }
  throw std::logic_error("fill_structured: unknown dtype");
}

}  // namespace nninit::mpi
