/**
 * Issue 25, item 3: overlapping atoms (closer than 0.5 A) are refused by the force-field layer,
 * naming both atoms, before any energy is computed: `energy` used to print NaN/Infinity and write
 * NaN forces for two atoms at distance 0. prepareSystem (energy, md, run, lammps export),
 * computeEnergy and runMd each refuse them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { PhysicsError } from '../../src/core/errors.js';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { computeEnergy } from '../../src/forcefield/energy.js';
import { LAOC_V4 } from '../../src/forcefield/force-field.js';
import { findOverlap, OVERLAP_DISTANCE_A } from '../../src/forcefield/overlap.js';
import { prepareSystem } from '../../src/forcefield/system.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { writeStructure } from '../../src/io/registry.js';
import { runMd } from '../../src/md/integrator.js';
import { cli, seededRandom, tempDir } from '../helpers.js';

const glass = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });

/** The glass with atom `j` moved onto atom `i` (plus `offset` along x). */
const withOverlap = (i: number, j: number, offset = 0): Structure => {
  const positions = Float64Array.from(glass.frame.positions);
  for (let c = 0; c < 3; c++) positions[3 * j + c] = positions[3 * i + c] + (c === 0 ? offset : 0);
  return { topology: glass.topology, frame: { ...glass.frame, positions } };
};

/** Brute force: the closest pair under the threshold, minimum image. */
const bruteForce = (x: Float64Array, L: Lattice | undefined, min: number) => {
  const n = x.length / 3;
  let best: { i: number; j: number; distanceA: number } | undefined;
  const d = new Float64Array(3);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < j; i++) {
      for (let c = 0; c < 3; c++) d[c] = x[3 * j + c] - x[3 * i + c];
      const r = Math.sqrt(L ? L.minimumImage(d) : d[0] ** 2 + d[1] ** 2 + d[2] ** 2);
      if (r < min && (!best || r < best.distanceA)) best = { i, j, distanceA: r };
    }
  return best;
};

describe('findOverlap', () => {
  it('finds the closest pair under the threshold, as a brute-force search does (triclinic, small cells, no cell)', () => {
    const rnd = seededRandom(5);
    const cells = [
      Lattice.fromParameters({ a: 9, b: 11, c: 10, alpha: 70, beta: 100, gamma: 115 }),
      Lattice.cubic(14.29),
      Lattice.cubic(0.9), // one or two bins per axis: the wrap must not count a bin twice
      undefined,
    ];
    for (const L of cells)
      for (let trial = 0; trial < 20; trial++) {
        const n = 2 + Math.floor(rnd() * 120);
        const x = new Float64Array(3 * n);
        const frac = Float64Array.from({ length: 3 * n }, () => 3 * rnd() - 1);
        if (L) L.toCartesian(frac, x);
        else for (let k = 0; k < x.length; k++) x[k] = 12 * frac[k];
        const min = L === cells[2] ? 0.2 : 1.0;
        const got = findOverlap(x, L, min);
        const want = bruteForce(x, L, min);
        expect(got?.distanceA ?? -1, `${n} atoms`).toBeCloseTo(want?.distanceA ?? -1, 12);
        if (want) expect([got!.i, got!.j]).toEqual([want.i, want.j]);
      }
  });

  it('the built glass has no overlap; an atom on top of another is found across the cell edge', () => {
    expect(findOverlap(glass.frame.positions, glass.frame.lattice)).toBeUndefined();
    const x = Float64Array.from(glass.frame.positions);
    const L = glass.frame.lattice!;
    // Atom 5 one cell vector away from atom 2: 0 A apart by the minimum image.
    for (let c = 0; c < 3; c++) x[15 + c] = x[6 + c] + L.matrix[c];
    expect(findOverlap(x, L)).toEqual({ i: 2, j: 5, distanceA: expect.closeTo(0, 9) });
  });
});

describe('overlapping atoms are refused, naming both', () => {
  it(`prepareSystem (energy, md, run, lammps export): element names, 1-based indices; ${OVERLAP_DISTANCE_A} A is the limit`, () => {
    // Atoms 1 (Al) and 128 (Li).
    expect(() => prepareSystem(withOverlap(0, 127), LAOC_V4)).toThrow(
      /atoms 1 \(Al\) and 128 \(Li\) overlap: 0\.000 A apart, closer than 0\.5 A/,
    );
    expect(() => prepareSystem(withOverlap(0, 127, 0.49), LAOC_V4)).toThrow(PhysicsError);
    expect(() => prepareSystem(withOverlap(0, 127, 0.51), LAOC_V4)).not.toThrow();
  });

  it('computeEnergy and runMd (type names), so no NaN reaches a result', async () => {
    const s = withOverlap(100, 101);
    const sys = typeSystem(s, LAOC_V4);
    expect(() => computeEnergy(s.frame.positions, s.frame.lattice!, sys, LAOC_V4)).toThrow(
      /atoms 101 \(Cl_t\) and 102 \(Cl_t\) overlap: 0\.000 A apart/,
    );
    await expect(
      runMd(s.frame.positions, s.frame.lattice!, sys, LAOC_V4, {
        ensemble: 'nvt',
        temperatureK: 300,
        steps: 10,
      }),
    ).rejects.toThrow(/the run cannot start at step 0: atoms 101 \(Cl_t\) and 102 \(Cl_t\) overlap/);
  });

  it('oligolyte energy: exit 1 with the message, no NaN printed, no forces file written', async () => {
    const dir = tempDir();
    const file = join(dir, 'overlap.extxyz');
    await writeStructure(file, withOverlap(3, 40));
    const r = cli('energy', file, '--forces', join(dir, 'f.extxyz'));
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(/atoms 4 \(\w+\) and 41 \(\w+\) overlap: 0\.000 A apart/);
    expect(r.out).not.toMatch(/NaN|Infinity/);
    expect(existsSync(join(dir, 'f.extxyz'))).toBe(false);
    const md = cli('md', file, '--steps', '10', '-o', join(dir, 'md'));
    expect(md.code, md.err).toBe(1);
    expect(md.err).toMatch(/atoms 4 \(\w+\) and 41 \(\w+\) overlap/);
  }, 60_000);
});
