import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { ParseError } from '../core/errors.js';
import { checkJsonNesting } from '../core/json-nesting.js';
import type { Ensemble, MdCheckpoint } from './integrator.js';

/**
 * Checkpoint files: JSON, with the large arrays as base64 of their little-endian float64 bytes
 * (exact, and a quarter of the size of decimal text). `context` carries what the caller needs to
 * continue (a protocol's stage, the lengths of its output files). Written to a temporary file,
 * synced and renamed, so a kill while writing leaves the previous checkpoint intact.
 */
export const CHECKPOINT_FORMAT = 'oligolyte-md-checkpoint';

const toBase64 = (a: Float64Array): string =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

const fromBase64 = (s: unknown, what: string, fail: (m: string) => never): Float64Array => {
  if (typeof s !== 'string') fail(`${what} as a base64 string`);
  const b = Buffer.from(s as string, 'base64');
  if (b.byteLength % 8 !== 0) fail(`${what}: a whole number of float64 values`);
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
};

export const writeCheckpoint = (
  path: string,
  cp: MdCheckpoint,
  context: Record<string, unknown> = {},
): void => {
  const doc = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    context,
    step: cp.step,
    ensemble: cp.ensemble,
    timeStepFs: cp.timeStepFs,
    cell: cp.cell,
    eta: cp.eta,
    vEta: cp.vEta,
    vEps: cp.vEps,
    deformReference: cp.deformReference,
    langevinWork: cp.langevinWork,
    randomState: cp.randomState,
    threads: cp.threads,
    positions: toBase64(cp.positions),
    velocities: toBase64(cp.velocities),
    list: cp.list && {
      cell: cp.list.cell,
      reference: toBase64(cp.list.reference),
      ...(cp.list.shells && { shells: toBase64(cp.list.shells) }),
    },
  };
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(doc));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
};

export const readCheckpoint = (
  path: string,
): { checkpoint: MdCheckpoint; context: Record<string, unknown> } => {
  const fail = (expected: string): never => {
    throw new ParseError({ file: path, expected });
  };
  let doc: Record<string, unknown>;
  try {
    const text = readFileSync(path, 'utf8');
    checkJsonNesting(text, path);
    doc = JSON.parse(text);
  } catch (e) {
    if (e instanceof ParseError) throw e;
    throw new ParseError({
      file: path,
      line: 1,
      expected: 'a checkpoint (JSON)',
      found: (e as Error).message,
    });
  }
  if (doc.format !== CHECKPOINT_FORMAT || doc.version !== 1) fail(`a ${CHECKPOINT_FORMAT} version 1 file`);
  const num = (k: string) => {
    const v = doc[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`a number "${k}"`);
    return v as number;
  };
  const nums = (v: unknown, k: string, len?: number) => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number') || (len !== undefined && v.length !== len))
      fail(`"${k}" as ${len ?? 'a list of'} numbers`);
    return v as number[];
  };
  const ensembles = ['nve', 'nvt', 'langevin', 'npt'];
  if (!ensembles.includes(doc.ensemble as string)) fail(`"ensemble", one of ${ensembles.join(', ')}`);
  const list = doc.list as { cell: unknown; reference: unknown; shells?: unknown } | undefined;
  const checkpoint: MdCheckpoint = {
    step: num('step'),
    ensemble: doc.ensemble as Ensemble,
    timeStepFs: num('timeStepFs'),
    cell: nums(doc.cell, 'cell', 9),
    eta: nums(doc.eta, 'eta'),
    vEta: nums(doc.vEta, 'vEta'),
    vEps: nums(doc.vEps, 'vEps', 3),
    deformReference: doc.deformReference === undefined ? undefined : num('deformReference'),
    langevinWork: num('langevinWork'),
    randomState: num('randomState'),
    threads: doc.threads === undefined ? undefined : num('threads'),
    positions: fromBase64(doc.positions, '"positions"', fail),
    velocities: fromBase64(doc.velocities, '"velocities"', fail),
    list: list && {
      cell: nums(list.cell, 'list.cell', 9),
      reference: fromBase64(list.reference, '"list.reference"', fail),
      ...(list.shells !== undefined && { shells: fromBase64(list.shells, '"list.shells"', fail) }),
    },
  };
  return { checkpoint, context: (doc.context as Record<string, unknown>) ?? {} };
};
