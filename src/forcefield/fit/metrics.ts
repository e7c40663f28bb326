import { OptionError, PhysicsError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import { EV_IN_KCAL_PER_MOL, EV_PER_A3_IN_GPA } from '../../core/units.js';
import { computeEnergy } from '../energy.js';
import type { ForceField } from '../force-field.js';
import { typeSystem } from '../typing.js';

/**
 * How far a force field is from ab initio reference data: per-element RMS force errors, energies
 * relative within groups of one composition, stress components. Used by the fit (training and
 * validation sets) and by `oligolyte ff errors` (any force field on any reference file).
 */

/** One reference configuration (energies eV, forces eV/A, stress eV/A^3 positive = tensile). */
export interface ReferenceConfiguration {
  /** 1-based index in the data set (as read), and where it came from. */
  id: number;
  source: string;
  structure: Structure;
  energyEv?: number;
  forcesEvA: Float64Array;
  /** 3x3 row-major. */
  stressEvA3?: Float64Array;
}

/** A model's energy (eV), forces (eV/A) and stress (eV/A^3, xx yy zz xy xz yz, tensile positive). */
export interface ModelOutputs {
  energyEv: number;
  forcesEvA: Float64Array;
  stressEvA3: Float64Array;
}

/** Reference stress as xx yy zz xy xz yz from a 3x3 row-major tensor. */
export const voigt = (s: Float64Array): number[] => [s[0], s[4], s[8], s[1], s[2], s[5]];

/** The composition of a structure as a key ("Al24 Cl64 Li24 O16"). */
export const compositionKey = (s: Structure): string => {
  const count = new Map<string, number>();
  for (let i = 0; i < s.topology.natoms; i++) {
    const e = s.topology.symbol(i);
    count.set(e, (count.get(e) ?? 0) + 1);
  }
  return [...count.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([e, n]) => `${e}${n}`)
    .join(' ');
};

/** Errors of a force field on a set of configurations. */
export interface SetMetrics {
  configurations: number;
  /** RMS force error by element (eV/A) and the RMS of the reference forces themselves. */
  forceRmseEvA: Record<string, number>;
  referenceForceRmsEvA: Record<string, number>;
  /** RMS error of energies relative within composition groups (meV/atom); undefined without groups of two or more. */
  relativeEnergyRmseMeVPerAtom?: number;
  /** RMS error of stress components (GPa), over configurations with a reference stress. */
  stressRmseGPa?: number;
  /** Configurations the force field cannot evaluate (it cannot type them), left out of the numbers above. */
  skipped: number;
}

/**
 * A force field's outputs on one structure, in full (its own typing and charges; energy.ts), or
 * undefined where it cannot type the structure (a bonded force field on a configuration with a
 * bond pulled apart: an O bonded to one Al) or, with polarisable ions, its shells run away there
 * (shells.ts: the model has no energy at that configuration).
 */
export const forceFieldOutputs = (ff: ForceField, s: Structure): ModelOutputs | undefined => {
  let sys: ReturnType<typeof typeSystem>;
  try {
    sys = typeSystem(s, ff);
  } catch (e) {
    if (e instanceof OptionError) return undefined;
    throw e;
  }
  let e: ReturnType<typeof computeEnergy>;
  try {
    e = computeEnergy(s.frame.positions, s.frame.lattice!, sys, ff);
  } catch (err) {
    if (err instanceof PhysicsError && ff.shells) return undefined;
    throw err;
  }
  return {
    energyEv: e.termsKcalMol.total / EV_IN_KCAL_PER_MOL,
    forcesEvA: e.forcesKcalMolA.map((f) => f / EV_IN_KCAL_PER_MOL),
    stressEvA3: e.virialKcalMol.map((v) => -v / EV_IN_KCAL_PER_MOL / s.frame.lattice!.volume),
  };
};

/** The errors of model outputs against the reference configurations of a set. */
export const setMetrics = <T extends { config: ReferenceConfiguration }>(
  set: readonly T[],
  outputs: (p: T) => ModelOutputs | undefined,
): SetMetrics => {
  let skipped = 0;
  const se = new Map<string, number>();
  const sr = new Map<string, number>();
  const cnt = new Map<string, number>();
  const byGroup = new Map<string, number[]>();
  let sStress = 0;
  let nStress = 0;
  for (const p of set) {
    const o = outputs(p);
    if (!o) {
      skipped++;
      continue;
    }
    const c = p.config;
    const t = c.structure.topology;
    for (let i = 0; i < t.natoms; i++) {
      const e = t.symbol(i);
      for (let x = 0; x < 3; x++) {
        se.set(e, (se.get(e) ?? 0) + (o.forcesEvA[3 * i + x] - c.forcesEvA[3 * i + x]) ** 2);
        sr.set(e, (sr.get(e) ?? 0) + c.forcesEvA[3 * i + x] ** 2);
        cnt.set(e, (cnt.get(e) ?? 0) + 1);
      }
    }
    if (c.stressEvA3) {
      const ref = voigt(c.stressEvA3);
      for (let k = 0; k < 6; k++) sStress += ((o.stressEvA3[k] - ref[k]) * EV_PER_A3_IN_GPA) ** 2;
      nStress += 6;
    }
    if (c.energyEv !== undefined) {
      const g = compositionKey(c.structure);
      if (!byGroup.has(g)) byGroup.set(g, []);
      byGroup.get(g)!.push((o.energyEv - c.energyEv) / t.natoms);
    }
  }
  let sE = 0;
  let nE = 0;
  for (const ds of byGroup.values()) {
    if (ds.length < 2) continue;
    const mean = ds.reduce((a, b) => a + b, 0) / ds.length;
    for (const d of ds) sE += ((d - mean) * 1000) ** 2;
    nE += ds.length;
  }
  const sorted = [...cnt.keys()].sort();
  return {
    configurations: set.length - skipped,
    skipped,
    forceRmseEvA: Object.fromEntries(sorted.map((e) => [e, Math.sqrt(se.get(e)! / cnt.get(e)!)])),
    referenceForceRmsEvA: Object.fromEntries(sorted.map((e) => [e, Math.sqrt(sr.get(e)! / cnt.get(e)!)])),
    relativeEnergyRmseMeVPerAtom: nE > 0 ? Math.sqrt(sE / nE) : undefined,
    stressRmseGPa: nStress > 0 ? Math.sqrt(sStress / nStress) : undefined,
  };
};
