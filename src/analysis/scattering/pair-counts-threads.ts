import type { Worker } from 'node:worker_threads';
import type { Lattice } from '../../core/lattice.js';
import { startWorker } from '../../core/worker.js';
import { PairCounts } from './pair-counts.js';

/**
 * PairCounts with the counting spread over worker threads (as structure/rdf-threads.ts does for
 * g(r)): frames dealt round robin, each worker counting into its own histograms, added at the end
 * (integer counts: the same result however dealt). At most IN_FLIGHT frames wait per worker, so
 * memory stays flat in the number of frames.
 */

const IN_FLIGHT = 3;
/** Below this many atoms a worker costs more to start than it saves. */
export const PAIR_THREADS_MIN_ATOMS = 500;

export interface PairCountsWorkerInit {
  speciesIndex: Int32Array;
  elementCount: number;
  rMax: number;
  bins: number;
}

export type PairCountsWorkerMessage =
  | { kind: 'frame'; positions: Float64Array; cell: Float64Array }
  | { kind: 'finish' };

interface Slot {
  worker: Worker;
  pending: number;
  wake?: () => void;
  counts?: (c: Float64Array) => void;
}

export class ThreadedPairCounts {
  readonly local: PairCounts;
  private readonly slots: Slot[] = [];
  private next = 0;
  private failure: Error | undefined;

  constructor(
    speciesIndex: ArrayLike<number>,
    elementCount: number,
    rMax: number,
    bins: number,
    threads: number,
  ) {
    this.local = new PairCounts(speciesIndex, elementCount, rMax, bins);
    if (threads <= 1 || speciesIndex.length < PAIR_THREADS_MIN_ATOMS) return;
    const init: PairCountsWorkerInit = {
      speciesIndex: Int32Array.from(speciesIndex),
      elementCount,
      rMax,
      bins,
    };
    for (let t = 0; t < threads; t++) {
      const worker = startWorker(import.meta.url, 'pair-counts-worker', { workerData: init });
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

  /** Count one frame (here or in a worker); a promise when the workers are busy. */
  push(positions: Float64Array, lattice: Lattice): void | Promise<void> {
    if (this.slots.length === 0) return this.local.count(positions, lattice);
    if (this.failure) throw this.failure;
    const slot = this.slots[this.next];
    this.next = (this.next + 1) % this.slots.length;
    const copy = Float64Array.from(positions);
    const message: PairCountsWorkerMessage = {
      kind: 'frame',
      positions: copy,
      cell: Float64Array.from(lattice.matrix),
    };
    slot.worker.postMessage(message, [copy.buffer]);
    slot.pending++;
    if (slot.pending >= IN_FLIGHT) return this.drain(slot, IN_FLIGHT - 1);
  }

  private async drain(slot: Slot, upTo: number): Promise<void> {
    while (slot.pending > upTo && !this.failure) await new Promise<void>((res) => (slot.wake = res));
    slot.wake = undefined;
    if (this.failure) throw this.failure;
  }

  /** Every worker's counts added into `local`; the workers stopped. */
  async finish(): Promise<PairCounts> {
    try {
      for (const slot of this.slots) {
        const counts = new Promise<Float64Array>((res) => (slot.counts = res));
        const failed = new Promise<never>((_, rej) => slot.worker.once('error', rej));
        slot.worker.postMessage({ kind: 'finish' } satisfies PairCountsWorkerMessage);
        this.local.add(await Promise.race([counts, failed]));
      }
      if (this.failure) throw this.failure;
      return this.local;
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
