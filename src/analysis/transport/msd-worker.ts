/**
 * A worker thread of computeMsdThreaded (msd-threads.ts): the MSD sums of one range of atoms,
 * read from the shared displacement blocks, sent back once (progress every PROGRESS_EVERY atoms).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Displacements } from './displacements.js';
import { accumulateMsdRange } from './msd.js';
import type { MsdWorkerInit } from './msd-threads.js';

const PROGRESS_EVERY = 8;
const init = workerData as MsdWorkerInit;
const d = Displacements.fromSeriesData(init.data);
const part = accumulateMsdRange(d, init.plan, init.from, init.to, (done) => {
  if (done % PROGRESS_EVERY === 0) parentPort!.postMessage({ kind: 'progress', done });
});
parentPort!.postMessage({ kind: 'result', part });
