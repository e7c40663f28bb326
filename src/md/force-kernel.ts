import { OptionError, PhysicsError } from '../core/errors.js';
import type { Lattice } from '../core/lattice.js';
import { QQR2E_REAL } from '../core/units.js';
import { dihedralTerms } from '../forcefield/dihedral.js';
import { bornTables, coulombShape, type EnergyTerms } from '../forcefield/energy.js';
import { type ForceField, ljPair } from '../forcefield/force-field.js';
import { checkSpecialImages } from '../forcefield/special-images.js';
import type { TypedSystem } from '../forcefield/typing.js';
import { ACC_SIZE, ordinaryPairForces, type PairParams, specialPairForces } from './pair-forces.js';
import { WasmPairKernel, wasmPairKernelFits } from './pair-kernel-wasm.js';
import {
  imageShifts,
  type PairList,
  PairListBuilder,
  partitionAtoms,
  type SpecialPartners,
  searchKind,
  specialPartners,
} from './pair-list.js';
import { type EwaldSetup, OP_BUILD, OP_COMPUTE, PairThreads } from './pair-threads.js';
import { makeReciprocal, type Reciprocal } from './reciprocal-choice.js';
import { ReciprocalEwald } from './reciprocal-ewald.js';

/**
 * The fast force field for MD: the same terms as forcefield/energy.ts (its direct sum is the
 * reference the tests compare with), evaluated over a Verlet list (pair-list.ts) of pairs within
 * cutoff + skin, rebuilt when an atom has moved more than half the skin. Positions stay unwrapped
 * during a run, so each pair's lattice image is fixed between rebuilds; cutoffs longer than half
 * the cell need no special care (each image of j within reach is its own pair). The pair loop
 * (WebAssembly with SIMD, pair-kernel-wasm.ts; its JavaScript twin and fallback in pair-forces.ts)
 * can run on several threads (pair-threads.ts).
 */
export interface ForceOutput {
  /** The potential energy by term (kcal/mol). */
  termsKcalMol: EnergyTerms;
  /** Virial (kcal/mol): xx yy zz xy xz yz. */
  virialKcalMol: Float64Array;
}

/** A ForceOutput to pass to ForceKernel.compute (which overwrites it). */
export const newForceOutput = (): ForceOutput => ({
  termsKcalMol: { bond: 0, angle: 0, dihedral: 0, vdw: 0, coulomb: 0 },
  virialKcalMol: new Float64Array(6),
});

/**
 * Threads for the pair forces, at most: a thread's range should hold at least
 * MIN_ATOMS_PER_THREAD atoms (fewer, and handing the range over costs more than summing it), and
 * never more than MAX_THREADS (each is a V8 isolate of ~10 MB: --threads 1000 ran out of memory).
 * Both depend on the system only, never on the machine, so a run's thread count (and with it its
 * bitwise result) is reproducible anywhere.
 */
export const MIN_ATOMS_PER_THREAD = 16;
export const MAX_THREADS = 64;

/** The threads a kernel of `natoms` atoms runs on when asked for `requested`. */
export const usefulThreads = (requested: number, natoms: number): number =>
  Math.max(1, Math.min(requested, MAX_THREADS, Math.floor(natoms / MIN_ATOMS_PER_THREAD)));

/** How many cell lengths from the home cell an atom may be before it counts as lost (see checkPlaced). */
const MAX_CELLS_AWAY = 250;

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
  private readonly reciprocal?: Reciprocal;
  private readonly ewaldSetup?: EwaldSetup;
  private threads?: PairThreads;
  /**
   * The pairs in WebAssembly (pair-kernel-wasm.ts) where it fits, else ordinaryPairForces and
   * specialPairForces.
   */
  private readonly wasm?: WasmPairKernel;
  private readonly acc = new Float64Array(ACC_SIZE);
  /** Scratch vectors of the bonded terms, kept so that an evaluation allocates nothing. */
  private readonly d = new Float64Array(3);
  private readonly d1 = new Float64Array(3);
  private readonly d2 = new Float64Array(3);
  /**
   * The periodic image of each bond's second atom and of each angle's two ends (bonds first, then
   * two per angle), as lattice translations chosen at each list build (the minimum image then, as
   * LAMMPS takes the closest image at each reneighbouring), and their Cartesian shifts in the
   * current cell: the bonded terms need no minimum-image search per step.
   */
  private bondedImages = new Float64Array(0);
  private bondedShifts = new Float64Array(0);
  builds = 0;
  /**
   * The farthest any atom moved between the last two list builds (A) and which atom (-1: no
   * earlier build), measured at each build. The list is checked every evaluation and rebuilt once
   * an atom has moved skin / 2, so a move well beyond that means one step carried an atom further
   * than the skin: the integrator (md/integrator.ts) calls that a blow-up.
   */
  readonly lastBuildMove = { atom: -1, distanceA: 0 };

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
    const { alpha, eShift, fShift } = coulombShape(ff);
    if (coul.method === 'ewald') {
      this.reciprocal = makeReciprocal(lattice, sys.charges, alpha, coul.accuracy, coul.kspace);
      // The k-vector sum is shared among the threads; PME runs in this thread (its cost is small
      // beside the pairs of the large cells it is chosen for).
      if (this.reciprocal instanceof ReciprocalEwald)
        this.ewaldSetup = {
          cell: Array.from(lattice.matrix),
          charges: sys.charges,
          alpha,
          lnInverseAccuracy: -Math.log(coul.accuracy),
          size: this.reciprocal.size,
        };
    }
    const nt = sys.typeNames.length;
    const lj1 = new Float64Array(nt * nt);
    const lj2 = new Float64Array(nt * nt);
    const offset = new Float64Array(nt * nt);
    for (let a = 0; a < nt; a++)
      for (let b = 0; b < nt; b++) {
        const { epsilon: e, sigma: s } = ljPair(ff, sys.typeNames[a], sys.typeNames[b]);
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
      born: bornTables(ff, sys.typeNames),
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
    if (wasmPairKernelFits(this.params)) this.wasm = new WasmPairKernel(sys.natoms, this.params);
    this.specials = specialPartners(sys);
    this.builder = new PairListBuilder(sys.natoms, this.specials, ff.special);
  }

  /**
   * Evaluate the pairs on `threads` threads (this one and threads - 1 workers), each building
   * and summing the pair list of its range of atoms; a list already built is rebuilt so, as it
   * was. At most usefulThreads(threads, natoms) are started (threadCount says how many). Call
   * dispose() when done.
   */
  async startThreads(threads: number): Promise<void> {
    if (!Number.isInteger(threads) || threads < 1)
      throw new OptionError(`threads: ${threads} is not a whole number >= 1`);
    const n = usefulThreads(threads, this.sys.natoms);
    if (this.threads || n === 1) return;
    this.threads = await PairThreads.start(
      n,
      this.sys.natoms,
      this.params,
      this.specials,
      this.ff.special,
      this.ewaldSetup,
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

  /**
   * Whether any atom moved more than skin / 2 since the last build (or there is no list); a
   * position that is not a number counts as moved, so the build reports it as lost.
   */
  private needsBuild(positions: Float64Array): boolean {
    if (!this.list || this.reference.length !== positions.length) return true;
    const n = this.sys.natoms;
    const half2 = (this.skin / 2) ** 2;
    for (let i = 0; i < n; i++) {
      const dx = positions[3 * i] - this.reference[3 * i];
      const dy = positions[3 * i + 1] - this.reference[3 * i + 1];
      const dz = positions[3 * i + 2] - this.reference[3 * i + 2];
      if (!(dx * dx + dy * dy + dz * dz <= half2)) return true;
    }
    return false;
  }

  /**
   * Build the pair list at `positions` in the current cell: the atom ranges, this thread's part;
   * the workers, started with `op` (OP_BUILD, and OP_COMPUTE when the forces follow), their parts.
   */
  private build(positions: Float64Array, op: number): void {
    this.checkPlaced(positions);
    // Small cells: refuse, before any state changes or thread builds, one where a special pair's
    // bonded image is beyond half the cell (special-images.ts; the builders then pick the same
    // images and cannot fail).
    if (!searchKind(this.lattice, this.ff.cutoff + this.skin).binned)
      checkSpecialImages(positions, this.lattice, this.sys);
    // Updated in place: a build allocates nothing for it.
    const move = this.lastBuildMove;
    move.atom = -1;
    move.distanceA = 0;
    if (this.reference.length === positions.length) {
      let far = 0;
      for (let i = 0; i < this.sys.natoms; i++) {
        const dx = positions[3 * i] - this.reference[3 * i];
        const dy = positions[3 * i + 1] - this.reference[3 * i + 1];
        const dz = positions[3 * i + 2] - this.reference[3 * i + 2];
        const r2 = dx * dx + dy * dy + dz * dz;
        if (r2 > far) {
          far = r2;
          move.atom = i;
        }
      }
      move.distanceA = Math.sqrt(far);
    }
    this.builds++;
    this.buildLattice = this.lattice;
    this.reference = Float64Array.from(positions);
    this.chooseBondedImages(positions);
    const reach = this.ff.cutoff + this.skin;
    const T = this.threadCount;
    // What this thread does besides its pairs, in pair equivalents (estimates: a bond about three
    // pairs' work, an angle six, a dihedral ten): the workers take correspondingly more atoms.
    const sys = this.sys;
    const extra =
      T === 1
        ? 0
        : 3 * (sys.bonds.length / 2) + 6 * (sys.angles.length / 3) + 10 * (sys.dihedrals.length / 4);
    this.bounds = partitionAtoms(sys.natoms, T, this.lattice, reach, extra);
    this.threads?.begin(op, positions, this.lattice, this.bounds, reach);
    this.list = this.builder.build(positions, this.lattice, reach, 0, this.bounds[1]);
    this.wasm?.setList(this.list, 0, this.bounds[1]);
    if (this.shifts.length < 3 * this.list.imageCount)
      this.shifts = new Float64Array(6 * this.list.imageCount);
  }

  /** Bonded images at `positions` (see bondedImages), and their shifts in the current cell. */
  private chooseBondedImages(positions: Float64Array): void {
    const sys = this.sys;
    const nb = sys.bonds.length / 2;
    const na = sys.angles.length / 3;
    const count = nb + 2 * na;
    if (this.bondedImages.length !== 3 * count) {
      this.bondedImages = new Float64Array(3 * count);
      this.bondedShifts = new Float64Array(3 * count);
    }
    const L = this.lattice;
    const v = L.inverse;
    const d = this.d;
    const images = this.bondedImages;
    const pick = (e: number, i: number, j: number) => {
      for (let x = 0; x < 3; x++) d[x] = positions[3 * i + x] - positions[3 * j + x];
      const dx = d[0];
      const dy = d[1];
      const dz = d[2];
      L.minimumImage(d);
      // The translation that took d to its minimum image, in cell vectors (whole numbers).
      const sx = d[0] - dx;
      const sy = d[1] - dy;
      const sz = d[2] - dz;
      for (let a = 0; a < 3; a++) images[3 * e + a] = Math.round(sx * v[a] + sy * v[3 + a] + sz * v[6 + a]);
    };
    for (let b = 0; b < nb; b++) pick(b, sys.bonds[2 * b], sys.bonds[2 * b + 1]);
    for (let a = 0; a < na; a++) {
      pick(nb + 2 * a, sys.angles[3 * a], sys.angles[3 * a + 1]);
      pick(nb + 2 * a + 1, sys.angles[3 * a + 2], sys.angles[3 * a + 1]);
    }
    this.bondedImageShifts();
  }

  /** Cartesian shifts of the bonded images in the current cell. */
  private bondedImageShifts(): void {
    const m = this.lattice.matrix;
    const im = this.bondedImages;
    const out = this.bondedShifts;
    for (let e = 0; e < im.length / 3; e++) {
      const a = im[3 * e];
      const b = im[3 * e + 1];
      const c = im[3 * e + 2];
      out[3 * e] = a * m[0] + b * m[3] + c * m[6];
      out[3 * e + 1] = a * m[1] + b * m[4] + c * m[7];
      out[3 * e + 2] = a * m[2] + b * m[5] + c * m[8];
    }
  }

  /**
   * Every atom within MAX_CELLS_AWAY cell lengths of the home cell, with finite coordinates: the
   * list stores a pair's lattice image in 16 bits and keys images by offsets below 512 cells, so
   * an atom beyond that would silently meet the wrong images. No run gets there (an ion diffusing
   * at 1e-4 cm^2/s for 10 ns moves about 250 A); an atom that does has been shot off by a
   * blow-up, and is reported as lost.
   */
  private checkPlaced(positions: Float64Array): void {
    const v = this.lattice.inverse;
    for (let i = 0; i < this.sys.natoms; i++) {
      const x = positions[3 * i];
      const y = positions[3 * i + 1];
      const z = positions[3 * i + 2];
      for (let c = 0; c < 3; c++) {
        const f = x * v[c] + y * v[3 + c] + z * v[6 + c];
        if (!(Math.abs(f) <= MAX_CELLS_AWAY))
          throw new PhysicsError(
            Number.isFinite(f)
              ? `atom ${i + 1} (${this.sys.typeNames[this.sys.type[i]]}) is lost: ${Math.abs(f).toExponential(2)} cell lengths from the cell (at most ${MAX_CELLS_AWAY} are followed)`
              : `atom ${i + 1} (${this.sys.typeNames[this.sys.type[i]]}) is lost: its position is not a finite number`,
          );
      }
    }
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
    this.bondedImageShifts();
  }

  /** Forces (kcal/mol/A) into `forces` (overwritten) and the energy terms (kcal/mol). */
  compute(positions: Float64Array, forces: Float64Array, out: ForceOutput): void {
    // The workers start on their ranges of atoms (building their lists first when needed); this
    // thread takes the first range, then the bonded terms and its share of the reciprocal sum.
    if (this.needsBuild(positions)) this.build(positions, OP_BUILD | OP_COMPUTE);
    else this.threads?.begin(OP_COMPUTE, positions, this.lattice);
    const list = this.list!;
    imageShifts(list, this.lattice.matrix, this.shifts);
    const acc = this.acc;
    if (this.wasm) this.wasm.compute(positions, this.shifts, list.imageCount, forces, acc);
    else {
      forces.fill(0);
      ordinaryPairForces(list, 0, this.bounds[1], positions, this.shifts, this.params, forces, acc);
      specialPairForces(list, positions, this.shifts, this.params, forces, acc);
    }
    const W = out.virialKcalMol;
    W.fill(0);
    const sys = this.sys;
    const S = this.bondedShifts;
    const nb = sys.bonds.length / 2;
    // Bonds.
    let eBond = 0;
    for (let b = 0; b < nb; b++) {
      const i = sys.bonds[2 * b];
      const j = sys.bonds[2 * b + 1];
      const dx = positions[3 * i] - positions[3 * j] + S[3 * b];
      const dy = positions[3 * i + 1] - positions[3 * j + 1] + S[3 * b + 1];
      const dz = positions[3 * i + 2] - positions[3 * j + 2] + S[3 * b + 2];
      const r = Math.sqrt(dx * dx + dy * dy + dz * dz);
      const { k, x0 } = sys.bondParams[b];
      const dr = r - x0;
      eBond += k * dr * dr;
      const f = (-2 * k * dr) / r;
      forces[3 * i] += dx * f;
      forces[3 * i + 1] += dy * f;
      forces[3 * i + 2] += dz * f;
      forces[3 * j] -= dx * f;
      forces[3 * j + 1] -= dy * f;
      forces[3 * j + 2] -= dz * f;
      W[0] += dx * dx * f;
      W[1] += dy * dy * f;
      W[2] += dz * dz * f;
      W[3] += dx * dy * f;
      W[4] += dx * dz * f;
      W[5] += dy * dz * f;
    }
    // Angles (LAMMPS angle_style harmonic).
    let eAngle = 0;
    const d1 = this.d1;
    const d2 = this.d2;
    for (let a = 0; a < sys.angles.length / 3; a++) {
      const i1 = sys.angles[3 * a];
      const i2 = sys.angles[3 * a + 1];
      const i3 = sys.angles[3 * a + 2];
      const e1 = 3 * (nb + 2 * a);
      for (let x = 0; x < 3; x++) {
        d1[x] = positions[3 * i1 + x] - positions[3 * i2 + x] + S[e1 + x];
        d2[x] = positions[3 * i3 + x] - positions[3 * i2 + x] + S[e1 + 3 + x];
      }
      const r1 = Math.sqrt(d1[0] * d1[0] + d1[1] * d1[1] + d1[2] * d1[2]);
      const r2 = Math.sqrt(d2[0] * d2[0] + d2[1] * d2[1] + d2[2] * d2[2]);
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
      // Forces on the two ends (the apex takes minus their sum), each once, in scalars: this loop
      // runs for every angle at every step and allocates nothing.
      const f1x = a11 * d1[0] + a12 * d2[0];
      const f1y = a11 * d1[1] + a12 * d2[1];
      const f1z = a11 * d1[2] + a12 * d2[2];
      const f3x = a22 * d2[0] + a12 * d1[0];
      const f3y = a22 * d2[1] + a12 * d1[1];
      const f3z = a22 * d2[2] + a12 * d1[2];
      forces[3 * i1] += f1x;
      forces[3 * i1 + 1] += f1y;
      forces[3 * i1 + 2] += f1z;
      forces[3 * i2] -= f1x + f3x;
      forces[3 * i2 + 1] -= f1y + f3y;
      forces[3 * i2 + 2] -= f1z + f3z;
      forces[3 * i3] += f3x;
      forces[3 * i3 + 1] += f3y;
      forces[3 * i3 + 2] += f3z;
      W[0] += d1[0] * f1x + d2[0] * f3x;
      W[1] += d1[1] * f1y + d2[1] * f3y;
      W[2] += d1[2] * f1z + d2[2] * f3z;
      W[3] += d1[0] * f1y + d2[0] * f3y;
      W[4] += d1[0] * f1z + d2[0] * f3z;
      W[5] += d1[1] * f1z + d2[1] * f3z;
    }
    let eCoul = this.selfEnergy;
    if (this.reciprocal instanceof ReciprocalEwald) {
      const kTo = this.threads ? this.threads.kBounds[1] : this.reciprocal.size;
      eCoul += this.reciprocal.compute(positions, forces, W, 0, kTo);
    } else if (this.reciprocal) eCoul += this.reciprocal.compute(positions, forces, W);
    const terms = out.termsKcalMol;
    terms.dihedral = this.sys.dihedrals.length
      ? dihedralTerms(positions, this.lattice, this.sys, forces, W)
      : 0;
    this.threads?.finish(forces, acc);
    for (let k = 0; k < 6; k++) W[k] += acc[2 + k];
    terms.bond = eBond;
    terms.angle = eAngle;
    terms.vdw = acc[0];
    terms.coulomb = eCoul + acc[1];
  }
}
