// bench/orthogonal_bench.cpp — torch::orthogonal (nninit's own blocked
// Householder QR) on square matrices and an MLP weight, float32, at every
// thread count of the run. Names: orthogonal/torch/f32/shape:RxC/threads:T;
// items are output elements. bench/peers.py runs torch.nn.init.orthogonal_
// on the same shapes beside it.
//   --smoke:   256x256 only
//   default:   256x256, 1024x1024, 4096x4096
//   --full:    also 4096x11008 (tens of seconds per fill at 1 thread)
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nninit/nninit.hpp>

#include "bench_common.hpp"

namespace nninit_bench {
namespace {

struct Shape {
  std::int64_t rows, cols;
};

void bm_orthogonal(benchmark::State& state, Shape shape, int threads) {
  const std::size_t count = static_cast<std::size_t>(shape.rows * shape.cols);
  std::vector<float> out(count);
  const std::int64_t dims[2] = {shape.rows, shape.cols};
  const nninit::Stream stream = nninit::Stream::named(42, "bench.orthogonal");
  const nninit::FillOptions options{0, threads};
  for (auto _ : state) {
    nninit::fill_orthogonal(std::span(out), std::span<const std::int64_t>(dims), nninit::torch::orthogonal(), stream,
                            options);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(count));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(count * sizeof(float)));
}

}  // namespace

std::string orthogonal_benchmark_name(std::int64_t rows, std::int64_t cols, int threads) {
  return "orthogonal/torch/f32/shape:" + std::to_string(rows) + "x" + std::to_string(cols) +
         "/threads:" + std::to_string(threads);
}

void register_orthogonal_benchmarks(const Config& config) {
  std::vector<Shape> shapes = {{256, 256}};
  if (config.mode != "smoke") {
    shapes.push_back({1024, 1024});
    shapes.push_back({4096, 4096});
  }
  if (config.mode == "full") shapes.push_back({4096, 11008});
  for (const Shape shape : shapes) {
    for (const int threads : config.threads) {
      const std::string name = orthogonal_benchmark_name(shape.rows, shape.cols, threads);
      benchmark::RegisterBenchmark(name.c_str(),
                                   [shape, threads](benchmark::State& state) { bm_orthogonal(state, shape, threads); })
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
}

}  // namespace nninit_bench
