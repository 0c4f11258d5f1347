// bench/baselines.cpp — what a C++ user writes by hand, measured in the same
// run as nninit: std::mt19937 with the standard distributions, Random123's
// scalar Philox4x32-10 converted to floats, and a naive OpenMP loop with one
// std::mt19937 per thread (whose output changes with the thread count).
#include <cstdint>
#include <random>
#include <string>

#include <omp.h>

#include <Random123/boxmuller.hpp>
#include <Random123/philox.h>

#include "bench_common.hpp"

namespace nninit_bench {
namespace {

constexpr std::uint32_t seed = 42;
constexpr std::uint64_t stream_id = 7;

// One std::mt19937 for the whole run, as in a typical training script.
template <class Distribution>
void bm_mt19937(benchmark::State& state, std::size_t bytes, Distribution distribution) {
  const Roofs roofs = roofs_for(bytes, 1);
  const std::size_t n = bytes / sizeof(float);
  float* out = arena_as<float>(n);
  std::mt19937 engine(seed);
  const LoopTimer timer;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) out[i] = distribution(engine);
    benchmark::ClobberMemory();
  }
  report_fill(state, n, bytes, roofs, timer.seconds());
}

using Philox = r123::Philox4x32;

Philox::ctr_type philox_counter(std::uint64_t block) {
  return Philox::ctr_type{{static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
                           static_cast<std::uint32_t>(stream_id),
                           static_cast<std::uint32_t>(stream_id >> 32)}};
}

// Random123 Philox4x32-10, one block per 4 floats, U(-1, 1) from the top 24
// bits of each word. Counter-based, so the parallel loop is reproducible.
void philox_uniform(float* out, std::size_t n, int threads) {
  const Philox::key_type key{{seed, 0u}};
  const std::size_t blocks = n / 4;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
  for (std::size_t block = 0; block < blocks; ++block) {
    const Philox philox;
    const Philox::ctr_type words = philox(philox_counter(block), key);
    for (std::size_t j = 0; j < 4; ++j) {
      out[4 * block + j] = -1.0f + 2.0f * (static_cast<float>(words.v[j] >> 8) * 0x1p-24f);
    }
  }
}

// Random123 Philox4x32-10 with Random123's own Box-Muller (libm logf, sincosf).
void philox_normal(float* out, std::size_t n, int threads) {
  const Philox::key_type key{{seed, 0u}};
  const std::size_t blocks = n / 4;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
  for (std::size_t block = 0; block < blocks; ++block) {
    const Philox philox;
    const Philox::ctr_type words = philox(philox_counter(block), key);
    const r123::float2 first = r123::boxmuller(words.v[0], words.v[1]);
    const r123::float2 second = r123::boxmuller(words.v[2], words.v[3]);
    out[4 * block + 0] = first.x;
    out[4 * block + 1] = first.y;
    out[4 * block + 2] = second.x;
    out[4 * block + 3] = second.y;
  }
}

template <void (*Fill)(float*, std::size_t, int)>
void bm_philox(benchmark::State& state, std::size_t bytes, int threads) {
  const Roofs roofs = roofs_for(bytes, threads);
  const std::size_t n = bytes / sizeof(float);
  float* out = arena_as<float>(n);
  const LoopTimer timer;
  for (auto _ : state) {
    Fill(out, n, threads);
    benchmark::ClobberMemory();
  }
  report_fill(state, n, bytes, roofs, timer.seconds());
}

// The naive parallel loop: each thread seeds its own std::mt19937 with
// seed + thread number and fills a contiguous part. NOT reproducible across
// thread counts: the values depend on how many threads there are.
template <class Distribution>
void omp_mt19937_fill(float* out, std::size_t n, int threads, Distribution distribution) {
#pragma omp parallel num_threads(threads)
  {
    const auto thread = static_cast<std::size_t>(omp_get_thread_num());
    const auto team = static_cast<std::size_t>(omp_get_num_threads());
    std::mt19937 engine(seed + static_cast<std::uint32_t>(thread));
    Distribution local = distribution;
    const std::size_t begin = n * thread / team;
    const std::size_t end = n * (thread + 1) / team;
    for (std::size_t i = begin; i < end; ++i) out[i] = local(engine);
  }
}

template <class Distribution>
void bm_omp_mt19937(benchmark::State& state, std::size_t bytes, int threads,
                    Distribution distribution) {
  const Roofs roofs = roofs_for(bytes, threads);
  const std::size_t n = bytes / sizeof(float);
  float* out = arena_as<float>(n);
  const LoopTimer timer;
  for (auto _ : state) {
    omp_mt19937_fill(out, n, threads, distribution);
    benchmark::ClobberMemory();
  }
  report_fill(state, n, bytes, roofs, timer.seconds());
  state.SetLabel("NOT reproducible across thread counts");
}

}  // namespace

void register_baseline_benchmarks(const Config& config) {
  using Uniform = std::uniform_real_distribution<float>;
  using Normal = std::normal_distribution<float>;
  for (const std::size_t bytes : config.level_bytes) {
    // A single sequential engine runs on one thread.
    benchmark::RegisterBenchmark(benchmark_name("baseline", "mt19937_uniform", "f32", bytes, 1).c_str(),
                                 [bytes](benchmark::State& state) {
                                   bm_mt19937(state, bytes, Uniform(-1.0f, 1.0f));
                                 })
        ->UseRealTime();
    benchmark::RegisterBenchmark(benchmark_name("baseline", "mt19937_normal", "f32", bytes, 1).c_str(),
                                 [bytes](benchmark::State& state) {
                                   bm_mt19937(state, bytes, Normal(0.0f, 1.0f));
                                 })
        ->UseRealTime();
    for (const int threads : config.threads) {
      benchmark::RegisterBenchmark(benchmark_name("baseline", "random123_philox_uniform", "f32", bytes, threads).c_str(),
                                   [bytes, threads](benchmark::State& state) {
                                     bm_philox<philox_uniform>(state, bytes, threads);
                                   })
          ->UseRealTime();
      benchmark::RegisterBenchmark(benchmark_name("baseline", "random123_philox_normal", "f32", bytes, threads).c_str(),
                                   [bytes, threads](benchmark::State& state) {
                                     bm_philox<philox_normal>(state, bytes, threads);
                                   })
          ->UseRealTime();
      benchmark::RegisterBenchmark(
          benchmark_name("baseline", "omp_mt19937_uniform_NOT_REPRODUCIBLE", "f32", bytes, threads).c_str(),
          [bytes, threads](benchmark::State& state) {
            bm_omp_mt19937(state, bytes, threads, Uniform(-1.0f, 1.0f));
          })
          ->UseRealTime();
      benchmark::RegisterBenchmark(
          benchmark_name("baseline", "omp_mt19937_normal_NOT_REPRODUCIBLE", "f32", bytes, threads).c_str(),
          [bytes, threads](benchmark::State& state) {
            bm_omp_mt19937(state, bytes, threads, Normal(0.0f, 1.0f));
          })
          ->UseRealTime();
    }
  }
}

}  // namespace nninit_bench
