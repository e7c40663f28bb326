/**
 * A worker thread of msd-threads.ts: does the jobs it is sent, one after another, and sends each
 * one's result back.
 * 'range': the MSD sums of a range of atoms, read from the shared displacement blocks (progress
 * every PROGRESS_EVERY atoms); 'elements': the MSD of the other elements (elementMsds); 'prepare':
 * the FFT plan and kernel for a run of that many frames, made while the frames are still read.
 */
import { parentPort } from 'node:worker_threads';
import { Displacements, SparseDisplacements } from './displacements.js';
import { accumulateMsdRange, elementMsds, prepareMsd } from './msd.js';
import type { MsdJob, MsdPrepare, MsdWorkerMessage } from './msd-threads.js';

const PROGRESS_EVERY = 8;
const send = (m: MsdWorkerMessage) => parentPort!.postMessage(m);
parentPort!.on('message', (job: MsdJob | MsdPrepare) => {
  if (job.kind === 'prepare') prepareMsd(job.frames);
  else if (job.kind === 'range') {
    const d = Displacements.fromSeriesData(job.data);
    const part = accumulateMsdRange(d, job.plan, job.from, job.to, (done) => {
      if (done % PROGRESS_EVERY === 0) send({ kind: 'progress', done });
    });
    send({ kind: 'range', part });
  } else {
    const sparse = SparseDisplacements.fromData(job.sparse);
    send({ kind: 'elements', elements: elementMsds(sparse, (atom) => job.symbols[atom], job.axes) });
  }
});
