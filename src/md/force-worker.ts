/**
 * Force worker thread (see pair-threads.ts): waits for a new task number; builds the pair
 * list of its range of atoms when told to, sums its pairs (and its share of Ewald k-vectors) into
 * its own force array, and writes the task number into its "finished" slot.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { Lattice } from '../core/lattice.js';
import { ACC_SIZE, ordinaryPairForces, specialPairForces } from './pair-forces.js';
import { WasmPairKernel, wasmPairKernelFits } from './pair-kernel-wasm.js';
import { imageShifts, type PairList, PairListBuilder } from './pair-list.js';
import { awaitChange, CTRL, OP_BUILD, OP_COMPUTE, OP_EXIT, type WorkerInit } from './pair-threads.js';
import { ReciprocalEwald } from './reciprocal-ewald.js';

const init = workerData as WorkerInit & { port: MessagePort };
const { ctrl, bounds, x, cell, params, index, port, forces } = init;
const acc = init.acc.subarray(ACC_SIZE * index, ACC_SIZE * (index + 1));
/** The virial slots of acc (xx yy zz xy xz yz), where the reciprocal sum adds its part. */
const accVirial = acc.subarray(2, 8);
const builder = new PairListBuilder(init.natoms, init.specials, init.factors);
let list: PairList | undefined;
/** The pairs in WebAssembly where it fits (as on the main thread; force-kernel.ts). */
const wasm = wasmPairKernelFits(params) ? new WasmPairKernel(init.natoms, params) : undefined;
let from = 0;
let to = 0;
let shifts = new Float64Array(3 * 27);
const ewald = init.ewald;
const reciprocal =
  ewald && new ReciprocalEwald(new Lattice(ewald.cell), ewald.charges, ewald.alpha, ewald.lnInverseAccuracy);
/** The cell the reciprocal sum was last set to (it follows the shared cell). */
const ewaldCell = Float64Array.from(ewald?.cell ?? []);

parentPort!.postMessage('ready');
let seen = 0;
for (;;) {
  const task = awaitChange(ctrl, CTRL.task, seen);
  // A wake without a new task (a late notify for the task just done) is not a task: wait again.
  if (task === seen) continue;
  seen = task;
  const op = Atomics.load(ctrl, CTRL.op);
  if (op & OP_EXIT) break;
  try {
    if (op & OP_BUILD) {
      from = bounds[index];
      to = bounds[index + 1];
      list = builder.build(x, new Lattice(Array.from(cell.subarray(0, 9))), cell[9], from, to);
      if (shifts.length < 3 * list.imageCount) shifts = new Float64Array(6 * list.imageCount);
      wasm?.setList(list, from, to);
    }
    if (op & OP_COMPUTE) {
      if (!list) throw new Error(`force worker ${index}: asked for forces before a pair list was built`);
      imageShifts(list, cell, shifts);
      if (wasm) wasm.compute(x, shifts, list.imageCount, forces, acc);
      else {
        forces.fill(0);
        ordinaryPairForces(list, from, to, x, shifts, params, forces, acc);
        specialPairForces(list, x, shifts, params, forces, acc);
      }
      if (reciprocal) {
        if (ewaldCell.some((v, k) => v !== cell[k])) {
          ewaldCell.set(cell.subarray(0, 9));
          reciprocal.setLattice(new Lattice(Array.from(ewaldCell)));
        }
        const kb = init.kBounds;
        acc[1] += reciprocal.compute(x, forces, accVirial, kb[index], kb[index + 1]);
      }
    }
  } catch (e) {
    Atomics.store(ctrl, CTRL.failed, 1);
    port.postMessage({ error: (e as Error).stack ?? String(e) });
  }
  // Written after the forces: the caller reads them once this slot holds the task's number.
  Atomics.store(ctrl, CTRL.finished + index, seen);
  Atomics.notify(ctrl, CTRL.finished + index);
}
port.close();
