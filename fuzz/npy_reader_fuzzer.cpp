// npy_reader_fuzzer.cpp — libFuzzer harness of the .npy reader
// (cli/src/npy.cpp) on arbitrary bytes: the header parser, the size checks,
// the conversion to double, the provenance marker, and the header writer.
// Findings: crashes and sanitizer reports, any exception but FileError, and
// a broken property of an accepted file (checked below; each aborts). The
// inputs run on a worker thread with a 256 KiB stack (small_stack_worker.hpp),
// so that recursion which grows with the input (a header nested thousands
// deep) overflows it.
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "npy.hpp"
#include "small_stack_worker.hpp"

namespace {

using nninit::cli::FileError;
using nninit::cli::NpyFile;
using nninit::cli::NpyReader;

void require(bool condition, const char* property) {
  if (!condition) {
    std::fprintf(stderr, "npy_reader_fuzzer: property broken: %s\n", property);
    std::abort();
  }
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

void check_input(const std::uint8_t* data, std::size_t size) {
  const std::span<const unsigned char> bytes(data, size);
  NpyFile whole;
  try {
    NpyReader reader("input.npy", bytes);
    whole = read_npy(reader);
  } catch (const FileError& error) {
    // Messages name the file and never echo unbounded hostile text.
    const std::string message = error.what();
    require(message.rfind("input.npy: ", 0) == 0 || message.find(" of input.npy") != std::string::npos,
            "a FileError names the file");
    require(message.size() < 4096, "a FileError message is short");
    return;
  }

  // An accepted file holds every value: count * itemsize bytes after its header.
  const std::size_t element_size = nninit::dtype_size(whole.dtype);
  require(whole.values.size() == whole.count, "read_npy returns count values");
  require(whole.count * element_size <= size, "the values fit in the input");

  // Read in pieces of an odd size, the values are the same bits; max_values is a prefix.
  {
    NpyReader reader("input.npy", bytes);
    std::vector<double> block(7);
    std::size_t at = 0;
    while (const std::size_t n = reader.read(block)) {
      for (std::size_t i = 0; i < n; ++i) require(same_bits(block[i], whole.values[at + i]), "pieces == whole");
      at += n;
    }
    require(at == whole.count && reader.remaining() == 0, "the pieces cover the file");
    NpyReader prefix_reader("input.npy", bytes);
    const NpyFile prefix = read_npy(prefix_reader, 3);
    require(prefix.values.size() == std::min<std::uint64_t>(3, whole.count), "max_values limits the values");
    for (std::size_t i = 0; i < prefix.values.size(); ++i) require(same_bits(prefix.values[i], whole.values[i]), "prefix");
  }

  // The writer's header for what was read reads back the same (data zeros).
  std::string rewritten;
  try {
    rewritten = nninit::cli::npy_header(whole.dtype, whole.shape, whole.provenance);
  } catch (const FileError&) {
    return;  // a shape too long for a version 1.0 header
  }
  require(rewritten.size() % 64 == 0 && rewritten.back() == '\n', "the header is padded to 64 bytes");
  rewritten.append(whole.count * element_size, '\0');
  NpyReader again("rewritten.npy", std::span(reinterpret_cast<const unsigned char*>(rewritten.data()), rewritten.size()));
  const NpyFile& back = again.file();
  require(back.shape == whole.shape && back.dtype == whole.dtype && back.count == whole.count &&
              !back.fortran_order,
          "the written header reads back");
  require(back.provenance.written_by_nninit == whole.provenance.written_by_nninit &&
              back.provenance.stream_version == whole.provenance.stream_version &&
              back.provenance.clamp == whole.provenance.clamp,
          "the marker reads back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Never destroyed: the worker waits on its condition variable until exit.
  static nninit::fuzz::SmallStackWorker& worker = *new nninit::fuzz::SmallStackWorker(&check_input);
  worker.run(data, size);
  return 0;
}
