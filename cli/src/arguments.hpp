// arguments.hpp — command-line parsing for the nninit CLI: a small option
// parser (--name VALUE, --name=VALUE, short aliases, repeatable and
// multi-value options) and the parsers of the value syntaxes the commands
// share (integers, numbers, shapes, KEY=VALUE pairs, streams).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nninit/stream.hpp"

namespace nninit::cli {

// A mistake in the command line or its values: reported as
// "nninit <command>: <message>" with exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ValueKind {
  none,      // a flag: --quiet
  single,    // --seed 42 or --seed=42, at most once
  multiple,  // --param k=v [k=v ...], repeatable; takes following KEY=VALUE words too
};

struct OptionSpec {
  std::string_view name;  // without the dashes: "seed"
  ValueKind kind = ValueKind::single;
  std::string_view short_name = {};  // "o" for -o
};

struct ParsedArguments {
  std::map<std::string, std::vector<std::string>, std::less<>> options;
  std::vector<std::string> positionals;

  bool has(std::string_view name) const { return options.find(name) != options.end(); }
  // The value of a single-valued option, if given.
  std::optional<std::string> value(std::string_view name) const;
  // All values of a multi-valued option (empty if not given).
  std::vector<std::string> values(std::string_view name) const;
};

// Parses argv[first..argc) against `specs`. "--help"/"-h" must be in specs to
// be accepted. Throws UsageError naming the offending word.
ParsedArguments parse_arguments(int argc, char** argv, int first, const std::vector<OptionSpec>& specs);

// Value parsers. `what` names the argument in the error message, e.g. "--seed".
std::uint64_t parse_uint64(std::string_view text, std::string_view what);  // decimal or 0x hex
std::int64_t parse_int64(std::string_view text, std::string_view what);
// The value of option `name` (which must be present) as an int in [low, high]
// (low <= high, both within int); throws UsageError "--NAME: V is not in
// LOW..HIGH". Example: parse_int_option(arguments, "rank", 0, 3).
int parse_int_option(const ParsedArguments& arguments, const char* name, std::int64_t low, std::int64_t high);
// A number as C strtod reads it ("inf" and "nan" included); a value that
// overflows to +-inf or underflows (strtod's ERANGE: 1e400, 1e-400) is an error.
double parse_double(std::string_view text, std::string_view what);
// "256,784" -> {256, 784}; "" or "()" -> {} (a scalar); decimal dimensions >= 0.
// 'x' separates dimensions only between positive decimals ("256x784"): "0x10"
// is an error, not (0, 10) or 16.
std::vector<std::int64_t> parse_shape(std::string_view text, std::string_view what);
// "key=value" -> {"key", "value"}.
std::pair<std::string, std::string> parse_key_value(std::string_view text, std::string_view what);

// --stream: "id:N" or an integer (all decimal digits, or 0x and hex digits)
// is the id, and must be below 2^64; "name:TEXT" or any other text is a name
// hashed with nninit::stream_id_from_name.
struct StreamChoice {
  std::uint64_t id = 0;
  std::optional<std::string> name;  // set when the id came from a name
};
StreamChoice parse_stream(std::string_view text);

// "(256, 784)", "(5,)", "()".
std::string format_shape(const std::vector<std::int64_t>& shape);
// Shortest text that reads back as the same double ("0.1", "1e-05", "nan").
std::string format_double(double value);

}  // namespace nninit::cli
