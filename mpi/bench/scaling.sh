#!/usr/bin/env bash
# The scaling benchmark of nninit-mpi init (bench/README.md, "Collective init
# with MPI"): a LLaMA-7B-shaped spec (llama7b_spec.py; LAYERS of its 32
# layers) filled by `nninit init` once per repeat (the single-process
# baseline) and by `nninit-mpi init` with each rank count, every file
# compared byte for byte with the baseline's, then removed.
#
# usage: mpi/bench/scaling.sh BUILD_DIR OUT_DIR [LAYERS [RANKS...]]
#   defaults: LAYERS 32, RANKS 1 2 4 (--oversubscribe: more ranks than cores
#   are allowed); REPEATS (default 3) rounds, alternating the programs;
#   THREADS (default 1) threads per rank. OUT_DIR must hold two files of
#   the model's size (LAYERS 32: 2 x 13.5 GB). As root, Open MPI's
#   OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM) variables are set.
set -euo pipefail
build=${1:?usage: scaling.sh BUILD_DIR OUT_DIR [LAYERS [RANKS...]]}
out=${2:?usage: scaling.sh BUILD_DIR OUT_DIR [LAYERS [RANKS...]]}
layers=${3:-32}
shift $(($# < 3 ? $# : 3))
ranks=("$@")
((${#ranks[@]})) || ranks=(1 2 4)
repeats=${REPEATS:-3}
threads=${THREADS:-1}
if [[ $(id -u) -eq 0 ]]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi

mkdir -p "$out"
spec="$out/llama-$layers.json"
python3 "$(dirname "$0")/llama7b_spec.py" "$spec" --layers "$layers"
baseline="$out/baseline.safetensors"
echo "spec: $layers layers; ranks: ${ranks[*]}; threads per rank: $threads; $repeats repeats; $(nproc) cores"
for ((repeat = 1; repeat <= repeats; ++repeat)); do
  begin=$(date +%s.%N)
  "$build/cli/nninit" init "$spec" -o "$baseline" --threads "$threads" -q
  end=$(date +%s.%N)
  echo "repeat $repeat: nninit init: $(python3 -c "print(f\"{$end - $begin:.3f}\")") s"
  for n in "${ranks[@]}"; do
    output="$out/mpi$n.safetensors"
    line=$(mpirun --oversubscribe -np "$n" "$build/mpi/nninit-mpi" init "$spec" -o "$output" \
      --threads "$threads" --timing -q)
    if cmp -s "$baseline" "$output"; then same=identical; else same=DIFFERENT; fi
    echo "repeat $repeat: $line; $same"
    rm -f "$output"
  done
  rm -f "$baseline"
done
