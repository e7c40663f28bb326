#!/bin/sh
# The study's stability findings with a bond-free force field (docs/FORCEFIELD-NOTES.md, ions-v1):
# LAOC^0b (8 trimers + 24 Li, 128 atoms) at 300, 500, 700 and 800 K, LAOC^1b (8 trimers, 112
# atoms) at 300 K, each packed at 1.9 g/cm3 (`build glass`, seeds 1 and 2), Langevin 5 ps at the
# temperature, then NVT 50 ps at 1 fs (a frame every 100 fs); and LAOC^0b NPT at 300 K and 1 atm
# for 50 ps (the density); and the force field from a laoc-v4 glass with every trimer whole (300 K,
# 20 ps). `structure topology` of each run then counts intact trimers, Al-Cl-Al
# and new Al-O-Al bridges, AlCl4- and free Cl-. About 30 s per run on one core (ions-v1; ions-v2,
# with its relaxed shells, about 4 min).
# Usage: calibration/ions-v1/stability.sh OUTDIR [FORCEFIELD]   (default examples/ff/ions-v1.json)
#   PRE_FF=laoc-v4: each packing first relaxed 2 ps with that force field (Langevin at the run's
#     temperature, seed as the run): a packed start's closest contacts let a polarisable model's
#     shells run away at step 0 (ions-v2 on the LAOC^1b packing, seed 1). Default: none (ions-v1).
#   NVT_PS (default 50), NPT_PS (default 50): the lengths of the NVT and NPT runs.
set -e
OUT=$(realpath -m "${1:?usage: stability.sh OUTDIR [FORCEFIELD]}")
HERE=$(cd "$(dirname "$0")" && pwd)
FF=${2:-$HERE/../../examples/ff/ions-v1.json}
CLI=${OLIGOLYTE:-node $HERE/../../dist/cli/main.js}
NVT_STEPS=$(( ${NVT_PS:-50} * 1000 ))
NPT_STEPS=$(( ${NPT_PS:-50} * 1000 ))
mkdir -p "$OUT"
md() { nice -n 10 $CLI md "$@" --time-step 1 --thermo-every 100 --threads 1 > /dev/null; }
for seed in 1 2; do
  $CLI build glass --mix 0b:8 --density 1.9 --seed $seed -o "$OUT/laoc0b-s$seed.extxyz" > /dev/null
  $CLI build glass --composition LAOC^1b --trimers 8 --density 1.9 --seed $seed -o "$OUT/laoc1b-s$seed.extxyz" > /dev/null
  for run in 0b-300 0b-500 0b-700 0b-800 1b-300; do
    comp=${run%-*}; T=${run#*-}
    start="$OUT/laoc$comp-s$seed.extxyz"
    if [ -n "$PRE_FF" ]; then
      md "$start" --ff "$PRE_FF" --ensemble langevin --temperature $T --steps 2000 --damping 100 \
        --seed $seed --dump-every 0 -o "$OUT/$run-s$seed-pre"
      start="$OUT/$run-s$seed-pre/final.extxyz"
    fi
    md "$start" --ff "$FF" --ensemble langevin --temperature $T --steps 5000 \
      --damping 100 --seed $seed --dump-every 0 -o "$OUT/$run-s$seed-relax"
    md "$OUT/$run-s$seed-relax/final.extxyz" --ff "$FF" --ensemble nvt --temperature $T --steps $NVT_STEPS \
      --damping 100 --seed $seed --dump-every 100 -o "$OUT/$run-s$seed"
  done
  md "$OUT/0b-300-s$seed-relax/final.extxyz" --ff "$FF" --ensemble npt --temperature 300 --pressure 1 \
    --steps $NPT_STEPS --damping 100 --seed $seed --dump-every 0 -o "$OUT/0b-300-npt-s$seed"
done
# From an intact glass instead of the packed start: laoc-v4 Langevin 600 K 5 ps and NVT 300 K
# 10 ps on the first packing, then the force field at 300 K for 20 ps (seed 3).
md "$OUT/laoc0b-s1.extxyz" --ff laoc-v4 --ensemble langevin --temperature 600 --steps 5000 --damping 100 \
  --seed 3 --dump-every 0 -o "$OUT/v4eq-600"
md "$OUT/v4eq-600/final.extxyz" --ff laoc-v4 --ensemble nvt --temperature 300 --steps 10000 --damping 100 \
  --seed 3 --dump-every 0 -o "$OUT/v4eq-300"
md "$OUT/v4eq-300/final.extxyz" --ff "$FF" --ensemble nvt --temperature 300 --steps 20000 --damping 100 \
  --seed 3 --dump-every 100 -o "$OUT/from-v4-300"
