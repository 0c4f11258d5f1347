// The terminal progress line of long fills and validations.
#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nninit::cli {

namespace {

bool stderr_is_a_terminal() {
  if (isatty(STDERR_FILENO) == 0) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

}  // namespace

TerminalProgress::TerminalProgress(std::string label, bool wanted)
    : label_(std::move(label)), shown_(wanted && stderr_is_a_terminal()) {}

TerminalProgress::~TerminalProgress() { finish(); }

void TerminalProgress::update(std::string_view phase, double fraction) {
  if (!shown_) return;
  const int percent = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 100.0);
  const auto now = std::chrono::steady_clock::now();
  const bool first = !drawn_;
  const bool new_phase = phase != last_phase_;
  const bool done = percent == 100 && last_percent_ != 100;
  if (!first && !new_phase && !done && (percent == last_percent_ || now - last_draw_ < std::chrono::milliseconds(200))) {
    return;
  }
  std::fprintf(stderr, "\r%s: %.*s %3d%%\x1b[K", label_.c_str(), static_cast<int>(phase.size()), phase.data(), percent);
  std::fflush(stderr);
  drawn_ = true;
  last_phase_ = phase;
  last_percent_ = percent;
  last_draw_ = now;
}

void TerminalProgress::finish() {
  if (!drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace nninit::cli
