// collective_validate.cpp — the collective validation of a checkpoint.
#include "collective_validate.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "agreement.hpp"
#include "arguments.hpp"
#include "collective_battery.hpp"
#include "json_text.hpp"
#include "mergeable_stats.hpp"
#include "model_spec.hpp"
#include "nninit/validation/half_precision.hpp"
#include "nninit/validation/test_result.hpp"
#include "safetensors_reader.hpp"
#include "spec_resolution.hpp"
#include "validate_core.hpp"

namespace nninit::mpi {
namespace {

namespace v = nninit::validation;
using cli::ParameterSpec;
using cli::TensorLaw;
using cli::TensorReport;

enum class Status { pass, fail, skipped };
const char* status_name(Status status) {
  return status == Status::pass ? "PASS" : status == Status::fail ? "FAIL" : "SKIPPED";
}

struct Outcome {
  std::string name;
  Status status = Status::pass;
  std::string reason;
  std::vector<std::int64_t> shape;
  std::string dtype;
  std::optional<TensorReport> report;
};

struct Check {
  const ParameterSpec* parameter = nullptr;
  TensorLaw law;
};

// Every spec entry's law, as nninit validate --spec resolves and checks it.
std::vector<Check> plan(const cli::ModelSpec& spec, const cli::CoreOptions& options) {
  std::vector<Check> checks;
  for (std::size_t index = 0; index < spec.parameters.size(); ++index) {
    const ParameterSpec& parameter = spec.parameters[index];
    Check check;
    check.parameter = &parameter;
    try {
      const cli::ResolvedInitializer initializer = cli::resolve_entry_initializer(spec, parameter);
      check.law.distribution = initializer.distribution;
      check.law.structured = initializer.structured;
      check.law.shape = parameter.shape;
      check.law.source = initializer.name + " for shape " + cli::format_shape(parameter.shape);
      cli::check_law(check.law, parameter.dtype, options);
    } catch (const std::exception& error) {
      throw cli::UsageError(cli::entry_label(index, parameter.name) + ": " + error.what());
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

// The values of block [first, first + count) of `tensor`, read at their
// offset, as doubles, and their bits for a 16-bit dtype.
void read_block(MPI_File file, const cli::SafetensorsIndex& index, const cli::SafetensorsTensor& tensor,
                std::uint64_t first, std::uint64_t count, std::vector<unsigned char>& bytes,
                std::vector<double>& values, std::vector<std::uint16_t>& bits) {
  const DType dtype = *tensor.dtype;
  const std::size_t size = dtype_size(dtype);
  bytes.resize(static_cast<std::size_t>(count) * size);
  const auto offset = static_cast<MPI_Offset>(index.data_start + tensor.begin + first * size);
  MPI_Status status;
  check_mpi(MPI_File_read_at(file, offset, bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, &status),
            "MPI_File_read_at of " + index.path + ":" + tensor.name);
  int received = 0;
  MPI_Get_count(&status, MPI_BYTE, &received);
  if (static_cast<std::size_t>(received) != bytes.size()) {
    throw std::runtime_error(index.path + ": " + tensor.name + ": short read (" + std::to_string(received) + " of " +
                             std::to_string(bytes.size()) + " bytes)");
  }
  values.resize(static_cast<std::size_t>(count));
  bits.clear();
  switch (dtype) {
    case DType::f32:
      for (std::size_t i = 0; i < values.size(); ++i) {
        float x;
        std::memcpy(&x, bytes.data() + 4 * i, 4);
        values[i] = static_cast<double>(x);
      }
      break;
    case DType::f64:
      std::memcpy(values.data(), bytes.data(), bytes.size());
      break;
    case DType::bf16:
    case DType::f16: {
      const v::HalfFormat format = dtype == DType::bf16 ? v::HalfFormat::bfloat16 : v::HalfFormat::float16;
      bits.resize(values.size());
      std::memcpy(bits.data(), bytes.data(), bytes.size());
      for (std::size_t i = 0; i < values.size(); ++i) values[i] = v::half_bits_to_double(bits[i], format);
      break;
    }
  }
}

class Validation {
 public:
  Validation(MPI_Comm comm, const CollectiveValidateOptions& options) : comm_(comm), options_(options) {
    MPI_Comm_rank(comm, &rank_);
    MPI_Comm_size(comm, &size_);
    core_.battery.family.alpha = options.alpha;
    core_.bounds = options.bounds;
  }

  CollectiveValidateResult run() {
    CollectiveValidateResult result;
    std::optional<std::string> error = agree_on_error(comm_, attempt([&] { prepare(); }));
    if (!error) error = agree_on_error(comm_, attempt([&] {
                          check_mpi(MPI_File_open(comm_, options_.checkpoint_path.c_str(), MPI_MODE_RDONLY,
                                                  MPI_INFO_NULL, &file_),
                                    "MPI_File_open of " + options_.checkpoint_path);
                        }));
    if (error) {
      result.error = *error;
      return result;
    }
    for (const Check& check : checks_) {
      error = check_tensor(check);
      if (error) break;
    }
    MPI_File_close(&file_);
    if (error) {
      result.error = *error;
      return result;
    }
    if (rank_ == 0) extras();
    std::size_t counts[3] = {0, 0, 0};
    for (const Outcome& o : outcomes_) ++counts[static_cast<int>(o.status)];
    int passed = counts[1] == 0 ? 1 : 0;
    MPI_Bcast(&passed, 1, MPI_INT, 0, comm_);
    result.ok = true;
    result.passed = passed == 1;
    if (rank_ == 0) result.report = options_.json ? json(counts) : text(counts);
    return result;
  }

 private:
  void prepare() {
    if (!(options_.alpha > 0.0 && options_.alpha < 1.0)) {
      throw cli::UsageError("--alpha: " + cli::format_double(options_.alpha) + " is not in (0, 1)");
    }
    if (options_.bounds != "auto" && options_.bounds != "inside" && options_.bounds != "nearest") {
      throw cli::UsageError("--bounds: '" + options_.bounds + "' is not auto, inside or nearest");
    }
    spec_ = cli::read_model_spec(options_.spec_path);
    checks_ = plan(spec_, core_);
    index_ = cli::read_safetensors_index(options_.checkpoint_path);
    const auto world = index_.metadata.find("world_size");
    if (world != index_.metadata.end() && world->second != "1") {
      throw cli::UsageError(options_.checkpoint_path + " holds one rank's shards (metadata world_size " +
                            world->second + "); check it with nninit validate " + options_.checkpoint_path +
                            " --spec " + options_.spec_path);
    }
    for (const cli::SafetensorsTensor& tensor : index_.tensors) by_name_[tensor.name] = &tensor;
  }

  // One spec entry: its outcome on rank 0; an error that ends the job otherwise.
  std::optional<std::string> check_tensor(const Check& check) {
    const ParameterSpec& parameter = *check.parameter;
    Outcome outcome;
    outcome.name = parameter.name;
    outcome.shape = parameter.shape;
    outcome.dtype = std::string(dtype_name(parameter.dtype));
    const auto found = by_name_.find(parameter.name);
    if (found == by_name_.end()) {
      outcome.status = Status::fail;
      outcome.reason = "missing from the checkpoint";
      return keep(std::move(outcome));
    }
    const cli::SafetensorsTensor& tensor = *found->second;
    outcome.shape = tensor.shape;
    outcome.dtype = tensor.dtype ? std::string(dtype_name(*tensor.dtype)) : tensor.dtype_text;
    if (tensor.shape != parameter.shape) {
      outcome.reason = "shape " + cli::format_shape(tensor.shape) + " in the checkpoint, " +
                       cli::format_shape(parameter.shape) + " in the spec";
    }
    if (!tensor.dtype || *tensor.dtype != parameter.dtype) {
      outcome.reason += (outcome.reason.empty() ? "" : "; ") + std::string("dtype ") + tensor.dtype_text +
                        " in the checkpoint, " + std::string(dtype_name(parameter.dtype)) + " in the spec";
    }
    if (!outcome.reason.empty()) {
      outcome.status = Status::fail;
      return keep(std::move(outcome));
    }
    if (tensor.count == 0 || (cli::needs_battery(check.law) && tensor.count < 100)) {
      outcome.status = Status::skipped;
      outcome.reason = tensor.count == 0 ? std::string("no values")
                                         : std::to_string(tensor.count) + " values: the battery needs at least 100";
      return keep(std::move(outcome));
    }
    if (!cli::needs_battery(check.law)) {  // structured or constant: rank 0, whole, as nninit validate
      std::optional<std::string> error;
      if (rank_ == 0) {
        error = attempt([&] {
          cli::NpyRawValues raw = cli::read_safetensors_tensor(index_, tensor);
          try {
            outcome.report = cli::validate_values(raw, check.law, core_);
          } catch (const std::invalid_argument& failure) {
            outcome.status = Status::fail;
            outcome.reason = failure.what();
          }
        });
      }
      if (std::optional<std::string> agreed = agree_on_error(comm_, error)) return agreed;
      return keep(finish(std::move(outcome)));
    }
    return battery(check, tensor, std::move(outcome));
  }

  // An element-wise tensor: blocks over the ranks, tallies merged on rank 0.
  std::optional<std::string> battery(const Check& check, const cli::SafetensorsTensor& tensor, Outcome outcome) {
    std::optional<cli::TensorReference> chosen;
    std::optional<CollectiveBattery> battery;
    RankTally tally;
    const std::uint64_t n = tensor.count;
    const std::uint64_t blocks = (n + block_elements - 1) / block_elements;
    const std::uint64_t first_block = blocks * static_cast<std::uint64_t>(rank_) / static_cast<std::uint64_t>(size_);
    const std::uint64_t end_block = blocks * static_cast<std::uint64_t>(rank_ + 1) / static_cast<std::uint64_t>(size_);
    std::optional<std::string> error = attempt([&] {
      chosen = cli::reference_for(check.law, *tensor.dtype, index_.provenance, core_);
      battery.emplace(*chosen->reference, n, *tensor.dtype, core_.battery.jitter_seed);
      tally = battery->empty_tally();
      std::vector<unsigned char> bytes;
      std::vector<double> values;
      std::vector<std::uint16_t> bits;
      for (std::uint64_t b = first_block; b < end_block; ++b) {
        const std::uint64_t first = b * block_elements;
        read_block(file_, index_, tensor, first, std::min(block_elements, n - first), bytes, values, bits);
        battery->add_block(tally, values, bits, first);
      }
      battery->finish(tally);
    });
    if (std::optional<std::string> agreed = agree_on_error(comm_, error)) return agreed;
    // A defective tensor can pile far more values into the edge bins than
    // rank 0 should gather (and than MPI's int displacements hold).
    unsigned long long edges_here = tally.edge_values.size(), edges_total = 0;
    MPI_Allreduce(&edges_here, &edges_total, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm_);
    if (edges_total > edge_values_gathered) battery->drop_edge_values(tally);

    // Block summaries in block order (the ranks hold consecutive runs), counts summed, edge values gathered.
    std::vector<int> sizes(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
    const auto gather = [&](const void* mine, int bytes, std::vector<unsigned char>& all) {
      MPI_Gather(&bytes, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, comm_);
      int total = 0;
      for (int r = 0; r < size_; ++r) {
        offsets[static_cast<std::size_t>(r)] = total;
        total += sizes[static_cast<std::size_t>(r)];
      }
      all.resize(rank_ == 0 ? static_cast<std::size_t>(total) : 0);
      MPI_Gatherv(mine, bytes, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, 0, comm_);
    };
    std::vector<unsigned char> moments_bytes, edge_bytes;
    gather(tally.block_moments.data(), static_cast<int>(tally.block_moments.size() * sizeof(MomentSummary)),
           moments_bytes);
    gather(tally.edge_values.data(), static_cast<int>(tally.edge_values.size() * sizeof(double)), edge_bytes);
    std::vector<std::uint64_t> counts(tally.counts.size(), 0);
    MPI_Reduce(tally.counts.data(), counts.data(), static_cast<int>(counts.size()), MPI_UINT64_T, MPI_SUM, 0, comm_);
    if (rank_ != 0) return std::nullopt;

    std::vector<MomentSummary> summaries(moments_bytes.size() / sizeof(MomentSummary));
    std::memcpy(summaries.data(), moments_bytes.data(), moments_bytes.size());
    std::vector<double> edges(edge_bytes.size() / sizeof(double));
    std::memcpy(edges.data(), edge_bytes.data(), edge_bytes.size());
    TensorReport report;
    report.source = check.law.source;
    report.expected = chosen->expected;
    report.law = chosen->law;
    report.reference = chosen->reference->describe();
    try {
      report.results = battery->results(merge_in_block_order(summaries), counts, std::move(edges), core_.battery);
    } catch (const std::invalid_argument& failure) {  // fewer than 100 finite values
      outcome.status = Status::fail;
      outcome.reason = failure.what();
      return keep(std::move(outcome));
    }
    for (const v::TestResult& r : report.results) {
      if (r.verdict == v::Verdict::fail) ++report.failed;
      if (r.verdict == v::Verdict::suspicious) ++report.suspicious;
    }
    outcome.report = std::move(report);
    return keep(finish(std::move(outcome)));
  }

  static Outcome finish(Outcome outcome) {
    if (!outcome.report) return outcome;
    outcome.status = outcome.report->failed == 0 ? Status::pass : Status::fail;
    if (outcome.status == Status::fail) {
      std::string names;
      for (const v::TestResult& r : outcome.report->results) {
        if (r.verdict == v::Verdict::fail) names += (names.empty() ? "" : ", ") + r.name;
      }
      outcome.reason = "failed: " + names;
    }
    return outcome;
  }

  std::optional<std::string> keep(Outcome outcome) {
    if (rank_ == 0) outcomes_.push_back(std::move(outcome));
    return std::nullopt;
  }

  // Tensors in the checkpoint that the spec lacks.
  void extras() {
    for (const cli::SafetensorsTensor& tensor : index_.tensors) {
      bool in_spec = false;
      for (const Check& check : checks_) in_spec |= check.parameter->name == tensor.name;
      if (in_spec) continue;
      Outcome extra;
      extra.name = tensor.name;
      extra.status = Status::fail;
      extra.reason = "in the checkpoint but not in the spec";
      extra.shape = tensor.shape;
      extra.dtype = tensor.dtype ? std::string(dtype_name(*tensor.dtype)) : tensor.dtype_text;
      outcomes_.push_back(std::move(extra));
    }
  }

  std::string text(const std::size_t counts[3]) const {
    std::string out = "nninit-mpi validate " + options_.checkpoint_path + " --spec " + options_.spec_path + " (" +
                      std::to_string(size_) + " rank" + (size_ == 1 ? "" : "s") + ")\n";
    for (const Outcome& o : outcomes_) {
      const std::string what =
          o.report ? o.report->expected + " (" + std::to_string(o.report->results.size()) + " tests" +
                         (o.report->failed ? ", " + std::to_string(o.report->failed) + " failed" : std::string()) + ")"
                   : o.reason;
      char line[64];
      std::snprintf(line, sizeof line, "  %-7s ", status_name(o.status));
      out += line + o.name + " " + cli::format_shape(o.shape) + " " + o.dtype + ": " + what + "\n";
      if (o.report && o.status == Status::fail) {
        for (const v::TestResult& r : o.report->results) {
          if (r.verdict == v::Verdict::fail) out += "          fail " + r.name + ": " + r.detail + "\n";
        }
      }
    }
    return out + "verdict: " + (counts[1] == 0 ? "PASS" : "FAIL") + " (" + std::to_string(outcomes_.size()) +
           " tensors: " + std::to_string(counts[0]) + " passed, " + std::to_string(counts[1]) + " failed, " +
           std::to_string(counts[2]) + " skipped)\n";
  }

  std::string json(const std::size_t counts[3]) const {
    std::string out = "{\"checkpoint\": " + cli::json_string(options_.checkpoint_path) +
                      ", \"spec\": " + cli::json_string(options_.spec_path) + ", \"ranks\": " + std::to_string(size_) +
                      ", \"producer\": " + cli::json_producer(index_.provenance) +
                      ", \"alpha\": " + cli::json_number(options_.alpha) + ", \"tensors\": [";
    for (std::size_t i = 0; i < outcomes_.size(); ++i) {
      const Outcome& o = outcomes_[i];
      out += std::string(i ? ", " : "") + "{\"name\": " + cli::json_string(o.name) +
             ", \"status\": " + cli::json_string(status_name(o.status)) + ", \"shape\": " + cli::json_shape(o.shape) +
             ", \"dtype\": " + cli::json_string(o.dtype) +
             ", \"reason\": " + (o.reason.empty() ? "null" : cli::json_string(o.reason));
      if (o.report) {
        out += ", \"expected\": " + cli::json_string(o.report->expected) +
               ", \"reference\": " + cli::json_string(o.report->reference) +
               ", \"law\": " + cli::json_string(o.report->law) + ", \"tests\": " + cli::json_tests(o.report->results) +
               ", \"failed\": " + std::to_string(o.report->failed);
      } else {
        out += ", \"expected\": null, \"reference\": null, \"law\": null, \"tests\": [], \"failed\": 0";
      }
      out += "}";
    }
    return out + "], \"passed\": " + std::to_string(counts[0]) + ", \"failed\": " + std::to_string(counts[1]) +
           ", \"skipped\": " + std::to_string(counts[2]) +
           ", \"verdict\": " + cli::json_string(counts[1] == 0 ? "PASS" : "FAIL") + "}\n";
  }

  MPI_Comm comm_;
  CollectiveValidateOptions options_;
  int rank_ = 0, size_ = 1;
  cli::CoreOptions core_;
  cli::ModelSpec spec_;
  std::vector<Check> checks_;
  cli::SafetensorsIndex index_;
  std::map<std::string, const cli::SafetensorsTensor*> by_name_;
  MPI_File file_ = MPI_FILE_NULL;
  std::vector<Outcome> outcomes_;  // rank 0
};

}  // namespace

CollectiveValidateResult collective_validate(MPI_Comm comm, const CollectiveValidateOptions& options) {
  return Validation(comm, options).run();
}

}  // namespace nninit::mpi
