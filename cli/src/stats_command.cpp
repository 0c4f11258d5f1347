// stats_command.cpp — `nninit stats FILE.npy`: count, mean, standard
// deviation, min and max of a tensor, computed in double with compensated sums.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "commands.hpp"
#include "npy.hpp"

namespace nninit::cli {
namespace {

constexpr const char* stats_help =
    R"(usage: nninit stats FILE.npy [--json]

Prints the element count, mean, standard deviation, min and max of a .npy
file of '<f4', '<f8', '<f2', or '<u2' (read as bfloat16 bits, as nninit fill
writes bfloat16). The statistics are computed in double precision over the
finite values (two passes, compensated sums); 'std' is the sample standard
deviation (divisor n - 1, numpy's a.std(ddof=1)); 'nonfinite' counts NaN and
infinite values. Numbers are printed in the shortest form that reads back as
the same double.

options:
  --json      print one JSON object instead of 'key value' lines
  -h, --help  this text

example:
  $ nninit stats fc1.npy
  file       fc1.npy
  dtype      float32 ('<f4')
  shape      (256, 784)
  count      200704
  nonfinite  0
  mean       -5.2828573198170565e-05
  std        0.05050713303366648
  min        -0.0874812975525856
  max        0.0874815508723259
)";

// Neumaier's compensated summation.
class CompensatedSum {
 public:
  void add(double value) {
    const double total = sum_ + value;
    if (std::fabs(sum_) >= std::fabs(value)) {
      compensation_ += (sum_ - total) + value;
    } else {
      compensation_ += (value - total) + sum_;
    }
    sum_ = total;
  }
  double value() const { return sum_ + compensation_; }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

std::string dtype_description(const NpyFile& file) {
  switch (file.dtype) {
    case DType::f32:
      return "float32 ('" + file.descr + "')";
    case DType::f64:
      return "float64 ('" + file.descr + "')";
    case DType::f16:
      return "float16 ('" + file.descr + "')";
    case DType::bf16:
      return "bfloat16 ('" + file.descr + "' bits)";
  }
  return file.descr;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_number(double value) {
  return std::isfinite(value) ? format_double(value) : std::string("null");
}

}  // namespace

int stats_command(int argc, char** argv, int first) {
  const ParsedArguments arguments =
      parse_arguments(argc, argv, first, {{"json", ValueKind::none}, {"help", ValueKind::none, "h"}});
  if (arguments.has("help")) {
    std::fputs(stats_help, stdout);
    return 0;
  }
  if (arguments.positionals.size() != 1) {
    throw UsageError(arguments.positionals.empty()
                         ? "give one FILE.npy"
                         : "give one FILE.npy, not " + std::to_string(arguments.positionals.size()));
  }
  const NpyFile file = read_npy(arguments.positionals.front());

  std::uint64_t finite = 0;
  double minimum = std::numeric_limits<double>::infinity();
  double maximum = -std::numeric_limits<double>::infinity();
  CompensatedSum sum;
  for (const double value : file.values) {
    if (!std::isfinite(value)) continue;
    ++finite;
    sum.add(value);
    minimum = std::min(minimum, value);
    maximum = std::max(maximum, value);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double mean = finite > 0 ? sum.value() / static_cast<double>(finite) : nan;
  double stddev = nan;
  if (finite > 1) {
    CompensatedSum squares;
    for (const double value : file.values) {
      if (std::isfinite(value)) squares.add((value - mean) * (value - mean));
    }
    stddev = std::sqrt(squares.value() / static_cast<double>(finite - 1));
  }
  if (finite == 0) minimum = maximum = nan;
  const std::uint64_t nonfinite = file.count - finite;

  if (arguments.has("json")) {
    std::string shape = "[";
    for (std::size_t i = 0; i < file.shape.size(); ++i)
      shape += (i ? ", " : "") + std::to_string(file.shape[i]);
    shape += "]";
    std::printf(
        "{\"file\": %s, \"dtype\": %s, \"descr\": %s, \"shape\": %s, \"count\": %llu, \"nonfinite\": %llu, "
        "\"mean\": %s, \"std\": %s, \"min\": %s, \"max\": %s}\n",
        json_string(file.path).c_str(), json_string(std::string(dtype_name(file.dtype))).c_str(),
        json_string(file.descr).c_str(), shape.c_str(), static_cast<unsigned long long>(file.count),
        static_cast<unsigned long long>(nonfinite), json_number(mean).c_str(), json_number(stddev).c_str(),
        json_number(minimum).c_str(), json_number(maximum).c_str());
    return 0;
  }
  std::printf("file       %s\n", file.path.c_str());
  std::printf("dtype      %s\n", dtype_description(file).c_str());
  std::printf("shape      %s%s\n", format_shape(file.shape).c_str(),
              file.fortran_order ? " (Fortran order)" : "");
  std::printf("count      %llu\n", static_cast<unsigned long long>(file.count));
  std::printf("nonfinite  %llu\n", static_cast<unsigned long long>(nonfinite));
  std::printf("mean       %s\n", format_double(mean).c_str());
  std::printf("std        %s\n", format_double(stddev).c_str());
  std::printf("min        %s\n", format_double(minimum).c_str());
  std::printf("max        %s\n", format_double(maximum).c_str());
  return 0;
}

}  // namespace nninit::cli
