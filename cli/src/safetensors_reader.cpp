// Reading a .safetensors checkpoint, hardened against hostile files.
#include "safetensors_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <new>
#include <nlohmann/json.hpp>
#include <set>

namespace nninit::cli {
namespace {

using Json = nlohmann::json;

struct DtypeInfo {
  const char* name;
  std::uint64_t size;
  std::optional<DType> dtype;
};

// Every dtype of the safetensors format, with its element size.
const DtypeInfo* find_dtype(const std::string& name) {
  static const DtypeInfo table[] = {
      {"F64", 8, DType::f64}, {"F32", 4, DType::f32}, {"F16", 2, DType::f16}, {"BF16", 2, DType::bf16},
      {"I64", 8, {}},         {"U64", 8, {}},         {"I32", 4, {}},         {"U32", 4, {}},
      {"I16", 2, {}},         {"U16", 2, {}},         {"I8", 1, {}},          {"U8", 1, {}},
      {"BOOL", 1, {}},        {"F8_E4M3", 1, {}},     {"F8_E5M2", 1, {}},
  };
  for (const DtypeInfo& info : table) {
    if (name == info.name) return &info;
  }
  return nullptr;
}

// `text` for a message: control characters escaped, at most `limit` characters, quoted.
std::string shown(const std::string& text, std::size_t limit = 80, const char* quote = "'") {
  std::string out = quote;
  for (const char c : text.substr(0, limit)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", u);
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + (text.size() > limit ? "..." : "") + quote;
}

[[noreturn]] void fail(const std::string& source, const std::string& message) {
  throw FileError(source + ": " + message);
}

std::uint64_t unsigned_field(const Json& value, const std::string& source, const std::string& field) {
  if (!value.is_number_unsigned()) {
    if (value.is_number_integer() && value.get<std::int64_t>() < 0) fail(source, field + " is negative");
    fail(source, field + " is not a non-negative integer");
  }
  return value.get<std::uint64_t>();
}

SafetensorsTensor parse_tensor(const std::string& name, const Json& entry, const std::string& source) {
  const std::string where = "tensor " + shown(name);
  if (!entry.is_object()) fail(source, where + " is not an object");
  SafetensorsTensor tensor;
  tensor.name = name;
  for (const auto& [key, value] : entry.items()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") {
      fail(source, where + ": unknown key " + shown(key) + " (a tensor has dtype, shape and data_offsets)");
    }
  }
  for (const char* key : {"dtype", "shape", "data_offsets"}) {
    if (!entry.contains(key)) fail(source, where + ": no \"" + key + "\"");
  }
  const Json& dtype = entry["dtype"];
  if (!dtype.is_string()) fail(source, where + ": \"dtype\" is not a string");
  tensor.dtype_text = dtype.get<std::string>();
  const DtypeInfo* info = find_dtype(tensor.dtype_text);
  if (!info) fail(source, where + ": unknown dtype " + shown(tensor.dtype_text));
  tensor.dtype = info->dtype;
  const Json& shape = entry["shape"];
  if (!shape.is_array()) fail(source, where + ": \"shape\" is not an array");
  if (shape.size() > safetensors_max_dimensions) {
    fail(source, where + ": \"shape\" has " + std::to_string(shape.size()) + " dimensions (at most " +
                     std::to_string(safetensors_max_dimensions) + ")");
  }
  tensor.count = 1;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    const std::uint64_t extent = unsigned_field(shape[d], source, where + ": \"shape\"[" + std::to_string(d) + "]");
    if (extent > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      fail(source, where + ": \"shape\"[" + std::to_string(d) + "] is too large");
    }
    if (extent != 0 && tensor.count > std::numeric_limits<std::uint64_t>::max() / extent) {
      fail(source, where + ": the elements of \"shape\" overflow 2^64");
    }
    tensor.count *= extent;
    tensor.shape.push_back(static_cast<std::int64_t>(extent));
  }
  if (tensor.count > std::numeric_limits<std::uint64_t>::max() / info->size) {
    fail(source, where + ": the bytes of \"shape\" overflow 2^64");
  }
  const Json& offsets = entry["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2) fail(source, where + ": \"data_offsets\" is not [BEGIN, END]");
  tensor.begin = unsigned_field(offsets[0], source, where + ": \"data_offsets\"[0]");
  tensor.end = unsigned_field(offsets[1], source, where + ": \"data_offsets\"[1]");
  if (tensor.end < tensor.begin) {
    fail(source, where + ": \"data_offsets\" [" + std::to_string(tensor.begin) + ", " + std::to_string(tensor.end) +
                     "] ends before it begins");
  }
  const std::uint64_t bytes = tensor.count * info->size;
  if (tensor.end - tensor.begin != bytes) {
    fail(source, where + ": \"data_offsets\" [" + std::to_string(tensor.begin) + ", " + std::to_string(tensor.end) +
                     "] hold " + std::to_string(tensor.end - tensor.begin) + " bytes; " + tensor.dtype_text +
                     " of shape needs " + std::to_string(bytes));
  }
  return tensor;
}

NpyProvenance provenance_of(const std::map<std::string, std::string>& metadata) {
  NpyProvenance provenance;
  const auto found = metadata.find("nninit");
  if (found == metadata.end() || found->second.rfind("stream_version=", 0) != 0) return provenance;
  const std::string digits = found->second.substr(15);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return provenance;
  }
  provenance.written_by_nninit = true;
  provenance.stream_version = std::stoi(digits);
  provenance.clamp = "inside";  // nninit init's values are nninit's fills
  return provenance;
}

struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

void read_exactly(int fd, void* destination, std::uint64_t bytes, std::uint64_t offset, const std::string& source) {
  auto* out = static_cast<unsigned char*>(destination);
  while (bytes > 0) {
    const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(bytes, std::uint64_t{1} << 30));
    const ssize_t got = ::pread(fd, out, chunk, static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      fail(source, std::string("cannot read: ") + std::strerror(errno));
    }
    if (got == 0) fail(source, "the file ended early (it was truncated while being read)");
    out += got;
    offset += static_cast<std::uint64_t>(got);
    bytes -= static_cast<std::uint64_t>(got);
  }
}

int open_regular(const std::string& path, std::uint64_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    ::close(fd);
    fail(path, "not a regular file (a safetensors checkpoint is read at its offsets)");
  }
  size = static_cast<std::uint64_t>(status.st_size);
  return fd;
}

}  // namespace

SafetensorsIndex parse_safetensors_header(std::span<const char> header, std::uint64_t data_bytes,
                                          const std::string& source) {
  std::set<std::string> names;
  // Depth limit and duplicate names, as the parser meets them.
  const Json::parser_callback_t check = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > safetensors_max_nesting) {
      fail(source, "the header nests deeper than " + std::to_string(safetensors_max_nesting) + " levels");
    }
    if (event == Json::parse_event_t::key && depth == 1) {
      const std::string name = parsed.get<std::string>();
      if (!names.insert(name).second) fail(source, "the header names " + shown(name) + " twice");
    }
    return true;
  };
  Json root;
  try {
    root = Json::parse(header.begin(), header.end(), check);
  } catch (const Json::exception& error) {
    fail(source, "the header is not valid JSON: " + shown(error.what(), 300, ""));
  }
  if (!root.is_object()) fail(source, "the header is not a JSON object");
  SafetensorsIndex index;
  index.path = source;
  index.data_start = 8 + header.size();
  for (const auto& [name, entry] : root.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) fail(source, "\"__metadata__\" is not an object");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) fail(source, "\"__metadata__\"[" + shown(key) + "] is not a string");
        index.metadata[key] = value.get<std::string>();
      }
      continue;
    }
    if (name.empty()) fail(source, "a tensor has an empty name");
    index.tensors.push_back(parse_tensor(name, entry, source));
  }
  std::sort(index.tensors.begin(), index.tensors.end(),
            [](const SafetensorsTensor& a, const SafetensorsTensor& b) {
              return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
            });
  std::uint64_t expected = 0;
  for (const SafetensorsTensor& tensor : index.tensors) {
    const std::string where = "tensor " + shown(tensor.name) + ": \"data_offsets\" [" + std::to_string(tensor.begin) +
                              ", " + std::to_string(tensor.end) + "]";
    if (tensor.end > data_bytes) {
      fail(source, where + " reach beyond the data (" + std::to_string(data_bytes) + " bytes after the header)");
    }
    if (tensor.begin < expected) fail(source, where + " overlap the tensor before it (which ends at " + std::to_string(expected) + ")");
    if (tensor.begin > expected) fail(source, where + " leave a gap after byte " + std::to_string(expected));
    expected = tensor.end;
  }
  if (expected != data_bytes) {
    fail(source, "the tensors end at byte " + std::to_string(expected) + " of the data, which has " +
                     std::to_string(data_bytes));
  }
  index.provenance = provenance_of(index.metadata);
  return index;
}

SafetensorsIndex read_safetensors_index(const std::string& path) {
  std::uint64_t size = 0;
  Descriptor file{open_regular(path, size)};
  if (size < 8) fail(path, "too short for a safetensors file (" + std::to_string(size) + " bytes; the header length takes 8)");
  unsigned char length_bytes[8];
  read_exactly(file.fd, length_bytes, 8, 0, path);
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | length_bytes[i];
  if (length > safetensors_max_header_bytes) {
    fail(path, "header length " + std::to_string(length) + " is over the limit of " +
                   std::to_string(safetensors_max_header_bytes) + " bytes");
  }
  if (length > size - 8) {
    fail(path, "header length " + std::to_string(length) + " reaches beyond the file (" + std::to_string(size) +
                   " bytes)");
  }
  std::string header(static_cast<std::size_t>(length), '\0');
  read_exactly(file.fd, header.data(), length, 8, path);
  return parse_safetensors_header(std::span<const char>(header.data(), header.size()), size - 8 - length, path);
}

NpyRawValues read_safetensors_tensor(const SafetensorsIndex& index, const SafetensorsTensor& tensor) {
  const std::string source = index.path + ":" + tensor.name;
  if (!tensor.dtype) fail(source, "dtype " + tensor.dtype_text + " is not one nninit reads (F32, F64, BF16, F16)");
  NpyRawValues raw;
  raw.file.path = source;
  raw.file.dtype = *tensor.dtype;
  raw.file.descr = tensor.dtype_text;
  raw.file.shape = tensor.shape;
  raw.file.count = tensor.count;
  raw.file.provenance = index.provenance;
  std::uint64_t size = 0;
  Descriptor file{open_regular(index.path, size)};
  if (index.data_start + tensor.end > size) fail(source, "the file is shorter than its header says (truncated?)");
  void* destination = nullptr;
  try {
    const auto count = static_cast<std::size_t>(tensor.count);
    switch (*tensor.dtype) {
      case DType::f32:
        raw.f32.resize(count);
        destination = raw.f32.data();
        break;
      case DType::f64:
        raw.f64.resize(count);
        destination = raw.f64.data();
        break;
      case DType::bf16:
      case DType::f16:
        raw.bits.resize(count);
        destination = raw.bits.data();
        break;
    }
  } catch (const std::bad_alloc&) {
    fail(source, "not enough memory to read " + std::to_string(tensor.count) + " values");
  } catch (const std::length_error&) {
    fail(source, "not enough memory to read " + std::to_string(tensor.count) + " values");
  }
  read_exactly(file.fd, destination, tensor.end - tensor.begin, index.data_start + tensor.begin, source);
  return raw;  // little-endian on every machine nninit builds for
}

}  // namespace nninit::cli
