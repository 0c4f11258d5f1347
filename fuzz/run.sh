#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang-14, ASan + UBSan; fuzz/CMakeLists.txt)
# and runs each for SECONDS (default 60), starting from its seed corpus in
# fuzz/corpus/<harness>/. New inputs go to BUILD/corpus/<harness>/ (the seed
# corpus is only read), a finding to BUILD/artifacts/<harness>/. Exits
# non-zero on any finding: a crash, a sanitizer report, a leak, an input
# slower than 10 s (-timeout) or using more than 2 GiB (-rss_limit_mb).
#   fuzz/run.sh [SECONDS] [HARNESS...]     (BUILD: $NNINIT_FUZZ_BUILD, default build/fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
harnesses=("$@")
if ((${#harnesses[@]} == 0)); then harnesses=(npy_reader arguments model_spec safetensors_reader); fi
build=${NNINIT_FUZZ_BUILD:-build/fuzz}
cxx=${NNINIT_FUZZ_CXX:-clang++-14}

cmake -S fuzz -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${harnesses[@]/%/_fuzzer}"

declare -A max_len=([npy_reader]=16384 [arguments]=2048 [model_spec]=8192 [safetensors_reader]=16384)
# One harness: SECONDS of fuzzing, its log in BUILD/HARNESS.log; status 1 on a finding.
fuzz_one() {
  local harness=$1
  mkdir -p "$build/corpus/$harness" "$build/artifacts/$harness"
  "$build/${harness}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="${max_len[$harness]:-4096}" -dict="fuzz/$harness.dict" -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$harness/" "$build/corpus/$harness" "fuzz/corpus/$harness" \
    2>"$build/$harness.log"
}

# The harnesses run side by side, one per core (NNINIT_FUZZ_JOBS, default
# nproc), each for the full SECONDS; their results are printed in order.
parallel=${NNINIT_FUZZ_JOBS:-$(nproc)}
failed=()
for ((first = 0; first < ${#harnesses[@]}; first += parallel)); do
  batch=("${harnesses[@]:first:parallel}")
  declare -A pid_of=()
  for harness in "${batch[@]}"; do
    echo "== fuzz: $harness for ${seconds} s =="
    fuzz_one "$harness" &
    pid_of[$harness]=$!
  done
  for harness in "${batch[@]}"; do
    if wait "${pid_of[$harness]}"; then
      echo "-- $harness:"
      grep -E "^stat::(number_of_executed_units|peak_rss_mb)|INFO: seed corpus|DONE" "$build/$harness.log" || true
    else
      tail -n 60 "$build/$harness.log"
      echo "fuzz: $harness found a problem; the input is in $build/artifacts/$harness/" >&2
      failed+=("$harness")
    fi
  done
  unset pid_of
done
if ((${#failed[@]} > 0)); then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
