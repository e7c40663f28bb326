import type { Lattice } from '../../core/lattice.js';
import { computeEnergy } from '../energy.js';
import { bornPair, type ForceField } from '../force-field.js';
import { SpecialImages } from '../special-images.js';
import type { TypedSystem } from '../typing.js';
import type { FitParameter } from './parameters.js';

/**
 * One configuration split into what a fit moves and what it does not, so that each evaluation
 * of the objective costs a pass over the moved terms only (the reference sum, energy.ts, costs
 * about 50 ms for 128 atoms; this, well under 1 ms):
 *   E(params) = E_fixed + (s / s0)^2 E_coulomb(s0) + Born pairs + fitted bonds and angles,
 * exact because every Coulomb term (DSF or Ewald, self terms and exclusions included) is a
 * product of two charges, all of which the scale s multiplies. Energies kcal/mol, forces
 * kcal/mol/A, virial kcal/mol (xx yy zz xy xz yz), as energy.ts.
 */
export interface TermSums {
  energy: number;
  forces: Float64Array;
  virial: Float64Array;
}

export interface Decomposition {
  natoms: number;
  fixed: TermSums;
  /** The Coulomb part at the start force field's charge scale s0. */
  coulomb: TermSums;
  scale0: number;
  /** Born pairs within the cutoff, every image: atoms, separation i - j (A), type pair, LJ special factor. */
  bornI: Int32Array;
  bornJ: Int32Array;
  bornD: Float64Array;
  bornTypes: string[][];
  bornFactor: Float64Array;
  /** Bonds of the fitted bond keys: atoms, minimum-image separation i - j, key. */
  bondI: Int32Array;
  bondJ: Int32Array;
  bondD: Float64Array;
  bondKeys: string[];
  /** Angles of the fitted angle keys: end, apex, end, minimum-image end - apex vectors, key. */
  angleI: Int32Array;
  angleD: Float64Array;
  angleKeys: string[];
}

/** Zero everything but Coulomb: LJ and Born off, bonded terms at k = 0. */
const coulombOnly = (ff: ForceField): ForceField => ({
  ...ff,
  atomTypes: Object.fromEntries(Object.entries(ff.atomTypes).map(([t, v]) => [t, { ...v, epsilon: 0 }])),
  pairs: {},
  born: {},
  bonds: Object.fromEntries(Object.entries(ff.bonds).map(([k, v]) => [k, { ...v, k: 0 }])),
  angles: Object.fromEntries(Object.entries(ff.angles).map(([k, v]) => [k, { ...v, k: 0 }])),
  dihedrals: {},
});

const sub = (a: TermSums, b: TermSums): TermSums => ({
  energy: a.energy - b.energy,
  forces: a.forces.map((x, k) => x - b.forces[k]),
  virial: a.virial.map((x, k) => x - b.virial[k]),
});

/**
 * Decompose a configuration for a fit of `params`, starting from `ff0` (the force field at the
 * parameters' start values; sys typed with it).
 */
export const decompose = (
  positions: Float64Array,
  lattice: Lattice,
  sys: TypedSystem,
  ff0: ForceField,
  params: FitParameter[],
): Decomposition => {
  const n = sys.natoms;
  const total = computeEnergy(positions, lattice, sys, ff0);
  // Bonded parameters live in the typed system: zeroed there for the Coulomb-only sum.
  const coulombSys: TypedSystem = {
    ...sys,
    bondParams: sys.bondParams.map((b) => ({ ...b, k: 0 })),
    angleParams: sys.angleParams.map((a) => ({ ...a, k: 0 })),
    dihedralParams: sys.dihedralParams.map((d) => ({ ...d, k: 0 })),
  };
  const coul = computeEnergy(positions, lattice, coulombSys, coulombOnly(ff0));
  const asSums = (e: typeof total): TermSums => ({
    energy: e.termsKcalMol.total,
    forces: e.forcesKcalMolA,
    virial: e.virialKcalMol,
  });
  // Born pairs of the fitted element pairs (all of ff0's Born terms: those not fitted are just
  // evaluated at their fixed values).
  const bi: number[] = [];
  const bj: number[] = [];
  const bd: number[] = [];
  const bt: string[][] = [];
  const bf: number[] = [];
  const names = Array.from(sys.type, (t) => sys.typeNames[t]);
  const rc = ff0.cutoff;
  const m = lattice.matrix;
  const frac = lattice.toFractional(positions);
  const range = lattice.perpendicularWidths.map((w) => Math.ceil(rc / w) + 1);
  // As energy.ts: a special pair is scaled only at its nearest (bonded) image (special-images.ts).
  const specialImages = new SpecialImages(lattice);
  const specialImage = new Int32Array(3);
  const atomLabel = (k: number) => `${names[k]} ${k + 1}`;
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      if (!bornPair(ff0, names[i], names[j])) continue;
      const order = i === j ? 0 : (sys.special.get(i * n + j) ?? 0);
      if (order > 0) specialImages.image(positions, i, j, order, specialImage, 0, atomLabel);
      const raw = [0, 1, 2].map((x) => frac[3 * i + x] - frac[3 * j + x]);
      const df = raw.map((v) => v - Math.round(v));
      const [sa, sb, sc] = [0, 1, 2].map((x) => specialImage[x] + Math.round(raw[x]));
      for (let ia = -range[0]; ia <= range[0]; ia++)
        for (let ib = -range[1]; ib <= range[1]; ib++)
          for (let ic = -range[2]; ic <= range[2]; ic++) {
            const isBase = ia === 0 && ib === 0 && ic === 0;
            if (i === j && isBase) continue;
            const fa = df[0] + ia;
            const fb = df[1] + ib;
            const fc = df[2] + ic;
            const dx = fa * m[0] + fb * m[3] + fc * m[6];
            const dy = fa * m[1] + fb * m[4] + fc * m[7];
            const dz = fa * m[2] + fb * m[5] + fc * m[8];
            if (dx * dx + dy * dy + dz * dz >= rc * rc) continue;
            // Special scaling only for the nearest (bonded) image; self images count half.
            const special = order > 0 && ia === sa && ib === sb && ic === sc ? ff0.special.lj[order - 1] : 1;
            bi.push(i);
            bj.push(j);
            bd.push(dx, dy, dz);
            bt.push([names[i], names[j]]);
            bf.push(special * (i === j ? 0.5 : 1));
          }
    }
  const fittedBonds = new Set(
    params.filter((p) => p.path.startsWith('bonds.')).map((p) => p.path.split('.')[1]),
  );
  const oi: number[] = [];
  const oj: number[] = [];
  const od: number[] = [];
  const ok: string[] = [];
  const d = new Float64Array(3);
  for (let b = 0; b < sys.bonds.length / 2; b++) {
    if (!fittedBonds.has(sys.bondKeys[b])) continue;
    const i = sys.bonds[2 * b];
    const j = sys.bonds[2 * b + 1];
    for (let x = 0; x < 3; x++) d[x] = positions[3 * i + x] - positions[3 * j + x];
    lattice.minimumImage(d);
    oi.push(i);
    oj.push(j);
    od.push(d[0], d[1], d[2]);
    ok.push(sys.bondKeys[b]);
  }
  const fittedAngles = new Set(
    params.filter((p) => p.path.startsWith('angles.')).map((p) => p.path.split('.')[1]),
  );
  const ai: number[] = [];
  const ad: number[] = [];
  const ak: string[] = [];
  for (let a = 0; a < sys.angles.length / 3; a++) {
    if (!fittedAngles.has(sys.angleKeys[a])) continue;
    const [i1, i2, i3] = [sys.angles[3 * a], sys.angles[3 * a + 1], sys.angles[3 * a + 2]];
    ai.push(i1, i2, i3);
    for (const end of [i1, i3]) {
      for (let x = 0; x < 3; x++) d[x] = positions[3 * end + x] - positions[3 * i2 + x];
      lattice.minimumImage(d);
      ad.push(d[0], d[1], d[2]);
    }
    ak.push(sys.angleKeys[a]);
  }
  const dec: Decomposition = {
    natoms: n,
    fixed: { energy: 0, forces: new Float64Array(3 * n), virial: new Float64Array(6) },
    coulomb: asSums(coul),
    scale0: ff0.charges.scale,
    bornI: Int32Array.from(bi),
    bornJ: Int32Array.from(bj),
    bornD: Float64Array.from(bd),
    bornTypes: bt,
    bornFactor: Float64Array.from(bf),
    bondI: Int32Array.from(oi),
    bondJ: Int32Array.from(oj),
    bondD: Float64Array.from(od),
    bondKeys: ok,
    angleI: Int32Array.from(ai),
    angleD: Float64Array.from(ad),
    angleKeys: ak,
  };
  const moved = evaluateMoved(dec, ff0);
  dec.fixed = sub(sub(asSums(total), asSums(coul)), moved);
  return dec;
};

/** The Born pairs and fitted bonds at a force field's values (the Coulomb part not included). */
const evaluateMoved = (dec: Decomposition, ff: ForceField): TermSums => {
  const n = dec.natoms;
  const F = new Float64Array(3 * n);
  const W = new Float64Array(6);
  let E = 0;
  const rc = ff.cutoff;
  const cache = new Map<string, { A: number; rhoInv: number; c: number; d: number; offset: number } | null>();
  const term = (a: string, b: string) => {
    const key = `${a}|${b}`;
    let t = cache.get(key);
    if (t === undefined) {
      const p = bornPair(ff, a, b);
      t = p
        ? {
            A: p.a * Math.exp(p.sigma / p.rho),
            rhoInv: 1 / p.rho,
            c: p.c,
            d: p.d,
            offset: ff.shift ? p.a * Math.exp((p.sigma - rc) / p.rho) - p.c / rc ** 6 + p.d / rc ** 8 : 0,
          }
        : null;
      cache.set(key, t);
    }
    return t;
  };
  const tally = (i: number, j: number, dx: number, dy: number, dz: number, fpair: number) => {
    // fpair (dx, dy, dz) is the force on i.
    F[3 * i] += dx * fpair;
    F[3 * i + 1] += dy * fpair;
    F[3 * i + 2] += dz * fpair;
    F[3 * j] -= dx * fpair;
    F[3 * j + 1] -= dy * fpair;
    F[3 * j + 2] -= dz * fpair;
    W[0] += dx * dx * fpair;
    W[1] += dy * dy * fpair;
    W[2] += dz * dz * fpair;
    W[3] += dx * dy * fpair;
    W[4] += dx * dz * fpair;
    W[5] += dy * dz * fpair;
  };
  for (let p = 0; p < dec.bornI.length; p++) {
    const t = term(dec.bornTypes[p][0], dec.bornTypes[p][1]);
    if (!t) continue;
    const dx = dec.bornD[3 * p];
    const dy = dec.bornD[3 * p + 1];
    const dz = dec.bornD[3 * p + 2];
    const r2 = dx * dx + dy * dy + dz * dz;
    const r = Math.sqrt(r2);
    const inv2 = 1 / r2;
    const inv6 = inv2 * inv2 * inv2;
    const rexp = t.A * Math.exp(-r * t.rhoInv);
    const w = dec.bornFactor[p];
    E += w * (rexp - t.c * inv6 + t.d * inv6 * inv2 - t.offset);
    const fr = rexp * r * t.rhoInv - 6 * t.c * inv6 + 8 * t.d * inv6 * inv2; // -dE/dr * r
    const i = dec.bornI[p];
    const j = dec.bornJ[p];
    if (i === j) {
      // A self image: energy and virial, no force.
      const fpair = w * fr * inv2;
      W[0] += dx * dx * fpair;
      W[1] += dy * dy * fpair;
      W[2] += dz * dz * fpair;
      W[3] += dx * dy * fpair;
      W[4] += dx * dz * fpair;
      W[5] += dy * dz * fpair;
    } else tally(i, j, dx, dy, dz, w * fr * inv2);
  }
  for (let b = 0; b < dec.bondI.length; b++) {
    const { k, x0 } = ff.bonds[dec.bondKeys[b]];
    const dx = dec.bondD[3 * b];
    const dy = dec.bondD[3 * b + 1];
    const dz = dec.bondD[3 * b + 2];
    const r = Math.hypot(dx, dy, dz);
    const dr = r - x0;
    E += k * dr * dr;
    tally(dec.bondI[b], dec.bondJ[b], dx, dy, dz, (-2 * k * dr) / r);
  }
  // Angles (LAMMPS angle_style harmonic, as energy.ts).
  for (let a = 0; a < dec.angleKeys.length; a++) {
    const { k, x0 } = ff.angles[dec.angleKeys[a]];
    const i1 = dec.angleI[3 * a];
    const i2 = dec.angleI[3 * a + 1];
    const i3 = dec.angleI[3 * a + 2];
    const d1 = dec.angleD.subarray(6 * a, 6 * a + 3);
    const d2 = dec.angleD.subarray(6 * a + 3, 6 * a + 6);
    const r1 = Math.hypot(d1[0], d1[1], d1[2]);
    const r2 = Math.hypot(d2[0], d2[1], d2[2]);
    let c = (d1[0] * d2[0] + d1[1] * d2[1] + d1[2] * d2[2]) / (r1 * r2);
    c = Math.max(-1, Math.min(1, c));
    const s = Math.max(Math.sqrt(1 - c * c), 0.001);
    const dtheta = Math.acos(c) - (x0 * Math.PI) / 180;
    const tk = k * dtheta;
    E += tk * dtheta;
    const aa = (-2 * tk) / s;
    const a11 = (aa * c) / (r1 * r1);
    const a12 = -aa / (r1 * r2);
    const a22 = (aa * c) / (r2 * r2);
    const f1 = [0, 1, 2].map((x) => a11 * d1[x] + a12 * d2[x]);
    const f3 = [0, 1, 2].map((x) => a22 * d2[x] + a12 * d1[x]);
    for (let x = 0; x < 3; x++) {
      F[3 * i1 + x] += f1[x];
      F[3 * i2 + x] -= f1[x] + f3[x];
      F[3 * i3 + x] += f3[x];
    }
    W[0] += d1[0] * f1[0] + d2[0] * f3[0];
    W[1] += d1[1] * f1[1] + d2[1] * f3[1];
    W[2] += d1[2] * f1[2] + d2[2] * f3[2];
    W[3] += d1[0] * f1[1] + d2[0] * f3[1];
    W[4] += d1[0] * f1[2] + d2[0] * f3[2];
    W[5] += d1[1] * f1[2] + d2[1] * f3[2];
  }
  return { energy: E, forces: F, virial: W };
};

/** Energy, forces and virial of the configuration with a force field of the fit's family. */
export const evaluateDecomposed = (dec: Decomposition, ff: ForceField): TermSums => {
  const moved = evaluateMoved(dec, ff);
  const s = (ff.charges.scale / dec.scale0) ** 2;
  const out = moved;
  out.energy += dec.fixed.energy + s * dec.coulomb.energy;
  for (let k = 0; k < out.forces.length; k++)
    out.forces[k] += dec.fixed.forces[k] + s * dec.coulomb.forces[k];
  for (let k = 0; k < 6; k++) out.virial[k] += dec.fixed.virial[k] + s * dec.coulomb.virial[k];
  return out;
};
