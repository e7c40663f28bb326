import type { Lattice } from '../core/lattice.js';
import type { TypedSystem } from './typing.js';

/** Scratch vectors of dihedralTerms, so that a call (every MD step) allocates nothing. */
const rij = new Float64Array(3);
const rkj = new Float64Array(3);
const rkl = new Float64Array(3);
const rl = new Float64Array(3);
const m = new Float64Array(3);
const n = new Float64Array(3);
const fi = new Float64Array(3);
const fl = new Float64Array(3);
const Fj = new Float64Array(3);
const Fk = new Float64Array(3);

/** Adds r (x) f to the virial W (xx yy zz xy xz yz). */
const addVirial = (W: Float64Array, r: Float64Array, f: Float64Array): void => {
  W[0] += r[0] * f[0];
  W[1] += r[1] * f[1];
  W[2] += r[2] * f[2];
  W[3] += r[0] * f[1];
  W[4] += r[0] * f[2];
  W[5] += r[1] * f[2];
};

/**
 * Dihedral energy, forces and virial, LAMMPS dihedral_style harmonic: E = K [1 + d cos(n phi)].
 * With r_ij = r_i - r_j, r_kj = r_k - r_j, r_kl = r_k - r_l (minimum images), m = r_ij x r_kj and
 * n = r_kj x r_kl, phi = sign(r_ij . n) acos(m.n / |m||n|), and (Bekker, and Blondel and Karplus,
 * J. Comput. Chem. 17, 1132 (1996)) f_i = -dE/dphi |r_kj| m / |m|^2, f_l = dE/dphi |r_kj| n / |n|^2,
 * s = (r_ij.r_kj / |r_kj|^2) f_i - (r_kl.r_kj / |r_kj|^2) f_l, F_j = s - f_i, F_k = -s - f_l.
 * Adds forces (kcal/mol/A) and the virial; returns the energy (kcal/mol).
 */
export const dihedralTerms = (
  positions: Float64Array,
  lattice: Lattice,
  sys: TypedSystem,
  F: Float64Array,
  W: Float64Array,
): number => {
  const q = sys.dihedrals;
  let energy = 0;
  for (let t = 0; t < q.length / 4; t++) {
    const i = q[4 * t];
    const j = q[4 * t + 1];
    const k = q[4 * t + 2];
    const l = q[4 * t + 3];
    for (let x = 0; x < 3; x++) {
      rij[x] = positions[3 * i + x] - positions[3 * j + x];
      rkj[x] = positions[3 * k + x] - positions[3 * j + x];
      rkl[x] = positions[3 * k + x] - positions[3 * l + x];
    }
    lattice.minimumImage(rij);
    lattice.minimumImage(rkj);
    lattice.minimumImage(rkl);
    m[0] = rij[1] * rkj[2] - rij[2] * rkj[1];
    m[1] = rij[2] * rkj[0] - rij[0] * rkj[2];
    m[2] = rij[0] * rkj[1] - rij[1] * rkj[0];
    n[0] = rkj[1] * rkl[2] - rkj[2] * rkl[1];
    n[1] = rkj[2] * rkl[0] - rkj[0] * rkl[2];
    n[2] = rkj[0] * rkl[1] - rkj[1] * rkl[0];
    const m2 = m[0] * m[0] + m[1] * m[1] + m[2] * m[2];
    const n2 = n[0] * n[0] + n[1] * n[1] + n[2] * n[2];
    if (m2 < 1e-20 || n2 < 1e-20) continue; // collinear: phi undefined, no torque
    const rkj2 = rkj[0] * rkj[0] + rkj[1] * rkj[1] + rkj[2] * rkj[2];
    const nrkj = Math.sqrt(rkj2);
    const cos = Math.max(-1, Math.min(1, (m[0] * n[0] + m[1] * n[1] + m[2] * n[2]) / Math.sqrt(m2 * n2)));
    const sign = rij[0] * n[0] + rij[1] * n[1] + rij[2] * n[2] < 0 ? -1 : 1;
    const phi = sign * Math.acos(cos);
    const { k: K, d, n: mult } = sys.dihedralParams[t];
    energy += K * (1 + d * Math.cos(mult * phi));
    const dVdphi = -K * d * mult * Math.sin(mult * phi);
    const p = (rij[0] * rkj[0] + rij[1] * rkj[1] + rij[2] * rkj[2]) / rkj2;
    const r = (rkl[0] * rkj[0] + rkl[1] * rkj[1] + rkl[2] * rkj[2]) / rkj2;
    // Forces on the four atoms (they sum to zero): F_i = f_i, F_l = f_l.
    for (let c = 0; c < 3; c++) {
      fi[c] = (-dVdphi * nrkj * m[c]) / m2;
      fl[c] = (dVdphi * nrkj * n[c]) / n2;
      const s = p * fi[c] - r * fl[c];
      Fj[c] = -(fi[c] - s);
      Fk[c] = -(fl[c] + s);
      F[3 * i + c] += fi[c];
      F[3 * j + c] += Fj[c];
      F[3 * k + c] += Fk[c];
      F[3 * l + c] += fl[c];
      rl[c] = rkj[c] - rkl[c];
    }
    // Virial from positions relative to j (translation invariant as the forces sum to zero).
    addVirial(W, rij, fi);
    addVirial(W, rkj, Fk);
    addVirial(W, rl, fl);
  }
  return energy;
};
