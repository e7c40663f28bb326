import { normaliseElementLabel } from '../../core/elements.js';
import { OptionError, ParseError } from '../../core/errors.js';
import type { Lattice } from '../../core/lattice.js';
import { det3 } from '../../core/linalg3.js';
import { HallSymbolError, opToAffine } from '../../core/spacegroups/hall-symbol.js';
import {
  findSpaceGroup,
  SpaceGroupLookupError,
  spaceGroupOperations,
} from '../../core/spacegroups/lookup.js';
import { Topology } from '../../core/topology.js';
import { openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';
import { LineReader } from '../text/line-reader.js';
import { MAX_FRACTIONAL } from '../value-limits.js';
import { latticeFromCell } from './cell-check.js';

/** A CIF token with its 1-based line and column (shared with the mmCIF reader). */
export interface CifToken {
  text: string;
  line: number;
  column: number;
  /** True for quoted strings and text fields: never a tag, loop_ or data_ keyword. */
  quoted: boolean;
}
type Token = CifToken;

/** CIF 1.1 tokens of one line (outside text fields): comments, quoted strings, bare words. */
export const tokenizeLine = (line: string, lineNo: number, file: string, out: Token[]): void => {
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') i++;
    else if (c === '#') break;
    else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < line.length && !(line[j] === c && (j + 1 === line.length || /\s/.test(line[j + 1])))) j++;
      if (j >= line.length)
        throw new ParseError({
          file,
          line: lineNo,
          column: i + 1,
          expected: `a closing ${c}`,
          found: line.slice(i),
        });
      out.push({ text: line.slice(i + 1, j), line: lineNo, column: i + 1, quoted: true });
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && line[j] !== ' ' && line[j] !== '\t') j++;
      out.push({ text: line.slice(i, j), line: lineNo, column: i + 1, quoted: false });
      i = j;
    }
  }
};

/** CIF 1.1 tokens: comments, quoted strings (closed by a quote followed by space), ;-text fields. */
export const tokenize = (lines: string[], file: string): Token[] => {
  const out: Token[] = [];
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    if (line.startsWith(';')) {
      const parts = [line.slice(1)];
      const start = li + 1;
      for (li++; li < lines.length && !lines[li].startsWith(';'); li++) parts.push(lines[li]);
      if (li >= lines.length)
        throw new ParseError({ file, line: start, expected: 'a closing ";" for the text field' });
      out.push({ text: parts.join('\n').trim(), line: start, column: 1, quoted: true });
      continue;
    }
    tokenizeLine(line, li + 1, file, out);
  }
  return out;
};

/** A data block: single items and loops, tags lower-cased. */
export interface Block {
  name: string;
  items: Map<string, Token>;
  loops: { tags: string[]; rows: Token[][] }[];
}

export const parseBlocks = (tokens: Token[], file: string): Block[] => {
  const blocks: Block[] = [];
  let cur: Block | undefined;
  const err = (t: Token | undefined, expected: string) =>
    new ParseError({
      file,
      line: t?.line ?? (tokens.at(-1)?.line ?? 0) + 1,
      expected,
      found: t?.text ?? 'end of file',
    });
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    const lower = t.text.toLowerCase();
    if (!t.quoted && lower.startsWith('data_')) {
      cur = { name: t.text.slice(5), items: new Map(), loops: [] };
      blocks.push(cur);
      i++;
    } else if (!cur) throw err(t, 'a data_ block header');
    else if (!t.quoted && lower === 'loop_') {
      i++;
      const tags: string[] = [];
      while (i < tokens.length && !tokens[i].quoted && tokens[i].text.startsWith('_'))
        tags.push(tokens[i++].text.toLowerCase());
      if (tags.length === 0) throw err(tokens[i], 'tags after loop_');
      const values: Token[] = [];
      while (i < tokens.length) {
        const v = tokens[i];
        const l = v.text.toLowerCase();
        if (!v.quoted && (v.text.startsWith('_') || l === 'loop_' || l.startsWith('data_'))) break;
        values.push(v);
        i++;
      }
      if (values.length % tags.length !== 0)
        throw err(
          values[values.length - (values.length % tags.length)],
          `a multiple of ${tags.length} values in the loop of ${tags[0]}`,
        );
      const rows: Token[][] = [];
      for (let k = 0; k < values.length; k += tags.length) rows.push(values.slice(k, k + tags.length));
      cur.loops.push({ tags, rows });
    } else if (!t.quoted && t.text.startsWith('_')) {
      const v = tokens[i + 1];
      if (!v || (!v.quoted && (v.text.startsWith('_') || /^(loop_|data_)/i.test(v.text))))
        throw err(v, `a value for ${t.text}`);
      cur.items.set(lower, v);
      i += 2;
    } else throw err(t, 'a tag, loop_ or data_');
  }
  return blocks;
};

/** A CIF number without its standard uncertainty: '7.007(3)' -> 7.007; NaN when not a number. */
export const cifNumber = (s: string): number => {
  const t = s.replace(/\(\d+\)$/, '');
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
};

/** Parse 'x,1/2+y,1/2-z' into a 3x4 affine map (rows: new x, y, z; columns: x, y, z, shift). */
export const parseSymop = (op: string): Float64Array => {
  const parts = op.replace(/\s+/g, '').toLowerCase().split(',');
  if (parts.length !== 3) throw new SyntaxError(`a symmetry operation needs three parts: "${op}"`);
  const m = new Float64Array(12);
  parts.forEach((p, row) => {
    const terms = p.match(/[+-]?[^+-]+/g);
    if (!terms || terms.join('') !== p) throw new SyntaxError(`cannot read "${p}" in "${op}"`);
    for (const term of terms) {
      const mm = /^([+-]?)(\d+(?:\.\d*)?(?:\/\d+(?:\.\d*)?)?)?\*?([xyz])?$/.exec(term);
      if (!mm || (!mm[2] && !mm[3])) throw new SyntaxError(`cannot read "${term}" in "${op}"`);
      const sign = mm[1] === '-' ? -1 : 1;
      let value = 1;
      if (mm[2]) {
        const [a, b] = mm[2].split('/');
        value = Number(a) / (b === undefined ? 1 : Number(b));
      }
      const col = mm[3] ? 'xyz'.indexOf(mm[3]) : 3;
      m[4 * row + col] += sign * value;
    }
  });
  return m;
};

/**
 * Why a symmetry operation (3x4 affine map on fractional coordinates) cannot be one of this
 * cell's, or undefined. Its rotation part W must be an integer matrix of determinant +-1 that
 * keeps lengths: W^T G W = G with G the metric tensor (ITA Vol. A, 1.2.2); 'x,x,x' (determinant 0)
 * or 'y,x,z' in a cell with a != b would otherwise copy atoms onto wrong sites. The metric is
 * compared to 1 % of the longest squared length, enough for cells refined without constraints.
 */
export const symopProblem = (op: Float64Array, lattice: Lattice): string | undefined => {
  const w = [op[0], op[1], op[2], op[4], op[5], op[6], op[8], op[9], op[10]];
  if (w.some((x) => Math.abs(x - Math.round(x)) > 1e-9)) return 'its rotation part must be whole numbers';
  const d = det3(w);
  if (Math.abs(Math.abs(d) - 1) > 1e-9) return `its rotation part has determinant ${d}, not +-1`;
  // G = M M^T (rows of M are the cell vectors); x' = W x on column fractional coordinates.
  const m = lattice.matrix;
  const g = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      g[3 * i + j] = m[3 * i] * m[3 * j] + m[3 * i + 1] * m[3 * j + 1] + m[3 * i + 2] * m[3 * j + 2];
  const scale = Math.max(g[0], g[4], g[8]);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += w[3 * k + i] * g[3 * k + l] * w[3 * l + j];
      if (Math.abs(s - g[3 * i + j]) > 1e-2 * scale)
        return 'it does not keep the lengths and angles of the cell';
    }
  return undefined;
};

/**
 * The symmetry operations of a CIF data block (affine 3x4 rows on fractional coordinates): its
 * listed operations, else those of its space-group symbol (Hall, else Hermann-Mauguin, else number),
 * else the identity. Shared by the structure reader and the crystal-site reader (cif-sites.ts).
 */
export const blockSymmetryOps = (block: Block, lattice: Lattice, file: string): Float64Array[] => {
  const findLoop = (tag: string) => block.loops.find((l) => l.tags.includes(tag));
  const symTags = [
    '_symmetry_equiv_pos_as_xyz',
    '_space_group_symop_operation_xyz',
    '_space_group_symop.operation_xyz',
  ];
  let ops: Float64Array[] = [];
  for (const tag of symTags) {
    const loop = findLoop(tag);
    const single = block.items.get(tag);
    const entries = loop ? loop.rows.map((row) => row[loop.tags.indexOf(tag)]) : single ? [single] : [];
    for (const t of entries) {
      try {
        ops.push(parseSymop(t.text));
      } catch (e) {
        throw new ParseError({
          file,
          line: t.line,
          expected: 'a symmetry operation such as "-x,1/2+y,1/2-z"',
          found: (e as Error).message,
        });
      }
      const problem = symopProblem(ops[ops.length - 1], lattice);
      if (problem)
        throw new ParseError({
          file,
          line: t.line,
          expected: `a symmetry operation that is an isometry of the cell (${problem})`,
          found: t.text,
        });
    }
    if (ops.length) break;
  }
  if (ops.length === 0) {
    // No operations listed: expand from the space-group symbol (Hall, else Hermann-Mauguin, else number).
    const item = (...tags: string[]) => tags.map((t) => block.items.get(t)).find((t) => t !== undefined);
    const hall = item('_space_group_name_hall', '_symmetry_space_group_name_hall');
    const hm = item('_symmetry_space_group_name_h-m', '_space_group_name_h-m_alt');
    const it = item('_space_group_it_number', '_symmetry_int_tables_number');
    const where = hall ?? hm ?? it;
    if (where) {
      const number = it ? cifNumber(it.text) : undefined;
      if (number !== undefined && !Number.isInteger(number))
        throw new ParseError({
          file,
          line: it!.line,
          expected: 'a space-group number 1..230',
          found: it!.text,
        });
      try {
        const setting = findSpaceGroup({
          hall: hall?.text,
          hm: hm?.text,
          number,
          cell: lattice.parameters,
        });
        ops = spaceGroupOperations(setting).map(opToAffine);
      } catch (e) {
        if (!(e instanceof SpaceGroupLookupError || e instanceof HallSymbolError)) throw e;
        throw new ParseError({
          file,
          line: where.line,
          expected: 'a known space group (or a list of symmetry operations, _symmetry_equiv_pos_as_xyz)',
          found: e.message,
        });
      }
    } else ops = [parseSymop('x,y,z')];
  }
  return ops;
};

/** The crystal part of a CIF: the first data block with a cell, its lattice, symmetry operations and site loop. */
export const readCrystalBlock = (
  lines: string[],
  file: string,
): { block: Block; lattice: Lattice; ops: Float64Array[]; sites: Block['loops'][number] } => {
  const block = parseBlocks(tokenize(lines, file), file).find((b) => b.items.has('_cell_length_a'));
  if (!block)
    throw new ParseError({
      file,
      line: Math.max(1, lines.length),
      expected: 'a data block with _cell_length_a',
      found: 'none',
    });
  const num = (tag: string) => {
    const t = block.items.get(tag);
    if (!t) throw new ParseError({ file, line: lines.length, expected: `the item ${tag}`, found: 'none' });
    const v = cifNumber(t.text);
    if (!Number.isFinite(v))
      throw new ParseError({ file, line: t.line, expected: `a number for ${tag}`, found: t.text });
    return { v, line: t.line };
  };
  const lengths = ['a', 'b', 'c'].map((x) => ({ x, ...num(`_cell_length_${x}`) }));
  const angles = ['alpha', 'beta', 'gamma'].map((x) => ({ x, ...num(`_cell_angle_${x}`) }));
  const lattice = latticeFromCell(file, lengths, angles);
  const ops = blockSymmetryOps(block, lattice, file);
  const sites = block.loops.find((l) => l.tags.includes('_atom_site_fract_x'));
  if (!sites)
    throw new ParseError({ file, line: lines.length, expected: 'an _atom_site_fract_x loop', found: 'none' });
  return { block, lattice, ops, sites };
};

/** Crystallographic Information File: cell, symmetry operations, sites; expanded to P1 with duplicates merged. */
export const cif: Format = {
  name: 'cif',
  description: 'CIF crystal structure: symmetry expanded to P1 (read); P1 CIF (write)',
  multiFrame: false,
  matchesName: (b) => b.endsWith('.cif'),
  sniff: (_h, text) => /^\s*data_/m.test(text) && /_cell_length_a/.test(text),
  async *read(input) {
    const file = input.path;
    const r = new LineReader(openByteStream(input), file);
    const lines: string[] = [];
    while (await r.next()) lines.push(r.text());
    const { lattice, ops, sites } = readCrystalBlock(lines, file);
    const col = (t: string) => sites.tags.indexOf(t);
    const [cx, cy, cz] = ['_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z'].map(col);
    const ctype = col('_atom_site_type_symbol');
    const clabel = col('_atom_site_label');
    const cocc = col('_atom_site_occupancy');
    if (cy < 0 || cz < 0)
      throw new ParseError({
        file,
        line: sites.rows[0]?.[0].line ?? 1,
        expected: '_atom_site_fract_y and _z',
      });
    const symbols: string[] = [];
    const frac: number[] = [];
    const tol = 1e-2; // A: symmetry copies closer than this are the same site
    const d = new Float64Array(3);
    for (const row of sites.rows) {
      const label = ctype >= 0 ? row[ctype] : row[clabel];
      const el = label ? normaliseElementLabel(label.text) : undefined;
      if (!el)
        throw new ParseError({
          file,
          line: (label ?? row[0]).line,
          expected: 'an element symbol or label',
          found: label?.text,
        });
      if (cocc >= 0) {
        const occ = cifNumber(row[cocc].text);
        if (row[cocc].text !== '?' && row[cocc].text !== '.' && !(Math.abs(occ - 1) <= 1e-6))
          throw new ParseError({
            file,
            line: row[cocc].line,
            expected: 'full occupancy (partial occupancy is not supported)',
            found: row[cocc].text,
          });
      }
      const f = [cx, cy, cz].map((c) => {
        const v = cifNumber(row[c].text);
        // Sites are wrapped into the cell below: beyond MAX_FRACTIONAL a coordinate keeps few of
        // its digits (1e308 would land at 0), and no crystal lists an atom a million cells away.
        if (!(Math.abs(v) <= MAX_FRACTIONAL))
          throw new ParseError({
            file,
            line: row[c].line,
            expected: Number.isFinite(v)
              ? `a fractional coordinate within +-${MAX_FRACTIONAL}`
              : 'a fractional coordinate',
            found: row[c].text,
          });
        return v;
      });
      for (const m of ops) {
        const g = [0, 1, 2].map((k) => {
          const x = m[4 * k] * f[0] + m[4 * k + 1] * f[1] + m[4 * k + 2] * f[2] + m[4 * k + 3];
          return x - Math.floor(x);
        });
        let dup = -1;
        for (let s = 0; s < symbols.length && dup < 0; s++) {
          const df = [g[0] - frac[3 * s], g[1] - frac[3 * s + 1], g[2] - frac[3 * s + 2]];
          lattice.toCartesian(df, d);
          if (lattice.minimumImage(d) < tol * tol) dup = s;
        }
        if (dup >= 0) {
          if (symbols[dup] !== el)
            throw new ParseError({
              file,
              line: row[0].line,
              expected: 'sites that do not overlap',
              found: `${el} on top of ${symbols[dup]}`,
            });
          continue;
        }
        symbols.push(el);
        frac.push(g[0] === 1 ? 0 : g[0], g[1] === 1 ? 0 : g[1], g[2] === 1 ? 0 : g[2]);
      }
    }
    if (symbols.length === 0)
      throw new ParseError({ file, line: lines.length, expected: 'at least one atom site' });
    yield { topology: new Topology({ symbols }), frame: { positions: lattice.toCartesian(frac), lattice } };
  },
  async write(sink, frames, options) {
    let count = 0;
    for await (const { topology, frame } of frames) {
      if (++count > 1)
        throw new OptionError('a CIF written here holds one structure: choose a frame (`frames`)', {
          option: 'frames',
        });
      if (!frame.lattice) throw new OptionError('CIF needs a periodic cell; this structure has none');
      const p = frame.lattice.parameters;
      let s = `# ${options.comment ?? 'written by oligolyte'}\ndata_oligolyte\n`;
      s += `_cell_length_a ${p.a}\n_cell_length_b ${p.b}\n_cell_length_c ${p.c}\n`;
      s += `_cell_angle_alpha ${p.alpha}\n_cell_angle_beta ${p.beta}\n_cell_angle_gamma ${p.gamma}\n`;
      s += `_symmetry_space_group_name_H-M 'P 1'\n_symmetry_Int_Tables_number 1\nloop_\n_symmetry_equiv_pos_as_xyz\n'x, y, z'\n`;
      s +=
        'loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n_atom_site_occupancy\n';
      const f = frame.lattice.toFractional(frame.positions);
      const seen = new Map<string, number>();
      for (let i = 0; i < topology.natoms; i++) {
        const el = topology.symbol(i);
        const k = (seen.get(el) ?? 0) + 1;
        seen.set(el, k);
        const w = (x: number) => x - Math.floor(x);
        s += `${el}${k} ${el} ${w(f[3 * i])} ${w(f[3 * i + 1])} ${w(f[3 * i + 2])} 1\n`;
      }
      sink.write(s);
    }
    if (count === 0) throw new OptionError('nothing to write: no frames');
    return count;
  },
};
