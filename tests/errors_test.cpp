// Bad input is rejected before anything is written, with a message naming
// the parameter and its value.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "nninit/error.hpp"
#include "nninit/fill.hpp"

namespace {

using namespace nninit;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

struct BadCase {
  Distribution distribution;
  DType dtype;
  std::vector<std::string> message_parts;  // each must appear in what()
};

std::vector<BadCase> bad_cases() {
  return {
      {Uniform{1.0, 1.0}, DType::f32, {"uniform", "low (1)", "high (1)"}},
      {Uniform{2.0, -2.0}, DType::f64, {"low (2)", "high (-2)"}},
      {Uniform{nan, 1.0}, DType::f32, {"low (nan)", "finite"}},
      {Uniform{0.0, inf}, DType::f32, {"high (inf)", "finite"}},
      {Uniform{-1e6, 1e6}, DType::f16, {"low (-1e+06)", "float16"}},
      {Uniform{-3e38, 3e38}, DType::f32, {"high - low", "float32"}},
      {Uniform{1.0001, 1.0002}, DType::bf16, {"no bfloat16 value", "1.0001"}},
      {Normal{0.0, -1.0}, DType::f32, {"normal", "stddev (-1)", "negative"}},
      {Normal{nan, 1.0}, DType::f64, {"mean (nan)"}},
      {Normal{0.0, nan}, DType::bf16, {"stddev (nan)"}},
      {Normal{0.0, 1e4}, DType::f16, {"stddev (10000)", "float16"}},
      {Constant{nan}, DType::f32, {"constant", "value (nan)"}},
      {Constant{1e5}, DType::f16, {"value (1e+05)", "float16"}},
      {TruncatedNormal{0.0, 0.0, -1.0, 1.0}, DType::f32, {"truncated_normal", "stddev (0)", "positive"}},
      {TruncatedNormal{0.0, -1.0, -1.0, 1.0}, DType::f32, {"stddev (-1)"}},
      {TruncatedNormal{0.0, 1.0, 1.0, -1.0}, DType::f64, {"lower (1)", "upper (-1)"}},
      {TruncatedNormal{0.0, 1.0, 0.5, 0.5}, DType::f32, {"lower (0.5)", "upper (0.5)"}},
      {TruncatedNormal{0.0, 1.0, nan, 1.0}, DType::f32, {"lower (nan)"}},
      {TruncatedNormal{0.0, 1.0, -1.0, nan}, DType::f32, {"upper (nan)"}},
      {TruncatedNormal{0.0, 1.0, 11.0, 13.0}, DType::f32, {"lower (11)", "within 10"}},
      {TruncatedNormal{0.0, 1.0, -inf, -15.0}, DType::f64, {"upper (-15)", "no mass"}},
      {TruncatedNormal{0.0, 1.0, 12.5, inf}, DType::f64, {"lower (12.5)", "no mass"}},
      {TruncatedNormal{0.0, inf, -1.0, 1.0}, DType::f32, {"stddev (inf)"}},
      {TruncatedNormal{1.0, 0.001, 1.0001, 1.0002}, DType::bf16, {"no bfloat16 value"}},
  };
}

std::vector<unsigned char> sentinel_buffer(std::size_t bytes) {
  return std::vector<unsigned char>(bytes, 0x5A);
}

TEST(Errors, BadDistributionsAreRejectedBeforeAnyWrite) {
  for (const BadCase& bad : bad_cases()) {
    for (std::size_t count : {std::size_t{1}, std::size_t{100'000}}) {
      auto buffer = sentinel_buffer(count * dtype_size(bad.dtype));
      try {
        fill(buffer.data(), bad.dtype, count, bad.distribution, Stream{1, 2});
        ADD_FAILURE() << "accepted " << describe(bad.distribution) << " as "
                      << dtype_name(bad.dtype);
      } catch (const nninit::invalid_argument& error) {
        const std::string message = error.what();
        EXPECT_EQ(message.rfind("nninit::fill: ", 0), 0u) << message;
        for (const std::string& part : bad.message_parts) {
          EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
        }
      }
      for (unsigned char byte : buffer) ASSERT_EQ(byte, 0x5A) << describe(bad.distribution);
    }
  }
}

TEST(Errors, NullDataWithACountIsRejected) {
  try {
    fill(nullptr, DType::f32, 10, Uniform{0, 1}, Stream{});
    FAIL();
  } catch (const nninit::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("null with count 10"), std::string::npos);
  }
  EXPECT_NO_THROW(fill(nullptr, DType::f32, 0, Uniform{0, 1}, Stream{}));
}

TEST(Errors, OffsetOverflowAndNegativeThreadsAreRejected) {
  auto buffer = sentinel_buffer(16 * sizeof(float));
  const FillOptions overflow{std::numeric_limits<std::uint64_t>::max() - 7, 1};
  try {
    fill(buffer.data(), DType::f32, 16, Normal{0, 1}, Stream{}, overflow);
    FAIL();
  } catch (const nninit::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("offset (18446744073709551608)"), std::string::npos)
        << error.what();
  }
  try {
    fill(buffer.data(), DType::f32, 16, Normal{0, 1}, Stream{}, FillOptions{0, -2});
    FAIL();
  } catch (const nninit::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("threads (-2)"), std::string::npos);
  }
  for (unsigned char byte : buffer) ASSERT_EQ(byte, 0x5A);
}

TEST(Errors, ValidEdgeCasesAreAccepted) {
  std::vector<float> out(1000);
  EXPECT_NO_THROW(fill(std::span<float>(out), Normal{0, 0}, Stream{}));  // stddev 0: constant
  EXPECT_NO_THROW(fill(std::span<float>(out), TruncatedNormal{0, 1, -inf, inf}, Stream{}));
  EXPECT_NO_THROW(fill(std::span<float>(out), TruncatedNormal{0, 1, 0, inf}, Stream{}));
  EXPECT_NO_THROW(fill(std::span<float>(out), TruncatedNormal{0, 1, 9.5, 10}, Stream{}));
  EXPECT_NO_THROW(fill(std::span<float>(out), TruncatedNormal{0, 1, 11, 11.5}, Stream{}));
  // PyTorch's trunc_normal_(std=0.02) default bounds (+-2 absolute) are +-100 std.
  EXPECT_NO_THROW(fill(std::span<float>(out), TruncatedNormal{0, 0.02, -2, 2}, Stream{}));
}

}  // namespace
