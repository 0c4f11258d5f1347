// init_command.cpp — `nninit init SPEC.json -o OUT.safetensors`: every
// parameter of a model spec (model_spec.hpp) filled into one safetensors
// checkpoint, or this rank's shards of it.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "arguments.hpp"
#include "commands.hpp"
#include "initializers_by_name.hpp"
#include "model_spec.hpp"
#include "nninit/block_fill.hpp"
#include "nninit/fill.hpp"
#include "nninit/identity_like.hpp"
#include "nninit/orthogonal.hpp"
#include "nninit/sparse.hpp"
#include "nninit/stream.hpp"
#include "nninit/version.hpp"
#include "output_file.hpp"
#include "safetensors_writer.hpp"

namespace nninit::cli {
namespace {

constexpr const char* init_help =
    R"(usage: nninit init SPEC.json -o OUT.safetensors [options]

Fills every parameter of a model spec (JSON) into one safetensors checkpoint.
Each parameter's stream is Stream::named(seed, name) unless its entry gives
"stream", so every tensor equals 'nninit fill' of the same init, shape, seed
and stream, bit for bit, whatever the thread count or the sharding.

spec:
  {"seed": 42, "layout": "torch",
   "parameters": [{"name": "wte.weight", "shape": [50257, 768], "dtype": "bf16",
                   "init": "normal", "params": {"std": 0.02}, "shard_dim": 0}]}
  parameter keys: name, shape, init (required); dtype (f32 default, f64, bf16,
  f16); params (the --param of 'nninit fill'); shard_dim; stream (integer id or
  text as --stream reads it); layout (torch|keras; default the spec's, else the
  initializer's own)

options:
  -o, --output FILE         the checkpoint (.safetensors); appears complete or
                            not at all, as 'nninit fill' writes
  --rank R --world-size W   write only rank R's part: each parameter with a
                            shard_dim split along it as torch.chunk splits it
                            (parts of ceil(n / W), the last ones shorter),
                            those without one replicated. Fans always come
                            from the whole shape. Structured initializers
                            (orthogonal, eye, dirac, sparse, ...) with a
                            shard_dim are refused unless W is 1
  --threads T               threads (default: OpenMP's); never changes the output
  -q, --quiet               print nothing on success
  -h, --help                this text
)";

// Elements filled and written per step: memory stays at one buffer of this
// many elements for element-wise initializers, whatever the tensor's size.
constexpr std::uint64_t chunk_elements = std::uint64_t{1} << 22;

struct PlannedTensor {
  const ParameterSpec* parameter = nullptr;
  ResolvedInitializer initializer;
  TensorBlock block;  // the part of the whole tensor this file holds
  Stream stream;
};

std::vector<std::int64_t> block_shape(const TensorBlock& block) { return block.extent; }

// The sub-blocks of `block`, in its C order, each contiguous in the block
// and of at most chunk_elements elements (at least one row segment).
template <typename Visit>
void for_each_chunk(const TensorBlock& block, Visit visit) {
  const std::size_t rank = block.shape.size();
  if (rank == 0) {
    visit(block);
    return;
  }
  for (const std::int64_t e : block.extent) {
    if (e == 0) return;
  }
  // The first dimension p whose inner part (dims after p) fits in a chunk.
  std::size_t p = 0;
  for (;; ++p) {
    std::uint64_t inner = 1;
    for (std::size_t d = p + 1; d < rank; ++d) inner *= static_cast<std::uint64_t>(block.extent[d]);
    if (inner <= chunk_elements) {
      const auto step = static_cast<std::int64_t>(std::max<std::uint64_t>(1, chunk_elements / inner));
      std::vector<std::int64_t> outer(p, 0);  // indices in the dims before p, relative to start
      for (;;) {
        for (std::int64_t first = 0; first < block.extent[p]; first += step) {
          TensorBlock piece = block;
          for (std::size_t d = 0; d < p; ++d) {
            piece.start[d] = block.start[d] + outer[d];
            piece.extent[d] = 1;
          }
          piece.start[p] = block.start[p] + first;
          piece.extent[p] = std::min(step, block.extent[p] - first);
          visit(piece);
        }
        std::size_t d = p;
        while (d > 0 && ++outer[d - 1] == block.extent[d - 1]) outer[--d] = 0;
        if (d == 0) return;
      }
    }
  }
}

template <typename T>
std::vector<T> structured_values(const PlannedTensor& tensor, int threads) {
  const std::vector<std::int64_t>& shape = tensor.parameter->shape;
  const FillOptions whole{.offset = 0, .threads = threads};
  std::vector<T> values(static_cast<std::size_t>(block_element_count(tensor.block)));
  const std::span<T> out(values);
  const Stream& stream = tensor.stream;
  struct Filler {
    std::span<T> out;
    const std::vector<std::int64_t>& shape;
    const Stream& stream;
    FillOptions whole;
    void operator()(const Orthogonal& spec) const { fill_orthogonal(out, shape, spec, stream, whole); }
    void operator()(const EyeSpec&) const { fill_eye(out, shape); }
    void operator()(const IdentitySpec& spec) const { fill_identity(out, shape, spec.gain); }
    void operator()(const DiracSpec& spec) const { fill_dirac(out, shape, spec.groups); }
    void operator()(const DeltaOrthogonalSpec& spec) const {
      fill_delta_orthogonal(out, shape, spec.scale, spec.column_axis, stream, whole);
    }
    void operator()(const SparseSpec& spec) const { fill_sparse(out, shape, spec.sparsity, spec.std, stream, whole); }
  };
  std::visit(Filler{out, shape, stream, whole}, *tensor.initializer.structured);
  return values;
}

template <typename T>
void write_structured(SafetensorsWriter& writer, const PlannedTensor& tensor, int threads) {
  const std::vector<T> values = structured_values<T>(tensor, threads);
  writer.write(values.data(), values.size() * sizeof(T));
}

void write_tensor(SafetensorsWriter& writer, const PlannedTensor& tensor, int threads) {
  const DType dtype = tensor.parameter->dtype;
  if (tensor.initializer.is_structured()) {
    switch (dtype) {
      case DType::f32: return write_structured<float>(writer, tensor, threads);
      case DType::f64: return write_structured<double>(writer, tensor, threads);
      case DType::bf16: return write_structured<bfloat16>(writer, tensor, threads);
      case DType::f16: return write_structured<float16>(writer, tensor, threads);
    }
  }
  const std::size_t element_size = dtype_size(dtype);
  std::vector<std::uint64_t> buffer;
  for_each_chunk(tensor.block, [&](const TensorBlock& piece) {
    const auto count = static_cast<std::size_t>(block_element_count(piece));
    buffer.resize((count * element_size + 7) / 8);
    fill_block(buffer.data(), dtype, count, piece, tensor.initializer.distribution, tensor.stream,
               BlockFillOptions{.threads = threads});
    writer.write(buffer.data(), count * element_size);
  });
}

int parse_int_option(const ParsedArguments& arguments, const char* name, std::int64_t low, std::int64_t high) {
  const std::int64_t value = parse_int64(*arguments.value(name), std::string("--") + name);
  if (value < low || value > high) {
    throw UsageError(std::string("--") + name + ": " + std::to_string(value) + " is not in " + std::to_string(low) +
                     ".." + std::to_string(high));
  }
  return static_cast<int>(value);
}

}  // namespace

int init_command(int argc, char** argv, int first) {
  const std::vector<OptionSpec> specs = {
      {"output", ValueKind::single, "o"}, {"threads"}, {"rank"}, {"world-size"},
      {"quiet", ValueKind::none, "q"},    {"help", ValueKind::none, "h"},
  };
  const ParsedArguments arguments = parse_arguments(argc, argv, first, specs);
  if (arguments.has("help")) {
    std::fputs(init_help, stdout);
    return 0;
  }
  if (arguments.positionals.size() != 1) {
    throw UsageError(arguments.positionals.empty() ? "the spec file is required (nninit init SPEC.json -o OUT)"
                                                   : "unexpected argument '" + arguments.positionals[1] + "'");
  }
  if (!arguments.has("output")) throw UsageError("--output is required (-o OUT.safetensors)");
  const int threads = arguments.has("threads") ? parse_int_option(arguments, "threads", 0, 4096) : 0;
  if (arguments.has("rank") != arguments.has("world-size")) {
    throw UsageError("--rank and --world-size go together");
  }
  const int world_size =
      arguments.has("world-size") ? parse_int_option(arguments, "world-size", 1, 1 << 20) : 1;
  const int rank = arguments.has("rank") ? parse_int_option(arguments, "rank", 0, world_size - 1) : 0;

  const ModelSpec spec = read_model_spec(arguments.positionals.front());

  // Everything is resolved and checked before the output file exists.
  std::vector<PlannedTensor> plan;
  std::vector<SafetensorsTensor> tensors;
  std::uint64_t total_bytes = 0;
  for (std::size_t index = 0; index < spec.parameters.size(); ++index) {
    const ParameterSpec& parameter = spec.parameters[index];
    const std::string label = entry_label(index, parameter.name);
    PlannedTensor tensor;
    tensor.parameter = &parameter;
    tensor.stream = Stream{spec.seed, parameter.stream.id};
    try {
      InitializerRequest request;
      request.name = parameter.init;
      request.shape = parameter.shape;
      request.layout = parameter.layout;
      request.parameters = parameter.params;
      tensor.initializer = resolve_initializer(request, InitializerKinds::element_wise_and_structured);
      // The spec's layout applies to the element-wise initializers of entries without their own.
      if (!parameter.layout && spec.layout && !tensor.initializer.is_structured()) {
        request.layout = spec.layout;
        tensor.initializer = resolve_initializer(request, InitializerKinds::element_wise_and_structured);
      }
      if (tensor.initializer.is_structured() && parameter.shard_dim && world_size > 1) {
        throw UsageError("init '" + tensor.initializer.name +
                         "' is structured (its values depend on the whole tensor) and cannot be "
                         "split along shard_dim; remove shard_dim or use --world-size 1");
      }
      tensor.block = parameter.shard_dim ? shard_block(parameter.shape, *parameter.shard_dim, world_size, rank)
                                         : whole_tensor(parameter.shape);
      if (!tensor.initializer.is_structured()) {
        // A fill of no elements checks the distribution for this dtype.
        fill(nullptr, parameter.dtype, 0, tensor.initializer.distribution, tensor.stream, FillOptions{});
      }
    } catch (const UsageError& error) {
      throw UsageError(label + ": " + error.what());
    } catch (const std::invalid_argument& error) {
      throw UsageError(label + ": " + error.what());
    }
    const std::uint64_t count = block_element_count(tensor.block);
    const std::uint64_t bytes = count * dtype_size(parameter.dtype);
    if (count > (std::numeric_limits<std::uint64_t>::max() >> 4) ||
        total_bytes > (std::numeric_limits<std::uint64_t>::max() >> 2)) {
      throw UsageError(label + ": too large for a file");
    }
    total_bytes += bytes;
    tensors.push_back(SafetensorsTensor{parameter.name, parameter.dtype, block_shape(tensor.block)});
    plan.push_back(std::move(tensor));
  }

  std::map<std::string, std::string> metadata = {
      {"format", "pt"},  // what Hugging Face's loaders expect of a PyTorch-layout checkpoint
      {"nninit", "stream_version=" + std::to_string(stream_version)},
      {"nninit_version", version_string},
      {"seed", std::to_string(spec.seed)},
  };
  if (arguments.has("world-size")) {
    metadata["rank"] = std::to_string(rank);
    metadata["world_size"] = std::to_string(world_size);
  }

  const std::string output_path = *arguments.value("output");
  AtomicOutputFile output(output_path);
  SafetensorsWriter writer(output, tensors, metadata);
  for (const PlannedTensor& tensor : plan) write_tensor(writer, tensor, threads);
  writer.finish();
  output.commit();

  if (!arguments.has("quiet")) {
    std::fprintf(output.is_standard_output() ? stderr : stdout,
                 "wrote %s: %zu tensors, %" PRIu64 " bytes of data, seed %" PRIu64 "%s\n", output_path.c_str(),
                 plan.size(), total_bytes, spec.seed,
                 arguments.has("world-size")
                     ? (", rank " + std::to_string(rank) + " of " + std::to_string(world_size)).c_str()
                     : "");
  }
  return 0;
}

}  // namespace nninit::cli
