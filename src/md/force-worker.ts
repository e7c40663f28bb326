/**
 * Force worker thread (see pair-threads.ts): waits on the shared control word, evaluates the
 * ordinary pairs of its range of atoms into its own force array, signals that it is done. New pair
 * list arrays arrive as messages on its port, taken synchronously when the control word says so.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ordinaryPairForces } from './pair-forces.js';
import type { PairList } from './pair-list.js';
import { CTRL, OP_COMPUTE, OP_EXIT, type WorkerInit } from './pair-threads.js';

const init = workerData as WorkerInit & { port: MessagePort };
const { ctrl, bounds, x, params, index, port } = init;
const forces = init.forces;
const acc = init.acc.subarray(8 * index, 8 * index + 8);
let list = { start: new Int32Array(0), nbr: new Int32Array(0), img: new Uint16Array(0) } as PairList;
let shifts = new Float64Array(0);
let listVersion = -1;

parentPort!.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, CTRL.task, seen);
  seen = Atomics.load(ctrl, CTRL.task);
  const op = Atomics.load(ctrl, CTRL.op);
  if (op === OP_EXIT) break;
  if (op !== OP_COMPUTE) continue;
  try {
    const version = Atomics.load(ctrl, CTRL.listVersion);
    // Every version change was posted before the task was raised: take messages up to it.
    while (listVersion !== version) {
      const m = receiveMessageOnPort(port);
      if (!m) throw new Error(`force worker ${index}: pair list version ${version} was not posted`);
      list = m.message.list;
      shifts = m.message.shifts;
      listVersion = m.message.version;
    }
    forces.fill(0);
    ordinaryPairForces(list, bounds[index], bounds[index + 1], x, shifts, params, forces, acc);
  } catch (e) {
    Atomics.store(ctrl, CTRL.failed, 1);
    port.postMessage({ error: (e as Error).stack ?? String(e) });
  }
  Atomics.add(ctrl, CTRL.done, 1);
  Atomics.notify(ctrl, CTRL.done);
}
port.close();
