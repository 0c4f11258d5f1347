// bench/nninit_fills.cpp — nninit::fill for every distribution, dtype, size
// and thread count; the user-facing initializers (which reduce to the
// distributions); and small fills, where the time per fill is what matters.
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <nninit/nninit.hpp>

#include "bench_common.hpp"

namespace nninit_bench {
namespace {

const nninit::Stream stream = nninit::Stream::named(42, "bench.weight");

struct NamedDistribution {
  const char* name;
  nninit::Distribution distribution;
};

// The four distributions, with the parameters the peers use by default, and
// zeros (nninit::zeros: a constant whose bytes are all zero, which memset
// writes too).
const NamedDistribution distributions[] = {
    {"zeros", nninit::Constant{0.0}},
    {"constant", nninit::Constant{0.5}},
    {"uniform", nninit::Uniform{-1.0, 1.0}},
    {"normal", nninit::Normal{0.0, 1.0}},
    {"truncated_normal", nninit::TruncatedNormal{0.0, 1.0, -2.0, 2.0}},
};

template <class T>
void bm_fill(benchmark::State& state, const nninit::Distribution& distribution, std::size_t count,
             int threads) {
  const Roofs roofs = roofs_for(count * sizeof(T), threads);
  const std::span<T> out(arena_as<T>(count), count);
  const nninit::FillOptions options{0, threads};
  const LoopTimer timer;
  for (auto _ : state) {
    nninit::fill(out, distribution, stream, options);
    benchmark::ClobberMemory();
  }
  report_fill(state, count, count * sizeof(T), roofs, timer.seconds());
}

template <class T>
void register_fills(const char* dtype, const std::vector<std::size_t>& sizes,
                    const std::vector<int>& thread_counts) {
  for (const NamedDistribution& named : distributions) {
    for (const std::size_t bytes : sizes) {
      for (const int threads : thread_counts) {
        const std::string name = benchmark_name("nninit", named.name, dtype, bytes, threads);
        const nninit::Distribution distribution = named.distribution;
        benchmark::RegisterBenchmark(name.c_str(),
                                     [distribution, bytes, threads](benchmark::State& state) {
                                       bm_fill<T>(state, distribution, bytes / sizeof(T), threads);
                                     })
            ->UseRealTime();
      }
    }
  }
}

// A [rows, 256] weight (PyTorch layout) or [rows, 256] kernel (Keras layout)
// of `count` elements; the fans only change the scale, never the speed.
nninit::Fans fans_of(std::size_t count, nninit::Layout layout) {
  const auto rows = static_cast<std::int64_t>(count / 256 > 0 ? count / 256 : 1);
  return nninit::compute_fans({rows, 256}, layout);
}

enum class Initializer { torch_kaiming_uniform, torch_xavier_normal, keras_he_normal };

// The user-facing call: compute the fans and the distribution, then fill.
void bm_initializer(benchmark::State& state, Initializer initializer, std::size_t bytes,
                    int threads) {
  const std::size_t count = bytes / sizeof(float);
  const Roofs roofs = roofs_for(bytes, threads);
  const std::span<float> out(arena_as<float>(count), count);
  const nninit::FillOptions options{0, threads};
  const LoopTimer timer;
  for (auto _ : state) {
    switch (initializer) {
      case Initializer::torch_kaiming_uniform:
        nninit::fill(out, nninit::torch::kaiming_uniform(fans_of(count, nninit::Layout::torch)),
                     stream, options);
        break;
      case Initializer::torch_xavier_normal:
        nninit::fill(out, nninit::torch::xavier_normal(fans_of(count, nninit::Layout::torch)),
                     stream, options);
        break;
      case Initializer::keras_he_normal:
        nninit::fill(out, nninit::keras::he_normal(fans_of(count, nninit::Layout::keras)), stream,
                     options);
        break;
    }
    benchmark::ClobberMemory();
  }
  report_fill(state, count, bytes, roofs, timer.seconds());
}

}  // namespace

void register_nninit_benchmarks(const Config& config) {
  // f32 gets the full size sweep (rate against size); the other dtypes one
  // size per memory level.
  register_fills<float>("f32", config.sweep_bytes, config.threads);
  register_fills<double>("f64", config.level_bytes, config.threads);
  register_fills<nninit::bfloat16>("bf16", config.level_bytes, config.threads);
  register_fills<nninit::float16>("f16", config.level_bytes, config.threads);

  const std::pair<const char*, Initializer> initializers[] = {
      {"torch_kaiming_uniform", Initializer::torch_kaiming_uniform},
      {"torch_xavier_normal", Initializer::torch_xavier_normal},
      {"keras_he_normal", Initializer::keras_he_normal},
  };
  for (const auto& [name, initializer] : initializers) {
    for (const std::size_t bytes : config.level_bytes) {
      for (const int threads : config.threads) {
        const std::string full_name = benchmark_name("initializer", name, "f32", bytes, threads);
        const Initializer which = initializer;
        benchmark::RegisterBenchmark(full_name.c_str(),
                                     [which, bytes, threads](benchmark::State& state) {
                                       bm_initializer(state, which, bytes, threads);
                                     })
            ->UseRealTime();
      }
    }
  }

  // Small fills: report the time per fill (one fill per iteration).
  for (const NamedDistribution& named : distributions) {
    if (std::string(named.name) == "constant" || std::string(named.name) == "zeros") continue;
    for (const std::size_t count : config.small_fill_elements) {
      for (const int threads : config.threads) {
        const std::string name =
            benchmark_name("small_fill", named.name, "f32", count, threads, "elements");
        const nninit::Distribution distribution = named.distribution;
        benchmark::RegisterBenchmark(name.c_str(),
                                     [distribution, count, threads](benchmark::State& state) {
                                       bm_fill<float>(state, distribution, count, threads);
                                     })
            ->UseRealTime()
            ->Unit(benchmark::kNanosecond);
      }
    }
  }
}

}  // namespace nninit_bench
