// progress.hpp — a one-line progress display on stderr for the commands that
// can run for minutes (`nninit fill` of a large tensor, `nninit init` of a
// model, `nninit validate` of a large file). Shown only when stderr is a terminal whose TERM is not "dumb",
// so pipes, log files and CI never see it; redrawn at most five times a
// second; erased when the work ends, so the command's own output is unchanged.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace nninit::cli {

class TerminalProgress {
 public:
  // `label` starts the line (e.g. "nninit validate w.npy"); `wanted` false
  // (the command's --no-progress) turns the display off.
  TerminalProgress(std::string label, bool wanted);
  ~TerminalProgress();
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  // Whether anything is drawn.
  bool shown() const noexcept { return shown_; }

  // "LABEL: PHASE  NN%": drawn at the first call, at 100% and then at most
  // every 200 ms; `fraction` is clamped to [0, 1].
  void update(std::string_view phase, double fraction);

  // "LABEL: PHASE  NN%  DONE of TOTAL, RATE/s" for work measured in bytes
  // (amounts in B, KiB, MiB or GiB; the rate since the display was made):
  // drawn at the first call, when `done` reaches `total` and otherwise at
  // most every 200 ms, whether or not the phase changed (so that many short
  // phases, one per tensor, do not flood the terminal).
  void update_bytes(std::string_view phase, std::uint64_t done, std::uint64_t total);

  // Erases the line (also done by the destructor, e.g. when an error ends the command).
  void finish();

 private:
  void draw(std::string_view phase, int percent, std::string_view detail, std::chrono::steady_clock::time_point now);

  std::string label_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool shown_ = false;
  bool drawn_ = false;
  std::string last_phase_;
  int last_percent_ = -1;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace nninit::cli
