// model_spec.cpp — parsing of the JSON model spec (model_spec.hpp) with nlohmann/json.
#include "model_spec.hpp"

#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "initializers_by_name.hpp"
#include "npy.hpp"  // FileError

namespace nninit::cli {
namespace {

using nlohmann::json;

// Text from the spec as messages show it: control characters as \xNN (no
// terminal escape sequence gets through), at most max_shown bytes.
constexpr std::size_t max_shown = 200;
std::string printable(const std::string& text, std::size_t limit = max_shown) {
  std::string shown;
  for (const char c : text) {
    if (shown.size() >= limit) return shown + "...";
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      const char* digits = "0123456789abcdef";
      shown += "\\x";
      shown += digits[byte >> 4];
      shown += digits[byte & 15];
    } else {
      shown += c;
    }
  }
  return shown;
}

std::string quoted(const std::string& text) { return "'" + printable(text) + "'"; }

// A JSON value for a message: compact, non-ASCII escaped, shortened.
std::string shown(const json& value) { return printable(value.dump(-1, ' ', true)); }

// Deeper documents are refused (a spec needs 4 levels; printing a value is
// recursive in its depth).
constexpr int max_nesting = 64;
// As many dimensions as a .npy header takes (npy.hpp).
constexpr std::size_t max_dimensions = npy_max_dimensions;

// A JSON value of params as the text --param takes: integers in decimal,
// other numbers as the shortest text that reads back as the same double.
std::string param_text(const json& value, const std::string& where) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number_float()) return format_double(value.get<double>());
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  throw UsageError(where + ": " + shown(value) + " is not a number or a string");
}

std::vector<std::int64_t> parse_shape_value(const json& value, const std::string& where) {
  if (!value.is_array()) throw UsageError(where + ": " + shown(value) + " is not an array of dimensions");
  if (value.size() > max_dimensions) {
    throw UsageError(where + ": " + std::to_string(value.size()) + " dimensions (at most " +
                     std::to_string(max_dimensions) + ")");
  }
  std::vector<std::int64_t> shape;
  std::uint64_t total = 1;
  for (const json& dimension : value) {
    if (!dimension.is_number_integer() || (dimension.is_number_integer() && !dimension.is_number_unsigned() &&
                                           dimension.get<std::int64_t>() < 0)) {
      throw UsageError(where + ": " + shown(dimension) + " in " + shown(value) +
                       " is not a dimension (an integer >= 0)");
    }
    const std::uint64_t d = dimension.get<std::uint64_t>();
    if (d > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
        (d != 0 && total > std::numeric_limits<std::uint64_t>::max() / d)) {
      throw UsageError(where + ": " + shown(value) + " has 2^64 elements or more");
    }
    total *= d;
    shape.push_back(static_cast<std::int64_t>(d));
  }
  return shape;
}

std::optional<Layout> parse_layout_value(const json& value, const std::string& where) {
  if (!value.is_string()) throw UsageError(where + ": " + shown(value) + " is not \"torch\" or \"keras\"");
  return parse_layout(value.get<std::string>(), where);
}

ParameterSpec parse_parameter(const json& entry, std::size_t index) {
  std::string label = "parameters[" + std::to_string(index) + "]";
  if (!entry.is_object()) throw UsageError(label + ": not an object");
  ParameterSpec parameter;
  if (!entry.contains("name") || !entry["name"].is_string() || entry["name"].get<std::string>().empty()) {
    throw UsageError(label + ": key 'name' must be a non-empty string");
  }
  parameter.name = entry["name"].get<std::string>();
  if (parameter.name == "__metadata__") {
    throw UsageError(label + ": name '__metadata__' is reserved by safetensors");
  }
  label = entry_label(index, parameter.name);
  static const std::set<std::string, std::less<>> known = {"name",      "shape",  "dtype", "init", "params",
                                                           "shard_dim", "stream", "layout"};
  for (const auto& [key, value] : entry.items()) {
    if (!known.contains(key)) {
      throw UsageError(label + ": unknown key " + quoted(key) +
                       " (keys: name, shape, dtype, init, params, shard_dim, stream, layout)");
    }
  }
  for (const char* required : {"shape", "init"}) {
    if (!entry.contains(required)) throw UsageError(label + ": key '" + required + "' is missing");
  }
  parameter.shape = parse_shape_value(entry["shape"], label + " key 'shape'");
  if (!entry["init"].is_string()) throw UsageError(label + " key 'init': " + shown(entry["init"]) + " is not a name");
  parameter.init = entry["init"].get<std::string>();
  if (entry.contains("dtype")) {
    const json& dtype = entry["dtype"];
    try {
      if (!dtype.is_string()) throw std::invalid_argument("not a string");
      parameter.dtype = parse_dtype(dtype.get<std::string>());
    } catch (const std::invalid_argument&) {
      throw UsageError(label + " key 'dtype': " + shown(dtype) + " is not f32, f64, bf16 or f16");
    }
  }
  if (entry.contains("params")) {
    const json& params = entry["params"];
    if (!params.is_object()) throw UsageError(label + " key 'params': " + shown(params) + " is not an object");
    for (const auto& [key, value] : params.items()) {
      parameter.params.emplace_back(key, param_text(value, label + " key " + quoted("params." + key)));
    }
  }
  if (entry.contains("shard_dim")) {
    const json& dim = entry["shard_dim"];
    const auto rank = static_cast<std::int64_t>(parameter.shape.size());
    if (!dim.is_number_integer() || dim.get<std::int64_t>() < -rank || dim.get<std::int64_t>() >= rank) {
      throw UsageError(label + " key 'shard_dim': " + shown(dim) + " is not a dimension of shape " +
                       format_shape(parameter.shape) + " (an integer in [-rank, rank))");
    }
    parameter.shard_dim = static_cast<int>(dim.get<std::int64_t>());
  }
  if (entry.contains("stream")) {
    const json& stream = entry["stream"];
    try {
      if (stream.is_number_unsigned()) {
        parameter.stream = StreamChoice{stream.get<std::uint64_t>(), std::nullopt};
      } else if (stream.is_string()) {
        parameter.stream = parse_stream(stream.get<std::string>());
      } else {
        throw UsageError(shown(stream) + " is not an integer id below 2^64 or a name");
      }
    } catch (const UsageError& error) {
      throw UsageError(label + " key 'stream': " + error.what());
    }
  } else {
    parameter.stream = StreamChoice{stream_id_from_name(parameter.name), parameter.name};
  }
  if (entry.contains("layout")) parameter.layout = parse_layout_value(entry["layout"], label + " key 'layout'");
  return parameter;
}

}  // namespace

std::string entry_label(std::size_t index, const std::string& name) {
  return "parameters[" + std::to_string(index) + "] (" + quoted(name) + ")";
}

namespace {

ModelSpec parse_spec_text(const std::string& text, const std::string& source) {
  json document;
  try {
    document = json::parse(text, [](int depth, json::parse_event_t, json&) {
      if (depth > max_nesting) {
        throw UsageError("values nested more than " + std::to_string(max_nesting) + " levels deep");
      }
      return true;
    });
  } catch (const json::exception& error) {  // parse_error, and out_of_range for numbers beyond a double (1e400)
    throw UsageError(source + ": not valid JSON: " + printable(error.what()));
  } catch (const UsageError& error) {
    throw UsageError(source + ": " + error.what());
  }
  if (!document.is_object()) throw UsageError(source + ": the spec must be a JSON object");
  for (const auto& [key, value] : document.items()) {
    if (key != "seed" && key != "layout" && key != "parameters") {
      throw UsageError(source + ": unknown key " + quoted(key) + " (keys: seed, layout, parameters)");
    }
  }
  ModelSpec spec;
  if (document.contains("seed")) {
    const json& seed = document["seed"];
    if (seed.is_number_unsigned()) {
      spec.seed = seed.get<std::uint64_t>();
    } else if (seed.is_string()) {
      spec.seed = parse_uint64(seed.get<std::string>(), source + " key 'seed'");
    } else {
      throw UsageError(source + " key 'seed': " + shown(seed) + " is not an integer in [0, 2^64)");
    }
  }
  if (document.contains("layout")) spec.layout = parse_layout_value(document["layout"], source + " key 'layout'");
  if (!document.contains("parameters") || !document["parameters"].is_array()) {
    throw UsageError(source + ": key 'parameters' (an array of parameter objects) is missing");
  }
  std::set<std::string, std::less<>> names;
  std::size_t index = 0;
  for (const json& entry : document["parameters"]) {
    ParameterSpec parameter = parse_parameter(entry, index);
    if (!names.insert(parameter.name).second) {
      throw UsageError(entry_label(index, parameter.name) + " key 'name': duplicate name");
    }
    spec.parameters.push_back(std::move(parameter));
    ++index;
  }
  return spec;
}

}  // namespace

ModelSpec parse_model_spec(const std::string& text, const std::string& source) {
  try {
    return parse_spec_text(text, source);
  } catch (const UsageError& error) {
    // Every message, also those of the value parsers quoting spec text, is
    // printable and bounded.
    throw UsageError(printable(error.what(), 2000));
  } catch (const json::exception& error) {  // a value of an unexpected kind the checks above missed
    throw UsageError(source + ": " + printable(error.what()));
  }
}

ModelSpec read_model_spec(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw FileError(path + ": cannot be read");
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) throw FileError(path + ": read error");
  return parse_model_spec(text.str(), path);
}

}  // namespace nninit::cli
