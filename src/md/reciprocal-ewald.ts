import type { Lattice } from '../core/lattice.js';
import { QQR2E_REAL } from '../core/units.js';

/**
 * The reciprocal-space Ewald sum for a fixed cell, per step in O(N x k-vectors): the k-vectors
 * (half of k-space within |k| < 2 alpha sqrt(-ln accuracy)) and their weights are set up once, and
 * exp(i k . r_j) is built from powers of exp(2 pi i f_j) along each axis by recursion, so no
 * trigonometric call is made per k-vector and atom. Same formulas as forcefield/energy.ts.
 */
export class ReciprocalEwald {
  private readonly h: Int32Array;
  private readonly k: Int32Array;
  private readonly l: Int32Array;
  private readonly kvec: Float64Array;
  private readonly weight: Float64Array;
  private readonly virialFactor: Float64Array;
  private readonly range: [number, number, number];
  private pref: number;
  private readonly n: number;
  /** exp(2 pi i m f_j) for m = -range..range along each axis: [axis][j][m] as (re, im). */
  private readonly powers: Float64Array[];
  private readonly cr: Float64Array;
  private readonly ci: Float64Array;

  constructor(
    private lattice: Lattice,
    private readonly q: Float64Array,
    private readonly alpha: number,
    lnInverseAccuracy: number,
  ) {
    const inv = lattice.inverse;
    const m = lattice.matrix;
    const kc = 2 * alpha * Math.sqrt(lnInverseAccuracy);
    this.range = [0, 1, 2].map((i) =>
      Math.ceil((kc * Math.hypot(m[3 * i], m[3 * i + 1], m[3 * i + 2])) / (2 * Math.PI)),
    ) as [number, number, number];
    this.pref = (4 * Math.PI * QQR2E_REAL) / lattice.volume;
    const H: number[] = [];
    const K: number[] = [];
    const Lz: number[] = [];
    const V: number[] = [];
    const Wt: number[] = [];
    const VF: number[] = [];
    for (let h = 0; h <= this.range[0]; h++)
      for (let k = -this.range[1]; k <= this.range[1]; k++)
        for (let l = -this.range[2]; l <= this.range[2]; l++) {
          if (h === 0 && (k < 0 || (k === 0 && l <= 0))) continue;
          const kx = 2 * Math.PI * (inv[0] * h + inv[1] * k + inv[2] * l);
          const ky = 2 * Math.PI * (inv[3] * h + inv[4] * k + inv[5] * l);
          const kz = 2 * Math.PI * (inv[6] * h + inv[7] * k + inv[8] * l);
          const k2 = kx * kx + ky * ky + kz * kz;
          if (k2 >= kc * kc) continue;
          H.push(h);
          K.push(k);
          Lz.push(l);
          V.push(kx, ky, kz);
          Wt.push(Math.exp(-k2 / (4 * alpha * alpha)) / k2);
          VF.push(2 * (1 / k2 + 1 / (4 * alpha * alpha)));
        }
    this.h = Int32Array.from(H);
    this.k = Int32Array.from(K);
    this.l = Int32Array.from(Lz);
    this.kvec = Float64Array.from(V);
    this.weight = Float64Array.from(Wt);
    this.virialFactor = Float64Array.from(VF);
    this.n = q.length;
    this.powers = this.range.map((r) => new Float64Array(this.n * 2 * (2 * r + 1)));
    this.cr = new Float64Array(this.n);
    this.ci = new Float64Array(this.n);
  }

  /**
   * A new cell (NPT): the same (h, k, l) set, with k-vectors, weights and prefactor of the new
   * cell, so that the energy stays a smooth function of the cell (a set re-chosen by the cutoff
   * would jump as vectors cross it). The set was chosen for the starting cell's accuracy; cells
   * that change by a few per cent keep it.
   */
  setLattice(lattice: Lattice): void {
    this.lattice = lattice;
    const inv = lattice.inverse;
    const a2 = 4 * this.alpha * this.alpha;
    this.pref = (4 * Math.PI * QQR2E_REAL) / lattice.volume;
    for (let t = 0; t < this.weight.length; t++) {
      const h = this.h[t];
      const k = this.k[t];
      const l = this.l[t];
      const kx = 2 * Math.PI * (inv[0] * h + inv[1] * k + inv[2] * l);
      const ky = 2 * Math.PI * (inv[3] * h + inv[4] * k + inv[5] * l);
      const kz = 2 * Math.PI * (inv[6] * h + inv[7] * k + inv[8] * l);
      const k2 = kx * kx + ky * ky + kz * kz;
      this.kvec[3 * t] = kx;
      this.kvec[3 * t + 1] = ky;
      this.kvec[3 * t + 2] = kz;
      this.weight[t] = Math.exp(-k2 / a2) / k2;
      this.virialFactor[t] = 2 * (1 / k2 + 1 / a2);
    }
  }

  /** Number of k-vectors. */
  get size(): number {
    return this.weight.length;
  }

  /**
   * Adds the reciprocal forces and virial of k-vectors kFrom..kTo-1 (default all); returns their
   * energy (kcal/mol).
   */
  compute(positions: Float64Array, F: Float64Array, W: Float64Array, kFrom = 0, kTo = this.size): number {
    const n = this.n;
    const frac = this.lattice.toFractional(positions);
    for (let axis = 0; axis < 3; axis++) {
      const r = this.range[axis];
      const width = 2 * r + 1;
      const P = this.powers[axis];
      for (let j = 0; j < n; j++) {
        const theta = 2 * Math.PI * frac[3 * j + axis];
        const c1 = Math.cos(theta);
        const s1 = Math.sin(theta);
        const base = 2 * (j * width + r);
        P[base] = 1;
        P[base + 1] = 0;
        for (let m = 1; m <= r; m++) {
          const pr = P[base + 2 * (m - 1)];
          const pi = P[base + 2 * (m - 1) + 1];
          P[base + 2 * m] = pr * c1 - pi * s1;
          P[base + 2 * m + 1] = pr * s1 + pi * c1;
          P[base - 2 * m] = P[base + 2 * m];
          P[base - 2 * m + 1] = -P[base + 2 * m + 1];
        }
      }
    }
    const [ra, rb, rc] = this.range;
    const wa = 2 * ra + 1;
    const wb = 2 * rb + 1;
    const wc = 2 * rc + 1;
    const [Pa, Pb, Pc] = this.powers;
    const q = this.q;
    const cr = this.cr;
    const ci = this.ci;
    let energy = 0;
    for (let t = kFrom; t < kTo; t++) {
      const h = this.h[t];
      const k = this.k[t];
      const l = this.l[t];
      let sc = 0;
      let ss = 0;
      for (let j = 0; j < n; j++) {
        const ia = 2 * (j * wa + ra + h);
        const ib = 2 * (j * wb + rb + k);
        const ic = 2 * (j * wc + rc + l);
        const xr = Pa[ia] * Pb[ib] - Pa[ia + 1] * Pb[ib + 1];
        const xi = Pa[ia] * Pb[ib + 1] + Pa[ia + 1] * Pb[ib];
        const yr = xr * Pc[ic] - xi * Pc[ic + 1];
        const yi = xr * Pc[ic + 1] + xi * Pc[ic];
        cr[j] = yr;
        ci[j] = yi;
        sc += q[j] * yr;
        ss += q[j] * yi;
      }
      const A = this.weight[t];
      const e = this.pref * A * (sc * sc + ss * ss);
      energy += e;
      const kx = this.kvec[3 * t];
      const ky = this.kvec[3 * t + 1];
      const kz = this.kvec[3 * t + 2];
      const g0 = 2 * this.pref * A;
      for (let j = 0; j < n; j++) {
        const g = g0 * q[j] * (sc * ci[j] - ss * cr[j]);
        F[3 * j] += g * kx;
        F[3 * j + 1] += g * ky;
        F[3 * j + 2] += g * kz;
      }
      const b = this.virialFactor[t];
      W[0] += e * (1 - b * kx * kx);
      W[1] += e * (1 - b * ky * ky);
      W[2] += e * (1 - b * kz * kz);
      W[3] -= e * b * kx * ky;
      W[4] -= e * b * kx * kz;
      W[5] -= e * b * ky * kz;
    }
    return energy;
  }
}
