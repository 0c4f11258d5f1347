// Reading a .npz checkpoint member by member through libzip.
#include "npz_reader.hpp"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <set>
#include <span>
#include <stdexcept>

#include "npy.hpp"

namespace nninit::cli {
namespace {

[[noreturn]] void fail(const std::string& source, const std::string& message) {
  throw FileError(source + ": " + message);
}

// `text` for a message: control characters escaped, at most 80 characters, quoted.
std::string shown(const std::string& text) {
  std::string out = "'";
  for (const char c : text.substr(0, 80)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", u);
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + (text.size() > 80 ? "...'" : "'");
}

}  // namespace

NpzArchive::NpzArchive(std::string path) : path_(std::move(path)) {
  int code = 0;
  archive_ = zip_open(path_.c_str(), ZIP_RDONLY, &code);
  if (!archive_) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    const std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    fail(path_, "cannot read as a zip archive (.npz): " + message);
  }
  try {
    const zip_int64_t count = zip_get_num_entries(archive_, 0);
    std::set<std::string> seen;
    for (zip_int64_t i = 0; i < count; ++i) {
      const char* raw_name = zip_get_name(archive_, static_cast<zip_uint64_t>(i), 0);
      if (!raw_name) fail(path_, "member " + std::to_string(i) + " has no readable name");
      const std::string name = raw_name;
      if (name.size() < 5 || name.compare(name.size() - 4, 4, ".npy") != 0) {
        fail(path_, "member " + shown(name) + " is not a .npy file (an .npz holds NAME.npy members)");
      }
      const std::string tensor = name.substr(0, name.size() - 4);
      if (!seen.insert(tensor).second) fail(path_, "member " + shown(name) + " appears twice");
      names_.push_back(tensor);
      indices_.push_back(static_cast<unsigned long long>(i));
    }
  } catch (...) {
    zip_discard(archive_);
    throw;
  }
}

NpzArchive::~NpzArchive() {
  if (archive_) zip_discard(archive_);
}

NpyRawValues NpzArchive::read(const std::string& name) const {
  const auto found = std::find(names_.begin(), names_.end(), name);
  const std::string source = path_ + ":" + name;
  if (found == names_.end()) fail(source, "no such member");
  const auto index = static_cast<zip_uint64_t>(indices_[static_cast<std::size_t>(found - names_.begin())]);
  zip_stat_t status;
  zip_stat_init(&status);
  if (zip_stat_index(archive_, index, 0, &status) != 0 || !(status.valid & ZIP_STAT_SIZE)) {
    fail(source, std::string("cannot read the member's size: ") + zip_strerror(archive_));
  }
  if (status.size > std::numeric_limits<std::size_t>::max() / 2) fail(source, "the member is too large");
  std::vector<unsigned char> bytes;
  try {
    bytes.resize(static_cast<std::size_t>(status.size));
  } catch (const std::bad_alloc&) {
    fail(source, "not enough memory to read its " + std::to_string(status.size) + " bytes");
  }
  zip_file_t* member = zip_fopen_index(archive_, index, 0);
  if (!member) fail(source, std::string("cannot open the member: ") + zip_strerror(archive_));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const zip_int64_t got = zip_fread(member, bytes.data() + done, bytes.size() - done);
    if (got < 0) {
      const std::string message = zip_file_strerror(member);
      zip_fclose(member);
      fail(source, "cannot read the member: " + message);
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  unsigned char extra = 0;
  const zip_int64_t more = done == bytes.size() ? zip_fread(member, &extra, 1) : 0;
  zip_fclose(member);
  if (done != bytes.size() || more != 0) {
    fail(source, "the member holds " + std::string(done != bytes.size() ? "fewer" : "more") +
                     " bytes than the archive says (" + std::to_string(bytes.size()) + ")");
  }
  // The .npy inside, checked as a file is (header, dtype, the data's length).
  NpyReader reader(source, std::span<const unsigned char>(bytes.data(), bytes.size()));
  NpyRawValues raw;
  raw.file = reader.file();
  const std::size_t count = static_cast<std::size_t>(raw.file.count);
  const std::size_t data_bytes = count * dtype_size(raw.file.dtype);
  if (raw.file.fortran_order) fail(source, "Fortran order is not read (save the array in C order)");
  // The data follows the header: 10 + its 2-byte length (format 1.0) or 12
  // + its 4-byte length (2.0, 3.0); the reader has checked both.
  const std::size_t offset =
      bytes[6] == 1 ? 10 + (std::size_t{bytes[8]} | std::size_t{bytes[9]} << 8)
                    : 12 + (std::size_t{bytes[8]} | std::size_t{bytes[9]} << 8 | std::size_t{bytes[10]} << 16 |
                            std::size_t{bytes[11]} << 24);
  if (offset > bytes.size() || data_bytes > bytes.size() - offset) {
    fail(source, "the member is shorter than its header says");
  }
  const unsigned char* data = bytes.data() + offset;
  try {
    switch (raw.file.dtype) {
      case DType::f32:
        raw.f32.resize(count);
        std::memcpy(raw.f32.data(), data, data_bytes);
        break;
      case DType::f64:
        raw.f64.resize(count);
        std::memcpy(raw.f64.data(), data, data_bytes);
        break;
      case DType::bf16:
      case DType::f16:
        raw.bits.resize(count);
        std::memcpy(raw.bits.data(), data, data_bytes);
        break;
    }
  } catch (const std::bad_alloc&) {
    fail(source, "not enough memory to read " + std::to_string(count) + " values");
  }
  return raw;
}

}  // namespace nninit::cli
