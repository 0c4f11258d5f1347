// fill_command.cpp — `nninit fill` and `nninit inits`.
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <span>
#include <variant>
#include <limits>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "commands.hpp"
#include "fill_dispatch.hpp"
#include "initializers_by_name.hpp"
#include "nninit/block_fill.hpp"
#include "nninit/dtype.hpp"
#include "nninit/fill.hpp"
#include "nninit/stream.hpp"
#include "npy.hpp"
#include "output_file.hpp"
#include "progress.hpp"

namespace nninit::cli {
namespace {

constexpr const char* fill_help =
    R"(usage: nninit fill --init NAME --shape D0,D1,... -o FILE.npy [options]

Fills a tensor from one of nninit's initializers or distributions and writes
it as a NumPy .npy file (format 1.0, little-endian, C order). Every value is a
pure function of (seed, stream id, element index, distribution, dtype); thread
count, SIMD target and slicing never change a bit.

required:
  --init NAME               initializer or distribution; 'nninit inits' lists
                            all of them with their parameters
  --shape D0,D1,...         shape of the (logical) tensor: decimal dimensions
                            separated by ',' ('' for a scalar); 'x' also
                            separates positive dimensions (256x784). It also
                            gives the fans of fan-based initializers
  -o, --output FILE.npy     output file. A regular file appears complete or
                            not at all (an unnamed file linked into place, or a
                            temporary .FILE.npy.tmp-XXXXXX renamed over it) and
                            keeps the permissions of the one it replaces; a
                            symbolic link's target is replaced, the link kept;
                            FIFOs and character devices (/dev/stdout, a pipe,
                            /dev/null) are written into, never replaced; other
                            kinds of file are refused

options:
  --layout torch|keras      how the shape is ordered for the fans: torch
                            [out, in, k...] or keras [k..., in, out]; default:
                            keras for keras.* and jax.* initializers, torch
                            for the others. Structured initializers
                            (orthogonal, eye, dirac, ...) read the shape in
                            their framework's convention and take no --layout
  --param KEY=VALUE ...     initializer parameters, e.g. --param nonlinearity=relu
                            mode=fan_out (repeatable; several KEY=VALUE words may
                            follow one --param)
  --seed S                  64-bit seed, decimal or 0x hex (default 0)
  --stream NAME_OR_ID       an integer (decimal or 0x hex, below 2^64) is the
                            stream id; any other text is a parameter name,
                            hashed with nninit::stream_id_from_name; 'id:N' and
                            'name:TEXT' force either reading (default: id 0)
  --dtype f32|f64|bf16|f16  element type (default f32). numpy has no bfloat16:
                            bf16 is stored as '<u2' holding the raw bits; decode
                            with (a.astype(np.uint32) << 16).view(np.float32)
  --offset K                first element (flat, C order) to write (default 0)
  --count N                 number of elements to write (default: to the end).
                            With --offset or --count the file holds the 1-D
                            slice [K, K+N) of the flattened tensor, equal bit for
                            bit to that part of the whole fill
  --threads T               threads (default: OpenMP's); never changes the output
  --no-progress             no progress line (shown on stderr only when it
                            is a terminal, TERM is not dumb and the fill has
                            more than 4194304 elements)
  -q, --quiet               print nothing on success
  -h, --help                this text

examples:
  nninit fill --init torch.kaiming_uniform --param nonlinearity=relu \
      --shape 256,784 --seed 42 --stream fc1.weight -o fc1.npy
  nninit fill --init normal --param std=0.02 --shape 50257,768 --dtype bf16 \
      --stream transformer.wte.weight -o wte.npy
  nninit fill --init keras.he_normal --shape 3,3,64,128 -o conv.npy
  nninit fill --init torch.orthogonal --param gain=1.41421356 --shape 512,512 \
      --stream rnn.weight_hh -o whh.npy
  nninit fill --init uniform --param low=-1 high=1 --shape 1000000 \
      --offset 250000 --count 250000 -o shard1.npy
)";

constexpr const char* inits_help =
    R"(usage: nninit inits

Lists every name 'nninit fill --init' accepts ('nninit validate --init' takes
the element-wise ones), with its aliases, its parameters (--param KEY=VALUE)
and their defaults. Names carry their framework: torch.*, keras.* (Keras's
class names such as keras.HeNormal are aliases), jax.*; nninit's own
distributions have none. An unprefixed name resolves when every framework
that has it means the same (he_normal = keras.he_normal = jax.he_normal, eye =
torch.eye); when they differ (orthogonal, kaiming_normal, xavier_uniform) it
is an error listing the candidates. PyTorch's trailing underscore means
PyTorch's (kaiming_uniform_ = torch.kaiming_uniform).
)";

std::string stream_description(const StreamChoice& stream) {
  char id[32];
  std::snprintf(id, sizeof id, "0x%016" PRIx64, stream.id);
  if (stream.name) return "'" + *stream.name + "' (id " + id + ")";
  return std::string("id ") + std::to_string(stream.id);
}

// A fan-based initializer's formula can overflow or underflow on extreme but
// finite parameters (a=1e200: 1 + a^2 is inf, the gain 0), which would
// silently fill zeros: refuse a standard deviation that is not a positive
// normal double, unless a gain or scale of 0 was asked for.
void reject_degenerate_formula(const ResolvedInitializer& initializer, const InitializerRequest& request) {
  if (!initializer.fans) return;
  const double spread = distribution_stddev(initializer.distribution);
  if (std::isfinite(spread) && spread >= std::numeric_limits<double>::min()) return;
  std::string parameters;
  for (const auto& [key, value] : request.parameters) {
    if ((key == "gain" || key == "scale") && std::strtod(value.c_str(), nullptr) == 0.0) return;
    parameters += " " + key + "=" + value;
  }
  throw UsageError("--init " + initializer.name + (parameters.empty() ? "" : " --param" + parameters) +
                   ": the formula gives a standard deviation of " + format_double(spread) +
                   " (an intermediate result overflowed or underflowed); a parameter is out of range");
}

}  // namespace

int fill_command(int argc, char** argv, int first) {
  const std::vector<OptionSpec> specs = {
      {"init"},
      {"shape"},
      {"output", ValueKind::single, "o"},
      {"layout"},
      {"param", ValueKind::multiple},
      {"seed"},
      {"stream"},
      {"dtype"},
      {"offset"},
      {"count"},
      {"threads"},
      {"no-progress", ValueKind::none},
      {"quiet", ValueKind::none, "q"},
      {"help", ValueKind::none, "h"},
  };
  const ParsedArguments arguments = parse_arguments(argc, argv, first, specs);
  if (arguments.has("help")) {
    std::fputs(fill_help, stdout);
    return 0;
  }
  if (!arguments.positionals.empty()) {
    throw UsageError("unexpected argument '" + arguments.positionals.front() +
                     "' (the output file goes after -o)");
  }
  for (const char* required : {"init", "shape", "output"}) {
    if (!arguments.has(required)) {
      throw UsageError(std::string("--") + required + " is required" +
                       (std::string(required) == "output" ? " (-o FILE.npy)" : ""));
    }
  }

  InitializerRequest request;
  request.name = *arguments.value("init");
  request.shape = parse_shape(*arguments.value("shape"), "--shape");
  if (const auto layout = arguments.value("layout")) request.layout = parse_layout(*layout, "--layout");
  for (const std::string& pair : arguments.values("param")) {
    request.parameters.push_back(parse_key_value(pair, "--param"));
  }

  std::uint64_t total = 1;
  for (const std::int64_t dimension : request.shape) {
    const auto d = static_cast<std::uint64_t>(dimension);
    if (d != 0 && total > std::numeric_limits<std::uint64_t>::max() / d) {
      throw UsageError("--shape " + format_shape(request.shape) + ": more than 2^64 elements");
    }
    total *= d;
  }

  const std::uint64_t seed = arguments.has("seed") ? parse_uint64(*arguments.value("seed"), "--seed") : 0;
  const StreamChoice stream_choice =
      arguments.has("stream") ? parse_stream(*arguments.value("stream")) : StreamChoice{};
  const DType dtype = arguments.has("dtype") ? [&] {
    try {
      return parse_dtype(*arguments.value("dtype"));
    } catch (const std::invalid_argument&) {
      throw UsageError("--dtype: '" + *arguments.value("dtype") + "' is not f32, f64, bf16 or f16");
    }
  }() : DType::f32;

  const bool sliced = arguments.has("offset") || arguments.has("count");
  const std::uint64_t offset =
      arguments.has("offset") ? parse_uint64(*arguments.value("offset"), "--offset") : 0;
  if (offset > total) {
    throw UsageError("--offset " + std::to_string(offset) + " is beyond the " + std::to_string(total) +
                     " elements of shape " + format_shape(request.shape));
  }
  const std::uint64_t count =
      arguments.has("count") ? parse_uint64(*arguments.value("count"), "--count") : total - offset;
  if (count > total - offset) {
    throw UsageError("--offset " + std::to_string(offset) + " --count " + std::to_string(count) +
                     " reaches past the " + std::to_string(total) + " elements of shape " +
                     format_shape(request.shape));
  }
  // The file's size must fit in off_t (and its header's shape in int64).
  const std::size_t element_size = dtype_size(dtype);
  constexpr std::uint64_t max_file_bytes = std::numeric_limits<std::int64_t>::max() - 4096;
  if (count > max_file_bytes / element_size) {
    std::string given = arguments.has("count") ? "--count " + std::to_string(count)
                                               : "--shape " + format_shape(request.shape);
    if (!arguments.has("count") && offset != 0) given += " from --offset " + std::to_string(offset);
    throw UsageError(given + ": " + std::to_string(count) + " elements of " + std::string(dtype_name(dtype)) +
                     " are more than a file can hold (2^63 bytes)");
  }
  int threads = 0;
  if (arguments.has("threads")) {
    const std::int64_t requested = parse_int64(*arguments.value("threads"), "--threads");
    if (requested < 0 || requested > 4096) {
      throw UsageError("--threads: " + std::to_string(requested) +
                       " is not in 0..4096 (0: OpenMP's default)");
    }
    threads = static_cast<int>(requested);
  }

  const ResolvedInitializer initializer =
      resolve_initializer(request, InitializerKinds::element_wise_and_structured);
  const Stream stream{seed, stream_choice.id};
  // The values, chunk by chunk: a 1-D block of the flattened tensor, or
  // (structured) computed here, before the output file exists, so that a
  // shape or value the library rejects leaves nothing behind.
  ChunkedFill values = [&] {
    if (!initializer.is_structured()) {
      return ChunkedFill::block(dtype, initializer.distribution,
                                TensorBlock{{static_cast<std::int64_t>(total)},
                                            {static_cast<std::int64_t>(offset)},
                                            {static_cast<std::int64_t>(count)}},
                                stream, threads);
    }
    try {
      return ChunkedFill::bytes(
          structured_bytes(dtype, *initializer.structured, request.shape, offset, count, stream, threads));
    } catch (const std::invalid_argument& error) {  // the library names the parameter and value
      throw UsageError("--init " + initializer.name + " --shape " + format_shape(request.shape) + ": " +
                       error.what());
    }
  }();
  if (!initializer.is_structured()) {
    reject_degenerate_formula(initializer, request);
    // A fill of no elements validates the distribution for this dtype (bounds
    // beyond its range, windows with no value, ...) before any file exists.
    try {
      fill(nullptr, dtype, 0, initializer.distribution, stream, FillOptions{.offset = offset, .threads = threads});
    } catch (const std::invalid_argument& error) {
      throw UsageError("--init " + initializer.name + " --dtype " + std::string(dtype_name(dtype)) + ": " +
                       error.what());
    }
  }

  const std::vector<std::int64_t> file_shape =
      sliced ? std::vector<std::int64_t>{static_cast<std::int64_t>(count)} : request.shape;
  const std::string output_path = *arguments.value("output");
  AtomicOutputFile output(output_path);
  const std::string header = npy_header(dtype, file_shape, nninit_provenance());
  output.write(header.data(), header.size());

  // Memory stays at one chunk; each chunk is a slice of the same logical
  // fill. A fill of more than one chunk shows its progress on a terminal.
  TerminalProgress progress("nninit fill " + output_path,
                            !arguments.has("no-progress") && count > ChunkedFill::chunk_elements);
  std::uint64_t written = 0;
  for (auto bytes = values.next(); !bytes.empty(); bytes = values.next()) {
    progress.update_bytes("filling", written, values.total_bytes());
    output.write(bytes.data(), bytes.size());
    written += bytes.size();
  }
  progress.update_bytes("filling", written, values.total_bytes());
  output.commit();
  progress.finish();

  if (!arguments.has("quiet")) {
    std::string fans;
    if (initializer.fans) {
      fans = ", fan_in " + format_double(initializer.fans->fan_in) + " fan_out " +
             format_double(initializer.fans->fan_out);
    }
    std::string slice;
    if (sliced) {
      slice = " elements [" + std::to_string(offset) + ", " + std::to_string(offset + count) + ") of " +
              format_shape(request.shape);
    }
    // With -o /dev/stdout the report goes to stderr, after the data.
    std::fprintf(output.is_standard_output() ? stderr : stdout,
                 "wrote %s: %s %s%s, %s = %s%s, seed %" PRIu64 ", stream %s\n", output_path.c_str(),
                 std::string(dtype_name(dtype)).c_str(), format_shape(file_shape).c_str(), slice.c_str(),
                 initializer.name.c_str(),
                 (initializer.is_structured() ? describe_structured(*initializer.structured)
                                              : describe(initializer.distribution))
                     .c_str(),
                 fans.c_str(), seed,
                 stream_description(stream_choice).c_str());
  }
  return 0;
}

int inits_command(int argc, char** argv, int first) {
  const ParsedArguments arguments = parse_arguments(argc, argv, first, {{"help", ValueKind::none, "h"}});
  if (arguments.has("help")) {
    std::fputs(inits_help, stdout);
    return 0;
  }
  if (!arguments.positionals.empty())
    throw UsageError("unexpected argument '" + arguments.positionals.front() + "'");
  for (const InitializerDoc& doc : initializer_catalogue()) {
    std::printf("%-28s %s%s\n", std::string(doc.name).c_str(), std::string(doc.summary).c_str(),
                doc.structured ? " [structured]" : "");
    if (!doc.aliases.empty()) {
      std::string aliases;
      for (const std::string_view alias : doc.aliases) aliases += (aliases.empty() ? "" : ", ") + std::string(alias);
      std::printf("%-30s %-14s %s\n", "", "(aliases)", aliases.c_str());
    }
    for (const ParameterDoc& parameter : doc.parameters) {
      std::printf("%-30s %-14s %s\n", "", std::string(parameter.name).c_str(),
                  std::string(parameter.meaning).c_str());
    }
    if (doc.uses_fans) std::printf("%-30s %-14s %s\n", "", "(fans)", "from --shape and --layout; see below");
  }
  std::printf("\n[structured]: the values depend on the whole tensor (orthogonal, eye, ...); the shape is read\n"
              "in the framework's convention; 'nninit validate' does not take them.\n");
  std::printf("\nfan parameters of the fan-based initializers (marked (fans)):\n");
  for (const ParameterDoc& parameter : fan_parameter_docs()) {
    std::printf("  %-14s %s\n", std::string(parameter.name).c_str(), std::string(parameter.meaning).c_str());
  }
  return 0;
}

}  // namespace nninit::cli
