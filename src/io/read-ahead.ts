import type { Worker } from 'node:worker_threads';
import { errorFromTransfer, OptionError, type TransferredError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { Lattice } from '../core/lattice.js';
import { startWorker } from '../core/worker.js';
import { type DcdFrameMemory, dcdFrameMemory, ringOf } from './binary/dcd-frame-wasm.js';
import { frameSelection, warn } from './format.js';
import type { OpenOptions } from './registry.js';

/**
 * readFrames for a DCD, read on a worker thread: the worker reads, checks and interleaves the
 * frames into a ring of shared frame buffers while this thread works on the frames before them,
 * so that on two cores reading overlaps the caller's work (issue 28: for a transport analysis the
 * reading is about 40 % of the serial part). The frames are the ones readFrames gives, with the
 * same errors and warnings; like readFrames with `reusePositions`, a frame's positions are valid
 * until the next frame is asked for (they are a view of the ring). Needs `options.topology` (the
 * DCD stores none); the worker ends when the iteration does, however it ends.
 */

/** Atomics.waitAsync (Node >= 16; not in TypeScript's ES2022 library). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, index: number, value: number): { async: boolean; value: unknown };
  }
).waitAsync.bind(Atomics);

/**
 * Frames the worker may be ahead by: as many as fit in RING_BYTES, between 8 and 128. A deep ring
 * rides out the consumer's bursts (its blocks of work every few dozen frames, a worker thread
 * starting): with 32 frames of 2,000 atoms the reader waited on a full ring for a quarter of its
 * time, with 128 for a tenth to a fifth, and the frames took about 8 % less time (issue 28).
 */
const RING_BYTES = 8 << 20;
/**
 * The reading thread's read window (each read fills what is free of it), beside the ring in its
 * SIMD kernel's memory, which reads the records there (plus two frames, so that a frame fits).
 */
const WINDOW_BYTES = 4 << 20;
const slotsFor = (frameBytes: number) => Math.max(8, Math.min(128, Math.floor(RING_BYTES / frameBytes)));
/** Per frame after the positions: has-cell flag, the cell matrix (9), step, time (fs), unwrapped flag. */
export const META = 13;
/**
 * Frames between wake-ups of a waiting thread (a quarter of the ring): each side stores its count
 * every frame but wakes the other only every so many frames (and at the end), since a wake is a switch of threads
 * that, frame by frame, cost more than the frame's work (the two threads took turns instead of
 * running side by side). No side waits for ever: the consumer waits only on an empty ring, so the
 * reader goes on (or ends, which wakes it) to the next multiple of it; the reader waits only
 * on a full ring, which the consumer then empties past the next multiple without waiting.
 */
export const wakeEvery = (slots: number) => Math.max(1, Math.floor(slots / 4));
/**
 * Control words: frames written by the worker, frames released by the consumer, state (0 running,
 * 1 done, 2 failed), and the frames the reading will give when the reader knows (-1: it does not;
 * written before the first frame).
 */
export const HEAD = 0;
export const TAIL = 1;
export const STATE = 2;
export const FRAMES = 3;

/**
 * Work on every frame done on the reading thread, where the frame is already in that core's
 * cache (for a transport analysis: the framework's drift, which reads every atom; framework-job.ts).
 * `module` (a URL; moduleBeside in core/worker.ts) exports `createFrameJob(init, memory?)`
 * (CreateFrameJob; `memory` with FrameJob.memoryBytes), which returns
 * { push(frame), finish() }: push is called with every frame handed on, in order, and what finish
 * returns (structured-cloneable) reaches `onResult` before the iteration ends. An error thrown by
 * push ends the reading with that error, as a reading error does.
 */
export interface FrameJob {
  module: string;
  init: unknown;
  onResult: (result: unknown) => void;
  /**
   * Bytes of the shared WebAssembly memory that holds the frames which the job may use (its
   * kernels then read the frames where they lie): createFrameJob's `memory`, given where the
   * frames are in such memory (where the runtime runs the SIMD kernel of dcd-frame-wasm.ts).
   */
  memoryBytes?: number;
}

/** A part of the shared WebAssembly memory that holds the frames, set aside for a frame job. */
export interface FrameJobMemory {
  memory: WebAssembly.Memory;
  /** Byte offset (16-byte aligned) and size. */
  offset: number;
  bytes: number;
}

/** What a frame job module exports. */
export type CreateFrameJob = (
  init: unknown,
  memory?: FrameJobMemory,
) => {
  push(frame: Structure['frame']): void;
  finish(): unknown;
  /** Told the number of frames before the first, where the reader knows it (ReadOptions.onFrameCount). */
  onFrameCount?(frames: number): void;
};

export interface ReadAheadInit {
  path: string;
  /** The frame job's module and its init (FrameJob, without the callback). */
  job?: { module: string; init: unknown };
  symbols: string[];
  frames?: OpenOptions['frames'];
  /** The ring, where it is not in `frameMemory`. */
  ring?: Float64Array;
  /** The shared memory that holds the ring, where the SIMD kernel writes the frames (dcd-frame-wasm.ts). */
  frameMemory?: DcdFrameMemory;
  control: Int32Array;
  slots: number;
}

/** What the worker posts. */
export type ReadAheadMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'warning'; message: string }
  | { kind: 'job'; result: unknown }
  | { kind: 'done' }
  | { kind: 'error'; error: TransferredError };

/** A reading thread started ahead of need (prestartDcdReading), for the next readDcdAhead. */
let prestarted: Worker | undefined;

/**
 * Starts a reading thread now, for the next readDcdAhead to take: a thread takes about 35 ms to
 * start (a Node environment and its modules), which then overlaps the caller's own work (the
 * transport command: reading the topology, detecting the format); without it the analysis waited
 * that long for its first frame (issue 28). Unused, the thread keeps nothing alive; one at a time.
 */
export const prestartDcdReading = (): void => {
  if (prestarted) return;
  const w = startWorker(import.meta.url, 'read-ahead-worker', {});
  w.unref();
  const forget = () => {
    if (prestarted === w) prestarted = undefined;
  };
  // (A thread that fails before it is taken is not taken: readDcdAhead starts another.)
  w.on('error', forget);
  w.on('exit', forget);
  prestarted = w;
};

const takePrestarted = (): Worker | undefined => {
  const w = prestarted;
  prestarted = undefined;
  return w;
};

export async function* readDcdAhead(
  path: string,
  options: OpenOptions & {
    frameJob?: FrameJob;
    /** Read as where the runtime cannot run the SIMD kernel: in JavaScript (its tests). */
    javascript?: boolean;
  },
): AsyncGenerator<Structure> {
  const topology = options.topology;
  if (!topology) throw new OptionError('reading a DCD ahead needs `topology`', { option: 'topology' });
  frameSelection(options.frames);
  const n = topology.natoms;
  const stride = 3 * n + META;
  const slots = slotsFor(8 * stride);
  const wake = wakeEvery(slots);
  // The ring in the memory of the reading thread's SIMD kernel where the runtime can run it.
  const frameMemory = options.javascript
    ? undefined
    : dcdFrameMemory(n, 8 * stride * slots, WINDOW_BYTES + 2 * 12 * n, options.frameJob?.memoryBytes ?? 0);
  const ring = frameMemory
    ? ringOf(frameMemory)
    : new Float64Array(new SharedArrayBuffer(8 * stride * slots));
  const control = new Int32Array(new SharedArrayBuffer(16));
  control[FRAMES] = -1;
  const init: ReadAheadInit = {
    path,
    symbols: Array.from({ length: n }, (_, i) => topology.symbol(i)),
    frames: options.frames,
    job: options.frameJob && { module: options.frameJob.module, init: options.frameJob.init },
    ring: frameMemory ? undefined : ring,
    frameMemory,
    control,
    slots,
  };
  const worker = takePrestarted() ?? startWorker(import.meta.url, 'read-ahead-worker', {});
  worker.ref();
  worker.postMessage(init);
  let failure: Error | undefined;
  let isSettled = false;
  let settled!: () => void;
  const finished = new Promise<void>((resolve) => {
    settled = resolve;
  });
  /** The reading is over (an error, or none): say so in the control words, wake a waiting reader. */
  const settle = (e?: Error) => {
    if (isSettled) return;
    isSettled = true;
    failure = e;
    if (e || Atomics.load(control, STATE) === 0) Atomics.store(control, STATE, e ? 2 : 1);
    Atomics.notify(control, HEAD);
    settled();
  };
  worker.on('message', (m: ReadAheadMessage) => {
    if (m.kind === 'progress') options.onProgress?.(m.done, m.total);
    else if (m.kind === 'warning') warn(options, m.message);
    else if (m.kind === 'job') options.frameJob?.onResult(m.result);
    else if (m.kind === 'done') settle();
    else settle(errorFromTransfer(m.error));
  });
  worker.on('error', (e) => settle(e));
  worker.on('exit', (code) => {
    // A worker that ended by itself (state set) has posted its last message, which settles; one
    // that died, or whose message never comes, is an error, never a quietly shortened run.
    if (Atomics.load(control, STATE) === 0)
      settle(new Error(`the DCD reading thread stopped (exit code ${code})`));
    else
      setTimeout(
        () => settle(new Error('the DCD reading thread stopped without its last message')),
        2000,
      ).unref();
  });
  let lastMatrix: Float64Array | undefined;
  let lastLattice: Lattice | undefined;
  try {
    for (let tail = 0; ; tail++) {
      let head = Atomics.load(control, HEAD);
      while (head === tail) {
        if (Atomics.load(control, STATE) !== 0) {
          // The worker writes HEAD before STATE: a frame it wrote last is seen here.
          head = Atomics.load(control, HEAD);
          if (head !== tail) break;
          await finished;
          if (failure) throw failure;
          // A selection of no frames: said all the same, at the end.
          if (tail === 0 && Atomics.load(control, FRAMES) >= 0)
            options.onFrameCount?.(Atomics.load(control, FRAMES));
          return;
        }
        const w = waitAsync(control, HEAD, head);
        if (w.async) await w.value;
        head = Atomics.load(control, HEAD);
      }
      // (Written before the first frame was handed on.)
      if (tail === 0 && Atomics.load(control, FRAMES) >= 0)
        options.onFrameCount?.(Atomics.load(control, FRAMES));
      const base = (tail % slots) * stride;
      const meta = base + 3 * n;
      const frame: Structure['frame'] = { positions: ring.subarray(base, base + 3 * n) };
      if (ring[meta] === 1) {
        const m = ring.subarray(meta + 1, meta + 10);
        if (!lastMatrix || !m.every((v, j) => v === lastMatrix![j])) {
          lastMatrix = m.slice();
          lastLattice = new Lattice(lastMatrix);
        }
        frame.lattice = lastLattice;
      }
      if (!Number.isNaN(ring[meta + 10])) frame.step = ring[meta + 10];
      if (!Number.isNaN(ring[meta + 11])) frame.timeFs = ring[meta + 11];
      if (ring[meta + 12] >= 0) frame.unwrapped = ring[meta + 12] === 1;
      yield { topology, frame };
      // The caller has asked for the next frame: this one's slot is free.
      Atomics.store(control, TAIL, tail + 1);
      if ((tail + 1) % wake === 0) Atomics.notify(control, TAIL);
    }
  } finally {
    await worker.terminate();
  }
}
