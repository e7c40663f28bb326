import { readFileSync } from 'node:fs';
import { normaliseElementLabel } from '../core/elements.js';
import { OptionError, ParseError } from '../core/errors.js';
import type { CellParameters } from '../core/lattice.js';
import { TextSink } from './text-sink.js';

// Crystal models for the pair distribution function: every atom of the unit cell with its
// occupancy and displacement tensor, read from PDFfit/DISCUS .stru files (here) or CIF
// (formats/cif-sites.ts). The Structure type of the structure/trajectory readers has no U and no
// partial occupancy, hence this separate type.

/** One atom of the cell. */
export interface CrystalSite {
  /** Element symbol, normalised ("Cd", not "CD"). */
  element: string;
  label: string;
  /** Fractional coordinates. */
  xyz: [number, number, number];
  occupancy: number;
  /**
   * Displacement tensor (A^2) as PDFfit2 stores it: U11 U22 U33 U12 U13 U23 in the basis of the
   * unit vectors along the reciprocal axes (the CIF convention, U^ij of Grosse-Kunstleve & Adams
   * 2002). An isotropic U in a non-orthogonal cell is U g*^ij / (a*_i a*_j) (isotropicU).
   */
  u: [number, number, number, number, number, number];
  /** 1-based line of the site in its file. */
  line?: number;
}

/** A crystal with everything PDFfit2's phase holds. */
export interface CrystalModel {
  file: string;
  title: string;
  cell: CellParameters;
  /** Space-group symbol as the file gives it ("Fm-3m", "P63mc"), when it does. */
  spaceGroup?: string;
  /** Every atom of the unit cell (symmetry-expanded). */
  sites: CrystalSite[];
  /** Phase scale, peak sharpening and particle size when the file records them (.stru). */
  pdffit?: {
    scale?: number;
    delta1?: number;
    delta2?: number;
    sratio?: number;
    rcut?: number;
    spdiameter?: number;
    stepcut?: number;
  };
}

/** "CD", "cd", "Cd2+" -> "Cd" (core's element labels: the two-letter reading first). */
export const normaliseSiteElement = (name: string): string | undefined => normaliseElementLabel(name);

const numbers = (s: string): number[] => s.replace(/,/g, ' ').trim().split(/\s+/).filter(Boolean).map(Number);

/**
 * Parse a PDFfit .stru file (format pdffit, as written by PDFfit2 and PDFgui): title, scale,
 * sharp (delta2 delta1 sratio rcut, or the old delta2 sratio rcut), spcgr, shape, cell, ncell,
 * then `atoms` and six lines per atom: `EL x y z occ`, their sigmas, `U11 U22 U33`, sigmas,
 * `U12 U13 U23`, sigmas. `elementOf` turns the file's atom name into an element symbol (checked
 * by the caller's element table; the default takes the leading letters).
 */
export const parseStru = (text: string, file: string, elementOf = normaliseSiteElement): CrystalModel => {
  const lines = text.split(/\r?\n/);
  const model: CrystalModel = {
    file,
    title: '',
    cell: undefined as unknown as CellParameters,
    sites: [],
    pdffit: {},
  };
  const pf = model.pdffit!;
  const need = (i: number, k: number, what: string): number[] => {
    const v = numbers(lines[i] ?? '');
    if (v.length < k || v.slice(0, k).some((x) => !Number.isFinite(x)))
      throw new ParseError({ file, line: i + 1, expected: what, found: lines[i] ?? 'end of file' });
    return v;
  };
  let i = 0;
  let atomsAt = -1;
  for (; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('#')) continue;
    const word = t.split(/\s+/)[0].toLowerCase();
    const rest = t.slice(t.split(/\s+/)[0].length);
    const vals = () => {
      const v = numbers(rest);
      if (v.some((x) => !Number.isFinite(x)))
        throw new ParseError({ file, line: i + 1, expected: `numbers after ${word}`, found: t });
      return v;
    };
    if (word === 'title') model.title = rest.trim();
    else if (word === 'format') {
      if (rest.trim().toLowerCase() !== 'pdffit')
        throw new ParseError({ file, line: i + 1, expected: '"format pdffit"', found: t });
    } else if (word === 'scale') pf.scale = vals()[0];
    else if (word === 'sharp') {
      const v = vals();
      if (v.length >= 4) [pf.delta2, pf.delta1, pf.sratio, pf.rcut] = v;
      else if (v.length === 3) [pf.delta2, pf.sratio, pf.rcut] = v;
      else
        throw new ParseError({ file, line: i + 1, expected: 'sharp delta2, delta1, sratio, rcut', found: t });
    } else if (word === 'spcgr') model.spaceGroup = rest.trim();
    else if (word === 'shape') {
      const m = /^\s*(sphere|stepcut)\s*,?\s*(\S+)/i.exec(rest);
      const v = m ? Number(m[2]) : Number.NaN;
      if (!m || !Number.isFinite(v))
        throw new ParseError({
          file,
          line: i + 1,
          expected: 'shape sphere, D or shape stepcut, R',
          found: t,
        });
      if (m[1].toLowerCase() === 'sphere') pf.spdiameter = v;
      else pf.stepcut = v;
    } else if (word === 'cell') {
      const v = vals();
      if (v.length < 6)
        throw new ParseError({
          file,
          line: i + 1,
          expected: 'cell a, b, c, alpha, beta, gamma (A, degrees)',
          found: t,
        });
      model.cell = { a: v[0], b: v[1], c: v[2], alpha: v[3], beta: v[4], gamma: v[5] };
      if (v.slice(0, 3).some((x) => !(x > 0)) || v.slice(3, 6).some((x) => !(x > 0 && x < 180)))
        throw new ParseError({
          file,
          line: i + 1,
          expected: 'positive cell lengths and angles in (0, 180) degrees',
          found: t,
        });
    } else if (word === 'ncell') {
      const v = vals();
      if (v[0] !== 1 || v[1] !== 1 || v[2] !== 1)
        throw new ParseError({
          file,
          line: i + 1,
          expected: 'ncell 1, 1, 1 (a single unit cell; supercells are not read)',
          found: t,
        });
    } else if (word === 'dcell') {
      // standard deviations of the cell: not needed for the model
    } else if (word === 'atoms') {
      atomsAt = i;
      break;
    } else
      throw new ParseError({
        file,
        line: i + 1,
        expected:
          'a .stru header line (title, format, scale, sharp, spcgr, shape, cell, dcell, ncell, atoms)',
        found: t,
      });
  }
  if (!model.cell) throw new ParseError({ file, line: Math.max(1, lines.length), expected: 'a cell line' });
  if (atomsAt < 0) throw new ParseError({ file, line: Math.max(1, lines.length), expected: 'an atoms line' });
  i = atomsAt + 1;
  while (i < lines.length) {
    const t = lines[i].trim();
    if (t === '') {
      i++;
      continue;
    }
    const name = t.split(/\s+/)[0];
    const element = elementOf(name);
    if (!element)
      throw new ParseError({ file, line: i + 1, expected: 'an atom line "EL x y z occupancy"', found: t });
    const head = numbers(t.slice(name.length));
    if (head.length < 4 || head.some((x) => !Number.isFinite(x)))
      throw new ParseError({ file, line: i + 1, expected: 'an atom line "EL x y z occupancy"', found: t });
    const diag = need(i + 2, 3, 'U11 U22 U33 (A^2) on the third line of the atom');
    const off = need(i + 4, 3, 'U12 U13 U23 (A^2) on the fifth line of the atom');
    need(i + 1, 4, 'sigmas of x y z occupancy on the second line of the atom');
    need(i + 3, 3, 'sigmas of U11 U22 U33 on the fourth line of the atom');
    need(i + 5, 3, 'sigmas of U12 U13 U23 on the sixth line of the atom');
    if (!(head[3] >= 0)) throw new ParseError({ file, line: i + 1, expected: 'an occupancy >= 0', found: t });
    model.sites.push({
      element,
      label: `${element}${model.sites.length + 1}`,
      xyz: [head[0], head[1], head[2]],
      occupancy: head[3],
      u: [diag[0], diag[1], diag[2], off[0], off[1], off[2]],
      line: i + 1,
    });
    i += 6;
  }
  return model;
};

/** Read a .stru file (see parseStru). */
export const readStru = (path: string, elementOf?: (name: string) => string | undefined): CrystalModel => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OptionError(`${path}: cannot read the structure (${(e as Error).message})`);
  }
  return parseStru(text, path, elementOf);
};

const f6 = (x: number): string => x.toFixed(6);
const f8 = (x: number): string => x.toFixed(8).padStart(18);

/** The text of a .stru file (format pdffit) for a model. */
export const formatStru = (m: CrystalModel): string => {
  const p = m.pdffit ?? {};
  const c = m.cell;
  let s = `title  ${m.title || 'oligolyte'}\nformat pdffit\nscale  ${f6(p.scale ?? 1)}\n`;
  s += `sharp  ${f6(p.delta2 ?? 0)}, ${f6(p.delta1 ?? 0)}, ${f6(p.sratio ?? 1)}, ${f6(p.rcut ?? 0)}\n`;
  if (p.spdiameter) s += `shape  sphere, ${f6(p.spdiameter)}\n`;
  s += `spcgr  ${m.spaceGroup ?? 'P1'}\n`;
  s += `cell   ${[c.a, c.b, c.c, c.alpha, c.beta, c.gamma].map(f6).join(', ')}\n`;
  s += `dcell  ${Array(6).fill(f6(0)).join(', ')}\n`;
  s += `ncell  1, 1, 1, ${m.sites.length}\natoms\n`;
  const zero = (k: number) => `${' '.repeat(10)}${Array(k).fill(f8(0)).join('')}\n`;
  for (const a of m.sites) {
    s += `${a.element.toUpperCase().padEnd(10)}${a.xyz.map(f8).join('')}${a.occupancy.toFixed(4).padStart(12)}\n`;
    s += zero(3).replace(/\n$/, `${(0).toFixed(4).padStart(12)}\n`);
    s += `${' '.repeat(10)}${a.u.slice(0, 3).map(f8).join('')}\n${zero(3)}`;
    s += `${' '.repeat(10)}${a.u.slice(3, 6).map(f8).join('')}\n${zero(3)}`;
  }
  return s;
};

/** Write a .stru file atomically. */
export const writeStru = async (path: string, m: CrystalModel): Promise<void> => {
  const sink = new TextSink(path);
  try {
    sink.write(formatStru(m));
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
};

/**
 * The tensor of an isotropic displacement `uiso` (A^2) in a cell, in the U^ij convention of
 * CrystalSite.u: U^ij = uiso g*^ij / (a*_i a*_j), i.e. uiso on the diagonal and uiso cos(angle*_ij)
 * off it (a*, b*, c* angles). Equal diagonals alone are isotropic only in orthogonal cells.
 */
export const isotropicU = (
  uiso: number,
  c: CellParameters,
): [number, number, number, number, number, number] => {
  const rad = Math.PI / 180;
  const [ca, cb, cg] = [c.alpha, c.beta, c.gamma].map((x) => Math.cos(x * rad));
  const [sa, sb, sg] = [c.alpha, c.beta, c.gamma].map((x) => Math.sin(x * rad));
  const cosAlphaStar = (cb * cg - ca) / (sb * sg);
  const cosBetaStar = (ca * cg - cb) / (sa * sg);
  const cosGammaStar = (ca * cb - cg) / (sa * sb);
  return [uiso, uiso, uiso, uiso * cosGammaStar, uiso * cosBetaStar, uiso * cosAlphaStar];
};
