import { OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';

/**
 * Unwrapped, drift-corrected displacements of selected atoms, recorded one frame at a time.
 *
 * Unwrapping (as pymatgen-analysis-diffusion and kinisi do it): per step the change of each atom's
 * fractional coordinates is wrapped into [-1/2, 1/2) and converted to Cartesian with the later
 * frame's lattice, so NPT and triclinic runs are handled; the cumulative sum is the displacement,
 * 0 at the first frame. Input that is already unwrapped (LAMMPS xu, extended XYZ of unwrapped
 * runs, pymatgen DiffusionAnalyzer displacements) is differenced directly.
 *
 * Drift: the unweighted mean displacement of the framework atoms (default: every atom not
 * selected) is recorded per frame and subtracted when a series is read. With no framework atoms
 * nothing is subtracted and `driftCorrected` is false.
 *
 * Memory: 24 bytes per selected atom per frame (double precision), stored in blocks of
 * BLOCK frames laid out per atom and coordinate so a series is read contiguously; the framework
 * costs 24 bytes per frame plus 24 bytes per atom for the previous positions.
 */
export interface DisplacementOptions {
  /** Indices of the atoms whose displacements are kept (e.g. every Li). */
  selected: ArrayLike<number>;
  /** Indices of the atoms whose mean motion is removed as drift; default: every atom not selected. */
  framework?: ArrayLike<number>;
  /**
   * Are positions continuous across cell boundaries? 'auto' (default): as each frame says
   * (`frame.unwrapped`); true: always; false: always unwrap by the minimum fractional step.
   */
  unwrapped?: 'auto' | boolean;
}

const BLOCK = 2048;

export class DisplacementRecorder {
  readonly selected: Uint32Array;
  readonly framework: Uint32Array;
  private readonly natoms: number;
  private readonly mode: 'auto' | boolean;
  private readonly blocks: Float64Array[] = [];
  /** Cumulative displacement of the selected atoms (A), interleaved. */
  private readonly cumulative: Float64Array;
  /** Previous frame: fractional (wrapped input) or Cartesian (unwrapped input) coordinates of every atom used. */
  private readonly previous: Float64Array;
  private previousWasUnwrapped = false;
  private drift: Float64Array = new Float64Array(3 * 1024);
  private driftNow = new Float64Array(3);
  private times: number[] = [];
  private volumes: number[] = [];
  private count = 0;
  private anyWrapped = false;
  private scratch = new Float64Array(3);

  constructor(natoms: number, options: DisplacementOptions) {
    this.natoms = natoms;
    this.selected = Uint32Array.from(options.selected);
    if (this.selected.length === 0) throw new OptionError('no atoms selected for the displacement analysis');
    for (const i of this.selected)
      if (i >= natoms) throw new OptionError(`selected atom index ${i} is outside 0..${natoms - 1}`);
    if (options.framework) this.framework = Uint32Array.from(options.framework);
    else {
      const isSelected = new Uint8Array(natoms);
      for (const i of this.selected) isSelected[i] = 1;
      const rest: number[] = [];
      for (let i = 0; i < natoms; i++) if (!isSelected[i]) rest.push(i);
      this.framework = Uint32Array.from(rest);
    }
    for (const i of this.framework)
      if (i >= natoms) throw new OptionError(`framework atom index ${i} is outside 0..${natoms - 1}`);
    this.mode = options.unwrapped ?? 'auto';
    this.cumulative = new Float64Array(3 * this.selected.length);
    this.previous = new Float64Array(3 * natoms);
  }

  /** Number of frames pushed so far. */
  get frames(): number {
    return this.count;
  }

  /** Add the next frame (positions of all `natoms` atoms). `timeFs` is the frame's time when known. */
  push(frame: Frame): void {
    const n = this.natoms;
    const p = frame.positions;
    if (p.length !== 3 * n)
      throw new OptionError(`frame ${this.count} has ${p.length / 3} atoms; the run started with ${n}`);
    const unwrapped = this.mode === 'auto' ? frame.unwrapped === true : this.mode;
    const lattice = frame.lattice;
    if (!unwrapped && !lattice)
      throw new OptionError(
        `frame ${this.count} has no cell, so wrapped positions cannot be unwrapped; declare them unwrapped`,
      );
    if (!unwrapped) this.anyWrapped = true;
    const cur = this.scratch;
    const sel = this.selected;
    const fw = this.framework;
    if (this.count === 0) {
      this.storePrevious(p, unwrapped, frame);
      this.cumulative.fill(0);
    } else {
      if (unwrapped !== this.previousWasUnwrapped)
        throw new OptionError(`frame ${this.count} switches between wrapped and unwrapped positions`);
      // Selected atoms: cumulative displacement.
      for (let k = 0; k < sel.length; k++) {
        this.step(sel[k], p, unwrapped, frame, cur);
        this.cumulative[3 * k] += cur[0];
        this.cumulative[3 * k + 1] += cur[1];
        this.cumulative[3 * k + 2] += cur[2];
      }
      // Framework: the mean step, accumulated (mean of cumulative = cumulative of mean).
      if (fw.length > 0) {
        let sx = 0;
        let sy = 0;
        let sz = 0;
        for (let k = 0; k < fw.length; k++) {
          this.step(fw[k], p, unwrapped, frame, cur);
          sx += cur[0];
          sy += cur[1];
          sz += cur[2];
        }
        this.driftNow[0] += sx / fw.length;
        this.driftNow[1] += sy / fw.length;
        this.driftNow[2] += sz / fw.length;
      }
      this.storePrevious(p, unwrapped, frame);
    }
    this.record();
    this.times.push(frame.timeFs ?? Number.NaN);
    this.volumes.push(lattice ? lattice.volume : Number.NaN);
  }

  /** Displacement of atom i from the previous frame into `out` (A), and no state change. */
  private step(i: number, p: Float64Array, unwrapped: boolean, frame: Frame, out: Float64Array): void {
    const q = this.previous;
    const o = 3 * i;
    if (unwrapped) {
      out[0] = p[o] - q[o];
      out[1] = p[o + 1] - q[o + 1];
      out[2] = p[o + 2] - q[o + 2];
      return;
    }
    // Fractional step wrapped to the nearest image, then Cartesian with this (the later) frame's cell.
    const inv = frame.lattice!.inverse;
    const m = frame.lattice!.matrix;
    const x = p[o];
    const y = p[o + 1];
    const z = p[o + 2];
    let f0 = x * inv[0] + y * inv[3] + z * inv[6] - q[o];
    let f1 = x * inv[1] + y * inv[4] + z * inv[7] - q[o + 1];
    let f2 = x * inv[2] + y * inv[5] + z * inv[8] - q[o + 2];
    f0 -= Math.round(f0);
    f1 -= Math.round(f1);
    f2 -= Math.round(f2);
    out[0] = f0 * m[0] + f1 * m[3] + f2 * m[6];
    out[1] = f0 * m[1] + f1 * m[4] + f2 * m[7];
    out[2] = f0 * m[2] + f1 * m[5] + f2 * m[8];
  }

  private storePrevious(p: Float64Array, unwrapped: boolean, frame: Frame): void {
    this.previousWasUnwrapped = unwrapped;
    const q = this.previous;
    const store = (i: number) => {
      const o = 3 * i;
      if (unwrapped) {
        q[o] = p[o];
        q[o + 1] = p[o + 1];
        q[o + 2] = p[o + 2];
      } else {
        const inv = frame.lattice!.inverse;
        q[o] = p[o] * inv[0] + p[o + 1] * inv[3] + p[o + 2] * inv[6];
        q[o + 1] = p[o] * inv[1] + p[o + 1] * inv[4] + p[o + 2] * inv[7];
        q[o + 2] = p[o] * inv[2] + p[o + 1] * inv[5] + p[o + 2] * inv[8];
      }
    };
    for (const i of this.selected) store(i);
    for (const i of this.framework) store(i);
  }

  private record(): void {
    const t = this.count;
    const nsel = this.selected.length;
    const b = Math.floor(t / BLOCK);
    if (b === this.blocks.length) this.blocks.push(new Float64Array(3 * nsel * BLOCK));
    const block = this.blocks[b];
    const local = t - b * BLOCK;
    const c = this.cumulative;
    for (let k = 0; k < 3 * nsel; k++) block[k * BLOCK + local] = c[k];
    if (3 * t + 3 > this.drift.length) {
      const grown = new Float64Array(this.drift.length * 2);
      grown.set(this.drift);
      this.drift = grown;
    }
    this.drift[3 * t] = this.driftNow[0];
    this.drift[3 * t + 1] = this.driftNow[1];
    this.drift[3 * t + 2] = this.driftNow[2];
    this.count++;
  }

  /** The recorded displacements (the recorder can keep receiving frames afterwards). */
  result(): Displacements {
    return new Displacements(
      this.blocks,
      this.selected.length,
      this.count,
      this.framework.length > 0 ? this.drift.slice(0, 3 * this.count) : undefined,
      Float64Array.from(this.times),
      Float64Array.from(this.volumes),
      this.anyWrapped,
    );
  }
}

/** Drift-corrected displacement series of the selected atoms, read one atom and coordinate at a time. */
export class Displacements {
  constructor(
    private readonly blocks: Float64Array[],
    /** Number of selected atoms. */
    readonly atoms: number,
    /** Number of frames. */
    readonly frames: number,
    /** Mean framework displacement per frame (interleaved), or undefined when there was no framework. */
    readonly drift: Float64Array | undefined,
    /** Frame times (fs) as the file gave them (NaN where it gave none). */
    readonly timesFs: Float64Array,
    /** Cell volume per frame (A^3; NaN without a cell). */
    readonly volumesA3: Float64Array,
    /** True when at least one frame was unwrapped here (rather than given unwrapped). */
    readonly unwrappedHere: boolean,
  ) {}

  get driftCorrected(): boolean {
    return this.drift !== undefined;
  }

  /** Displacement of selected atom `atom` along Cartesian axis `axis` (0..2) for every frame, drift removed. */
  series(atom: number, axis: number, out: Float64Array = new Float64Array(this.frames)): Float64Array {
    const T = this.frames;
    const row = 3 * atom + axis;
    for (let b = 0; b * BLOCK < T; b++) {
      const block = this.blocks[b];
      const n = Math.min(BLOCK, T - b * BLOCK);
      out.set(block.subarray(row * BLOCK, row * BLOCK + n), b * BLOCK);
    }
    const d = this.drift;
    if (d) for (let t = 0; t < T; t++) out[t] -= d[3 * t + axis];
    return out;
  }
}
