import { FrameWorkerPool } from '../../core/frame-worker-pool.js';
import type { Lattice } from '../../core/lattice.js';
import { PairCounts } from './pair-counts.js';

/**
 * PairCounts with the counting spread over worker threads (as structure/rdf-threads.ts does for
 * g(r)): frames dealt round robin, each worker counting into its own histograms, added at the end
 * (integer counts: the same result however dealt). The pool (core/frame-worker-pool.ts)
 * keeps memory flat in the number of frames.
 */

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

export class ThreadedPairCounts {
  readonly local: PairCounts;
  private readonly pool?: FrameWorkerPool;

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
    this.pool = new FrameWorkerPool(import.meta.url, 'pair-counts-worker', init, threads);
  }

  /** Count one frame (here or in a worker); a promise when the workers are busy. */
  push(positions: Float64Array, lattice: Lattice): void | Promise<void> {
    if (!this.pool) return this.local.count(positions, lattice);
    return this.pool.send(positions, lattice.matrix);
  }

  /** Every worker's counts added into `local`; the workers stopped. */
  async finish(): Promise<PairCounts> {
    await this.pool?.collect((counts) => this.local.add(counts));
    return this.local;
  }

  /** Stop the workers (also after an error). */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
