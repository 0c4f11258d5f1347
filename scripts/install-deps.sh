#!/usr/bin/env bash
# Installs what nninit needs from Debian 12's archive, skipping apt entirely
# when everything is already there. Run as root (or with sudo).
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  libhwy-dev libboost-math1.81-dev librandom123-dev libeigen3-dev nlohmann-json3-dev libzip-dev
  python3 python3-numpy python3-matplotlib
  python3-dev pybind11-dev python3-pytest
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
)
# Optional peer: NNINIT_WITH_TORCH=1 adds PyTorch, for the side-by-side benchmark and for
# the real-client tests of `nninit validate` (scripts/test.sh sets it).
if [[ "${NNINIT_WITH_TORCH:-0}" == "1" ]]; then packages+=(python3-torch); fi
# Optional: NNINIT_WITH_MPI=1 adds Open MPI, for the collective `nninit-mpi` (mpi/) and its
# tests (scripts/test.sh sets it).
if [[ "${NNINIT_WITH_MPI:-0}" == "1" ]]; then packages+=(libopenmpi-dev openmpi-bin); fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
