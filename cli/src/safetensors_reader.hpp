// safetensors_reader.hpp — reading a .safetensors checkpoint one tensor at a
// time (`nninit validate CHECKPOINT --spec`): the header is parsed and every
// field checked against a hostile file before any data is read, then each
// tensor's bytes are read on their own, so memory holds one tensor.
//
// The format: an 8-byte little-endian header length N, N bytes of JSON
//   {"__metadata__": {"key": "value", ...},
//    "NAME": {"dtype": "F32", "shape": [768, 3072], "data_offsets": [BEGIN, END]}, ...}
// then the data; offsets are relative to the byte after the header, and the
// tensors, in offset order, cover the data exactly (no gap, no overlap).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nninit/dtype.hpp"
#include "npy_raw_values.hpp"

namespace nninit::cli {

// Limits on a hostile header: its length (the safetensors library's own
// limit is 100 MB), nesting depth, dimensions per tensor.
inline constexpr std::uint64_t safetensors_max_header_bytes = 100'000'000;
inline constexpr int safetensors_max_nesting = 16;
inline constexpr std::size_t safetensors_max_dimensions = 64;

struct SafetensorsTensor {
  std::string name;
  std::string dtype_text;         // as in the file: "F32", "BF16", "I64", ...
  std::optional<DType> dtype;     // set for F32, F64, BF16, F16 (the types nninit validates)
  std::vector<std::int64_t> shape;
  std::uint64_t count = 0;        // product of shape
  std::uint64_t begin = 0, end = 0;  // data_offsets, relative to the data
};

struct SafetensorsIndex {
  std::string path;
  std::map<std::string, std::string> metadata;  // "__metadata__"
  std::vector<SafetensorsTensor> tensors;       // in offset order
  std::uint64_t data_start = 0;                 // 8 + N
  NpyProvenance provenance;                     // from metadata "nninit": "stream_version=V"
};

// Parses and checks a header: `header` is the N bytes of JSON, `data_bytes`
// the bytes after it. Throws FileError naming `source` and the field on:
// malformed JSON (or nesting deeper than safetensors_max_nesting), a top
// level that is not an object, a duplicate name, a tensor entry that is not
// an object or has a missing, unknown or mistyped key, an unknown dtype, a
// negative or non-integer dimension, more than safetensors_max_dimensions,
// a shape whose element or byte count overflows 2^64, data_offsets that are
// not two integers BEGIN <= END, END - BEGIN not the tensor's byte count,
// tensors beyond the data, overlapping, or leaving a gap, metadata that is
// not an object of strings.
SafetensorsIndex parse_safetensors_header(std::span<const char> header, std::uint64_t data_bytes,
                                          const std::string& source);

// Opens `path` (a regular file), reads its 8-byte length (at most
// safetensors_max_header_bytes and within the file) and its header, and
// checks them (parse_safetensors_header). FileError naming the file otherwise.
SafetensorsIndex read_safetensors_index(const std::string& path);

// The values of one tensor of `index` (a supported dtype), read from the
// file in their own dtype; raw.file.path is "PATH:NAME", its shape, dtype,
// count and provenance those of the tensor. FileError when the file cannot
// be read or memory not allocated.
NpyRawValues read_safetensors_tensor(const SafetensorsIndex& index, const SafetensorsTensor& tensor);

}  // namespace nninit::cli
