import { availableParallelism } from 'node:os';
import { OptionError } from '../core/errors.js';

/** --threads: a whole number >= 1; by default every core of this machine. */
export const threadsOption = (v: unknown): number => {
  if (v === undefined) return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new OptionError(`--threads: "${v}" is not a whole number >= 1`);
  return n;
};
