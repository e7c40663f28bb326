import { OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import type { FrameJobMemory } from '../../io/read-ahead.js';
import { WasmDisplacementSums } from './displacement-sums-wasm.js';

/**
 * Unwrapped, drift-corrected displacements of selected atoms, recorded one frame at a time.
 *
 * Unwrapping (as pymatgen-analysis-diffusion and kinisi do it): per step the change of each atom's
 * fractional coordinates is wrapped into [-1/2, 1/2) and converted to Cartesian with the later
 * frame's lattice, so NPT and triclinic runs are handled; the cumulative sum is the displacement,
 * 0 at the first frame. Input that is already unwrapped (LAMMPS xu, extended XYZ of unwrapped
 * runs, pymatgen DiffusionAnalyzer displacements) is differenced directly: the displacement is the
 * position less the first frame's (no sum of steps, so no rounding accumulates over the run, and
 * the framework's drift is one sum a frame).
 *
 * Drift: the unweighted mean displacement of the framework atoms (default: every atom not
 * selected) is recorded per frame and subtracted when a series is read. With no framework atoms
 * nothing is subtracted and `driftCorrected` is false.
 *
 * Memory: 24 bytes per selected atom per frame (double precision; 12 for unwrapped input whose
 * positions are float32 values, a DCD's, kept as they are: DisplacementRecorder, `single`),
 * stored in blocks of BLOCK frames laid out per atom and coordinate so a series is read
 * contiguously; the framework
 * costs 24 bytes per frame, and the recorder and its FrameworkMotion 24 bytes per atom each for
 * the previous positions (with `others`, 24 bytes per other atom per stored frame besides).
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
  /**
   * Also keep the displacements of every atom not selected, at up to `otherFrames` frames evenly
   * spaced over the run (default 1024; the spacing doubles whenever the store fills), for the MSD
   * of the other elements: memory bounded by atoms x otherFrames, whatever the run's length.
   */
  others?: boolean;
  otherFrames?: number;
  /** The number of frames, when known before the first: the others' spacing is then set at once (FrameworkMotion.expectFrames). */
  expectedFrames?: number;
}

const BLOCK = 2048;
/** Frames staged before they are moved into the blocks (a divisor of BLOCK). */
const STAGE = 64;

/** Options of FrameworkMotion: which atoms are the framework, and whether to keep the others. */
export interface FrameworkMotionOptions {
  /** Indices of the analysed atoms (not part of the framework, nor of the others). */
  selected: ArrayLike<number>;
  framework?: ArrayLike<number>;
  unwrapped?: 'auto' | boolean;
  /** Record the framework's drift (default true). */
  drift?: boolean;
  others?: boolean;
  otherFrames?: number;
  /** The number of frames, when known before the first (see FrameworkMotion.expectFrames). */
  expectedFrames?: number;
  /**
   * Shared WebAssembly memory set aside for the drift's kernel, where the frames lie in that
   * memory (the DCD reading thread's ring: framework-job.ts): the drift of unwrapped input is
   * then summed there (displacement-sums-wasm.ts), the same sums bit for bit.
   */
  memory?: FrameJobMemory;
}

/** Checks an atom selection and the framework against each other; the framework, defaulted. */
const frameworkOf = (natoms: number, selected: Uint32Array, framework?: ArrayLike<number>): Uint32Array => {
  if (selected.length === 0) throw new OptionError('no atoms selected for the displacement analysis');
  for (const i of selected)
    if (i >= natoms) throw new OptionError(`selected atom index ${i} is outside 0..${natoms - 1}`);
  let out: Uint32Array;
  if (framework) out = Uint32Array.from(framework);
  else {
    const isSelected = new Uint8Array(natoms);
    for (const i of selected) isSelected[i] = 1;
    const rest: number[] = [];
    for (let i = 0; i < natoms; i++) if (!isSelected[i]) rest.push(i);
    out = Uint32Array.from(rest);
  }
  const chosen = new Uint8Array(natoms);
  for (const i of selected) chosen[i] = 1;
  for (const i of out) {
    if (i >= natoms) throw new OptionError(`framework atom index ${i} is outside 0..${natoms - 1}`);
    if (chosen[i]) throw new OptionError(`atom ${i} cannot be both analysed and part of the framework`);
  }
  return out;
};

/**
 * Is this frame's input unwrapped (as `mode` says, or the frame when 'auto')? The errors of a
 * frame that cannot be unwrapped, or that switches between the two.
 */
const frameUnwrapped = (
  mode: 'auto' | boolean,
  frame: Frame,
  count: number,
  first: boolean | undefined,
): boolean => {
  const unwrapped = mode === 'auto' ? frame.unwrapped === true : mode;
  if (!unwrapped && !frame.lattice)
    throw new OptionError(
      `frame ${count} has no cell, so wrapped positions cannot be unwrapped; declare them unwrapped`,
    );
  if (first !== undefined && unwrapped !== first)
    throw new OptionError(`frame ${count} switches between wrapped and unwrapped positions`);
  return unwrapped;
};

/**
 * The framework's drift, frame by frame, and the displacements of every atom not analysed at
 * evenly spaced frames (with `others`): the part of the recording that reads every atom. It runs
 * inside DisplacementRecorder, or on the thread that reads the frames (read-ahead.ts, with
 * framework-job.ts), where the frames are already in that core's cache; the result is the same,
 * bit for bit.
 */
export class FrameworkMotion {
  readonly framework: Uint32Array;
  private readonly natoms: number;
  private readonly mode: 'auto' | boolean;
  /** Framework atoms whose drift is recorded: the framework, or none (`drift: false`). */
  private readonly fw: Uint32Array;
  /** Fractional coordinates of the previous frame (wrapped input), or Cartesian of the first (unwrapped input). */
  private readonly previous: Float64Array;
  private firstUnwrapped: boolean | undefined;
  private drift: Float64Array = new Float64Array(3 * 1024);
  private readonly driftNow = new Float64Array(3);
  private readonly scratch = new Float64Array(3);
  private count = 0;
  /** Every atom not selected (when `others`), its cumulative displacement, and the framework's slots in it. */
  private readonly others?: Uint32Array;
  private readonly otherCumulative?: Float64Array;
  private readonly frameworkSlots?: Uint32Array;
  /** The drift's WebAssembly kernel (options.memory), which keeps the first frame (`previous`). */
  private readonly sums?: WasmDisplacementSums;
  private otherStore?: Float64Array;
  private otherStored = 0;
  private otherStride = 1;
  private readonly otherCapacity: number;
  private storeHandedOut = false;

  constructor(natoms: number, options: FrameworkMotionOptions) {
    this.natoms = natoms;
    const selected = Uint32Array.from(options.selected);
    this.framework = frameworkOf(natoms, selected, options.framework);
    this.fw = options.drift === false ? new Uint32Array(0) : this.framework;
    this.mode = options.unwrapped ?? 'auto';
    this.otherCapacity = Math.max(2, 2 * Math.floor((options.otherFrames ?? 1024) / 2));
    if (options.others) {
      const isSelected = new Uint8Array(natoms);
      for (const i of selected) isSelected[i] = 1;
      const slot = new Int32Array(natoms).fill(-1);
      const rest: number[] = [];
      for (let i = 0; i < natoms; i++)
        if (!isSelected[i]) {
          slot[i] = rest.length;
          rest.push(i);
        }
      this.others = Uint32Array.from(rest);
      this.otherCumulative = new Float64Array(3 * rest.length);
      this.frameworkSlots = Uint32Array.from(this.framework, (i) => {
        if (slot[i] < 0) throw new OptionError(`framework atom ${i} is also selected`);
        return slot[i];
      });
      // Shared memory, so that the store reaches a worker thread without a copy.
      this.otherStore = new Float64Array(new SharedArrayBuffer(8 * 3 * rest.length * this.otherCapacity));
    }
    if (options.memory && this.fw.length > 0)
      this.sums = WasmDisplacementSums.create(options.memory, natoms, this.fw);
    this.previous = this.sums?.first ?? new Float64Array(3 * natoms);
    if (options.expectedFrames !== undefined) this.expectFrames(options.expectedFrames);
  }

  /**
   * The run will have `frames` frames (said before the first): the other atoms are then stored
   * from the start at the spacing the store would end with (the least power of two that fits
   * the frames in its capacity), which keeps exactly the frames it would keep anyway, without
   * storing the early ones densely and thinning them out again. A wrong count changes which
   * frames are kept: more frames than told thin the store as usual (the same frames in the end);
   * fewer leave it sparser than it would have been.
   */
  expectFrames(frames: number): void {
    if (this.count > 0) throw new Error('expectFrames after the first frame');
    let stride = 1;
    while (stride * this.otherCapacity < frames) stride *= 2;
    this.otherStride = stride;
  }

  /** Is there anything to do (a drift to record, or other atoms to keep)? */
  get active(): boolean {
    return this.fw.length > 0 || this.others !== undefined;
  }

  /** Adds the next frame: its drift, and the others' displacements when this frame is stored. */
  push(frame: Frame): void {
    const p = frame.positions;
    if (p.length !== 3 * this.natoms)
      throw new OptionError(
        `frame ${this.count} has ${p.length / 3} atoms; the run started with ${this.natoms}`,
      );
    const unwrapped = frameUnwrapped(this.mode, frame, this.count, this.firstUnwrapped);
    const lattice = frame.lattice;
    const q = this.previous;
    const fw = this.fw;
    const others = this.others;
    if (this.count === 0) {
      this.firstUnwrapped = unwrapped;
      storeFirst(p, q, others ?? fw, unwrapped ? undefined : lattice!.inverse);
    } else {
      const sum = this.scratch;
      sum.fill(0);
      if (unwrapped) {
        // The framework's displacements summed here, in framework order (the others' are worked
        // out only for the frames that are stored, below).
        if (fw.length > 0 && !this.sums?.sum(p, sum)) sumDisplacementsUnwrapped(p, q, fw, sum);
      } else {
        const step = lattice!.isOrthorhombic ? stepWrappedOrthorhombic : stepWrapped;
        if (others) step(p, q, others, lattice!.inverse, lattice!.matrix, this.otherCumulative!, false);
        else if (fw.length > 0) step(p, q, fw, lattice!.inverse, lattice!.matrix, sum, true);
      }
      // Framework drift: the mean of its cumulative displacements (= the accumulated mean step).
      if (fw.length > 0) {
        if (unwrapped) for (let a = 0; a < 3; a++) this.driftNow[a] = sum[a] / fw.length;
        else if (others) {
          const c = this.otherCumulative!;
          const slots = this.frameworkSlots!;
          let dx = 0;
          let dy = 0;
          let dz = 0;
          for (let j = 0; j < slots.length; j++) {
            const o = 3 * slots[j];
            dx += c[o];
            dy += c[o + 1];
            dz += c[o + 2];
          }
          this.driftNow[0] = dx / fw.length;
          this.driftNow[1] = dy / fw.length;
          this.driftNow[2] = dz / fw.length;
        } else for (let a = 0; a < 3; a++) this.driftNow[a] += sum[a] / fw.length;
      }
    }
    if (others && this.count % this.otherStride === 0) {
      if (unwrapped) displaceUnwrapped(p, q, others, this.otherCumulative!);
      this.storeOthers();
    }
    const t = this.count;
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

  /** Keep this frame's displacements of the other atoms; when the store is full, drop every other frame. */
  private storeOthers(): void {
    const width = this.otherCumulative!.length;
    // The store handed out by result() stays as it was: go on in a copy.
    if (this.storeHandedOut) {
      this.otherStore = sharedCopy(this.otherStore!);
      this.storeHandedOut = false;
    }
    if (this.otherStored === this.otherCapacity) {
      const s = this.otherStore!;
      for (let k = 1; k < this.otherCapacity / 2; k++)
        s.copyWithin(k * width, 2 * k * width, (2 * k + 1) * width);
      this.otherStored = this.otherCapacity / 2;
      this.otherStride *= 2;
      if (this.count % this.otherStride !== 0) return;
    }
    this.otherStore!.set(this.otherCumulative!, this.otherStored * width);
    this.otherStored++;
  }

  /** The drift per frame (interleaved; undefined without framework atoms) and the others' store. */
  result(): FrameworkMotionResult {
    const drift = this.fw.length > 0 ? this.drift.slice(0, 3 * this.count) : undefined;
    if (this.others) this.storeHandedOut = true;
    return {
      frames: this.count,
      frameworkAtoms: this.framework.length,
      drift,
      others: this.others
        ? {
            atoms: this.others,
            stride: this.otherStride,
            frames: this.otherStored,
            data: this.otherStore!.subarray(0, this.otherStored * this.otherCumulative!.length),
            drift,
          }
        : undefined,
    };
  }
}

/** What FrameworkMotion recorded (structured-cloneable: the others' store is shared memory). */
export interface FrameworkMotionResult {
  frames: number;
  frameworkAtoms: number;
  drift: Float64Array | undefined;
  others: SparseData | undefined;
}

export class DisplacementRecorder {
  readonly selected: Uint32Array;
  readonly framework: Uint32Array;
  private readonly natoms: number;
  private readonly mode: 'auto' | boolean;
  /** The framework's part (what of it is not recorded elsewhere), when there is any. */
  private readonly motion?: FrameworkMotion;
  /** Is part of the framework's motion recorded elsewhere (and so due in result())? */
  private readonly recordedElsewhere: boolean;
  /** The series, BLOCK frames a block: displacements in double precision, or positions in single (`single`). */
  private blocks: (Float64Array | Float32Array)[] = [];
  /** Cumulative displacement of the selected atoms (A), interleaved. */
  private readonly cumulative: Float64Array;
  /** Fractional coordinates of the previous frame (wrapped input), or Cartesian of the first (unwrapped input), of the selected atoms. */
  private readonly previous: Float64Array;
  private firstUnwrapped: boolean | undefined;
  private times: number[] = [];
  private volumes: number[] = [];
  private count = 0;
  private anyWrapped = false;
  private stage?: Float64Array;
  /**
   * Unwrapped input whose selected atoms' positions are all float32 values (a DCD): the positions
   * themselves are kept, in single precision (exactly), and the first frame's (`origin`) is
   * subtracted when a series is read, which gives the displacement p - q of double precision bit
   * for bit: half the memory and half the memory traffic (issue 28). True from a first frame that
   * qualifies until a position does not (then every series is turned into displacements, and
   * recording goes on in double precision).
   */
  private single = false;
  private stage32?: Float32Array;
  /** The first frame's positions of the selected atoms, interleaved (unwrapped input). */
  private origin?: Float64Array;
  /** Index of the first staged (not yet moved) frame. */
  private staged0 = 0;

  /**
   * With `driftElsewhere` (and `othersElsewhere`), the framework's drift (and the other atoms) are
   * not recorded here but by a FrameworkMotion run on the same frames elsewhere, whose result is
   * given to result(): the thread reading the frames (analyse-run.ts, frameworkOnReadingThread).
   */
  constructor(
    natoms: number,
    options: DisplacementOptions & { driftElsewhere?: boolean; othersElsewhere?: boolean },
  ) {
    this.natoms = natoms;
    this.selected = Uint32Array.from(options.selected);
    this.framework = frameworkOf(natoms, this.selected, options.framework);
    this.mode = options.unwrapped ?? 'auto';
    const motion = new FrameworkMotion(natoms, {
      ...options,
      framework: this.framework,
      drift: options.driftElsewhere !== true,
      others: options.others === true && options.othersElsewhere !== true,
    });
    if (motion.active) this.motion = motion;
    this.recordedElsewhere = options.driftElsewhere === true || options.othersElsewhere === true;
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
    const unwrapped = frameUnwrapped(this.mode, frame, this.count, this.firstUnwrapped);
    const lattice = frame.lattice;
    if (!unwrapped) this.anyWrapped = true;
    const q = this.previous;
    if (this.count === 0) {
      this.cumulative.fill(0);
      this.firstUnwrapped = unwrapped;
      storeFirst(p, q, this.selected, unwrapped ? undefined : lattice!.inverse);
      if (unwrapped) {
        this.origin = gatherAtoms(q, this.selected);
        this.single = true;
        this.stage32 = new Float32Array(3 * this.selected.length * STAGE);
      }
    } else if (this.single) {
      // (The positions are staged in record(), the displacements worked out when a series is read.)
    } else if (unwrapped) displaceUnwrapped(p, q, this.selected, this.cumulative);
    else {
      const step = lattice!.isOrthorhombic ? stepWrappedOrthorhombic : stepWrapped;
      step(p, q, this.selected, lattice!.inverse, lattice!.matrix, this.cumulative, false);
    }
    this.motion?.push(frame);
    this.record(p);
    this.times.push(frame.timeFs ?? Number.NaN);
    this.volumes.push(lattice ? lattice.volume : Number.NaN);
  }

  /**
   * Append this frame's cumulative displacements (or, `single`, its positions). Frames are first
   * staged frame by frame (contiguous writes), then moved STAGE frames at a time into the
   * per-series block layout; writing each frame straight into 3N series far apart in memory is
   * several times slower.
   */
  private record(p: Float64Array): void {
    const t = this.count;
    const width = 3 * this.selected.length;
    if (this.single) {
      if (stageSingle(p, this.selected, this.stage32!, (t - this.staged0) * width)) {
        this.count++;
        if (this.count - this.staged0 === STAGE) this.unstage();
        return;
      }
      // A position that is not a float32: displacements in double precision from here on.
      this.toDouble();
      if (t > 0) displaceUnwrapped(p, this.previous, this.selected, this.cumulative);
    }
    this.stage ??= new Float64Array(width * STAGE);
    this.stage.set(this.cumulative, (t - this.staged0) * width);
    this.count++;
    if (this.count - this.staged0 === STAGE) this.unstage();
  }

  /**
   * Turns what `single` recording kept (blocks and stage) into displacements in double precision
   * (for a while both stores at once: 1.5 times the double store). A block's frames not yet
   * recorded are turned too (into -origin) and overwritten as frames come.
   */
  private toDouble(): void {
    const width = 3 * this.selected.length;
    const origin = this.origin!;
    this.blocks = this.blocks.map((b) => {
      const out = new Float64Array(new SharedArrayBuffer(8 * width * BLOCK));
      for (let r = 0; r < width; r++)
        for (let s = r * BLOCK; s < (r + 1) * BLOCK; s++) out[s] = b[s] - origin[r];
      return out;
    });
    const stage = new Float64Array(width * STAGE);
    const staged = (this.count - this.staged0) * width;
    for (let j = 0; j < staged; j++) stage[j] = this.stage32![j] - origin[j % width];
    this.stage = stage;
    this.stage32 = undefined;
    this.single = false;
  }

  /** Move the staged frames into the blocks. */
  private unstage(): void {
    const width = 3 * this.selected.length;
    // In pieces that end at block boundaries: after a result() the staged frames need not start
    // at a multiple of STAGE, and can then run into the next block.
    for (let first = 0; this.staged0 < this.count; ) {
      const b = Math.floor(this.staged0 / BLOCK);
      // Shared memory, so that worker threads read the series without a copy (msd-threads.ts).
      if (b === this.blocks.length)
        this.blocks.push(
          this.single
            ? new Float32Array(new SharedArrayBuffer(4 * width * BLOCK))
            : new Float64Array(new SharedArrayBuffer(8 * width * BLOCK)),
        );
      const local = this.staged0 - b * BLOCK;
      const n = Math.min(this.count - this.staged0, BLOCK - local);
      if (this.single) transpose(this.stage32!, first, this.blocks[b] as Float32Array, width, n, local);
      else transpose(this.stage!, first, this.blocks[b] as Float64Array, width, n, local);
      first += n;
      this.staged0 += n;
    }
  }

  /**
   * The recorded displacements (the recorder can keep receiving frames afterwards). With
   * `driftElsewhere` or `othersElsewhere`, `elsewhere` is what the FrameworkMotion of the same
   * frames recorded there.
   */
  result(elsewhere?: FrameworkMotionResult): Displacements {
    this.unstage();
    const here = this.motion?.result();
    if (this.recordedElsewhere && !elsewhere)
      throw new Error('the framework motion recorded elsewhere is missing (did its frames all arrive?)');
    if (elsewhere && (elsewhere.frames !== this.count || elsewhere.frameworkAtoms !== this.framework.length))
      throw new Error(
        `the framework's motion recorded elsewhere covers ${elsewhere.frames} frames and ${elsewhere.frameworkAtoms} framework atoms; the recording has ${this.count} and ${this.framework.length}`,
      );
    const drift = here?.drift ?? elsewhere?.drift;
    const others = here?.others ?? elsewhere?.others;
    return new Displacements(
      this.blocks,
      this.selected.length,
      this.count,
      drift,
      Float64Array.from(this.times),
      Float64Array.from(this.volumes),
      this.anyWrapped,
      others ? SparseDisplacements.fromData({ ...others, drift }) : undefined,
      this.single ? this.origin : undefined,
    );
  }
}

/**
 * Moves `n` staged frames from stage frame `first` on (frame-major, `width` values each) into
 * `block` (series-major, BLOCK frames a series) from its frame `local` on.
 */
const transpose = <A extends Float64Array | Float32Array>(
  stage: A,
  first: number,
  block: A,
  width: number,
  n: number,
  local: number,
): void => {
  // The last width % 4 series one at a time, first: nothing is left after the long loop below
  // (its optimised code, made while it runs, would meet code without type feedback there and be
  // thrown away, call after call).
  const four = width - (width % 4);
  for (let r = four; r < width; r++) {
    const o = r * BLOCK + local;
    for (let s = 0; s < n; s++) block[o + s] = stage[(first + s) * width + r];
  }
  // Four series at a time: each staged frame gives four neighbouring values (one cache line
  // read), written to four rows in order; a value at a time reads a whole line per value.
  for (let r = 0; r < four; r += 4) {
    const o0 = r * BLOCK + local;
    const o1 = o0 + BLOCK;
    const o2 = o1 + BLOCK;
    const o3 = o2 + BLOCK;
    for (let s = 0, i = first * width + r; s < n; s++, i += width) {
      block[o0 + s] = stage[i];
      block[o1 + s] = stage[i + 1];
      block[o2 + s] = stage[i + 2];
      block[o3 + s] = stage[i + 3];
    }
  }
};

/**
 * Stages the selected atoms' positions in single precision at stage[at..]; false (the rest of
 * the row left as it is) when one is not a float32 value, which single precision would round.
 */
const stageSingle = (p: Float64Array, atoms: Uint32Array, stage: Float32Array, at: number): boolean => {
  for (let k = 0, j = at; k < atoms.length; k++, j += 3) {
    const o = 3 * atoms[k];
    const x = p[o];
    const y = p[o + 1];
    const z = p[o + 2];
    stage[j] = x;
    stage[j + 1] = y;
    stage[j + 2] = z;
    if (stage[j] !== x || stage[j + 1] !== y || stage[j + 2] !== z) return false;
  }
  return true;
};

/** The values of `atoms` (3 each, interleaved) out of all atoms' `v`. */
const gatherAtoms = (v: Float64Array, atoms: Uint32Array): Float64Array => {
  const out = new Float64Array(3 * atoms.length);
  for (let k = 0; k < atoms.length; k++) for (let a = 0; a < 3; a++) out[3 * k + a] = v[3 * atoms[k] + a];
  return out;
};

/** A copy in shared memory, which worker threads read without a copy of their own. */
const sharedCopy = (a: Float64Array): Float64Array => {
  const out = new Float64Array(new SharedArrayBuffer(8 * a.length));
  out.set(a);
  return out;
};

/** The store of SparseDisplacements, as passed between threads. */
export interface SparseData {
  atoms: Uint32Array;
  stride: number;
  frames: number;
  data: Float64Array;
  drift: Float64Array | undefined;
}

/** Displacements of the other atoms at every `stride`-th frame (drift removed when read). */
export class SparseDisplacements {
  constructor(
    /** Global indices of the atoms, in slot order. */
    readonly atoms: Uint32Array,
    /** Frames between stored frames. */
    readonly stride: number,
    /** Number of stored frames (frames 0, stride, 2 stride, ...). */
    readonly frames: number,
    private readonly data: Float64Array,
    private readonly drift: Float64Array | undefined,
  ) {}

  /** What series() reads, for another thread (the data is shared memory when recorded here). */
  get sparseData(): SparseData {
    return {
      atoms: this.atoms,
      stride: this.stride,
      frames: this.frames,
      data: this.data,
      drift: this.drift,
    };
  }

  static fromData(s: SparseData): SparseDisplacements {
    return new SparseDisplacements(s.atoms, s.stride, s.frames, s.data, s.drift);
  }

  /** Displacement of the atom in `slot` along `axis` at each stored frame. */
  series(slot: number, axis: number, out: Float64Array = new Float64Array(this.frames)): Float64Array {
    const width = 3 * this.atoms.length;
    for (let k = 0; k < this.frames; k++) {
      out[k] = this.data[k * width + 3 * slot + axis];
      if (this.drift) out[k] -= this.drift[3 * k * this.stride + axis];
    }
    return out;
  }

  /**
   * The series of the atoms in `slots`, every axis, as series() gives them: out[3 g + a] for
   * slots[g] and axis a, read frame by frame (one pass over the stored frames for all of them).
   */
  gatherSlots(slots: ArrayLike<number>, out: Float64Array[]): Float64Array[] {
    const width = 3 * this.atoms.length;
    const d = this.drift;
    const data = this.data;
    for (let k = 0; k < this.frames; k++) {
      const row = k * width;
      const t = 3 * k * this.stride;
      // The same subtraction as series() (none without drift).
      const dx = d ? d[t] : 0;
      const dy = d ? d[t + 1] : 0;
      const dz = d ? d[t + 2] : 0;
      for (let g = 0; g < slots.length; g++) {
        const o = row + 3 * slots[g];
        out[3 * g][k] = data[o] - dx;
        out[3 * g + 1][k] = data[o + 1] - dy;
        out[3 * g + 2][k] = data[o + 2] - dz;
      }
    }
    return out;
  }
}

/** The block store of the displacement series and the drift, as passed between threads. */
export interface SeriesData {
  blocks: (Float64Array | Float32Array)[];
  atoms: number;
  frames: number;
  drift: Float64Array | undefined;
  origin: Float64Array | undefined;
}

/** Drift-corrected displacement series of the selected atoms, read one atom and coordinate at a time. */
export class Displacements {
  constructor(
    /** Displacements in double precision; or, with `origin`, positions in single precision. */
    private readonly blocks: (Float64Array | Float32Array)[],
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
    /** The atoms not selected, at evenly spaced frames (when recorded with `others`). */
    readonly others?: SparseDisplacements,
    /**
     * The first frame's positions of the atoms (interleaved) when the blocks hold positions in
     * single precision (DisplacementRecorder, `single`): a displacement is a position less these.
     */
    private readonly origin?: Float64Array,
  ) {}

  get driftCorrected(): boolean {
    return this.drift !== undefined;
  }

  /** What series() reads, for another thread (the blocks are shared memory when recorded here). */
  get seriesData(): SeriesData {
    return {
      blocks: this.blocks,
      atoms: this.atoms,
      frames: this.frames,
      drift: this.drift,
      origin: this.origin,
    };
  }

  /** Series-only displacements from seriesData (in a worker thread): no times, volumes or others. */
  static fromSeriesData(s: SeriesData): Displacements {
    return new Displacements(
      s.blocks,
      s.atoms,
      s.frames,
      s.drift,
      new Float64Array(0),
      new Float64Array(0),
      false,
      undefined,
      s.origin,
    );
  }

  /** Displacement of selected atom `atom` along Cartesian axis `axis` (0..2) for every frame, drift removed. */
  series(atom: number, axis: number, out: Float64Array = new Float64Array(this.frames)): Float64Array {
    const T = this.frames;
    const row = 3 * atom + axis;
    for (let b = 0; b * BLOCK < T; b++) {
      const block = this.blocks[b];
      const n = Math.min(BLOCK, T - b * BLOCK);
      if (this.origin) lessOrigin(block as Float32Array, row * BLOCK, n, this.origin[row], out, b * BLOCK);
      else out.set(block.subarray(row * BLOCK, row * BLOCK + n), b * BLOCK);
    }
    const d = this.drift;
    if (d) for (let t = 0; t < T; t++) out[t] -= d[3 * t + axis];
    return out;
  }
}

/** out[to + s] = block[from + s] - q for s < n: positions kept in single precision as displacements. */
const lessOrigin = (
  block: Float32Array,
  from: number,
  n: number,
  q: number,
  out: Float64Array,
  to: number,
) => {
  for (let s = 0; s < n; s++) out[to + s] = block[from + s] - q;
};

/** Remember the first frame: fractional coordinates (wrapped input) or Cartesian (unwrapped). */
const storeFirst = (p: Float64Array, q: Float64Array, atoms: Uint32Array, inv: Float64Array | undefined) => {
  for (let k = 0; k < atoms.length; k++) {
    const o = 3 * atoms[k];
    const x = p[o];
    const y = p[o + 1];
    const z = p[o + 2];
    if (inv) {
      q[o] = x * inv[0] + y * inv[3] + z * inv[6];
      q[o + 1] = x * inv[1] + y * inv[4] + z * inv[7];
      q[o + 2] = x * inv[2] + y * inv[5] + z * inv[8];
    } else {
      q[o] = x;
      q[o + 1] = y;
      q[o + 2] = z;
    }
  }
};

/**
 * Wrapped input: each atom's fractional step from the previous frame, wrapped to the nearest image
 * (only when it exceeds half a cell, which is rare), in Cartesian with this (the later) frame's
 * cell; added to out[3k..] per atom, or summed into out[0..2] when `sum`. The frame then becomes
 * the previous one. Separate monomorphic loops: this runs for every atom of every frame.
 */
const stepWrapped = (
  p: Float64Array,
  q: Float64Array,
  atoms: Uint32Array,
  inv: Float64Array,
  m: Float64Array,
  out: Float64Array,
  sum: boolean,
) => {
  const i0 = inv[0];
  const i1 = inv[1];
  const i2 = inv[2];
  const i3 = inv[3];
  const i4 = inv[4];
  const i5 = inv[5];
  const i6 = inv[6];
  const i7 = inv[7];
  const i8 = inv[8];
  let sx = 0;
  let sy = 0;
  let sz = 0;
  for (let k = 0; k < atoms.length; k++) {
    const o = 3 * atoms[k];
    const x = p[o];
    const y = p[o + 1];
    const z = p[o + 2];
    const f0 = x * i0 + y * i3 + z * i6;
    const f1 = x * i1 + y * i4 + z * i7;
    const f2 = x * i2 + y * i5 + z * i8;
    let d0 = f0 - q[o];
    let d1 = f1 - q[o + 1];
    let d2 = f2 - q[o + 2];
    if (d0 > 0.5 || d0 < -0.5) d0 -= Math.round(d0);
    if (d1 > 0.5 || d1 < -0.5) d1 -= Math.round(d1);
    if (d2 > 0.5 || d2 < -0.5) d2 -= Math.round(d2);
    q[o] = f0;
    q[o + 1] = f1;
    q[o + 2] = f2;
    const dx = d0 * m[0] + d1 * m[3] + d2 * m[6];
    const dy = d0 * m[1] + d1 * m[4] + d2 * m[7];
    const dz = d0 * m[2] + d1 * m[5] + d2 * m[8];
    if (sum) {
      sx += dx;
      sy += dy;
      sz += dz;
    } else {
      out[3 * k] += dx;
      out[3 * k + 1] += dy;
      out[3 * k + 2] += dz;
    }
  }
  if (sum) {
    out[0] += sx;
    out[1] += sy;
    out[2] += sz;
  }
};

/** Unwrapped input: each atom's displacement from the first frame (q) into out[3k..]. */
const displaceUnwrapped = (p: Float64Array, q: Float64Array, atoms: Uint32Array, out: Float64Array) => {
  for (let k = 0; k < atoms.length; k++) {
    const o = 3 * atoms[k];
    out[3 * k] = p[o] - q[o];
    out[3 * k + 1] = p[o + 1] - q[o + 1];
    out[3 * k + 2] = p[o + 2] - q[o + 2];
  }
};

/** Unwrapped input: the atoms' displacements from the first frame (q) summed into out[0..2]. */
const sumDisplacementsUnwrapped = (
  p: Float64Array,
  q: Float64Array,
  atoms: Uint32Array,
  out: Float64Array,
) => {
  let sx = 0;
  let sy = 0;
  let sz = 0;
  for (let k = 0; k < atoms.length; k++) {
    const o = 3 * atoms[k];
    sx += p[o] - q[o];
    sy += p[o + 1] - q[o + 1];
    sz += p[o + 2] - q[o + 2];
  }
  out[0] = sx;
  out[1] = sy;
  out[2] = sz;
};

/** stepWrapped for a cell with axes along x, y, z (diagonal matrix): a third of the arithmetic. */
const stepWrappedOrthorhombic = (
  p: Float64Array,
  q: Float64Array,
  atoms: Uint32Array,
  inv: Float64Array,
  m: Float64Array,
  out: Float64Array,
  sum: boolean,
) => {
  const ia = inv[0];
  const ib = inv[4];
  const ic = inv[8];
  const a = m[0];
  const b = m[4];
  const c = m[8];
  let sx = 0;
  let sy = 0;
  let sz = 0;
  for (let k = 0; k < atoms.length; k++) {
    const o = 3 * atoms[k];
    const f0 = p[o] * ia;
    const f1 = p[o + 1] * ib;
    const f2 = p[o + 2] * ic;
    let d0 = f0 - q[o];
    let d1 = f1 - q[o + 1];
    let d2 = f2 - q[o + 2];
    if (d0 > 0.5 || d0 < -0.5) d0 -= Math.round(d0);
    if (d1 > 0.5 || d1 < -0.5) d1 -= Math.round(d1);
    if (d2 > 0.5 || d2 < -0.5) d2 -= Math.round(d2);
    q[o] = f0;
    q[o + 1] = f1;
    q[o + 2] = f2;
    if (sum) {
      sx += d0 * a;
      sy += d1 * b;
      sz += d2 * c;
    } else {
      out[3 * k] += d0 * a;
      out[3 * k + 1] += d1 * b;
      out[3 * k + 2] += d2 * c;
    }
  }
  if (sum) {
    out[0] += sx;
    out[1] += sy;
    out[2] += sz;
  }
};
