// safetensors_writer.hpp — writes a .safetensors checkpoint tensor by tensor:
// the 8-byte little-endian length N of the header, N bytes of JSON header
// ({name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
// {str: str}}, padded with spaces to a multiple of 8), then every tensor's
// raw little-endian C-order bytes in the order given (offsets relative to the
// end of the header). The header is known up front, so the data streams out
// without holding more than the caller's buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nninit/dtype.hpp"
#include "output_file.hpp"

namespace nninit::cli {

// One tensor of the header to write. (Not named SafetensorsTensor: that is
// the reader's struct, safetensors_reader.hpp; two classes of one name in
// one program break the one-definition rule.)
struct SafetensorsEntry {
  std::string name;
  DType dtype = DType::f32;
  std::vector<std::int64_t> shape;
};

// "F32", "F64", "BF16", "F16".
const char* safetensors_dtype(DType dtype);

// The 8-byte length and the padded JSON header for `tensors` (in data order).
std::string safetensors_header(const std::vector<SafetensorsEntry>& tensors,
                               const std::map<std::string, std::string>& metadata);

class SafetensorsWriter {
 public:
  // Writes the header to `output` at once. Throws FileError.
  SafetensorsWriter(AtomicOutputFile& output, std::vector<SafetensorsEntry> tensors,
                    const std::map<std::string, std::string>& metadata);
  // Appends bytes of the current tensor (tensors in the order given);
  // std::logic_error if more bytes come than the tensors hold.
  void write(const void* data, std::size_t bytes);
  // Checks every tensor got exactly its bytes (std::logic_error otherwise).
  void finish() const;

 private:
  AtomicOutputFile& output_;
  std::uint64_t expected_bytes_ = 0;
  std::uint64_t written_bytes_ = 0;
};

}  // namespace nninit::cli
