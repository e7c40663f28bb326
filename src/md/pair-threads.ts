import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { startWorker } from '../core/worker.js';
import { ACC_SIZE, type PairParams } from './pair-forces.js';
import type { PairList } from './pair-list.js';

/**
 * Worker threads for the ordinary pairs of the force kernel. The atoms are split into contiguous
 * ranges holding equal numbers of list pairs; the calling thread takes the first range (and then
 * the special pairs, bonded terms and reciprocal sum), each worker one of the others, writing
 * into its own force array. Positions, pair list, shifts, ranges and results live in
 * SharedArrayBuffers; a task is handed over and collected through Atomics on a control word (no
 * message per step). The partial forces are added in a fixed order, so a run with a given number
 * of threads is bitwise reproducible (and differs from other thread counts only by rounding).
 */
export const CTRL = { task: 0, done: 1, op: 2, listVersion: 3, failed: 4 } as const;
export const OP_COMPUTE = 1;
export const OP_EXIT = 2;

export interface WorkerInit {
  index: number;
  ctrl: Int32Array;
  bounds: Int32Array;
  x: Float64Array;
  forces: Float64Array;
  acc: Float64Array;
  params: PairParams;
}

const shared = (bytes: number) => new SharedArrayBuffer(bytes);

export class PairThreads {
  private readonly ctrl = new Int32Array(shared(4 * 8));
  readonly bounds: Int32Array;
  private readonly x: Float64Array;
  private readonly acc: Float64Array;
  private readonly partial: Float64Array[];
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private version = 0;
  private posted: unknown[] = [];
  private running = false;

  private constructor(
    readonly threads: number,
    natoms: number,
  ) {
    this.bounds = new Int32Array(shared(4 * (threads + 1)));
    this.x = new Float64Array(shared(8 * 3 * natoms));
    this.acc = new Float64Array(shared(8 * ACC_SIZE * threads));
    this.partial = Array.from({ length: threads }, () => new Float64Array(shared(8 * 3 * natoms)));
  }

  /** Start `threads - 1` workers (the calling thread is the first of `threads`). */
  static async start(threads: number, natoms: number, params: PairParams): Promise<PairThreads> {
    const t = new PairThreads(threads, natoms);
    const ready: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      const channel = new MessageChannel();
      t.ports.push(channel.port1);
      const init: WorkerInit & { port: MessagePort } = {
        index,
        ctrl: t.ctrl,
        bounds: t.bounds,
        x: t.x,
        forces: t.partial[index],
        acc: t.acc,
        params,
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
   * A new or rebuilt pair list: ranges of equal work, and the list's arrays (with the shift table)
   * posted to the workers when they are not the ones they already hold. `mainExtra` is the work
   * the calling thread does besides its pairs, in ordinary-pair equivalents: its range is that
   * much shorter.
   */
  setList(list: PairList, shifts: Float64Array, mainExtra = 0): void {
    const n = list.natoms;
    const total = list.start[n];
    const b = this.bounds;
    const share = (total + mainExtra) / this.threads;
    b[0] = 0;
    let i = 0;
    for (let k = 1; k < this.threads; k++) {
      const target = Math.max(0, k * share - mainExtra);
      while (i < n && list.start[i] < target) i++;
      b[k] = i;
    }
    b[this.threads] = n;
    const arrays = [list.start, list.nbr, list.img, shifts];
    if (arrays.some((a, k) => a !== this.posted[k])) {
      this.version++;
      const message = {
        version: this.version,
        list: { natoms: n, start: list.start, nbr: list.nbr, img: list.img },
        shifts,
      };
      for (const port of this.ports) port.postMessage(message);
      Atomics.store(this.ctrl, CTRL.listVersion, this.version);
      this.posted = arrays;
    }
  }

  /** Hand the positions to the workers and start them. */
  begin(positions: Float64Array): void {
    this.x.set(positions);
    Atomics.store(this.ctrl, CTRL.done, 0);
    Atomics.store(this.ctrl, CTRL.op, OP_COMPUTE);
    Atomics.add(this.ctrl, CTRL.task, 1);
    Atomics.notify(this.ctrl, CTRL.task);
    this.running = true;
  }

  /** Wait for the workers, then add their forces into `forces` and their sums into `acc`, in order. */
  finish(forces: Float64Array, acc: Float64Array): void {
    const expected = this.threads - 1;
    for (let d = Atomics.load(this.ctrl, CTRL.done); d < expected; d = Atomics.load(this.ctrl, CTRL.done))
      Atomics.wait(this.ctrl, CTRL.done, d);
    this.running = false;
    if (Atomics.load(this.ctrl, CTRL.failed)) {
      const messages = this.ports.map((p) => receiveMessageOnPort(p)?.message?.error).filter(Boolean);
      throw new Error(`a force worker thread failed: ${messages.join('\n') || 'no message'}`);
    }
    for (let t = 1; t < this.threads; t++) {
      const f = this.partial[t];
      for (let k = 0; k < f.length; k++) forces[k] += f[k];
      for (let k = 0; k < ACC_SIZE; k++) acc[k] += this.acc[ACC_SIZE * t + k];
    }
  }

  /** Stop the workers (a kernel with threads must be disposed of; its workers do not hold the process). */
  dispose(): void {
    if (this.running) this.finish(new Float64Array(this.x.length), new Float64Array(ACC_SIZE));
    Atomics.store(this.ctrl, CTRL.op, OP_EXIT);
    Atomics.add(this.ctrl, CTRL.task, 1);
    Atomics.notify(this.ctrl, CTRL.task);
    for (const w of this.workers) void w.terminate();
    for (const p of this.ports) p.close();
    this.workers.length = 0;
  }
}
