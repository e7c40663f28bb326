import { startWorker } from '../../core/worker.js';
import type { Displacements, SeriesData } from './displacements.js';
import {
  accumulateMsdRange,
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
 */

/** Below this many atom-frames the work is done in this thread: a worker costs more to start. */
export const MSD_THREADS_MIN_WORK = 2_000_000;

export interface MsdWorkerInit {
  data: SeriesData;
  plan: MsdPlan;
  from: number;
  to: number;
}

type WorkerMessage = { kind: 'progress'; done: number } | { kind: 'result'; part: MsdPartial };

/** Splits [0, n) into `k` contiguous ranges of sizes differing by at most one. */
const ranges = (n: number, k: number): [number, number][] =>
  Array.from({ length: k }, (_, j) => [Math.floor((j * n) / k), Math.floor(((j + 1) * n) / k)]);

export const computeMsdThreaded = async (
  d: Displacements,
  options: MsdOptions,
  threads: number,
): Promise<MsdResult> => {
  const plan = planMsd(d, options);
  const k = Math.max(1, Math.min(Math.floor(threads), plan.atoms));
  if (k === 1 || plan.atoms * plan.frames < MSD_THREADS_MIN_WORK)
    return finishMsd(plan, [
      accumulateMsdRange(d, plan, 0, plan.atoms, (n) => options.onProgress?.(n, plan.atoms)),
    ]);
  const split = ranges(plan.atoms, k);
  const done = new Array<number>(k).fill(0);
  const report = () =>
    options.onProgress?.(
      done.reduce((s, v) => s + v, 0),
      plan.atoms,
    );
  const data = d.seriesData;
  const workers = split.slice(1).map(
    ([from, to], j) =>
      new Promise<MsdPartial>((resolve, reject) => {
        const init: MsdWorkerInit = { data, plan, from, to };
        const worker = startWorker(import.meta.url, 'msd-worker', { workerData: init });
        worker.on('message', (m: WorkerMessage) => {
          if (m.kind === 'progress') {
            done[j + 1] = m.done;
            report();
          } else {
            done[j + 1] = to - from;
            report();
            resolve(m.part);
            void worker.terminate();
          }
        });
        worker.on('error', reject);
        // (After the result, terminate() ends it: rejecting a settled promise does nothing.)
        worker.on('exit', (code) =>
          reject(new Error(`an MSD worker thread stopped before its result (exit code ${code})`)),
        );
      }),
  );
  const [from, to] = split[0];
  const own = accumulateMsdRange(d, plan, from, to, (n) => {
    done[0] = n;
    report();
  });
  const parts = [own, ...(await Promise.all(workers))];
  return finishMsd(plan, parts);
};
