import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OligolyteError } from '../core/errors.js';

/**
 * Outputs that cannot be written are errors that name the path and say why in words, never a
 * silent loss: an operating-system error (EACCES, ENOTDIR, ...) becomes an OutputError.
 */
export class OutputError extends OligolyteError {
  override name = 'OutputError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot write ${path}: ${reason}`);
  }
}

/** The nearest existing ancestor of `path` (or the path itself) that is not a folder, if any. */
const fileInTheWay = (path: string): string | undefined => {
  for (let p = path; ; p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      // Missing (or unreadable): look further up.
    }
    if (dirname(p) === p) return undefined;
  }
};

/** Why writing `path` failed, in words, from an operating-system error. */
export const writeFailureReason = (path: string, e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ENOTDIR':
    case 'EEXIST': {
      const trim = (p: string) => p.replace(/(.)\/+$/, '$1');
      const file = fileInTheWay(trim(err.path ?? path));
      if (file === trim(path)) return 'it is a file, not a folder';
      return file ? `${file} is a file, not a folder` : (err.message ?? String(e));
    }
    case 'ENOENT':
      return existsSync(dirname(path))
        ? `the system refuses to create it (${err.message})`
        : `the folder ${dirname(path)} does not exist`;
    default:
      return err?.message ?? String(e);
  }
};

/** An OutputError for `path` from whatever writing it threw (an OutputError passes through). */
export const cannotWrite = (path: string, e: unknown): OutputError =>
  e instanceof OutputError ? e : new OutputError(path, writeFailureReason(path, e));

/**
 * Create `dir` and its missing parents, one level at a time. (Node 20's mkdirSync with
 * `recursive` never returns for a folder the system refuses without saying why, such as one
 * under /proc.) A `dir` that exists but is not a folder raises ENOTDIR.
 */
export const makeFolders = (dir: string): void => {
  const missing: string[] = [];
  for (let p = resolve(dir); !existsSync(p); p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing.reverse())
    try {
      mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  if (!statSync(resolve(dir)).isDirectory())
    throw Object.assign(new Error(`ENOTDIR: not a directory, '${dir}'`), {
      code: 'ENOTDIR',
      syscall: 'mkdir',
      path: dir,
    });
};

/**
 * Make sure `dir` is a folder that exists (created with its parents if needed): an output folder
 * that is a file, or cannot be created, is an OutputError naming it.
 */
export const makeOutputFolder = (dir: string): void => {
  try {
    makeFolders(dir);
  } catch (e) {
    throw cannotWrite(dir, e);
  }
};
