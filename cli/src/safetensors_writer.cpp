// safetensors_writer.cpp — the safetensors header and the streaming writer.
#include "safetensors_writer.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace nninit::cli {

const char* safetensors_dtype(DType dtype) {
  switch (dtype) {
    case DType::f32: return "F32";
    case DType::f64: return "F64";
    case DType::bf16: return "BF16";
    case DType::f16: return "F16";
  }
  throw std::logic_error("safetensors_dtype: unknown dtype");
}

namespace {
std::uint64_t tensor_bytes(const SafetensorsEntry& tensor) {
  std::uint64_t count = 1;
  for (const std::int64_t d : tensor.shape) count *= static_cast<std::uint64_t>(d);
  return count * dtype_size(tensor.dtype);
}
}  // namespace

std::string safetensors_header(const std::vector<SafetensorsEntry>& tensors,
                               const std::map<std::string, std::string>& metadata) {
  // ordered_json keeps the tensors in data order (readers sort by offset anyway).
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  for (const SafetensorsEntry& tensor : tensors) {
    const std::uint64_t end = offset + tensor_bytes(tensor);
    header[tensor.name] = {{"dtype", safetensors_dtype(tensor.dtype)}, {"shape", tensor.shape},
                           {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string bytes(8, '\0');
  const auto length = static_cast<std::uint64_t>(text.size());
  for (int i = 0; i < 8; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<char>((length >> (8 * i)) & 0xFF);
  return bytes + text;
}

SafetensorsWriter::SafetensorsWriter(AtomicOutputFile& output, std::vector<SafetensorsEntry> tensors,
                                     const std::map<std::string, std::string>& metadata)
    : output_(output) {
  for (const SafetensorsEntry& tensor : tensors) expected_bytes_ += tensor_bytes(tensor);
  const std::string header = safetensors_header(tensors, metadata);
  output_.write(header.data(), header.size());
}

void SafetensorsWriter::write(const void* data, std::size_t bytes) {
  if (bytes > expected_bytes_ - written_bytes_) throw std::logic_error("SafetensorsWriter: more data than the header");
  output_.write(data, bytes);
  written_bytes_ += bytes;
}

void SafetensorsWriter::finish() const {
  if (written_bytes_ != expected_bytes_) throw std::logic_error("SafetensorsWriter: tensors not complete");
}

}  // namespace nninit::cli
