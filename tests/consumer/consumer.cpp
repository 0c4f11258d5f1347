// A small program that uses nninit the way an application does. The consumer
// ctests build it against an installed nninit (find_package), the source tree
// (add_subdirectory, FetchContent) and pkg-config, then run it: it fills a
// tensor, fills it again and fills one slice on its own, and exits non-zero
// unless all three agree bit for bit, its own library (consumer_library.cpp,
// which links nninit too) agrees, and the version macros match.
#include <cstdio>
#include <cstring>
#include <nninit/nninit.hpp>

#include "consumer_library.hpp"
#include <span>
#include <string_view>
#include <vector>

#ifndef NNINIT_CONSUMER_EXPECTED_VERSION
#define NNINIT_CONSUMER_EXPECTED_VERSION ""
#endif

namespace {

int failures = 0;

void check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "nninit_consumer: FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  const std::vector<std::int64_t> shape = {64, 32, 3, 3};
  const nninit::Fans fans = nninit::compute_fans(shape, nninit::Layout::torch);
  const nninit::Distribution distribution =
      nninit::torch::kaiming_uniform(fans, {.nonlinearity = nninit::Nonlinearity::relu});
  const nninit::Stream stream = nninit::Stream::named(2024, "consumer.conv.weight");

  std::vector<float> whole(64 * 32 * 3 * 3);
  nninit::fill(std::span<float>(whole), distribution, stream);
  std::vector<float> again(whole.size());
  nninit::fill(std::span<float>(again), distribution, stream, {.offset = 0, .threads = 1});
  check(std::memcmp(whole.data(), again.data(), whole.size() * sizeof(float)) == 0,
        "a second fill of the same stream gives the same bits");

  const std::size_t offset = 1001;  // not a multiple of the 4 words of a Philox block
  std::vector<float> slice(777);
  nninit::fill(std::span<float>(slice), distribution, stream, {.offset = offset});
  check(std::memcmp(slice.data(), whole.data() + offset, slice.size() * sizeof(float)) == 0,
        "a slice filled on its own equals that part of the whole fill");

  const double bound = std::get<nninit::Uniform>(distribution).high;
  bool inside = true;
  for (float value : whole) inside = inside && value >= -bound && value < bound;
  check(inside, "every value lies in [-bound, bound)");

  // Element 0 of a float uniform fill reads word 0 of block 0 (the stream
  // contract): u = (w >> 8) * 2^-24, x = low + (high - low) * u.
  const double u = static_cast<double>(stream.word(0) >> 8) * 0x1p-24;
  const double expected = -bound + 2.0 * bound * u;
  check(static_cast<double>(whole[0]) - expected < 1e-6 && expected - static_cast<double>(whole[0]) < 1e-6,
        "element 0 follows the documented word mapping");

  std::vector<nninit::bfloat16> half(whole.size());
  nninit::fill(std::span<nninit::bfloat16>(half), nninit::Normal{0.0, 0.02}, stream);
  check(nninit::to_float(half[0]) != 0.0f, "a bfloat16 normal fill writes values");

  const std::vector<float> embedding = nninit_consumer::embedding(100);
  std::vector<float> embedding_again(100);
  nninit::fill(std::span<float>(embedding_again), nninit::Normal{0.0, 0.02},
               nninit::Stream::named(2024, "consumer.embedding"));
  check(std::memcmp(embedding.data(), embedding_again.data(), 100 * sizeof(float)) == 0,
        "the consumer's own library and a direct fill give the same bits");

  char version[32];
  std::snprintf(version, sizeof version, "%d.%d.%d", NNINIT_VERSION_MAJOR, NNINIT_VERSION_MINOR,
                NNINIT_VERSION_PATCH);
  check(std::string_view(version) == nninit::version_string, "version macros agree with version_string");
  const std::string_view expected_version = NNINIT_CONSUMER_EXPECTED_VERSION;
  check(expected_version.empty() || expected_version == nninit::version_string,
        "the package version equals the header's version");
  check(nninit::stream_version == 1, "stream version 1");

  std::printf("nninit %s (stream version %d): %s, first value %.9g, %s\n", nninit::version_string,
              nninit::stream_version, nninit::describe(distribution).c_str(), static_cast<double>(whole[0]),
              failures == 0 ? "OK" : "FAILED");
  return failures == 0 ? 0 : 1;
}
