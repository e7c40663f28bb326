import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import type { Lattice } from '../core/lattice.js';
import { startWorker } from '../core/worker.js';
import { ACC_SIZE, type PairParams } from './pair-forces.js';
import type { SpecialPartners } from './pair-list.js';

/**
 * Worker threads for the pairs of the force kernel. The atoms are split into contiguous ranges of
 * about equal work (partitionAtoms); the calling thread takes the first range (and then the bonded
 * terms), each worker one of the others: it builds the pair list of its range when told to, and
 * sums its pairs into its own force array. With Ewald, each thread also sums an equal share of
 * the reciprocal k-vectors. Positions, cell, ranges and results
 * live in SharedArrayBuffers; a task is handed over and collected through Atomics on a control
 * array (no message per step): the caller numbers each task, and each worker writes the number of
 * the task it finished into its own slot; the caller waits until every slot holds the current
 * number. A worker can be woken with no new task (seen under load): the caller raises the number
 * and then notifies, and if it is held up between the two, a worker may see the number, do the
 * task and wait again before that notify arrives. Such a wake is ignored, so a task never runs
 * twice and the caller never reads a worker's forces before they are written. The partial forces
 * are added in a fixed order, so a run with a given number of threads is bitwise reproducible
 * (and differs from other thread counts by rounding).
 */
/** Control slots: the task number, its operation, a failure flag; then one "finished" slot per thread. */
export const CTRL = { task: 0, op: 1, failed: 2, finished: 3 } as const;
/** Operation bits: build the range's pair list; sum its pairs; stop. */
export const OP_BUILD = 1;
export const OP_COMPUTE = 2;
export const OP_EXIT = 4;

export interface WorkerInit {
  index: number;
  natoms: number;
  ctrl: Int32Array;
  bounds: Int32Array;
  x: Float64Array;
  /** Cell matrix (9) and the list's reach (A). */
  cell: Float64Array;
  forces: Float64Array;
  acc: Float64Array;
  params: PairParams;
  specials: SpecialPartners;
  factors: { lj: number[]; coul: number[] };
  /** Ewald: what rebuilds the reciprocal sum (its k-set from the starting cell), and each thread's k-range. */
  ewald?: EwaldSetup;
  kBounds: Int32Array;
}

export interface EwaldSetup {
  /** The cell the k-vector set was chosen in (rows a, b, c). */
  cell: number[];
  charges: Float64Array;
  alpha: number;
  lnInverseAccuracy: number;
  /** Number of k-vectors. */
  size: number;
}

const shared = (bytes: number) => new SharedArrayBuffer(bytes);

/**
 * How many times a thread reads a control slot before it sleeps on it (Atomics.wait), at most:
 * about 10-30 microseconds. A step of a small cell takes a few hundred microseconds and waking a
 * sleeping thread costs tens, so the hand-offs at each step are caught while spinning; a longer
 * wait (the other thread busy with a list build, or descheduled on a loaded machine) still ends in
 * a sleep. The budget adapts per thread, between SPIN_READS_MIN and SPIN_READS: doubled after a
 * spin that caught the change, and after a sleep as short as a wake-up (SHORT_SLEEP_MS: the change
 * came just after the spin gave up, so a longer one would have caught it); halved after a long
 * sleep (the partner busy, or descheduled on a loaded machine, where spinning only burns a core).
 * Halving after every sleep, as before, ratcheted the budget down on a quiet machine (each list
 * build is a long wait, and a small budget then misses most hand-offs): two threads on the
 * 128-atom cell ran 640,000-740,000 atom-steps/s that way, 880,000-1,050,000 this way, and as
 * fast as before with both cores busy with other work.
 */
export const SPIN_READS = 1 << 14;
export const SPIN_READS_MIN = 1 << 8;
/** A sleep shorter than this (ms) ended about as soon as a sleeping thread can be woken. */
export const SHORT_SLEEP_MS = 0.1;
let spinBudget = SPIN_READS;

/** Wait until ctrl[slot] is no longer `value`: spin (see SPIN_READS), then sleep. Returns the new value. */
export const awaitChange = (ctrl: Int32Array, slot: number, value: number): number => {
  for (let k = 0; k < spinBudget; k++) {
    const now = Atomics.load(ctrl, slot);
    if (now !== value) {
      spinBudget = Math.min(SPIN_READS, 2 * spinBudget);
      return now;
    }
  }
  const asleep = performance.now();
  Atomics.wait(ctrl, slot, value);
  spinBudget =
    performance.now() - asleep < SHORT_SLEEP_MS
      ? Math.min(SPIN_READS, 2 * spinBudget)
      : Math.max(SPIN_READS_MIN, spinBudget >> 1);
  return Atomics.load(ctrl, slot);
};

export class PairThreads {
  private readonly ctrl: Int32Array;
  private readonly bounds: Int32Array;
  /** Each thread's range of Ewald k-vectors (equal shares). */
  readonly kBounds: Int32Array;
  private readonly x: Float64Array;
  private readonly cell = new Float64Array(shared(8 * 10));
  private readonly acc: Float64Array;
  private readonly partial: Float64Array[];
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private pendingOp = 0;

  private constructor(
    readonly threads: number,
    natoms: number,
  ) {
    this.ctrl = new Int32Array(shared(4 * (CTRL.finished + threads)));
    this.bounds = new Int32Array(shared(4 * (threads + 1)));
    this.kBounds = new Int32Array(shared(4 * (threads + 1)));
    this.x = new Float64Array(shared(8 * 3 * natoms));
    this.acc = new Float64Array(shared(8 * ACC_SIZE * threads));
    this.partial = Array.from({ length: threads }, () => new Float64Array(shared(8 * 3 * natoms)));
  }

  /** Start `threads - 1` workers (the calling thread is the first of `threads`). */
  static async start(
    threads: number,
    natoms: number,
    params: PairParams,
    specials: SpecialPartners,
    factors: { lj: number[]; coul: number[] },
    ewald?: EwaldSetup,
  ): Promise<PairThreads> {
    const t = new PairThreads(threads, natoms);
    const size = ewald?.size ?? 0;
    for (let k = 0; k <= threads; k++) t.kBounds[k] = Math.round((k * size) / threads);
    const ready: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      const channel = new MessageChannel();
      t.ports.push(channel.port1);
      const init: WorkerInit & { port: MessagePort } = {
        index,
        natoms,
        ctrl: t.ctrl,
        bounds: t.bounds,
        x: t.x,
        cell: t.cell,
        forces: t.partial[index],
        acc: t.acc,
        params,
        specials,
        factors,
        ewald,
        kBounds: t.kBounds,
        port: channel.port2,
      };
      const w = startWorker(import.meta.url, 'force-worker', {
        workerData: init,
        transferList: [channel.port2],
      });
      w.unref();
      t.workers.push(w);
      ready.push(
        new Promise((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
          // A worker that ends before it is ready (out of memory, killed) must not leave the
          // start waiting forever.
          w.once('exit', (code) =>
            reject(new Error(`force worker ${index} exited (code ${code}) before it was ready`)),
          );
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      t.dispose();
      throw e;
    }
    return t;
  }

  /**
   * Start the workers on `op` (OP_BUILD and/or OP_COMPUTE) at these positions and cell; a build
   * uses `bounds` (partitionAtoms) and `reach`.
   */
  begin(op: number, positions: Float64Array, lattice: Lattice, bounds?: Int32Array, reach = 0): void {
    this.x.set(positions);
    this.cell.set(lattice.matrix);
    if (op & OP_BUILD) {
      this.bounds.set(bounds!);
      this.cell[9] = reach;
    }
    Atomics.store(this.ctrl, CTRL.op, op);
    Atomics.add(this.ctrl, CTRL.task, 1);
    Atomics.notify(this.ctrl, CTRL.task);
    this.pendingOp = op;
  }

  /**
   * Wait for the workers; after a compute, add their forces into `forces` and their sums into
   * `acc`, in thread order.
   */
  finish(forces?: Float64Array, acc?: Float64Array): void {
    const task = Atomics.load(this.ctrl, CTRL.task);
    for (let t = 1; t < this.threads; t++) {
      const slot = CTRL.finished + t;
      for (let f = Atomics.load(this.ctrl, slot); f !== task; ) f = awaitChange(this.ctrl, slot, f);
    }
    const op = this.pendingOp;
    this.pendingOp = 0;
    if (Atomics.load(this.ctrl, CTRL.failed)) {
      const messages = this.ports.map((p) => receiveMessageOnPort(p)?.message?.error).filter(Boolean);
      throw new Error(`a force worker thread failed: ${messages.join('\n') || 'no message'}`);
    }
    if (!(op & OP_COMPUTE) || !forces || !acc) return;
    for (let t = 1; t < this.threads; t++) {
      const f = this.partial[t];
      for (let k = 0; k < f.length; k++) forces[k] += f[k];
      for (let k = 0; k < ACC_SIZE; k++) acc[k] += this.acc[ACC_SIZE * t + k];
    }
  }

  /** Stop the workers (a kernel with threads must be disposed of; its workers do not hold the process). */
  dispose(): void {
    if (this.pendingOp) this.finish();
    Atomics.store(this.ctrl, CTRL.op, OP_EXIT);
    Atomics.add(this.ctrl, CTRL.task, 1);
    Atomics.notify(this.ctrl, CTRL.task);
    for (const w of this.workers) void w.terminate();
    for (const p of this.ports) p.close();
    this.workers.length = 0;
  }
}
