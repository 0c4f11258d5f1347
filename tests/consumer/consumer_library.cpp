// consumer_library.cpp — see consumer_library.hpp.
#include "consumer_library.hpp"

#include <nninit/nninit.hpp>
#include <span>

namespace nninit_consumer {

std::vector<float> embedding(std::size_t count) {
  std::vector<float> values(count);
  nninit::fill(std::span<float>(values), nninit::Normal{0.0, 0.02}, nninit::Stream::named(2024, "consumer.embedding"));
  return values;
}

}  // namespace nninit_consumer
