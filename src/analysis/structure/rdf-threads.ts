import type { Worker } from 'node:worker_threads';
import type { Frame, SourceLocation } from '../../core/frame.js';
import type { Topology, TopologyInit } from '../../core/topology.js';
import { startWorker } from '../../core/worker.js';
import { RdfAccumulator, type RdfOptions, type RdfResult } from './rdf.js';

/**
 * g(r) with the pair counting spread over worker threads: frames are checked and counted (frame
 * number, volume) here in their order and dealt round robin to the workers, each counting pairs
 * into its own histograms; the counts are added at the end. The result is the same as
 * RdfAccumulator's, bit for bit (integer counts; the volumes summed here in frame order). At most
 * IN_FLIGHT frames wait per worker, so memory stays flat in the number of frames.
 */

/** Frames queued per worker before push() waits. */
const IN_FLIGHT = 3;

/** Runs smaller than this (atoms) are counted in this thread: a worker costs more to start. */
export const THREADS_MIN_ATOMS = 500;

export interface RdfWorkerInit {
  topology: TopologyInit;
  options: RdfOptions;
}

export type RdfWorkerMessage =
  | { kind: 'frame'; positions: Float64Array; cell: Float64Array }
  | { kind: 'finish' };

interface Slot {
  worker: Worker;
  pending: number;
  wake?: () => void;
  counts?: (c: Float64Array) => void;
}

export class ThreadedRdfAccumulator {
  private readonly acc: RdfAccumulator;
  private readonly slots: Slot[] = [];
  private next = 0;
  private failure: Error | undefined;

  /** `threads` workers (1: count in this thread, as RdfAccumulator). */
  constructor(topology: Topology, options: RdfOptions, threads: number) {
    this.acc = new RdfAccumulator(topology, options);
    if (threads <= 1 || topology.natoms < THREADS_MIN_ATOMS) return;
    const init: RdfWorkerInit = {
      topology: {
        symbols: topology.symbols,
        moleculeIds: topology.moleculeIds,
        bonds: topology.bonded.bonds,
      },
      options,
    };
    for (let t = 0; t < threads; t++) {
      const worker = startWorker(import.meta.url, 'rdf-worker', { workerData: init });
      const slot: Slot = { worker, pending: 0 };
      worker.on('message', (m: string | Float64Array) => {
        if (m === 'done') {
          slot.pending--;
          slot.wake?.();
        } else if (typeof m !== 'string') slot.counts?.(m);
      });
      worker.on('error', (e) => {
        this.failure ??= e;
        for (const s of this.slots) s.wake?.();
      });
      this.slots.push(slot);
    }
  }

  get frames(): number {
    return this.acc.frames;
  }

  push(frame: Frame, source?: SourceLocation): void | Promise<void> {
    const lattice = this.acc.checkFrame(frame, source);
    if (this.slots.length === 0) {
      this.acc.countPairs(frame.positions, lattice);
      this.acc.recordFrame(lattice);
      return;
    }
    if (this.failure) throw this.failure;
    this.acc.recordFrame(lattice);
    const slot = this.slots[this.next];
    this.next = (this.next + 1) % this.slots.length;
    // A copy of its own (a view into a reader's larger buffer would clone all of that buffer),
    // handed over without a second copy.
    const positions = Float64Array.from(frame.positions);
    const message: RdfWorkerMessage = { kind: 'frame', positions, cell: lattice.matrix };
    slot.worker.postMessage(message, [positions.buffer]);
    slot.pending++;
    if (slot.pending >= IN_FLIGHT) return this.drain(slot, IN_FLIGHT - 1);
  }

  private async drain(slot: Slot, upTo: number): Promise<void> {
    while (slot.pending > upTo && !this.failure) await new Promise<void>((res) => (slot.wake = res));
    slot.wake = undefined;
    if (this.failure) throw this.failure;
  }

  /** The counts from every worker, added; the workers stopped. */
  async result(): Promise<RdfResult> {
    try {
      for (const slot of this.slots) {
        const counts = new Promise<Float64Array>((res) => (slot.counts = res));
        const failed = new Promise<never>((_, rej) => slot.worker.once('error', rej));
        slot.worker.postMessage({ kind: 'finish' } satisfies RdfWorkerMessage);
        this.acc.addPairCounts(await Promise.race([counts, failed]));
      }
      if (this.failure) throw this.failure;
      return this.acc.result();
    } finally {
      await this.close();
    }
  }

  /** Stop the workers (also after an error). */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
