#!/bin/sh
# A LAMMPS tensile run for the stress-strain reader and analysis (issue 27): the LAMMPS-relaxed
# LAOC glass (glass-relaxed.data, laoc-v4 exported by oligolyte), 300 K, stretched along x at a
# constant engineering rate of 0.05 /ps (fix deform erate 5e-5 per fs, remap x) to strain 0.1 with
# y and z at zero pressure (fix npt, Nose-Hoover, 100 fs / 1000 fs), thermo every 10 fs. Writes
# lammps-tensile.log beside this script. Run from the repository: sh test/reference/mechanics/make-lammps-tensile-log.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$repo"
node --import tsx src/cli/main.ts lammps export "$here/glass-relaxed.data" --type-map Al,O,Cl,Li -o "$work" > /dev/null
sed -n '2,/^neigh_modify/p' "$work/in.oligolyte" > "$work/in.tensile"
cat >> "$work/in.tensile" <<'IN'
timestep 1.0
velocity all create 300 2727 mom yes rot no dist gaussian
fix relax all npt temp 300 300 100 aniso 0 0 1000
thermo 100
run 1000
unfix relax
reset_timestep 0
fix lateral all npt temp 300 300 100 y 0 0 1000 z 0 0 1000
fix stretch all deform 1 x erate 5e-5 remap x
thermo_style custom step temp pe lx ly lz pxx pyy pzz pxy pxz pyz vol
thermo_modify format float %.10g
thermo 10
run 2000
IN
cd "$work"
nice -n 10 lmp -in in.tensile -log "$here/lammps-tensile.log" -screen none
