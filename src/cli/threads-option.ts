import { availableParallelism } from 'node:os';
import { isWholeAtLeastOne, parseNumber } from './number-option.js';

/**
 * --threads: a whole number >= 1; by default every core of this machine. More threads than cores
 * only compete for them (and each costs memory: --threads 1000 ran out of it), so a larger count
 * is capped at the cores, with a note on stderr. (The engine also caps the threads at one per 16
 * atoms and at 64: md/force-kernel.ts usefulThreads.)
 */
export const threadsOption = (v: unknown): number => {
  const cores = availableParallelism();
  if (v === undefined) return cores;
  const n = parseNumber(String(v), '--threads', isWholeAtLeastOne, 'a whole number >= 1');
  if (n > cores) {
    process.stderr.write(`note: --threads ${n}: this machine has ${cores} cores; using ${cores}\n`);
    return cores;
  }
  return n;
};
