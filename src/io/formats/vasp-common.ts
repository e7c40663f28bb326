import { normaliseElementLabel } from '../../core/elements.js';
import { OptionError, ParseError } from '../../core/errors.js';
import { Lattice } from '../../core/lattice.js';
import { det3 } from '../../core/linalg3.js';
import type { LineReader } from '../text/line-reader.js';

/** The header shared by POSCAR, CONTCAR and XDATCAR (VASP 5/6; VASP 4 without the species line). */
export interface VaspHeader {
  comment: string;
  lattice: Lattice;
  /** Per-axis factors that multiply Cartesian coordinates (the universal scaling factor). */
  scale: [number, number, number];
  /** Element of every atom, in file order. */
  symbols: string[];
  /** The species names and counts as written (for messages). */
  names: string[];
  counts: number[];
}

/**
 * Read comment, scaling factor(s), the three lattice vectors, the species line (VASP 5+) and
 * the counts line. `species` supplies element names for VASP 4 files (else the comment is tried).
 */
export const readVaspHeader = async (r: LineReader, species?: readonly string[]): Promise<VaspHeader> => {
  await r.need('a comment line');
  const comment = r.text().trim();
  await r.need('the scaling factor');
  const ns = r.split();
  if (ns !== 1 && ns !== 3) throw r.error('one scaling factor (or three)', Math.min(ns, 3));
  const sf = [r.float(0, 'a scaling factor'), 0, 0];
  if (ns === 3) {
    sf[1] = r.float(1, 'a scaling factor');
    sf[2] = r.float(2, 'a scaling factor');
    if (!(sf[0] > 0 && sf[1] > 0 && sf[2] > 0)) throw r.error('three positive scaling factors', 0);
  } else if (sf[0] === 0) throw r.error('a non-zero scaling factor (negative = volume)', 0);
  const m = new Float64Array(9);
  const vectorLines: number[] = [];
  for (let i = 0; i < 3; i++) {
    await r.need(`lattice vector ${i + 1}`);
    r.requireFields(3, `lattice vector ${i + 1} (three numbers)`);
    for (let k = 0; k < 3; k++) m[3 * i + k] = r.coordinate(k, `lattice vector ${i + 1} (three numbers)`);
    vectorLines.push(r.lineNo);
  }
  // The cell is checked where its numbers are (issue 25 item 17), before any scaling: a zero
  // vector at its own line, a flat or left-handed cell at the first vector's line. VASP itself
  // stops on a negative triple product ("exchange two basis vectors", RD_POSCAR_HEAD in
  // poscar.F): with fractional coordinates a left-handed cell is the mirror image of the crystal.
  const cellError = (line: number, expected: string, found: string) =>
    new ParseError({ file: r.file, line, expected, found });
  for (let i = 0; i < 3; i++)
    if (m[3 * i] === 0 && m[3 * i + 1] === 0 && m[3 * i + 2] === 0)
      throw cellError(vectorLines[i], `a non-zero lattice vector ${i + 1}`, '0 0 0');
  const tripleProduct = det3(m);
  const lengths = [0, 3, 6].map((o) => Math.hypot(m[o], m[o + 1], m[o + 2]));
  if (!(Math.abs(tripleProduct) > 1e-6 * lengths[0] * lengths[1] * lengths[2]))
    throw cellError(
      vectorLines[0],
      `three independent lattice vectors (lines ${vectorLines[0]}-${vectorLines[2]})`,
      `a flat cell (triple product ${tripleProduct.toPrecision(6)})`,
    );
  if (tripleProduct < 0)
    throw cellError(
      vectorLines[0],
      `right-handed lattice vectors (lines ${vectorLines[0]}-${vectorLines[2]}), as VASP requires: exchange two of them`,
      `a negative triple product ${tripleProduct.toPrecision(6)}`,
    );
  let scale: [number, number, number];
  if (ns === 3) scale = [sf[0], sf[1], sf[2]];
  else if (sf[0] > 0) scale = [sf[0], sf[0], sf[0]];
  else {
    // Negative scale: the target cell volume (A^3); VASP rescales the lattice uniformly to it.
    const v0 = Math.abs(
      m[0] * (m[4] * m[8] - m[5] * m[7]) -
        m[1] * (m[3] * m[8] - m[5] * m[6]) +
        m[2] * (m[3] * m[7] - m[4] * m[6]),
    );
    const f = Math.cbrt(-sf[0] / v0);
    scale = [f, f, f];
  }
  for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) m[3 * i + k] *= scale[k];
  let lattice: Lattice;
  try {
    lattice = new Lattice(m);
  } catch (e) {
    throw cellError(vectorLines[0], 'a cell whose scaled vectors are finite', (e as Error).message);
  }

  await r.need('the species names or counts line');
  let n = r.split();
  if (n === 0) throw r.error('species names or atom counts');
  let names: string[];
  const firstIsNumber = /^\d+$/.test(r.field(0));
  if (!firstIsNumber) {
    names = [];
    for (let k = 0; k < n; k++) {
      names.push(r.field(k));
      if (!normaliseElementLabel(names[k])) throw r.error('an element symbol (species line)', k);
    }
    await r.need('the atom counts line');
    n = r.split();
    if (n !== names.length)
      throw r.error(`${names.length} atom counts (one per species)`, Math.min(n, names.length));
  } else if (species) {
    names = [...species];
    const bad = names.find((x) => !normaliseElementLabel(x));
    if (bad !== undefined)
      throw new OptionError(`\`species\`: "${bad}" is not an element symbol`, { option: 'species' });
    if (names.length !== n)
      throw r.error(`${names.length} atom counts for the given species ${names.join(' ')}`);
  } else {
    // VASP 4: try the comment line for element names.
    const fromComment = comment.split(/\s+/).filter((t) => t.length > 0);
    if (
      fromComment.length !== n ||
      !fromComment.every((t) => normaliseElementLabel(t) === t.replace(/[^A-Za-z].*$/, ''))
    ) {
      const e = r.error(
        'a species names line (VASP 5+); for a VASP 4 file give the species (`species`, e.g. Li,Al,O,Cl)',
        0,
      );
      e.option = 'species';
      throw e;
    }
    names = fromComment;
  }
  const counts: number[] = [];
  const symbols: string[] = [];
  for (let k = 0; k < n; k++) {
    const c = r.int(k, 'an atom count (a whole number)');
    if (c < 0) throw r.error('a non-negative atom count', k);
    counts.push(c);
    const el = normaliseElementLabel(names[k])!;
    for (let j = 0; j < c; j++) symbols.push(el);
  }
  if (symbols.length === 0) throw r.error('at least one atom');
  return { comment, lattice, scale, symbols, names, counts };
};

/** Runs of equal species in file order: [['Li', 3], ['Al', 3], ...] (repeats allowed in VASP). */
export const speciesRuns = (symbols: readonly string[]): [string, number][] => {
  const runs: [string, number][] = [];
  for (const s of symbols) {
    const last = runs[runs.length - 1];
    if (last && last[0] === s) last[1]++;
    else runs.push([s, 1]);
  }
  return runs;
};

const f16 = (x: number) => (x < 0 ? '' : ' ') + x.toFixed(16);

/** The VASP 5 header lines for a cell and species (scale 1). */
export const formatVaspHeader = (comment: string, lattice: Lattice, symbols: readonly string[]): string => {
  const m = lattice.matrix;
  const runs = speciesRuns(symbols);
  let s = `${comment.replace(/[\r\n]+/g, ' ')}\n   1.0\n`;
  for (let i = 0; i < 3; i++) s += `  ${f16(m[3 * i])}  ${f16(m[3 * i + 1])}  ${f16(m[3 * i + 2])}\n`;
  s += `  ${runs.map(([e]) => e.padStart(4)).join(' ')}\n`;
  s += `  ${runs.map(([, c]) => String(c).padStart(4)).join(' ')}\n`;
  return s;
};

/** Lines of three numbers with 16 decimals (fractional coordinates round-trip to about 1e-16). */
export const formatTripletLines = (frac: Float64Array): string => {
  const lines: string[] = new Array(frac.length / 3);
  for (let i = 0, k = 0; i < frac.length; i += 3, k++)
    lines[k] = `  ${f16(frac[i])}  ${f16(frac[i + 1])}  ${f16(frac[i + 2])}`;
  return `${lines.join('\n')}\n`;
};
