import { readFileSync } from 'node:fs';
import { normaliseElementLabel } from '../../core/elements.js';
import { OptionError, ParseError } from '../../core/errors.js';
import type { CellParameters } from '../../core/lattice.js';
import { type CrystalModel, type CrystalSite, isotropicU } from '../stru.js';
import { MAX_FRACTIONAL } from '../value-limits.js';
import { type Block, type CifToken, cifNumber, readCrystalBlock } from './cif.js';

// A CIF as a crystal model for the PDF: every atom of the cell with occupancy (partial allowed) and
// displacement tensor. U from _atom_site_aniso_U_11.._23 (or B_11.., U = B / 8 pi^2) for the sites
// the aniso loop names, else _atom_site_U_iso_or_equiv (or B_iso_or_equiv), made a tensor for the
// cell's metric (isotropicU). Symmetry copies carry the tensor rotated by the operation,
// U' = W U* W^T in fractional covariance form U*_ij = a*_i a*_j U^ij.

const EIGHT_PI2 = 8 * Math.PI * Math.PI;

/** Options of the crystal-site reader. */
export interface CrystalReadOptions {
  /** Isotropic U (A^2) for sites the file gives none. */
  defaultUiso?: number;
}

/** Reciprocal lengths a*, b*, c* (1/A) of a cell. */
export const reciprocalLengths = (c: CellParameters): [number, number, number] => {
  const rad = Math.PI / 180;
  const [ca, cb, cg] = [c.alpha, c.beta, c.gamma].map((x) => Math.cos(x * rad));
  const [sa, sb, sg] = [c.alpha, c.beta, c.gamma].map((x) => Math.sin(x * rad));
  const v = c.a * c.b * c.c * Math.sqrt(1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg);
  return [(c.b * c.c * sa) / v, (c.a * c.c * sb) / v, (c.a * c.b * sg) / v];
};

const value = (t: CifToken | undefined): number | undefined => {
  if (!t || t.text === '?' || t.text === '.') return undefined;
  return cifNumber(t.text);
};

/**
 * Read the crystal model of a CIF: the first data block with a cell. Sites without any U or B get
 * `defaultUiso` (A^2) when given; otherwise the reader refuses them, since PDFfit2's model has no
 * peak for a pair with zero displacement.
 */
export const readCifCrystal = (path: string, options: CrystalReadOptions = {}): CrystalModel => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OptionError(`${path}: cannot read the structure (${(e as Error).message})`);
  }
  return parseCifCrystal(text, path, options);
};

/** Parse CIF text into a crystal model (see readCifCrystal). */
export const parseCifCrystal = (
  text: string,
  file: string,
  options: CrystalReadOptions = {},
): CrystalModel => {
  const lines = text.split(/\r?\n/);
  const { block, lattice, ops, sites } = readCrystalBlock(lines, file);
  const cell = lattice.parameters;
  const loopWith = (b: Block, tag: string) => b.loops.find((l) => l.tags.includes(tag));
  const col = (t: string) => sites.tags.indexOf(t);
  const [cx, cy, cz] = ['_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z'].map(col);
  if (cy < 0 || cz < 0)
    throw new ParseError({ file, line: sites.rows[0]?.[0].line ?? 1, expected: '_atom_site_fract_y and _z' });
  const [ctype, clabel, cocc] = ['_atom_site_type_symbol', '_atom_site_label', '_atom_site_occupancy'].map(
    col,
  );
  const [cuiso, cbiso] = ['_atom_site_u_iso_or_equiv', '_atom_site_b_iso_or_equiv'].map(col);
  const ar = reciprocalLengths(cell);

  // Anisotropic tensors by site label (U^ij, A^2).
  const aniso = new Map<string, number[]>();
  const an = loopWith(block, '_atom_site_aniso_label');
  if (an) {
    const keys = ['11', '22', '33', '12', '13', '23'];
    const ucols = keys.map((k) => an.tags.indexOf(`_atom_site_aniso_u_${k}`));
    const bcols = keys.map((k) => an.tags.indexOf(`_atom_site_aniso_b_${k}`));
    const useB = ucols.some((c) => c < 0);
    const cols = useB ? bcols : ucols;
    if (cols.some((c) => c < 0))
      throw new ParseError({
        file,
        line: an.rows[0]?.[0].line ?? 1,
        expected: 'all six _atom_site_aniso_U_ij (or B_ij) columns',
      });
    const lab = an.tags.indexOf('_atom_site_aniso_label');
    for (const row of an.rows) {
      const u = cols.map((c) => {
        const v = value(row[c]);
        if (v === undefined || !Number.isFinite(v))
          throw new ParseError({
            file,
            line: row[c].line,
            expected: 'a number for an anisotropic displacement',
            found: row[c].text,
          });
        return useB ? v / EIGHT_PI2 : v;
      });
      aniso.set(row[lab].text, u);
    }
  }

  const out: CrystalSite[] = [];
  const d = new Float64Array(3);
  for (const row of sites.rows) {
    const labelTok = clabel >= 0 ? row[clabel] : row[ctype];
    const typeTok = ctype >= 0 ? row[ctype] : row[clabel];
    const element = typeTok ? normaliseElementLabel(typeTok.text) : undefined;
    if (!element)
      throw new ParseError({
        file,
        line: (typeTok ?? row[0]).line,
        expected: 'an element symbol or label',
        found: typeTok?.text,
      });
    const label = labelTok?.text ?? element;
    const occ = cocc >= 0 ? (value(row[cocc]) ?? 1) : 1;
    if (!(occ >= 0 && occ <= 1 + 1e-6))
      throw new ParseError({
        file,
        line: row[cocc].line,
        expected: 'an occupancy in [0, 1]',
        found: row[cocc].text,
      });
    const f = [cx, cy, cz].map((c) => {
      const v = cifNumber(row[c].text);
      if (!(Math.abs(v) <= MAX_FRACTIONAL))
        throw new ParseError({
          file,
          line: row[c].line,
          expected: 'a fractional coordinate',
          found: row[c].text,
        });
      return v;
    });
    let u = aniso.get(label);
    if (!u) {
      const uiso = cuiso >= 0 ? value(row[cuiso]) : undefined;
      const biso = cbiso >= 0 ? value(row[cbiso]) : undefined;
      const iso = uiso ?? (biso !== undefined ? biso / EIGHT_PI2 : options.defaultUiso);
      if (iso === undefined)
        throw new ParseError({
          file,
          line: row[0].line,
          expected: `a displacement parameter for site ${label} (_atom_site_U_iso_or_equiv, B_iso or an aniso row), or a default U (\`defaultUiso\`)`,
          found: 'none',
          option: 'defaultUiso',
        });
      if (!Number.isFinite(iso) || iso < 0)
        throw new ParseError({
          file,
          line: row[0].line,
          expected: 'a displacement parameter >= 0 (A^2)',
          found: String(iso),
        });
      u = isotropicU(iso, cell);
    }
    // Fractional covariance of the site, U*_ij = a*_i a*_j U^ij.
    const us = [
      [u[0] * ar[0] * ar[0], u[3] * ar[0] * ar[1], u[4] * ar[0] * ar[2]],
      [u[3] * ar[0] * ar[1], u[1] * ar[1] * ar[1], u[5] * ar[1] * ar[2]],
      [u[4] * ar[0] * ar[2], u[5] * ar[1] * ar[2], u[2] * ar[2] * ar[2]],
    ];
    const mine: [number, number, number][] = [];
    for (const m of ops) {
      const g = [0, 1, 2].map((k) => {
        const x = m[4 * k] * f[0] + m[4 * k + 1] * f[1] + m[4 * k + 2] * f[2] + m[4 * k + 3];
        const w = x - Math.floor(x);
        return w >= 1 ? 0 : w;
      }) as [number, number, number];
      const dup = mine.some((p) => {
        lattice.toCartesian([g[0] - p[0], g[1] - p[1], g[2] - p[2]], d);
        return lattice.minimumImage(d) < 1e-4; // (0.01 A)^2: the same position
      });
      if (dup) continue;
      mine.push(g);
      // U*' = W U* W^T
      const w = [0, 1, 2].map((i) => [m[4 * i], m[4 * i + 1], m[4 * i + 2]]);
      const t = (i: number, j: number) => {
        let s = 0;
        for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += w[i][k] * us[k][l] * w[j][l];
        return s / (ar[i] * ar[j]);
      };
      out.push({
        element,
        label,
        xyz: g,
        occupancy: occ,
        u: [t(0, 0), t(1, 1), t(2, 2), t(0, 1), t(0, 2), t(1, 2)],
        line: row[0].line,
      });
    }
  }
  if (out.length === 0)
    throw new ParseError({ file, line: lines.length, expected: 'at least one atom site' });
  const sg =
    block.items.get('_symmetry_space_group_name_h-m') ?? block.items.get('_space_group_name_h-m_alt');
  const title = block.items.get('_chemical_formula_sum')?.text ?? file;
  return { file, title, cell, spaceGroup: sg?.text, sites: out };
};
