// `nninit validate CHECKPOINT --spec SPEC.json`: every tensor against its spec entry.
#include "validate_checkpoint.hpp"

#include <cstdio>
#include <functional>
#include <memory>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "initializers_by_name.hpp"
#include "json_text.hpp"
#include "model_spec.hpp"
#include "nninit/block_fill.hpp"
#include "npz_reader.hpp"
#include "nninit/validation/test_result.hpp"
#include "output_file.hpp"
#include "progress.hpp"
#include "safetensors_reader.hpp"
#include "spec_resolution.hpp"
#include "validate_core.hpp"

namespace nninit::cli {
namespace {

namespace v = nninit::validation;

enum class Status { pass, fail, skipped };

const char* status_name(Status status) {
  switch (status) {
    case Status::pass:
      return "PASS";
    case Status::fail:
      return "FAIL";
    case Status::skipped:
      return "SKIPPED";
  }
  return "?";
}

// One test case of the report: a spec entry, or a tensor the spec lacks.
struct TensorOutcome {
  std::string name;
  Status status = Status::pass;
  std::string reason;  // why it failed or was skipped without tests (missing, wrong shape, ...)
  std::vector<std::int64_t> shape;
  std::string dtype;
  std::optional<TensorReport> report;
};

// A spec entry with its law, resolved before the checkpoint is read.
struct PlannedCheck {
  const ParameterSpec* parameter = nullptr;
  TensorLaw law;
  std::vector<std::int64_t> expected_shape;  // the spec's shape, or this rank's shard of it
};

// Which part of every tensor the checkpoint holds: the whole (world_size 1),
// or the shards of `rank`, as `nninit init --rank R --world-size W` writes them.
struct ShardOf {
  int rank = 0;
  int world_size = 1;
};

// A checkpoint's tensors, whatever the format: their names, what the file's
// index says of each before it is read (safetensors), and a reader of one.
struct Checkpoint {
  struct Header {
    std::vector<std::int64_t> shape;
    std::string dtype_text;       // as the file names it
    std::optional<DType> dtype;   // when nninit reads it
    std::uint64_t count = 0;
  };
  std::vector<std::string> names;
  std::map<std::string, Header> headers;  // empty for .npz: known once read
  std::function<NpyRawValues(const std::string&)> read;
  NpyProvenance provenance;  // of the file (safetensors metadata) or of the first member read (.npz)
  std::map<std::string, std::string> metadata;  // safetensors __metadata__ (empty for .npz)
};

Checkpoint open_safetensors(const std::string& path, std::shared_ptr<SafetensorsIndex>& keep) {
  keep = std::make_shared<SafetensorsIndex>(read_safetensors_index(path));
  Checkpoint checkpoint;
  std::map<std::string, const SafetensorsTensor*> by_name;
  for (const SafetensorsTensor& tensor : keep->tensors) {
    checkpoint.names.push_back(tensor.name);
    checkpoint.headers[tensor.name] = {tensor.shape, tensor.dtype_text, tensor.dtype, tensor.count};
    by_name[tensor.name] = &tensor;
  }
  checkpoint.provenance = keep->provenance;
  checkpoint.metadata = keep->metadata;
  const std::shared_ptr<SafetensorsIndex> index = keep;
  checkpoint.read = [index, by_name](const std::string& name) {
    return read_safetensors_tensor(*index, *by_name.at(name));
  };
  return checkpoint;
}

Checkpoint open_npz(const std::string& path, std::shared_ptr<NpzArchive>& keep) {
  keep = std::make_shared<NpzArchive>(path);
  Checkpoint checkpoint;
  checkpoint.names = keep->names();
  const std::shared_ptr<NpzArchive> archive = keep;
  checkpoint.read = [archive](const std::string& name) { return archive->read(name); };
  return checkpoint;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<PlannedCheck> plan_checks(const ModelSpec& spec, const CoreOptions& options) {
  std::vector<PlannedCheck> plan;
  for (std::size_t index = 0; index < spec.parameters.size(); ++index) {
    const ParameterSpec& parameter = spec.parameters[index];
    const std::string label = entry_label(index, parameter.name);
    PlannedCheck check;
    check.parameter = &parameter;
    try {
      // As nninit init resolves it.
      const ResolvedInitializer initializer = resolve_entry_initializer(spec, parameter);
      check.law.distribution = initializer.distribution;
      check.law.structured = initializer.structured;
      check.law.shape = parameter.shape;
      check.law.source = initializer.name + " for shape " + format_shape(parameter.shape);
      check_law(check.law, parameter.dtype, options);
    } catch (const UsageError& error) {
      throw UsageError(label + ": " + error.what());
    } catch (const std::invalid_argument& error) {
      throw UsageError(label + ": " + error.what());
    }
    plan.push_back(std::move(check));
  }
  return plan;
}

// --rank and --world-size when given, else the rank and world_size of the
// checkpoint's metadata (written by `nninit init --rank R --world-size W`),
// else the whole model. Flags that contradict the metadata are an error.
ShardOf shard_of(const ParsedArguments& arguments, const Checkpoint& file, const std::string& checkpoint) {
  if (arguments.has("rank") != arguments.has("world-size")) throw UsageError("--rank and --world-size go together");
  std::optional<ShardOf> from_file;
  const auto rank = file.metadata.find("rank");
  const auto world_size = file.metadata.find("world_size");
  if (rank != file.metadata.end() && world_size != file.metadata.end()) {
    ShardOf shard;
    const std::string what = checkpoint + ": metadata";
    const std::int64_t w = parse_int64(world_size->second, what + " world_size");
    const std::int64_t r = parse_int64(rank->second, what + " rank");
    if (w < 1 || w > (1 << 20) || r < 0 || r >= w) {
      throw UsageError(what + " says rank " + std::to_string(r) + " of world_size " + std::to_string(w) +
                       ", which is not a shard");
    }
    shard.world_size = static_cast<int>(w);
    shard.rank = static_cast<int>(r);
    from_file = shard;
  }
  if (!arguments.has("world-size")) return from_file.value_or(ShardOf{});
  ShardOf shard;
  shard.world_size = parse_int_option(arguments, "world-size", 1, 1 << 20);
  shard.rank = parse_int_option(arguments, "rank", 0, shard.world_size - 1);
  if (from_file && (from_file->rank != shard.rank || from_file->world_size != shard.world_size)) {
    throw UsageError("--rank " + std::to_string(shard.rank) + " --world-size " + std::to_string(shard.world_size) +
                     ", but " + checkpoint + "'s metadata says rank " + std::to_string(from_file->rank) +
                     " of world_size " + std::to_string(from_file->world_size));
  }
  return shard;
}

// The shape each tensor has in a checkpoint of `shard`: split along its
// shard_dim as `nninit init` splits it (torch.chunk's parts), whole otherwise
// (no shard_dim).
void set_expected_shapes(std::vector<PlannedCheck>& plan, const ShardOf& shard) {
  for (PlannedCheck& check : plan) {
    const ParameterSpec& parameter = *check.parameter;
    check.expected_shape = parameter.shape;
    if (parameter.shard_dim && shard.world_size > 1) {
      check.expected_shape = shard_block(parameter.shape, *parameter.shard_dim, shard.world_size, shard.rank).extent;
    }
  }
}

std::string failed_names(const TensorReport& report) {
  std::string names;
  for (const v::TestResult& result : report.results) {
    if (result.verdict == v::Verdict::fail) names += (names.empty() ? "" : ", ") + result.name;
  }
  return names;
}

// What is wrong with a tensor of `shape` and `dtype` for its spec entry ("" when nothing).
std::string mismatch(const PlannedCheck& check, const std::vector<std::int64_t>& shape,
                     const std::optional<DType>& dtype, const std::string& dtype_text) {
  const ParameterSpec& parameter = *check.parameter;
  std::string out;
  if (shape != check.expected_shape) {
    out = "shape " + format_shape(shape) + " in the checkpoint, " + format_shape(check.expected_shape) +
          (check.expected_shape == parameter.shape
               ? std::string(" in the spec")
               : " expected (this rank's shard of the spec's " + format_shape(parameter.shape) + ")");
  }
  if (!dtype || *dtype != parameter.dtype) {
    out += (out.empty() ? "" : "; ") + std::string("dtype ") + dtype_text + " in the checkpoint, " +
           std::string(dtype_name(parameter.dtype)) + " in the spec";
  }
  return out;
}

// A structured tensor's shard (a block that is not the whole tensor): its
// checks (orthogonality, the Haar law, zeros per column, the exact
// structure) are properties of the whole tensor, so it is skipped with the
// reason; the single-process checkpoint (or the shards put together) is
// checked instead.
bool skip_structured_shard(const PlannedCheck& check, TensorOutcome& outcome) {
  if (!check.law.structured || check.expected_shape == check.parameter->shape) return false;
  outcome.status = Status::skipped;
  outcome.reason = "a shard " + format_shape(check.expected_shape) + " of a structured tensor " +
                   format_shape(check.parameter->shape) +
                   ": its checks need the whole tensor (validate the single-process checkpoint)";
  return true;
}

TensorOutcome check_tensor(Checkpoint& checkpoint, bool present, const PlannedCheck& check,
                           const CoreOptions& options) {
  const ParameterSpec& parameter = *check.parameter;
  TensorOutcome outcome;
  outcome.name = parameter.name;
  outcome.shape = check.expected_shape;
  outcome.dtype = std::string(dtype_name(parameter.dtype));
  if (!present) {
    outcome.status = Status::fail;
    outcome.reason = "missing from the checkpoint";
    return outcome;
  }
  // What the index says, before reading (safetensors).
  if (const auto header = checkpoint.headers.find(parameter.name); header != checkpoint.headers.end()) {
    const Checkpoint::Header& h = header->second;
    outcome.shape = h.shape;
    outcome.dtype = h.dtype ? std::string(dtype_name(*h.dtype)) : h.dtype_text;
    outcome.reason = mismatch(check, h.shape, h.dtype, h.dtype_text);
    if (!outcome.reason.empty()) {
      outcome.status = Status::fail;
      return outcome;
    }
    if (skip_structured_shard(check, outcome)) return outcome;
    if (h.count == 0) {
      outcome.status = Status::skipped;
      outcome.reason = "no values";
      return outcome;
    }
    if (needs_battery(check.law) && h.count < 100) {
      outcome.status = Status::skipped;
      outcome.reason = std::to_string(h.count) + " values: the battery needs at least 100";
      return outcome;
    }
  }
  NpyRawValues raw = checkpoint.read(parameter.name);
  if (!checkpoint.provenance.written_by_nninit && checkpoint.headers.empty()) checkpoint.provenance = raw.file.provenance;
  outcome.shape = raw.file.shape;
  outcome.dtype = std::string(dtype_name(raw.file.dtype));
  outcome.reason = mismatch(check, raw.file.shape, raw.file.dtype, raw.file.descr);
  if (!outcome.reason.empty()) {
    outcome.status = Status::fail;
    return outcome;
  }
  if (skip_structured_shard(check, outcome)) return outcome;
  if (raw.file.count == 0) {
    outcome.status = Status::skipped;
    outcome.reason = "no values";
    return outcome;
  }
  if (needs_battery(check.law) && raw.file.count < 100) {
    outcome.status = Status::skipped;
    outcome.reason = std::to_string(raw.file.count) + " values: the battery needs at least 100";
    return outcome;
  }
  try {
    outcome.report = validate_values(raw, check.law, options);
  } catch (const std::invalid_argument& error) {  // e.g. fewer than 100 finite values
    outcome.status = Status::fail;
    outcome.reason = error.what();
    return outcome;
  }
  outcome.status = outcome.report->failed == 0 ? Status::pass : Status::fail;
  if (outcome.status == Status::fail) outcome.reason = "failed: " + failed_names(*outcome.report);
  return outcome;
}

void print_text(const std::string& checkpoint, const std::string& spec, const ShardOf& shard,
                const std::vector<TensorOutcome>& outcomes, const std::size_t counts[3]) {
  std::printf("nninit validate %s --spec %s", checkpoint.c_str(), spec.c_str());
  if (shard.world_size > 1) std::printf(" (the shards of rank %d of %d)", shard.rank, shard.world_size);
  std::printf("\n");
  for (const TensorOutcome& o : outcomes) {
    const std::string what =
        o.report ? o.report->expected + " (" + std::to_string(o.report->results.size()) + " tests" +
                       (o.report->failed ? ", " + std::to_string(o.report->failed) + " failed" : std::string()) + ")"
                 : o.reason;
    std::printf("  %-7s %s %s %s: %s\n", status_name(o.status), o.name.c_str(), format_shape(o.shape).c_str(),
                o.dtype.c_str(), what.c_str());
    if (o.report && o.status == Status::fail) {
      for (const v::TestResult& result : o.report->results) {
        if (result.verdict == v::Verdict::fail) {
          std::printf("          fail %s: %s\n", result.name.c_str(), result.detail.c_str());
        }
      }
    }
  }
  std::printf("verdict: %s (%zu tensors: %zu passed, %zu failed, %zu skipped)\n", counts[1] == 0 ? "PASS" : "FAIL",
              outcomes.size(), counts[0], counts[1], counts[2]);
}

void print_json(const std::string& checkpoint, const std::string& spec, const ShardOf& shard,
                const NpyProvenance& provenance, double alpha, const std::vector<TensorOutcome>& outcomes,
                const std::size_t counts[3]) {
  std::string out = "{\"checkpoint\": " + json_string(checkpoint) + ", \"spec\": " + json_string(spec) +
                    ", \"rank\": " + std::to_string(shard.rank) + ", \"world_size\": " +
                    std::to_string(shard.world_size) + ", \"producer\": " + json_producer(provenance) +
                    ", \"alpha\": " + json_number(alpha) + ", \"tensors\": [";
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const TensorOutcome& o = outcomes[i];
    out += std::string(i ? ", " : "") + "{\"name\": " + json_string(o.name) +
           ", \"status\": " + json_string(status_name(o.status)) + ", \"shape\": " + json_shape(o.shape) +
           ", \"dtype\": " + json_string(o.dtype) + ", \"reason\": " + (o.reason.empty() ? "null" : json_string(o.reason));
    if (o.report) {
      out += ", \"expected\": " + json_string(o.report->expected) + ", \"source\": " + json_string(o.report->source) +
             ", \"reference\": " + json_string(o.report->reference) + ", \"law\": " + json_string(o.report->law) +
             ", \"tests\": " + json_tests(o.report->results) + ", \"failed\": " + std::to_string(o.report->failed) +
             ", \"suspicious\": " + std::to_string(o.report->suspicious);
    } else {
      out += ", \"expected\": null, \"source\": null, \"reference\": null, \"law\": null, \"tests\": [], "
             "\"failed\": 0, \"suspicious\": 0";
    }
    out += "}";
  }
  out += "], \"passed\": " + std::to_string(counts[0]) + ", \"failed\": " + std::to_string(counts[1]) +
         ", \"skipped\": " + std::to_string(counts[2]) + ", \"verdict\": " +
         json_string(counts[1] == 0 ? "PASS" : "FAIL") + "}\n";
  std::fputs(out.c_str(), stdout);
}

// Text for XML attributes and content: the five special characters escaped,
// control characters XML 1.0 cannot hold replaced by '?'.
std::string xml_text(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') ? '?' : c;
    }
  }
  return out;
}

std::string junit_xml(const std::string& checkpoint, const std::vector<TensorOutcome>& outcomes,
                      const std::size_t counts[3]) {
  const std::string totals = "tests=\"" + std::to_string(outcomes.size()) + "\" failures=\"" +
                             std::to_string(counts[1]) + "\" errors=\"0\" skipped=\"" + std::to_string(counts[2]) + "\"";
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"nninit validate\" " + totals +
                    ">\n  <testsuite name=\"" + xml_text(checkpoint) + "\" " + totals + ">\n";
  for (const TensorOutcome& o : outcomes) {
    xml += "    <testcase classname=\"nninit.validate\" name=\"" + xml_text(o.name) + "\"";
    if (o.status == Status::pass) {
      xml += "/>\n";
      continue;
    }
    xml += ">\n";
    if (o.status == Status::skipped) {
      xml += "      <skipped message=\"" + xml_text(o.reason) + "\"/>\n";
    } else {
      std::string body = o.name + " " + format_shape(o.shape) + " " + o.dtype + "\n";
      if (o.report) {
        body += "expected " + o.report->expected + " (" + o.report->source + ")\n";
        for (const v::TestResult& result : o.report->results) {
          if (result.verdict == v::Verdict::fail) body += "fail " + result.name + ": " + result.detail + "\n";
        }
      }
      xml += "      <failure type=\"FAIL\" message=\"" + xml_text(o.reason) + "\">" + xml_text(body) + "</failure>\n";
    }
    xml += "    </testcase>\n";
  }
  return xml + "  </testsuite>\n</testsuites>\n";
}

}  // namespace

int validate_checkpoint_command(const ParsedArguments& arguments) {
  for (const char* flag : {"dist", "mean", "std", "low", "high", "lower", "upper", "value", "init", "shape",
                           "layout", "param", "grid", "max-values"}) {
    if (arguments.has(flag)) {
      throw UsageError(std::string("--") + flag +
                       " does not go with --spec: every tensor's law, shape and dtype come from the spec");
    }
  }
  const std::string checkpoint = arguments.positionals.front();
  const std::string spec_path = *arguments.value("spec");
  CoreOptions options;
  if (const auto alpha = arguments.value("alpha")) options.battery.family.alpha = parse_double(*alpha, "--alpha");
  if (!(options.battery.family.alpha > 0.0 && options.battery.family.alpha < 1.0)) {
    throw UsageError("--alpha: " + format_double(options.battery.family.alpha) + " is not in (0, 1)");
  }
  options.bounds = arguments.value("bounds").value_or("auto");
  if (options.bounds != "auto" && options.bounds != "inside" && options.bounds != "nearest") {
    throw UsageError("--bounds: '" + options.bounds + "' is not auto, inside or nearest");
  }
  const std::optional<std::string> junit = arguments.value("junit");
  if (junit && junit->empty()) throw UsageError("--junit: give a file name");

  // The spec and every law first, then the checkpoint's header: any error
  // there is reported before a tensor is read.
  const ModelSpec spec = read_model_spec(spec_path);
  std::vector<PlannedCheck> plan = plan_checks(spec, options);
  std::shared_ptr<SafetensorsIndex> index;
  std::shared_ptr<NpzArchive> archive;
  Checkpoint file = ends_with(checkpoint, ".npz") ? open_npz(checkpoint, archive) : open_safetensors(checkpoint, index);
  const ShardOf shard = shard_of(arguments, file, checkpoint);
  set_expected_shapes(plan, shard);
  const std::set<std::string> present(file.names.begin(), file.names.end());

  TerminalProgress progress("nninit validate " + checkpoint, !arguments.has("no-progress"));
  std::vector<TensorOutcome> outcomes;
  std::set<std::string> in_spec;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const PlannedCheck& check = plan[i];
    in_spec.insert(check.parameter->name);
    const std::string phase = "[" + std::to_string(i + 1) + "/" + std::to_string(plan.size()) + "] " +
                              check.parameter->name;
    options.battery.progress = [&progress, &phase](double fraction) { progress.update(phase, fraction); };
    progress.update(phase, 0.0);
    outcomes.push_back(check_tensor(file, present.count(check.parameter->name) != 0, check, options));
  }
  for (const std::string& name : file.names) {
    if (in_spec.count(name)) continue;
    TensorOutcome extra;
    extra.name = name;
    extra.status = Status::fail;
    extra.reason = "in the checkpoint but not in the spec";
    if (const auto header = file.headers.find(name); header != file.headers.end()) {
      extra.shape = header->second.shape;
      extra.dtype = header->second.dtype ? std::string(dtype_name(*header->second.dtype)) : header->second.dtype_text;
    }
    outcomes.push_back(std::move(extra));
  }
  progress.finish();

  std::size_t counts[3] = {0, 0, 0};  // passed, failed, skipped
  for (const TensorOutcome& o : outcomes) ++counts[static_cast<int>(o.status)];
  if (junit) {
    const std::string xml = junit_xml(checkpoint, outcomes, counts);
    AtomicOutputFile output(*junit);
    output.write(xml.data(), xml.size());
    output.commit();
  }
  if (arguments.has("json")) {
    print_json(checkpoint, spec_path, shard, file.provenance, options.battery.family.alpha, outcomes, counts);
  } else {
    print_text(checkpoint, spec_path, shard, outcomes, counts);
  }
  return counts[1] == 0 ? 0 : 1;
}

}  // namespace nninit::cli
