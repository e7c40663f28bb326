import { OptionError, ParseError } from '../../core/errors.js';
import type { LineReader } from '../text/line-reader.js';
import { decodeLatin1, parseFloatBytes } from '../text/parse-number.js';

/**
 * Fixed-column fields of the current line of a LineReader (PDB, GRO): columns are 1-based and
 * inclusive, as the format documents number them, and clipped to the line's length. Numbers are
 * parsed strictly from the bytes; an error names the field's first column.
 */

/** Length of the current line (without its newline). */
export const lineLength = (r: LineReader): number => r.end - r.start;

/** Byte range [ts, te) of the last trim() (module scratch: no array per field on the hot path). */
let ts = 0;
let te = 0;

/** Set [ts, te) to the bytes of columns from..to with the surrounding spaces trimmed (ts === te when blank). */
const trim = (r: LineReader, from: number, to: number): void => {
  let s = r.start + from - 1;
  let e = Math.min(r.start + to, r.end);
  const b = r.buf;
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  ts = s;
  te = Math.max(s, e);
};

/** The text of columns from..to, trimmed. */
export const columnText = (r: LineReader, from: number, to: number): string => {
  trim(r, from, to);
  return decodeLatin1(r.buf, ts, te);
};

/** True when columns from..to are blank or past the end of the line. */
export const isBlankColumns = (r: LineReader, from: number, to: number): boolean => {
  trim(r, from, to);
  return ts >= te;
};

/** A ParseError at column `column` of the current line. */
export const columnError = (r: LineReader, column: number, expected: string, found: string): ParseError =>
  new ParseError({ file: r.file, line: r.lineNo, column, expected, found });

/** Columns from..to as a number; a ParseError (with the field's column) when blank or not a number. */
export const columnFloat = (r: LineReader, from: number, to: number, what: string): number => {
  trim(r, from, to);
  const v = ts < te ? parseFloatBytes(r.buf, ts, te) : Number.NaN;
  if (!Number.isFinite(v)) {
    const found =
      ts < te ? decodeLatin1(r.buf, ts, te) : r.start + from - 1 >= r.end ? 'end of line' : '(blank)';
    throw columnError(r, ts < te ? ts - r.start + 1 : from, `${what} in columns ${from}-${to}`, found);
  }
  return v;
};

/**
 * Columns from..to (at most 6) as one number, byte by byte (past the end of the line counts as a
 * space): a key for caches of fields that repeat (atom names), with no string made.
 */
export const columnKey = (r: LineReader, from: number, to: number): number => {
  let key = 0;
  for (let i = r.start + from - 1, e = r.start + to; i < e; i++)
    key = key * 256 + (i < r.end ? r.buf[i] : 32);
  return key;
};

/** True when columns from..to hold a whole number (optional minus sign, spaces around). */
export const isIntegerColumns = (r: LineReader, from: number, to: number): boolean => {
  trim(r, from, to);
  if (ts >= te) return false;
  const b = r.buf;
  let i = b[ts] === 45 ? ts + 1 : ts;
  if (i >= te) return false;
  for (; i < te; i++) if (b[i] < 48 || b[i] > 57) return false;
  return true;
};

/**
 * `x` written as %width.digits f, right-aligned (PDB, GRO writers); an OptionError naming `what`
 * and the format's field (`field`: "PDB's", "the .gro") when it is not finite or does not fit.
 */
export const fixedField = (x: number, width: number, digits: number, what: string, field: string): string => {
  const s = x.toFixed(digits);
  if (s.length > width || !Number.isFinite(x))
    throw new OptionError(
      `${what} = ${x} does not fit ${field} ${width}-column field (%${width}.${digits}f): wrap the atoms into the cell or write another format`,
    );
  return s.padStart(width);
};
