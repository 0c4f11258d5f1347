// report.hpp — the outputs of a validation run: report.md (for people),
// report.json (for the plot script and other tools), junit.xml (for CI), and
// the power statement both reports carry.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "runner.hpp"

namespace nninit::validation::suite {

// The smallest defect each test detects at sample size n when it must reach
// the run's strictest threshold (alpha / m), with 90% power unless noted.
struct PowerRow {
  std::string test;
  std::string defect;
  double detectable = 0.0;  // in the unit of `unit`
  std::string unit;
  std::string note;
};
std::vector<PowerRow> power_table(std::size_t n, double threshold);

void write_markdown(std::ostream& out, const RunResult& run);
void write_json(std::ostream& out, const RunResult& run);
void write_junit(std::ostream& out, const RunResult& run);

// Writes report.md, report.json and junit.xml into `directory` (created if
// missing). Throws std::runtime_error if a file cannot be written.
void write_reports(const std::string& directory, const RunResult& run);

// "pass", "suspicious", "fail", "not_judged".
std::string verdict_text(Verdict verdict);

}  // namespace nninit::validation::suite
