// The terminal progress line of long fills, model inits and validations.
#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace nninit::cli {

namespace {

bool stderr_is_a_terminal() {
  if (isatty(STDERR_FILENO) == 0) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

// "512 B", "3.5 KiB", "80.0 MiB", "13.4 GiB".
std::string amount(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024.0 && unit < 4) {
    bytes /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  return text;
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
  draw(phase, percent, "", now);
}

void TerminalProgress::update_bytes(std::string_view phase, std::uint64_t done, std::uint64_t total) {
  if (!shown_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool done_now = done >= total && !(last_percent_ == 100 && phase == last_phase_);
  if (drawn_ && !done_now && now - last_draw_ < std::chrono::milliseconds(200)) return;
  const double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  const double seconds = std::chrono::duration<double>(now - started_).count();
  std::string detail = amount(static_cast<double>(done)) + " of " + amount(static_cast<double>(total));
  if (seconds > 0.01 && done > 0) detail += ", " + amount(static_cast<double>(done) / seconds) + "/s";
  draw(phase, static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 100.0), detail, now);
}

void TerminalProgress::draw(std::string_view phase, int percent, std::string_view detail,
                            std::chrono::steady_clock::time_point now) {
  std::fprintf(stderr, "\r%s: %.*s %3d%%%s%.*s\x1b[K", label_.c_str(), static_cast<int>(phase.size()), phase.data(),
               percent, detail.empty() ? "" : "  ", static_cast<int>(detail.size()), detail.data());
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
