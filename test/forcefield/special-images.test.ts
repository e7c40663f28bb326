/**
 * Which periodic image of a special (bonded 1-2/1-3) pair takes the special factors, in small
 * tilted cells: the 24-atom LiAlCl4 cell (P21/c, the shipped COD 1004036 CIF) as read, and sheared
 * (xy tilt, fractional coordinates kept). LAMMPS (Debian package lammps, `lmp`; .ci/run installs
 * it) scales the image within half its box along x, y and z; rounding fractional separations (what
 * oligolyte did before) picks another image for two Cl-Al-Cl 1-3 pairs in the cell sheared by
 * xy = 2.5 A: the energy was then 2.9 kcal/mol (forces up to 6.7 kcal/mol/A) off LAMMPS's. Both the reference sum and the MD kernel must equal LAMMPS there,
 * and a cell where a bonded partner lies beyond half the cell (LAMMPS's choice is then not the
 * bonded image) is refused.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PhysicsError } from '../../src/core/errors.js';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { lammpsFiles, writeLammpsExport } from '../../src/engines/lammps-export.js';
import { computeEnergy } from '../../src/forcefield/energy.js';
import { LAOC_V4 } from '../../src/forcefield/force-field.js';
import { type TypedSystem, typeSystem } from '../../src/forcefield/typing.js';
import { toLammpsOrientation } from '../../src/io/formats/lammps-common.js';
import { readStructure } from '../../src/io/registry.js';
import { ForceKernel, newForceOutput } from '../../src/md/force-kernel.js';
import { sharedFixture, tempDir } from '../helpers.js';

const ff = LAOC_V4;

/** The cell in LAMMPS orientation with its xy tilt set to `xy` (A), the atoms' fractional coordinates kept. */
const sheared = (s: Structure, xy: number): { positions: Float64Array; lattice: Lattice } => {
  const o = toLammpsOrientation(s.frame.lattice!, s.frame.positions);
  const m = Array.from(o.lattice.matrix);
  m[3] = xy;
  const lattice = new Lattice(m);
  return { positions: lattice.toCartesian(o.lattice.toFractional(o.positions)), lattice };
};

/** Special pairs whose fractional minimum image (|s| <= 1/2 per axis) is not their nearest image. */
const fractionalMisses = (sys: TypedSystem, positions: Float64Array, lattice: Lattice): number => {
  const n = sys.natoms;
  let misses = 0;
  for (const key of sys.special.keys()) {
    const [i, j] = [Math.floor(key / n), key % n];
    const d = Float64Array.from([0, 1, 2], (x) => positions[3 * i + x] - positions[3 * j + x]);
    const f = lattice.toFractional(d).map((v) => v - Math.round(v));
    const w = lattice.toCartesian(f);
    const fractional2 = w[0] ** 2 + w[1] ** 2 + w[2] ** 2;
    if (lattice.minimumImage(d) < fractional2 - 1e-9) misses++;
  }
  return misses;
};

let crystal: Structure;
let sys: TypedSystem;
beforeAll(async () => {
  crystal = await readStructure(sharedFixture('structures/LiAlCl4_COD1004036.cif'));
  sys = typeSystem(crystal, ff);
});

const haveLammps = spawnSync('lmp', ['-h'], { encoding: 'utf8' }).status === 0;
if (!haveLammps)
  console.warn(
    'SKIPPED: special images against LAMMPS (no `lmp` on PATH; .ci/run installs the Debian package lammps)',
  );

const lammps = (positions: Float64Array, lattice: Lattice) => {
  const dir = tempDir();
  writeLammpsExport(dir, lammpsFiles(positions, lattice, sys, ff));
  execFileSync('lmp', ['-in', 'in.oligolyte', '-log', 'log.lammps', '-screen', 'none'], { cwd: dir });
  const log = readFileSync(`${dir}/log.lammps`, 'utf8').split('\n');
  const k = log.findIndex((l) => l.trim().startsWith('Step'));
  const v = log[k + 1].trim().split(/\s+/).map(Number);
  const forces = new Float64Array(3 * sys.natoms);
  for (const line of readFileSync(`${dir}/forces.dump`, 'utf8').trim().split('\n').slice(9)) {
    const [id, fx, fy, fz] = line.trim().split(/\s+/).map(Number);
    forces.set([fx, fy, fz], 3 * (id - 1));
  }
  return { pe: v[1], evdwl: v[4], ecoul: v[5], forces };
};

describe.skipIf(!haveLammps)('special pairs in small tilted cells equal LAMMPS', () => {
  for (const [name, xy, misses] of [
    ['the 24-atom LiAlCl4 cell as read (xz tilt -0.75 A)', undefined, 0],
    ['the 24-atom LiAlCl4 cell sheared to xy = 2.5 A (two 1-3 pairs nearer across the tilt)', 2.5, 4],
  ] as const)
    it(name, () => {
      const { positions, lattice } =
        xy === undefined
          ? { positions: crystal.frame.positions, lattice: crystal.frame.lattice! }
          : sheared(crystal, xy);
      // The fractional rule and the nearest image disagree here (each pair counted once per side).
      expect(2 * fractionalMisses(sys, positions, lattice)).toBe(misses);
      const ref = lammps(positions, lattice);
      // LAMMPS 2022's erfc fit (as test/forcefield/forcefield.test.ts): then agreement is to rounding.
      const ours = computeEnergy(positions, lattice, sys, ff, { erfc: 'abramowitz-stegun' });
      const close = (a: number, b: number, what: string, tol: number) =>
        expect(Math.abs(a - b), `${what}: ${a} vs LAMMPS ${b}`).toBeLessThanOrEqual(
          tol * Math.max(1, Math.abs(b)),
        );
      close(ours.termsKcalMol.total, ref.pe, 'total', 1e-9);
      close(ours.termsKcalMol.vdw, ref.evdwl, 'vdw', 1e-9);
      close(ours.termsKcalMol.coulomb, ref.ecoul, 'coulomb', 1e-9);
      for (let k = 0; k < ref.forces.length; k++)
        close(ours.forcesKcalMolA[k], ref.forces[k], `force ${k}`, 1e-8);
      // The MD kernel (exact erfc: LAMMPS's fit differs by < 3e-5 kcal/mol/A) against the exact reference sum.
      const exact = computeEnergy(positions, lattice, sys, ff);
      const kernel = new ForceKernel(sys, ff, lattice);
      const f = new Float64Array(3 * sys.natoms);
      const out = newForceOutput();
      kernel.compute(Float64Array.from(positions), f, out);
      kernel.dispose();
      close(
        out.termsKcalMol.vdw + out.termsKcalMol.coulomb,
        exact.termsKcalMol.vdw + exact.termsKcalMol.coulomb,
        'kernel',
        1e-9,
      );
      for (let k = 0; k < f.length; k++) {
        close(f[k], exact.forcesKcalMolA[k], `kernel force ${k}`, 1e-8);
        expect(Math.abs(f[k] - ref.forces[k])).toBeLessThan(3e-5);
      }
    });
});

describe('a bonded partner beyond half the cell', () => {
  // Sheared to xy = 3.4 A (LAMMPS allows up to lx/2 = 3.5 A): some 1-3 Cl-Cl pairs' nearest image
  // is more than lx/2 away along x, so LAMMPS would scale another image as the special one.
  it('is refused by the reference sum and the MD kernel (one and two threads), naming the pair and the remedy', async () => {
    const { positions, lattice } = sheared(crystal, 3.4);
    const message =
      /special pair Cl_AlCl4 \d+ - Cl_AlCl4 \d+ \(1-3\).*more than half the cell.*use a supercell/;
    expect(() => computeEnergy(positions, lattice, sys, ff)).toThrow(PhysicsError);
    expect(() => computeEnergy(positions, lattice, sys, ff)).toThrow(message);
    for (const threads of [1, 2]) {
      const kernel = new ForceKernel(sys, ff, lattice);
      if (threads > 1) await kernel.startThreads(threads);
      try {
        const run = () =>
          kernel.compute(Float64Array.from(positions), new Float64Array(3 * sys.natoms), newForceOutput());
        expect(run).toThrow(PhysicsError);
        expect(run).toThrow(message);
      } finally {
        kernel.dispose();
      }
    }
  });
});
