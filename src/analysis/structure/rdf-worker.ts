/**
 * A worker thread of ThreadedRdfAccumulator (rdf-threads.ts): counts the pairs of the frames it
 * is sent into its own RdfAccumulator and, when asked, sends the counts back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { RdfAccumulator } from './rdf.js';
import type { RdfWorkerInit, RdfWorkerMessage } from './rdf-threads.js';

const init = workerData as RdfWorkerInit;
const acc = new RdfAccumulator(new Topology(init.topology), init.options);
let cell: Float64Array | undefined;
let lattice: Lattice | undefined;
parentPort!.on('message', (m: RdfWorkerMessage) => {
  if (m.kind === 'frame') {
    if (!lattice || !cell || cell.some((v, k) => v !== m.cell[k])) {
      cell = Float64Array.from(m.cell);
      lattice = new Lattice(cell);
    }
    acc.countPairs(m.positions, lattice);
    parentPort!.postMessage('done');
  } else parentPort!.postMessage(acc.pairCountsSnapshot());
});
