import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../core/worker.js';
import type { Displacements, SeriesData, SparseData } from './displacements.js';
import {
  accumulateMsdRange,
  type ElementMsd,
  finishMsd,
  type MsdOptions,
  type MsdPartial,
  type MsdPlan,
  type MsdResult,
  planMsd,
} from './msd.js';

/**
 * computeMsd with the atoms split over worker threads. The MSD, its spectra, lag moments and the
 * collective displacement are sums over atoms, so each thread sums a contiguous range of atoms
 * (reading the recorder's shared-memory blocks, no copy) and the ranges are added in atom order:
 * the result depends on the thread count only through the order of floating-point additions, and
 * is the same, bit for bit, for a given count. The first range is summed in this thread.
 *
 * The MSD of the other elements (the framework check, elementMsds) can run as one more job on a
 * worker (elementMsdsThreaded; the analysis starts it once the tracer sums are in, on the worker
 * they freed); it is computed exactly as in this thread.
 */

/** Below this many atom-frames the work is done in this thread: a worker costs more to start. */
export const MSD_THREADS_MIN_WORK = 2_000_000;

/** A job for a worker of msd-worker.ts (each answered by one MsdWorkerMessage). */
export type MsdJob =
  | { kind: 'range'; data: SeriesData; plan: MsdPlan; from: number; to: number }
  | { kind: 'elements'; sparse: SparseData; symbols: string[]; axes: number[] };

/** What an idle worker can be told to make ahead (no answer: not a job, never through run()). */
export type MsdPrepare = { kind: 'prepare'; frames: number };

/** What a worker sends back. */
export type MsdWorkerMessage =
  | { kind: 'progress'; done: number }
  | { kind: 'range'; part: MsdPartial }
  | { kind: 'elements'; elements: ElementMsd[] };

/**
 * Worker threads for the MSD jobs, started ahead of need (a worker takes tens of milliseconds to
 * load its modules, which can overlap the reading of the trajectory) and ended by close(). An
 * idle worker does not keep the process alive; close() must still be called (in a finally).
 */
export class MsdWorkers {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  /** The error of a worker that failed while idle (its modules did not load): the error of the next job. */
  private failure: unknown;

  constructor(count: number) {
    for (let k = 0; k < count; k++) this.idle.push(this.start());
  }

  private start(): Worker {
    const w = startWorker(import.meta.url, 'msd-worker', {});
    w.unref();
    this.all.add(w);
    // Always listened to (an 'error' event with no listener would throw in this thread). A busy
    // worker's failure is its job's (run's listeners); an idle one's is the next job's, and a
    // worker that ends, however, is never handed a job again.
    w.on('error', (e) => {
      if (this.idle.includes(w)) this.failure ??= e;
    });
    w.on('exit', () => {
      const k = this.idle.indexOf(w);
      if (k >= 0) this.idle.splice(k, 1);
      this.all.delete(w);
    });
    return w;
  }

  /**
   * Runs one job on a worker (an idle one, else a new one); progress messages go to `onProgress`.
   * The worker is idle again once it has sent its result, and can take the next job (its code
   * then compiled and its WebAssembly instantiated); a worker that fails is dropped.
   */
  run<T extends MsdWorkerMessage>(job: MsdJob, onProgress?: (done: number) => void): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const w = this.idle.pop() ?? this.start();
    return new Promise<T>((resolve, reject) => {
      const detach = () => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      const onMessage = (m: MsdWorkerMessage) => {
        if (m.kind === 'progress') {
          onProgress?.(m.done);
          return;
        }
        detach();
        w.unref();
        this.idle.push(w);
        resolve(m as T);
      };
      const onError = (e: unknown) => {
        detach();
        this.drop(w);
        reject(e);
      };
      const onExit = (code: number) => {
        detach();
        this.drop(w);
        reject(new Error(`an MSD worker thread stopped before its result (exit code ${code})`));
      };
      w.ref();
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(job);
    });
  }

  private drop(w: Worker): void {
    this.all.delete(w);
    void w.terminate();
  }

  /**
   * Has every idle worker make what the MSD sums of `frames` frames start with (prepareMsd),
   * while it waits for its job: the frame count as a reader announces it before the last frame.
   */
  prepare(frames: number): void {
    for (const w of this.idle) w.postMessage({ kind: 'prepare', frames } satisfies MsdPrepare);
  }

  /** Ends every worker (idle or busy). */
  close(): void {
    for (const w of this.all) void w.terminate();
    this.all.clear();
    this.idle.length = 0;
  }
}

/** Splits [0, n) into `k` contiguous ranges of sizes differing by at most one. */
const ranges = (n: number, k: number): [number, number][] =>
  Array.from({ length: k }, (_, j) => [Math.floor((j * n) / k), Math.floor(((j + 1) * n) / k)]);

/** Will computeMsdThreaded use worker threads for this many atoms and frames? */
export const msdUsesThreads = (atoms: number, frames: number, threads: number): boolean =>
  Math.min(Math.floor(threads), atoms) > 1 && atoms * frames >= MSD_THREADS_MIN_WORK;

export const computeMsdThreaded = async (
  d: Displacements,
  options: MsdOptions & {
    /**
     * Called once the sums over atoms are in, before they are turned into curves in this thread:
     * the workers are then free for other jobs (the other elements' MSD, analyse-run.ts).
     */
    onSumsDone?: () => void;
  },
  threads: number,
  /** Workers to use (started early by the caller, who closes them); default: started and ended here. */
  workers?: MsdWorkers,
): Promise<MsdResult> => {
  const plan = planMsd(d, options);
  const k = Math.max(1, Math.min(Math.floor(threads), plan.atoms));
  if (!msdUsesThreads(plan.atoms, plan.frames, k)) {
    const part = accumulateMsdRange(d, plan, 0, plan.atoms, (n) => options.onProgress?.(n, plan.atoms));
    options.onSumsDone?.();
    return finishMsd(plan, [part]);
  }
  const split = ranges(plan.atoms, k);
  const done = new Array<number>(k).fill(0);
  const report = () =>
    options.onProgress?.(
      done.reduce((s, v) => s + v, 0),
      plan.atoms,
    );
  const data = d.seriesData;
  const pool = workers ?? new MsdWorkers(k - 1);
  try {
    const others = split.slice(1).map(([from, to], j) =>
      pool
        .run<{ kind: 'range'; part: MsdPartial }>({ kind: 'range', data, plan, from, to }, (n) => {
          done[j + 1] = n;
          report();
        })
        .then((m) => {
          done[j + 1] = to - from;
          report();
          return m.part;
        }),
    );
    const [from, to] = split[0];
    const own = accumulateMsdRange(d, plan, from, to, (n) => {
      done[0] = n;
      report();
    });
    const parts = [own, ...(await Promise.all(others))];
    options.onSumsDone?.();
    return finishMsd(plan, parts);
  } finally {
    if (!workers) pool.close();
  }
};

/** elementMsds (msd.js) on a worker thread: the same numbers, bit for bit. */
export const elementMsdsThreaded = async (
  sparse: SparseData,
  symbols: string[],
  axes: number[],
  workers: MsdWorkers,
): Promise<ElementMsd[]> =>
  (
    await workers.run<{ kind: 'elements'; elements: ElementMsd[] }>({
      kind: 'elements',
      sparse,
      symbols,
      axes,
    })
  ).elements;
