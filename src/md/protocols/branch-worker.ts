/**
 * Worker thread for one temperature of a series (see runBranchInWorker): runs its stages and
 * posts progress; an 'abort' message stops it at the next step with a checkpoint.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RunCancelled } from '../integrator.js';
import { runBranchHere } from './run-protocol.js';

const abort = new AbortController();
parentPort!.on('message', (m) => {
  if (m.type === 'abort') abort.abort();
});

const { outDir, branch, start, env } = workerData;
runBranchHere(
  outDir,
  branch,
  start,
  env,
  { signal: abort.signal, onWarning: (message) => parentPort!.postMessage({ type: 'warning', message }) },
  (label, step) => parentPort!.postMessage({ type: 'progress', label, step }),
).then(
  (summaries) => {
    parentPort!.postMessage({ type: 'done', summaries });
    parentPort!.close();
  },
  (e: Error) => {
    parentPort!.postMessage(
      e instanceof RunCancelled
        ? { type: 'cancelled', step: e.step }
        : { type: 'error', name: e.name, message: e.message, option: (e as { option?: string }).option },
    );
    parentPort!.close();
  },
);
