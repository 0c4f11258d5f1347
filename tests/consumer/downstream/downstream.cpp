// Uses the consumer's installed library and nninit (which comes with it):
// exits non-zero unless both give the same bits.
#include <consumer_library.hpp>

#include <cstdio>
#include <cstring>
#include <nninit/nninit.hpp>
#include <span>
#include <vector>

int main() {
  const std::vector<float> from_library = nninit_consumer::embedding(1000);
  std::vector<float> direct(1000);
  nninit::fill(std::span<float>(direct), nninit::Normal{0.0, 0.02}, nninit::Stream::named(2024, "consumer.embedding"));
  const bool same = std::memcmp(from_library.data(), direct.data(), direct.size() * sizeof(float)) == 0;
  std::printf("nninit_downstream: nninit %s through the consumer's installed library: %s\n", nninit::version_string,
              same ? "OK" : "FAILED");
  return same ? 0 : 1;
}
