// npy_raw_values.cpp — a .npy file's values in their own dtype.
#include "npy_raw_values.hpp"

#include <algorithm>
#include <bit>
#include <new>
#include <span>
#include <stdexcept>

namespace nninit::cli {
namespace {

std::size_t element_bytes(DType dtype) {
  switch (dtype) {
    case DType::f32:
      return 4;
    case DType::f64:
      return 8;
    case DType::bf16:
    case DType::f16:
      return 2;
  }
  return 8;
}

// The values arrive as doubles (exact); each goes back to its own dtype, which is exact too.
template <class T, class Convert>
void append_converted(std::vector<T>& out, std::span<const double> block, Convert convert) {
  const std::size_t before = out.size();
  out.resize(before + block.size());
  T* destination = out.data() + before;
  for (std::size_t k = 0; k < block.size(); ++k) destination[k] = convert(block[k]);
}

void append(NpyRawValues& raw, std::span<const double> block) {
  switch (raw.file.dtype) {
    case DType::f32:
      append_converted(raw.f32, block, [](double x) { return static_cast<float>(x); });
      break;
    case DType::f64:
      append_converted(raw.f64, block, [](double x) { return x; });
      break;
    case DType::bf16:
      append_converted(raw.bits, block, [](double x) { return to_bfloat16(static_cast<float>(x)).bits; });
      break;
    case DType::f16:
      append_converted(raw.bits, block, [](double x) { return to_float16(static_cast<float>(x)).bits; });
      break;
  }
}

// The next `length` values of `reader`, their stored bytes appended as they
// are (a little-endian host: the file's '<' dtypes are its own layout).
std::size_t append_stored(NpyRawValues& raw, NpyReader& reader, std::size_t length) {
  const auto into = [&](auto& values) {
    if (reader.element_size() != sizeof(values[0])) throw std::logic_error("read_npy_raw: element size mismatch");
    const std::size_t before = values.size();
    values.resize(before + length);
    const std::size_t got = reader.read_stored(values.data() + before, length);
    values.resize(before + got);
    return got;
  };
  switch (raw.file.dtype) {
    case DType::f32: return into(raw.f32);
    case DType::f64: return into(raw.f64);
    case DType::bf16:
    case DType::f16: return into(raw.bits);
  }
  return 0;
}

void reserve(NpyRawValues& raw, std::size_t count) {
  switch (raw.file.dtype) {
    case DType::f32:
      raw.f32.reserve(count);
      break;
    case DType::f64:
      raw.f64.reserve(count);
      break;
    case DType::bf16:
    case DType::f16:
      raw.bits.reserve(count);
      break;
  }
}

}  // namespace

std::size_t NpyRawValues::size() const noexcept {
  switch (file.dtype) {
    case DType::f32:
      return f32.size();
    case DType::f64:
      return f64.size();
    case DType::bf16:
    case DType::f16:
      return bits.size();
  }
  return 0;
}

double NpyRawValues::value(std::size_t i) const noexcept {
  switch (file.dtype) {
    case DType::f32:
      return static_cast<double>(f32[i]);
    case DType::f64:
      return f64[i];
    case DType::bf16:
      return static_cast<double>(to_float(bfloat16{bits[i]}));
    case DType::f16:
      return static_cast<double>(to_float(float16{bits[i]}));
  }
  return 0.0;
}

NpyRawValues read_npy_raw(const std::string& path, std::uint64_t max_values,
                          const std::function<void(std::uint64_t, std::uint64_t)>& on_read) {
  NpyReader reader(path);
  NpyRawValues raw;
  raw.file = reader.file();
  const std::uint64_t wanted = max_values == 0 ? reader.remaining() : std::min(reader.remaining(), max_values);
  const auto fail = [&] {
    return FileError("not enough memory to read " + std::to_string(wanted) + " values of " + raw.file.path + " (" +
                     std::to_string(element_bytes(raw.file.dtype)) + " bytes each)");
  };
  constexpr std::size_t block_size = std::size_t{1} << 16;
  try {
    if (wanted > raw.f64.max_size()) throw std::length_error("too many values");
    // Reserve what a checked file size proves is there; a pipe's header may
    // claim more than ever arrives, so its values grow as they are read.
    constexpr std::uint64_t piece = std::uint64_t{1} << 20;
    reserve(raw, static_cast<std::size_t>(reader.size_checked() ? wanted : std::min(wanted, piece)));
    std::vector<double> block(std::endian::native == std::endian::little ? 0 : block_size);
    std::uint64_t done = 0;
    while (done < wanted) {
      const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(block_size, wanted - done));
      std::size_t got = 0;
      if constexpr (std::endian::native == std::endian::little) {
        // The stored bytes are the values in their own dtype: copied as they are.
        got = append_stored(raw, reader, length);
      } else {
        got = reader.read(std::span(block).first(length));
        append(raw, std::span<const double>(block).first(got));
      }
      done += got;
      if (on_read && (done % (std::uint64_t{16} * block_size) == 0 || done == wanted)) on_read(done, wanted);
      if (got == 0) break;  // (the reader throws on a short file; never reached)
    }
  } catch (const std::bad_alloc&) {
    throw fail();
  } catch (const std::length_error&) {
    throw fail();
  }
  reader.skip_rest();
  return raw;
}

}  // namespace nninit::cli
