// bench/per_target.cpp — every fill once per SIMD target the CPU can run
// (--targets=AVX3,AVX2,SSE4,... or all; default: the target nninit dispatches
// to), each forced in turn through the library's test hook, so one machine
// shows what every target it supports gives. The output bits are the same on
// every target (tests/simd_test.cpp); only the speed differs.
#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <nninit/nninit.hpp>

#include "bench_common.hpp"
#include "simd/simd_fill.hpp"

namespace nninit_bench {
namespace {

namespace simd = nninit::internal::simd;

const nninit::Stream stream = nninit::Stream::named(42, "bench.weight");

struct TargetFill {
  const char* name;
  nninit::Distribution distribution;
};

// The distributions of the nninit group plus the ±1 std truncated normal
// (a window the central piece of the inverse CDF covers entirely).
const TargetFill target_fills[] = {
    {"constant", nninit::Constant{0.5}},
    {"uniform", nninit::Uniform{-1.0, 1.0}},
    {"normal", nninit::Normal{0.0, 1.0}},
    {"truncated_normal", nninit::TruncatedNormal{0.0, 1.0, -2.0, 2.0}},
    {"truncated_normal_1std", nninit::TruncatedNormal{0.0, 1.0, -1.0, 1.0}},
};

// Dispatch forced to `target` for the lifetime of the object (and back to
// the best supported target afterwards).
class ForcedTarget {
 public:
  explicit ForcedTarget(std::int64_t target) { simd::restrict_targets_for_test(target); }
  ~ForcedTarget() { simd::restrict_targets_for_test(0); }
  ForcedTarget(const ForcedTarget&) = delete;
  ForcedTarget& operator=(const ForcedTarget&) = delete;
};

bool dispatch_failed = false;

bool dispatch_follows(benchmark::State& state, const std::string& target_name) {
  const std::string dispatched = simd::dispatched_target_name();
  if (dispatched == target_name) return true;
  dispatch_failed = true;
  state.SkipWithError(("dispatch went to " + dispatched + " instead of " + target_name).c_str());
  return false;
}

template <class T>
void bm_target_fill(benchmark::State& state, const TargetChoice& target,
                    const nninit::Distribution& distribution, std::size_t count, int threads) {
  const Roofs roofs = roofs_for(count * sizeof(T), threads);
  const std::span<T> out(arena_as<T>(count), count);
  const nninit::FillOptions options{0, threads};
  const ForcedTarget forced(target.bits);
  if (!dispatch_follows(state, target.name)) return;
  const LoopTimer timer;
  for (auto _ : state) {
    nninit::fill(out, distribution, stream, options);
    benchmark::ClobberMemory();
  }
  report_fill(state, count, count * sizeof(T), roofs, timer.seconds());
}

// The vector Philox on its own (simd::philox_words), one thread; items are
// 32-bit words.
void bm_target_philox(benchmark::State& state, const TargetChoice& target, std::size_t bytes) {
  const Roofs roofs = roofs_for(bytes, 1);
  const std::size_t words = bytes / sizeof(std::uint32_t);
  auto* out = arena_as<std::uint32_t>(words);
  const ForcedTarget forced(target.bits);
  if (!dispatch_follows(state, target.name)) return;
  const LoopTimer timer;
  for (auto _ : state) {
    simd::philox_words(stream, 0, words / 4, out);
    benchmark::ClobberMemory();
  }
  report_fill(state, words, bytes, roofs, timer.seconds());
}

template <class T>
void register_target_fills(const TargetChoice& target, const char* dtype, std::size_t bytes,
                           int threads) {
  const std::string group = "target:" + target.name;
  for (const TargetFill& fill : target_fills) {
    const std::string name = benchmark_name(group, fill.name, dtype, bytes, threads);
    const nninit::Distribution distribution = fill.distribution;
    benchmark::RegisterBenchmark(name.c_str(),
                                 [target, distribution, bytes, threads](benchmark::State& state) {
                                   bm_target_fill<T>(state, target, distribution, bytes / sizeof(T),
                                                     threads);
                                 })
        ->UseRealTime();
  }
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

}  // namespace

bool target_dispatch_failed() { return dispatch_failed; }

std::vector<TargetChoice> resolve_targets(const std::vector<std::string>& requested) {
  std::vector<TargetChoice> runnable;
  const std::int64_t bits = simd::runnable_targets();
  for (std::int64_t left = bits; left != 0; left &= left - 1) {
    const std::int64_t target = left & -left;
    runnable.push_back({target, simd::target_name(target)});
  }
  std::string runnable_names;
  for (const TargetChoice& choice : runnable) {
    runnable_names += (runnable_names.empty() ? "" : ",") + choice.name;
  }
  if (requested.empty()) {
    const std::string dispatched = simd::dispatched_target_name();
    for (const TargetChoice& choice : runnable) {
      if (choice.name == dispatched) return {choice};
    }
    throw std::invalid_argument("the dispatched target " + dispatched +
                                " is not among the runnable ones (" + runnable_names + ")");
  }
  std::vector<TargetChoice> chosen;
  for (const std::string& name : requested) {
    if (upper(name) == "ALL") {
      for (const TargetChoice& choice : runnable) chosen.push_back(choice);
      continue;
    }
    const auto found = std::find_if(runnable.begin(), runnable.end(), [&](const TargetChoice& c) {
      return upper(c.name) == upper(name);
    });
    if (found == runnable.end()) {
      throw std::invalid_argument("--targets: " + name +
                                  " is not a SIMD target this build and CPU can run (runnable: " +
                                  runnable_names + ", or all)");
    }
    chosen.push_back(*found);
  }
  std::vector<TargetChoice> unique;
  for (const TargetChoice& choice : chosen) {
    if (std::none_of(unique.begin(), unique.end(),
                     [&](const TargetChoice& u) { return u.bits == choice.bits; })) {
      unique.push_back(choice);
    }
  }
  return unique;
}

void register_target_benchmarks(const Config& config) {
  for (const TargetChoice& target : config.targets) {
    for (const std::size_t bytes : config.target_bytes) {
      for (const int threads : config.target_threads) {
        register_target_fills<float>(target, "f32", bytes, threads);
        register_target_fills<double>(target, "f64", bytes, threads);
        register_target_fills<nninit::bfloat16>(target, "bf16", bytes, threads);
        register_target_fills<nninit::float16>(target, "f16", bytes, threads);
      }
      const std::string name = benchmark_name("target:" + target.name, "philox", "u32", bytes, 1);
      benchmark::RegisterBenchmark(name.c_str(), [target, bytes](benchmark::State& state) {
        bm_target_philox(state, target, bytes);
      })->UseRealTime();
    }
  }
}

}  // namespace nninit_bench
