// json_writer.hpp — a small streaming JSON writer (objects, arrays, strings,
// numbers; non-finite numbers become null, as JSON has no NaN).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace nninit::validation::suite {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  // The key of the next member of the current object.
  JsonWriter& key(std::string_view name) {
    separate();
    write_string(name);
    out_ << ':';
    after_key_ = true;
    return *this;
  }

  JsonWriter& value(std::string_view text) {
    separate();
    write_string(text);
    return *this;
  }
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag) {
    separate();
    out_ << (flag ? "true" : "false");
    return *this;
  }
  JsonWriter& value(double number, int precision = 17) {
    separate();
    if (!std::isfinite(number)) {
      out_ << "null";
    } else {
      char buffer[40];
      std::snprintf(buffer, sizeof buffer, "%.*g", precision, number);
      out_ << buffer;
    }
    return *this;
  }
  JsonWriter& value(std::int64_t number) {
    separate();
    out_ << number;
    return *this;
  }
  JsonWriter& value(std::uint64_t number) {
    separate();
    out_ << number;
    return *this;
  }
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& null() {
    separate();
    out_ << "null";
    return *this;
  }
  // An array of numbers with `precision` significant digits (plot data).
  JsonWriter& numbers(const std::vector<double>& values, int precision = 17) {
    begin_array();
    for (const double v : values) value(v, precision);
    return end_array();
  }

  template <class T>
  JsonWriter& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

 private:
  JsonWriter& open(char bracket) {
    separate();
    out_ << bracket;
    first_.push_back(true);
    return *this;
  }
  JsonWriter& close(char bracket) {
    first_.pop_back();
    out_ << bracket;
    return *this;
  }
  // A comma before every element but the first of its container; none after a key.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) out_ << ',';
      first_.back() = false;
    }
  }
  void write_string(std::string_view text) {
    out_ << '"';
    for (const char c : text) {
      switch (c) {
        case '"':
          out_ << "\\\"";
          break;
        case '\\':
          out_ << "\\\\";
          break;
        case '\n':
          out_ << "\\n";
          break;
        case '\t':
          out_ << "\\t";
          break;
        case '\r':
          out_ << "\\r";
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out_ << buffer;
          } else {
            out_ << c;
          }
      }
    }
    out_ << '"';
  }

  std::ostream& out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace nninit::validation::suite
