import { ParseError } from '../../core/errors.js';

/** The instrument formats an impedance spectrum is read from. */
export type SpectrumFormat = 'biologic' | 'gamry' | 'zplot' | 'autolab' | 'chinstruments' | 'parstat' | 'csv';

/** A measured impedance spectrum: Z(f) = re + j im, in the order the instrument wrote it. */
export interface Spectrum {
  /** File it was read from (as given). */
  file: string;
  format: SpectrumFormat;
  /** Frequencies (Hz), strictly monotonic. */
  frequencyHz: Float64Array;
  /** Re Z (ohm). */
  reOhm: Float64Array;
  /** Im Z (ohm), with the sign of Z (negative for a capacitive arc). */
  imOhm: Float64Array;
  /** The 1-based line of each point in the file, for messages. */
  lines: Int32Array;
}

/** One row of impedance data as read, before the checks that make a Spectrum. */
export interface SpectrumRow {
  frequencyHz: number;
  reOhm: number;
  imOhm: number;
  line: number;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A field that must be a plain decimal number ("1.0E+003", "-2.5e-4", "12"): anything else
 * ("", "abc", "1,5", "nan") is a ParseError naming the file, the line and the column's meaning.
 */
export const numberField = (text: string | undefined, file: string, line: number, what: string): number => {
  const t = (text ?? '').trim();
  if (!DECIMAL.test(t))
    throw new ParseError({
      file,
      line,
      expected: `a number (${what})`,
      found: text === undefined ? '(no such column)' : t,
    });
  return Number(t);
};

/**
 * The rows as a Spectrum, after the checks every analysis relies on: at least one point, every
 * frequency positive and the frequencies strictly increasing or strictly decreasing (a repeated or
 * out-of-order frequency is a ParseError at its line: two sweeps in one file, a pasted block).
 */
export const toSpectrum = (rows: SpectrumRow[], file: string, format: SpectrumFormat): Spectrum => {
  if (rows.length === 0) throw new ParseError({ file, expected: 'at least one impedance point' });
  let direction = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!(r.frequencyHz > 0))
      throw new ParseError({
        file,
        line: r.line,
        expected: 'a positive frequency (Hz)',
        found: String(r.frequencyHz),
      });
    if (i === 0) continue;
    const prev = rows[i - 1].frequencyHz;
    if (r.frequencyHz === prev)
      throw new ParseError({
        file,
        line: r.line,
        expected: `a frequency different from the previous point's (${prev} Hz at line ${rows[i - 1].line})`,
        found: `${r.frequencyHz} Hz (duplicated)`,
      });
    const d = Math.sign(r.frequencyHz - prev);
    if (direction === 0) direction = d;
    else if (d !== direction)
      throw new ParseError({
        file,
        line: r.line,
        expected: `frequencies ${direction > 0 ? 'increasing' : 'decreasing'} (as from line ${rows[0].line}); ${prev} Hz at line ${rows[i - 1].line}`,
        found: `${r.frequencyHz} Hz (not monotonic)`,
      });
  }
  return {
    file,
    format,
    frequencyHz: Float64Array.from(rows, (r) => r.frequencyHz),
    reOhm: Float64Array.from(rows, (r) => r.reOhm),
    imOhm: Float64Array.from(rows, (r) => r.imOhm),
    lines: Int32Array.from(rows, (r) => r.line),
  };
};

/** The text's lines without their line ends (a byte-order mark dropped). */
export const splitLines = (text: string): string[] => {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/** A spectrum restricted to the points where keep(i) holds (order kept). */
export const selectPoints = (s: Spectrum, keep: (i: number) => boolean): Spectrum => {
  const idx: number[] = [];
  for (let i = 0; i < s.frequencyHz.length; i++) if (keep(i)) idx.push(i);
  return {
    ...s,
    frequencyHz: Float64Array.from(idx, (i) => s.frequencyHz[i]),
    reOhm: Float64Array.from(idx, (i) => s.reOhm[i]),
    imOhm: Float64Array.from(idx, (i) => s.imOhm[i]),
    lines: Int32Array.from(idx, (i) => s.lines[i]),
  };
};
