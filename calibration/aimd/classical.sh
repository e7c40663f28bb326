#!/bin/sh
# The force-field side of the AIMD first-shell reference (docs/FORCEFIELD-NOTES.md, "AIMD
# first-shell reference"): laoc-v4 and laoc-v5 from the AIMD's start cell at 400 K, embedded
# engine (DSF): Langevin 2 ps (the start is laoc-v4's structure; laoc-v5 relaxes its Li-Cl
# contacts first), then NVT 20 ps at 1 fs (Nose-Hoover chain, 100 fs), a frame every 20 fs;
# four velocity seeds each. About 10 s per run on one core.
# Usage: calibration/aimd/classical.sh OUTDIR
#   OLIGOLYTE="node --import tsx /path/src/cli/main.ts" overrides the command (run from that tree).
set -e
OUT=$(realpath -m "${1:?usage: classical.sh OUTDIR}")
HERE=$(cd "$(dirname "$0")" && pwd)
START="$HERE/../../data/dft/aimd/start-laoc0b-2t.extxyz"
CLI=${OLIGOLYTE:-node $HERE/../../dist/cli/main.js}
for ff in laoc-v4 laoc-v5; do
  for seed in 1 2 3 4; do
    nice -n 10 $CLI md "$START" --ff $ff --ensemble langevin --temperature 400 --time-step 1 \
      --steps 2000 --damping 100 --seed $seed --thermo-every 100 --dump-every 0 --threads 1 \
      -o "$OUT/$ff-s$seed-relax" > /dev/null
    nice -n 10 $CLI md "$OUT/$ff-s$seed-relax/final.extxyz" --ff $ff --ensemble nvt --temperature 400 \
      --time-step 1 --steps 20000 --damping 100 --seed $seed --thermo-every 100 --dump-every 20 \
      --threads 1 -o "$OUT/$ff-s$seed" > /dev/null
  done
done
