// nninit/version.hpp — the library's semantic version. The stream version
// (which output bits a seed gives) is nninit::stream_version in stream.hpp.
#pragma once

#define NNINIT_VERSION_MAJOR 1
#define NNINIT_VERSION_MINOR 0
#define NNINIT_VERSION_PATCH 0

namespace nninit {
inline constexpr const char* version_string = "1.0.0";
}  // namespace nninit
