import { OptionError } from '../core/errors.js';
import type { Lattice } from '../core/lattice.js';
import { dihedralTerms } from '../forcefield/dihedral.js';
import { erfc, QQR2E_REAL } from '../forcefield/energy.js';
import type { ForceField } from '../forcefield/force-field.js';
import type { TypedSystem } from '../forcefield/typing.js';
import { ACC_SIZE, ordinaryPairForces, type PairParams, specialPairForces } from './pair-forces.js';
import {
  imageShifts,
  type PairList,
  PairListBuilder,
  partitionAtoms,
  type SpecialPartners,
  specialPartners,
} from './pair-list.js';
import { OP_BUILD, OP_COMPUTE, PairThreads } from './pair-threads.js';

/**
 * The fast force field for MD: the same terms as forcefield/energy.ts (its direct sum is the
 * reference the tests compare with), evaluated over a Verlet list (pair-list.ts) of pairs within
 * cutoff + skin, rebuilt when an atom has moved more than half the skin. Positions stay unwrapped
 * during a run, so each pair's lattice image is fixed between rebuilds; cutoffs longer than half
 * the cell need no special care (each image of j within reach is its own pair). The pair loop
 * (pair-forces.ts) can run on several threads (pair-threads.ts).
 */
export interface ForceOutput {
  bond: number;
  angle: number;
  dihedral?: number;
  vdw: number;
  coulomb: number;
  /** Virial (kcal/mol): xx yy zz xy xz yz. */
  virial: Float64Array;
}

export class ForceKernel {
  private readonly builder: PairListBuilder;
  /** This thread's part of the pair list (all of it without worker threads). */
  private list?: PairList;
  /** The atom ranges of the threads, set at each build. */
  private bounds: Int32Array = new Int32Array(0);
  /** Cartesian shift of each of the list's images in the current cell. */
  private shifts: Float64Array = new Float64Array(0);
  private reference = new Float64Array(0);
  /** The cell the current pair list was built in. */
  private buildLattice: Lattice;
  readonly skin: number;
  private readonly params: PairParams;
  private readonly specials: SpecialPartners;
  private readonly selfEnergy: number;
  private readonly reciprocal?: ReciprocalEwald;
  private threads?: PairThreads;
  private readonly acc = new Float64Array(ACC_SIZE);
  builds = 0;

  constructor(
    private readonly sys: TypedSystem,
    private readonly ff: ForceField,
    private lattice: Lattice,
    skin = 2,
  ) {
    this.skin = skin;
    this.buildLattice = lattice;
    const rc = ff.cutoff;
    const coul = ff.coulomb;
    if (coul.method === 'wolf')
      throw new OptionError(
        'the MD engine does not run Wolf (its forces are not the gradient of its energy); use dsf or ewald',
      );
    // Ewald: the real-space term is the DSF form with both shifts zero, plus the reciprocal sum.
    const alpha = coul.method === 'ewald' ? Math.sqrt(-Math.log(coul.accuracy)) / rc : coul.alpha;
    const erfcRc = erfc(alpha * rc);
    const fShift =
      coul.method === 'ewald'
        ? 0
        : -(
            erfcRc / (rc * rc) +
            ((2 / Math.sqrt(Math.PI)) * alpha * Math.exp(-alpha * alpha * rc * rc)) / rc
          );
    const eShift = coul.method === 'ewald' ? 0 : erfcRc / rc - fShift * rc;
    if (coul.method === 'ewald')
      this.reciprocal = new ReciprocalEwald(lattice, sys.charges, alpha, -Math.log(coul.accuracy));
    const nt = sys.typeNames.length;
    const lj1 = new Float64Array(nt * nt);
    const lj2 = new Float64Array(nt * nt);
    const offset = new Float64Array(nt * nt);
    for (let a = 0; a < nt; a++)
      for (let b = 0; b < nt; b++) {
        const ta = ff.atomTypes[sys.typeNames[a]];
        const tb = ff.atomTypes[sys.typeNames[b]];
        const e = Math.sqrt(ta.epsilon * tb.epsilon);
        const s = ff.mixing === 'geometric' ? Math.sqrt(ta.sigma * tb.sigma) : (ta.sigma + tb.sigma) / 2;
        lj1[a * nt + b] = 4 * e * s ** 12;
        lj2[a * nt + b] = 4 * e * s ** 6;
        const ratio = s / rc;
        offset[a * nt + b] = ff.shift ? 4 * e * (ratio ** 12 - ratio ** 6) : 0;
      }
    this.params = {
      nt,
      type: sys.type,
      scaledCharge: Float64Array.from(sys.charges, (q) => q * Math.sqrt(QQR2E_REAL)),
      lj1,
      lj2,
      offset,
      cutoff2: rc * rc,
      alpha,
      eShift,
      fShift,
    };
    let self = 0;
    let Q = 0;
    for (const q of sys.charges) {
      self += -(eShift / 2 + alpha / Math.sqrt(Math.PI)) * q * q * QQR2E_REAL;
      Q += q;
    }
    // Ewald's neutralising background (zero for a neutral cell).
    if (coul.method === 'ewald')
      self -= (Math.PI * QQR2E_REAL * Q * Q) / (2 * lattice.volume * alpha * alpha);
    this.selfEnergy = self;
    this.specials = specialPartners(sys);
    this.builder = new PairListBuilder(sys.natoms, this.specials, ff.special);
  }

  /**
   * Evaluate the pairs on `threads` threads (this one and threads - 1 workers), each building
   * and summing the pair list of its range of atoms; a list already built is rebuilt so, as it
   * was. Call dispose() when done.
   */
  async startThreads(threads: number): Promise<void> {
    if (!Number.isInteger(threads) || threads < 1)
      throw new OptionError(`threads: ${threads} is not a whole number >= 1`);
    if (this.threads || threads === 1) return;
    this.threads = await PairThreads.start(
      threads,
      this.sys.natoms,
      this.params,
      this.specials,
      this.ff.special,
    );
    const state = this.listState();
    if (state) this.restoreList(state);
  }

  /** Threads the pairs are evaluated on (1: this one only). */
  get threadCount(): number {
    return this.threads?.threads ?? 1;
  }

  /** Stop the worker threads, if any. */
  dispose(): void {
    this.threads?.dispose();
    this.threads = undefined;
  }

  /** Whether any atom moved more than skin / 2 since the last build (or there is no list). */
  private needsBuild(positions: Float64Array): boolean {
    if (!this.list || this.reference.length !== positions.length) return true;
    const n = this.sys.natoms;
    const half2 = (this.skin / 2) ** 2;
    for (let i = 0; i < n; i++) {
      const dx = positions[3 * i] - this.reference[3 * i];
      const dy = positions[3 * i + 1] - this.reference[3 * i + 1];
      const dz = positions[3 * i + 2] - this.reference[3 * i + 2];
      if (dx * dx + dy * dy + dz * dz > half2) return true;
    }
    return false;
  }

  /**
   * Build the pair list at `positions` in the current cell: the atom ranges, this thread's part;
   * the workers, started with `op` (OP_BUILD, and OP_COMPUTE when the forces follow), their parts.
   */
  private build(positions: Float64Array, op: number): void {
    this.builds++;
    this.buildLattice = this.lattice;
    this.reference = Float64Array.from(positions);
    const reach = this.ff.cutoff + this.skin;
    const T = this.threadCount;
    // What this thread does besides its pairs, in pair equivalents (rough costs measured on the
    // LAOC cells): the workers take correspondingly more atoms.
    const sys = this.sys;
    const extra =
      T === 1
        ? 0
        : 3 * (sys.bonds.length / 2) +
          6 * (sys.angles.length / 3) +
          10 * (sys.dihedrals.length / 4) +
          (this.reciprocal ? 3 * this.reciprocal.size * sys.natoms : 0);
    this.bounds = partitionAtoms(sys.natoms, T, this.lattice, reach, extra);
    this.threads?.begin(op, positions, this.lattice, this.bounds, reach);
    this.list = this.builder.build(positions, this.lattice, reach, 0, this.bounds[1]);
    if (this.shifts.length < 3 * this.list.imageCount)
      this.shifts = new Float64Array(6 * this.list.imageCount);
  }

  /**
   * What decides the pair list (its reference positions and the cell it was built in): a
   * checkpoint stores it so that a resumed run sums the same pairs in the same order, and so
   * gives bitwise the same trajectory.
   */
  listState(): { reference: Float64Array; lattice: Lattice } | undefined {
    return this.list ? { reference: this.reference, lattice: this.buildLattice } : undefined;
  }

  /** Rebuild the pair list exactly as it was (see listState), then return to the current cell. */
  restoreList(state: { reference: Float64Array; lattice: Lattice }): void {
    const current = this.lattice;
    this.lattice = state.lattice;
    this.build(state.reference, OP_BUILD);
    this.threads?.finish();
    if (current.matrix.some((v, k) => v !== state.lattice.matrix[k])) this.setLattice(current);
    else this.lattice = current;
  }

  /**
   * A new cell (NPT): the pair list stays (positions scale with the cell, and the displacement
   * check triggers a rebuild when needed); each image's periodic shift follows the new cell vectors
   * (the shifts are recomputed at every evaluation).
   */
  setLattice(lattice: Lattice): void {
    if (this.reciprocal) {
      // The neutralising background's energy depends on the volume (not followed here).
      let Q = 0;
      for (const q of this.sys.charges) Q += q;
      if (Math.abs(Q) > 1e-8)
        throw new OptionError(`Ewald with a changing cell needs a neutral cell (total charge ${Q} e)`);
      this.reciprocal.setLattice(lattice);
    }
    this.lattice = lattice;
  }

  /** Forces (kcal/mol/A) into `forces` (overwritten) and the energy terms (kcal/mol). */
  compute(positions: Float64Array, forces: Float64Array, out: ForceOutput): void {
    // The workers start on their ranges of atoms (building their lists first when needed); this
    // thread takes the first range, then the bonded terms and the reciprocal sum.
    if (this.needsBuild(positions)) this.build(positions, OP_BUILD | OP_COMPUTE);
    else this.threads?.begin(OP_COMPUTE, positions, this.lattice);
    const list = this.list!;
    imageShifts(list, this.lattice.matrix, this.shifts);
    forces.fill(0);
    const acc = this.acc;
    ordinaryPairForces(list, 0, this.bounds[1], positions, this.shifts, this.params, forces, acc);
    specialPairForces(list, positions, this.shifts, this.params, forces, acc);
    const W = out.virial;
    W.fill(0);
    const sys = this.sys;
    const L = this.lattice;
    const d = new Float64Array(3);
    // Bonds.
    let eBond = 0;
    for (let b = 0; b < sys.bonds.length / 2; b++) {
      const i = sys.bonds[2 * b];
      const j = sys.bonds[2 * b + 1];
      for (let x = 0; x < 3; x++) d[x] = positions[3 * i + x] - positions[3 * j + x];
      L.minimumImage(d);
      const r = Math.hypot(d[0], d[1], d[2]);
      const { k, x0 } = sys.bondParams[b];
      const dr = r - x0;
      eBond += k * dr * dr;
      const f = (-2 * k * dr) / r;
      for (let x = 0; x < 3; x++) {
        forces[3 * i + x] += d[x] * f;
        forces[3 * j + x] -= d[x] * f;
      }
      W[0] += d[0] * d[0] * f;
      W[1] += d[1] * d[1] * f;
      W[2] += d[2] * d[2] * f;
      W[3] += d[0] * d[1] * f;
      W[4] += d[0] * d[2] * f;
      W[5] += d[1] * d[2] * f;
    }
    // Angles (LAMMPS angle_style harmonic).
    let eAngle = 0;
    const d1 = new Float64Array(3);
    const d2 = new Float64Array(3);
    for (let a = 0; a < sys.angles.length / 3; a++) {
      const i1 = sys.angles[3 * a];
      const i2 = sys.angles[3 * a + 1];
      const i3 = sys.angles[3 * a + 2];
      for (let x = 0; x < 3; x++) {
        d1[x] = positions[3 * i1 + x] - positions[3 * i2 + x];
        d2[x] = positions[3 * i3 + x] - positions[3 * i2 + x];
      }
      L.minimumImage(d1);
      L.minimumImage(d2);
      const r1 = Math.hypot(d1[0], d1[1], d1[2]);
      const r2 = Math.hypot(d2[0], d2[1], d2[2]);
      let c = (d1[0] * d2[0] + d1[1] * d2[1] + d1[2] * d2[2]) / (r1 * r2);
      c = Math.max(-1, Math.min(1, c));
      let s = Math.sqrt(1 - c * c);
      if (s < 0.001) s = 0.001;
      const { k, x0 } = sys.angleParams[a];
      const dtheta = Math.acos(c) - (x0 * Math.PI) / 180;
      const tk = k * dtheta;
      eAngle += tk * dtheta;
      const aa = (-2 * tk) / s;
      const a11 = (aa * c) / (r1 * r1);
      const a12 = -aa / (r1 * r2);
      const a22 = (aa * c) / (r2 * r2);
      for (let x = 0; x < 3; x++) {
        const f1 = a11 * d1[x] + a12 * d2[x];
        const f3 = a22 * d2[x] + a12 * d1[x];
        forces[3 * i1 + x] += f1;
        forces[3 * i2 + x] -= f1 + f3;
        forces[3 * i3 + x] += f3;
      }
      const f1 = [0, 1, 2].map((x) => a11 * d1[x] + a12 * d2[x]);
      const f3 = [0, 1, 2].map((x) => a22 * d2[x] + a12 * d1[x]);
      W[0] += d1[0] * f1[0] + d2[0] * f3[0];
      W[1] += d1[1] * f1[1] + d2[1] * f3[1];
      W[2] += d1[2] * f1[2] + d2[2] * f3[2];
      W[3] += d1[0] * f1[1] + d2[0] * f3[1];
      W[4] += d1[0] * f1[2] + d2[0] * f3[2];
      W[5] += d1[1] * f1[2] + d2[1] * f3[2];
    }
    let eCoul = this.selfEnergy;
    if (this.reciprocal) eCoul += this.reciprocal.compute(positions, forces, W);
    out.dihedral = this.sys.dihedrals.length
      ? dihedralTerms(positions, this.lattice, this.sys, forces, W)
      : 0;
    this.threads?.finish(forces, acc);
    for (let k = 0; k < 6; k++) W[k] += acc[2 + k];
    out.bond = eBond;
    out.angle = eAngle;
    out.vdw = acc[0];
    out.coulomb = eCoul + acc[1];
  }
}

/**
 * The reciprocal-space Ewald sum for a fixed cell, per step in O(N x k-vectors): the k-vectors
 * (half of k-space within |k| < 2 alpha sqrt(-ln accuracy)) and their weights are set up once, and
 * exp(i k . r_j) is built from powers of exp(2 pi i f_j) along each axis by recursion, so no
 * trigonometric call is made per k-vector and atom. Same formulas as forcefield/energy.ts.
 */
class ReciprocalEwald {
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

  /** Adds the reciprocal forces and virial; returns the reciprocal energy (kcal/mol). */
  compute(positions: Float64Array, F: Float64Array, W: Float64Array): number {
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
    for (let t = 0; t < this.weight.length; t++) {
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
