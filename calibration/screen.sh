#!/bin/bash
# usage: [EQ_PS=200 EQ_DT=2 PROD_PS=100 PARALLEL=1] screen.sh NAME '{"scale":0.9,...}' SEED...
# A candidate (make-ff.ts) run through the study on LAMMPS at 400-700 K (the Arrhenius range; 300 K
# is only extrapolated) for each model seed, then the replica-averaged Arrhenius (combine.ts).
# EQ_PS / EQ_DT / PROD_PS change the equilibration (ps, fs step) and production (ps) at each
# temperature from the study's 10 ps at 1 fs and 100 ps (docs/FORCEFIELD-NOTES.md: glass ageing).
# PARALLEL sets how many temperatures run at once (the study's 2); 1 lets two screens share two cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name=$1; json=$2; shift 2
"$here/candidate.sh" "$name" "$json" >/dev/null
sed -i -e 's/^temperatures = .*/temperatures = [400, 500, 600, 700]/' \
  -e "s/^equilibrate_ps = .*/equilibrate_ps = ${EQ_PS:-10}/" \
  -e "s/^equilibrate_time_step = .*/equilibrate_time_step = ${EQ_DT:-1}/" \
  -e "s/^produce_ps = .*/produce_ps = ${PROD_PS:-100}/" \
  -e "s/^parallel = .*/parallel = ${PARALLEL:-2}/" "$here/runs/$name.toml"
"$here/replicas.sh" "$name" "$@"
cd "$here/runs" && npx tsx ../combine.ts "$name" 2>/dev/null | tee "$name.combined.txt"
