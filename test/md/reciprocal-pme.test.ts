/**
 * Smooth particle-mesh Ewald (md/reciprocal-pme.ts): converges to the exact k-vector sum, meets
 * the accuracy its grid was chosen for, gives forces that are the gradient of its energy, and in
 * the engine equals LAMMPS's pppm at the same accuracy.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { supercell } from '../../src/builders/supercell.js';
import { Lattice } from '../../src/core/lattice.js';
import { lammpsFiles, writeLammpsExport } from '../../src/engines/lammps-export.js';
import { type ForceField, LAOC_V1 } from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { ForceKernel, newForceOutput } from '../../src/md/force-kernel.js';
import { makeReciprocal, PME_MIN_ATOMS, pmeGridFor } from '../../src/md/reciprocal-choice.js';
import { ReciprocalEwald } from '../../src/md/reciprocal-ewald.js';
import { ReciprocalPme } from '../../src/md/reciprocal-pme.js';
import { seededRandom, tempDir } from '../helpers.js';

/** A neutral set of unequal charges at random places in a triclinic cell. */
const system = (n: number, seed: number) => {
  const rnd = seededRandom(seed);
  const lattice = new Lattice([14, 0, 0, 2, 13, 0, -1.5, 1, 15]);
  const q = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) * (0.5 + (i % 3) * 0.25));
  let total = 0;
  for (const v of q) total += v;
  q[0] -= total;
  const positions = lattice.toCartesian(Float64Array.from({ length: 3 * n }, rnd));
  return { lattice, q, positions };
};

const evaluate = (r: ReciprocalEwald | ReciprocalPme, positions: Float64Array) => {
  const F = new Float64Array(positions.length);
  const W = new Float64Array(6);
  const E = r instanceof ReciprocalEwald ? r.compute(positions, F, W) : r.compute(positions, F, W);
  return { E, F, W };
};

const rmsRelative = (a: Float64Array, b: Float64Array) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
};

describe('smooth particle-mesh Ewald', () => {
  const { lattice, q, positions } = system(80, 7);
  const alpha = 0.35;
  // The exact sum to 1e-13: the reference.
  const exact = evaluate(new ReciprocalEwald(lattice, q, alpha, 30), positions);

  it('converges to the exact k-vector sum as the grid and order grow', () => {
    const errors = [
      [16, 4],
      [32, 5],
      [64, 6],
      [64, 8],
    ].map(([K, p]) => {
      const pme = evaluate(new ReciprocalPme(lattice, q, alpha, { size: [K, K, K], order: p }), positions);
      return {
        energy: Math.abs(pme.E / exact.E - 1),
        forces: rmsRelative(pme.F, exact.F),
        virial: Math.max(...pme.W.map((w, k) => Math.abs(w - exact.W[k]))) / Math.abs(exact.W[0]),
      };
    });
    for (let k = 1; k < errors.length; k++) expect(errors[k].forces).toBeLessThan(errors[k - 1].forces / 10);
    const finest = errors[errors.length - 1];
    expect(finest.energy).toBeLessThan(1e-10);
    expect(finest.forces).toBeLessThan(1e-9);
    expect(finest.virial).toBeLessThan(1e-9);
  });

  it.each([1e-4, 1e-5, 1e-6])(
    'the grid chosen for accuracy %s meets it (RMS force error against the exact sum)',
    (accuracy) => {
      for (const a of [0.3, 0.45]) {
        const ref = evaluate(new ReciprocalEwald(lattice, q, a, 30), positions);
        const pme = evaluate(new ReciprocalPme(lattice, q, a, pmeGridFor(lattice, a, accuracy)), positions);
        expect(rmsRelative(pme.F, ref.F)).toBeLessThan(accuracy);
        expect(Math.abs(pme.E / ref.E - 1)).toBeLessThan(accuracy);
      }
    },
  );

  it('its forces are the gradient of its energy (central differences)', () => {
    const pme = new ReciprocalPme(lattice, q, alpha, { size: [16, 16, 16], order: 5 });
    const base = evaluate(pme, positions);
    const h = 1e-5;
    for (const k of [0, 4, 17, 100, 239]) {
      const plus = positions.slice();
      const minus = positions.slice();
      plus[k] += h;
      minus[k] -= h;
      const numeric = -(evaluate(pme, plus).E - evaluate(pme, minus).E) / (2 * h);
      expect(Math.abs(numeric - base.F[k])).toBeLessThan(1e-5 * Math.max(1, Math.abs(base.F[k])));
    }
  });

  it('is chosen by size unless the force field says', () => {
    const small = makeReciprocal(lattice, q, alpha, 1e-5);
    expect(small).toBeInstanceOf(ReciprocalEwald);
    expect(makeReciprocal(lattice, q, alpha, 1e-5, 'pme')).toBeInstanceOf(ReciprocalPme);
    const many = new Float64Array(PME_MIN_ATOMS);
    expect(makeReciprocal(lattice, many, alpha, 1e-5)).toBeInstanceOf(ReciprocalPme);
    expect(() => new ReciprocalPme(lattice, q, alpha, { size: [12, 16, 16], order: 5 })).toThrow(
      /powers of two/,
    );
  });
});

const haveLammps = spawnSync('lmp', ['-h'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!haveLammps)('PME in the engine against LAMMPS pppm', () => {
  const glass = () => packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });
  for (const [name, make] of [
    ['the 128-atom glass', glass],
    ['its 2 x 2 x 2 supercell (1,024 atoms, PME by size)', () => supercell(glass(), [2, 2, 2])],
  ] as const)
    it(`${name}: energy and forces equal LAMMPS pppm (accuracy 1e-6) to 1e-4`, () => {
      const s = make();
      // The glass is below PME_MIN_ATOMS: PME asked for; the supercell gets it by its size.
      const ff: ForceField = {
        ...LAOC_V1,
        coulomb: {
          method: 'ewald',
          accuracy: 1e-6,
          ...(s.topology.natoms < PME_MIN_ATOMS ? { kspace: 'pme' } : {}),
        },
      };
      const sys = typeSystem(s, ff);
      const kernel = new ForceKernel(sys, ff, s.frame.lattice!);
      const F = new Float64Array(3 * sys.natoms);
      const out = newForceOutput();
      kernel.compute(s.frame.positions, F, out);
      const dir = tempDir();
      writeLammpsExport(dir, lammpsFiles(s.frame.positions, s.frame.lattice!, sys, ff));
      expect(readFileSync(`${dir}/in.oligolyte`, 'utf8')).toMatch(/^kspace_style pppm /m);
      execFileSync('lmp', ['-in', 'in.oligolyte', '-log', 'log.lammps', '-screen', 'none'], { cwd: dir });
      const log = readFileSync(`${dir}/log.lammps`, 'utf8').split('\n');
      const k = log.findIndex((l) => l.trim().startsWith('Step'));
      const v = log[k + 1].trim().split(/\s+/).map(Number);
      expect(Math.abs(out.termsKcalMol.coulomb / (v[5] + v[6]) - 1)).toBeLessThan(1e-4);
      let maxF = 0;
      for (const f of F) maxF = Math.max(maxF, Math.abs(f));
      for (const line of readFileSync(`${dir}/forces.dump`, 'utf8').trim().split('\n').slice(9)) {
        const [id, fx, fy, fz] = line.trim().split(/\s+/).map(Number);
        for (const [x, f] of [fx, fy, fz].entries())
          expect(Math.abs(f - F[3 * (id - 1) + x]), `atom ${id}`).toBeLessThan(1e-4 * maxF);
      }
    }, 120_000);
});
