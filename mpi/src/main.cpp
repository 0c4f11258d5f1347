// main.cpp — nninit-mpi, the collective nninit: run under mpirun, every rank
// fills its part of a model and all write one checkpoint with MPI-IO.
#include <mpi.h>

#include <cinttypes>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "arguments.hpp"
#include "collective_init.hpp"
#include "collective_validate.hpp"
#include "nninit/stream.hpp"
#include "nninit/version.hpp"

namespace {

constexpr const char* usage_text =
    R"(usage: mpirun -np N nninit-mpi <command> [options]

The collective nninit: N ranks (processes, on one or many machines) produce
one file together, byte-identical to what the single-process 'nninit'
writes, whatever N.

commands:
  init       fill every parameter of a model spec (JSON) into one .safetensors file
  validate   check every tensor of such a file against its spec, the ranks
             reading and testing parts of every tensor together

  nninit-mpi --version    print the version and the stream version

Exit status: 0 success (validate: every tensor passed); 1 validate: a tensor
failed; 2 on any failure of any rank (bad arguments or spec,
unwritable output, out of memory, I/O errors), reported once, by rank 0,
with the failing rank's message.
)";

constexpr const char* init_help =
    R"(usage: mpirun -np N nninit-mpi init SPEC.json -o OUT.safetensors [options]

Fills every parameter of a model spec (the format of 'nninit init') into one
safetensors file written by all ranks with MPI-IO; the file is byte for byte
the one 'nninit init SPEC.json -o OUT.safetensors' writes, for any N.
Parameters with a shard_dim are split along it (torch.chunk's parts, one per
rank); the others are given whole to ranks, balancing the bytes. The spec is
read and checked on every rank before anything is created.

options:
  -o, --output FILE   the checkpoint, on a file system every rank can reach;
                      written under a temporary name beside it and renamed
                      when complete: no partial file under FILE on any failure
  --threads T         threads per rank (default: OpenMP's); never changes the output
  --batch-bytes B     bytes each rank fills and writes per collective round
                      (default 16777216); never changes the output
  --timing            print the time shares (fill, write, MPI) and rates
  -q, --quiet         print nothing on success
  -h, --help          this text
)";

constexpr const char* validate_help =
    R"(usage: mpirun -np N nninit-mpi validate CHECKPOINT.safetensors --spec SPEC.json [options]

Checks every tensor of a whole checkpoint (as 'nninit-mpi init' or 'nninit
init' writes it) against its spec entry, all ranks together. Each element-wise
tensor is cut into blocks of 2^20 values, given to the ranks in contiguous
runs and read with MPI-IO; each rank tallies its blocks and rank 0 merges
the tallies (block moments along a fixed tree, integer counts by addition),
so every statistic and verdict is the same for any N. The tests: bounds,
mean, standard deviation, Kolmogorov-Smirnov and Anderson-Darling (on a
histogram of u = F(x) of up to 2^22 bins, the error bound of each reported),
chi-squared over equiprobable bins of u (a power of two of them; on bfloat16
and float16 also over the grid's cells), tail counts (normal), extreme values.
Structured tensors and constants are checked whole by rank 0, as 'nninit
validate --spec' checks them.

options:
  --spec SPEC.json    the model spec (required)
  --alpha A           family-wise significance per tensor (default 1e-6)
  --bounds MODE       auto, inside or nearest, as 'nninit validate --bounds'
  --json              the report as JSON (rank 0, on standard output)
  -h, --help          this text
)";

// What the command line asks for, or the message of its mistake.
struct Request {
  enum class Kind { init, validate, help, init_usage, validate_usage, version } kind = Kind::init;
  nninit::mpi::CollectiveInitOptions options;
  nninit::mpi::CollectiveValidateOptions validate;
  bool quiet = false;
  bool timing = false;
};

Request parse_validate(int argc, char** argv) {
  using nninit::cli::UsageError;
  Request request;
  request.kind = Request::Kind::validate;
  const std::vector<nninit::cli::OptionSpec> specs = {
      {"spec"}, {"alpha"}, {"bounds"}, {"json", nninit::cli::ValueKind::none},
      {"help", nninit::cli::ValueKind::none, "h"},
  };
  const nninit::cli::ParsedArguments arguments = nninit::cli::parse_arguments(argc, argv, 2, specs);
  if (arguments.has("help")) {
    request.kind = Request::Kind::validate_usage;
    return request;
  }
  if (arguments.positionals.size() != 1) {
    throw UsageError(arguments.positionals.empty()
                         ? "the checkpoint is required (nninit-mpi validate CHECKPOINT --spec SPEC.json)"
                         : "unexpected argument '" + arguments.positionals[1] + "'");
  }
  if (!arguments.has("spec")) throw UsageError("--spec is required (--spec SPEC.json)");
  request.validate.checkpoint_path = arguments.positionals.front();
  request.validate.spec_path = *arguments.value("spec");
  if (const auto alpha = arguments.value("alpha")) request.validate.alpha = nninit::cli::parse_double(*alpha, "--alpha");
  if (const auto bounds = arguments.value("bounds")) request.validate.bounds = *bounds;
  request.validate.json = arguments.has("json");
  return request;
}

Request parse_request(int argc, char** argv) {
  using nninit::cli::UsageError;
  Request request;
  if (argc < 2) throw UsageError("a command is required (see nninit-mpi --help)");
  const std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    request.kind = Request::Kind::help;
    return request;
  }
  if (command == "--version" || command == "version") {
    request.kind = Request::Kind::version;
    return request;
  }
  if (command == "validate") return parse_validate(argc, argv);
  if (command != "init") {
    throw UsageError("unknown command '" + std::string(command) + "' (commands: init, validate)");
  }
  const std::vector<nninit::cli::OptionSpec> specs = {
      {"output", nninit::cli::ValueKind::single, "o"},
      {"threads"},
      {"batch-bytes"},
      {"timing", nninit::cli::ValueKind::none},
      {"quiet", nninit::cli::ValueKind::none, "q"},
      {"help", nninit::cli::ValueKind::none, "h"},
  };
  const nninit::cli::ParsedArguments arguments = nninit::cli::parse_arguments(argc, argv, 2, specs);
  if (arguments.has("help")) {
    request.kind = Request::Kind::init_usage;
    return request;
  }
  if (arguments.positionals.size() != 1) {
    throw UsageError(arguments.positionals.empty() ? "the spec file is required (nninit-mpi init SPEC.json -o OUT)"
                                                   : "unexpected argument '" + arguments.positionals[1] + "'");
  }
  if (!arguments.has("output")) throw UsageError("--output is required (-o OUT.safetensors)");
  request.options.spec_path = arguments.positionals.front();
  request.options.output_path = *arguments.value("output");
  const std::string_view output = request.options.output_path;
  constexpr std::string_view extension = ".safetensors";
  if (output.size() < extension.size() || output.substr(output.size() - extension.size()) != extension) {
    throw UsageError("--output " + request.options.output_path +
                     ": nninit-mpi writes safetensors checkpoints; the name must end in .safetensors");
  }
  if (arguments.has("threads")) request.options.threads = parse_int_option(arguments, "threads", 0, 4096);
  if (arguments.has("batch-bytes")) {
    request.options.batch_bytes =
        static_cast<std::uint64_t>(parse_int_option(arguments, "batch-bytes", 8, std::int64_t{1} << 30));
  }
  request.quiet = arguments.has("quiet");
  request.timing = arguments.has("timing");
  return request;
}

void print_summary(const Request& request, const nninit::mpi::CollectiveInitResult& result) {
  if (!request.quiet) {
    std::printf("wrote %s: %zu tensors, %" PRIu64 " bytes of data, seed %" PRIu64 ", %d rank%s\n",
                request.options.output_path.c_str(), result.tensors, result.data_bytes, result.seed,
                result.world_size, result.world_size == 1 ? "" : "s");
  }
  if (request.timing) {
    const double wall = result.wall > 0 ? result.wall : 1e-9;
    std::printf(
        "timing: ranks %d, wall %.3f s, %.4g parameters/s, %.4g MB/s written; per rank (max / mean): "
        "fill %.3f / %.3f s, write %.3f / %.3f s, MPI %.3f / %.3f s; %" PRIu64 " rounds\n",
        result.world_size, result.wall, static_cast<double>(result.elements) / wall,
        static_cast<double>(result.data_bytes) / wall / 1e6, result.fill.max, result.fill.sum / result.world_size,
        result.write.max, result.write.sum / result.world_size, result.mpi.max, result.mpi.sum / result.world_size,
        result.rounds);
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);  // MPI from the main thread only
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int status = 2;
  std::optional<Request> request;
  std::string error;
  try {
    request = parse_request(argc, argv);
  } catch (const std::exception& failure) {
    error = failure.what();  // every rank parses the same arguments: the same message
  }
  if (!request) {
    if (rank == 0) std::fprintf(stderr, "nninit-mpi: %s\n(see 'nninit-mpi --help')\n", error.c_str());
  } else if (request->kind == Request::Kind::help || request->kind == Request::Kind::init_usage ||
             request->kind == Request::Kind::validate_usage) {
    const char* text = request->kind == Request::Kind::help         ? usage_text
                       : request->kind == Request::Kind::init_usage ? init_help
                                                                    : validate_help;
    if (rank == 0) std::fputs(text, stdout);
    status = 0;
  } else if (request->kind == Request::Kind::validate) {
    const nninit::mpi::CollectiveValidateResult result = nninit::mpi::collective_validate(MPI_COMM_WORLD, request->validate);
    if (!result.ok) {
      if (rank == 0) std::fprintf(stderr, "nninit-mpi validate: %s\n", result.error.c_str());
    } else {
      if (rank == 0) std::fputs(result.report.c_str(), stdout);
      status = result.passed ? 0 : 1;
    }
  } else if (request->kind == Request::Kind::version) {
    if (rank == 0) std::printf("nninit-mpi %s (stream version %d)\n", nninit::version_string, nninit::stream_version);
    status = 0;
  } else {
    const nninit::mpi::CollectiveInitResult result = nninit::mpi::collective_init(MPI_COMM_WORLD, request->options);
    if (result.ok) {
      if (rank == 0) print_summary(*request, result);
      status = 0;
    } else if (rank == 0) {
      std::fprintf(stderr, "nninit-mpi init: %s\n", result.error.c_str());
    }
  }
  std::fflush(stdout);
  std::fflush(stderr);
  // mpirun ends the job when the first rank exits non-zero: no rank leaves
  // before rank 0 has printed the message.
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  return status;
}
