// init_command.cpp — `nninit init SPEC.json -o OUT.safetensors|OUT.npz`:
// every parameter of a model spec (model_spec.hpp) filled into one
// checkpoint (safetensors or NumPy .npz), or this rank's shards of it.
#include <sys/stat.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "arguments.hpp"
#include "commands.hpp"
#include "initializers_by_name.hpp"
#include "model_spec.hpp"
#include "fill_dispatch.hpp"
#include "nninit/block_fill.hpp"
#include "nninit/fill.hpp"
#include "nninit/stream.hpp"
#include "npz_writer.hpp"
#include "output_file.hpp"
#include "progress.hpp"
#include "safetensors_writer.hpp"
#include "spec_resolution.hpp"

namespace nninit::cli {
namespace {

constexpr const char* init_help =
    R"(usage: nninit init SPEC.json -o OUT.safetensors|OUT.npz [options]

Fills every parameter of a model spec (JSON) into one checkpoint: safetensors
(.safetensors) or NumPy (.npz: one NAME.npy per tensor, stored uncompressed;
bf16 as '<u2' raw bits, as 'nninit fill' writes it), chosen by the extension
or --format.
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
  -o, --output FILE         the checkpoint (.safetensors or .npz); appears
                            complete or not at all, as 'nninit fill' writes.
                            An .npz is built in place (its own size on disk);
                            into a pipe or device it is built in an unnamed
                            scratch file in $TMPDIR and copied in
  --format safetensors|npz  the format, whatever the extension (default: from
                            it; a pipe or device without one: safetensors)
  --rank R --world-size W   write only rank R's part: each parameter with a
                            shard_dim split along it as torch.chunk splits it
                            (parts of ceil(n / W), the last ones shorter),
                            those without one replicated. Fans always come
                            from the whole shape. A structured initializer's
                            shard is that block of its whole tensor
                            (orthogonal: computed whole on every rank)
  --threads T               threads (default: OpenMP's); never changes the output
  --no-progress             no progress line (tensor i/N, name, bytes, rate;
                            shown on stderr only when it is a terminal whose
                            TERM is not dumb)
  -q, --quiet               print nothing on success
  -h, --help                this text
)";

struct PlannedTensor {
  const ParameterSpec* parameter = nullptr;
  ResolvedInitializer initializer;
  TensorBlock block;  // the part of the whole tensor this file holds
  Stream stream;
};

// The values of the planned tensor `index`, a chunk at a time (structured
// ones computed whole, here). An error names the entry.
ChunkedFill values_of(const std::vector<PlannedTensor>& plan, std::size_t index, int threads) {
  const PlannedTensor& tensor = plan[index];
  try {
    return ChunkedFill::of(tensor.parameter->dtype, tensor.initializer, tensor.block, tensor.stream, threads);
  } catch (const UsageError& error) {
    throw UsageError(entry_label(index, tensor.parameter->name) + ": " + error.what());
  } catch (const std::invalid_argument& error) {
    throw UsageError(entry_label(index, tensor.parameter->name) + ": " + error.what());
  }
}

enum class CheckpointFormat { safetensors, npz };

// The format: --format when given, else the output's extension; a FIFO or
// character device without one (a pipe, /dev/stdout, /dev/null) gets
// safetensors, the format that streams.
CheckpointFormat format_of(const std::string& path, const std::optional<std::string>& given) {
  if (given) {
    if (*given == "safetensors") return CheckpointFormat::safetensors;
    if (*given == "npz") return CheckpointFormat::npz;
    throw UsageError("--format: '" + *given + "' is not safetensors or npz");
  }
  const auto ends_with = [&](const std::string& suffix) {
    return path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".safetensors")) return CheckpointFormat::safetensors;
  if (ends_with(".npz")) return CheckpointFormat::npz;
  const std::size_t slash = path.rfind('/');
  const std::size_t dot = path.rfind('.');
  const std::string extension =
      dot == std::string::npos || (slash != std::string::npos && dot < slash) ? "" : path.substr(dot);
  struct stat status {};
  if (extension.empty() && stat(path.c_str(), &status) == 0 && (S_ISFIFO(status.st_mode) || S_ISCHR(status.st_mode))) {
    return CheckpointFormat::safetensors;
  }
  throw UsageError("--output " + path + ": " +
                   (extension.empty() ? std::string("no extension") : "unknown extension '" + extension + "'") +
                   " (the checkpoint's format comes from it: .safetensors or .npz; or give --format)");
}

// Draws "[i/N] NAME" and the bytes of the whole checkpoint written so far.
class InitProgress {
 public:
  InitProgress(const std::string& output_path, bool wanted, const std::vector<PlannedTensor>& plan,
               std::uint64_t total_bytes)
      : line_("nninit init " + output_path, wanted), plan_(plan), total_bytes_(total_bytes) {}

  // `bytes` of tensor `index` are written (each tensor's bytes reported in order).
  void tensor_bytes(std::size_t index, std::uint64_t bytes) {
    if (!line_.shown()) return;
    if (index != index_) {
      before_ += bytes_of_index_;
      index_ = index;
      bytes_of_index_ = 0;
    }
    bytes_of_index_ = bytes;
    line_.update_bytes("[" + std::to_string(index + 1) + "/" + std::to_string(plan_.size()) + "] " +
                           plan_[index].parameter->name,
                       before_ + bytes, total_bytes_);
  }
  void finish() { line_.finish(); }

 private:
  TerminalProgress line_;
  const std::vector<PlannedTensor>& plan_;
  std::uint64_t total_bytes_;
  std::size_t index_ = 0;
  std::uint64_t before_ = 0;         // bytes of the tensors before index_
  std::uint64_t bytes_of_index_ = 0;
};

void write_safetensors(AtomicOutputFile& output, const std::vector<PlannedTensor>& plan,
                       const std::map<std::string, std::string>& metadata, int threads, InitProgress& progress) {
  std::vector<SafetensorsEntry> tensors;
  for (const PlannedTensor& tensor : plan) {
    tensors.push_back(SafetensorsEntry{tensor.parameter->name, tensor.parameter->dtype, tensor.block.extent});
  }
  SafetensorsWriter writer(output, tensors, metadata);
  for (std::size_t index = 0; index < plan.size(); ++index) {
    ChunkedFill values = values_of(plan, index, threads);
    std::uint64_t written = 0;
    progress.tensor_bytes(index, 0);
    for (auto bytes = values.next(); !bytes.empty(); bytes = values.next()) {
      writer.write(bytes.data(), bytes.size());
      written += bytes.size();
      progress.tensor_bytes(index, written);
    }
  }
  writer.finish();
}

void write_npz_checkpoint(AtomicOutputFile& output, const std::string& output_path,
                          const std::vector<PlannedTensor>& plan, const std::map<std::string, std::string>& metadata,
                          int threads, InitProgress& progress) {
  std::vector<NpzMember> members;
  for (const PlannedTensor& tensor : plan) {
    members.push_back(NpzMember{tensor.parameter->name, tensor.parameter->dtype, tensor.block.extent});
  }
  std::string comment;  // the safetensors metadata, as "key=value" words
  for (const auto& [key, value] : metadata) comment += (comment.empty() ? "" : " ") + key + "=" + value;
  write_npz(
      output, output_path, members, [&](std::size_t index) {
        progress.tensor_bytes(index, 0);
        return values_of(plan, index, threads);
      },
      [&](std::size_t index, std::uint64_t bytes) { progress.tensor_bytes(index, bytes); }, comment);
}


}  // namespace

int init_command(int argc, char** argv, int first) {
  const std::vector<OptionSpec> specs = {
      {"output", ValueKind::single, "o"}, {"threads"}, {"rank"}, {"world-size"},
      {"format"},                         {"no-progress", ValueKind::none},
      {"quiet", ValueKind::none, "q"},
      {"help", ValueKind::none, "h"},
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
  if (!arguments.has("output")) throw UsageError("--output is required (-o OUT.safetensors or -o OUT.npz)");
  const CheckpointFormat format = format_of(*arguments.value("output"), arguments.value("format"));
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
  std::uint64_t total_bytes = 0;
  for (std::size_t index = 0; index < spec.parameters.size(); ++index) {
    const ParameterSpec& parameter = spec.parameters[index];
    const std::string label = entry_label(index, parameter.name);
    ResolvedParameter resolved = resolve_parameter(spec, index);
    PlannedTensor tensor;
    tensor.parameter = &parameter;
    tensor.stream = resolved.stream;
    tensor.initializer = std::move(resolved.initializer);
    try {
      tensor.block = parameter.shard_dim ? shard_block(parameter.shape, *parameter.shard_dim, world_size, rank)
                                         : whole_tensor(parameter.shape);
    } catch (const UsageError& error) {
      throw UsageError(label + ": " + error.what());
    } catch (const std::invalid_argument& error) {
      throw UsageError(label + ": " + error.what());
    }
    add_tensor_bytes(label, block_element_count(tensor.block), parameter.dtype, total_bytes);
    plan.push_back(std::move(tensor));
  }

  std::map<std::string, std::string> metadata = checkpoint_metadata(spec);
  if (arguments.has("world-size")) {
    metadata["rank"] = std::to_string(rank);
    metadata["world_size"] = std::to_string(world_size);
  }

  const std::string output_path = *arguments.value("output");
  AtomicOutputFile output(output_path);
  InitProgress progress(output_path, !arguments.has("no-progress"), plan, total_bytes);
  if (format == CheckpointFormat::safetensors) {
    write_safetensors(output, plan, metadata, threads, progress);
  } else {
    write_npz_checkpoint(output, output_path, plan, metadata, threads, progress);
  }
  output.commit();
  progress.finish();

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
