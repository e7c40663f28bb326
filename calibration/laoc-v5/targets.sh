#!/bin/sh
# laoc-v5 targets 1 and 3 with the embedded engine (docs/FORCEFIELD-NOTES.md, laoc-v5 section):
#   calibration/laoc-v5/targets.sh FORCEFIELD OUTDIR [crystals|glass|all]
# Crystals: LiCl 3x3x3, LiAlCl4 and NaAlCl4 2x2x2 (the shipped CIFs), NPT 300 K, 1 atm, per-axis
# barostat, PS ps (default 100) at 2 fs; cell, density and cation-Cl distances over the second half
# (crystal-stats.ts). Glass: the 8-trimer LAOC^0b cell (build glass --mix 0b:8, seed SEED, default 1),
# Langevin 5 ps at 600 K, NPT 300 K 1 atm GLASS_PS ps (default 30); density after 10 ps, Li-Cl and
# Li-O g(r) and the Li environments (NMR classes) over the same frames. Run from the repository.
set -e
FF=${1:?force field (name or JSON file)}
OUT=${2:?output folder}
WHAT=${3:-all}
PS=${PS:-100}
GLASS_PS=${GLASS_PS:-30}
SEED=${SEED:-1}
O="npx tsx src/cli/main.ts"
S=test/fixtures/shared/structures
mkdir -p "$OUT"
if [ "$WHAT" = crystals ] || [ "$WHAT" = all ]; then
  for X in "LiCl_rocksalt 3x3x3 Li" "LiAlCl4_COD1004036 2x2x2 Li" "NaAlCl4_COD1004043 2x2x2 Na"; do
    set -- $X
    $O build supercell "$S/$1.cif" "$2" -o "$OUT/$1.extxyz"
    nice -n 10 $O md "$OUT/$1.extxyz" --ff "$FF" --ensemble npt --barostat aniso --temperature 300 \
      --pressure 1 --time-step 2 --steps $((PS * 500)) --threads 1 --dump-every 250 --thermo-every 250 \
      -o "$OUT/$1-npt" > "$OUT/$1-npt.log" 2>&1
    nice -n 10 npx tsx calibration/laoc-v5/crystal-stats.ts "$OUT/$1-npt/trajectory.extxyz" "$OUT/$1.extxyz" \
      $((PS / 2)) "$3" > "$OUT/$1-stats.json"
  done
fi
if [ "$WHAT" = glass ] || [ "$WHAT" = all ]; then
  $O build glass --mix 0b:8 --seed "$SEED" -o "$OUT/glass.extxyz"
  nice -n 10 $O md "$OUT/glass.extxyz" --ff "$FF" --ensemble langevin --temperature 600 --damping 50 \
    --steps 5000 --threads 1 --dump-every 0 -o "$OUT/glass-600" > "$OUT/glass-600.log" 2>&1
  nice -n 10 $O md "$OUT/glass-600/final.extxyz" --ff "$FF" --ensemble npt --temperature 300 --pressure 1 \
    --steps $((GLASS_PS * 1000)) --threads 1 --dump-every 100 --thermo-every 100 -o "$OUT/glass-npt" \
    > "$OUT/glass-npt.log" 2>&1
  FROM=100
  nice -n 10 $O structure rdf "$OUT/glass-npt/trajectory.extxyz" --pairs Li-Cl,Li-O --frames "$FROM:" \
    --json "$OUT/glass-rdf.json" > "$OUT/glass-rdf.txt"
  nice -n 10 $O structure environments "$OUT/glass-npt/trajectory.extxyz" --frames "$FROM:" \
    --json "$OUT/glass-env.json" > "$OUT/glass-env.txt"
fi
