#!/bin/bash
# usage: [T=400 PS=1000 FIT=100] long400.sh NAME SEED...
# Continues each model of a screened candidate (runs/rep-NAME-sSEED, its series at T) for PS ps at T
# on LAMMPS (frames every 0.5 ps), then the replica average with D(T) from these runs, fitted from FIT
# ps on (long-run.ts). Why: at 400 K the study's 100 ps production is still sub-diffusive
# (docs/FORCEFIELD-NOTES.md, third round).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name=$1; shift
T=${T:-400}; PS=${PS:-1000}; FIT=${FIT:-100}
cd "$here/runs"
for seed in "$@"; do
  cat > "long$T-$name-s$seed.toml" <<EOF
structure = "rep-$name-s$seed/run/series/T${T}K/02-produce/final.data"
forcefield = "$name.json"
engine = "lammps"
seed = $((1000 + seed))
[[stage]]
name = "long$T"
temperature = $T
time_ps = $PS
time_step = 2
dump_every = 250
EOF
  rm -rf "long$T-$name-s$seed"
  node "$here/../dist/cli/main.js" run "long$T-$name-s$seed.toml" -o "long$T-$name-s$seed" > "long$T-$name-s$seed.log" 2>&1
done
npx tsx ../long-run.ts "$name" "$FIT" "$T" "long$T-$name-s{seed}" | tee "$name.long$T.txt"
