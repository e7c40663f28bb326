import { type BornTables, erfc } from '../forcefield/energy.js';
import type { PairList } from './pair-list.js';

/**
 * The pair part of the MD force field (LJ 12-6 with optional energy shift, and Coulomb as DSF or
 * Ewald's real-space term), over a PairList: the hot loop of the engine, shared by the main thread
 * and the force worker threads. Same formulas as forcefield/energy.ts (the reference the tests
 * compare with):
 *   E_LJ = 4 eps [(s/r)^12 - (s/r)^6] - E_LJ(rc)   (shift on)
 *   E_B  = a exp((sigma - r)/rho) - c/r^6 + d/r^8 - E_B(rc)   (Born-Mayer-Huggins pairs, instead of LJ)
 *   E_C  = C qi qj [erfc(a r)/r - erfc(a rc)/rc + (r - rc) F_shift]   (DSF; Ewald: both shifts 0)
 * erfc(a r) and exp(-a^2 r^2) come from cubic Hermite tables.
 */
export interface PairParams {
  /** Number of atom types; LJ tables are indexed type_i * nt + type_j. */
  nt: number;
  type: Int32Array;
  /** Charges times sqrt(C), C = 332.06371 kcal A / (mol e^2), so that qi qj is C qi qj. */
  scaledCharge: Float64Array;
  lj1: Float64Array;
  lj2: Float64Array;
  offset: Float64Array;
  /** Born-Mayer-Huggins coefficients by type pair (forcefield/energy.ts bornTables). */
  born: BornTables;
  cutoff2: number;
  alpha: number;
  /** DSF energy and force shifts (zero for Ewald). */
  eShift: number;
  fShift: number;
}

/** Accumulator slots: LJ energy, Coulomb energy, virial xx yy zz xy xz yz (kcal/mol). */
export const ACC_SIZE = 8;

const TABLE_STEP = 1 / 1024;
const TABLE_MAX = 6;
const TABLE_N = Math.ceil(TABLE_MAX / TABLE_STEP) + 2;
/**
 * erfc(x) and exp(-x^2) on a grid of x, with their derivatives times the step, interleaved per
 * grid point (erfc, erfc' h, exp, exp' h) for cubic Hermite interpolation: no exp per pair
 * (Math.exp costs as much as the rest of a pair). Interpolation error below 1e-14 absolute.
 */
const TABLE = new Float64Array(4 * TABLE_N);
/** The table (read only), for the WebAssembly kernel (pair-kernel-wasm.ts; its step is 1/1024 too). */
export const ERFC_GAUSSIAN_TABLE: Readonly<Float64Array> = TABLE;
export const ERFC_TABLE_STEP = TABLE_STEP;
for (let k = 0; k < TABLE_N; k++) {
  const x = k * TABLE_STEP;
  const g = Math.exp(-x * x);
  TABLE[4 * k] = erfc(x);
  TABLE[4 * k + 1] = (-2 / Math.sqrt(Math.PI)) * g * TABLE_STEP;
  TABLE[4 * k + 2] = g;
  TABLE[4 * k + 3] = -2 * x * g * TABLE_STEP;
}
/** Below this x the table applies; beyond, exact functions (erfc(6) is 2e-17). */
export const ERFC_TABLE_MAX = TABLE_MAX;

/** erfc(x) and exp(-x^2) for x >= 0, into out[0] and out[1]. */
export const erfcAndGaussian = (x: number, out: Float64Array): void => {
  if (x >= TABLE_MAX) {
    out[0] = erfc(x);
    out[1] = Math.exp(-x * x);
    return;
  }
  const u = x * (1 / TABLE_STEP);
  const k = u | 0;
  const t = u - k;
  const t2 = t * t;
  const h01 = t2 * (3 - 2 * t);
  const h11 = t2 * (t - 1);
  const h10 = h11 - t2 + t;
  const h00 = 1 - h01;
  const b = 4 * k;
  out[0] = TABLE[b] * h00 + TABLE[b + 1] * h10 + TABLE[b + 4] * h01 + TABLE[b + 5] * h11;
  out[1] = TABLE[b + 2] * h00 + TABLE[b + 3] * h10 + TABLE[b + 6] * h01 + TABLE[b + 7] * h11;
};

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * Ordinary pairs of atoms from..to-1: forces added into `forces`, energies and virial written
 * into acc[0..7] (overwritten).
 */
export const ordinaryPairForces = (
  list: PairList,
  from: number,
  to: number,
  x: Float64Array,
  shifts: Float64Array,
  P: PairParams,
  forces: Float64Array,
  acc: Float64Array,
): void => {
  const { start, nbr, img } = list;
  const { nt, type, scaledCharge: q, lj1, lj2, offset, cutoff2: rc2, alpha, eShift, fShift } = P;
  const { on: bornOn, a: bornA, rhoInverse: bornRhoInv, c: bornC, d: bornD, offset: bornOffset } = P.born;
  const a2 = alpha * alpha;
  const twoAlphaOverSqrtPi = TWO_OVER_SQRT_PI * alpha;
  let eVdw = 0;
  let eCoul = 0;
  let wxx = 0;
  let wyy = 0;
  let wzz = 0;
  let wxy = 0;
  let wxz = 0;
  let wyz = 0;
  for (let i = from; i < to; i++) {
    const xi = x[3 * i];
    const yi = x[3 * i + 1];
    const zi = x[3 * i + 2];
    const ti = type[i] * nt;
    const qi = q[i];
    let fxi = 0;
    let fyi = 0;
    let fzi = 0;
    const end = start[i + 1];
    for (let p = start[i]; p < end; p++) {
      const j = nbr[p];
      const s = 3 * img[p];
      const dx = xi - x[3 * j] + shifts[s];
      const dy = yi - x[3 * j + 1] + shifts[s + 1];
      const dz = zi - x[3 * j + 2] + shifts[s + 2];
      const r2 = dx * dx + dy * dy + dz * dz;
      if (r2 >= rc2) continue;
      const t = ti + type[j];
      const inv2 = 1 / r2;
      const inv6 = inv2 * inv2 * inv2;
      const c12 = lj1[t] * inv6;
      const c6 = lj2[t];
      eVdw += inv6 * (c12 - c6) - offset[t];
      let fLj = inv6 * (12 * c12 - 6 * c6); // -dE/dr * r
      const r = Math.sqrt(r2);
      if (bornOn[t] === 1) {
        // Born-Mayer-Huggins (its LJ coefficients are zero): one exp, only for these pairs.
        const rexp = bornA[t] * Math.exp(-r * bornRhoInv[t]);
        const bc = bornC[t] * inv6;
        const bd = bornD[t] * inv6 * inv2;
        eVdw += rexp - bc + bd - bornOffset[t];
        fLj += rexp * r * bornRhoInv[t] - 6 * bc + 8 * bd;
      }
      const prefactor = (qi * q[j]) / r;
      // erfc(alpha r) and exp(-alpha^2 r^2) from the table: erfcAndGaussian written out, since a
      // call here (results through a scratch array) measured 5 % slower on the whole kernel.
      const xa = alpha * r;
      let erfcAr: number;
      let ex: number;
      if (xa < TABLE_MAX) {
        const u = xa * (1 / TABLE_STEP);
        const k = u | 0;
        const tt = u - k;
        const t2 = tt * tt;
        const h01 = t2 * (3 - 2 * tt);
        const h11 = t2 * (tt - 1);
        const h10 = h11 - t2 + tt;
        const h00 = 1 - h01;
        const b = 4 * k;
        erfcAr = TABLE[b] * h00 + TABLE[b + 1] * h10 + TABLE[b + 4] * h01 + TABLE[b + 5] * h11;
        ex = TABLE[b + 2] * h00 + TABLE[b + 3] * h10 + TABLE[b + 6] * h01 + TABLE[b + 7] * h11;
      } else {
        erfcAr = erfc(xa);
        ex = Math.exp(-a2 * r2);
      }
      eCoul += prefactor * (erfcAr - r * eShift - r2 * fShift);
      const fC = prefactor * (erfcAr + twoAlphaOverSqrtPi * r * ex + r2 * fShift);
      const fpair = (fC + fLj) * inv2;
      const fx = dx * fpair;
      const fy = dy * fpair;
      const fz = dz * fpair;
      fxi += fx;
      fyi += fy;
      fzi += fz;
      forces[3 * j] -= fx;
      forces[3 * j + 1] -= fy;
      forces[3 * j + 2] -= fz;
      wxx += dx * fx;
      wyy += dy * fy;
      wzz += dz * fz;
      wxy += dx * fy;
      wxz += dx * fz;
      wyz += dy * fz;
    }
    forces[3 * i] += fxi;
    forces[3 * i + 1] += fyi;
    forces[3 * i + 2] += fzi;
  }
  acc[0] = eVdw;
  acc[1] = eCoul;
  acc[2] = wxx;
  acc[3] = wyy;
  acc[4] = wzz;
  acc[5] = wxy;
  acc[6] = wxz;
  acc[7] = wyz;
};

/** erfc and Gaussian scratch of specialPairForces (one per thread's module), so that a call allocates nothing. */
const SPECIAL_EG = new Float64Array(2);

/**
 * Special pairs (scaled LJ and Coulomb; the excluded part of the Coulomb term removed in full,
 * as LAMMPS does for long-range and DSF styles) and self-images (weight 1/2, no force): forces
 * added, energies and virial added into acc.
 */
export const specialPairForces = (
  list: PairList,
  x: Float64Array,
  shifts: Float64Array,
  P: PairParams,
  forces: Float64Array,
  acc: Float64Array,
): void => {
  const { nt, type, scaledCharge: q, lj1, lj2, offset, cutoff2: rc2, alpha, eShift, fShift } = P;
  const eg = SPECIAL_EG;
  for (let p = 0; p < list.specialCount; p++) {
    const i = list.specialI[p];
    const j = list.specialJ[p];
    const s = 3 * list.specialImg[p];
    const dx = x[3 * i] - x[3 * j] + shifts[s];
    const dy = x[3 * i + 1] - x[3 * j + 1] + shifts[s + 1];
    const dz = x[3 * i + 2] - x[3 * j + 2] + shifts[s + 2];
    const r2 = dx * dx + dy * dy + dz * dz;
    if (r2 >= rc2) continue;
    const t = type[i] * nt + type[j];
    const w = list.specialWeight[p];
    const fl = list.specialLj[p];
    const fc = list.specialCoul[p];
    const inv2 = 1 / r2;
    const inv6 = inv2 * inv2 * inv2;
    let eLj = (inv6 * (lj1[t] * inv6 - lj2[t]) - offset[t]) * fl;
    let fLj = inv6 * (12 * lj1[t] * inv6 - 6 * lj2[t]) * fl;
    const r = Math.sqrt(r2);
    const born = P.born;
    if (born.on[t] === 1) {
      const rexp = born.a[t] * Math.exp(-r * born.rhoInverse[t]);
      const bc = born.c[t] * inv6;
      const bd = born.d[t] * inv6 * inv2;
      eLj += (rexp - bc + bd - born.offset[t]) * fl;
      fLj += (rexp * r * born.rhoInverse[t] - 6 * bc + 8 * bd) * fl;
    }
    const prefactor = (q[i] * q[j]) / r;
    erfcAndGaussian(alpha * r, eg);
    const erfcAr = eg[0];
    const ex = eg[1];
    let eC = prefactor * (erfcAr - r * eShift - r2 * fShift);
    let fC = prefactor * (erfcAr + TWO_OVER_SQRT_PI * alpha * r * ex + r2 * fShift);
    if (fc < 1) {
      eC -= (1 - fc) * prefactor;
      fC -= (1 - fc) * prefactor;
    }
    acc[0] += w * eLj;
    acc[1] += w * eC;
    const fpair = (fC + fLj) * inv2 * w;
    if (i !== j) {
      forces[3 * i] += dx * fpair;
      forces[3 * i + 1] += dy * fpair;
      forces[3 * i + 2] += dz * fpair;
      forces[3 * j] -= dx * fpair;
      forces[3 * j + 1] -= dy * fpair;
      forces[3 * j + 2] -= dz * fpair;
    }
    acc[2] += dx * dx * fpair;
    acc[3] += dy * dy * fpair;
    acc[4] += dz * dz * fpair;
    acc[5] += dx * dy * fpair;
    acc[6] += dx * dz * fpair;
    acc[7] += dy * dz * fpair;
  }
};
