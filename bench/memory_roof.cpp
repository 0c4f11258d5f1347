// bench/memory_roof.cpp — the roof: memset, non-temporal stores and
// std::fill, as benchmarks of their own and as the write bandwidth that every
// fill is divided by (measured once per size and thread count in this run).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include <omp.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bench_common.hpp"

namespace nninit_bench {
namespace {

Config global_config;

constexpr std::size_t page_alignment = std::size_t{2} << 20;  // a transparent huge page

struct Arena {
  std::byte* data = nullptr;
  std::size_t capacity = 0;
  ~Arena() { std::free(data); }
};

Arena& the_arena() {
  static Arena instance;
  return instance;
}

// Contiguous part `part` of `parts` of [0, bytes), boundaries on 4 KiB pages.
std::pair<std::size_t, std::size_t> part_of(std::size_t bytes, int part, int parts) {
  constexpr std::size_t page = 4096;
  const std::size_t pages = (bytes + page - 1) / page;
  const std::size_t first = pages * static_cast<std::size_t>(part) / static_cast<std::size_t>(parts);
  const std::size_t last =
      pages * static_cast<std::size_t>(part + 1) / static_cast<std::size_t>(parts);
  return {std::min(first * page, bytes), std::min(last * page, bytes)};
}

template <class Write>
void split_write(std::size_t bytes, int threads, Write write) {
  if (threads <= 1) {
    write(std::size_t{0}, bytes);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const auto [begin, end] = part_of(bytes, omp_get_thread_num(), omp_get_num_threads());
    if (end > begin) write(begin, end);
  }
}

// Streaming stores of the 4-byte pattern `word` (0: zeros).
void stream_pattern(std::byte* p, std::size_t bytes, std::uint32_t word) {
  const int byte = static_cast<int>(word & 0xFF);  // the ends: exact for 0, close enough otherwise
#if defined(__SSE2__)
  // Head up to 16-byte alignment and the tail with memset, the body with
  // 64-byte groups of streaming stores.
  const std::size_t misalignment = reinterpret_cast<std::uintptr_t>(p) % 16;
  std::size_t head = misalignment == 0 ? 0 : 16 - misalignment;
  head = std::min(head, bytes);
  std::memset(p, byte, head);
  std::byte* body = p + head;
  const std::size_t body_bytes = (bytes - head) / 64 * 64;
  const __m128i zero = _mm_set1_epi32(static_cast<int>(word));
  for (std::size_t i = 0; i < body_bytes; i += 64) {
    auto* line = reinterpret_cast<__m128i*>(body + i);
    _mm_stream_si128(line + 0, zero);
    _mm_stream_si128(line + 1, zero);
    _mm_stream_si128(line + 2, zero);
    _mm_stream_si128(line + 3, zero);
  }
  std::memset(body + body_bytes, byte, bytes - head - body_bytes);
  _mm_sfence();
#else
  std::memset(p, byte, bytes);
#endif
}

void stream_zero(std::byte* p, std::size_t bytes) { stream_pattern(p, bytes, 0); }

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Best rate (bytes/s) of `write` over at least 3 runs and min_seconds. Small
// buffers are written many times per timed batch so the clock's resolution
// does not matter.
template <class Write>
double best_rate(std::size_t bytes, double min_seconds, Write write) {
  const std::size_t batch = std::max<std::size_t>(1, (std::size_t{1} << 20) / std::max<std::size_t>(bytes, 1));
  write();  // warm up: caches, TLB, OpenMP threads
  double best = 0.0;
  const auto start = std::chrono::steady_clock::now();
  for (int run = 0; run < 3 || seconds_since(start) < min_seconds; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < batch; ++i) write();
    benchmark::ClobberMemory();
    const double elapsed = seconds_since(t0);
    if (elapsed > 0) {
      best = std::max(best, static_cast<double>(bytes) * static_cast<double>(batch) / elapsed);
    }
  }
  return best;
}

double measure_write_roof(std::size_t bytes, int threads) {
  std::byte* p = arena(bytes);
  const double min_seconds = config().roof_min_seconds;
  double best = 0.0;
  std::vector<int> thread_counts{1};
  if (threads > 1) thread_counts.push_back(threads);
  for (const int t : thread_counts) {
    best = std::max(best, best_rate(bytes, min_seconds, [&] { memset_write(p, bytes, t); }));
    best = std::max(best, best_rate(bytes, min_seconds, [&] { stream_write(p, bytes, t); }));
  }
  return best;
}

// Items are counted as 4-byte words so the rates compare directly with f32 fills.
template <class Write>
void bm_writer(benchmark::State& state, std::size_t bytes, int threads, Write write) {
  const Roofs roofs = roofs_for(bytes, threads);
  std::byte* p = arena(bytes);
  const LoopTimer timer;
  for (auto _ : state) {
    write(p, bytes, threads);
    benchmark::ClobberMemory();
  }
  report_fill(state, bytes / sizeof(float), bytes, roofs, timer.seconds());
}

}  // namespace

void set_config(const Config& config) { global_config = config; }
const Config& config() { return global_config; }

std::byte* arena(std::size_t bytes) {
  Arena& a = the_arena();
  if (bytes > a.capacity) {
    std::free(a.data);
    a.data = nullptr;
    a.capacity = 0;
    const std::size_t capacity = (bytes + page_alignment - 1) / page_alignment * page_alignment;
    auto* data = static_cast<std::byte*>(std::aligned_alloc(page_alignment, capacity));
    if (data == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(data, capacity, MADV_HUGEPAGE);
#endif
    std::memset(data, 0, capacity);  // touch every page now, not in a timed loop
    a.data = data;
    a.capacity = capacity;
  }
  return a.data;
}

void memset_write(std::byte* p, std::size_t bytes, int threads) {
  split_write(bytes, threads,
              [p](std::size_t begin, std::size_t end) { std::memset(p + begin, 0, end - begin); });
}

void stream_write(std::byte* p, std::size_t bytes, int threads) {
  split_write(bytes, threads,
              [p](std::size_t begin, std::size_t end) { stream_zero(p + begin, end - begin); });
}

void stream_value_write(std::byte* p, std::size_t bytes, int threads) {
  split_write(bytes, threads, [p](std::size_t begin, std::size_t end) {
    stream_pattern(p + begin, end - begin, 0x3F000000u);  // 0.5f
  });
}

void memset_value_write(std::byte* p, std::size_t bytes, int threads) {
  split_write(bytes, threads,
              [p](std::size_t begin, std::size_t end) { std::memset(p + begin, 0x3F, end - begin); });
}

void std_fill_write(float* p, std::size_t count, int threads) {
  split_write(count * sizeof(float), threads, [p](std::size_t begin, std::size_t end) {
    std::fill(p + begin / sizeof(float), p + end / sizeof(float), 0.5f);
  });
}

double write_roof(std::size_t bytes, int threads) {
  static std::mutex mutex;
  static std::map<std::pair<std::size_t, int>, double> cache;
  const std::lock_guard lock(mutex);
  const auto key = std::make_pair(bytes, threads);
  const auto found = cache.find(key);
  if (found != cache.end()) return found->second;
  const double roof = measure_write_roof(bytes, threads);
  cache.emplace(key, roof);
  return roof;
}

double memory_roof(int threads) { return write_roof(config().roof_bytes, threads); }

Roofs roofs_for(std::size_t bytes, int threads) {
  return Roofs{write_roof(bytes, threads), memory_roof(threads)};
}

void report_fill(benchmark::State& state, std::size_t elements, std::size_t bytes,
                 const Roofs& roofs, double seconds) {
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(iterations * static_cast<std::int64_t>(elements));
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(bytes));
  if (seconds <= 0) return;
  const double rate = static_cast<double>(iterations) * static_cast<double>(bytes) / seconds;
  if (roofs.same_size > 0) state.counters["memset_fraction"] = rate / roofs.same_size;
  if (roofs.memory > 0) state.counters["roof_fraction"] = rate / roofs.memory;
}

std::string benchmark_name(std::string_view group, std::string_view name, std::string_view dtype,
                           std::size_t size, int threads, std::string_view size_key) {
  std::string out;
  for (const std::string_view part : {group, name, dtype}) {
    out.append(part);
    out.push_back('/');
  }
  out.append(size_key);
  out.push_back(':');
  out.append(std::to_string(size));
  out.append("/threads:");
  out.append(std::to_string(threads));
  return out;
}

void register_roof_benchmarks(const Config& config) {
  for (const std::size_t bytes : config.sweep_bytes) {
    for (const int threads : config.threads) {
      benchmark::RegisterBenchmark(benchmark_name("roof", "memset", "f32", bytes, threads).c_str(),
                                   [bytes, threads](benchmark::State& state) {
                                     bm_writer(state, bytes, threads, memset_write);
                                   })
          ->UseRealTime();
      benchmark::RegisterBenchmark(benchmark_name("roof", "stream_store", "f32", bytes, threads).c_str(),
                                   [bytes, threads](benchmark::State& state) {
                                     bm_writer(state, bytes, threads, stream_write);
                                   })
          ->UseRealTime();
      benchmark::RegisterBenchmark(
          benchmark_name("roof", "stream_store_value", "f32", bytes, threads).c_str(),
          [bytes, threads](benchmark::State& state) {
            bm_writer(state, bytes, threads, stream_value_write);
          })
          ->UseRealTime();
      benchmark::RegisterBenchmark(
          benchmark_name("roof", "memset_value", "f32", bytes, threads).c_str(),
          [bytes, threads](benchmark::State& state) {
            bm_writer(state, bytes, threads, memset_value_write);
          })
          ->UseRealTime();
      benchmark::RegisterBenchmark(
          benchmark_name("roof", "std_fill", "f32", bytes, threads).c_str(),
          [bytes, threads](benchmark::State& state) {
            bm_writer(state, bytes, threads, [](std::byte* p, std::size_t n, int t) {
              std_fill_write(reinterpret_cast<float*>(p), n / sizeof(float), t);
            });
          })
          ->UseRealTime();
    }
  }
}

}  // namespace nninit_bench
