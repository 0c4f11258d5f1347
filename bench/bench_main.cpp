// bench/bench_main.cpp — nninit-bench: fill throughput of nninit against the
// memory roof and hand-written baselines, from L1-sized outputs to DRAM.
//
// Own flags (read and removed before benchmark::Initialize sees argv):
//   --smoke         small sizes only, quick roof: proves every benchmark runs
//                   (also NNINIT_BENCH_SMOKE=1 in the environment)
//   --full          add 1 GiB outputs to the sweep and the per-level matrix
//   --sizes=LIST    output sizes in bytes, e.g. 4K,4M,64M (replaces the defaults)
//   --threads=LIST  thread counts, e.g. 1,2 (default 1, 2, 4, ... up to the cores)
//   --targets=LIST  SIMD targets for the per-target group, e.g. AVX3,AVX2,SSE4 or
//                   all (default: the one nninit dispatches to)
// Every other flag is Google Benchmark's (--benchmark_filter, --benchmark_format=json, ...).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <omp.h>

#include <nninit/nninit.hpp>

#include "bench_common.hpp"
#include "simd/simd_fill.hpp"

namespace nninit_bench {
namespace {

constexpr std::size_t KiB = std::size_t{1} << 10;
constexpr std::size_t MiB = std::size_t{1} << 20;
constexpr std::size_t GiB = std::size_t{1} << 30;

struct Caches {
  std::size_t l1 = 32 * KiB;
  std::size_t l2 = 512 * KiB;
  std::size_t l3 = 8 * MiB;
};

Caches machine_caches() {
  Caches caches;
  bool found_l3 = false;
  for (const auto& cache : benchmark::CPUInfo::Get().caches) {
    if (cache.type == "Instruction" || cache.size <= 0) continue;
    const auto size = static_cast<std::size_t>(cache.size);
    if (cache.level == 1) caches.l1 = size;
    if (cache.level == 2) caches.l2 = size;
    if (cache.level == 3) {
      caches.l3 = size;
      found_l3 = true;
    }
  }
  if (!found_l3) caches.l3 = std::max(caches.l3, 4 * caches.l2);
  return caches;
}

std::size_t floor_power_of_two(std::size_t x) {
  std::size_t p = 1;
  while (p * 2 <= x) p *= 2;
  return p;
}

std::size_t ceil_power_of_two(std::size_t x) {
  std::size_t p = 1;
  while (p < x) p *= 2;
  return p;
}

std::string level_of(std::size_t bytes, const Caches& caches) {
  if (bytes <= caches.l1) return "L1";
  if (bytes <= caches.l2) return "L2";
  if (bytes <= caches.l3) return "L3";
  return "DRAM";
}

std::size_t parse_size(const std::string& text) {
  std::size_t used = 0;
  const unsigned long long value = std::stoull(text, &used);
  std::string unit = text.substr(used);
  std::transform(unit.begin(), unit.end(), unit.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::size_t scale = 1;
  if (unit == "K" || unit == "KB" || unit == "KIB") scale = KiB;
  else if (unit == "M" || unit == "MB" || unit == "MIB") scale = MiB;
  else if (unit == "G" || unit == "GB" || unit == "GIB") scale = GiB;
  else if (!unit.empty() && unit != "B") throw std::invalid_argument("unknown size unit in " + text);
  const std::size_t bytes = static_cast<std::size_t>(value) * scale;
  if (bytes == 0 || bytes % 64 != 0) {
    throw std::invalid_argument("size " + text + " must be a positive multiple of 64 bytes");
  }
  return bytes;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ',')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

void sort_unique(std::vector<std::size_t>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : ",") + part;
  return out;
}

void print_usage() {
  std::printf(
      "nninit-bench: fill throughput of nninit, the memory roof and baselines.\n"
      "  --smoke         small sizes only and a quick roof (or NNINIT_BENCH_SMOKE=1)\n"
      "  --full          add 1 GiB outputs\n"
      "  --sizes=LIST    output sizes in bytes, multiples of 64 (e.g. 4K,4M,64M)\n"
      "  --threads=LIST  thread counts (e.g. 1,2)\n"
      "  --targets=LIST  SIMD targets, each forced in turn for every fill (group\n"
      "                  target:NAME), e.g. AVX3,AVX2,SSE4 or all; default: the\n"
      "                  dispatched one. Size: the DRAM level (or --sizes); 1 thread\n"
      "                  (or --threads)\n"
      "Benchmark names: GROUP/NAME/DTYPE/bytes:B/threads:T/real_time, B in bytes\n"
      "(small_fill: elements:N instead of bytes:B). GROUP is roof, baseline, nninit,\n"
      "initializer, small_fill or target:NAME (NAME a SIMD target such as AVX2);\n"
      "--benchmark_list_tests prints every name a run has.\n"
      "Filters (--benchmark_filter takes a regular expression), e.g.:\n"
      "  --benchmark_filter='^nninit/normal/f32/'        one distribution, all sizes and threads\n"
      "  --benchmark_filter='^(roof|baseline)/'          the memory roof and the baselines\n"
      "  --benchmark_filter='^initializer/torch_kaiming_uniform/'\n"
      "  --benchmark_filter='/bytes:4096/threads:1/'     4 KiB outputs, 1 thread (sizes in\n"
      "                                                  bytes: 4096, not 4K)\n"
      "  --benchmark_filter='^small_fill/uniform/'       per-call time of small fills\n"
      "  --benchmark_filter='^target:'                   every fill on each --targets target\n"
      "Counters: items_per_second (elements/s), bytes_per_second, memset_fraction\n"
      "(over memset of the same size and threads), roof_fraction (over the memory\n"
      "write bandwidth measured at start-up with the same threads).\n\n");
}

// Reads and removes this binary's own flags from argv.
Config parse_config(int& argc, char** argv) {
  bool smoke = false;
  bool full = false;
  std::vector<std::size_t> sizes;
  std::vector<int> threads;
  std::vector<std::string> targets;
  bool threads_given = false;
  if (const char* env = std::getenv("NNINIT_BENCH_SMOKE"); env != nullptr && std::string(env) == "1") {
    smoke = true;
  }
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--smoke") {
      smoke = true;
    } else if (arg == "--full") {
      full = true;
    } else if (arg.rfind("--sizes=", 0) == 0) {
      for (const std::string& part : split(arg.substr(8))) sizes.push_back(parse_size(part));
    } else if (arg.rfind("--threads=", 0) == 0) {
      for (const std::string& part : split(arg.substr(10))) {
        const int count = std::stoi(part);
        if (count < 1) throw std::invalid_argument("thread count " + part + " must be at least 1");
        threads.push_back(count);
      }
      threads_given = true;
    } else if (arg.rfind("--targets=", 0) == 0) {
      targets = split(arg.substr(10));
      if (targets.empty()) throw std::invalid_argument("--targets= needs a list such as AVX2,SSE4 or all");
    } else {
      if (arg == "--help" || arg == "-h") print_usage();
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  argv[argc] = nullptr;

  const Caches caches = machine_caches();
  Config config;
  config.mode = smoke ? "smoke" : (full ? "full" : "default");
  if (!sizes.empty()) {
    config.level_bytes = sizes;
    config.sweep_bytes = sizes;
  } else if (smoke) {
    config.level_bytes = {4 * KiB, 64 * KiB};
    config.sweep_bytes = config.level_bytes;
  } else {
    // One size per level, each well inside it: 4 KiB, half of L2 and of L3
    // (rounded down to a power of two), and at least 8x L3 for DRAM.
    config.level_bytes = {4 * KiB, floor_power_of_two(caches.l2 / 2),
                          floor_power_of_two(caches.l3 / 2),
                          ceil_power_of_two(std::max(64 * MiB, 8 * caches.l3))};
    for (std::size_t bytes = 4 * KiB; bytes <= 256 * MiB; bytes *= 4) {
      config.sweep_bytes.push_back(bytes);
    }
    config.sweep_bytes.insert(config.sweep_bytes.end(), config.level_bytes.begin(),
                              config.level_bytes.end());
    if (full) {
      config.level_bytes.push_back(GiB);
      config.sweep_bytes.push_back(GiB);
    }
  }
  sort_unique(config.level_bytes);
  sort_unique(config.sweep_bytes);
  for (const std::size_t bytes : config.level_bytes) {
    config.level_names.push_back(level_of(bytes, caches));
  }
  config.small_fill_elements = {1024, 16384, 131072};

  if (threads.empty()) {
    const int cores = std::max(1, omp_get_num_procs());
    for (int t = 1; t < cores; t *= 2) threads.push_back(t);
    threads.push_back(cores);
  }
  std::sort(threads.begin(), threads.end());
  threads.erase(std::unique(threads.begin(), threads.end()), threads.end());
  config.threads = threads;

  config.targets = resolve_targets(targets);
  config.target_bytes = {config.level_bytes.back()};
  if (!sizes.empty()) config.target_bytes = sizes;
  config.target_threads = threads_given ? threads : std::vector<int>{1};

  if (smoke) {
    config.roof_bytes = 4 * MiB;
    config.roof_min_seconds = 0.0;
  }
  return config;
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

bool only_listing(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--benchmark_list_tests" || arg == "--benchmark_list_tests=true" ||
        arg == "--help" || arg == "-h") {
      return true;
    }
  }
  return false;
}

void add_context(const Config& config, bool measure) {
  const Caches caches = machine_caches();
  benchmark::AddCustomContext("nninit_version", nninit::version_string);
  benchmark::AddCustomContext("nninit_stream_version", std::to_string(nninit::stream_version));
  benchmark::AddCustomContext("nninit_bench_mode", config.mode);
  benchmark::AddCustomContext("cpu_model", cpu_model());
  benchmark::AddCustomContext("cores", std::to_string(omp_get_num_procs()));
  std::string cache_bytes = "L1=";
  cache_bytes += std::to_string(caches.l1);
  cache_bytes += ",L2=";
  cache_bytes += std::to_string(caches.l2);
  cache_bytes += ",L3=";
  cache_bytes += std::to_string(caches.l3);
  benchmark::AddCustomContext("cache_bytes", cache_bytes);
  std::vector<std::string> levels;
  for (std::size_t i = 0; i < config.level_bytes.size(); ++i) {
    levels.push_back(config.level_names[i] + "=" + std::to_string(config.level_bytes[i]));
  }
  benchmark::AddCustomContext("size_levels", join(levels));
  std::vector<std::string> thread_names;
  for (const int t : config.threads) thread_names.push_back(std::to_string(t));
  benchmark::AddCustomContext("thread_counts", join(thread_names));
  benchmark::AddCustomContext("roof_bytes", std::to_string(config.roof_bytes));
  std::vector<std::string> target_names;
  for (const TargetChoice& target : config.targets) target_names.push_back(target.name);
  benchmark::AddCustomContext("simd_targets", join(target_names));
  benchmark::AddCustomContext("dispatched_simd_target",
                              nninit::internal::simd::dispatched_target_name());
  if (!measure) return;
  // The memory write bandwidth every roof_fraction divides by, measured now.
  for (const int t : config.threads) {
    const double roof = memory_roof(t);
    char text[64];
    std::snprintf(text, sizeof text, "%.3f", roof / 1e9);
    benchmark::AddCustomContext("memory_write_GBps_threads_" + std::to_string(t), text);
  }
}

}  // namespace
}  // namespace nninit_bench

int main(int argc, char** argv) {
  using namespace nninit_bench;
  Config parsed;
  try {
    parsed = parse_config(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "nninit-bench: %s\n", error.what());
    return 2;
  }
  set_config(parsed);
  const bool listing = only_listing(argc, argv);  // before Initialize consumes the flags
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  add_context(parsed, !listing);
  register_roof_benchmarks(parsed);
  register_baseline_benchmarks(parsed);
  register_nninit_benchmarks(parsed);
  register_target_benchmarks(parsed);
  register_orthogonal_benchmarks(parsed);
  register_block_fill_benchmarks(parsed);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (target_dispatch_failed()) {
    std::fprintf(stderr, "nninit-bench: a per-target benchmark could not force its SIMD target\n");
    return 1;
  }
  return 0;
}
