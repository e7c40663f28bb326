import { ParseError } from '../../core/errors.js';
import type { LineReader } from '../text/line-reader.js';
import { decodeLatin1, parseFloatBytes } from '../text/parse-number.js';

/**
 * Fixed-column fields of the current line of a LineReader (PDB, GRO): columns are 1-based and
 * inclusive, as the format documents number them, and clipped to the line's length. Numbers are
 * parsed strictly from the bytes; an error names the field's first column.
 */

/** Length of the current line (without its newline). */
export const lineLength = (r: LineReader): number => r.end - r.start;

/** Byte range [s, e) of columns from..to with the surrounding spaces trimmed (s === e when blank). */
const trimmed = (r: LineReader, from: number, to: number): [number, number] => {
  let s = r.start + from - 1;
  let e = Math.min(r.start + to, r.end);
  const b = r.buf;
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  return [s, Math.max(s, e)];
};

/** The text of columns from..to, trimmed. */
export const columnText = (r: LineReader, from: number, to: number): string => {
  const [s, e] = trimmed(r, from, to);
  return decodeLatin1(r.buf, s, e);
};

/** True when columns from..to are blank or past the end of the line. */
export const isBlankColumns = (r: LineReader, from: number, to: number): boolean => {
  const [s, e] = trimmed(r, from, to);
  return s >= e;
};

/** A ParseError at column `column` of the current line. */
export const columnError = (r: LineReader, column: number, expected: string, found: string): ParseError =>
  new ParseError({ file: r.file, line: r.lineNo, column, expected, found });

/** Columns from..to as a number; a ParseError (with the field's column) when blank or not a number. */
export const columnFloat = (r: LineReader, from: number, to: number, what: string): number => {
  const [s, e] = trimmed(r, from, to);
  const v = s < e ? parseFloatBytes(r.buf, s, e) : Number.NaN;
  if (Number.isNaN(v)) {
    const found = s < e ? decodeLatin1(r.buf, s, e) : r.start + from - 1 >= r.end ? 'end of line' : '(blank)';
    throw columnError(r, s < e ? s - r.start + 1 : from, `${what} in columns ${from}-${to}`, found);
  }
  return v;
};
