// arguments.cpp — the CLI's option parser and value parsers.
#include "arguments.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace nninit::cli {

std::optional<std::string> ParsedArguments::value(std::string_view name) const {
  const auto found = options.find(name);
  if (found == options.end() || found->second.empty()) return std::nullopt;
  return found->second.back();
}

std::vector<std::string> ParsedArguments::values(std::string_view name) const {
  const auto found = options.find(name);
  if (found == options.end()) return {};
  return found->second;
}

namespace {

const OptionSpec* find_long(const std::vector<OptionSpec>& specs, std::string_view name) {
  for (const OptionSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const OptionSpec* find_short(const std::vector<OptionSpec>& specs, std::string_view name) {
  for (const OptionSpec& spec : specs) {
    if (!spec.short_name.empty() && spec.short_name == name) return &spec;
  }
  return nullptr;
}

}  // namespace

ParsedArguments parse_arguments(int argc, char** argv, int first, const std::vector<OptionSpec>& specs) {
  ParsedArguments parsed;
  bool only_positionals = false;
  for (int i = first; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (only_positionals || word.size() < 2 || word[0] != '-' ||
        (word.size() >= 2 && (std::isdigit(static_cast<unsigned char>(word[1])) || word[1] == '.'))) {
      parsed.positionals.emplace_back(word);
      continue;
    }
    if (word == "--") {
      only_positionals = true;
      continue;
    }
    std::string_view name;
    std::optional<std::string_view> inline_value;
    const OptionSpec* spec = nullptr;
    std::string shown;
    if (word.starts_with("--")) {
      name = word.substr(2);
      if (const auto equals = name.find('='); equals != std::string_view::npos) {
        inline_value = name.substr(equals + 1);
        name = name.substr(0, equals);
      }
      spec = find_long(specs, name);
      shown = std::string("--").append(name);
    } else {
      name = word.substr(1);
      spec = find_short(specs, name);
      shown = std::string("-").append(name);
    }
    if (spec == nullptr) {
      throw UsageError("unknown option '" + shown + "'");
    }
    const std::string key(spec->name);
    shown = std::string("--").append(key);
    switch (spec->kind) {
      case ValueKind::none:
        if (inline_value) throw UsageError(shown + " takes no value");
        parsed.options[key];
        break;
      case ValueKind::single: {
        if (parsed.has(key)) throw UsageError(shown + " given more than once");
        std::string value;
        if (inline_value) {
          value = std::string(*inline_value);
        } else {
          if (i + 1 >= argc) throw UsageError(shown + " needs a value");
          value = argv[++i];
        }
        parsed.options[key].push_back(std::move(value));
        break;
      }
      case ValueKind::multiple: {
        auto& list = parsed.options[key];
        if (inline_value) {
          list.emplace_back(*inline_value);
        } else {
          if (i + 1 >= argc) throw UsageError(shown + " needs a value");
          list.emplace_back(argv[++i]);
        }
        // Following KEY=VALUE words belong to the same option.
        while (i + 1 < argc) {
          const std::string_view next = argv[i + 1];
          if (next.starts_with("-") || next.find('=') == std::string_view::npos) break;
          list.emplace_back(next);
          ++i;
        }
        break;
      }
    }
  }
  return parsed;
}

std::uint64_t parse_uint64(std::string_view text, std::string_view what) {
  std::string_view digits = text;
  int base = 10;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    digits.remove_prefix(2);
    base = 16;
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
    if (error == std::errc::result_out_of_range) {
      throw UsageError(std::string(what) + ": '" + std::string(text) + "' is larger than 2^64 - 1");
    }
    throw UsageError(std::string(what) + ": '" + std::string(text) +
                     "' is not a non-negative integer (decimal or 0x hex)");
  }
  return value;
}

std::int64_t parse_int64(std::string_view text, std::string_view what) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    if (error == std::errc::result_out_of_range && end == text.data() + text.size()) {
      throw UsageError(std::string(what) + ": '" + std::string(text) +
                       "' is outside the range of a 64-bit integer (-2^63 .. 2^63 - 1)");
    }
    throw UsageError(std::string(what) + ": '" + std::string(text) + "' is not an integer");
  }
  return value;
}

int parse_int_option(const ParsedArguments& arguments, const char* name, std::int64_t low, std::int64_t high) {
  const std::int64_t value = parse_int64(*arguments.value(name), std::string("--") + name);
  if (value < low || value > high) {
    throw UsageError(std::string("--") + name + ": " + std::to_string(value) + " is not in " + std::to_string(low) +
                     ".." + std::to_string(high));
  }
  return static_cast<int>(value);
}

double parse_double(std::string_view text, std::string_view what) {
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(copy.c_str(), &end);
  const int error = errno;
  if (copy.empty() || end != copy.c_str() + copy.size() ||
      std::isspace(static_cast<unsigned char>(copy[0]))) {
    throw UsageError(std::string(what) + ": '" + copy + "' is not a number");
  }
  // strtod reports ERANGE when the value overflows to +-inf or underflows to
  // 0 or a subnormal that is not the number written: reject both rather than
  // use a different number than the one given. ("inf" itself is no overflow.)
  if (error == ERANGE) {
    if (std::isinf(value)) {
      throw UsageError(std::string(what) + ": '" + copy +
                       "' overflows a double (its largest finite magnitude is 1.7976931348623157e308)");
    }
    throw UsageError(std::string(what) + ": '" + copy + "' underflows a double (it would be read as " +
                     format_double(value) + "; the smallest normal magnitude is 2.2250738585072014e-308)");
  }
  return value;
}

namespace {

bool is_positive_decimal(std::string_view text) {
  if (text.empty() || text.front() < '1' || text.front() > '9') return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::vector<std::int64_t> parse_shape(std::string_view text, std::string_view what) {
  std::string_view body = text;
  if (body.starts_with("(") && body.ends_with(")")) body = body.substr(1, body.size() - 2);
  if (body.starts_with("[") && body.ends_with("]")) body = body.substr(1, body.size() - 2);
  std::vector<std::int64_t> shape;
  if (body.empty()) return shape;
  const std::string quoted = "'" + std::string(text) + "'";
  std::size_t start = 0;
  while (start <= body.size()) {
    const std::size_t comma = body.find(',', start);
    std::string_view piece =
        body.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    if (piece.empty()) {
      if (comma == std::string_view::npos && !shape.empty()) break;  // "5," as in Python
      throw UsageError(std::string(what) + ": " + quoted + " is not a list of dimensions such as 256,784");
    }
    // 'x' separates dimensions too (256x784), but only positive decimals:
    // "0x10" would read as hex 16 to some and as (0, 10) to others.
    std::vector<std::string_view> dimensions;
    if (piece.find_first_of("xX") != std::string_view::npos) {
      std::size_t from = 0;
      while (true) {
        const std::size_t x = piece.find_first_of("xX", from);
        const std::string_view dimension = piece.substr(from, x == std::string_view::npos ? x : x - from);
        if (!is_positive_decimal(dimension)) {
          throw UsageError(std::string(what) + ": " + quoted + " is ambiguous or malformed: 'x' separates " +
                           "only positive decimal dimensions (256x784); write dimensions separated " +
                           "by ',' (0,10 for a 0 by 10 tensor; hex is not accepted)");
        }
        dimensions.push_back(dimension);
        if (x == std::string_view::npos) break;
        from = x + 1;
      }
    } else {
      dimensions.push_back(piece);
    }
    for (const std::string_view dimension_text : dimensions) {
      std::int64_t dimension = 0;
      const auto [end, error] =
          std::from_chars(dimension_text.data(), dimension_text.data() + dimension_text.size(), dimension);
      if (error != std::errc() || end != dimension_text.data() + dimension_text.size() || dimension < 0) {
        throw UsageError(std::string(what) + ": dimension '" + std::string(dimension_text) + "' of " + quoted +
                         (error == std::errc::result_out_of_range ? " is larger than 2^63 - 1"
                                                                  : " is not a non-negative decimal integer"));
      }
      shape.push_back(dimension);
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return shape;
}

std::pair<std::string, std::string> parse_key_value(std::string_view text, std::string_view what) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    throw UsageError(std::string(what) + ": '" + std::string(text) + "' is not KEY=VALUE");
  }
  return {std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

StreamChoice parse_stream(std::string_view text) {
  if (text.starts_with("id:")) return StreamChoice{parse_uint64(text.substr(3), "--stream"), std::nullopt};
  if (text.starts_with("name:")) {
    const std::string name(text.substr(5));
    return StreamChoice{stream_id_from_name(name), name};
  }
  if (text.empty()) throw UsageError("--stream: empty; give an integer id or a parameter name");
  // All decimal digits, or 0x and hex digits: an integer, which must fit in
  // 64 bits; it is never silently hashed as a name instead.
  const auto all_of = [](std::string_view digits, auto is_digit) {
    for (const char c : digits) {
      if (!is_digit(static_cast<unsigned char>(c))) return false;
    }
    return true;
  };
  const bool hex = text.starts_with("0x") || text.starts_with("0X");
  const bool integer = hex ? all_of(text.substr(2), [](unsigned char c) { return std::isxdigit(c) != 0; })
                           : all_of(text, [](unsigned char c) { return std::isdigit(c) != 0; });
  if (integer) {
    try {
      return StreamChoice{parse_uint64(text, "--stream"), std::nullopt};
    } catch (const UsageError& error) {
      throw UsageError(std::string(error.what()) + "; to hash it as a name, give --stream name:" +
                       std::string(text));
    }
  }
  const std::string name(text);
  return StreamChoice{stream_id_from_name(name), name};
}

std::string format_shape(const std::vector<std::int64_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  if (shape.size() == 1) text += ",";
  return text + ")";
}

std::string format_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace nninit::cli
