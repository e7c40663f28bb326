#!/bin/bash
# usage: lammps-stage.sh NAME STRUCTURE SEED OUT < STAGE
# Runs in runs/: one stage (its TOML lines on stdin) from STRUCTURE with candidate NAME's force field
# on LAMMPS, velocities from SEED, into OUT, with OUT.toml and OUT.log beside it (the runs of
# continue-run.sh and npt-long.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name=$1; structure=$2; seed=$3; out=$4
cd "$here/runs"
{
  printf 'structure = "%s"\nforcefield = "%s.json"\nengine = "lammps"\nseed = %d\n[[stage]]\n' "$structure" "$name" "$seed"
  cat
} > "$out.toml"
rm -rf "$out"
node "$here/../dist/cli/main.js" run "$out.toml" -o "$out" > "$out.log" 2>&1
