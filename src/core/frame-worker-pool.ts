import type { Worker } from 'node:worker_threads';
import { startWorker } from './worker.js';

/**
 * Worker threads that each count frames into histograms of their own (g(r), the MD-model PDF):
 * frames are dealt round robin, a worker answers 'done' per frame, and on { kind: 'finish' }
 * sends its counts (a Float64Array), which the caller adds. At most IN_FLIGHT frames wait per
 * worker, so memory stays flat in the number of frames. Counts are whole numbers, so the sum is
 * the same however the frames were dealt.
 */
const IN_FLIGHT = 3;

interface Slot {
  worker: Worker;
  pending: number;
  wake?: () => void;
  counts?: (c: Float64Array) => void;
}

export class FrameWorkerPool {
  private readonly slots: Slot[] = [];
  private next = 0;
  private failure: Error | undefined;

  /** `threads` workers on the module `name` beside `importMetaUrl` (core/worker.ts startWorker). */
  constructor(importMetaUrl: string, name: string, workerData: unknown, threads: number) {
    for (let t = 0; t < threads; t++) {
      const worker = startWorker(importMetaUrl, name, { workerData });
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

  /**
   * Send one frame (positions copied, so that a view into a reader's larger buffer does not clone
   * all of it, and handed over without a second copy); a promise when that worker is busy.
   */
  send(positions: Float64Array, cell: ArrayLike<number>): void | Promise<void> {
    if (this.failure) throw this.failure;
    const slot = this.slots[this.next];
    this.next = (this.next + 1) % this.slots.length;
    const copy = Float64Array.from(positions);
    slot.worker.postMessage({ kind: 'frame', positions: copy, cell: Float64Array.from(cell) }, [copy.buffer]);
    slot.pending++;
    if (slot.pending >= IN_FLIGHT) return this.drain(slot, IN_FLIGHT - 1);
  }

  private async drain(slot: Slot, upTo: number): Promise<void> {
    while (slot.pending > upTo && !this.failure) await new Promise<void>((res) => (slot.wake = res));
    slot.wake = undefined;
    if (this.failure) throw this.failure;
  }

  /** Each worker's counts, in worker order, passed to `add`; the workers stopped. */
  async collect(add: (counts: Float64Array) => void): Promise<void> {
    try {
      for (const slot of this.slots) {
        const counts = new Promise<Float64Array>((res) => (slot.counts = res));
        const failed = new Promise<never>((_, rej) => slot.worker.once('error', rej));
        slot.worker.postMessage({ kind: 'finish' });
        add(await Promise.race([counts, failed]));
      }
      if (this.failure) throw this.failure;
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
