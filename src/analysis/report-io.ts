import { formatSignificant } from '../core/format-number.js';
import { TextSink } from '../io/text-sink.js';

/** JSON.stringify replacer: typed arrays as arrays, non-finite numbers as null. */
export const jsonNumbers = (_key: string, value: unknown): unknown => {
  if (ArrayBuffer.isView(value))
    return Array.from(value as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
};

/**
 * Write through a sink: given a path, open it, write, commit (atomic: the file appears whole or
 * not at all; on an error the temporary file is removed); given an open TextSink, only write, and
 * the caller commits (so that several outputs are committed together after the work).
 */
export const writeTo = async (target: string | TextSink, write: (sink: TextSink) => Promise<void>) => {
  if (typeof target !== 'string') return write(target);
  const sink = new TextSink(target);
  try {
    await write(sink);
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
};

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
export const csvField = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A table's number: `digits` significant figures (plain from 1e-3 to 1e6); '-' for none or not finite. */
export const tableNumber = (v: number | null | undefined, digits = 4): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : formatSignificant(v, digits, 1e-3, 1e6);

/** A CSV number: every digit (shortest round trip); empty when not finite. */
export const csvNumber = (v: number): string => (Number.isFinite(v) ? String(v) : '');
