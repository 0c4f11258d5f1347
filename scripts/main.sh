#!/usr/bin/env bash
# The main job: installs what is missing, builds nninit (Release), runs the
# quick statistical validation report (report.md/json, junit.xml, plots in
# out/validation/), a benchmark summary (64 MiB float32 fills next to memset and
# streaming stores, 1..N threads, in out/bench-summary/;
# the full sweep with peers is bench/run.sh), and the example network.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$jobs"

echo
echo "== Statistical validation, quick tier (report: out/validation/report.md) =="
validation_status=0
build/release/validation/nninit-validate --quick --out out/validation || validation_status=$?

echo
echo "== Benchmark: 64 MiB float32 fills next to memset, $jobs threads at most (full report: bench/run.sh) =="
mkdir -p out/bench-summary
build/release/bench/nninit-bench --benchmark_min_time=0.2 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true \
  --benchmark_filter='^(roof/(memset|stream_store)|nninit/(uniform|normal|truncated_normal))/f32/bytes:67108864/' \
  --benchmark_out=out/bench-summary/nninit-bench.json --benchmark_out_format=json \
  > out/bench-summary/nninit-bench.txt 2>&1 || { cat out/bench-summary/nninit-bench.txt; exit 1; }
/usr/bin/python3 bench/summary.py out/bench-summary/nninit-bench.json

echo
echo "== Example: a small network initialised with named streams =="
build/release/examples/nninit_example_init_network

exit "$validation_status"
