import type { Frame, SourceLocation } from '../../core/frame.js';
import { FrameWorkerPool } from '../../core/frame-worker-pool.js';
import type { Topology, TopologyInit } from '../../core/topology.js';
import { RdfAccumulator, type RdfOptions, type RdfResult } from './rdf.js';

/**
 * g(r) with the pair counting spread over worker threads: frames are checked and counted (frame
 * number, volume) here in their order and dealt round robin to the workers, each counting pairs
 * into its own histograms; the counts are added at the end. The result is the same as
 * RdfAccumulator's, bit for bit (integer counts; the volumes summed here in frame order). The pool
 * (core/frame-worker-pool.ts) keeps memory flat in the number of frames.
 */

/** Runs smaller than this (atoms) are counted in this thread: a worker costs more to start. */
export const THREADS_MIN_ATOMS = 500;

export interface RdfWorkerInit {
  topology: TopologyInit;
  options: RdfOptions;
}

export type RdfWorkerMessage =
  | { kind: 'frame'; positions: Float64Array; cell: Float64Array }
  | { kind: 'finish' };

export class ThreadedRdfAccumulator {
  private readonly acc: RdfAccumulator;
  private readonly pool?: FrameWorkerPool;

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
    this.pool = new FrameWorkerPool(import.meta.url, 'rdf-worker', init, threads);
  }

  get frames(): number {
    return this.acc.frames;
  }

  push(frame: Frame, source?: SourceLocation): void | Promise<void> {
    const lattice = this.acc.checkFrame(frame, source);
    if (!this.pool) {
      this.acc.countPairs(frame.positions, lattice);
      this.acc.recordFrame(lattice);
      return;
    }
    this.acc.recordFrame(lattice);
    return this.pool.send(frame.positions, lattice.matrix);
  }

  /** The counts from every worker, added; the workers stopped. */
  async result(): Promise<RdfResult> {
    await this.pool?.collect((counts) => this.acc.addPairCounts(counts));
    return this.acc.result();
  }

  /** Stop the workers (also after an error). */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
