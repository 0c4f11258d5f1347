// bench/bench_common.hpp — shared pieces of nninit-bench: the run
// configuration (sizes per memory level, thread counts), the output arena,
// the memory roof (memset / streaming-store write bandwidth, measured in the
// same run) and the counters every fill benchmark reports.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

namespace nninit_bench {

// One SIMD target of the library: its Highway bit and name ("AVX3", "AVX2", ...).
struct TargetChoice {
  std::int64_t bits = 0;
  std::string name;
};

// What to register. Built from the machine's caches and the command line
// (--smoke, --full, --sizes, --threads) before benchmark::Initialize.
struct Config {
  std::string mode = "default";  // "default", "smoke" or "full"
  // One output size (bytes) per memory level: it fits L1, L2, L3, or needs DRAM.
  std::vector<std::string> level_names;
  std::vector<std::size_t> level_bytes;
  // Rate against size: 4 KiB, 16 KiB, ... (powers of 4) plus the level sizes.
  std::vector<std::size_t> sweep_bytes;
  // Small fills, in elements: the time per fill where thread start-up would dominate.
  std::vector<std::size_t> small_fill_elements;
  // Thread counts: 1, 2, 4, ... up to the number of cores, and that number.
  std::vector<int> threads;
  // Size at which the memory write bandwidth (the roof) is measured.
  std::size_t roof_bytes = std::size_t{256} << 20;
  // Smallest time (seconds) spent measuring each write roof.
  double roof_min_seconds = 0.05;
  // Per-target benchmarks (group "target:NAME"): the targets forced in turn,
  // the output sizes (default: the DRAM level size) and thread counts (default 1).
  std::vector<TargetChoice> targets;
  std::vector<std::size_t> target_bytes;
  std::vector<int> target_threads;
};

// The targets named on the command line (--targets=AVX3,AVX2 or all), in that
// order without repeats; empty: the one nninit dispatches to. Throws
// std::invalid_argument naming a target this build and CPU cannot run.
std::vector<TargetChoice> resolve_targets(const std::vector<std::string>& requested);

void set_config(const Config& config);
const Config& config();

// A zero-initialised, page-aligned scratch buffer of at least `bytes` bytes,
// shared by every benchmark (it grows on demand; all pages are touched when it
// is allocated, so no benchmark pays for page faults).
std::byte* arena(std::size_t bytes);
template <class T>
T* arena_as(std::size_t count) {
  return reinterpret_cast<T*>(arena(count * sizeof(T)));
}

// The writers that define the roof. Each splits [p, p + bytes) into `threads`
// contiguous parts (one OpenMP region, none for 1 thread).
void memset_write(std::byte* p, std::size_t bytes, int threads);
// Non-temporal (streaming) stores of zeros: bypass the caches.
void stream_write(std::byte* p, std::size_t bytes, int threads);
// The same two with a non-zero pattern (streaming stores of 0.5f, memset of
// the byte 0x3F): on some machines writing zeros is faster than writing
// anything else, so a constant other than zero is compared with these.
void stream_value_write(std::byte* p, std::size_t bytes, int threads);
void memset_value_write(std::byte* p, std::size_t bytes, int threads);
// std::fill with 0.5f, as a C++ user would write a constant fill.
void std_fill_write(float* p, std::size_t count, int threads);

// The best write rate (bytes/s) for a buffer of `bytes` with at most `threads`
// threads: the maximum over memset and streaming stores, on 1 or `threads`
// threads, best of several runs. Measured on first use, then cached.
double write_roof(std::size_t bytes, int threads);
// The memory write bandwidth: write_roof(config().roof_bytes, threads).
double memory_roof(int threads);

// The roofs one fill benchmark compares itself with, looked up (measured if
// need be) before its timed loop.
struct Roofs {
  double same_size = 0.0;  // write_roof(bytes, threads)
  double memory = 0.0;     // memory_roof(threads)
};
Roofs roofs_for(std::size_t bytes, int threads);

// Wall-clock time of a benchmark's timed loop (the same interval as
// Google Benchmark's real time, give or take the clock reads).
class LoopTimer {
 public:
  LoopTimer() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Sets items/s and bytes/s and the two roof counters, from the `seconds` the
// timed loop took (a LoopTimer started right before it):
//   memset_fraction: bytes/s over the memset roof of the same size and threads;
//   roof_fraction:   bytes/s over the memory write bandwidth (DRAM) at the
//                    same thread count (above 1 when the output stays in cache).
void report_fill(benchmark::State& state, std::size_t elements, std::size_t bytes,
                 const Roofs& roofs, double seconds);

// Every benchmark is named GROUP/NAME/DTYPE/SIZE_KEY:SIZE/threads:T, e.g.
// "nninit/uniform/f32/bytes:4096/threads:2"; bench/*.py parse these names.
std::string benchmark_name(std::string_view group, std::string_view name, std::string_view dtype,
                           std::size_t size, int threads, std::string_view size_key = "bytes");

void register_roof_benchmarks(const Config& config);
void register_baseline_benchmarks(const Config& config);
void register_nninit_benchmarks(const Config& config);
void register_target_benchmarks(const Config& config);
// torch::orthogonal by shape (bench/orthogonal_bench.cpp); a name of it:
void register_orthogonal_benchmarks(const Config& config);
std::string orthogonal_benchmark_name(std::int64_t rows, std::int64_t cols, int threads);
// fill_block on a column shard beside the contiguous fill (bench/block_fill_bench.cpp).
void register_block_fill_benchmarks(const Config& config);
// True when a per-target benchmark found dispatch on another target than the
// one it forced (it then reports an error instead of a rate).
bool target_dispatch_failed();

}  // namespace nninit_bench
