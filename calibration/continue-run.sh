#!/bin/bash
# usage: [PS=1000] continue-run.sh NAME T SEED STRUCTURE OUT
# Runs in runs/: continues STRUCTURE (a model of candidate NAME, seed SEED) for PS ps at T on LAMMPS
# (NVT, 2 fs, fresh velocities from seed 1000 + SEED, frames every 0.5 ps) into OUT, with OUT.toml and
# OUT.log beside it: the long runs of long400.sh and npt-long.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name=$1; T=$2; seed=$3; structure=$4; out=$5
PS=${PS:-1000}
"$here/lammps-stage.sh" "$name" "$structure" $((1000 + seed)) "$out" <<EOT
name = "long$T"
temperature = $T
time_ps = $PS
time_step = 2
dump_every = 250
EOT
