import { OptionError } from '../core/errors.js';
import type { Lattice } from '../core/lattice.js';
import { NKTV2P, QQR2E_REAL } from '../core/units.js';
import { dihedralTerms } from './dihedral.js';
import { erfc } from './erfc.js';
import { bornPair, type ForceField, ljPair } from './force-field.js';
import { checkOverlap } from './overlap.js';
import { atomForces, type CoulombShape, type RelaxOptions, relaxShells } from './shells.js';
import { SpecialImages } from './special-images.js';
import { CORE_SHELL_ORDER, type TypedSystem } from './typing.js';
import { addPairVirial } from './virial.js';

/**
 * Energy, forces and virial of a force field for one configuration: the reference implementation
 * (a direct sum over atom pairs and every periodic image within the cutoff, so cutoffs longer than
 * half the cell are exact), checked against LAMMPS and against finite differences.
 *
 * Terms, in LAMMPS real units (kcal/mol, A, e):
 * - bonds E = K (r - r0)^2, angles E = K (theta - theta0)^2 (theta in rad);
 * - Lennard-Jones 4 eps [(s/r)^12 - (s/r)^6], mixed geometrically, shifted to 0 at the cutoff;
 * - Born-Mayer-Huggins a exp((sigma - r)/rho) - c/r^6 + d/r^8 instead of LJ for the pairs that
 *   have it (as LAMMPS pair_style born), shifted the same way and counted with LJ (`vdw`);
 * - Coulomb by damped shifted force (Fennell and Gezelter, J. Chem. Phys. 124, 234104 (2006)), as
 *   LAMMPS lj/cut/coul/dsf: for r < rc,
 *     E = C qi qj [erfc(a r)/r - erfc(a rc)/rc + (r - rc)(erfc(a rc)/rc^2 + 2a/sqrt(pi) exp(-a^2 rc^2)/rc)],
 *   plus the self term -(e_shift/2 + a/sqrt(pi)) C qi^2 per atom, C = 332.06371 kcal A/(mol e^2);
 * - Wolf (as LAMMPS lj/cut/coul/wolf): the DSF force with the energy only shifted, see below;
 * - special pairs (1-2, 1-3, 1-4) scale LJ by f_lj and remove (1 - f_coul) of the bare Coulomb
 *   C qi qj / r from the damped pair term, as LAMMPS lj/cut/coul/dsf does: a 1-2 pair with f = 0
 *   keeps DSF - bare, the damped remainder (like an Ewald exclusion correction). Checked against
 *   LAMMPS: leaving such pairs out instead differs by exactly that remainder. A pair counts as
 *   special only for its nearest (bonded) image, the one LAMMPS picks too; cells where LAMMPS
 *   would pick another (a bonded partner beyond half the cell) are refused (special-images.ts).
 */
/** The potential energy by term; the field that holds them says the unit (`termsKcalMol`). */
export interface EnergyTerms {
  bond: number;
  angle: number;
  dihedral: number;
  /** Lennard-Jones (LAMMPS evdwl). */
  vdw: number;
  /** Coulomb pair and self terms (LAMMPS ecoul; with Ewald, ecoul + elong). */
  coulomb: number;
}

export interface EnergyResult {
  /** The terms and their sum, the potential energy (kcal/mol). */
  termsKcalMol: EnergyTerms & { total: number };
  /** Forces (kcal/mol/A), interleaved x y z per atom. */
  forcesKcalMolA: Float64Array;
  /** Virial W = sum r (x) f (kcal/mol), xx yy zz xy xz yz. */
  virialKcalMol: Float64Array;
  /** Polarisable ions: each shell's relaxed displacement from its atom (A, 3 per shell). */
  shellDisplacementsA?: Float64Array;
}

/**
 * The virial part of the pressure tensor (atm; xx yy zz xy xz yz, no kinetic part):
 * P_ab = W_ab / V, in LAMMPS real units converted by NKTV2P (atm per kcal/mol/A^3).
 */
export const virialPressureAtm = (virialKcalMol: ArrayLike<number>, volumeA3: number): number[] =>
  Array.from(virialKcalMol, (w) => (w / volumeA3) * NKTV2P);

export { erfc };

/** Lattice translations (as multipliers of a, b, c) that can bring two atoms within `cutoff`. */
const imageRange = (L: Lattice, cutoff: number): [number, number, number] =>
  L.perpendicularWidths.map((w) => Math.ceil(cutoff / w) + 1) as [number, number, number];

/**
 * erfc of the DSF pair term: 'exact' (default), or 'abramowitz-stegun', the 7.1.26 fit (absolute
 * error <= 1.5e-7) that LAMMPS used before 2023 (Debian's 2022 package): with it, forces match
 * that LAMMPS to 1e-9; with the exact erfc they differ from it by up to ~1e-5 kcal/mol/A.
 */
export type ErfcMethod = 'exact' | 'abramowitz-stegun';

/** Abramowitz and Stegun 7.1.26 (x >= 0). */
export const erfcAbramowitzStegun = (x: number): number => {
  const t = 1 / (1 + 0.3275911 * x);
  return (
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x)
  );
};

export const computeEnergy = (
  positions: Float64Array,
  lattice: Lattice,
  sys: TypedSystem,
  ff: ForceField,
  options: { erfc?: ErfcMethod; shells?: RelaxOptions } = {},
): EnergyResult => {
  const n = sys.natoms;
  if (positions.length !== 3 * n) throw new OptionError(`${positions.length / 3} positions for ${n} atoms`);
  checkOverlap(positions, lattice, (i) => sys.typeNames[sys.type[i]]);
  if (!sys.shells) return pairAndBondedSums(positions, lattice, sys, ff, options);
  // Polarisable ions: the sums over atoms and shells, the shells relaxed (shells.ts).
  const shells = sys.shells;
  const m = shells.owner.length;
  const displacement = new Float64Array(3 * m);
  const ext = new Float64Array(3 * (n + m));
  const extForces = new Float64Array(3 * (n + m));
  let last: EnergyResult | undefined;
  const terms = relaxShells(
    shells,
    positions,
    displacement,
    coulombShape(ff),
    (x, f) => {
      last = pairAndBondedSums(x, lattice, shells.extended, ff, options);
      f.set(last.forcesKcalMolA);
    },
    ext,
    extForces,
    // Single points: the shells tighter than MD's default (their forces on the atoms then
    // settled to 1e-8 of the largest, not 1e-6).
    { toleranceKcalMolA: 1e-6, ...options.shells },
  );
  const t = last!.termsKcalMol;
  const bond = t.bond + terms.spring;
  const coulomb = t.coulomb + terms.coulomb;
  return {
    termsKcalMol: { ...t, bond, coulomb, total: bond + t.angle + t.dihedral + t.vdw + coulomb },
    forcesKcalMolA: atomForces(shells, extForces, new Float64Array(3 * n)),
    virialKcalMol: last!.virialKcalMol.map((w, k) => w + terms.virial[k]),
    shellDisplacementsA: displacement,
  };
};

/**
 * The electrostatics' damping and shifts for forces (as the pair sums below take them, and
 * md/force-kernel.ts and the core-shell remainder of polarisable ions, shells.ts). Wolf's forces
 * are not its energy's gradient: neither MD nor relaxed shells can run with it.
 */
export const coulombShape = (ff: ForceField): CoulombShape => {
  const rc = ff.cutoff;
  if (ff.coulomb.method === 'wolf')
    throw new OptionError(
      `${ff.name}: Wolf's forces are not its energy's gradient; MD and polarisable ions (shells) need dsf or ewald`,
    );
  if (ff.coulomb.method === 'ewald')
    return { alpha: Math.sqrt(-Math.log(ff.coulomb.accuracy)) / rc, eShift: 0, fShift: 0 };
  const alpha = ff.coulomb.alpha;
  const erfcRc = erfc(alpha * rc);
  const fShift = -(
    erfcRc / (rc * rc) +
    ((2 / Math.sqrt(Math.PI)) * alpha * Math.exp(-alpha * alpha * rc * rc)) / rc
  );
  return { alpha, eShift: erfcRc / rc - fShift * rc, fShift };
};

/** The sums of computeEnergy over the particles of `sys` (no overlap check: shells sit on cores). */
const pairAndBondedSums = (
  positions: Float64Array,
  lattice: Lattice,
  sys: TypedSystem,
  ff: ForceField,
  options: { erfc?: ErfcMethod },
): EnergyResult => {
  const pairErfc = options.erfc === 'abramowitz-stegun' ? erfcAbramowitzStegun : erfc;
  const n = sys.natoms;
  const F = new Float64Array(3 * n);
  const W = new Float64Array(6);
  const tally = (dx: number, dy: number, dz: number, fx: number, fy: number, fz: number) =>
    addPairVirial(W, dx, dy, dz, fx, fy, fz);
  const d = new Float64Array(3);
  const minImage = (i: number, j: number) => {
    for (let x = 0; x < 3; x++) d[x] = positions[3 * i + x] - positions[3 * j + x];
    lattice.minimumImage(d);
    return d;
  };

  // Bonds.
  let eBond = 0;
  for (let b = 0; b < sys.bonds.length / 2; b++) {
    const i = sys.bonds[2 * b];
    const j = sys.bonds[2 * b + 1];
    const { k, x0 } = sys.bondParams[b];
    const v = minImage(i, j);
    const r = Math.hypot(v[0], v[1], v[2]);
    const dr = r - x0;
    eBond += k * dr * dr;
    const fbond = r > 0 ? (-2 * k * dr) / r : 0;
    for (let x = 0; x < 3; x++) {
      F[3 * i + x] += v[x] * fbond;
      F[3 * j + x] -= v[x] * fbond;
    }
    tally(v[0], v[1], v[2], v[0] * fbond, v[1] * fbond, v[2] * fbond);
  }

  // Angles (LAMMPS angle_style harmonic).
  let eAngle = 0;
  for (let a = 0; a < sys.angles.length / 3; a++) {
    const i1 = sys.angles[3 * a];
    const i2 = sys.angles[3 * a + 1];
    const i3 = sys.angles[3 * a + 2];
    const { k, x0 } = sys.angleParams[a];
    const d1 = Array.from(minImage(i1, i2));
    const d2 = Array.from(minImage(i3, i2));
    const r1 = Math.hypot(d1[0], d1[1], d1[2]);
    const r2 = Math.hypot(d2[0], d2[1], d2[2]);
    let c = (d1[0] * d2[0] + d1[1] * d2[1] + d1[2] * d2[2]) / (r1 * r2);
    c = Math.max(-1, Math.min(1, c));
    let s = Math.sqrt(1 - c * c);
    if (s < 0.001) s = 0.001;
    const dtheta = Math.acos(c) - (x0 * Math.PI) / 180;
    const tk = k * dtheta;
    eAngle += tk * dtheta;
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
    tally(d1[0], d1[1], d1[2], f1[0], f1[1], f1[2]);
    tally(d2[0], d2[1], d2[2], f3[0], f3[1], f3[2]);
  }

  const eDihedral = dihedralTerms(positions, lattice, sys, F, W);

  // Pairs: LJ + real-space Coulomb (DSF, or the Ewald erfc term) over every image within the cutoff.
  const rc = ff.cutoff;
  const rc2 = rc * rc;
  const ewald = ff.coulomb.method === 'ewald';
  // Ewald: erfc(alpha rc) ~ accuracy fixes the splitting; DSF: the force field's damping.
  const alpha =
    ff.coulomb.method === 'ewald' ? Math.sqrt(-Math.log(ff.coulomb.accuracy)) / rc : ff.coulomb.alpha;
  const C = QQR2E_REAL;
  const erfcRc = erfc(alpha * rc);
  const fShift = ewald
    ? 0
    : -(erfcRc / rc2 + ((2 / Math.sqrt(Math.PI)) * alpha * Math.exp(-alpha * alpha * rc2)) / rc);
  const wolf = ff.coulomb.method === 'wolf';
  // DSF: e_shift makes the potential and its force vanish at rc. Wolf (as LAMMPS lj/cut/coul/wolf):
  // the energy is shifted only, E = C qi qj (erfc(a r)/r - erfc(a rc)/rc), while the force is the
  // DSF force, so with Wolf the forces are not the exact gradient of the energy (a LAMMPS convention).
  const eShift = ewald ? 0 : wolf ? erfcRc / rc : erfcRc / rc - fShift * rc;
  const energyFShift = wolf ? 0 : fShift;
  const nt = sys.typeNames.length;
  const eps = new Float64Array(nt * nt);
  const sig = new Float64Array(nt * nt);
  const offset = new Float64Array(nt * nt);
  const born = bornTables(ff, sys.typeNames);
  for (let a = 0; a < nt; a++)
    for (let b = 0; b < nt; b++) {
      const { epsilon: e, sigma: s } = ljPair(ff, sys.typeNames[a], sys.typeNames[b]);
      eps[a * nt + b] = e;
      sig[a * nt + b] = s;
      const ratio = s / rc;
      offset[a * nt + b] = ff.shift ? 4 * e * (ratio ** 12 - ratio ** 6) : 0;
    }
  const [na, nb, nc] = imageRange(lattice, rc);
  const m = lattice.matrix;
  const frac = lattice.toFractional(positions);
  let eVdw = 0;
  let eCoul = 0;
  const q = sys.charges;
  for (let i = 0; i < n; i++) eCoul += -(eShift / 2 + alpha / Math.sqrt(Math.PI)) * q[i] * q[i] * C;
  if (ewald) {
    // Neutralising background for a charged cell (zero for a neutral one): -pi C Q^2 / (2 V alpha^2).
    let Q = 0;
    for (let i = 0; i < n; i++) Q += q[i];
    eCoul -= (Math.PI * C * Q * Q) / (2 * lattice.volume * alpha * alpha);
    eCoul += reciprocalEwald(
      lattice,
      frac,
      q,
      alpha,
      -Math.log(ff.coulomb.method === 'ewald' ? ff.coulomb.accuracy : 1e-6),
      F,
      W,
    );
  }
  const specialImages = new SpecialImages(lattice);
  const specialImage = new Int32Array(3);
  const atomLabel = (k: number) => `${sys.typeNames[sys.type[k]]} ${k + 1}`;
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const order = i === j ? 0 : (sys.special.get(i * n + j) ?? 0);
      if (order > 0) specialImages.image(positions, i, j, order, specialImage, 0, atomLabel);
      const fLj = order ? ff.special.lj[order - 1] : 1;
      const fCoul = order ? ff.special.coul[order - 1] : 1;
      const tij = sys.type[i] * nt + sys.type[j];
      const qq = C * q[i] * q[j];
      // Fractional separation wrapped to [-1/2, 1/2) (the loop's base image), and the special
      // image's translation from that base.
      const raw = [0, 1, 2].map((x) => frac[3 * i + x] - frac[3 * j + x]);
      const df = raw.map((v) => v - Math.round(v));
      const [sa, sb, sc] = [0, 1, 2].map((x) => specialImage[x] + Math.round(raw[x]));
      const base = [0, 1, 2].map((x) => df[0] * m[x] + df[1] * m[3 + x] + df[2] * m[6 + x]);
      for (let ia = -na; ia <= na; ia++)
        for (let ib = -nb; ib <= nb; ib++)
          for (let ic = -nc; ic <= nc; ic++) {
            const isBase = ia === 0 && ib === 0 && ic === 0;
            if (i === j && isBase) continue;
            const dx = base[0] + ia * m[0] + ib * m[3] + ic * m[6];
            const dy = base[1] + ia * m[1] + ib * m[4] + ic * m[7];
            const dz = base[2] + ia * m[2] + ib * m[5] + ic * m[8];
            const r2 = dx * dx + dy * dy + dz * dz;
            if (r2 >= rc2) continue;
            // Special scaling only for the nearest (bonded) image.
            const special = order > 0 && ia === sa && ib === sb && ic === sc;
            // A core and its own shell: no pair term (shells.ts sums it).
            if (special && order === CORE_SHELL_ORDER) continue;
            const lj = special ? fLj : 1;
            const co = special ? fCoul : 1;
            const weight = i === j ? 0.5 : 1;
            const r = Math.sqrt(r2);
            const inv2 = 1 / r2;
            const s2 = sig[tij] * sig[tij] * inv2;
            const s6 = s2 * s2 * s2;
            const e4 = 4 * eps[tij];
            let eLj = (e4 * (s6 * s6 - s6) - offset[tij]) * lj;
            let fLjR = ((e4 * (12 * s6 * s6 - 6 * s6)) / r) * lj; // -dE/dr
            if (born.on[tij]) {
              const rexp = born.a[tij] * Math.exp(-r * born.rhoInverse[tij]);
              const inv6 = inv2 * inv2 * inv2;
              const bc = born.c[tij] * inv6;
              const bd = born.d[tij] * inv6 * inv2;
              eLj += (rexp - bc + bd - born.offset[tij]) * lj;
              fLjR += ((rexp * r * born.rhoInverse[tij] - 6 * bc + 8 * bd) / r) * lj;
            }
            const prefactor = qq / r;
            const erfcAr = pairErfc(alpha * r);
            const expAr = Math.exp(-alpha * alpha * r2);
            // DSF with shifts; Ewald's real-space term is the same with both shifts zero.
            let eC = prefactor * (erfcAr - r * eShift - r2 * energyFShift);
            let forceCoul =
              prefactor * (erfcAr / r + ((2 * alpha) / Math.sqrt(Math.PI)) * expAr + r * fShift) * r;
            if (co < 1) {
              eC -= (1 - co) * prefactor;
              forceCoul -= (1 - co) * prefactor;
            }
            eVdw += weight * eLj;
            eCoul += weight * eC;
            // fpair * (dx, dy, dz) is the force on i.
            const fpair = (forceCoul * inv2 + fLjR / r) * weight;
            if (i !== j) {
              F[3 * i] += dx * fpair;
              F[3 * i + 1] += dy * fpair;
              F[3 * i + 2] += dz * fpair;
              F[3 * j] -= dx * fpair;
              F[3 * j + 1] -= dy * fpair;
              F[3 * j + 2] -= dz * fpair;
            }
            tally(dx, dy, dz, dx * fpair, dy * fpair, dz * fpair);
          }
    }
  return {
    termsKcalMol: {
      bond: eBond,
      angle: eAngle,
      dihedral: eDihedral,
      vdw: eVdw,
      coulomb: eCoul,
      total: eBond + eAngle + eDihedral + eVdw + eCoul,
    },
    forcesKcalMolA: F,
    virialKcalMol: W,
  };
};

/**
 * Born-Mayer-Huggins coefficients by type pair (index a * nt + b): a exp(sigma/rho) (so that the
 * repulsion is a' exp(-r/rho)), 1/rho, c, d, and the energy at the cutoff when the force field
 * shifts; `on` is 1 where the pair has a Born term. Shared by this reference sum and the MD kernel.
 */
export interface BornTables {
  on: Uint8Array;
  a: Float64Array;
  rhoInverse: Float64Array;
  c: Float64Array;
  d: Float64Array;
  offset: Float64Array;
}

export const bornTables = (ff: ForceField, typeNames: readonly string[]): BornTables => {
  const nt = typeNames.length;
  const t: BornTables = {
    on: new Uint8Array(nt * nt),
    a: new Float64Array(nt * nt),
    rhoInverse: new Float64Array(nt * nt),
    c: new Float64Array(nt * nt),
    d: new Float64Array(nt * nt),
    offset: new Float64Array(nt * nt),
  };
  const rc = ff.cutoff;
  for (let i = 0; i < nt; i++)
    for (let j = 0; j < nt; j++) {
      const b = bornPair(ff, typeNames[i], typeNames[j]);
      if (!b) continue;
      const k = i * nt + j;
      t.on[k] = 1;
      t.a[k] = b.a * Math.exp(b.sigma / b.rho);
      t.rhoInverse[k] = 1 / b.rho;
      t.c[k] = b.c;
      t.d[k] = b.d;
      t.offset[k] = ff.shift ? b.a * Math.exp((b.sigma - rc) / b.rho) - b.c / rc ** 6 + b.d / rc ** 8 : 0;
    }
  return t;
};

/**
 * The reciprocal-space Ewald sum, E = (2 pi C / V) sum_{k != 0} exp(-k^2 / 4 alpha^2) / k^2 |S(k)|^2,
 * S(k) = sum_j q_j exp(i k . r_j), over k = 2 pi M^-1 n with |k| below 2 alpha sqrt(-ln accuracy)
 * (half of k-space, doubled); adds its forces and virial and returns its energy (kcal/mol).
 */
const reciprocalEwald = (
  lattice: Lattice,
  frac: Float64Array,
  q: Float64Array,
  alpha: number,
  lnInverseAccuracy: number,
  F: Float64Array,
  W: Float64Array,
): number => {
  const n = q.length;
  const inv = lattice.inverse;
  const m = lattice.matrix;
  const kc = 2 * alpha * Math.sqrt(lnInverseAccuracy);
  const kc2 = kc * kc;
  const range = [0, 1, 2].map((i) =>
    Math.ceil((kc * Math.hypot(m[3 * i], m[3 * i + 1], m[3 * i + 2])) / (2 * Math.PI)),
  );
  const V = lattice.volume;
  const pref = (4 * Math.PI * QQR2E_REAL) / V;
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  let energy = 0;
  for (let h = 0; h <= range[0]; h++)
    for (let k = -range[1]; k <= range[1]; k++)
      for (let l = -range[2]; l <= range[2]; l++) {
        // Half of k-space: h > 0, or h = 0 and k > 0, or h = k = 0 and l > 0.
        if (h === 0 && (k < 0 || (k === 0 && l <= 0))) continue;
        const kx = 2 * Math.PI * (inv[0] * h + inv[1] * k + inv[2] * l);
        const ky = 2 * Math.PI * (inv[3] * h + inv[4] * k + inv[5] * l);
        const kz = 2 * Math.PI * (inv[6] * h + inv[7] * k + inv[8] * l);
        const k2 = kx * kx + ky * ky + kz * kz;
        if (k2 >= kc2) continue;
        const A = Math.exp(-k2 / (4 * alpha * alpha)) / k2;
        let sc = 0;
        let ss = 0;
        for (let j = 0; j < n; j++) {
          const theta = 2 * Math.PI * (h * frac[3 * j] + k * frac[3 * j + 1] + l * frac[3 * j + 2]);
          cos[j] = Math.cos(theta);
          sin[j] = Math.sin(theta);
          sc += q[j] * cos[j];
          ss += q[j] * sin[j];
        }
        const s2 = sc * sc + ss * ss;
        energy += pref * A * s2;
        for (let j = 0; j < n; j++) {
          const g = 2 * pref * A * q[j] * (sc * sin[j] - ss * cos[j]);
          F[3 * j] += g * kx;
          F[3 * j + 1] += g * ky;
          F[3 * j + 2] += g * kz;
        }
        const b = 2 * (1 / k2 + 1 / (4 * alpha * alpha));
        const e = pref * A * s2;
        W[0] += e * (1 - b * kx * kx);
        W[1] += e * (1 - b * ky * ky);
        W[2] += e * (1 - b * kz * kz);
        W[3] -= e * b * kx * ky;
        W[4] -= e * b * kx * kz;
        W[5] -= e * b * ky * kz;
      }
  return energy;
};
