// stats_command.cpp — `nninit stats FILE.npy`: count, mean, standard
// deviation, min and max of a tensor, read in pieces (constant memory, one
// pass, also from a pipe) and summed exactly.
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "commands.hpp"
#include "json_text.hpp"
#include "npy.hpp"

namespace nninit::cli {
namespace {

constexpr const char* stats_help =
    R"(usage: nninit stats FILE.npy [--json]

Prints the element count, mean, standard deviation, min and max of a .npy
file of '<f4', '<f8', '<f2', or '<u2' (read as bfloat16 bits, as nninit fill
writes bfloat16). The file is read once, in pieces, in constant memory; FILE
may be a pipe (nninit stats <(zcat w.npy.gz), or /dev/stdin). The statistics
are over the finite values and exact: the sums of the values and of their
squares are kept as exact integers, so the mean is the correctly rounded
mean and the standard deviation is within one unit in the last place, for
any finite values (it is inf only when the true value exceeds the double
range). 'std' is the sample standard deviation (divisor n - 1, numpy's
a.std(ddof=1)); 'nonfinite' counts NaN and infinite values. Numbers are
printed in the shortest form that reads back as the same double. 'producer'
says whether the header carries the marker of files written by nninit fill
(its stream version and how 16-bit values were clamped at bounds).

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
  producer   nninit (stream version 1, clamp inside)
)";

using uint128 = unsigned __int128;

// A non-negative integer of any size: little-endian 64-bit limbs, no
// leading zero limbs (zero has none).
class BigUnsigned {
 public:
  // *this += value * 2^shift.
  void add_shifted(uint128 value, std::size_t shift) {
    const std::size_t limb = shift / 64;
    const unsigned bit = static_cast<unsigned>(shift % 64);
    std::uint64_t words[3] = {static_cast<std::uint64_t>(value), static_cast<std::uint64_t>(value >> 64), 0};
    if (bit != 0) {
      words[2] = words[1] >> (64 - bit);
      words[1] = (words[1] << bit) | (words[0] >> (64 - bit));
      words[0] <<= bit;
    }
    if (limbs_.size() < limb + 4) limbs_.resize(limb + 4, 0);
    std::uint64_t carry = 0;
    for (std::size_t i = limb; i < limbs_.size() && (i < limb + 3 || carry != 0); ++i) {
      const uint128 sum = uint128{limbs_[i]} + (i < limb + 3 ? words[i - limb] : 0) + carry;
      limbs_[i] = static_cast<std::uint64_t>(sum);
      carry = static_cast<std::uint64_t>(sum >> 64);
    }
    if (carry != 0) limbs_.push_back(carry);
    trim();
  }
  // *this -= smaller (smaller <= *this).
  void subtract(const BigUnsigned& smaller) {
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < limbs_.size(); ++i) {
      const std::uint64_t other = i < smaller.limbs_.size() ? smaller.limbs_[i] : 0;
      const uint128 difference = uint128{limbs_[i]} - other - borrow;
      limbs_[i] = static_cast<std::uint64_t>(difference);
      borrow = static_cast<std::uint64_t>(difference >> 64) != 0 ? 1 : 0;
    }
    trim();
  }
  friend bool operator<(const BigUnsigned& a, const BigUnsigned& b) {
    if (a.limbs_.size() != b.limbs_.size()) return a.limbs_.size() < b.limbs_.size();
    return std::lexicographical_compare(a.limbs_.rbegin(), a.limbs_.rend(), b.limbs_.rbegin(), b.limbs_.rend());
  }
  BigUnsigned times(const BigUnsigned& other) const {
    BigUnsigned product;
    product.limbs_.assign(limbs_.size() + other.limbs_.size(), 0);
    for (std::size_t i = 0; i < limbs_.size(); ++i) {
      std::uint64_t carry = 0;
      for (std::size_t j = 0; j < other.limbs_.size(); ++j) {
        const uint128 sum = uint128{limbs_[i]} * other.limbs_[j] + product.limbs_[i + j] + carry;
        product.limbs_[i + j] = static_cast<std::uint64_t>(sum);
        carry = static_cast<std::uint64_t>(sum >> 64);
      }
      product.limbs_[i + other.limbs_.size()] = carry;
    }
    product.trim();
    return product;
  }
  BigUnsigned times(std::uint64_t factor) const {
    BigUnsigned product;
    std::uint64_t carry = 0;
    for (const std::uint64_t limb : limbs_) {
      const uint128 sum = uint128{limb} * factor + carry;
      product.limbs_.push_back(static_cast<std::uint64_t>(sum));
      carry = static_cast<std::uint64_t>(sum >> 64);
    }
    product.limbs_.push_back(carry);
    product.trim();
    return product;
  }
  BigUnsigned shifted_left(std::size_t bits) const {
    BigUnsigned shifted;
    if (limbs_.empty()) return shifted;
    shifted.limbs_.assign(limbs_.size() + bits / 64 + 1, 0);
    const unsigned bit = static_cast<unsigned>(bits % 64);
    for (std::size_t i = 0; i < limbs_.size(); ++i) {
      shifted.limbs_[i + bits / 64] |= limbs_[i] << bit;
      if (bit != 0) shifted.limbs_[i + bits / 64 + 1] |= limbs_[i] >> (64 - bit);
    }
    shifted.trim();
    return shifted;
  }
  // *this = floor(*this / divisor) (divisor > 0); returns the remainder.
  std::uint64_t divide(std::uint64_t divisor) {
    std::uint64_t remainder = 0;
    for (std::size_t i = limbs_.size(); i-- > 0;) {
      const uint128 current = (uint128{remainder} << 64) | limbs_[i];
      limbs_[i] = static_cast<std::uint64_t>(current / divisor);
      remainder = static_cast<std::uint64_t>(current % divisor);
    }
    trim();
    return remainder;
  }
  bool is_zero() const { return limbs_.empty(); }
  std::size_t bit_length() const {
    return limbs_.empty() ? 0
                          : 64 * limbs_.size() - static_cast<std::size_t>(std::countl_zero(limbs_.back()));
  }
  bool bit(std::size_t index) const {
    return index / 64 < limbs_.size() && ((limbs_[index / 64] >> (index % 64)) & 1) != 0;
  }
  // Whether any bit below `index` is set.
  bool any_bit_below(std::size_t index) const {
    for (std::size_t i = 0; i < std::min(index / 64, limbs_.size()); ++i) {
      if (limbs_[i] != 0) return true;
    }
    if (index % 64 == 0 || index / 64 >= limbs_.size()) return false;
    return (limbs_[index / 64] & ((std::uint64_t{1} << (index % 64)) - 1)) != 0;
  }
  // Bits [low, low + 64) as an integer.
  std::uint64_t bits64(std::size_t low) const {
    std::uint64_t value = 0;
    for (unsigned k = 0; k < 64; ++k) value |= std::uint64_t{bit(low + k)} << k;
    return value;
  }

 private:
  void trim() {
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }
  std::vector<std::uint64_t> limbs_;
};

// (q + d) * 2^exponent, 0 <= d < 1 and d > 0 exactly when `inexact`,
// rounded to the nearest double (ties to even; inf beyond the range).
// Exact for q < 2^53 when not inexact; callers keep a guard bit below the
// result's last place (exponent <= -1075 or q long enough).
double round_to_double(const BigUnsigned& q, bool inexact, long exponent) {
  const auto length = static_cast<long>(q.bit_length());
  if (length == 0) return 0.0;
  const long leading = length - 1 + exponent;
  const long last_place = std::max(leading - 52, -1074L);
  const long dropped = last_place - exponent;
  if (dropped <= 0) return std::ldexp(static_cast<double>(q.bits64(0)), static_cast<int>(exponent));
  const auto drop = static_cast<std::size_t>(dropped);
  std::uint64_t mantissa = q.bits64(drop);  // at most 53 bits
  const bool half = q.bit(drop - 1);
  const bool beyond_half = inexact || q.any_bit_below(drop - 1);
  if (half && (beyond_half || (mantissa & 1) != 0)) ++mantissa;
  return std::ldexp(static_cast<double>(mantissa), static_cast<int>(std::min(last_place, 4096L)));
}

// The count, exact sum and exact sum of squares of finite doubles. A double
// is m * 2^(E - 1075) with an integer m < 2^53 and E = max(biased exponent,
// 1); each value adds m into a bucket of its exponent E (128-bit integers),
// and every 2^22 values (before a bucket of squares, each < 2^106, could
// overflow) the buckets are added into big integers in units of 2^-1074
// (sums) and 2^-2148 (squares). One pass, O(1) work per value.
class ExactMoments {
 public:
  void add(double value) {  // value is finite
    const auto bits = std::bit_cast<std::uint64_t>(value);
    const auto biased = static_cast<std::size_t>((bits >> 52) & 0x7FF);
    std::uint64_t mantissa = bits & ((std::uint64_t{1} << 52) - 1);
    std::size_t exponent = 1;
    if (biased != 0) {
      mantissa |= std::uint64_t{1} << 52;
      exponent = biased;
    }
    if ((bits >> 63) != 0) {
      negative_buckets_[exponent] += mantissa;
    } else {
      positive_buckets_[exponent] += mantissa;
    }
    square_buckets_[exponent] += uint128{mantissa} * mantissa;
    ++count_;
    if (++pending_ == flush_interval) flush();
  }

  std::uint64_t count() const { return count_; }

  // The correctly rounded mean (NaN when empty).
  double mean() {
    flush();
    if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
    bool negative = false;
    const BigUnsigned sum = signed_sum(negative);
    BigUnsigned quotient = sum.shifted_left(1);  // units of 2^-1075: a guard bit below 2^-1074
    const bool inexact = quotient.divide(count_) != 0;
    const double magnitude = round_to_double(quotient, inexact, -1075);
    return negative ? -magnitude : magnitude;
  }

  // The sample standard deviation (divisor n - 1), within 1 ulp (NaN for
  // fewer than two values): the root of (n S2 - S1^2) / (n (n - 1)).
  double sample_stddev() {
    flush();
    if (count_ < 2) return std::numeric_limits<double>::quiet_NaN();
    bool negative = false;
    const BigUnsigned sum = signed_sum(negative);
    BigUnsigned numerator = squares_.times(count_);  // units of 2^-2148
    numerator.subtract(sum.times(sum));              // >= 0: the sum over pairs of (x_i - x_j)^2
    if (numerator.is_zero()) return 0.0;
    // Enough bits for a 64-bit root argument: shift by an even amount so
    // the quotient keeps at least 129 bits.
    const std::size_t length = numerator.bit_length();
    const std::size_t shift = length < 258 ? (258 - length + 1) / 2 * 2 : 0;
    BigUnsigned variance = numerator.shifted_left(shift);
    const bool inexact_by_count = variance.divide(count_) != 0;  // floor(floor(D / n) / (n - 1))
    const bool inexact = variance.divide(count_ - 1) != 0 || inexact_by_count;
    long exponent = -2148 - static_cast<long>(shift);
    const std::size_t low = variance.bit_length() - 64;
    std::uint64_t top = variance.bits64(low);
    if (inexact || variance.any_bit_below(low)) top |= 1;
    exponent += static_cast<long>(low);
    if (exponent % 2 != 0) {
      top = (top >> 1) | (top & 1);
      ++exponent;
    }
    const double root = static_cast<double>(std::sqrt(static_cast<long double>(top)));
    return std::ldexp(root, static_cast<int>(std::clamp(exponent / 2, -4096L, 4096L)));
  }

 private:
  static constexpr std::uint64_t flush_interval = std::uint64_t{1} << 22;

  void flush() {
    for (std::size_t e = 1; e < 2047; ++e) {
      if (positive_buckets_[e] != 0) positives_.add_shifted(positive_buckets_[e], e - 1);
      if (negative_buckets_[e] != 0) negatives_.add_shifted(negative_buckets_[e], e - 1);
      if (square_buckets_[e] != 0) squares_.add_shifted(square_buckets_[e], 2 * (e - 1));
    }
    positive_buckets_.fill(0);
    negative_buckets_.fill(0);
    square_buckets_.fill(0);
    pending_ = 0;
  }
  // |sum of the values| in units of 2^-1074, and its sign.
  BigUnsigned signed_sum(bool& negative) const {
    negative = positives_ < negatives_;
    BigUnsigned magnitude = negative ? negatives_ : positives_;
    magnitude.subtract(negative ? positives_ : negatives_);
    return magnitude;
  }

  std::array<uint128, 2047> positive_buckets_{};  // sums of m per exponent E, by sign
  std::array<uint128, 2047> negative_buckets_{};
  std::array<uint128, 2047> square_buckets_{};  // sums of m^2
  BigUnsigned positives_, negatives_, squares_;
  std::uint64_t count_ = 0;
  std::uint64_t pending_ = 0;  // values since the last flush
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

// From the marker nninit writes into its headers (npy.hpp).
std::string producer_description(const NpyProvenance& provenance) {
  if (!provenance.written_by_nninit) return "unknown (no nninit marker)";
  return "nninit (stream version " + std::to_string(provenance.stream_version) +
         (provenance.clamp.empty() ? "" : ", clamp " + provenance.clamp) + ")";
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
  NpyReader reader(arguments.positionals.front());
  const NpyFile& file = reader.file();

  double minimum = std::numeric_limits<double>::infinity();
  double maximum = -std::numeric_limits<double>::infinity();
  ExactMoments moments;
  std::vector<double> block(std::size_t{1} << 16);
  while (const std::size_t length = reader.read(block)) {
    for (std::size_t i = 0; i < length; ++i) {
      const double value = block[i];
      if (!std::isfinite(value)) continue;
      moments.add(value);
      minimum = std::min(minimum, value);
      maximum = std::max(maximum, value);
    }
  }
  const std::uint64_t finite = moments.count();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double mean = moments.mean();
  const double stddev = moments.sample_stddev();
  if (finite == 0) minimum = maximum = nan;
  const std::uint64_t nonfinite = file.count - finite;

  if (arguments.has("json")) {
    const std::string shape = json_shape(file.shape);
    std::printf(
        "{\"file\": %s, \"dtype\": %s, \"descr\": %s, \"shape\": %s, \"count\": %llu, \"nonfinite\": %llu, "
        "\"mean\": %s, \"std\": %s, \"min\": %s, \"max\": %s, \"producer\": %s}\n",
        json_string(file.path).c_str(), json_string(std::string(dtype_name(file.dtype))).c_str(),
        json_string(file.descr).c_str(), shape.c_str(), static_cast<unsigned long long>(file.count),
        static_cast<unsigned long long>(nonfinite), json_number(mean).c_str(), json_number(stddev).c_str(),
        json_number(minimum).c_str(), json_number(maximum).c_str(), json_producer(file.provenance).c_str());
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
  std::printf("producer   %s\n", producer_description(file.provenance).c_str());
  return 0;
}

}  // namespace nninit::cli
