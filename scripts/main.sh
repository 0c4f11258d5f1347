#!/usr/bin/env bash
# The main job: installs dependencies, builds nninit (Release), and runs the
# example network initialisation (each tensor's target and measured std).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)"

echo
echo "== Example: a small network initialised with named streams =="
build/release/examples/nninit_example_init_network
