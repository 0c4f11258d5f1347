#!/usr/bin/env bash
# Runs the nninit benchmarks and the peer comparison, and writes the JSON, a
# markdown summary and the plots into one folder.
#
#   bench/run.sh [--smoke | --full] [--out DIR] [BUILD_DIR]
#
# BUILD_DIR (default build/release) is configured (Release) and nninit-bench
# built there when needed; NNINIT_BENCH_BINARY=PATH uses that binary instead.
# DIR defaults to out/bench. Python: $PYTHON, else /usr/bin/python3.
#   default  medians of 5 repetitions (0.1 s each, interleaved in random order),
#            sizes 4 KiB..256 MiB; about 10 minutes
#   --full   also 1 GiB outputs (longer)
#   --smoke  every benchmark once on small sizes, one quick peers round (under a minute;
#            what ctest's nninit_bench_pipeline_smoke runs); exits 77 without python3
# Every mode also runs every fill on every SIMD target the CPU supports
# (nninit-bench --targets=all: the "Per SIMD target" tables of summary.md).
# Output: nninit-bench.json, nninit-bench.txt (console), peers.json, peers.md,
# summary.md, *.png.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
mode=default
out=
build=
while (($#)); do
  case "$1" in
    --smoke) mode=smoke ;;
    --full) mode=full ;;
    --out) out="$2"; shift ;;
    --out=*) out="${1#--out=}" ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) build="$1" ;;
  esac
  shift
done
build="${build:-$root/build/release}"
out="${out:-$root/out/bench}"
mkdir -p "$out"

binary="${NNINIT_BENCH_BINARY:-}"
if [[ -z "$binary" ]]; then
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  cmake --build "$build" --target nninit-bench -j "$(nproc)" >/dev/null
  binary="$build/bench/nninit-bench"
fi
[[ -x "$binary" ]] || { echo "run.sh: $binary is not an executable" >&2; exit 1; }

python="${PYTHON:-/usr/bin/python3}"
if [[ ! -x "$python" ]]; then python="$(command -v python3 || true)"; fi

case "$mode" in
  smoke) bench_args=(--smoke --targets=all --benchmark_min_time=0 --benchmark_repetitions=1)
         peers_args=(--smoke) ;;
  # Repetitions of all benchmarks are interleaved in random order, so that a
  # slow spell of a shared machine spreads over every row instead of biasing
  # the few that ran during it.
  full)  bench_args=(--full --targets=all --benchmark_min_time=0.1 --benchmark_repetitions=5
                     --benchmark_report_aggregates_only=true
                     --benchmark_enable_random_interleaving=true)
         peers_args=(--sizes 4K,4M,64M,1G) ;;
  *)     bench_args=(--targets=all --benchmark_min_time=0.1 --benchmark_repetitions=5
                     --benchmark_report_aggregates_only=true
                     --benchmark_enable_random_interleaving=true)
         peers_args=() ;;
esac

echo "== nninit-bench ($mode) -> $out/nninit-bench.json"
"$binary" "${bench_args[@]}" --benchmark_out="$out/nninit-bench.json" \
  --benchmark_out_format=json | tee "$out/nninit-bench.txt"

if [[ -z "$python" ]]; then
  echo "run.sh: python3 not found: peers, summary and plots skipped"
  [[ "$mode" == smoke ]] && exit 77
  exit 0
fi

echo "== peers: numpy, PyTorch"
"$python" "$root/bench/peers.py" --bench "$binary" "${peers_args[@]}" \
  --json "$out/peers.json" --markdown "$out/peers.md"

source="unknown"
if commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null)"; then
  source="git commit $commit"
  if [[ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    source+=" with uncommitted changes"
  fi
fi

echo "== summary -> $out/summary.md"
"$python" "$root/bench/summary.py" "$out/nninit-bench.json" --peers "$out/peers.md" \
  --source "$source" --out "$out/summary.md"

echo "== plots -> $out"
"$python" "$root/bench/plot.py" "$out/nninit-bench.json" --peers "$out/peers.json" --out "$out"

echo "run.sh: done: $out/summary.md"
