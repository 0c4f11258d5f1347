// npy.cpp — .npy writing and reading.
#include "npy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <utility>

#include "arguments.hpp"
#include "nninit/stream.hpp"

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

NpyProvenance nninit_provenance() {
  return NpyProvenance{.written_by_nninit = true, .stream_version = nninit::stream_version, .clamp = "inside"};
}

std::string npy_header(DType dtype, const std::vector<std::int64_t>& shape, const NpyProvenance& provenance) {
  std::string dict =
      "{'descr': '" + npy_descr(dtype) + "', 'fortran_order': False, 'shape': " + format_shape(shape) + ", }";
  if (provenance.written_by_nninit) {
    // Only what the reader accepts back (see parse_marker below).
    const bool valid_clamp = provenance.clamp.size() <= 32 &&
                             std::all_of(provenance.clamp.begin(), provenance.clamp.end(),
                                         [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
    if (provenance.stream_version < 1 || provenance.stream_version > 999999999 || !valid_clamp) {
      throw FileError("the nninit marker (stream_version " + std::to_string(provenance.stream_version) +
                      ", clamp '" + provenance.clamp + "') cannot be written");
    }
    // A Python comment: numpy's literal_eval of the header ignores it.
    dict += " # nninit stream_version=" + std::to_string(provenance.stream_version);
    if (!provenance.clamp.empty()) dict += " clamp=" + provenance.clamp;
  }
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

// Text from a (possibly hostile) header, fit for a message: at most 40
// characters, anything but printable ASCII as \xNN.
std::string printable(std::string_view text) {
  constexpr std::size_t most = 40;
  std::string out;
  for (std::size_t i = 0; i < std::min(text.size(), most); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(c));
      out += escaped;
    }
  }
  if (text.size() > most) out += "...";
  return out;
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// A reader of the Python literal that is the .npy header dict, followed by
// blanks and an optional comment (nninit's provenance marker). Iterative
// except for skipping the values of unknown keys, which is bounded by
// npy_max_nesting; every loop consumes input, so hostile text costs linear time.
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
        if (word != "True" && word != "False") fail("fortran_order is '" + printable(word) + "'");
        file.fortran_order = word == "True";
        have_order = true;
      } else if (key == "shape") {
        file.shape = parse_tuple();
        have_shape = true;
      } else {
        skip_value(0);
      }
      skip_space();
      if (peek() == ',') {
        ++position_;
      } else if (peek() != '}') {
        fail("expected ',' or '}'");
      }
    }
    if (!have_descr || !have_order || !have_shape) fail("'descr', 'fortran_order' or 'shape' is missing");
    parse_trailer(file.provenance);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw FileError(path_ + ": not a valid .npy header (" + what + " at character " +
                    std::to_string(position_) + ")");
  }
  bool at_end() const { return position_ >= text_.size(); }
  char peek() const { return position_ < text_.size() ? text_[position_] : '\0'; }
  void skip_blanks() {
    while (position_ < text_.size() && is_space(text_[position_])) ++position_;
  }
  // Blanks and Python comments.
  void skip_space() {
    while (true) {
      skip_blanks();
      if (peek() != '#') return;
      position_ = std::min(text_.find('\n', position_), text_.size());
    }
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
  // A number or a name: "3", "-1.5e3", "True".
  std::string_view parse_atom() {
    skip_space();
    const std::size_t start = position_;
    while (position_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[position_])) ||
                                        std::strchr("_.+-", text_[position_]) != nullptr)) {
      ++position_;
    }
    return text_.substr(start, position_ - start);
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
      if (shape.size() == npy_max_dimensions)
        fail("shape has more than " + std::to_string(npy_max_dimensions) + " dimensions");
      const std::string_view word = parse_atom();
      std::string_view digits = word;
      if (!digits.empty() && (digits.back() == 'L' || digits.back() == 'l')) digits.remove_suffix(1);  // Python 2
      std::int64_t dimension = 0;
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), dimension);
      if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || dimension < 0) {
        fail(word.empty() ? std::string("shape has no dimension where one should be")
                          : "shape has a dimension '" + printable(word) + "'");
      }
      shape.push_back(dimension);
      skip_space();
      if (peek() == ',')
        ++position_;
      else if (peek() != close)
        fail("expected ',' in the shape");
    }
  }
  // Skips the value of a key nninit does not use; containers nest at most
  // npy_max_nesting deep (recursion on hostile input must not exhaust the stack).
  void skip_value(int depth) {
    skip_space();
    const char c = peek();
    if (c == '\'' || c == '"') {
      parse_string();
    } else if (c == '(' || c == '[' || c == '{') {
      if (depth >= npy_max_nesting)
        fail("values nested more than " + std::to_string(npy_max_nesting) + " levels deep");
      const char close = c == '(' ? ')' : (c == '[' ? ']' : '}');
      ++position_;
      while (true) {
        skip_space();
        if (peek() == close) {
          ++position_;
          return;
        }
        if (at_end()) fail("unterminated value");
        skip_value(depth + 1);
        skip_space();
        if (peek() == ',' || peek() == ':') ++position_;
      }
    } else {
      // A number, True, None, ...
      if (parse_atom().empty()) fail("unexpected character '" + printable(text_.substr(position_, 1)) + "'");
    }
  }
  // After the dict: blanks, an optional comment (the marker), blanks and
  // comments, and nothing else (numpy's literal_eval allows no more).
  void parse_trailer(NpyProvenance& provenance) {
    skip_blanks();
    if (peek() == '#') {
      const std::size_t end = std::min(text_.find('\n', position_), text_.size());
      parse_marker(text_.substr(position_ + 1, end - position_ - 1), provenance);
      position_ = end;
    }
    skip_space();
    if (!at_end()) fail("unexpected '" + printable(text_.substr(position_, 8)) + "' after the header dict");
  }
  // "# nninit stream_version=N [clamp=WORD] [KEY=VALUE ...]": words [a-z_]
  // and values [A-Za-z0-9_.+-] of at most 32 characters; unknown keys (of a
  // later nninit) are ignored. Any other comment is not nninit's.
  void parse_marker(std::string_view comment, NpyProvenance& provenance) {
    bool first = true, have_version = false, have_clamp = false;
    for (std::size_t i = 0; i < comment.size();) {
      if (is_space(comment[i])) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < comment.size() && !is_space(comment[end])) ++end;
      const std::string_view word = comment.substr(i, end - i);
      i = end;
      if (first) {
        if (word != "nninit") return;  // someone else's comment
        first = false;
        continue;
      }
      const std::size_t equals = word.find('=');
      if (equals == std::string_view::npos) malformed(comment, "'" + printable(word) + "' is not KEY=VALUE");
      const std::string_view key = word.substr(0, equals), value = word.substr(equals + 1);
      if (!is_marker_key(key) || !is_marker_value(value)) malformed(comment, "bad pair '" + printable(word) + "'");
      if (key == "stream_version") {
        if (have_version) malformed(comment, "stream_version given twice");
        int version = 0;
        const auto [last, error] = std::from_chars(value.data(), value.data() + value.size(), version);
        if (error != std::errc() || last != value.data() + value.size() || value.size() > 9 || version < 1) {
          malformed(comment, "stream_version '" + printable(value) + "' is not an integer from 1 to 999999999");
        }
        provenance.stream_version = version;
        have_version = true;
      } else if (key == "clamp") {
        if (have_clamp) malformed(comment, "clamp given twice");
        provenance.clamp = std::string(value);
        have_clamp = true;
      }
    }
    if (first) return;  // an empty comment
    if (!have_version) malformed(comment, "no stream_version");
    provenance.written_by_nninit = true;
  }
  [[noreturn]] void malformed(std::string_view comment, const std::string& why) const {
    fail("malformed nninit marker '" + printable(comment) + "': " + why);
  }
  static bool is_marker_key(std::string_view key) {
    return !key.empty() && key.size() <= 32 &&
           std::all_of(key.begin(), key.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
  }
  static bool is_marker_value(std::string_view value) {
    return !value.empty() && value.size() <= 32 && std::all_of(value.begin(), value.end(), [](char c) {
             return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_.+-", c) != nullptr;
           });
  }

  std::string_view text_;
  const std::string& path_;
  std::size_t position_ = 0;
};

template <class Bits, class Convert>
void convert_values(const unsigned char* bytes, std::size_t count, double* out, Convert convert) {
  for (std::size_t i = 0; i < count; ++i) {
    Bits bits;
    std::memcpy(&bits, bytes + i * sizeof(Bits), sizeof(Bits));
    out[i] = convert(bits);
  }
}

// Little-endian elements of `dtype` to double (exact for every dtype).
void convert_to_double(DType dtype, const unsigned char* bytes, std::size_t count, double* out) {
  switch (dtype) {
    case DType::f32:
      convert_values<std::uint32_t>(bytes, count, out, [](std::uint32_t b) {
        return static_cast<double>(std::bit_cast<float>(b));
      });
      break;
    case DType::f64:
      convert_values<std::uint64_t>(bytes, count, out, [](std::uint64_t b) { return std::bit_cast<double>(b); });
      break;
    case DType::f16:
      convert_values<std::uint16_t>(bytes, count, out, [](std::uint16_t b) {
        return static_cast<double>(to_float(float16{b}));
      });
      break;
    case DType::bf16:
      convert_values<std::uint16_t>(bytes, count, out, [](std::uint16_t b) {
        return static_cast<double>(to_float(bfloat16{b}));
      });
      break;
  }
}

// Elements converted per piece: bounds the reader's buffer (512 KiB).
constexpr std::size_t elements_per_piece = std::size_t{1} << 16;

}  // namespace

NpyReader::NpyReader(const std::string& path) {
  file_.path = path;
  descriptor_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor_ < 0) {
    const int error = errno;
    throw FileError(path + ": cannot open: " + std::strerror(error));
  }
  try {
    struct stat status {};
    if (::fstat(descriptor_, &status) != 0) {
      const int error = errno;
      throw FileError(path + ": cannot stat: " + std::strerror(error));
    }
    if (S_ISDIR(status.st_mode)) throw FileError(path + ": is a directory");
    // A regular file's size is checked against the header; anything else (a
    // pipe, FIFO, character device) is read sequentially and checked as read.
    if (S_ISREG(status.st_mode)) {
      size_known_ = true;
      size_ = static_cast<std::uint64_t>(status.st_size);
    }
    read_header();
  } catch (...) {
    ::close(descriptor_);
    descriptor_ = -1;
    throw;
  }
}

NpyReader::NpyReader(std::string name, std::span<const unsigned char> bytes)
    : memory_(bytes), size_known_(true), size_(bytes.size()) {
  file_.path = std::move(name);
  read_header();
}

NpyReader::~NpyReader() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

std::size_t NpyReader::read_some(unsigned char* destination, std::size_t bytes) {
  if (descriptor_ < 0) {
    const std::size_t length = std::min(bytes, memory_.size() - memory_position_);
    if (length != 0) std::memcpy(destination, memory_.data() + memory_position_, length);
    memory_position_ += length;
    return length;
  }
  std::size_t total = 0;
  while (total < bytes) {
    const ::ssize_t got = ::read(descriptor_, destination + total, std::min<std::size_t>(bytes - total, 1u << 30));
    if (got < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      throw FileError(file_.path + ": read error: " + std::strerror(error));
    }
    if (got == 0) break;
    total += static_cast<std::size_t>(got);
  }
  return total;
}

void NpyReader::data_ended(std::uint64_t bytes_present) const {
  throw FileError(file_.path + ": truncated: shape " + format_shape(file_.shape) + " of '" +
                  printable(file_.descr) + "' needs " + std::to_string(data_bytes_) +
                  " bytes of data after its " + std::to_string(data_offset_) + "-byte header, " +
                  (size_known_ ? "the file has " : "the input ended after ") + std::to_string(bytes_present));
}

void NpyReader::read_data(unsigned char* destination, std::size_t bytes) {
  const std::size_t got = read_some(destination, bytes);
  data_consumed_ += got;
  if (got < bytes) data_ended(data_consumed_);
}

void NpyReader::read_header() {
  const std::string& path = file_.path;
  unsigned char preamble[12];
  if (read_some(preamble, 10) < 10 || std::memcmp(preamble, "\x93NUMPY", 6) != 0) {
    throw FileError(path + ": not a .npy file (no \\x93NUMPY magic)");
  }
  const unsigned major = preamble[6], minor = preamble[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    throw FileError(path + ": unsupported .npy format version " + std::to_string(major) + "." +
                    std::to_string(minor) + " (nninit reads 1.0, 2.0 and 3.0)");
  }
  std::uint64_t header_length = preamble[8] | (std::uint64_t{preamble[9]} << 8);
  std::uint64_t preamble_length = 10;
  if (major != 1) {
    if (read_some(preamble + 10, 2) != 2) throw FileError(path + ": truncated .npy header");
    header_length |= (std::uint64_t{preamble[10]} << 16) | (std::uint64_t{preamble[11]} << 24);
    preamble_length = 12;
  }
  if (header_length > npy_max_header_bytes)
    throw FileError(path + ": .npy header length " + std::to_string(header_length) + " is implausible");
  if (size_known_ && header_length > size_ - preamble_length) {
    throw FileError(path + ": truncated .npy header: it claims " + std::to_string(header_length) +
                    " bytes, the file has " + std::to_string(size_ - preamble_length) + " after the preamble");
  }
  std::string header(static_cast<std::size_t>(header_length), '\0');
  if (read_some(reinterpret_cast<unsigned char*>(header.data()), header.size()) != header.size()) {
    throw FileError(path + ": truncated .npy header");
  }
  HeaderParser(header, path).parse(file_);

  const std::string& descr = file_.descr;
  if (descr == "<f4") {
    file_.dtype = DType::f32, element_size_ = 4;
  } else if (descr == "<f8") {
    file_.dtype = DType::f64, element_size_ = 8;
  } else if (descr == "<f2") {
    file_.dtype = DType::f16, element_size_ = 2;
  } else if (descr == "<u2") {
    file_.dtype = DType::bf16, element_size_ = 2;
  } else if (descr.size() == 3 && descr[0] == '>') {
    throw FileError(path + ": big-endian data ('" + printable(descr) +
                    "') is not supported; save it with "
                    "a.astype(a.dtype.newbyteorder('<'))");
  } else {
    throw FileError(path + ": unsupported dtype '" + printable(descr) +
                    "' (nninit reads '<f4', '<f8', '<f2', and '<u2' as bfloat16 bits)");
  }

  // Overflow-checked sizes: the element count, the data's bytes and where
  // the data ends must all be representable, and the file must hold them.
  std::uint64_t count = 1;
  bool overflow = false;
  for (const std::int64_t dimension : file_.shape) {
    overflow |= __builtin_mul_overflow(count, static_cast<std::uint64_t>(dimension), &count);
  }
  if (std::find(file_.shape.begin(), file_.shape.end(), 0) != file_.shape.end()) count = 0, overflow = false;
  data_offset_ = preamble_length + header_length;  // <= size_ when known: the header was read
  if (overflow || __builtin_mul_overflow(count, std::uint64_t{element_size_}, &data_bytes_)) {
    throw FileError(path + ": shape " + format_shape(file_.shape) + " of '" + descr +
                    "' is too large (its data would exceed 2^64 bytes)");
  }
  file_.count = count;
  if (size_known_ && data_bytes_ > size_ - data_offset_) data_ended(size_ - data_offset_);
}

std::size_t NpyReader::read(std::span<double> out) {
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), remaining()));
  for (std::size_t start = 0; start < n; start += elements_per_piece) {
    const std::size_t length = std::min(elements_per_piece, n - start);
    buffer_.resize(length * element_size_);
    read_data(buffer_.data(), buffer_.size());
    convert_to_double(file_.dtype, buffer_.data(), length, out.data() + start);
    done_ += length;
  }
  return n;
}

std::size_t NpyReader::read_stored(void* out, std::size_t elements) {
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(elements, remaining()));
  read_data(static_cast<unsigned char*>(out), n * element_size_);
  done_ += n;
  return n;
}

void NpyReader::skip_rest() {
  if (!size_known_) {
    // A stream's length is known only once it ends: read it to the end.
    std::uint64_t left = (file_.count - done_) * element_size_;
    buffer_.resize(elements_per_piece * element_size_);
    while (left > 0) {
      const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer_.size()));
      read_data(buffer_.data(), length);
      left -= length;
    }
  }
  done_ = file_.count;
}

NpyFile read_npy(NpyReader& reader, std::uint64_t max_values) {
  NpyFile result = reader.file();
  const std::uint64_t wanted = max_values == 0 ? reader.remaining() : std::min(reader.remaining(), max_values);
  try {
    if (wanted > result.values.max_size()) throw std::length_error("too many values");
    // Reserve what a checked file size proves is there; a pipe's header may
    // claim more than ever arrives, so its values grow as they are read.
    constexpr std::uint64_t piece = std::uint64_t{1} << 20;
    result.values.reserve(static_cast<std::size_t>(reader.size_checked() ? wanted : std::min(wanted, piece)));
    while (result.values.size() < wanted) {
      const std::size_t before = result.values.size();
      const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(piece, wanted - before));
      result.values.resize(before + length);
      reader.read(std::span(result.values).subspan(before, length));
    }
  } catch (const std::bad_alloc&) {
    throw FileError("not enough memory to read " + std::to_string(wanted) + " values of " + result.path +
                    " (8 bytes each)");
  } catch (const std::length_error&) {
    throw FileError("not enough memory to read " + std::to_string(wanted) + " values of " + result.path +
                    " (8 bytes each)");
  }
  reader.skip_rest();
  return result;
}

NpyFile read_npy(const std::string& path, std::uint64_t max_values) {
  NpyReader reader(path);
  return read_npy(reader, max_values);
}

}  // namespace nninit::cli
