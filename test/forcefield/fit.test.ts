/**
 * The force-field fit (src/forcefield/fit): the decomposition equals the reference sum at any
 * parameters, the validation split is fixed by its seed and disjoint from the training set, and a
 * fit to reference data made with known parameters (forces, energies and stresses from a force
 * field, configurations rattled) recovers those parameters within its own uncertainties.
 */
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import type { Structure } from '../../src/core/frame.js';
import { SeededRandom } from '../../src/core/random.js';
import { Topology } from '../../src/core/topology.js';
import { EV_IN_KCAL_PER_MOL } from '../../src/core/units.js';
import { computeEnergy } from '../../src/forcefield/energy.js';
import { decompose, evaluateDecomposed } from '../../src/forcefield/fit/decomposition.js';
import {
  type FitSpec,
  fitForceField,
  type ReferenceConfiguration,
  validationSplit,
  withBornTerms,
} from '../../src/forcefield/fit/fit.js';
import { choleskySolve, levenbergMarquardt } from '../../src/forcefield/fit/levenberg-marquardt.js';
import { forceFieldOutputs, setMetrics } from '../../src/forcefield/fit/metrics.js';
import { applyParameters, checkParameter, type FitParameter } from '../../src/forcefield/fit/parameters.js';
import { type ForceField, LAOC_V4 } from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';

/** Two LAOC^0b trimers and six Li (32 atoms), rattled by 0.1 A with the given seed. */
const smallGlass = (seed: number): Structure => {
  const s = packGlass({ units: [{ molecule: buildOligomer(), count: 2 }], seed: 3 });
  const rng = new SeededRandom(seed);
  const positions = Float64Array.from(s.frame.positions, (x) => x + 0.1 * rng.gaussian());
  return { topology: s.topology, frame: { ...s.frame, positions } };
};

const born = {
  'Li-Cl': { a: 4.0, rho: 0.3, sigma: 2.4, c: 20, d: 0 },
  'Li-O': { a: 3.0, rho: 0.28, sigma: 2.1, c: 0, d: 0 },
};
const params: FitParameter[] = [
  { path: 'born.Li-Cl.a', initial: 4.0, lower: 0.01, upper: 100 },
  { path: 'born.Li-Cl.rho', initial: 0.3, lower: 0.1, upper: 0.6 },
  { path: 'born.Li-O.a', initial: 3.0, lower: 0.01, upper: 100 },
  { path: 'charges.scale', initial: 0.8, lower: 0.5, upper: 1 },
  { path: 'bonds.Al-Cl_t.x0', initial: 2.13, lower: 1.9, upper: 2.4 },
];
const start = withBornTerms(LAOC_V4, born, 'fit-test');

describe('the fit decomposition', () => {
  it('equals the reference sum at other parameter values (energy, forces, virial)', () => {
    const s = smallGlass(1);
    const ff0 = applyParameters(
      start,
      params,
      params.map((p) => p.initial),
    );
    const dec = decompose(s.frame.positions, s.frame.lattice!, typeSystem(s, ff0), ff0, params);
    const other = applyParameters(start, params, [6.5, 0.35, 1.5, 0.9, 2.2]);
    // Angles too: the Al apex angle (k and theta0) moved from a start at laoc-v4's.
    const withAngles = [
      ...params,
      { path: 'angles.*-Al-*.k', initial: 50, lower: 0, upper: 200 },
      { path: 'angles.*-Al-*.x0', initial: 109.47, lower: 90, upper: 130 },
    ];
    const decA = decompose(s.frame.positions, s.frame.lattice!, typeSystem(s, ff0), ff0, withAngles);
    const otherA = applyParameters(start, withAngles, [6.5, 0.35, 1.5, 0.9, 2.2, 70, 112]);
    const refA = computeEnergy(s.frame.positions, s.frame.lattice!, typeSystem(s, otherA), otherA);
    const gotA = evaluateDecomposed(decA, otherA);
    expect(Math.abs(gotA.energy - refA.termsKcalMol.total)).toBeLessThan(
      1e-8 * Math.abs(refA.termsKcalMol.total),
    );
    for (let k = 0; k < gotA.forces.length; k++)
      expect(Math.abs(gotA.forces[k] - refA.forcesKcalMolA[k])).toBeLessThan(1e-8);
    for (let k = 0; k < 6; k++) expect(Math.abs(gotA.virial[k] - refA.virialKcalMol[k])).toBeLessThan(1e-7);
    const ref = computeEnergy(s.frame.positions, s.frame.lattice!, typeSystem(s, other), other);
    const got = evaluateDecomposed(dec, other);
    expect(Math.abs(got.energy - ref.termsKcalMol.total)).toBeLessThan(
      1e-8 * Math.abs(ref.termsKcalMol.total),
    );
    for (let k = 0; k < got.forces.length; k++)
      expect(Math.abs(got.forces[k] - ref.forcesKcalMolA[k])).toBeLessThan(1e-8);
    for (let k = 0; k < 6; k++) expect(Math.abs(got.virial[k] - ref.virialKcalMol[k])).toBeLessThan(1e-7);
  });
  it('equals the reference sum with a like Born pair whose 1-3 partners are special (Cl-Cl)', () => {
    const s = smallGlass(2);
    const withClCl = withBornTerms(LAOC_V4, {
      ...born,
      'Cl-Cl': { a: 1.5, rho: 0.34, sigma: 3.2, c: 1200, d: 2400 },
    });
    const p = [...params, { path: 'born.Cl-Cl.a', initial: 1.5, lower: 0, upper: 10 }];
    const ff0 = applyParameters(
      withClCl,
      p,
      p.map((q) => q.initial),
    );
    const dec = decompose(s.frame.positions, s.frame.lattice!, typeSystem(s, ff0), ff0, p);
    const other = applyParameters(withClCl, p, [6.5, 0.35, 1.5, 0.9, 2.2, 3]);
    const ref = computeEnergy(s.frame.positions, s.frame.lattice!, typeSystem(s, other), other);
    const got = evaluateDecomposed(dec, other);
    expect(Math.abs(got.energy - ref.termsKcalMol.total)).toBeLessThan(
      1e-8 * Math.abs(ref.termsKcalMol.total),
    );
    for (let k = 0; k < got.forces.length; k++)
      expect(Math.abs(got.forces[k] - ref.forcesKcalMolA[k])).toBeLessThan(1e-8);
    for (let k = 0; k < 6; k++) expect(Math.abs(got.virial[k] - ref.virialKcalMol[k])).toBeLessThan(1e-7);
  });
  it('Born terms are added for every type pair of the elements, and parameters move them together', () => {
    expect(Object.keys(start.born!).sort()).toEqual(
      ['Li-Cl_AlCl4', 'Li-Cl_br', 'Li-Cl_free', 'Li-Cl_t', 'Li-O_br'].sort(),
    );
    const moved = applyParameters(start, params, [9, 0.3, 3, 0.8, 2.13]);
    for (const k of ['Li-Cl_AlCl4', 'Li-Cl_br', 'Li-Cl_free', 'Li-Cl_t']) expect(moved.born![k].a).toBe(9);
    expect(start.born!['Li-Cl_t'].a).toBe(4);
    expect(() => checkParameter(start, { path: 'born.Na-Cl.a', initial: 1, lower: 0, upper: 2 })).toThrow(
      /no Born term between elements Na-Cl/,
    );
    expect(() => checkParameter(start, { path: 'born.Li-Cl.sigma', initial: 1, lower: 0, upper: 2 })).toThrow(
      /a, rho, c or d/,
    );
  });
});

describe('Levenberg-Marquardt', () => {
  it('Cholesky solves a small SPD system', () => {
    const x = choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2)!;
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });
  it('fits an exponential and stops at a bound', () => {
    const t = Array.from({ length: 20 }, (_, k) => k / 4);
    const y = t.map((x) => 3 * Math.exp(-0.7 * x));
    const f = (p: Float64Array) => Float64Array.from(t, (x, k) => p[0] * Math.exp(-p[1] * x) - y[k]);
    const free = levenbergMarquardt(f, [1, 0.2], [0, 0], [10, 10], { maxIterations: 100, tolerance: 1e-14 });
    expect(free.p[0]).toBeCloseTo(3, 6);
    expect(free.p[1]).toBeCloseTo(0.7, 6);
    const bounded = levenbergMarquardt(f, [1, 0.2], [0, 0], [2, 10], {
      maxIterations: 100,
      tolerance: 1e-12,
    });
    expect(bounded.p[0]).toBe(2);
  });
});

describe('fitting to data made with known parameters', () => {
  const truth = [5.5, 0.33, 2.2, 0.85, 2.16];
  const target: ForceField = applyParameters(start, params, truth);
  const configs: ReferenceConfiguration[] = Array.from({ length: 10 }, (_, k) => {
    const s = smallGlass(10 + k);
    const e = computeEnergy(s.frame.positions, s.frame.lattice!, typeSystem(s, target), target);
    const V = s.frame.lattice!.volume;
    const w = e.virialKcalMol;
    // 3x3 stress, eV/A^3, tensile positive: -W/V.
    const st = [w[0], w[3], w[4], w[3], w[1], w[5], w[4], w[5], w[2]].map((x) => -x / EV_IN_KCAL_PER_MOL / V);
    return {
      id: k + 1,
      source: `synthetic#${k + 1}`,
      structure: s,
      energyEv: e.termsKcalMol.total / EV_IN_KCAL_PER_MOL + 7, // an offset the relative energies must not see
      forcesEvA: e.forcesKcalMolA.map((f) => f / EV_IN_KCAL_PER_MOL),
      stressEvA3: Float64Array.from(st),
    };
  });

  it('the validation split depends on the seed only and is disjoint from the training set', () => {
    const a = validationSplit(configs, 0.3, 7);
    expect([...validationSplit(configs, 0.3, 7)]).toEqual([...a]);
    expect(a.size).toBe(3);
    expect([...validationSplit(configs, 0.3, 8)]).not.toEqual([...a]);
  });

  const spec: FitSpec = {
    name: 'fit-test',
    description: '',
    start: LAOC_V4,
    baseline: LAOC_V4,
    born,
    parameters: params,
    weights: { forces: 1, energies: 0.5, stresses: 0.5, crystalForces: 0, crystalStress: 0 },
    energyScaleEvPerAtom: 0.005,
    stressScaleGPa: 0.5,
    validationFraction: 0.3,
    seed: 7,
    maxIterations: 60,
  };

  it('with noise on the forces (0.05 eV/A), the truth lies within 4 standard uncertainties', () => {
    const rng = new SeededRandom(99);
    const noisy = configs.map((c) => ({
      ...c,
      forcesEvA: c.forcesEvA.map((f) => f + 0.05 * rng.gaussian()),
    }));
    const r = fitForceField({ ...spec, weights: { ...spec.weights, energies: 0, stresses: 0 } }, noisy, []);
    r.parameters.forEach((p, k) => {
      expect(p.sigma, p.path).toBeGreaterThan(0);
      expect(Math.abs(p.value - truth[k]), `${p.path}: ${p.value} +- ${p.sigma}`).toBeLessThan(4 * p.sigma);
    });
    // The correlation matrix: unit diagonal, symmetric, within [-1, 1].
    r.correlation.forEach((row, a) => {
      expect(row[a]).toBeCloseTo(1, 12);
      row.forEach((c, b) => {
        expect(Math.abs(c)).toBeLessThanOrEqual(1 + 1e-12);
        expect(c).toBeCloseTo(r.correlation[b][a], 12);
      });
    });
  }, 60_000);

  it('recovers them (force RMSE to zero on the held-out configurations)', () => {
    const r = fitForceField(spec, configs, []);
    expect(r.validationIds.length).toBe(3);
    expect(new Set([...r.trainingIds, ...r.validationIds]).size).toBe(10);
    r.parameters.forEach((p, k) => {
      expect(Math.abs(p.value - truth[k]), p.path).toBeLessThan(1e-4 * Math.abs(truth[k]));
    });
    for (const [e, rmse] of Object.entries(r.metrics.fitted.validation.forceRmseEvA)) {
      expect(rmse, e).toBeLessThan(1e-4);
      expect(r.metrics.start.validation.forceRmseEvA[e], e).toBeGreaterThan(1e-3);
    }
    expect(r.metrics.fitted.validation.relativeEnergyRmseMeVPerAtom!).toBeLessThan(1e-3);
    expect(r.metrics.baseline.validation.relativeEnergyRmseMeVPerAtom!).toBeGreaterThan(0.01);
    // Each parameter put back at its start value makes the held-out forces worse.
    for (const a of r.ablation)
      expect(Math.max(...Object.values(a.forceRmseEvA)), a.path).toBeGreaterThan(1e-3);
  }, 60_000);
});

describe('a baseline that cannot type some configurations', () => {
  // A bond-free start (charges rule "ions") types anything; laoc-v4 cannot type an O pulled away
  // from its two Al in a file without bonds (then bonded to one Al or none, not two).
  const ionType = (mass: number) => ({ mass, sigma: 0, epsilon: 0 });
  const pair = (a: number, rho: number, sigma: number) => ({ a, rho, sigma, c: 0, d: 0 });
  const ions: ForceField = {
    ...LAOC_V4,
    name: 'ions-fit-test',
    atomTypes: { Li: ionType(6.941), Al: ionType(26.982), O: ionType(15.999), Cl: ionType(35.453) },
    bonds: {},
    angles: {},
    born: {
      'Li-Cl': pair(1.5, 0.2, 2.4),
      'Li-O': pair(1, 0.15, 2.0),
      'Al-Cl': pair(3, 0.15, 2.2),
      'Al-O': pair(6, 0.13, 1.75),
      'Cl-Cl': pair(2.5, 0.21, 3.17),
      'O-Cl': pair(6, 0.3, 3.0),
      'O-O': pair(4, 0.3, 2.8),
    },
    special: { lj: [0, 0, 0], coul: [0, 0, 0] },
    charges: { rule: 'ions', fixed: { Li: 1, Al: 3, O: -2, Cl: -1 }, scale: 0.5 },
  };
  const stretchedO = (s: Structure): Structure => {
    const t = s.topology;
    const o = t.indicesOf('O')[0];
    const p = Float64Array.from(s.frame.positions);
    // Out along the bisector of its two Al-O bonds, by 1 A: both bonds then longer than 2.1 A.
    const out = [0, 0, 0];
    for (const a of t.indicesOf('Al')) {
      const d = Float64Array.of(
        p[3 * o] - p[3 * a],
        p[3 * o + 1] - p[3 * a + 1],
        p[3 * o + 2] - p[3 * a + 2],
      );
      const r2 = s.frame.lattice!.minimumImage(d);
      if (r2 < 2.1 ** 2) for (let x = 0; x < 3; x++) out[x] += d[x] / Math.sqrt(r2);
    }
    const norm = Math.hypot(...out);
    for (let x = 0; x < 3; x++) p[3 * o + x] += out[x] / norm;
    // As read from a file: elements only, so that laoc-v4 perceives the bonds by distance.
    const bare = new Topology({ symbols: Array.from({ length: t.natoms }, (_, i) => t.symbol(i)) });
    return { topology: bare, frame: { ...s.frame, positions: p } };
  };
  const configs: ReferenceConfiguration[] = Array.from({ length: 6 }, (_, k) => {
    const s = k === 0 ? stretchedO(smallGlass(40)) : smallGlass(40 + k);
    const e = computeEnergy(s.frame.positions, s.frame.lattice!, typeSystem(s, ions), ions);
    return {
      id: k + 1,
      source: `synthetic#${k + 1}`,
      structure: s,
      energyEv: e.termsKcalMol.total / EV_IN_KCAL_PER_MOL,
      forcesEvA: e.forcesKcalMolA.map((f) => f / EV_IN_KCAL_PER_MOL),
    };
  });

  it('are left out of its numbers (and of the comparison with it), the fit keeps them', () => {
    expect(() => typeSystem(configs[0].structure, LAOC_V4)).toThrow(/bonded to [01] Al, not 2/);
    expect(forceFieldOutputs(LAOC_V4, configs[0].structure)).toBeUndefined();
    const r = fitForceField(
      {
        name: 'fit-test',
        description: '',
        start: ions,
        baseline: LAOC_V4,
        born: {},
        parameters: [{ path: 'charges.scale', initial: 0.6, lower: 0.3, upper: 1 }],
        weights: { forces: 1, energies: 0, stresses: 0, crystalForces: 0, crystalStress: 0 },
        energyScaleEvPerAtom: 0.005,
        stressScaleGPa: 0.5,
        validationFraction: 0.3,
        seed: 7,
        maxIterations: 30,
      },
      configs,
      [],
    );
    expect(r.excluded).toEqual([]);
    expect(r.parameters[0].value).toBeCloseTo(0.5, 8);
    const held = r.validationIds.includes(1) ? 'validation' : 'training';
    expect(r.metrics.baseline[held].skipped).toBe(1);
    expect(r.metrics.fitted[held].skipped).toBe(0);
    expect(r.metrics.baseline[held].configurations).toBe(r.metrics.fitted[held].configurations - 1);
    expect(r.fittedOnBaselineSet![held].configurations).toBe(r.metrics.baseline[held].configurations);
    // The direct sum over the configurations both can evaluate.
    const both = configs.filter((c) => c.id !== 1 && r[`${held}Ids`].includes(c.id));
    const direct = setMetrics(
      both.map((config) => ({ config })),
      (p) => forceFieldOutputs(LAOC_V4, p.config.structure),
    );
    expect({ ...direct, skipped: 1 }).toEqual(r.metrics.baseline[held]);
  }, 60_000);
});
