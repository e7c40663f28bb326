// laoc-v1 with the calibration's knobs changed; every knob is a documented kind of change of issue 6
// (charge scale, O and Al charges, LJ sizes and depths, explicit unlike pair terms instead of mixing).
import { CL_TYPES, type ForceField, LAOC_V1 } from '../src/forcefield/force-field.js';

export interface Candidate {
  name: string;
  /** Charge scale (laoc-v1: 0.8). */
  scale?: number;
  /** Lennard-Jones sigma (A) and epsilon (kcal/mol) of every Cl type, of Li and of O_br. */
  clSigma?: number;
  clEps?: number;
  liSigma?: number;
  liEps?: number;
  oSigma?: number;
  /** Fixed charges (e, before scaling) of O_br and of the trimer Al (laoc-v1: -0.75 and 0.7); the
   * Cl charges follow from each oligomer's neutrality (the laoc charge rule). */
  oCharge?: number;
  alCharge?: number;
  /** Force constant of the O/Cl-Al-O/Cl angles (kcal/mol/rad^2; laoc-v1: 50). */
  alAngleK?: number;
  /** Explicit unlike pair terms by element pair, e.g. {"Li-Cl": {"sigma": 2.6, "epsilon": 0.1}}:
   * "Cl" stands for every Cl type, "O" for O_br; a like pair ("Cl-Cl") is set by clSigma/clEps. */
  pairs?: Record<string, { sigma: number; epsilon: number }>;
}

const typesOf = (element: string): string[] =>
  element === 'Cl' ? CL_TYPES : element === 'O' ? ['O_br'] : [element];

export const candidateForceField = (v: Candidate): ForceField => {
  const ff = structuredClone(LAOC_V1);
  ff.name = v.name;
  ff.description = `calibration candidate ${JSON.stringify(v)}`;
  if (v.scale) ff.charges.scale = v.scale;
  for (const t of CL_TYPES) {
    if (v.clSigma) ff.atomTypes[t].sigma = v.clSigma;
    if (v.clEps) ff.atomTypes[t].epsilon = v.clEps;
  }
  if (v.liSigma) ff.atomTypes.Li.sigma = v.liSigma;
  if (v.liEps) ff.atomTypes.Li.epsilon = v.liEps;
  if (v.oSigma) ff.atomTypes.O_br.sigma = v.oSigma;
  if (v.oCharge !== undefined) ff.charges.fixed.O_br = v.oCharge;
  if (v.alCharge !== undefined) ff.charges.fixed.Al = v.alCharge;
  if (v.alAngleK) ff.angles['*-Al-*'] = { ...ff.angles['*-Al-*'], k: v.alAngleK };
  if (v.pairs) {
    ff.pairs = {};
    for (const [key, p] of Object.entries(v.pairs)) {
      const [a, b] = key.split('-');
      // Like pairs are the types' own parameters (clSigma, clEps), which the mixing of the rest uses.
      if (a === b) throw new Error(`pairs.${key}: set a like pair through the type's sigma and epsilon`);
      for (const ta of typesOf(a))
        for (const tb of typesOf(b))
          if (ta !== tb && !ff.pairs[`${tb}-${ta}`]) ff.pairs[`${ta}-${tb}`] = { ...p };
    }
  }
  return ff;
};
