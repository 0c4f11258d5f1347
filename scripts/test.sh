#!/usr/bin/env bash
# Installs dependencies, builds with warnings as errors, runs every test
# (unit tests, the quick validation tier, benchmark smoke runs), then builds
# again with AddressSanitizer + UndefinedBehaviorSanitizer and runs the unit
# tests there, then runs each libFuzzer harness (fuzz/) for a minute, one per core. Exits
# non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

NNINIT_WITH_TORCH=1 NNINIT_WITH_MPI=1 scripts/install-deps.sh   # PyTorch: the real-client tests of nninit validate;
                                                     # Open MPI: nninit-mpi and its tests (label mpi)
jobs=$(nproc)

echo "== Release build, warnings as errors =="
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DNNINIT_WARNINGS_AS_ERRORS=ON
cmake --build build/release -j "$jobs"
(cd build/release && ctest --output-on-failure -j "$jobs")

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build =="
# -O1 (and assertions on): the sanitizers see the same code paths, and the
# Highway kernels compile three times faster than at -O2. -g1: the line
# tables the sanitizers' stack traces need, without the full debug
# information (a third of the compile time). The CLI and the
# Python module are not built here (no unit test runs them; the fuzzers below
# run the CLI's readers and parsers under the same sanitizers).
cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DNNINIT_WARNINGS_AS_ERRORS=ON -DNNINIT_SANITIZE=address,undefined -DNNINIT_BUILD_BENCH=OFF \
  -DNNINIT_BUILD_EXAMPLES=OFF -DNNINIT_BUILD_MPI=OFF -DNNINIT_BUILD_CLI=OFF -DNNINIT_BUILD_PYTHON=OFF
cmake --build build/sanitize -j "$jobs"
(cd build/sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j "$jobs" -L unit)

echo "== Fuzzers: libFuzzer + ASan + UBSan, 60 s per harness, one per core =="
# fuzz/README.md: the .npy reader, the argument parser, the model-spec parser
# and the safetensors reader, from their seed corpora; any crash, sanitizer
# report, leak, slow or huge input fails.
fuzz/run.sh 60
