/**
 * A worker thread of ThreadedPairCounts (pair-counts-threads.ts): counts the pairs of the frames
 * it is sent into its own PairCounts and, when asked, sends the counts back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Lattice } from '../../core/lattice.js';
import { PairCounts } from './pair-counts.js';
import type { PairCountsWorkerInit, PairCountsWorkerMessage } from './pair-counts-threads.js';

const init = workerData as PairCountsWorkerInit;
const acc = new PairCounts(init.speciesIndex, init.elementCount, init.rMax, init.bins);
let cell: Float64Array | undefined;
let lattice: Lattice | undefined;
parentPort!.on('message', (m: PairCountsWorkerMessage) => {
  if (m.kind === 'frame') {
    if (!lattice || !cell || cell.some((v, k) => v !== m.cell[k])) {
      cell = Float64Array.from(m.cell);
      lattice = new Lattice(cell);
    }
    acc.count(m.positions, lattice);
    parentPort!.postMessage('done');
  } else parentPort!.postMessage(acc.counts);
});
