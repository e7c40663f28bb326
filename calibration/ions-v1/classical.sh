#!/bin/sh
# The force-field side of the bond-free check (docs/FORCEFIELD-NOTES.md, ions-v1): ions-v1 and
# laoc-v4 from the AIMD cells' starts, embedded engine (DSF), four velocity seeds each:
#   400 K: data/dft/aimd/start-laoc0b-2t.extxyz (the 400 K AIMD's start)
#   800 K: data/dft/aimd/start-800K-from-400K-1.1ps.extxyz (the 800 K AIMD's start)
# Langevin 2 ps at the temperature, then NVT 20 ps at 1 fs (Nose-Hoover chain, 100 fs), a frame
# every 20 fs. About 10 s per run on one core.
# Usage: calibration/ions-v1/classical.sh OUTDIR [FORCEFIELD...]
#   (default force fields: examples/ff/ions-v1.json laoc-v4)
#   OLIGOLYTE="node --import tsx /path/src/cli/main.ts" overrides the command (run from that tree).
set -e
OUT=$(realpath -m "${1:?usage: classical.sh OUTDIR [FORCEFIELD...]}")
shift
HERE=$(cd "$(dirname "$0")" && pwd)
DATA="$HERE/../../data/dft/aimd"
CLI=${OLIGOLYTE:-node $HERE/../../dist/cli/main.js}
[ $# -gt 0 ] || set -- "$HERE/../../examples/ff/ions-v1.json" laoc-v4
for ff in "$@"; do
  name=$(basename "$ff" .json)
  for T in 400 800; do
    if [ $T = 400 ]; then START="$DATA/start-laoc0b-2t.extxyz"; else START="$DATA/start-800K-from-400K-1.1ps.extxyz"; fi
    for seed in 1 2 3 4; do
      nice -n 10 $CLI md "$START" --ff "$ff" --ensemble langevin --temperature $T --time-step 1 \
        --steps 2000 --damping 100 --seed $seed --thermo-every 100 --dump-every 0 --threads 1 \
        -o "$OUT/$name-${T}K-s$seed-relax" > /dev/null
      nice -n 10 $CLI md "$OUT/$name-${T}K-s$seed-relax/final.extxyz" --ff "$ff" --ensemble nvt \
        --temperature $T --time-step 1 --steps 20000 --damping 100 --seed $seed --thermo-every 100 \
        --dump-every 20 --threads 1 -o "$OUT/$name-${T}K-s$seed" > /dev/null
    done
  done
done
