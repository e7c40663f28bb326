import { ParseError } from '../../core/errors.js';
import { Lattice } from '../../core/lattice.js';

/**
 * What is impossible about cell parameters (a b c alpha beta gamma), shared by the readers that
 * take a cell as lengths and angles (CIF, mmCIF, PDB CRYST1).
 */

/** One cell parameter: its name (a, alpha, ...), value, and where it stands in the file. */
export interface CellValue {
  x: string;
  v: number;
  line: number;
  column?: number;
}

/** Where a cell is impossible and why: the fields of a ParseError (without the file). */
export interface CellProblem {
  line: number;
  column?: number;
  expected: string;
  found: string;
}

/**
 * What is impossible about a cell, at the line (and column, when known) of the value at fault
 * (issue 25 item 8): lengths must be positive; angles in (0, 180) with each less than the sum of
 * the other two and the three summing to less than 360 (the conditions for three vectors with
 * these angles to exist and to span a volume; at equality the cell is flat, and its sites would
 * fall on top of each other).
 */
export const checkCell = (lengths: CellValue[], angles: CellValue[]): CellProblem | undefined => {
  for (const l of lengths)
    if (!(l.v > 0))
      return {
        line: l.line,
        column: l.column,
        expected: `a positive cell length ${l.x} (A)`,
        found: String(l.v),
      };
  for (const g of angles)
    if (!(g.v > 0 && g.v < 180))
      return {
        line: g.line,
        column: g.column,
        expected: `a cell angle ${g.x} between 0 and 180 degrees`,
        found: String(g.v),
      };
  const found = angles.map((g) => `${g.x} ${g.v}`).join(', ');
  const largest = angles.reduce((p, q) => (q.v > p.v ? q : p));
  const at = { line: largest.line, column: largest.column };
  const sum = angles[0].v + angles[1].v + angles[2].v;
  if (!(sum < 360)) return { ...at, expected: 'cell angles that sum to less than 360 degrees', found };
  if (!(largest.v < sum - largest.v))
    return {
      ...at,
      expected: `cell angles each less than the sum of the other two (${largest.x} is not)`,
      found,
    };
  // V / (abc) = sqrt(1 - cos^2 a - cos^2 b - cos^2 g + 2 cos a cos b cos g): the conditions above
  // make it positive; this catches what rounding leaves of a flat cell.
  const [ca, cb, cg] = angles.map((g) => Math.cos((g.v * Math.PI) / 180));
  const v2 = 1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg;
  if (!(v2 > 1e-10)) return { ...at, expected: 'cell angles that span a volume', found };
  return undefined;
};

/** The PDB's "no crystal cell" (NMR and EM models): a 1 A cube, in CRYST1 and in mmCIF. */
export const isPlaceholderCell = (lengths: CellValue[], angles: CellValue[]): boolean =>
  lengths.every((l) => l.v === 1) && angles.every((g) => g.v === 90);

/**
 * The lattice of cell parameters read from `file`: a ParseError at the value at fault when the
 * cell is impossible (checkCell), or at the length a when Lattice.fromParameters still refuses it
 * (a cell beyond what a double holds).
 */
export const latticeFromCell = (file: string, lengths: CellValue[], angles: CellValue[]): Lattice => {
  const problem = checkCell(lengths, angles);
  if (problem) throw new ParseError({ file, ...problem });
  const [a, b, c] = lengths.map((l) => l.v);
  const [alpha, beta, gamma] = angles.map((g) => g.v);
  try {
    return Lattice.fromParameters({ a, b, c, alpha, beta, gamma });
  } catch (e) {
    const at = lengths[0];
    throw new ParseError({
      file,
      line: at.line,
      column: at.column,
      expected: 'a valid cell (lengths > 0, possible angles)',
      found: (e as Error).message,
    });
  }
};
