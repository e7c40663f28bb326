import { OptionError } from '../core/errors.js';
import type { Lattice } from '../core/lattice.js';
import { dihedralTerms } from '../forcefield/dihedral.js';
import { erfc, QQR2E_REAL } from '../forcefield/energy.js';
import type { ForceField } from '../forcefield/force-field.js';
import type { TypedSystem } from '../forcefield/typing.js';

/**
 * The fast force field for MD: the same terms as forcefield/energy.ts (its direct sum is the
 * reference the tests compare with), evaluated over a Verlet list of (i, j, periodic shift) pairs
 * within cutoff + skin, rebuilt when an atom has moved more than half the skin. Positions stay
 * unwrapped during a run, so each pair's lattice shift is fixed between rebuilds; cutoffs longer
 * than half the cell need no special care (each image of j within reach is its own pair).
 * erfc comes from a cubic Hermite table of erfc(x) exp(x^2) (spacing 1/1024, relative error below
 * 1e-12), which costs one exp per pair.
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

const TABLE_STEP = 1 / 1024;
const TABLE_MAX = 6;

/** erfc(x) exp(x^2) on a grid, and its derivative 2x g(x) - 2/sqrt(pi) times the step, for Hermite interpolation. */
const TABLE_N = Math.ceil(TABLE_MAX / TABLE_STEP) + 2;
const G = new Float64Array(TABLE_N);
const DG = new Float64Array(TABLE_N);
for (let k = 0; k < TABLE_N; k++) {
  const x = k * TABLE_STEP;
  G[k] = erfc(x) * Math.exp(x * x);
  DG[k] = (2 * x * G[k] - 2 / Math.sqrt(Math.PI)) * TABLE_STEP;
}

/** erfc(x) for 0 <= x < 6 from the table (exact erfc beyond). */
export const fastErfc = (x: number, expMinusX2: number): number => {
  if (x >= TABLE_MAX) return erfc(x);
  const u = x * (1 / TABLE_STEP);
  const k = u | 0;
  const t = u - k;
  const t2 = t * t;
  const t3 = t2 * t;
  const h01 = -2 * t3 + 3 * t2;
  const h11 = t3 - t2;
  return (G[k] * (1 - h01) + DG[k] * (h11 - t2 + t) + G[k + 1] * h01 + DG[k + 1] * h11) * expMinusX2;
};

export class ForceKernel {
  private pairI = new Uint32Array(0);
  private pairJ = new Uint32Array(0);
  /** Lattice shift added to r_i - r_j, per pair. */
  private shift = new Float64Array(0);
  /** The lattice translation of each pair as whole cell vectors, so the shifts follow a changing cell. */
  private image = new Int16Array(0);
  /** Per pair: index into the LJ tables, LJ and Coulomb special factors, half weight for self-images. */
  private pairType = new Int32Array(0);
  private pairLj = new Float64Array(0);
  private pairCoul = new Float64Array(0);
  private pairWeight = new Float64Array(0);
  /** C q_i q_j per pair. */
  private pairQQ = new Float64Array(0);
  private count = 0;
  private reference = new Float64Array(0);
  /** The cell the current pair list was built in. */
  private buildLattice: Lattice;
  readonly skin: number;
  private readonly lj1: Float64Array;
  private readonly lj2: Float64Array;
  private readonly offset: Float64Array;
  private readonly eShift: number;
  private readonly fShift: number;
  private readonly selfEnergy: number;
  private readonly alpha: number;
  private readonly reciprocal?: ReciprocalEwald;
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
    this.alpha = alpha;
    const erfcRc = erfc(alpha * rc);
    this.fShift =
      coul.method === 'ewald'
        ? 0
        : -(
            erfcRc / (rc * rc) +
            ((2 / Math.sqrt(Math.PI)) * alpha * Math.exp(-alpha * alpha * rc * rc)) / rc
          );
    this.eShift = coul.method === 'ewald' ? 0 : erfcRc / rc - this.fShift * rc;
    if (coul.method === 'ewald')
      this.reciprocal = new ReciprocalEwald(lattice, sys.charges, alpha, -Math.log(coul.accuracy));
    const nt = sys.typeNames.length;
    this.lj1 = new Float64Array(nt * nt);
    this.lj2 = new Float64Array(nt * nt);
    this.offset = new Float64Array(nt * nt);
    for (let a = 0; a < nt; a++)
      for (let b = 0; b < nt; b++) {
        const ta = ff.atomTypes[sys.typeNames[a]];
        const tb = ff.atomTypes[sys.typeNames[b]];
        const e = Math.sqrt(ta.epsilon * tb.epsilon);
        const s = ff.mixing === 'geometric' ? Math.sqrt(ta.sigma * tb.sigma) : (ta.sigma + tb.sigma) / 2;
        this.lj1[a * nt + b] = 4 * e * s ** 12;
        this.lj2[a * nt + b] = 4 * e * s ** 6;
        const ratio = s / rc;
        this.offset[a * nt + b] = ff.shift ? 4 * e * (ratio ** 12 - ratio ** 6) : 0;
      }
    let self = 0;
    let Q = 0;
    for (const q of sys.charges) {
      self += -(this.eShift / 2 + alpha / Math.sqrt(Math.PI)) * q * q * QQR2E_REAL;
      Q += q;
    }
    // Ewald's neutralising background (zero for a neutral cell).
    if (coul.method === 'ewald')
      self -= (Math.PI * QQR2E_REAL * Q * Q) / (2 * lattice.volume * alpha * alpha);
    this.selfEnergy = self;
  }

  /** Rebuild the pair list when any atom moved more than skin / 2 since the last build. */
  private ensureList(positions: Float64Array): void {
    const n = this.sys.natoms;
    if (this.reference.length === positions.length) {
      const half2 = (this.skin / 2) ** 2;
      let ok = true;
      for (let i = 0; i < n && ok; i++) {
        const dx = positions[3 * i] - this.reference[3 * i];
        const dy = positions[3 * i + 1] - this.reference[3 * i + 1];
        const dz = positions[3 * i + 2] - this.reference[3 * i + 2];
        if (dx * dx + dy * dy + dz * dz > half2) ok = false;
      }
      if (ok) return;
    }
    this.build(positions);
  }

  private build(positions: Float64Array): void {
    this.builds++;
    this.buildLattice = this.lattice;
    const n = this.sys.natoms;
    const L = this.lattice;
    const m = L.matrix;
    const reach = this.ff.cutoff + this.skin;
    const reach2 = reach * reach;
    const frac = L.toFractional(positions);
    // Perpendicular widths: an image can be within reach only if, along each axis, its fractional
    // separation times that axis' width is within reach (exact for any triclinic cell).
    const reachFrac = [0, 1, 2].map((i) => {
      const a = [m[3 * ((i + 1) % 3)], m[3 * ((i + 1) % 3) + 1], m[3 * ((i + 1) % 3) + 2]];
      const b = [m[3 * ((i + 2) % 3)], m[3 * ((i + 2) % 3) + 1], m[3 * ((i + 2) % 3) + 2]];
      const c = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
      return reach / (L.volume / Math.hypot(c[0], c[1], c[2]));
    });
    // Large cells (at least three bins of `reach` along every axis): cell lists, O(N).
    if (reachFrac.every((r) => r <= 1 / 3)) {
      this.buildWithCells(positions, frac, reachFrac, reach2);
      return;
    }
    const I: number[] = [];
    const J: number[] = [];
    const S: number[] = [];
    const IM: number[] = [];
    const T: number[] = [];
    const FL: number[] = [];
    const FC: number[] = [];
    const WT: number[] = [];
    const QQ: number[] = [];
    const nt = this.sys.typeNames.length;
    const { special: sp } = this.ff;
    const q = this.sys.charges;
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        const order = i === j ? 0 : (this.sys.special.get(i * n + j) ?? 0);
        const df0 = frac[3 * i] - frac[3 * j];
        const df1 = frac[3 * i + 1] - frac[3 * j + 1];
        const df2 = frac[3 * i + 2] - frac[3 * j + 2];
        // The minimum image (the only one that can carry a special-pair factor).
        const b0 = -Math.round(df0);
        const b1 = -Math.round(df1);
        const b2 = -Math.round(df2);
        const d0x = positions[3 * i] - positions[3 * j];
        const d0y = positions[3 * i + 1] - positions[3 * j + 1];
        const d0z = positions[3 * i + 2] - positions[3 * j + 2];
        for (let na = Math.ceil(-reachFrac[0] - df0); na <= Math.floor(reachFrac[0] - df0); na++)
          for (let nb = Math.ceil(-reachFrac[1] - df1); nb <= Math.floor(reachFrac[1] - df1); nb++)
            for (let nc = Math.ceil(-reachFrac[2] - df2); nc <= Math.floor(reachFrac[2] - df2); nc++) {
              const isBase = na === b0 && nb === b1 && nc === b2;
              if (i === j && na === 0 && nb === 0 && nc === 0) continue;
              const sx = na * m[0] + nb * m[3] + nc * m[6];
              const sy = na * m[1] + nb * m[4] + nc * m[7];
              const sz = na * m[2] + nb * m[5] + nc * m[8];
              const dx = d0x + sx;
              const dy = d0y + sy;
              const dz = d0z + sz;
              if (dx * dx + dy * dy + dz * dz >= reach2) continue;
              const special = isBase && order > 0;
              I.push(i);
              J.push(j);
              S.push(sx, sy, sz);
              IM.push(na, nb, nc);
              T.push(this.sys.type[i] * nt + this.sys.type[j]);
              FL.push(special ? sp.lj[order - 1] : 1);
              FC.push(special ? sp.coul[order - 1] : 1);
              WT.push(i === j ? 0.5 : 1);
              QQ.push(QQR2E_REAL * q[i] * q[j]);
            }
      }
    this.pairI = Uint32Array.from(I);
    this.pairJ = Uint32Array.from(J);
    this.shift = Float64Array.from(S);
    this.image = Int16Array.from(IM);
    this.pairType = Int32Array.from(T);
    this.pairLj = Float64Array.from(FL);
    this.pairCoul = Float64Array.from(FC);
    this.pairWeight = Float64Array.from(WT);
    this.pairQQ = Float64Array.from(QQ);
    this.count = I.length;
    this.reference = Float64Array.from(positions);
  }

  /**
   * Cell-list build for cells at least three `reach` wide along every axis: atoms binned by their
   * wrapped fractional coordinates into bins no thinner than `reach`; each atom meets the atoms of
   * the 27 surrounding bins, by minimum image (the only image within reach in such a cell). Two
   * passes (count, then fill) so the pair arrays are allocated once.
   */
  private buildWithCells(
    positions: Float64Array,
    frac: Float64Array,
    reachFrac: number[],
    reach2: number,
  ): void {
    const n = this.sys.natoms;
    const m = this.lattice.matrix;
    const bins = reachFrac.map((r) => Math.max(3, Math.floor(1 / r)));
    const [ba, bb, bc] = bins;
    const binOf = new Int32Array(n);
    const head = new Int32Array(ba * bb * bc).fill(-1);
    const next = new Int32Array(n);
    for (let i = n - 1; i >= 0; i--) {
      const fa = frac[3 * i] - Math.floor(frac[3 * i]);
      const fb = frac[3 * i + 1] - Math.floor(frac[3 * i + 1]);
      const fc = frac[3 * i + 2] - Math.floor(frac[3 * i + 2]);
      const k =
        (Math.min(ba - 1, (fa * ba) | 0) * bb + Math.min(bb - 1, (fb * bb) | 0)) * bc +
        Math.min(bc - 1, (fc * bc) | 0);
      binOf[i] = k;
      next[i] = head[k];
      head[k] = i;
    }
    const nt = this.sys.typeNames.length;
    const sp = this.ff.special;
    const q = this.sys.charges;
    const visit = (fill: boolean, out: number) => {
      let p = out;
      for (let i = 0; i < n; i++) {
        const k = binOf[i];
        const ka = Math.floor(k / (bb * bc));
        const kb = Math.floor(k / bc) % bb;
        const kc = k % bc;
        for (let oa = -1; oa <= 1; oa++)
          for (let ob = -1; ob <= 1; ob++)
            for (let oc = -1; oc <= 1; oc++) {
              const kk = (((ka + oa + ba) % ba) * bb + ((kb + ob + bb) % bb)) * bc + ((kc + oc + bc) % bc);
              for (let j = head[kk]; j >= 0; j = next[j]) {
                if (j <= i) continue;
                const n0 = -Math.round(frac[3 * i] - frac[3 * j]);
                const n1 = -Math.round(frac[3 * i + 1] - frac[3 * j + 1]);
                const n2 = -Math.round(frac[3 * i + 2] - frac[3 * j + 2]);
                const sx = n0 * m[0] + n1 * m[3] + n2 * m[6];
                const sy = n0 * m[1] + n1 * m[4] + n2 * m[7];
                const sz = n0 * m[2] + n1 * m[5] + n2 * m[8];
                const dx = positions[3 * i] - positions[3 * j] + sx;
                const dy = positions[3 * i + 1] - positions[3 * j + 1] + sy;
                const dz = positions[3 * i + 2] - positions[3 * j + 2] + sz;
                if (dx * dx + dy * dy + dz * dz >= reach2) continue;
                if (fill) {
                  const order = this.sys.special.get(i * n + j) ?? 0;
                  this.pairI[p] = i;
                  this.pairJ[p] = j;
                  this.shift[3 * p] = sx;
                  this.shift[3 * p + 1] = sy;
                  this.shift[3 * p + 2] = sz;
                  this.image[3 * p] = n0;
                  this.image[3 * p + 1] = n1;
                  this.image[3 * p + 2] = n2;
                  this.pairType[p] = this.sys.type[i] * nt + this.sys.type[j];
                  this.pairLj[p] = order ? sp.lj[order - 1] : 1;
                  this.pairCoul[p] = order ? sp.coul[order - 1] : 1;
                  this.pairWeight[p] = 1;
                  this.pairQQ[p] = QQR2E_REAL * q[i] * q[j];
                }
                p++;
              }
            }
      }
      return p;
    };
    const count = visit(false, 0);
    this.pairI = new Uint32Array(count);
    this.pairJ = new Uint32Array(count);
    this.shift = new Float64Array(3 * count);
    this.image = new Int16Array(3 * count);
    this.pairType = new Int32Array(count);
    this.pairLj = new Float64Array(count);
    this.pairCoul = new Float64Array(count);
    this.pairWeight = new Float64Array(count);
    this.pairQQ = new Float64Array(count);
    visit(true, 0);
    this.count = count;
    this.reference = Float64Array.from(positions);
  }

  /**
   * What decides the pair list (its reference positions and the cell it was built in): a
   * checkpoint stores it so that a resumed run sums the same pairs in the same order, and so
   * gives bitwise the same trajectory.
   */
  listState(): { reference: Float64Array; lattice: Lattice } | undefined {
    return this.reference.length ? { reference: this.reference, lattice: this.buildLattice } : undefined;
  }

  /** Rebuild the pair list exactly as it was (see listState), then return to the current cell. */
  restoreList(state: { reference: Float64Array; lattice: Lattice }): void {
    const current = this.lattice;
    this.lattice = state.lattice;
    this.build(state.reference);
    if (current.matrix.some((v, k) => v !== state.lattice.matrix[k])) this.setLattice(current);
    else this.lattice = current;
  }

  /**
   * A new cell (NPT): the pair list stays (positions scale with the cell, and the displacement
   * check triggers a rebuild when needed); each pair's periodic shift follows the new cell vectors.
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
    const m = lattice.matrix;
    const im = this.image;
    for (let p = 0; p < this.count; p++) {
      const a = im[3 * p];
      const b = im[3 * p + 1];
      const c = im[3 * p + 2];
      this.shift[3 * p] = a * m[0] + b * m[3] + c * m[6];
      this.shift[3 * p + 1] = a * m[1] + b * m[4] + c * m[7];
      this.shift[3 * p + 2] = a * m[2] + b * m[5] + c * m[8];
    }
  }

  /** Forces (kcal/mol/A) into `forces` (overwritten) and the energy terms (kcal/mol). */
  compute(positions: Float64Array, forces: Float64Array, out: ForceOutput): void {
    this.ensureList(positions);
    forces.fill(0);
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
    // Pairs.
    const rc2 = this.ff.cutoff * this.ff.cutoff;
    const alpha = this.alpha;
    const a2 = alpha * alpha;
    const twoAlphaOverSqrtPi = (2 * alpha) / Math.sqrt(Math.PI);

    const {
      pairI,
      pairJ,
      shift,
      pairType,
      pairLj,
      pairCoul,
      pairWeight,
      pairQQ,
      lj1,
      lj2,
      offset,
      eShift,
      fShift,
    } = this;
    let eVdw = 0;
    let eCoul = this.selfEnergy;
    let wxx = 0;
    let wyy = 0;
    let wzz = 0;
    let wxy = 0;
    let wxz = 0;
    let wyz = 0;
    for (let p = 0; p < this.count; p++) {
      const i = pairI[p];
      const j = pairJ[p];
      const dx = positions[3 * i] - positions[3 * j] + shift[3 * p];
      const dy = positions[3 * i + 1] - positions[3 * j + 1] + shift[3 * p + 1];
      const dz = positions[3 * i + 2] - positions[3 * j + 2] + shift[3 * p + 2];
      const r2 = dx * dx + dy * dy + dz * dz;
      if (r2 >= rc2) continue;
      const t = pairType[p];
      const w = pairWeight[p];
      const inv2 = 1 / r2;
      const inv6 = inv2 * inv2 * inv2;
      const fl = pairLj[p];
      const eLj = (inv6 * (lj1[t] * inv6 - lj2[t]) - offset[t]) * fl;
      const fLj = inv6 * (12 * lj1[t] * inv6 - 6 * lj2[t]) * fl; // -dE/dr * r
      const r = Math.sqrt(r2);
      const prefactor = pairQQ[p] / r;
      const ex = Math.exp(-a2 * r2);
      const erfcAr = fastErfc(alpha * r, ex);
      let eC = prefactor * (erfcAr - r * eShift - r2 * fShift);
      let fC = prefactor * (erfcAr / r + twoAlphaOverSqrtPi * ex + r * fShift) * r;
      const fc = pairCoul[p];
      if (fc < 1) {
        eC -= (1 - fc) * prefactor;
        fC -= (1 - fc) * prefactor;
      }
      eVdw += w * eLj;
      eCoul += w * eC;
      const fpair = (fC + fLj) * inv2 * w;
      if (i !== j) {
        forces[3 * i] += dx * fpair;
        forces[3 * i + 1] += dy * fpair;
        forces[3 * i + 2] += dz * fpair;
        forces[3 * j] -= dx * fpair;
        forces[3 * j + 1] -= dy * fpair;
        forces[3 * j + 2] -= dz * fpair;
      }
      wxx += dx * dx * fpair;
      wyy += dy * dy * fpair;
      wzz += dz * dz * fpair;
      wxy += dx * dy * fpair;
      wxz += dx * dz * fpair;
      wyz += dy * dz * fpair;
    }
    W[0] += wxx;
    W[1] += wyy;
    W[2] += wzz;
    W[3] += wxy;
    W[4] += wxz;
    W[5] += wyz;
    if (this.reciprocal) eCoul += this.reciprocal.compute(positions, forces, W);
    out.dihedral = this.sys.dihedrals.length
      ? dihedralTerms(positions, this.lattice, this.sys, forces, W)
      : 0;
    out.bond = eBond;
    out.angle = eAngle;
    out.vdw = eVdw;
    out.coulomb = eCoul;
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
