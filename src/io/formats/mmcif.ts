import { OptionError, ParseError } from '../../core/errors.js';
import type { Frame, Structure } from '../../core/frame.js';
import type { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { openByteStream } from '../byte-source.js';
import { type Format, warn } from '../format.js';
import { LineReader } from '../text/line-reader.js';
import { parseFloatBytes } from '../text/parse-number.js';
import { type CellValue, isPlaceholderCell, latticeFromCell } from './cell-check.js';
import { cifNumber, type CifToken as Token, tokenizeLine } from './cif.js';
import { AtomElements, isP1 } from './md-atoms.js';
import { inStandardOrientation } from './standard-orientation.js';

/*
 * PDBx/mmCIF (the wwPDB's macromolecular CIF, DDL2 names "_category.item"): the `_atom_site` loop
 * with Cartesian coordinates (Cartn_x/y/z, A), type_symbol, label_atom_id and pdbx_PDB_model_num
 * (each model one frame), and the cell from `_cell.length_a` ... `_cell.angle_gamma`. The CIF 1
 * spelling of the same items (`_atom_site_Cartn_x`, `_cell_length_a`) is read too. Streamed: the
 * rows of the atom loop are parsed from the line's bytes when a row is one plain line (the usual
 * layout), by the general CIF tokenizer otherwise (quoted names such as "O5'", rows over lines).
 */

/** Tags lower-cased, CIF 1 spellings of the categories read here turned into DDL2 ones. */
const normaliseTag = (tag: string): string => {
  const t = tag.toLowerCase();
  for (const c of ['_atom_site_', '_cell_', '_symmetry_', '_space_group_'])
    if (t.startsWith(c) && !t.startsWith(`${c.slice(0, -1)}.`))
      return `${c.slice(0, -1)}.${t.slice(c.length)}`;
  return t;
};

const isUnknown = (s: string) => s === '?' || s === '.';

/** Columns of the atom_site loop that the reader uses (-1 when absent). */
interface SiteColumns {
  n: number;
  x: number;
  y: number;
  z: number;
  type: number;
  name: number;
  model: number;
  occupancy: number;
}

/** PDBx/mmCIF: atom sites with Cartesian coordinates, models as frames, the cell (P1). */
export const mmcif: Format = {
  name: 'mmcif',
  description: 'PDBx/mmCIF atom sites (Cartesian), models as frames (read, write with a P1 cell)',
  multiFrame: true,
  matchesName: (b) => /\.(cif|mmcif|pdbx)$/.test(b),
  sniff: (_h, text) => {
    if (/^\s*_atom_site[._]fract_x/im.test(text)) return false;
    if (/^\s*_atom_site[._]cartn_x/im.test(text)) return true;
    // A PDBx file whose header categories fill the sniffed head: DDL2 "_category.item" names.
    return (
      /^\s*data_/m.test(text) &&
      /^\s*_[a-z0-9_]+\.[a-z0-9_]/im.test(text) &&
      !/^\s*_cell_length_a/im.test(text)
    );
  },
  async *read(input, options) {
    const file = input.path;
    const r = new LineReader(openByteStream(input), file);
    const elements = new AtomElements();
    const items = new Map<string, Token>();
    // Grammar state.
    type State = 'top' | 'value' | 'loopTags' | 'loopValues';
    let state = 'top' as State;
    let pendingTag: Token | undefined;
    let loopTags: string[] = [];
    let loopStart = 0;
    let row: Token[] = [];
    let inBlock = false;
    // The atom_site loop.
    let sites: SiteColumns | undefined;
    let sawSites = false;
    let cellKnown = false;
    let cell: Lattice | undefined;
    let model: number | undefined;
    const doneModels = new Set<number>();
    const symbols: string[] = [];
    let topology: Topology | undefined;
    let count = 0;
    let positions = new Float64Array(3 * 1024);
    let lastRowLine = 0;
    const ready: Structure[] = [];

    const err = (t: { line: number; column?: number }, expected: string, found: string) =>
      new ParseError({ file, line: t.line, column: t.column, expected, found });

    const resolveCell = () => {
      cellKnown = true;
      const a = items.get('_cell.length_a');
      const group = items.get('_symmetry.space_group_name_h-m') ?? items.get('_space_group.name_h-m_alt');
      if (group && !isP1(group.text))
        warn(
          options,
          `${file}:${group.line}: the space group is ${group.text}: the atoms are read as they are (the asymmetric unit is not expanded to the whole cell)`,
        );
      if (!a || isUnknown(a.text)) return;
      const num = (x: string, tag: string): CellValue => {
        const t = items.get(tag);
        if (!t) throw err({ line: a.line }, `the item ${tag} (with _cell.length_a)`, 'none');
        const v = cifNumber(t.text);
        if (!Number.isFinite(v)) throw err(t, `a number for ${tag}`, t.text);
        return { x, v, line: t.line, column: t.column };
      };
      const lengths = ['a', 'b', 'c'].map((x) => num(x, `_cell.length_${x}`));
      const angles = ['alpha', 'beta', 'gamma'].map((x) => num(x, `_cell.angle_${x}`));
      if (isPlaceholderCell(lengths, angles)) return;
      // Lengths > 0, possible angles (issue 25 item 8): at the value at fault.
      cell = latticeFromCell(file, lengths, angles);
      for (const s of ready) s.frame.lattice = cell;
    };

    const closeModel = () => {
      if (model === undefined) return;
      doneModels.add(model);
      const frameNo = doneModels.size;
      if (frameNo === 1) {
        topology = new Topology({ symbols });
        elements.report(file, options, '; give _atom_site.type_symbol');
      } else if (count !== symbols.length)
        throw err(
          { line: lastRowLine },
          `${symbols.length} atoms in model ${model}, as in the first model (the same atoms in every model)`,
          `${count} atoms`,
        );
      const frame: Frame = { positions: positions.slice(0, 3 * count) };
      if (cell) frame.lattice = cell;
      ready.push({ topology: topology!, frame });
      model = undefined;
    };

    /** One row of the atom_site loop: text and numbers through `text(k)` and `num(k)`. */
    const siteRow = (
      s: SiteColumns,
      text: (k: number) => string,
      num: (k: number, what: string) => number,
      where: (k: number) => { line: number; column: number },
    ) => {
      let m = 1;
      if (s.model >= 0) {
        const t = text(s.model);
        m = /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
        if (Number.isNaN(m)) throw err(where(s.model), 'a model number (pdbx_PDB_model_num)', t);
      }
      if (m !== model) {
        closeModel();
        if (doneModels.has(m))
          throw err(where(s.model), `the rows of model ${m} together (model ${m} came before)`, String(m));
        model = m;
        count = 0;
        if (doneModels.size > 0) positions = new Float64Array(3 * symbols.length);
      }
      let type = s.type >= 0 ? text(s.type) : '';
      if (isUnknown(type)) type = '';
      type = type.replace(/^([A-Za-z]{1,2})\d*[+-]$/, '$1');
      let name = s.name >= 0 ? text(s.name) : '';
      if (isUnknown(name)) name = '';
      if (type === '' && name === '')
        throw err(
          where(Math.max(s.type, 0)),
          'an element (type_symbol) or an atom name (label_atom_id)',
          '?',
        );
      const el = elements.of(name, type);
      if (el === undefined) throw err(where(s.type), 'an element symbol (type_symbol)', type);
      if (doneModels.size === 0) {
        if (3 * count + 3 > positions.length) {
          const grown = new Float64Array(positions.length * 2);
          grown.set(positions);
          positions = grown;
        }
        symbols.push(el);
      } else {
        if (count >= symbols.length)
          throw err(
            where(0),
            `at most ${symbols.length} atoms in model ${m}, as in the first model`,
            `atom ${count + 1}`,
          );
        if (symbols[count] !== el)
          throw err(
            where(s.type >= 0 ? s.type : s.name),
            `atom ${count + 1} to be ${symbols[count]} as in the first model (the same atoms in every model)`,
            type || name,
          );
      }
      const o = 3 * count;
      positions[o] = num(s.x, 'a Cartesian coordinate Cartn_x (A)');
      positions[o + 1] = num(s.y, 'a Cartesian coordinate Cartn_y (A)');
      positions[o + 2] = num(s.z, 'a Cartesian coordinate Cartn_z (A)');
      if (s.occupancy >= 0 && !isUnknown(text(s.occupancy))) num(s.occupancy, 'an occupancy');
      count++;
    };

    // Row access for rows gathered as tokens, and for a row that is the current line's fields.
    const tokenText = (k: number) => row[k].text;
    const tokenNum = (k: number, what: string) => {
      const v = cifNumber(row[k].text);
      if (!Number.isFinite(v)) throw err(row[k], what, row[k].text);
      return v;
    };
    const tokenWhere = (k: number) => row[k];
    const fieldText = (k: number) => r.field(k);
    const fieldNum = (k: number, what: string) => {
      const v = parseFloatBytes(r.buf, r.fieldStart[k], r.fieldEnd[k]);
      if (!Number.isNaN(v)) return v;
      const t = cifNumber(r.field(k));
      if (Number.isNaN(t)) throw r.error(what, k);
      return t;
    };
    const fieldWhere = (k: number) => ({ line: r.lineNo, column: r.fieldStart[k] - r.start + 1 });

    const endLoop = (at: { line: number; column?: number }) => {
      if (state === 'loopTags') throw err(at, `values for the loop of ${loopTags[0]}`, 'none');
      if (state !== 'loopValues') return;
      if (row.length > 0)
        throw err(
          row[0],
          `a multiple of ${loopTags.length} values in the loop of ${loopTags[0]} (line ${loopStart}): a whole row from here`,
          `${row.length} values before ${at.line === r.lineNo + 1 ? 'the end of the file' : `line ${at.line}`}`,
        );
      if (sites) {
        closeModel();
        sites = undefined;
      }
      state = 'top';
    };

    const beginValues = (t: Token) => {
      state = 'loopValues';
      row = [];
      if (!loopTags.includes('_atom_site.cartn_x')) return;
      if (sawSites) throw err(t, 'one _atom_site loop', 'a second one');
      sawSites = true;
      const col = (tag: string) => loopTags.indexOf(`_atom_site.${tag}`);
      const s: SiteColumns = {
        n: loopTags.length,
        x: col('cartn_x'),
        y: col('cartn_y'),
        z: col('cartn_z'),
        type: col('type_symbol'),
        name: [col('label_atom_id'), col('auth_atom_id'), col('label')].find((k) => k >= 0) ?? -1,
        model: col('pdbx_pdb_model_num'),
        occupancy: col('occupancy'),
      };
      if (s.y < 0 || s.z < 0)
        throw err({ line: loopStart }, '_atom_site.Cartn_y and Cartn_z in the loop', 'Cartn_x only');
      sites = s;
      // The cell is known when its items came before the atoms (as PDB files and our writer put it).
      if (items.has('_cell.length_a')) resolveCell();
    };

    const handle = (t: Token) => {
      if (!t.quoted) {
        const lower = t.text.toLowerCase();
        if (lower.startsWith('data_')) {
          if (state === 'value') throw err(t, `a value for ${pendingTag!.text}`, t.text);
          endLoop(t);
          if (sawSites) throw err(t, 'one data block (a file holds one structure or trajectory)', t.text);
          inBlock = true;
          items.clear();
          state = 'top';
          return;
        }
        if (lower === 'loop_') {
          if (state === 'value') throw err(t, `a value for ${pendingTag!.text}`, t.text);
          endLoop(t);
          if (!inBlock) throw err(t, 'a data_ block header', t.text);
          state = 'loopTags';
          loopTags = [];
          loopStart = t.line;
          return;
        }
        if (t.text.startsWith('_')) {
          if (!inBlock) throw err(t, 'a data_ block header', t.text);
          if (state === 'loopTags') {
            loopTags.push(normaliseTag(t.text));
            return;
          }
          if (state === 'value') throw err(t, `a value for ${pendingTag!.text}`, t.text);
          endLoop(t);
          pendingTag = t;
          state = 'value';
          return;
        }
        if (/^(save_|global_|stop_)/.test(lower))
          throw err(t, 'a tag, loop_ or data_ (save frames are not read)', t.text);
      }
      if (state === 'value') {
        items.set(normaliseTag(pendingTag!.text), t);
        state = 'top';
        return;
      }
      if (state === 'loopTags') {
        if (loopTags.length === 0) throw err(t, 'tags after loop_', t.text);
        beginValues(t);
      }
      if (state === 'loopValues') {
        row.push(t);
        if (row.length === loopTags.length) {
          if (sites) {
            lastRowLine = t.line;
            siteRow(sites, tokenText, tokenNum, tokenWhere);
          }
          row = [];
        }
        return;
      }
      throw err(t, inBlock ? 'a tag, loop_ or data_' : 'a data_ block header', t.text);
    };

    const tokens: Token[] = [];
    try {
      while (await r.next()) {
        const b = r.buf;
        if (b[r.start] === 59 /* ; */ && r.end > r.start) {
          // A text field: up to the next line that starts with ';'.
          const startLine = r.lineNo;
          const parts = [r.text().slice(1)];
          for (;;) {
            if (!(await r.next()))
              throw new ParseError({
                file,
                line: startLine,
                column: 1,
                expected: 'a closing ";" for the text field',
                found: 'end of file',
              });
            if (r.buf[r.start] === 59) break;
            parts.push(r.text());
          }
          handle({ text: parts.join('\n'), line: startLine, column: 1, quoted: true });
          tokens.length = 0;
          tokenizeLine(r.text().slice(1), r.lineNo, file, tokens);
          for (const t of tokens) handle({ ...t, column: t.column + 1 });
        } else if (sites && state === 'loopValues' && row.length === 0 && isPlainRow(r, sites.n)) {
          lastRowLine = r.lineNo;
          siteRow(sites, fieldText, fieldNum, fieldWhere);
        } else {
          tokens.length = 0;
          tokenizeLine(r.text(), r.lineNo, file, tokens);
          for (const t of tokens) handle(t);
        }
        if (cellKnown && ready.length > 0) {
          yield* ready;
          ready.length = 0;
        }
      }
      const end = { line: r.lineNo + 1 };
      if (state === 'value') throw err(end, `a value for ${pendingTag!.text}`, 'end of file');
      endLoop(end);
      if (!sawSites)
        throw err(
          end,
          'an _atom_site loop with Cartn_x, Cartn_y, Cartn_z (a CIF with fractional coordinates is read by the cif format)',
          'end of file',
        );
      if (!cellKnown) resolveCell();
      yield* ready;
      ready.length = 0;
    } finally {
      await r.close();
    }
  },
  async write(sink, frames, options) {
    let count = 0;
    let first: Topology | undefined;
    let firstCell: Lattice | undefined;
    for await (const { topology, frame } of frames) {
      count++;
      if (!first) {
        first = topology;
        firstCell = frame.lattice;
        let head = `data_oligolyte\n# ${(options.comment ?? 'written by oligolyte').replace(/\s+/g, ' ').trim()}\n#\n`;
        if (firstCell) {
          const p = firstCell.parameters;
          head += `_cell.length_a ${p.a}\n_cell.length_b ${p.b}\n_cell.length_c ${p.c}\n`;
          head += `_cell.angle_alpha ${p.alpha}\n_cell.angle_beta ${p.beta}\n_cell.angle_gamma ${p.gamma}\n`;
          head += `_symmetry.space_group_name_H-M 'P 1'\n_symmetry.Int_Tables_number 1\n#\n`;
        }
        head += `loop_\n${ATOM_SITE_TAGS.map((t) => `_atom_site.${t}`).join('\n')}\n`;
        sink.write(head);
      } else {
        if (!topology.sameAtoms(first))
          throw new OptionError(
            `frame ${count} has other atoms than the first: mmCIF models hold the same atoms`,
          );
        const same =
          (!firstCell && !frame.lattice) ||
          (firstCell && frame.lattice && firstCell.matrix.every((x, i) => x === frame.lattice!.matrix[i]));
        if (!same)
          throw new OptionError(
            `frame ${count} has another cell than the first: an mmCIF file holds one cell (write a variable cell to extxyz, xdatcar or lammps-dump)`,
          );
      }
      let positions = frame.positions;
      if (frame.lattice) positions = inStandardOrientation(frame.lattice, positions).positions;
      const mol = topology.moleculeIds;
      const lines: string[] = [];
      for (let i = 0; i < topology.natoms; i++) {
        const el = topology.symbol(i);
        const res = mol ? Math.max(0, mol[i]) : 1;
        const o = 3 * i;
        for (let d = 0; d < 3; d++)
          if (!Number.isFinite(positions[o + d]))
            throw new OptionError(
              `frame ${count}, atom ${i + 1}: coordinate ${positions[o + d]} is not a number`,
            );
        lines.push(
          `HETATM ${i + 1} ${el} ${el}${i + 1} . MOL A 1 . ? ${positions[o]} ${positions[o + 1]} ${positions[o + 2]} 1 0 ${res} MOL A ${el}${i + 1} ${count}`,
        );
      }
      sink.write(`${lines.join('\n')}\n`);
      await sink.flush();
    }
    if (count === 0) throw new OptionError('nothing to write: no frames');
    sink.write('#\n');
    return count;
  },
};

/** The atom_site items written (those PDB tools such as Biopython and gemmi need). */
const ATOM_SITE_TAGS = [
  'group_PDB',
  'id',
  'type_symbol',
  'label_atom_id',
  'label_alt_id',
  'label_comp_id',
  'label_asym_id',
  'label_entity_id',
  'label_seq_id',
  'pdbx_PDB_ins_code',
  'Cartn_x',
  'Cartn_y',
  'Cartn_z',
  'occupancy',
  'B_iso_or_equiv',
  'auth_seq_id',
  'auth_comp_id',
  'auth_asym_id',
  'auth_atom_id',
  'pdbx_PDB_model_num',
];

/**
 * True when the current line is one whole row of `n` plain values: no quotes, comments or text
 * fields, and not a tag or keyword that ends the loop.
 */
const isPlainRow = (r: LineReader, n: number): boolean => {
  const b = r.buf;
  for (let i = r.start; i < r.end; i++) {
    const c = b[i];
    if (c === 39 || c === 34 || c === 35) return false; // ' " #
  }
  if (r.split() !== n) return false;
  if (b[r.fieldStart[0]] === 95) return false; // _tag
  // Keywords start with l, d, s or g (either case); other rows (ATOM, HETATM) need no decoding.
  const c0 = b[r.fieldStart[0]] | 32;
  if (c0 !== 108 && c0 !== 100 && c0 !== 115 && c0 !== 103) return true;
  const f = r.field(0).toLowerCase();
  return !(
    f === 'loop_' ||
    f.startsWith('data_') ||
    f.startsWith('save_') ||
    f.startsWith('global_') ||
    f.startsWith('stop_')
  );
};
