import { parseFloatBytes } from './text/parse-number.js';

/**
 * One line of LAMMPS's thermo output (`thermo_style one` or `custom`, a table of numbers under a
 * header line), shared by the log reader (lammps-log.ts) and the LAMMPS engine's streaming parser
 * (engines/lammps-run.ts), so that both agree on what a row is: a line whose first field starts
 * like a number (sign, digit or point) is a row and must hold exactly one number per column; any
 * other line is text that LAMMPS or a fix wrote between the rows (WARNING lines, `fix print`,
 * SHAKE statistics). Numbers are parsed strictly (parse-number.ts): "nan", "inf" or "1.5x" are
 * not numbers.
 */

/** parseThermoRow: the line is a row; its values are in `out`. */
export const THERMO_ROW = -2;
/** parseThermoRow: the line is not a row (text between the rows). */
export const THERMO_TEXT = -1;

/** True for a byte that can start a number: a digit, sign or point. */
export const startsLikeNumber = (c: number): boolean =>
  (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46;

/**
 * Classify a line already split into fields (byte offsets into `buf`) against a table of `ncols`
 * columns: THERMO_ROW (values written to `out`), THERMO_TEXT, or the index of the field that is
 * wrong (not a number; `ncols` when the line has too many fields; `nfields` when it has too few).
 */
export const parseThermoRow = (
  buf: Uint8Array,
  fieldStart: ArrayLike<number>,
  fieldEnd: ArrayLike<number>,
  nfields: number,
  ncols: number,
  out: { [k: number]: number },
): number => {
  if (nfields === 0 || !startsLikeNumber(buf[fieldStart[0]])) return THERMO_TEXT;
  const n = Math.min(nfields, ncols);
  for (let k = 0; k < n; k++) {
    const v = parseFloatBytes(buf, fieldStart[k], fieldEnd[k]);
    if (Number.isNaN(v)) return k;
    out[k] = v;
  }
  return nfields === ncols ? THERMO_ROW : n;
};

/**
 * A thermo row of `ncols` numbers from a line of text (LAMMPS's screen output as the engine streams
 * it), or undefined when the line is not such a row (text, or a row with a bad or missing cell).
 */
export const thermoRowFromText = (line: string, ncols: number): number[] | undefined => {
  // latin1: one byte per character, so the fields' character offsets are their byte offsets.
  const buf = Buffer.from(line, 'latin1');
  const fs: number[] = [];
  const fe: number[] = [];
  for (const m of line.matchAll(/[^ \t]+/g)) {
    fs.push(m.index);
    fe.push(m.index + m[0].length);
  }
  const out = new Array<number>(ncols);
  return parseThermoRow(buf, fs, fe, fs.length, ncols, out) === THERMO_ROW ? out : undefined;
};

/** How the line LAMMPS prints just before a run's thermo header starts (older versions: the second). */
export const MEMORY_LINES = ['Per MPI rank memory allocation', 'Memory usage per processor'] as const;

/** The line that ends a run's thermo output: "Loop time of T on P procs for N steps with A atoms". */
export const LOOP_TIME_LINE = /^Loop time of (\S+) on (\d+) procs? for (\d+) steps with (\d+) atoms/;
