import { OligolyteError } from '../core/errors.js';
import { noteKept } from './signals.js';

/**
 * Write several outputs so that one that cannot be written (a read-only folder, a parent that is
 * a file, a full disk) never costs the others: each is tried, the failures are collected and
 * raised together afterwards as one error naming every path (exit 1). An error that is not about
 * writing (a bug) is raised at once.
 */
export const writeOutputs = async (
  outputs: { path: string; write: () => Promise<void>; done?: string }[],
): Promise<void> => {
  const failed: string[] = [];
  for (const o of outputs) {
    try {
      await o.write();
      noteKept(o.path);
      if (o.done) process.stderr.write(`${o.done}\n`);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (e instanceof OligolyteError) failed.push(e.message);
      else if (typeof err?.code === 'string' && err.syscall)
        failed.push(`cannot write ${o.path}: ${err.message}`);
      else throw e;
    }
  }
  if (failed.length === 1) throw new OligolyteError(failed[0]);
  if (failed.length > 1)
    throw new OligolyteError(`${failed.length} outputs were not written:\n  ${failed.join('\n  ')}`);
};
