// nninit-validate — the statistical validation suite of nninit: fills every
// distribution and initializer in every dtype, tests each against its
// reference distribution, proves the tests' power with negative controls, and
// checks independence and bit-for-bit reproducibility. Writes report.md,
// report.json and junit.xml, and renders the plots with plot_report.py.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "nninit/dtype.hpp"
#include "report.hpp"
#include "runner.hpp"
#include "structured_suite.hpp"
#include "suite.hpp"

#ifndef NNINIT_VALIDATION_PLOT_SCRIPT
#define NNINIT_VALIDATION_PLOT_SCRIPT ""
#endif
#ifndef NNINIT_VALIDATION_PYTHON
#define NNINIT_VALIDATION_PYTHON "python3"
#endif

namespace {

using namespace nninit::validation::suite;
using nninit::validation::Verdict;

constexpr const char* usage = R"(usage: nninit-validate [--quick | --full] [--init PATTERN] [--dtype LIST]
                       [--seed S] [--seeds K] [--samples N] [--jobs N] [--alpha A]
                       [--out DIR] [--plots | --no-plots] [--no-controls]
                       [--no-independence] [--no-reproducibility] [--list]

Statistical validation of nninit: every distribution and initializer (PyTorch
and Keras/JAX conventions) on representative shapes in f32, f64, bf16 and f16,
each tested against its reference distribution (bounds, mean, standard
deviation, Kolmogorov-Smirnov, Anderson-Darling, chi-squared, tail counts,
two-level, correlation, resolution); negative controls that must be detected;
independence of chunks, streams and seeds; bit equality across thread counts
and shard splits. Holm-Bonferroni over the whole run.

tiers:
  --quick            the CI tier (default): 2^20 values per case, one seed, every
                     family in every dtype on a Latin square of shapes
  --full             2^22 values per case, 3 seeds, every family x shape x dtype

selection:
  --init PATTERN     only cases whose name matches PATTERN (a regular expression,
                     or a plain substring), e.g. kaiming_uniform, 'keras\..*normal'
  --dtype LIST       comma-separated dtypes: f32,f64,bf16,f16 (also filters the
                     controls and the reproducibility checks)
  --no-controls, --no-independence, --no-reproducibility
                     skip those parts (a run without controls proves no power)
  --list             print the selected cases and controls and exit

settings:
  --seed S           the seed (decimal or 0x hex; default 0x6E6E696E69745631,
                     chosen once); --seeds K runs seeds S .. S+K-1
  --samples N        values per case (default: the tier's)
  --jobs N           cases run in parallel (default: OpenMP's thread count)
  --alpha A          family-wise error rate of the run (default 1e-6)

output:
  --out DIR          where report.md, report.json, junit.xml and plots/ go
                     (default out/validation)
  --plots            render DIR/plots/*.png with plot_report.py (default when
                     the script is found; interpreter: $NNINIT_VALIDATION_PYTHON
                     or the configured /usr/bin/python3); --no-plots skips it

exit status: 0 every case passes and every control is detected; 1 a case
fails or a control is missed; 2 bad arguments or an error.
)";

struct Arguments {
  RunOptions run;
  std::string out = "out/validation";
  int plots = -1;  // -1: when available
  bool list = false;
};

std::uint64_t parse_unsigned(const std::string& option, const std::string& text) {
  try {
    std::size_t used = 0;
    const unsigned long long value = std::stoull(text, &used, 0);
    if (used != text.size() || text.front() == '-') throw std::invalid_argument(text);
    return value;
  } catch (const std::exception&) {
    throw std::invalid_argument(option + ": '" + text + "' is not a non-negative integer");
  }
}

std::vector<nninit::DType> parse_dtypes(const std::string& text) {
  std::vector<nninit::DType> dtypes;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) {
      try {
        dtypes.push_back(nninit::parse_dtype(item));
      } catch (const std::exception&) {
        throw std::invalid_argument("--dtype: '" + item + "' is not one of f32, f64, bf16, f16");
      }
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (dtypes.empty()) throw std::invalid_argument("--dtype: no dtype given");
  return dtypes;
}

Arguments parse(int argc, char** argv) {
  Arguments args;
  for (int i = 1; i < argc; ++i) {
    const std::string option = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(option + " needs a value");
      return argv[++i];
    };
    if (option == "--quick") {
      args.run.tier = Tier::quick;
    } else if (option == "--full") {
      args.run.tier = Tier::full;
    } else if (option == "--init") {
      args.run.selection.name_pattern = next();
    } else if (option == "--dtype") {
      args.run.selection.dtypes = parse_dtypes(next());
    } else if (option == "--seed") {
      args.run.seed = parse_unsigned(option, next());
    } else if (option == "--seeds") {
      const std::uint64_t seeds = parse_unsigned(option, next());
      if (seeds < 1 || seeds > 100) throw std::invalid_argument("--seeds must be in 1..100");
      args.run.seeds = static_cast<int>(seeds);
    } else if (option == "--samples" || option == "--sample-size") {
      args.run.sample_size = static_cast<std::size_t>(parse_unsigned(option, next()));
    } else if (option == "--jobs") {
      const std::uint64_t jobs = parse_unsigned(option, next());
      if (jobs < 1 || jobs > 1024) throw std::invalid_argument("--jobs must be in 1..1024");
      args.run.jobs = static_cast<int>(jobs);
    } else if (option == "--alpha") {
      const std::string text = next();
      try {
        args.run.alpha = std::stod(text);
      } catch (const std::exception&) {
        throw std::invalid_argument("--alpha: '" + text + "' is not a number");
      }
    } else if (option == "--out") {
      args.out = next();
    } else if (option == "--plots") {
      args.plots = 1;
    } else if (option == "--no-plots") {
      args.plots = 0;
    } else if (option == "--no-controls") {
      args.run.controls = false;
    } else if (option == "--no-independence") {
      args.run.independence = false;
    } else if (option == "--no-reproducibility") {
      args.run.reproducibility = false;
    } else if (option == "--list") {
      args.list = true;
    } else if (option == "-h" || option == "--help") {
      std::fputs(usage, stdout);
      std::exit(0);
    } else {
      throw std::invalid_argument("unknown option '" + option + "' (see --help)");
    }
  }
  return args;
}

// The plot script: $NNINIT_VALIDATION_PLOT_SCRIPT, else the source tree's copy.
std::string plot_script() {
  if (const char* path = std::getenv("NNINIT_VALIDATION_PLOT_SCRIPT"); path != nullptr && *path != '\0') return path;
  return NNINIT_VALIDATION_PLOT_SCRIPT;
}

// Its interpreter: $NNINIT_VALIDATION_PYTHON, else the one found at configure
// time (/usr/bin/python3 first).
std::string python() {
  if (const char* path = std::getenv("NNINIT_VALIDATION_PYTHON"); path != nullptr && *path != '\0') return path;
  return NNINIT_VALIDATION_PYTHON;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  try {
    args = parse(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "nninit-validate: %s\n", error.what());
    return 2;
  }
  try {
    if (args.list) {
      const TierSettings settings = tier_settings(args.run.tier);
      const int seeds = args.run.seeds > 0 ? args.run.seeds : settings.seeds;
      for (const CaseSpec& c : enumerate_cases(args.run.tier, args.run.seed, seeds, args.run.selection)) {
        std::printf("%s\n", c.name.c_str());
      }
      for (const StructuredEntry& c : structured_cases(args.run.tier, args.run.seed, seeds, args.run.selection)) {
        std::printf("%s\n", c.name.c_str());
      }
      if (args.run.controls) {
        const auto& dtypes = args.run.selection.dtypes;
        for (const ControlSpec& c : controls()) {
          if (dtypes.empty() || std::find(dtypes.begin(), dtypes.end(), c.dtype) != dtypes.end()) {
            std::printf("%s  (negative control: %s)\n", c.name.c_str(), c.defect.c_str());
          }
        }
        for (const StructuredEntry& c : structured_controls(args.run.tier, dtypes)) {
          std::printf("%s  (negative control)\n", c.name.c_str());
        }
      }
      return 0;
    }
    const RunResult run = run_suite(args.run, [](const std::string& line) {
      std::fprintf(stderr, "%s\n", line.c_str());
      std::fflush(stderr);
    });
    write_reports(args.out, run);

    std::size_t failed = 0, suspicious = 0, detected = 0;
    for (const CaseResult& r : run.cases) {
      failed += r.verdict == Verdict::fail ? 1 : 0;
      suspicious += r.verdict == Verdict::suspicious ? 1 : 0;
    }
    for (const CaseResult& r : run.controls) detected += r.detected ? 1 : 0;
    std::printf("%s: %zu cases (%zu failed, %zu suspicious), %zu/%zu negative controls detected, %zu independence and "
                "%zu reproducibility checks; Holm over m = %zu tests at alpha %g; %.1f s\n",
                run.passed ? "PASS" : "FAIL", run.cases.size(), failed, suspicious, detected, run.controls.size(),
                run.independence.size(), run.reproducibility.size(), run.family_size, run.options.alpha, run.seconds);
    for (const CaseResult& r : run.controls) {
      if (!r.detected) std::printf("  control NOT detected: %s (min p %g)\n", r.name.c_str(), r.min_p_value);
    }
    for (const CaseResult& r : run.cases) {
      if (r.verdict == Verdict::fail) std::printf("  failed: %s\n", r.name.c_str());
    }
    const std::string out_dir = args.out;
    std::printf("reports: %s/report.md, %s/report.json, %s/junit.xml\n", out_dir.c_str(), out_dir.c_str(), out_dir.c_str());

    const std::string script = plot_script();
    const bool script_found = !script.empty() && std::filesystem::exists(script);
    if (args.plots == 1 && !script_found) {
      std::fprintf(stderr, "nninit-validate: --plots: plot script not found (%s); set NNINIT_VALIDATION_PLOT_SCRIPT\n",
                   script.c_str());
    } else if (args.plots != 0 && script_found) {
      const std::string command =
          shell_quote(python()) + " " + shell_quote(script) + " " + shell_quote(out_dir + "/report.json");
      const int status = std::system(command.c_str());
      if (status != 0) {
        std::fprintf(stderr,
                     "nninit-validate: the plots were not rendered (%s %s exited with status %d: matplotlib missing? "
                     "set NNINIT_VALIDATION_PYTHON); the verdict stands\n",
                     python().c_str(), script.c_str(), status);
      } else {
        std::printf("plots: %s/plots/\n", out_dir.c_str());
      }
    }
    return run.passed ? 0 : 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "nninit-validate: %s\n", error.what());
    return 2;
  }
}
