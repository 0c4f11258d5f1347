// safetensors_reader_fuzzer.cpp — libFuzzer harness of the safetensors
// header checks (cli/src/safetensors_reader.cpp) on arbitrary bytes, split
// as a file is: the 8-byte little-endian length N, N bytes of header, the
// rest as the data. Findings: crashes and sanitizer reports, any exception
// but FileError, and a broken property of an accepted header (each aborts).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <span>
#include <string>

#include "safetensors_reader.hpp"

namespace {

using nninit::cli::FileError;

void require(bool condition, const char* property) {
  if (!condition) {
    std::fprintf(stderr, "safetensors_reader_fuzzer: property broken: %s\n", property);
    std::abort();
  }
}

std::uint64_t element_size(const std::string& dtype) {
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  return 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | data[i];
  if (length > size - 8) length = size - 8;  // the file reader refuses these; fuzz the header instead
  const std::span<const char> header(reinterpret_cast<const char*>(data + 8), static_cast<std::size_t>(length));
  const std::uint64_t data_bytes = size - 8 - length;
  nninit::cli::SafetensorsIndex index;
  try {
    index = nninit::cli::parse_safetensors_header(header, data_bytes, "input.safetensors");
  } catch (const FileError& error) {
    const std::string message = error.what();
    require(message.rfind("input.safetensors: ", 0) == 0, "a FileError names the file");
    require(message.size() < 4096, "a FileError message is short");
    return 0;
  }
  // An accepted header: tensors in offset order covering the data exactly,
  // each holding its shape's bytes, names unique and not empty.
  std::uint64_t at = 0;
  std::set<std::string> names;
  for (const nninit::cli::SafetensorsTensor& tensor : index.tensors) {
    require(!tensor.name.empty() && names.insert(tensor.name).second, "names are unique and not empty");
    require(tensor.begin == at && tensor.begin <= tensor.end, "tensors are contiguous in offset order");
    std::uint64_t count = 1;
    for (const std::int64_t d : tensor.shape) {
      require(d >= 0, "dimensions are not negative");
      count *= static_cast<std::uint64_t>(d);
    }
    require(count == tensor.count, "count is the product of the shape");
    require(tensor.end - tensor.begin == count * element_size(tensor.dtype_text), "offsets hold the shape's bytes");
    at = tensor.end;
  }
  require(at == data_bytes, "the tensors cover the data");
  require(index.data_start == 8 + length, "the data starts after the header");
  return 0;
}
