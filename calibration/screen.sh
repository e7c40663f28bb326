#!/bin/bash
# usage: screen.sh NAME '{"scale":0.9,...}' SEED...
# A candidate (make-ff.ts) run through the study on LAMMPS at 400-700 K (the Arrhenius range; 300 K
# is only extrapolated) for each model seed, then the replica-averaged Arrhenius (combine.ts).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name=$1; json=$2; shift 2
"$here/candidate.sh" "$name" "$json" >/dev/null
sed -i -e 's/^temperatures = .*/temperatures = [400, 500, 600, 700]/' "$here/runs/$name.toml"
"$here/replicas.sh" "$name" "$@"
cd "$here/runs" && npx tsx ../combine.ts "$name" 2>/dev/null | tee "$name.combined.txt"
