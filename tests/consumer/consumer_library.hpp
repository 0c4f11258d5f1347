// consumer_library.hpp — a library of the consumer project that links
// nninit::nninit and is installed with the consumer's own export set, as an
// application's installed library would be (the "consumer" ctests build a
// downstream program against its installed copy).
#pragma once

#include <cstddef>
#include <vector>

namespace nninit_consumer {

// The first `count` values of N(0, 0.02) in float, seed 2024, stream
// "consumer.embedding".
std::vector<float> embedding(std::size_t count);

}  // namespace nninit_consumer
