// npy.hpp — the NumPy .npy format (format version 1.0, little-endian, C order)
// as the CLI writes and reads it, and an output file that appears under its
// name only once it is complete.
//
// Element types: '<f4' float32, '<f8' float64, '<f2' float16 and, because
// numpy has no bfloat16, '<u2' holding the raw bfloat16 bits (the upper half
// of a float32): numpy users decode it with
//     (a.astype(np.uint32) << 16).view(np.float32)
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "nninit/dtype.hpp"

namespace nninit::cli {

// A bad or unreadable file, or an I/O failure: exit status 2.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The numpy type string of a dtype: "<f4", "<f8", "<u2" (bfloat16 bits), "<f2".
std::string npy_descr(DType dtype);

// The complete .npy header (magic, version 1.0, length, dict padded with
// spaces and ended by '\n' to a multiple of 64 bytes) for `count` elements of
// `dtype` with `shape`.
std::string npy_header(DType dtype, const std::vector<std::int64_t>& shape);

struct NpyFile {
  std::string path;
  std::string descr;         // as in the file, e.g. "<f4"
  DType dtype = DType::f32;  // '<u2' reads as bf16
  bool fortran_order = false;
  std::vector<std::int64_t> shape;
  std::uint64_t count = 0;     // product of shape
  std::vector<double> values;  // every element, converted exactly to double, in storage order
};

// Reads a .npy file of '<f4', '<f8', '<f2' or '<u2' (bfloat16 bits) elements
// (format versions 1.0, 2.0 and 3.0). `max_values` (0: all) limits how many
// elements are converted. Throws FileError naming the file and the problem.
NpyFile read_npy(const std::string& path, std::uint64_t max_values = 0);

// A file written under a temporary name in the destination's directory and
// renamed into place by commit(); destroyed without commit() (an error, an
// exception) it removes the temporary file, so the destination never holds a
// partial write. SIGINT/SIGTERM/SIGHUP also remove it.
class AtomicOutputFile {
 public:
  explicit AtomicOutputFile(std::string path);  // throws FileError
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;
  ~AtomicOutputFile();

  void write(const void* data, std::size_t bytes);  // throws FileError
  void commit();                                    // throws FileError

 private:
  void discard() noexcept;

  std::string path_;
  std::string temporary_path_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

}  // namespace nninit::cli
