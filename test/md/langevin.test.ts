/**
 * The Langevin thermostat (BAOAB) samples the canonical ensemble of the 3N - 3 degrees of freedom
 * it reports: the random kicks must not move the centre of mass. A small binary Lennard-Jones
 * fluid (16 atoms, two masses) keeps the run to a second or so.
 */
import { describe, expect, it } from 'vitest';
import { Lattice } from '../../src/core/lattice.js';
import { blockAverage } from '../../src/core/statistics.js';
import type { ForceField } from '../../src/forcefield/force-field.js';
import type { TypedSystem } from '../../src/forcefield/typing.js';
import { runMd } from '../../src/md/integrator.js';

/** Two Lennard-Jones types of very different mass, no charges, no bonds. */
const LJ_PAIR: ForceField = {
  name: 'lj-binary',
  description: 'a binary Lennard-Jones fluid for thermostat tests',
  atomTypes: {
    A: { mass: 39.948, sigma: 3.4, epsilon: 0.238 },
    B: { mass: 6.941, sigma: 2.5, epsilon: 0.1 },
  },
  bonds: {},
  angles: {},
  special: { lj: [0, 0, 0], coul: [0, 0, 0] },
  mixing: 'geometric',
  shift: true,
  cutoff: 8,
  coulomb: { method: 'dsf', alpha: 0.2 },
  charges: { rule: 'laoc', fixed: {}, scale: 1 },
};

/** 16 atoms on a body-centred 2 x 2 x 2 grid in a 10 A cube, A and B alternating. */
const system = () => {
  const n = 16;
  const positions = new Float64Array(3 * n);
  let k = 0;
  for (const off of [0, 2.5])
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++)
        for (let l = 0; l < 2; l++) {
          positions.set([5 * i + off, 5 * j + off, 5 * l + off], 3 * k);
          k++;
        }
  const none = new Uint32Array(0);
  const sys: TypedSystem = {
    natoms: n,
    typeNames: ['A', 'B'],
    type: Int32Array.from({ length: n }, (_, i) => i % 2),
    charges: new Float64Array(n),
    bonds: none,
    bondKeys: [],
    bondParams: [],
    angles: none,
    angleKeys: [],
    angleParams: [],
    dihedrals: none,
    dihedralKeys: [],
    dihedralParams: [],
    special: new Map(),
    moleculeIds: Int32Array.from({ length: n }, (_, i) => i),
  };
  return { positions, lattice: Lattice.cubic(10), sys };
};

describe('Langevin thermostat', () => {
  it('holds 300 K in the 3N - 3 degrees of freedom it reports and keeps the total momentum at zero', async () => {
    const { positions, lattice, sys } = system();
    const mass = Array.from(sys.type, (t) => LJ_PAIR.atomTypes[sys.typeNames[t]].mass);
    const temperatures: number[] = [];
    let worstMomentum = 0;
    await runMd(positions, lattice, sys, LJ_PAIR, {
      ensemble: 'langevin',
      temperatureK: 300,
      timeStepFs: 2,
      dampingFs: 100,
      steps: 50000,
      seed: 7,
      thermoEvery: 10,
      // The first 2 ps relax the start; the rest are the samples.
      onThermo: (r) => {
        if (r.step > 1000) temperatures.push(r.temperatureK);
      },
      frameEvery: 50,
      onFrame: (_step, _x, v) => {
        // |sum m v| against sum m |v|: zero to rounding when the kicks keep the centre of mass still.
        for (let c = 0; c < 3; c++) {
          let p = 0;
          let scale = 0;
          for (let i = 0; i < sys.natoms; i++) {
            p += mass[i] * v[3 * i + c];
            scale += mass[i] * Math.abs(v[3 * i + c]);
          }
          worstMomentum = Math.max(worstMomentum, Math.abs(p) / scale);
        }
      },
    });
    const b = blockAverage(temperatures);
    // The error must be small enough to tell 300 K from 300 x 48/45 = 320 K (kicks that also
    // heat the centre of mass, whose 3 degrees of freedom the reported T leaves out).
    expect(b.standardError).toBeLessThan(5);
    expect(
      Math.abs(b.mean - 300),
      `T = ${b.mean.toFixed(1)} +- ${b.standardError.toFixed(1)} K`,
    ).toBeLessThan(3 * b.standardError);
    expect(worstMomentum).toBeLessThan(1e-12);
  });
});
