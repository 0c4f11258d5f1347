// Names of verdicts.
#include "nninit/validation/test_result.hpp"

namespace nninit::validation {

std::string_view verdict_name(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::not_judged: return "not_judged";
    case Verdict::pass: return "pass";
    case Verdict::suspicious: return "suspicious";
    case Verdict::fail: return "fail";
  }
  return "unknown";
}

}  // namespace nninit::validation
