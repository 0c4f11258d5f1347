// arguments_fuzzer.cpp — libFuzzer harness of the CLI's argument parsing
// (cli/src/arguments.cpp). The input is a command line, one word per line:
// the first word picks the option set (fill, stats, validate; anything else:
// all of them), the rest go to parse_arguments, and every word also goes to
// each value parser. The documented exception is UsageError; anything else
// escaping, a crash, a sanitizer report or a broken round trip is a finding.
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "arguments.hpp"

namespace {

using namespace nninit::cli;

void require(bool condition, const char* property) {
  if (!condition) {
    std::fprintf(stderr, "arguments_fuzzer: property broken: %s\n", property);
    std::abort();
  }
}

// The option sets of the commands (as in cli/src/*_command.cpp).
const std::vector<OptionSpec> fill_options = {
    {"init"}, {"param", ValueKind::multiple}, {"shape"}, {"layout"}, {"dtype"}, {"seed"}, {"stream"},
    {"offset"}, {"count"}, {"threads"}, {"output", ValueKind::single, "o"}, {"quiet", ValueKind::none, "q"},
    {"help", ValueKind::none, "h"}};
const std::vector<OptionSpec> stats_options = {{"json", ValueKind::none}, {"help", ValueKind::none, "h"}};
const std::vector<OptionSpec> validate_options = {
    {"dist"}, {"mean"}, {"std"}, {"low"}, {"high"}, {"lower"}, {"upper"}, {"init"},
    {"param", ValueKind::multiple}, {"shape"}, {"layout"}, {"grid"}, {"bounds"}, {"alpha"}, {"max-values"},
    {"help", ValueKind::none, "h"}};

template <class Parse>
void try_parse(Parse parse) {
  try {
    parse();
  } catch (const UsageError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> words;
  for (std::size_t start = 0; start <= input.size();) {
    const std::size_t end = std::min(input.find('\n', start), input.size());
    words.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  std::vector<OptionSpec> all = fill_options;
  all.insert(all.end(), validate_options.begin(), validate_options.end());
  all.push_back({"json", ValueKind::none});
  const std::vector<OptionSpec>& specs = words[0] == "fill"       ? fill_options
                                         : words[0] == "stats"    ? stats_options
                                         : words[0] == "validate" ? validate_options
                                                                  : all;
  // argv as main() gets it: C strings (a word ends at a NUL), argv[argc] null.
  std::vector<char*> argv = {const_cast<char*>("nninit")};
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  const int argc = static_cast<int>(argv.size() - 1);
  try_parse([&] {
    const ParsedArguments parsed = parse_arguments(argc, argv.data(), 2, specs);
    for (const auto& [name, values] : parsed.options) {
      require(!values.empty() || parsed.value(name) == std::nullopt, "value() of a flag");
      (void)parsed.values(name);
    }
  });

  for (const std::string& word : words) {
    const std::string_view text = word;
    try_parse([&] { (void)parse_uint64(text, "--seed"); });
    try_parse([&] { (void)parse_int64(text, "--n"); });
    try_parse([&] {
      const double value = parse_double(text, "--std");
      const double back = parse_double(format_double(value), "--std");
      require(std::isnan(value) ? std::isnan(back) : std::bit_cast<std::uint64_t>(value) == std::bit_cast<std::uint64_t>(back),
              "parse_double(format_double(x)) == x");
    });
    try_parse([&] {
      const std::vector<std::int64_t> shape = parse_shape(text, "--shape");
      for (const std::int64_t dimension : shape) require(dimension >= 0, "dimensions are >= 0");
      require(parse_shape(format_shape(shape), "--shape") == shape, "parse_shape(format_shape(s)) == s");
    });
    try_parse([&] {
      const auto [key, value] = parse_key_value(text, "--param");
      require(!key.empty() && key.size() + 1 + value.size() == text.size(), "KEY=VALUE splits the word");
    });
    try_parse([&] {
      const StreamChoice choice = parse_stream(text);
      if (choice.name) require(nninit::stream_id_from_name(*choice.name) == choice.id, "a named stream's id");
    });
  }
  return 0;
}
