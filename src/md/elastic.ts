import { OptionError } from '../core/errors.js';
import { Lattice } from '../core/lattice.js';
import { blockAverage } from '../core/statistics.js';
import { ATM_IN_GPA } from '../core/units.js';
import type { ForceField } from '../forcefield/force-field.js';
import type { TypedSystem } from '../forcefield/typing.js';
import { runMd } from './integrator.js';
import { type MinimiseOptions, minimise } from './minimise.js';

/**
 * The 6x6 stiffness matrix C (GPa, Voigt order xx yy zz yz xz xy) by finite strains, the method
 * of LAMMPS's examples/ELASTIC: for each Voigt direction j the cell is strained by +e and by -e,
 * and C_ij = -(P_i(+e_j) - P_i(-e_j)) / (2 e), P the pressure tensor (compression positive).
 *
 * The strain is the homogeneous deformation F = I + e (e_a x e_b) of the cell and the atoms (cell
 * rows h' = h F^T, positions r' = F r): for xx, yy, zz a stretch of that axis; for yz, xz, xy the
 * engineering shear gamma = e (y += e z, x += e z, x += e y), as LAMMPS's tilt changes of e L_z,
 * e L_z, e L_y. For an orthogonal cell that is exactly ELASTIC's change of one length or tilt.
 *
 * - At 0 K (`temperatureK` absent): the atoms are relaxed in the unstrained cell first, the strains
 *   applied to that minimum, and the atoms relaxed again at each strained cell (minimise.ts,
 *   conjugate gradients to `forceTolerance`, default 1e-5 kcal/mol/A): the "relaxed-ion"
 *   constants; the pressure is the virial's.
 * - At finite temperature: a short NVT run (Nose-Hoover) at each strained cell, the pressure
 *   tensor (with its kinetic part) averaged over the production part, each mean with its
 *   block-averaged standard error (core/statistics.ts), so each C_ij has a standard error
 *   sqrt(se+^2 + se-^2) / (2 e). Start from a structure equilibrated at that temperature and
 *   pressure (the strains are applied to it as given).
 */
export const VOIGT = ['xx', 'yy', 'zz', 'yz', 'xz', 'xy'] as const;
/** Index of each Voigt component in the engine's pressure order (xx yy zz xy xz yz). */
const FROM_ENGINE = [0, 1, 2, 5, 4, 3];
/** The entry of F (row-major, F[3a + b]) each Voigt strain sets: stretches and tilts. */
const STRAIN_ENTRY = [0, 4, 8, 5, 2, 1];

export interface ElasticOptions {
  /** Strain amplitude e (default 1e-3 at 0 K, 1e-2 at a temperature). */
  strain?: number;
  /** Atoms relaxed at each strained cell (0 K; default true): relaxed-ion constants. */
  relaxAtoms?: boolean;
  /** Minimiser options at 0 K (default cg, force tolerance 1e-5 kcal/mol/A). */
  minimise?: MinimiseOptions;
  /** Finite temperature (K): NVT at each strained cell instead of minimisation. */
  temperatureK?: number;
  /** NVT: time step (fs, default 1), equilibration and production (ps, default 2 and 10). */
  timeStepFs?: number;
  equilibratePs?: number;
  producePs?: number;
  thermoEvery?: number;
  dampingFs?: number;
  seed?: number;
  threads?: number;
  /** Called after each strained state (done of 12). */
  onProgress?: (done: number, total: number, label: string) => void;
  signal?: AbortSignal;
}

export interface StrainedState {
  component: (typeof VOIGT)[number];
  sign: 1 | -1;
  /** Pressure tensor, Voigt order (atm): the virial's at 0 K, the mean (with kinetic part) at T. */
  pressureAtm: number[];
  /** Standard errors of the means (atm), finite temperature only. */
  pressureErrorAtm?: number[];
  potentialKcalMol: number;
  /** 0 K: the largest atom force after relaxation (kcal/mol/A) and whether it converged. */
  maxForceKcalMolA?: number;
  converged?: boolean;
}

export interface ElasticResult {
  method: '0 K, relaxed ions' | '0 K, clamped ions' | 'finite temperature (NVT)';
  strain: number;
  temperatureK?: number;
  /** C_ij (GPa), Voigt order, as measured (row i: stress, column j: strain). */
  stiffnessGPa: number[][];
  /** Standard errors of C_ij (GPa), finite temperature only. */
  stiffnessErrorGPa?: number[][];
  /** Pressure tensor of the unstrained cell (GPa, Voigt order; 0 K: the virial's). */
  referencePressureGPa?: number[];
  states: StrainedState[];
  warnings: string[];
}

/** The cell and positions under F = I + e (e_a x e_b) for Voigt direction `d`. */
export const strainedCell = (
  positions: Float64Array,
  lattice: Lattice,
  d: number,
  e: number,
): { positions: Float64Array; lattice: Lattice } => {
  const F = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  F[STRAIN_ENTRY[d]] += e;
  const apply = (v: ArrayLike<number>, out: Float64Array, o: number) => {
    const x = v[o];
    const y = v[o + 1];
    const z = v[o + 2];
    for (let a = 0; a < 3; a++) out[o + a] = F[3 * a] * x + F[3 * a + 1] * y + F[3 * a + 2] * z;
  };
  const h = new Float64Array(9);
  for (let r = 0; r < 3; r++) apply(lattice.matrix, h, 3 * r);
  const x = new Float64Array(positions.length);
  for (let i = 0; i < positions.length; i += 3) apply(positions, x, i);
  return { positions: x, lattice: new Lattice(h) };
};

/** The stiffness matrix of a structure (see the module comment). */
export const elasticConstants = async (
  positions: Float64Array,
  lattice: Lattice,
  sys: TypedSystem,
  ff: ForceField,
  options: ElasticOptions = {},
): Promise<ElasticResult> => {
  const hot = options.temperatureK !== undefined;
  if (hot && !(options.temperatureK! > 0))
    throw new OptionError(`temperature ${options.temperatureK} K is not positive`, {
      option: 'temperatureK',
    });
  const e = options.strain ?? (hot ? 1e-2 : 1e-3);
  if (!(e > 0 && e < 0.2)) throw new OptionError(`strain ${e} is not in (0, 0.2)`, { option: 'strain' });
  const relax = options.relaxAtoms ?? true;
  const warnings: string[] = [];
  const states: StrainedState[] = [];
  const total = 12;
  const min: MinimiseOptions = {
    method: 'cg',
    forceTolerance: 1e-5,
    threads: options.threads,
    signal: options.signal,
    ...options.minimise,
  };
  if (!relax) min.maxSteps = 0;

  const atZero = async (x: Float64Array, L: Lattice) => {
    const r = await minimise(x, L, sys, ff, min);
    return {
      state: {
        pressureAtm: FROM_ENGINE.map((k) => r.pressureTensorAtm[k]),
        potentialKcalMol: r.termsKcalMol.total,
        maxForceKcalMolA: r.maxForceKcalMolA,
        converged: relax ? r.converged : true,
      },
      positions: r.positions,
    };
  };
  const dt = options.timeStepFs ?? 1;
  const steps = (ps: number) => Math.round((ps * 1000) / dt);
  const equilibrate = steps(options.equilibratePs ?? 2);
  const produce = steps(options.producePs ?? 10);
  const thermoEvery = options.thermoEvery ?? 10;
  if (hot && produce < 20 * thermoEvery)
    throw new OptionError('the production run must hold at least 20 thermo rows', { option: 'producePs' });
  const atTemperature = async (x: Float64Array, L: Lattice, seed: number) => {
    const rows: { p: number[]; pe: number }[] = [];
    await runMd(x, L, sys, ff, {
      ensemble: 'nvt',
      temperatureK: options.temperatureK!,
      timeStepFs: dt,
      steps: equilibrate + produce,
      seed,
      dampingFs: options.dampingFs ?? 100,
      thermoEvery,
      threads: options.threads,
      signal: options.signal,
      onThermo: (row) => {
        if (row.step > equilibrate) rows.push({ p: row.pressureTensorAtm, pe: row.potentialKcalMol });
      },
    });
    const stats = FROM_ENGINE.map((k) => blockAverage(rows.map((r) => r.p[k])));
    return {
      pressureAtm: stats.map((s) => s.mean),
      pressureErrorAtm: stats.map((s) => s.standardError),
      potentialKcalMol: blockAverage(rows.map((r) => r.pe)).mean,
    };
  };

  let referencePressureGPa: number[] | undefined;
  // The strains are applied to the relaxed reference (as ELASTIC strains its minimised box): each
  // strained cell then relaxes into the reference's basin, not into whichever minimum is nearest
  // to a start that was not one (a packed glass, a rattled crystal).
  let base = positions;
  if (!hot) {
    // The unstrained reference, relaxed: the start of every strain, and its pressure says whether
    // the cell was relaxed (C of a stressed cell differs).
    const ref = await atZero(positions, lattice);
    referencePressureGPa = ref.state.pressureAtm.map((p) => p * ATM_IN_GPA);
    base = ref.positions;
    if (ref.state.maxForceKcalMolA > 10 * (min.forceTolerance ?? 1e-5) && relax)
      warnings.push('the unstrained structure did not relax to the force tolerance');
  }
  let done = 0;
  for (let d = 0; d < 6; d++)
    for (const sign of [1, -1] as const) {
      const s = strainedCell(base, lattice, d, sign * e);
      const result = hot
        ? await atTemperature(s.positions, s.lattice, (options.seed ?? 1) + 2 * d + (sign > 0 ? 0 : 1))
        : (await atZero(s.positions, s.lattice)).state;
      states.push({ component: VOIGT[d], sign, ...result });
      if ('converged' in result && !result.converged)
        warnings.push(
          `${sign > 0 ? '+' : '-'}${VOIGT[d]}: the atoms did not relax to the force tolerance (largest force ${result.maxForceKcalMolA!.toPrecision(3)} kcal/mol/A)`,
        );
      options.onProgress?.(++done, total, `${sign > 0 ? '+' : '-'}${VOIGT[d]}`);
    }
  const C = VOIGT.map(() => new Array<number>(6).fill(0));
  const err = hot ? VOIGT.map(() => new Array<number>(6).fill(0)) : undefined;
  for (let d = 0; d < 6; d++) {
    const plus = states[2 * d];
    const minus = states[2 * d + 1];
    for (let i = 0; i < 6; i++) {
      C[i][d] = (-(plus.pressureAtm[i] - minus.pressureAtm[i]) / (2 * e)) * ATM_IN_GPA;
      if (err)
        err[i][d] =
          (Math.hypot(plus.pressureErrorAtm![i], minus.pressureErrorAtm![i]) / (2 * e)) * ATM_IN_GPA;
    }
  }
  return {
    method: hot ? 'finite temperature (NVT)' : relax ? '0 K, relaxed ions' : '0 K, clamped ions',
    strain: e,
    temperatureK: options.temperatureK,
    stiffnessGPa: C,
    stiffnessErrorGPa: err,
    referencePressureGPa,
    states,
    warnings,
  };
};
