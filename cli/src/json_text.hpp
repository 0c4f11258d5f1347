// json_text.hpp — the pieces of JSON the CLI prints (`stats --json`,
// `validate --json`): strings escaped, numbers that JSON can hold, shapes and
// the producer recorded in a .npy header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "npy.hpp"

namespace nninit::cli {

// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
std::string json_string(const std::string& text);

// `value` as a JSON number, shortest round-trip form; null for NaN and the
// infinities, which JSON cannot write.
std::string json_number(double value);

// A shape as a JSON array of integers, e.g. "[768, 3072]".
std::string json_shape(const std::vector<std::int64_t>& shape);

// The producer from nninit's header marker: {"name": "nninit", "stream_version": 1,
// "clamp": "inside"}, or null when the file carries no marker.
std::string json_producer(const NpyProvenance& provenance);

}  // namespace nninit::cli
