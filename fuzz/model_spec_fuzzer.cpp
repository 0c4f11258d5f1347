// model_spec_fuzzer.cpp — libFuzzer harness of the model-spec parser
// (cli/src/model_spec.cpp, `nninit init`) on arbitrary bytes as the spec's
// JSON text. Findings: crashes and sanitizer reports (inputs run on a worker
// with a 256 KiB stack, small_stack_worker.hpp, so recursion that grows with
// the nesting shows), any exception but UsageError, a message that is long
// or carries a control character, and a broken property of an accepted spec:
// non-empty unique names, dimensions >= 0 whose product stays below 2^64,
// shard_dim inside [-rank, rank), the default stream the name's hash, and
// the spec written back as JSON parsing to the same spec.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "model_spec.hpp"
#include "nninit/stream.hpp"
#include "small_stack_worker.hpp"

namespace {

using nninit::cli::ModelSpec;
using nninit::cli::ParameterSpec;
using nninit::cli::UsageError;

void require(bool condition, const char* property) {
  if (!condition) {
    std::fprintf(stderr, "model_spec_fuzzer: property broken: %s\n", property);
    std::abort();
  }
}

const char* layout_name(nninit::Layout layout) { return layout == nninit::Layout::torch ? "torch" : "keras"; }

// The spec as JSON that parse_model_spec reads back to the same spec.
std::string written_back(const ModelSpec& spec) {
  nlohmann::json document = {{"seed", spec.seed}, {"parameters", nlohmann::json::array()}};
  if (spec.layout) document["layout"] = layout_name(*spec.layout);
  for (const ParameterSpec& parameter : spec.parameters) {
    nlohmann::json entry = {{"name", parameter.name}, {"shape", parameter.shape},
                            {"dtype", std::string(nninit::dtype_name(parameter.dtype))}, {"init", parameter.init},
                            {"stream", parameter.stream.id}};
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [key, value] : parameter.params) params[key] = value;
    if (!parameter.params.empty()) entry["params"] = params;
    if (parameter.shard_dim) entry["shard_dim"] = *parameter.shard_dim;
    if (parameter.layout) entry["layout"] = layout_name(*parameter.layout);
    document["parameters"].push_back(entry);
  }
  return document.dump();
}

bool same_spec(const ModelSpec& a, const ModelSpec& b) {
  if (a.seed != b.seed || a.layout != b.layout || a.parameters.size() != b.parameters.size()) return false;
  for (std::size_t i = 0; i < a.parameters.size(); ++i) {
    const ParameterSpec& p = a.parameters[i];
    const ParameterSpec& q = b.parameters[i];
    if (p.name != q.name || p.shape != q.shape || p.dtype != q.dtype || p.init != q.init || p.params != q.params ||
        p.shard_dim != q.shard_dim || p.stream.id != q.stream.id || p.layout != q.layout) {
      return false;
    }
  }
  return true;
}

void check_input(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  ModelSpec spec;
  try {
    spec = nninit::cli::parse_model_spec(text, "spec.json");
  } catch (const UsageError& error) {
    const std::string message = error.what();
    require(!message.empty() && message.size() < 4096, "a UsageError message is short");
    for (const char c : message) {
      const auto byte = static_cast<unsigned char>(c);
      require(byte >= 0x20 && byte != 0x7F, "a UsageError message has no control character");
    }
    return;
  }

  std::set<std::string> names;
  for (const ParameterSpec& parameter : spec.parameters) {
    require(!parameter.name.empty() && names.insert(parameter.name).second, "names are non-empty and unique");
    std::uint64_t total = 1;
    for (const std::int64_t d : parameter.shape) {
      require(d >= 0, "dimensions are >= 0");
      const auto u = static_cast<std::uint64_t>(d);
      require(u == 0 || total <= UINT64_MAX / u, "the shape has fewer than 2^64 elements");
      total *= u;
    }
    const auto rank = static_cast<int>(parameter.shape.size());
    require(!parameter.shard_dim || (*parameter.shard_dim >= -rank && *parameter.shard_dim < rank),
            "shard_dim is a dimension");
    if (parameter.stream.name && *parameter.stream.name == parameter.name) {
      require(parameter.stream.id == nninit::stream_id_from_name(parameter.name), "the default stream is the name's hash");
    }
  }
  ModelSpec again;
  try {
    again = nninit::cli::parse_model_spec(written_back(spec), "again.json");
  } catch (const UsageError& error) {
    std::fprintf(stderr, "model_spec_fuzzer: %s\n", error.what());
    require(false, "the spec written back parses");
  }
  require(same_spec(spec, again), "the spec written back parses to the same spec");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Never destroyed: the worker waits on its condition variable until exit.
  static nninit::fuzz::SmallStackWorker& worker = *new nninit::fuzz::SmallStackWorker(&check_input);
  worker.run(data, size);
  return 0;
}
