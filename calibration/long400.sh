#!/bin/bash
# usage: [T=400 PS=1000 FIT=100] long400.sh NAME SEED...
# Continues each model of a screened candidate (runs/rep-NAME-sSEED, its series at T) for PS ps at T
# on LAMMPS (frames every 0.5 ps), then the replica average with D(T) from these runs, fitted from FIT
# ps on (long-run.ts). Why: at 400 K the study's 100 ps production is still sub-diffusive
# (docs/FORCEFIELD-NOTES.md, third round).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name=$1; shift
T=${T:-400}; FIT=${FIT:-100}
export PS=${PS:-1000}  # read by continue-run.sh
cd "$here/runs"
for seed in "$@"; do
  "$here/continue-run.sh" "$name" "$T" "$seed" "rep-$name-s$seed/run/series/T${T}K/02-produce/final.data" "long$T-$name-s$seed"
done
npx tsx ../long-run.ts "$name" "$FIT" "$T" "long$T-$name-s{seed}" | tee "$name.long$T.txt"
