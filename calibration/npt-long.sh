#!/bin/bash
# usage: [PS=1000 CONTROL=0] npt-long.sh NAME T SEED...
# The transport point at T at constant pressure (0 atm) instead of the study's fixed 1.9 g/cm3: from
# the end of each screened model's production at T (runs/rep-NAME-sSEED), 40 ps NPT at T and 0 atm
# (1 fs; mean volume after 10 ps), then the model scaled to that mean volume and continued PS ps at
# T (NVT, 2 fs, frames every 0.5 ps) in runs/plongT-NAME-sSEED, for long-run.ts
# (docs/FORCEFIELD-NOTES.md, eighth round).
# CONTROL=1: the same with the 40 ps at the model's own volume (NVT) and no scaling, in
# runs/clongT-NAME-sSEED: what a second 1 ns run with other velocities gives at fixed volume.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name=$1; T=$2; shift 2
export PS=${PS:-1000}  # read by continue-run.sh
if [ "${CONTROL:-0}" = 1 ]; then pre=cnvt; post=clong; stage='name = "nvt"'; else pre=pnpt; post=plong; stage=$'type = "npt"\npressure = 0\ndiscard_ps = 10'; fi
cd "$here/runs"
for seed in "$@"; do
  base="$pre$T-$name-s$seed"
  "$here/lammps-stage.sh" "$name" "rep-$name-s$seed/run/series/T${T}K/02-produce/final.data" $((3000 + seed)) "$base" <<EOT
$stage
temperature = $T
time_ps = 40
dump_every = 0
EOT
  start="$base/01-nvt/final.data"
  if [ "${CONTROL:-0}" != 1 ]; then
    volume=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$base/01-npt/summary.json','utf8')).volumeA3.mean)")
    npx tsx ../rescale.ts "$base/01-npt/final.data" "$base/scaled.data" "$volume" >> "$base.log"
    start="$base/scaled.data"
  fi
  "$here/continue-run.sh" "$name" "$T" "$seed" "$start" "$post$T-$name-s$seed"
done
