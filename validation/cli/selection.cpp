// Case selection by name (a regular expression or a substring) and dtype.
// Kept apart from suite.cpp: with GCC 12, <regex> under -fsanitize and -O2
// raises a false -Wmaybe-uninitialized inside libstdc++'s std::function,
// which CMakeLists.txt silences for this file alone.
#include <algorithm>
#include <regex>

#include "suite.hpp"

namespace nninit::validation::suite {

bool matches(const Selection& selection, const std::string& name, DType dtype) {
  if (!selection.dtypes.empty() &&
      std::find(selection.dtypes.begin(), selection.dtypes.end(), dtype) == selection.dtypes.end()) {
    return false;
  }
  if (selection.name_pattern.empty()) return true;
  try {
    const std::regex pattern(selection.name_pattern, std::regex::ECMAScript);
    if (std::regex_search(name, pattern)) return true;
  } catch (const std::regex_error&) {
    // not a regular expression: a plain substring below
  }
  return name.find(selection.name_pattern) != std::string::npos;
}

}  // namespace nninit::validation::suite
