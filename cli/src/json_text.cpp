// JSON text for the CLI's machine-readable output.
#include "json_text.hpp"

#include <cmath>
#include <cstdio>

#include "arguments.hpp"

namespace nninit::cli {

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_number(double value) {
  return std::isfinite(value) ? format_double(value) : std::string("null");
}

std::string json_shape(const std::vector<std::int64_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string json_producer(const NpyProvenance& provenance) {
  if (!provenance.written_by_nninit) return "null";
  return "{\"name\": \"nninit\", \"stream_version\": " + std::to_string(provenance.stream_version) +
         ", \"clamp\": " + (provenance.clamp.empty() ? std::string("null") : json_string(provenance.clamp)) + "}";
}

}  // namespace nninit::cli
