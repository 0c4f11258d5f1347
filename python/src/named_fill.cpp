// named_fill.cpp — distributions and named initializers into a FillTarget.
#include "named_fill.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <variant>

#include "arguments.hpp"
#include "nninit/fill.hpp"
#include "nninit/identity_like.hpp"
#include "nninit/orthogonal.hpp"
#include "nninit/sparse.hpp"
#include "python_values.hpp"

namespace nninit::python {
namespace {

std::uint64_t element_count(const std::vector<std::int64_t>& shape) {
  std::uint64_t total = 1;
  for (const std::int64_t dimension : shape) {
    if (dimension < 0) throw py::value_error("shape has a negative dimension (" + std::to_string(dimension) + ")");
    const auto d = static_cast<std::uint64_t>(dimension);
    if (d != 0 && total > std::numeric_limits<std::uint64_t>::max() / d) {
      throw py::value_error("shape " + cli::format_shape(shape) + " has 2**64 elements or more");
    }
    total *= d;
  }
  return total;
}

template <typename T>
void fill_structured_as(std::span<T> out, const std::vector<std::int64_t>& shape,
                        const StructuredInitializer& initializer, std::uint64_t offset, const Stream& stream,
                        int threads) {
  const FillOptions whole{.offset = 0, .threads = threads};
  struct Filler {
    std::span<T> out;
    const std::vector<std::int64_t>& shape;
    std::uint64_t offset;
    const Stream& stream;
    FillOptions whole;
    void operator()(const Orthogonal& spec) const { fill_orthogonal(out, shape, spec, stream, whole); }
    void operator()(const Eye&) const { fill_eye(out, shape); }
    void operator()(const Identity& spec) const { fill_identity(out, shape, spec.gain); }
    void operator()(const Dirac& spec) const { fill_dirac(out, shape, spec.groups); }
    void operator()(const DeltaOrthogonal& spec) const {
      fill_delta_orthogonal(out, shape, spec.scale, spec.column_axis, stream, whole);
    }
    void operator()(const Sparse& spec) const {
      fill_sparse(out, shape, spec.sparsity, spec.std, stream, FillOptions{.offset = offset, .threads = whole.threads});
    }
  };
  std::visit(Filler{out, shape, offset, stream, whole}, initializer);
}

// A structured fill of the target: in place when the target is the whole
// tensor (or the initializer fills blocks: sparse); otherwise the whole
// tensor in a scratch buffer, then the target's part copied.
template <typename T>
void fill_structured(const FillTarget& target, const cli::ResolvedInitializer& initializer,
                     const std::vector<std::int64_t>& shape, const Stream& stream, const FillPlacement& placement) {
  const std::uint64_t total = element_count(shape);
  const bool blocks = std::holds_alternative<Sparse>(*initializer.structured);
  std::span<T> out(static_cast<T*>(target.data), target.count);
  if (blocks || (placement.offset == 0 && target.count == total)) {
    fill_structured_as(out, shape, *initializer.structured, placement.offset, stream, placement.threads);
    return;
  }
  std::vector<T> whole(static_cast<std::size_t>(total));
  fill_structured_as(std::span<T>(whole), shape, *initializer.structured, 0, stream, placement.threads);
  if (target.count != 0) {
    std::memcpy(target.data, whole.data() + placement.offset, target.count * sizeof(T));
  }
}

// The CLI's refusal of a formula that overflowed or underflowed to a
// standard deviation that is not a positive normal double.
void reject_degenerate_formula(const cli::ResolvedInitializer& initializer,
                               const std::vector<std::pair<std::string, std::string>>& parameters) {
  if (!initializer.fans) return;
  const double spread = distribution_stddev(initializer.distribution);
  if (std::isfinite(spread) && spread >= std::numeric_limits<double>::min()) return;
  for (const auto& [key, value] : parameters) {
    if ((key == "gain" || key == "scale") && std::strtod(value.c_str(), nullptr) == 0.0) return;
  }
  throw py::value_error(initializer.name + ": the formula gives a standard deviation of " +
                        cli::format_double(spread) +
                        " (an intermediate result overflowed or underflowed); a parameter is out of range");
}

}  // namespace

void fill_distribution(const FillTarget& target, const Distribution& distribution, const Stream& stream,
                       const FillPlacement& placement) {
  const FillOptions options{.offset = placement.offset, .threads = placement.threads};
  try {
    py::gil_scoped_release unlocked;
    fill(target.data, target.dtype, target.count, distribution, stream, options);
  } catch (const std::invalid_argument& error) {
    throw py::value_error(error.what());
  }
}

cli::ResolvedInitializer resolve_named(const std::string& name, const std::vector<std::int64_t>& shape,
                                       std::optional<Layout> layout,
                                       std::vector<std::pair<std::string, std::string>> parameters,
                                       cli::InitializerKinds kinds) {
  // Resolving a name costs about as much as a small fill; the answer depends
  // only on the request, so the last ones are kept (with the GIL held, so no
  // lock is needed). Only successes are kept: errors are raised every time.
  static std::unordered_map<std::string, cli::ResolvedInitializer> cache;
  std::string key = name;
  key += '\0';
  key += layout ? (*layout == Layout::torch ? 't' : 'k') : '-';
  key += kinds == cli::InitializerKinds::element_wise ? 'e' : 's';
  for (const std::int64_t dimension : shape) key += "," + std::to_string(dimension);
  for (const auto& [parameter, value] : parameters) key += '\0' + parameter + '=' + value;
  if (const auto found = cache.find(key); found != cache.end()) return found->second;
  cli::InitializerRequest request{name, shape, layout, std::move(parameters)};
  try {
    cli::ResolvedInitializer resolved = cli::resolve_initializer(request, kinds);
    if (!resolved.is_structured()) reject_degenerate_formula(resolved, request.parameters);
    if (cache.size() >= 4096) cache.clear();
    cache.emplace(std::move(key), resolved);
    return resolved;
  } catch (const cli::UsageError& error) {
    throw py::value_error(python_wording(error.what()));
  } catch (const std::invalid_argument& error) {
    throw py::value_error(python_wording(error.what()));
  }
}

void fill_resolved(const FillTarget& target, const cli::ResolvedInitializer& initializer,
                   const std::vector<std::int64_t>& shape, const Stream& stream, const FillPlacement& placement) {
  const std::uint64_t total = element_count(shape);
  if (placement.offset > total || target.count > total - placement.offset) {
    throw py::value_error("offset " + std::to_string(placement.offset) + " + " + std::to_string(target.count) +
                          " elements reach past the " + std::to_string(total) + " elements of shape " +
                          cli::format_shape(shape));
  }
  if (!initializer.is_structured()) {
    fill_distribution(target, initializer.distribution, stream, placement);
    return;
  }
  try {
    py::gil_scoped_release unlocked;
    switch (target.dtype) {
      case DType::f32: fill_structured<float>(target, initializer, shape, stream, placement); break;
      case DType::f64: fill_structured<double>(target, initializer, shape, stream, placement); break;
      case DType::bf16: fill_structured<bfloat16>(target, initializer, shape, stream, placement); break;
      case DType::f16: fill_structured<float16>(target, initializer, shape, stream, placement); break;
    }
  } catch (const std::invalid_argument& error) {
    throw py::value_error(initializer.name + " for shape " + cli::format_shape(shape) + ": " + error.what());
  }
}

}  // namespace nninit::python
