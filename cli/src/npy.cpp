// npy.cpp — .npy writing and reading, and the atomic output file.
#include "npy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <limits>
#include <memory>

#include "arguments.hpp"

static_assert(std::endian::native == std::endian::little,
              "the .npy writer stores the machine's bytes as little-endian data");

namespace nninit::cli {

std::string npy_descr(DType dtype) {
  switch (dtype) {
    case DType::f32:
      return "<f4";
    case DType::f64:
      return "<f8";
    case DType::bf16:
      return "<u2";
    case DType::f16:
      return "<f2";
  }
  return "?";
}

std::string npy_header(DType dtype, const std::vector<std::int64_t>& shape) {
  std::string dict =
      "{'descr': '" + npy_descr(dtype) + "', 'fortran_order': False, 'shape': " + format_shape(shape) + ", }";
  // magic (6) + version (2) + length (2) + dict + padding + '\n' = multiple of 64.
  const std::size_t unpadded = 10 + dict.size() + 1;
  const std::size_t padded = (unpadded + 63) / 64 * 64;
  dict.append(padded - unpadded, ' ');
  dict += '\n';
  if (dict.size() > 0xFFFF)
    throw FileError("the .npy header of shape " + format_shape(shape) + " is too long");
  std::string header("\x93NUMPY\x01\x00", 8);
  header += static_cast<char>(dict.size() & 0xFF);
  header += static_cast<char>((dict.size() >> 8) & 0xFF);
  return header + dict;
}

namespace {

// A reader of the Python literal that is the .npy header dict.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& path) : text_(text), path_(path) {}

  void parse(NpyFile& file) {
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') {
        ++position_;
        break;
      }
      const std::string key = parse_string();
      expect(':');
      skip_space();
      if (key == "descr") {
        file.descr = parse_string();
        have_descr = true;
      } else if (key == "fortran_order") {
        const std::string word = parse_word();
        if (word != "True" && word != "False") fail("fortran_order is '" + word + "'");
        file.fortran_order = word == "True";
        have_order = true;
      } else if (key == "shape") {
        file.shape = parse_tuple();
        have_shape = true;
      } else {
        skip_value();
      }
      skip_space();
      if (peek() == ',') {
        ++position_;
      } else if (peek() != '}') {
        fail("expected ',' or '}'");
      }
    }
    if (!have_descr || !have_order || !have_shape) fail("'descr', 'fortran_order' or 'shape' is missing");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw FileError(path_ + ": not a valid .npy header (" + what + " at character " +
                    std::to_string(position_) + ")");
  }
  char peek() const { return position_ < text_.size() ? text_[position_] : '\0'; }
  void skip_space() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_])))
      ++position_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++position_;
  }
  std::string parse_string() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a string");
    const std::size_t end = text_.find(quote, position_ + 1);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string value(text_.substr(position_ + 1, end - position_ - 1));
    position_ = end + 1;
    return value;
  }
  std::string parse_word() {
    skip_space();
    const std::size_t start = position_;
    while (position_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[position_])) || text_[position_] == '_')) {
      ++position_;
    }
    return std::string(text_.substr(start, position_ - start));
  }
  std::vector<std::int64_t> parse_tuple() {
    skip_space();
    const char open = peek();
    const char close = open == '(' ? ')' : ']';
    if (open != '(' && open != '[') fail("shape is not a tuple");
    ++position_;
    std::vector<std::int64_t> shape;
    while (true) {
      skip_space();
      if (peek() == close) {
        ++position_;
        return shape;
      }
      std::string digits = parse_word();
      if (!digits.empty() && (digits.back() == 'L' || digits.back() == 'l')) digits.pop_back();  // Python 2
      std::int64_t dimension = 0;
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), dimension);
      if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || dimension < 0) {
        fail("shape has a dimension '" + digits + "'");
      }
      shape.push_back(dimension);
      skip_space();
      if (peek() == ',')
        ++position_;
      else if (peek() != close)
        fail("expected ',' in the shape");
    }
  }
  void skip_value() {
    skip_space();
    const char c = peek();
    if (c == '\'' || c == '"') {
      parse_string();
    } else if (c == '(' || c == '[' || c == '{') {
      const char close = c == '(' ? ')' : (c == '[' ? ']' : '}');
      ++position_;
      while (true) {
        skip_space();
        if (peek() == close) {
          ++position_;
          return;
        }
        if (peek() == '\0') fail("unterminated value");
        skip_value();
        skip_space();
        if (peek() == ',' || peek() == ':') ++position_;
      }
    } else {
      if (parse_word().empty()) fail("unexpected character");
    }
  }

  std::string_view text_;
  const std::string& path_;
  std::size_t position_ = 0;
};

struct FileCloser {
  void operator()(std::FILE* file) const noexcept {
    if (file != nullptr) std::fclose(file);
  }
};

template <class Bits, class Convert>
void convert_values(const unsigned char* bytes, std::uint64_t count, std::vector<double>& out,
                    Convert convert) {
  out.resize(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < out.size(); ++i) {
    Bits bits;
    std::memcpy(&bits, bytes + i * sizeof(Bits), sizeof(Bits));
    out[i] = convert(bits);
  }
}

}  // namespace

NpyFile read_npy(const std::string& path, std::uint64_t max_values) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw FileError(path + ": cannot open: " + std::strerror(errno));
  unsigned char preamble[12];
  const std::size_t got = std::fread(preamble, 1, 10, file.get());
  if (got < 10 || std::memcmp(preamble, "\x93NUMPY", 6) != 0) {
    throw FileError(path + ": not a .npy file (no \\x93NUMPY magic)");
  }
  const unsigned major = preamble[6];
  std::size_t header_length = 0;
  std::size_t preamble_length = 10;
  if (major == 1) {
    header_length = preamble[8] | (static_cast<std::size_t>(preamble[9]) << 8);
  } else if (major == 2 || major == 3) {
    if (std::fread(preamble + 10, 1, 2, file.get()) != 2) throw FileError(path + ": truncated .npy header");
    header_length = preamble[8] | (static_cast<std::size_t>(preamble[9]) << 8) |
                    (static_cast<std::size_t>(preamble[10]) << 16) |
                    (static_cast<std::size_t>(preamble[11]) << 24);
    preamble_length = 12;
  } else {
    throw FileError(path + ": unsupported .npy format version " + std::to_string(major) + "." +
                    std::to_string(preamble[7]));
  }
  if (header_length > (1u << 24))
    throw FileError(path + ": .npy header length " + std::to_string(header_length) + " is implausible");
  std::string header(header_length, '\0');
  if (std::fread(header.data(), 1, header_length, file.get()) != header_length) {
    throw FileError(path + ": truncated .npy header");
  }
  NpyFile result;
  result.path = path;
  HeaderParser(header, path).parse(result);

  std::size_t element_size = 0;
  if (result.descr == "<f4") {
    result.dtype = DType::f32, element_size = 4;
  } else if (result.descr == "<f8") {
    result.dtype = DType::f64, element_size = 8;
  } else if (result.descr == "<f2") {
    result.dtype = DType::f16, element_size = 2;
  } else if (result.descr == "<u2") {
    result.dtype = DType::bf16, element_size = 2;
  } else if (result.descr.size() == 3 && result.descr[0] == '>') {
    throw FileError(path + ": big-endian data ('" + result.descr +
                    "') is not supported; save it with "
                    "a.astype(a.dtype.newbyteorder('<'))");
  } else {
    throw FileError(path + ": unsupported dtype '" + result.descr +
                    "' (nninit reads '<f4', '<f8', '<f2', and '<u2' as bfloat16 bits)");
  }

  std::uint64_t count = 1;
  for (const std::int64_t dimension : result.shape) {
    const auto d = static_cast<std::uint64_t>(dimension);
    if (d != 0 && count > std::numeric_limits<std::uint64_t>::max() / d / element_size) {
      throw FileError(path + ": shape " + format_shape(result.shape) + " is too large");
    }
    count *= d;
  }
  result.count = count;

  const std::uint64_t data_offset = preamble_length + header_length;
  if (std::fseek(file.get(), 0, SEEK_END) != 0)
    throw FileError(path + ": cannot seek: " + std::strerror(errno));
  const long file_size = std::ftell(file.get());
  if (file_size < 0) throw FileError(path + ": cannot tell its size: " + std::strerror(errno));
  const std::uint64_t expected = data_offset + count * element_size;
  if (static_cast<std::uint64_t>(file_size) < expected) {
    throw FileError(
        path + ": truncated: shape " + format_shape(result.shape) + " of '" + result.descr + "' needs " +
        std::to_string(count * element_size) + " bytes of data, the file has " +
        std::to_string(static_cast<std::uint64_t>(file_size) -
                       std::min<std::uint64_t>(data_offset, static_cast<std::uint64_t>(file_size))));
  }
  const std::uint64_t wanted = max_values == 0 ? count : std::min(count, max_values);
  if (wanted > std::numeric_limits<std::size_t>::max() / element_size) {
    throw FileError(path + ": too large for this machine");
  }
  if (std::fseek(file.get(), static_cast<long>(data_offset), SEEK_SET) != 0) {
    throw FileError(path + ": cannot seek: " + std::strerror(errno));
  }
  std::vector<unsigned char> bytes(static_cast<std::size_t>(wanted) * element_size);
  if (std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size()) {
    throw FileError(path + ": read error");
  }
  switch (result.dtype) {
    case DType::f32:
      convert_values<std::uint32_t>(bytes.data(), wanted, result.values, [](std::uint32_t b) {
        return static_cast<double>(std::bit_cast<float>(b));
      });
      break;
    case DType::f64:
      convert_values<std::uint64_t>(bytes.data(), wanted, result.values,
                                    [](std::uint64_t b) { return std::bit_cast<double>(b); });
      break;
    case DType::f16:
      convert_values<std::uint16_t>(bytes.data(), wanted, result.values, [](std::uint16_t b) {
        return static_cast<double>(to_float(float16{b}));
      });
      break;
    case DType::bf16:
      convert_values<std::uint16_t>(bytes.data(), wanted, result.values, [](std::uint16_t b) {
        return static_cast<double>(to_float(bfloat16{b}));
      });
      break;
  }
  return result;
}

// ---------------------------------------------------------------------------
// AtomicOutputFile

namespace {

// The temporary file of the write in progress, for the signal handler.
char g_temporary_path[4096] = {};

extern "C" void remove_temporary_and_reraise(int signal_number) {
  if (g_temporary_path[0] != '\0') ::unlink(g_temporary_path);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void install_signal_handlers() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP})
    std::signal(signal_number, remove_temporary_and_reraise);
}

}  // namespace

AtomicOutputFile::AtomicOutputFile(std::string path) : path_(std::move(path)) {
  struct stat status {};
  if (::stat(path_.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) {
    throw FileError(path_ + ": is a directory");
  }
  const std::size_t slash = path_.rfind('/');
  const std::string directory = slash == std::string::npos ? "" : path_.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  if (name.empty()) throw FileError("'" + path_ + "' names no file");
  std::string pattern = directory + "." + name + ".tmp-XXXXXX";
  if (pattern.size() >= sizeof g_temporary_path) throw FileError(path_ + ": path too long");
  install_signal_handlers();
  const int descriptor = ::mkstemp(pattern.data());
  if (descriptor < 0) {
    throw FileError(path_ + ": cannot create a file in '" +
                    (directory.empty() ? std::string(".") : directory) + "': " + std::strerror(errno));
  }
  temporary_path_ = pattern;
  std::memcpy(g_temporary_path, temporary_path_.c_str(), temporary_path_.size() + 1);
  // mkstemp creates the file 0600; give it the mode a plain open would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(descriptor, static_cast<mode_t>(0666 & ~mask));
  file_ = ::fdopen(descriptor, "wb");
  if (file_ == nullptr) {
    const int error = errno;
    ::close(descriptor);
    discard();
    throw FileError(path_ + ": " + std::strerror(error));
  }
}

AtomicOutputFile::~AtomicOutputFile() {
  if (!committed_) discard();
}

void AtomicOutputFile::discard() noexcept {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (!temporary_path_.empty()) {
    ::unlink(temporary_path_.c_str());
    temporary_path_.clear();
  }
  g_temporary_path[0] = '\0';
}

void AtomicOutputFile::write(const void* data, std::size_t bytes) {
  if (bytes != 0 && std::fwrite(data, 1, bytes, file_) != bytes) {
    throw FileError(path_ + ": write failed: " + std::strerror(errno));
  }
}

void AtomicOutputFile::commit() {
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) {
    throw FileError(path_ + ": write failed: " + std::strerror(errno));
  }
  const int close_result = std::fclose(file_);
  file_ = nullptr;
  if (close_result != 0) throw FileError(path_ + ": write failed: " + std::strerror(errno));
  if (std::rename(temporary_path_.c_str(), path_.c_str()) != 0) {
    throw FileError(path_ + ": cannot rename the finished file into place: " + std::strerror(errno));
  }
  temporary_path_.clear();
  g_temporary_path[0] = '\0';
  committed_ = true;
}

}  // namespace nninit::cli
