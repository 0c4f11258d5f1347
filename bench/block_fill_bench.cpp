// bench/block_fill_bench.cpp — nninit::fill_block on a column shard (many
// short rows) beside the contiguous fill of the same number of elements, in
// the same process: a column shard of GPT-2's [50257, 768] embedding split 8
// ways is 50257 rows of 96 elements. The ratio of the two rates is the cost
// of the short rows (1 would be free).
#include <cstdint>
#include <span>
#include <string>

#include <nninit/nninit.hpp>

#include "bench_common.hpp"

namespace nninit_bench {
namespace {

const nninit::Stream stream = nninit::Stream::named(42, "transformer.wte.weight");

struct NamedLaw {
  const char* name;
  nninit::Distribution distribution;
};
const NamedLaw laws[] = {
    {"uniform", nninit::Uniform{-1.0, 1.0}},
    {"normal", nninit::Normal{0.0, 0.02}},
};

// Part 3 of the 8 column shards (any part has the same row length).
nninit::TensorBlock column_shard(std::int64_t rows) { return nninit::shard_block({rows, 768}, 1, 8, 3); }

template <class T>
void bm_column_shard(benchmark::State& state, const nninit::Distribution& distribution, std::int64_t rows,
                     int threads) {
  const nninit::TensorBlock block = column_shard(rows);
  const auto count = static_cast<std::size_t>(nninit::block_element_count(block));
  const Roofs roofs = roofs_for(count * sizeof(T), threads);
  const std::span<T> out(arena_as<T>(count), count);
  const nninit::BlockFillOptions options{threads};
  const LoopTimer timer;
  for (auto _ : state) {
    nninit::fill_block(out, block, distribution, stream, options);
    benchmark::ClobberMemory();
  }
  report_fill(state, count, count * sizeof(T), roofs, timer.seconds());
}

template <class T>
void bm_contiguous(benchmark::State& state, const nninit::Distribution& distribution, std::size_t count,
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
void register_pair(const char* dtype, std::int64_t rows, const std::vector<int>& thread_counts) {
  const auto count = static_cast<std::size_t>(nninit::block_element_count(column_shard(rows)));
  for (const NamedLaw& law : laws) {
    for (const int threads : thread_counts) {
      const nninit::Distribution distribution = law.distribution;
      const std::string shard_name =
          benchmark_name("block_fill", std::string("column_shard_") + law.name, dtype, count, threads, "elements");
      benchmark::RegisterBenchmark(shard_name.c_str(),
                                   [distribution, rows, threads](benchmark::State& state) {
                                     bm_column_shard<T>(state, distribution, rows, threads);
                                   })
          ->UseRealTime();
      const std::string whole_name =
          benchmark_name("block_fill", std::string("contiguous_") + law.name, dtype, count, threads, "elements");
      benchmark::RegisterBenchmark(whole_name.c_str(),
                                   [distribution, count, threads](benchmark::State& state) {
                                     bm_contiguous<T>(state, distribution, count, threads);
                                   })
          ->UseRealTime();
    }
  }
}

}  // namespace

void register_block_fill_benchmarks(const Config& config) {
  // GPT-2's vocabulary; --smoke: 1024 rows.
  const std::int64_t rows = config.mode == "smoke" ? 1024 : 50257;
  register_pair<float>("f32", rows, config.threads);
  register_pair<nninit::bfloat16>("bf16", rows, config.threads);
}

}  // namespace nninit_bench
