import { InsufficientDataError, OptionError, PhysicsError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import type { Lattice } from '../../core/lattice.js';
import { SeededRandom } from '../../core/random.js';
import { EV_IN_KCAL_PER_MOL, EV_PER_A3_IN_GPA } from '../../core/units.js';
import { computeEnergy } from '../energy.js';
import type { BornTerm, ForceField } from '../force-field.js';
import { type TypedSystem, typeSystem } from '../typing.js';
import { decompose, evaluateDecomposed, type TermSums } from './decomposition.js';
import { invertSpd, levenbergMarquardt } from './levenberg-marquardt.js';
import {
  compositionKey,
  forceFieldOutputs,
  type ModelOutputs,
  type ReferenceConfiguration,
  type SetMetrics,
  setMetrics,
  voigt,
} from './metrics.js';
import { applyParameters, checkParameter, type FitParameter, typeElement } from './parameters.js';

/**
 * Fitting a force field to ab initio reference data: weighted least squares on forces (each
 * element normalised by the RMS of its reference forces, so that every element counts alike),
 * relative energies (per atom, within groups of one composition), stresses, and crystal targets
 * (an experimental crystal is a minimum: zero forces and zero stress at its measured cell), with
 * bounded Levenberg-Marquardt, a held-out validation set chosen by configuration before the fit
 * (seeded, never used for fitting or tuning), parameter uncertainties and correlations from the
 * Jacobian, and a report of what each parameter does (the validation force errors with it put back
 * at its start value).
 */

export type { ReferenceConfiguration } from './metrics.js';

export interface CrystalTarget {
  name: string;
  structure: Structure;
}

export interface FitWeights {
  forces: number;
  energies: number;
  stresses: number;
  crystalForces: number;
  crystalStress: number;
}

export interface FitSpec {
  /** The force field the fit starts from, with the Born terms below added. */
  start: ForceField;
  /** Born terms added to the start force field, by element pair ("Li-Cl"): every type pair of those elements. */
  born: Record<string, BornTerm>;
  parameters: FitParameter[];
  weights: FitWeights;
  /** One unit of misfit for a relative energy (eV/atom) and a stress component (GPa). */
  energyScaleEvPerAtom: number;
  stressScaleGPa: number;
  validationFraction: number;
  seed: number;
  maxIterations: number;
  /** The force field the result is compared with (laoc-v4). */
  baseline: ForceField;
  /** Name and description of the fitted force field. */
  name: string;
  description: string;
}

/** The start force field with the spec's Born terms for every pair of types of their elements. */
export const withBornTerms = (ff: ForceField, born: Record<string, BornTerm>, name = ff.name): ForceField => {
  const out: Record<string, BornTerm> = { ...(ff.born ?? {}) };
  const types = Object.keys(ff.atomTypes);
  for (const [pair, term] of Object.entries(born)) {
    const [e1, e2] = pair.split('-');
    if (!e2) throw new OptionError(`Born term "${pair}": expected an element pair such as Li-Cl`);
    let added = 0;
    for (const a of types)
      for (const b of types) {
        if (typeElement(a) !== e1 || typeElement(b) !== e2) continue;
        // A polarisable ion's repulsion is its shell's (Cl_shell is of Cl), not its core's.
        if (ff.shells?.[a] || ff.shells?.[b]) continue;
        if (e1 === e2 && a > b) continue;
        if (out[`${b}-${a}`]) continue;
        out[`${a}-${b}`] = { ...term };
        added++;
      }
    if (added === 0)
      throw new OptionError(`Born term "${pair}": the force field has no atom types of those elements`);
  }
  return { ...ff, name, born: out };
};

/**
 * Configurations held out for validation: a seeded fraction of each composition group (at least
 * one of a group of two or more, none of a group of one).
 */
export const validationSplit = (
  configs: readonly ReferenceConfiguration[],
  fraction: number,
  seed: number,
): Set<number> => {
  if (!(fraction >= 0 && fraction < 1))
    throw new OptionError(`validation fraction ${fraction}: expected 0 <= f < 1`, {
      option: 'validationFraction',
    });
  const groups = new Map<string, number[]>();
  for (const c of configs) {
    const g = compositionKey(c.structure);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(c.id);
  }
  const rng = new SeededRandom(seed);
  const out = new Set<number>();
  for (const key of [...groups.keys()].sort()) {
    const ids = [...groups.get(key)!];
    // Fisher-Yates with the seeded generator.
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    // At least one of a group of two or more (a small data set still gets a validation set);
    // a group of one stays in training.
    const held = ids.length >= 2 && fraction > 0 ? Math.max(1, Math.round(fraction * ids.length)) : 0;
    for (const id of ids.slice(0, held)) out.add(id);
  }
  return out;
};

export interface CrystalMetrics {
  name: string;
  /** RMS force on the atoms of the experimental crystal (eV/A) and its static pressure (GPa). */
  forceRmsEvA: number;
  pressureGPa: number;
}

export interface FittedParameter extends FitParameter {
  value: number;
  /** Standard uncertainty from the Jacobian: sqrt of the diagonal of s^2 (J^T J)^-1. */
  sigma: number;
  atBound: boolean;
}

export interface FitResult {
  forceField: ForceField;
  parameters: FittedParameter[];
  /** Correlation matrix of the parameters (row-major). */
  correlation: number[][];
  chi2Start: number;
  chi2: number;
  residualCount: number;
  iterations: number;
  converged: boolean;
  trainingIds: number[];
  validationIds: number[];
  /** Configurations the force field cannot type (with the reason), left out of both sets. */
  excluded: { id: number; reason: string }[];
  /** Metrics: baseline (e.g. laoc-v4), start, fitted; training and validation. */
  metrics: Record<'baseline' | 'start' | 'fitted', { training: SetMetrics; validation: SetMetrics }>;
  /**
   * The fitted force field on only the configurations the baseline can type, when it cannot type
   * them all (a bonded baseline on bonds pulled apart): what the fitted-to-baseline ratios compare.
   */
  fittedOnBaselineSet?: { training: SetMetrics; validation: SetMetrics };
  crystals: Record<'baseline' | 'start' | 'fitted', CrystalMetrics[]>;
  /** Per parameter: the validation force RMSE by element with that parameter back at its start value. */
  ablation: { path: string; forceRmseEvA: Record<string, number> }[];
}

interface Prepared {
  config: ReferenceConfiguration | undefined;
  crystal?: CrystalTarget;
  /** Energy (kcal/mol), forces and virial of the configuration for a force field of the fit. */
  sums: ConfigurationSums;
  elements: string[];
  volume: number;
  natoms: number;
}

/** modelOutputs, or undefined where polarisable ions' shells run away (as forceFieldOutputs). */
const outputsOrNone = (p: Prepared, ff: ForceField): ModelOutputs | undefined => {
  try {
    return modelOutputs(p, ff);
  } catch (e) {
    if (e instanceof PhysicsError && ff.shells) return undefined;
    throw e;
  }
};

/** Model energy (eV), forces (eV/A), stress (eV/A^3, xx yy zz xy xz yz, tensile positive). */
const modelOutputs = (p: Prepared, ff: ForceField): ModelOutputs => {
  const t = p.sums(ff);
  return {
    energyEv: t.energy / EV_IN_KCAL_PER_MOL,
    forcesEvA: t.forces.map((f) => f / EV_IN_KCAL_PER_MOL),
    stressEvA3: t.virial.map((w) => -w / EV_IN_KCAL_PER_MOL / p.volume),
  };
};

/**
 * Evaluations of one configuration for the force fields of a fit: energy (kcal/mol), forces
 * (kcal/mol/A) and virial (kcal/mol) as energy.ts gives them.
 */
export type ConfigurationSums = (ff: ForceField) => TermSums;

/**
 * How a fit of polarisable ions evaluates a configuration (the shells relaxed anew for every
 * parameter set: where they sit depends on all of them). The default is the reference sum
 * (energy.ts, over every periodic image); md/shell-kernel.ts's relaxedShellSums is the same
 * through the MD kernel's pair list, much faster, which the command line passes. Both settle the
 * shells to 1e-8 kcal/mol/A: the Jacobian's differences are 1e-6 of each parameter.
 */
export type ShellSumsFactory = (s: Structure, lattice: Lattice) => ConfigurationSums;

const referenceShellSums: ShellSumsFactory = (s, lattice) => (ff) => {
  const e = computeEnergy(s.frame.positions, lattice, typeSystem(s, ff), ff, {
    shells: { toleranceKcalMolA: 1e-8 },
  });
  return { energy: e.termsKcalMol.total, forces: e.forcesKcalMolA, virial: e.virialKcalMol };
};

/** Through the configuration's decomposition (decomposition.ts: only the moved terms per evaluation), or in full for shells. */
const sumsFor = (
  s: Structure,
  lattice: Lattice,
  sys: TypedSystem,
  ff0: ForceField,
  params: FitParameter[],
  shellSums: ShellSumsFactory,
): ConfigurationSums => {
  if (ff0.shells) return shellSums(s, lattice);
  const dec = decompose(s.frame.positions, lattice, sys, ff0, params);
  return (ff) => evaluateDecomposed(dec, ff);
};

const elementsOf = (s: Structure): string[] =>
  Array.from({ length: s.topology.natoms }, (_, i) => s.topology.symbol(i));

export const fitForceField = (
  spec: FitSpec,
  configs: readonly ReferenceConfiguration[],
  crystals: readonly CrystalTarget[],
  onProgress?: (what: string) => void,
  shellSums: ShellSumsFactory = referenceShellSums,
): FitResult => {
  const startFf = withBornTerms(spec.start, spec.born, spec.name);
  for (const p of spec.parameters) checkParameter(startFf, p);
  const params = spec.parameters;
  const initial = params.map((p) => p.initial);
  const ff0 = applyParameters(startFf, params, initial);
  const validation = validationSplit(configs, spec.validationFraction, spec.seed);
  const excluded: { id: number; reason: string }[] = [];
  const prepare = (
    s: Structure,
    config?: ReferenceConfiguration,
    crystal?: CrystalTarget,
  ): Prepared | undefined => {
    const lattice = s.frame.lattice;
    if (!lattice)
      throw new OptionError(
        `${config ? `configuration ${config.id}` : crystal?.name}: needs a periodic cell`,
      );
    try {
      const sys = typeSystem(s, ff0);
      const sums = sumsFor(s, lattice, sys, ff0, params, shellSums);
      // Polarisable ions: a configuration whose shells run away at the start is left out, as one
      // that cannot be typed (the reason says so).
      if (ff0.shells) sums(ff0);
      return {
        config,
        crystal,
        sums,
        elements: elementsOf(s),
        volume: lattice.volume,
        natoms: sys.natoms,
      };
    } catch (e) {
      if (!config) throw e;
      excluded.push({ id: config.id, reason: (e as Error).message });
      return undefined;
    }
  };
  const training: Prepared[] = [];
  const held: Prepared[] = [];
  configs.forEach((c, k) => {
    if (k % 10 === 0) onProgress?.(`preparing configuration ${k + 1} of ${configs.length}`);
    const p = prepare(c.structure, c);
    if (p) (validation.has(c.id) ? held : training).push(p);
  });
  if (training.length === 0 && crystals.length === 0)
    throw new InsufficientDataError('no training configurations left to fit, and no crystal targets');
  const crystalSet = crystals.map((c) => prepare(c.structure, undefined, c)!);

  // Normalisation: RMS of the reference force components of each element over the training set.
  const sumSq = new Map<string, number>();
  const count = new Map<string, number>();
  for (const p of training)
    p.elements.forEach((e, i) => {
      for (let x = 0; x < 3; x++) {
        sumSq.set(e, (sumSq.get(e) ?? 0) + p.config!.forcesEvA[3 * i + x] ** 2);
        count.set(e, (count.get(e) ?? 0) + 1);
      }
    });
  const forceScale = new Map([...sumSq].map(([e, s]) => [e, Math.sqrt(s / count.get(e)!)]));
  const groupOf = (p: Prepared) => compositionKey(p.config!.structure);
  const groupSize = new Map<string, number>();
  for (const p of training)
    if (p.config!.energyEv !== undefined) groupSize.set(groupOf(p), (groupSize.get(groupOf(p)) ?? 0) + 1);
  const energyCount = training.filter(
    (p) => p.config!.energyEv !== undefined && groupSize.get(groupOf(p))! > 1,
  ).length;
  const stressCount = 6 * training.filter((p) => p.config!.stressEvA3).length;
  const crystalComponents = crystalSet.reduce((s, p) => s + 3 * p.natoms, 0);
  const stressUnit = spec.stressScaleGPa / EV_PER_A3_IN_GPA;
  const w = spec.weights;
  // An element with no reference forces (a crystal-only element): 1 eV/A as its unit of misfit.
  const elementScale = (e: string) => forceScale.get(e) ?? 1;

  const residuals = (values: Float64Array): Float64Array => {
    const ff = applyParameters(startFf, params, values);
    const r: number[] = [];
    const eDiff = new Map<string, number[]>();
    const eRows: { g: string; d: number }[] = [];
    for (const p of training) {
      const m = modelOutputs(p, ff);
      const c = p.config!;
      p.elements.forEach((e, i) => {
        const f = Math.sqrt(w.forces / count.get(e)! / forceScale.size) / elementScale(e);
        for (let x = 0; x < 3; x++) r.push((m.forcesEvA[3 * i + x] - c.forcesEvA[3 * i + x]) * f);
      });
      if (c.stressEvA3 && stressCount > 0) {
        const ref = voigt(c.stressEvA3);
        const f = Math.sqrt(w.stresses / stressCount) / stressUnit;
        for (let k = 0; k < 6; k++) r.push((m.stressEvA3[k] - ref[k]) * f);
      }
      if (c.energyEv !== undefined && groupSize.get(groupOf(p))! > 1) {
        const g = groupOf(p);
        const d = (m.energyEv - c.energyEv) / p.natoms;
        if (!eDiff.has(g)) eDiff.set(g, []);
        eDiff.get(g)!.push(d);
        eRows.push({ g, d });
      }
    }
    const mean = new Map([...eDiff].map(([g, ds]) => [g, ds.reduce((a, b) => a + b, 0) / ds.length]));
    for (const { g, d } of eRows)
      r.push(((d - mean.get(g)!) / spec.energyScaleEvPerAtom) * Math.sqrt(w.energies / energyCount));
    for (const p of crystalSet) {
      const m = modelOutputs(p, ff);
      p.elements.forEach((e, i) => {
        const f = Math.sqrt(w.crystalForces / crystalComponents) / elementScale(e);
        for (let x = 0; x < 3; x++) r.push(m.forcesEvA[3 * i + x] * f);
      });
      const f = Math.sqrt(w.crystalStress / (6 * crystalSet.length)) / stressUnit;
      for (let k = 0; k < 6; k++) r.push(m.stressEvA3[k] * f);
    }
    return Float64Array.from(r);
  };

  const r0 = residuals(Float64Array.from(initial));
  const chi2Start = r0.reduce((s, v) => s + v * v, 0);
  onProgress?.(
    `fitting ${params.length} parameters to ${r0.length} residuals (chi2 ${chi2Start.toPrecision(4)})`,
  );
  const lm = levenbergMarquardt(
    residuals,
    initial,
    params.map((p) => p.lower),
    params.map((p) => p.upper),
    {
      maxIterations: spec.maxIterations,
      tolerance: 1e-6,
      onIteration: (it, chi2) => onProgress?.(`iteration ${it}: chi2 ${chi2.toPrecision(6)}`),
    },
  );
  const n = params.length;
  const m = lm.residuals.length;
  // Covariance s^2 (J^T J)^-1 with s^2 = chi^2 / (m - n): the weights are not variances, so the
  // residual scatter sets the scale (and residuals of one configuration are correlated: these are
  // lower bounds; docs/FORCEFIELD-NOTES.md).
  const JtJ = new Float64Array(n * n);
  for (let i = 0; i < m; i++)
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) JtJ[a * n + b] += lm.jacobian[i * n + a] * lm.jacobian[i * n + b];
  const inv = invertSpd(JtJ, n);
  const s2 = lm.chi2 / Math.max(1, m - n);
  const cov = inv ? inv.map((v) => v * s2) : new Float64Array(n * n).fill(Number.POSITIVE_INFINITY);
  const sigma = params.map((_, a) => Math.sqrt(cov[a * n + a]));
  const correlation = params.map((_, a) =>
    params.map((__, b) => (inv ? cov[a * n + b] / Math.sqrt(cov[a * n + a] * cov[b * n + b]) : Number.NaN)),
  );
  const fitted = applyParameters(startFf, params, lm.p);
  const forceField: ForceField = { ...fitted, name: spec.name, description: spec.description };

  const metricsOf = (set: Prepared[], outputs: (p: Prepared) => ModelOutputs | undefined): SetMetrics =>
    setMetrics(set as (Prepared & { config: ReferenceConfiguration })[], outputs);
  // The baseline is evaluated in full (its own typing and charges), not through the decomposition.
  const baselineOutputs = (p: Prepared) =>
    forceFieldOutputs(spec.baseline, p.config?.structure ?? p.crystal!.structure);
  const crystalMetrics = (
    outputs: (p: Prepared) => ModelOutputs | undefined,
    model = spec.baseline.name,
  ): CrystalMetrics[] =>
    crystalSet.map((p) => {
      const o = outputs(p);
      if (!o)
        throw new PhysicsError(
          `crystal target ${p.crystal!.name}: ${model} cannot type it or its shells run away there`,
        );
      let s = 0;
      for (const f of o.forcesEvA) s += f * f;
      return {
        name: p.crystal!.name,
        forceRmsEvA: Math.sqrt(s / o.forcesEvA.length),
        pressureGPa: (-(o.stressEvA3[0] + o.stressEvA3[1] + o.stressEvA3[2]) / 3) * EV_PER_A3_IN_GPA,
      };
    });
  onProgress?.('metrics');
  const cacheBaseline = new Map<Prepared, ModelOutputs | undefined>();
  const baseline = (p: Prepared) => {
    if (!cacheBaseline.has(p)) cacheBaseline.set(p, baselineOutputs(p));
    return cacheBaseline.get(p);
  };
  const both = (outputs: (p: Prepared) => ModelOutputs | undefined) => ({
    training: metricsOf(training, outputs),
    validation: metricsOf(held, outputs),
  });
  const result: FitResult = {
    forceField,
    parameters: params.map((p, a) => ({
      ...p,
      value: lm.p[a],
      sigma: sigma[a],
      atBound: lm.p[a] <= p.lower || lm.p[a] >= p.upper,
    })),
    correlation,
    chi2Start,
    chi2: lm.chi2,
    residualCount: m,
    iterations: lm.iterations,
    converged: lm.converged,
    trainingIds: training.map((p) => p.config!.id),
    validationIds: held.map((p) => p.config!.id),
    excluded,
    metrics: {
      baseline: both(baseline),
      start: both((p) => outputsOrNone(p, ff0)),
      fitted: both((p) => outputsOrNone(p, fitted)),
    },
    fittedOnBaselineSet: [...training, ...held].some((p) => baseline(p) === undefined)
      ? {
          training: metricsOf(
            training.filter((p) => baseline(p) !== undefined),
            (p) => outputsOrNone(p, fitted),
          ),
          validation: metricsOf(
            held.filter((p) => baseline(p) !== undefined),
            (p) => outputsOrNone(p, fitted),
          ),
        }
      : undefined,
    crystals: {
      baseline: crystalMetrics(baseline),
      start: crystalMetrics((p) => outputsOrNone(p, ff0), spec.start.name),
      fitted: crystalMetrics((p) => outputsOrNone(p, fitted), spec.name),
    },
    ablation: params.map((p, a) => {
      const values = Float64Array.from(lm.p);
      values[a] = p.initial;
      const ff = applyParameters(startFf, params, values);
      return { path: p.path, forceRmseEvA: metricsOf(held, (q) => outputsOrNone(q, ff)).forceRmseEvA };
    }),
  };
  return result;
};
