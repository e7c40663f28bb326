#!/bin/bash
# usage: replicas.sh NAME SEED...   runs the LAMMPS study of NAME.toml with each model seed
cd "$(dirname "$0")/runs"
name=$1; shift
for seed in "$@"; do
  sed -e "s#^seed = 1#seed = $seed#" -e "s#name = \"cal-$name\"#name = \"cal-$name-s$seed\"#" $name.toml > $name-s$seed.toml
  node ../../dist/cli/main.js study $name-s$seed.toml --engine lammps -o rep-$name-s$seed > rep-$name-s$seed.log 2>&1
done
