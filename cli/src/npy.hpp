// npy.hpp — the NumPy .npy format (format version 1.0, little-endian, C order)
// as the CLI writes and reads it (a whole file with read_npy, or piece by
// piece in constant memory with NpyReader, also from pipes) and the
// provenance marker nninit puts in its headers (the output file they are
// written to: output_file.hpp).
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
#include <string_view>
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

// Who wrote a .npy file. nninit marks its files with a Python comment after
// the header dict (numpy ignores it; it rejects extra dict keys), e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (256, 784), } # nninit stream_version=1 clamp=inside
// so that a reader can tell nninit's values (stream version, 16-bit values
// clamped inside the distribution's bounds) from another framework's.
struct NpyProvenance {
  bool written_by_nninit = false;  // the header carries the marker
  int stream_version = 0;          // nninit::stream_version of the writer (1..999999999)
  std::string clamp;               // "inside" (nninit fill), or empty when not given
};

// The marker of files written by this build of nninit: stream_version =
// nninit::stream_version, clamp = "inside".
NpyProvenance nninit_provenance();

// The complete .npy header (magic, version 1.0, length, dict padded with
// spaces and ended by '\n' to a multiple of 64 bytes) for elements of `dtype`
// with `shape`; with the provenance marker comment when
// `provenance.written_by_nninit`. Example:
//   npy_header(DType::f32, {256, 784}, nninit_provenance())
std::string npy_header(DType dtype, const std::vector<std::int64_t>& shape,
                       const NpyProvenance& provenance = {});

// Limits on what the reader accepts from a hostile file (numpy's own files
// stay far below them): the header's length, the nesting depth of the values
// of keys it skips, and the number of dimensions (numpy allows 32).
inline constexpr std::size_t npy_max_header_bytes = std::size_t{1} << 24;
inline constexpr int npy_max_nesting = 64;
inline constexpr std::size_t npy_max_dimensions = 64;

struct NpyFile {
  std::string path;
  std::string descr;         // as in the file, e.g. "<f4"
  DType dtype = DType::f32;  // '<u2' reads as bf16
  bool fortran_order = false;
  std::vector<std::int64_t> shape;
  std::uint64_t count = 0;     // product of shape
  NpyProvenance provenance;    // from the marker comment after the header dict
  std::vector<double> values;  // every element, converted exactly to double, in storage order
                               // (read_npy; NpyReader::file() leaves it empty)
};

// Reads a .npy file piece by piece in constant memory. The constructor reads
// and checks the header: an unsupported dtype, a malformed or hostile header,
// or (for a regular file) a file too short to hold count * itemsize bytes
// after the header throws FileError naming the file. A directory is refused
// ("FILE: is a directory"); a pipe, FIFO or character device is read
// sequentially and its length checked as it is read. read() then converts
// the elements to double in storage order. Example:
//   NpyReader reader("w.npy");
//   std::vector<double> block(65536);
//   while (const std::size_t n = reader.read(block)) use(std::span(block).first(n));
class NpyReader {
 public:
  explicit NpyReader(const std::string& path);
  // Reads the .npy bytes in `bytes` (which must outlive the reader); `name`
  // stands for the file in messages.
  NpyReader(std::string name, std::span<const unsigned char> bytes);
  NpyReader(const NpyReader&) = delete;
  NpyReader& operator=(const NpyReader&) = delete;
  ~NpyReader();

  // The header's fields (values is empty).
  const NpyFile& file() const noexcept { return file_; }
  // Elements not yet read.
  std::uint64_t remaining() const noexcept { return file_.count - done_; }
  // Converts the next min(out.size(), remaining()) elements into out[0, n)
  // and returns n (0 at the end). Throws FileError when the data ends early
  // or cannot be read.
  std::size_t read(std::span<double> out);
  // Copies the next n = min(elements, remaining()) elements into `out` as
  // the file stores them (little-endian, element_size() bytes each, no
  // conversion) and returns n. Throws as read() does.
  std::size_t read_stored(void* out, std::size_t elements);
  std::size_t element_size() const noexcept { return element_size_; }
  // Skips the elements not yet read; a pipe is read to its end to check
  // that all of them are there (throws FileError if not).
  void skip_rest();
  // The file's size is known (a regular file or memory) and was checked.
  bool size_checked() const noexcept { return size_known_; }

 private:
  void read_header();
  std::size_t read_some(unsigned char* destination, std::size_t bytes);
  void read_data(unsigned char* destination, std::size_t bytes);
  [[noreturn]] void data_ended(std::uint64_t bytes_present) const;

  NpyFile file_;
  int descriptor_ = -1;
  std::span<const unsigned char> memory_;
  std::size_t memory_position_ = 0;
  bool size_known_ = false;
  std::uint64_t size_ = 0;           // the file's size, when known
  std::uint64_t data_offset_ = 0;    // bytes before the data (preamble + header)
  std::uint64_t data_bytes_ = 0;     // count * element size
  std::uint64_t data_consumed_ = 0;  // data bytes read so far
  std::size_t element_size_ = 0;
  std::uint64_t done_ = 0;           // elements read or skipped
  std::vector<unsigned char> buffer_;
};

// Reads a .npy file of '<f4', '<f8', '<f2' or '<u2' (bfloat16 bits) elements
// (format versions 1.0, 2.0 and 3.0). `max_values` (0: all) limits how many
// elements are converted; the file must still hold all of them. Throws
// FileError naming the file and the problem, also when memory for the
// values cannot be allocated ("not enough memory to read N values of FILE").
NpyFile read_npy(const std::string& path, std::uint64_t max_values = 0);
// The same from an open reader whose elements have not been read yet.
NpyFile read_npy(NpyReader& reader, std::uint64_t max_values = 0);

}  // namespace nninit::cli
