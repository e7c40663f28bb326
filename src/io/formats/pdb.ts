import { OptionError, ParseError } from '../../core/errors.js';
import type { Frame, Structure } from '../../core/frame.js';
import type { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { type InputFile, openByteStream } from '../byte-source.js';
import { type Format, type ReadOptions, warn } from '../format.js';
import { LineReader } from '../text/line-reader.js';
import { isTornLastFrame, reportTornFrame } from '../torn-frame.js';
import { isPlaceholderCell, latticeFromCell } from './cell-check.js';
import {
  columnError,
  columnFloat,
  columnKey,
  columnText,
  fixedField,
  isBlankColumns,
  lineLength,
} from './fixed-columns.js';
import { decodeHybrid36, encodeHybrid36 } from './hybrid36.js';
import { AtomElements, isP1 } from './md-atoms.js';
import { inStandardOrientation } from './standard-orientation.js';

/*
 * PDB format 3.3 (wwPDB, "Atomic Coordinate Entry Format Description"): fixed columns. Records
 * read: CRYST1 (cell), MODEL/ENDMDL (frames), ATOM/HETATM (atoms), TER and CONECT (bonds), END.
 * Every other record (HEADER, REMARK, ANISOU, SEQRES, ORIGX, SCALE, MASTER, ...) is not about
 * coordinates and is passed over; a line that is no record at all is an error.
 */

/** A serial number field (cols 7-11): decimal or hybrid-36; NaN for '*****' or blank (overflowed). */
const serialOf = (r: LineReader): number => {
  const t = columnText(r, 7, 11);
  if (t === '' || /^\*+$/.test(t)) return Number.NaN;
  const v = decodeHybrid36(t, 5);
  if (Number.isNaN(v)) throw columnError(r, 7, 'an atom serial number in columns 7-11', t);
  return v;
};

/**
 * True for an ATOM or HETATM record, also for one cut inside or right after its record name
 * ("ATOM", "AT", "HETA": the last line of a file whose writer stopped), which then fails on its
 * missing coordinates instead of being passed over as an unknown record.
 */
const isAtomRecord = (r: LineReader): boolean => {
  if (r.startsWith('ATOM  ') || r.startsWith('HETATM')) return true;
  if (lineLength(r) >= 6) return false;
  const t = r.text().trimEnd();
  return (t.length >= 2 && 'ATOM'.startsWith(t)) || (t.length >= 4 && 'HETATM'.startsWith(t));
};

/**
 * An ATOM/HETATM line reaches column 54, the end of z (%8.3f fields in columns 31-54); a shorter
 * one was cut (x, y or z missing, or z cut short: "7.108" -> "7.1" is another number) and is an
 * error at its line, at the first field it lacks.
 */
const requireCoordinates = (r: LineReader): void => {
  const n = lineLength(r);
  if (n >= 54) return;
  columnFloat(r, 31, 38, 'the x coordinate (A)');
  columnFloat(r, 39, 46, 'the y coordinate (A)');
  columnFloat(r, 47, 54, 'the z coordinate (A)');
  throw columnError(
    r,
    n + 1,
    'the z coordinate (A) in columns 47-54 (the line ends inside it)',
    columnText(r, 47, 54),
  );
};

/** A CONECT record: the atom (cols 7-11) and its partners (5-column fields from col 12 on). */
interface Conect {
  line: number;
  atom: number;
  partners: number[];
  columns: number[];
}

const readConect = (r: LineReader): Conect => {
  const atom = decodeHybrid36(columnText(r, 7, 11), 5);
  if (Number.isNaN(atom))
    throw columnError(r, 7, 'an atom serial number in columns 7-11', columnText(r, 7, 11));
  const partners: number[] = [];
  const columns: number[] = [];
  for (let c = 12; c <= lineLength(r); c += 5) {
    if (isBlankColumns(r, c, c + 4)) continue;
    const t = columnText(r, c, c + 4);
    const v = decodeHybrid36(t, 5);
    if (Number.isNaN(v)) throw columnError(r, c, `a bonded atom's serial number in columns ${c}-${c + 4}`, t);
    partners.push(v);
    columns.push(c);
  }
  return { line: r.lineNo, atom, partners, columns };
};

/** Serials of TER records and the CONECT records of a whole file (a first pass, for multi-model files). */
const scanBonds = async (input: InputFile): Promise<{ conects: Conect[]; ter: Set<number> }> => {
  const r = new LineReader(openByteStream({ ...input, onRawBytes: undefined }), input.path);
  const conects: Conect[] = [];
  const ter = new Set<number>();
  try {
    while (await r.next()) {
      if (r.startsWith('CONECT')) conects.push(readConect(r));
      else if (r.startsWith('TER')) {
        const s = decodeHybrid36(columnText(r, 7, 11), 5);
        if (!Number.isNaN(s)) ter.add(s);
      }
    }
  } finally {
    await r.close();
  }
  return { conects, ter };
};

/**
 * Bonds (atom index pairs) from CONECT records, through the serials of the first model's atoms.
 * Bonds to a TER record's serial (some writers number TER records) are not bonds and are dropped
 * with a warning; a serial that no atom or TER has, or that two atoms share, is an error.
 */
const bondsFrom = (
  file: string,
  conects: Conect[],
  ter: Set<number>,
  serials: Float64Array,
  options: ReadOptions,
): Uint32Array | undefined => {
  if (conects.length === 0) return undefined;
  const index = new Map<number, number>();
  for (let i = 0; i < serials.length; i++) {
    const s = serials[i];
    if (Number.isNaN(s)) continue;
    index.set(s, index.has(s) ? -1 : i);
  }
  const seen = new Set<number>();
  const out: number[] = [];
  let toTer = 0;
  const n = serials.length;
  for (const c of conects) {
    const at = (serial: number, column: number): number | undefined => {
      const i = index.get(serial);
      if (i === undefined && ter.has(serial)) return undefined;
      if (i === undefined || i < 0)
        throw new ParseError({
          file,
          line: c.line,
          column,
          expected:
            i === undefined
              ? 'the serial number of an ATOM/HETATM record of the first model'
              : 'a serial number only one atom has',
          found: String(serial),
        });
      return i;
    };
    const a = at(c.atom, 7);
    c.partners.forEach((p, k) => {
      const b = at(p, c.columns[k]);
      if (a === undefined || b === undefined) {
        toTer++;
        return;
      }
      if (a === b)
        throw new ParseError({
          file,
          line: c.line,
          column: c.columns[k],
          expected: 'a bond between two different atoms',
          found: String(p),
        });
      const key = Math.min(a, b) * n + Math.max(a, b);
      if (seen.has(key)) return;
      seen.add(key);
      out.push(Math.min(a, b), Math.max(a, b));
    });
  }
  if (toTer > 0)
    warn(
      options,
      `${file}: ${toTer} CONECT entr${toTer > 1 ? 'ies' : 'y'} to TER records are not bonds: left out`,
    );
  return out.length ? Uint32Array.from(out) : undefined;
};

/** Protein Data Bank files: CRYST1 cell, ATOM/HETATM atoms, MODEL frames, CONECT bonds. */
export const pdb: Format = {
  name: 'pdb',
  description: 'Protein Data Bank coordinates: CRYST1, ATOM/HETATM, MODEL frames, CONECT bonds (read, write)',
  multiFrame: true,
  matchesName: (b) => /\.(pdb|ent)$/.test(b),
  sniff: (_h, text) =>
    /^(HEADER|TITLE |COMPND|REMARK|CRYST1|MODEL |ATOM {2}|HETATM|EXPDTA|AUTHOR|KEYWDS|SOURCE)/.test(
      text.replace(/^\s*\n/, ''),
    ) || /^(ATOM {2}|HETATM).{24}[ \d.-]{24}/m.test(text),
  async *read(input, options) {
    const file = input.path;
    const r = new LineReader(openByteStream(input), file);
    const elements = new AtomElements();
    const byKey = new Map<number, string>();
    let cell: Lattice | undefined;
    let warnedSpaceGroup = false;
    // The current frame.
    let open = false;
    let inModel = false;
    let frameNo = 0;
    let frameLine = 0;
    let count = 0;
    let positions = new Float64Array(3 * 1024);
    // The first model: its atoms define the topology, which waits for the CONECT records.
    const firstSymbols: string[] = [];
    let serials = new Float64Array(1024);
    let topology: Topology | undefined;
    let pending: Frame | undefined;
    // A CRYST1 after a model's ENDMDL belongs to that model when the first model had none of its
    // own ("MODEL ... ENDMDL CRYST1", as MDAnalysis also reads it); then each frame waits for it.
    let cellAfterModel: boolean | undefined;
    let crystSeen = false;
    let firstHadCryst = false;
    let held: Structure | undefined;
    const conects: Conect[] = [];
    const ter = new Set<number>();
    let bondsScanned = false;

    const makeTopology = (bonds: { conects: Conect[]; ter: Set<number> }) => {
      const bondPairs = bondsFrom(
        file,
        bonds.conects,
        bonds.ter,
        serials.subarray(0, firstSymbols.length),
        options,
      );
      elements.report(file, options, '; give elements in columns 77-78');
      return new Topology({ symbols: firstSymbols, bonds: bondPairs });
    };
    const begin = () => {
      if (held) throw new Error('a held frame must be yielded before the next begins');
      open = true;
      frameNo++;
      frameLine = r.lineNo;
      count = 0;
      if (frameNo > 1) positions = new Float64Array(3 * firstSymbols.length);
    };
    /** Close the current frame; returns it when it can be yielded now. */
    const close = (): Structure | undefined => {
      open = false;
      inModel = false;
      if (count === 0)
        throw new ParseError({
          file,
          line: r.lineNo,
          expected: `ATOM or HETATM records in frame ${frameNo}`,
          found: r.text(),
        });
      const frame: Frame = { positions: positions.slice(0, 3 * count) };
      if (cell) frame.lattice = cell;
      if (frameNo === 1) {
        pending = frame;
        firstHadCryst = crystSeen;
        return undefined;
      }
      if (count !== firstSymbols.length)
        throw new ParseError({
          file,
          line: r.lineNo,
          expected: `${firstSymbols.length} atoms in model ${frameNo}, as in the first`,
          found: `${count} atoms`,
        });
      if (cellAfterModel) {
        held = { topology: topology!, frame };
        return undefined;
      }
      return { topology: topology!, frame };
    };
    try {
      // A trajectory cut inside a line of its last model (its writer stopped): the models before it.
      let torn: ParseError | undefined;
      try {
        while (await r.next()) {
          if (r.isBlank()) continue;
          const c0 = r.buf[r.start];
          if (c0 < 65 || c0 > 90)
            throw r.error(
              'a PDB record (ATOM, HETATM, CRYST1, MODEL, ENDMDL, CONECT, END, ...) in columns 1-6',
              0,
            );
          if (isAtomRecord(r)) {
            if (!open) {
              if (held) {
                yield held;
                held = undefined;
              }
              if (frameNo === 1 && pending) {
                // A second configuration after END (CP2K, VMD): the first is complete.
                if (!bondsScanned) {
                  const all = await scanBonds(input);
                  conects.splice(0, conects.length, ...all.conects);
                  for (const s of all.ter) ter.add(s);
                  bondsScanned = true;
                }
                topology = makeTopology({ conects, ter });
                yield { topology, frame: pending };
                pending = undefined;
              }
              begin();
            }
            requireCoordinates(r);
            // The element of this name and element field, decoded once per distinct pair.
            const key = columnKey(r, 13, 16) * 65536 + columnKey(r, 77, 78);
            let el = byKey.get(key);
            if (el === undefined) {
              const name = columnText(r, 13, 16);
              const elementField = columnText(r, 77, 78);
              if (name === '' && elementField === '')
                throw columnError(
                  r,
                  13,
                  'an atom name in columns 13-16 or an element in columns 77-78',
                  '(blank)',
                );
              el = elements.of(name, elementField);
              if (el === undefined)
                throw columnError(r, 77, 'an element symbol in columns 77-78', elementField);
              byKey.set(key, el);
            }
            if (frameNo === 1) {
              if (3 * count + 3 > positions.length) {
                const grown = new Float64Array(positions.length * 2);
                grown.set(positions);
                positions = grown;
                const s = new Float64Array(serials.length * 2);
                s.set(serials);
                serials = s;
              }
              serials[count] = serialOf(r);
              firstSymbols.push(el);
            } else {
              if (count >= firstSymbols.length)
                throw r.error(`at most ${firstSymbols.length} atoms in model ${frameNo}, as in the first`);
              if (firstSymbols[count] !== el) {
                const elementField = columnText(r, 77, 78);
                throw columnError(
                  r,
                  elementField ? 77 : 13,
                  `atom ${count + 1} to be ${firstSymbols[count]} as in the first model (the same atoms in every model)`,
                  elementField || columnText(r, 13, 16),
                );
              }
            }
            const o = 3 * count;
            positions[o] = columnFloat(r, 31, 38, 'the x coordinate (A)');
            positions[o + 1] = columnFloat(r, 39, 46, 'the y coordinate (A)');
            positions[o + 2] = columnFloat(r, 47, 54, 'the z coordinate (A)');
            if (!isBlankColumns(r, 55, 60)) columnFloat(r, 55, 60, 'the occupancy');
            if (!isBlankColumns(r, 61, 66)) columnFloat(r, 61, 66, 'the temperature factor');
            if (!isBlankColumns(r, 79, 80)) {
              const q = columnText(r, 79, 80);
              if (!/^(\d[+-]|0)$/.test(q))
                throw columnError(r, 79, 'a formal charge such as 1+ or 2- in columns 79-80', q);
            }
            count++;
          } else if (r.startsWith('MODEL ') || (r.startsWith('MODEL', false) && lineLength(r) === 5)) {
            if (inModel) throw r.error('ENDMDL before the next MODEL record', 0);
            if (open)
              throw r.error('ATOM/HETATM records inside MODEL ... ENDMDL when the file has models', 0);
            if (held) {
              yield held;
              held = undefined;
            }
            if (frameNo === 1 && pending) {
              if (!bondsScanned) {
                // CONECT records of a multi-model file usually follow the last model: read them first.
                const all = await scanBonds(input);
                conects.splice(0, conects.length, ...all.conects);
                for (const s of all.ter) ter.add(s);
                bondsScanned = true;
              }
              topology = makeTopology({ conects, ter });
              yield { topology, frame: pending };
              pending = undefined;
            }
            begin();
            inModel = true;
          } else if (r.startsWith('ENDMDL')) {
            if (!inModel) throw r.error('a MODEL record before ENDMDL', 0);
            const s = close();
            if (s) yield s;
          } else if (r.startsWith('END') && (lineLength(r) === 3 || r.buf[r.start + 3] === 32)) {
            if (open) {
              const s = close();
              if (s) yield s;
            }
          } else if (r.startsWith('CRYST1')) {
            const field = (x: string, from: number, to: number, what: string) => ({
              x,
              v: columnFloat(r, from, to, what),
              line: r.lineNo,
              column: from,
            });
            const lengths = [
              field('a', 7, 15, 'the cell length a (A)'),
              field('b', 16, 24, 'the cell length b (A)'),
              field('c', 25, 33, 'the cell length c (A)'),
            ];
            const angles = [
              field('alpha', 34, 40, 'the cell angle alpha (degrees)'),
              field('beta', 41, 47, 'the cell angle beta (degrees)'),
              field('gamma', 48, 54, 'the cell angle gamma (degrees)'),
            ];
            const group = columnText(r, 56, 66);
            crystSeen = true;
            if (!isP1(group) && !warnedSpaceGroup) {
              warnedSpaceGroup = true;
              warn(
                options,
                `${file}:${r.lineNo}: CRYST1 gives space group ${group}: the atoms are read as they are (the asymmetric unit is not expanded to the whole cell)`,
              );
            }
            // The PDB's "no cell" (1 A cube, e.g. NMR and EM models) and MDAnalysis's all-zero CRYST1.
            if (isPlaceholderCell(lengths, angles) || lengths.every((l) => l.v === 0)) cell = undefined;
            else {
              // Lengths > 0, possible angles (issue 25 item 8): at the column of the field at fault.
              cell = latticeFromCell(file, lengths, angles);
            }
            if (!open) {
              const before = frameNo === 1 ? pending : held?.frame;
              if (frameNo === 1 && pending && cellAfterModel === undefined) cellAfterModel = !firstHadCryst;
              else if (frameNo > 1) cellAfterModel ??= false;
              if (cellAfterModel && before) {
                if (cell) before.lattice = cell;
                else delete before.lattice;
              }
            }
          } else if (r.startsWith('CONECT')) {
            if (!bondsScanned) conects.push(readConect(r));
          } else if (r.startsWith('TER')) {
            const s = decodeHybrid36(columnText(r, 7, 11), 5);
            if (!Number.isNaN(s)) ter.add(s);
          }
        }
      } catch (e) {
        // An error on the unterminated last line inside a model after the first: the file was cut
        // there (an ATOM line without its coordinates). A first model cut so is an error.
        if (!(open && frameNo > 1 && isTornLastFrame(e, r))) throw e;
        torn = e as ParseError;
      }
      if (torn) {
        reportTornFrame(options, file, frameLine, frameNo, torn);
        return;
      }
      if (open) {
        // The file ends inside a frame (no ENDMDL/END; many writers omit END).
        if (frameNo > 1 && count < firstSymbols.length)
          reportTornFrame(
            options,
            file,
            frameLine,
            frameNo,
            new ParseError({
              file,
              line: r.lineNo + 1,
              expected: `${firstSymbols.length - count} more atoms in model ${frameNo}`,
              found: 'end of file',
            }),
          );
        else if (frameNo === 1 && inModel)
          // Nothing to count the first model's atoms against: without its ENDMDL it may be cut short.
          throw new ParseError({
            file,
            line: r.lineNo + 1,
            expected: `ENDMDL closing model 1 (MODEL at line ${frameLine}): the file ends inside it`,
            found: 'end of file',
          });
        else {
          const s = close();
          if (s) yield s;
        }
      }
      if (pending) {
        topology = makeTopology({ conects, ter });
        yield { topology, frame: pending };
        pending = undefined;
      }
      if (held) yield held;
      if (frameNo === 0)
        throw new ParseError({
          file,
          line: r.lineNo + 1,
          expected: 'ATOM or HETATM records',
          found: 'end of file',
        });
    } finally {
      await r.close();
    }
  },
  async write(sink, frames, options) {
    let count = 0;
    let first: Topology | undefined;
    let pending = '';
    let header = '';
    let firstHasCell = false;
    let anyCell = false;
    if (options.comment) header = titleRecords(options.comment);
    for await (const { topology, frame } of frames) {
      count++;
      if (!first) first = topology;
      else if (!topology.sameAtoms(first))
        throw new OptionError(
          `frame ${count} has other atoms than the first: a PDB file holds the same atoms in every model`,
        );
      const text = atomRecords(topology, frame, count);
      if (count === 1) {
        sink.write(header);
        pending = text;
        firstHasCell = frame.lattice !== undefined;
        anyCell = firstHasCell;
        continue;
      }
      // A model without a cell after one with a cell gets the "no cell" CRYST1 (a CRYST1 holds
      // until the next), and so does the first model when a later one has a cell.
      if (count === 2) sink.write(wrapModel(!firstHasCell && frame.lattice ? NO_CELL + pending : pending, 1));
      sink.write(wrapModel(anyCell && !frame.lattice ? NO_CELL + text : text, count));
      anyCell ||= frame.lattice !== undefined;
      await sink.flush();
    }
    if (count === 0 || !first) throw new OptionError('nothing to write: no frames');
    if (count === 1) sink.write(pending.replace(MODEL_MARK, ''));
    sink.write(conectRecords(first));
    sink.write('END\n');
    return count;
  },
};

/** The PDB's CRYST1 for "no cell" (1 A cube, P 1). */
const NO_CELL = 'CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1\n';

/** Where MODEL goes in a frame's text: after its CRYST1 (MDAnalysis and ASE read a CRYST1 there as the model's). */
const MODEL_MARK = '\u0000MODEL\u0000';
const wrapModel = (text: string, k: number) =>
  `${text.replace(MODEL_MARK, `MODEL     ${String(k).padStart(4)}\n`)}ENDMDL\n`;

const fixed = (x: number, width: number, digits: number, what: string): string =>
  fixedField(x, width, digits, what, "PDB's");

/** TITLE records (continued over lines of 70 characters). */
const titleRecords = (comment: string): string => {
  const text = comment.replace(/\s+/g, ' ').trim();
  let out = '';
  for (let k = 0, i = 0; i < text.length; k++) {
    const width = k === 0 ? 70 : 68;
    out +=
      k === 0
        ? `TITLE     ${text.slice(i, i + width)}\n`
        : `TITLE   ${String(k + 1).padStart(2)} ${text.slice(i, i + width)}\n`;
    i += width;
  }
  return out;
};

/** CRYST1 (when periodic), the MODEL mark and the ATOM records of one frame. */
const atomRecords = (topology: Topology, frame: Frame, k: number): string => {
  let positions = frame.positions;
  let out = '';
  if (frame.lattice) {
    const std = inStandardOrientation(frame.lattice, positions);
    positions = std.positions;
    const p = frame.lattice.parameters;
    out += `CRYST1${fixed(p.a, 9, 3, 'cell length a')}${fixed(p.b, 9, 3, 'cell length b')}${fixed(p.c, 9, 3, 'cell length c')}`;
    out += `${fixed(p.alpha, 7, 2, 'alpha')}${fixed(p.beta, 7, 2, 'beta')}${fixed(p.gamma, 7, 2, 'gamma')} P 1           1\n`;
  }
  out += MODEL_MARK;
  const mol = topology.moleculeIds;
  const lines: string[] = [];
  for (let i = 0; i < topology.natoms; i++) {
    const el = topology.symbol(i);
    // PDB alignment: a one-letter element's name starts in column 14, a two-letter one's in 13.
    const name = el.length === 1 ? ` ${el}  ` : `${el}  `;
    const resSeq = mol ? Math.max(0, mol[i]) : 1;
    const o = 3 * i;
    const where = `frame ${k}, atom ${i + 1}:`;
    lines.push(
      `ATOM  ${encodeHybrid36(i + 1, 5)} ${name} MOL  ${encodeHybrid36(resSeq, 4)}    ` +
        `${fixed(positions[o], 8, 3, `${where} x (A)`)}${fixed(positions[o + 1], 8, 3, `${where} y (A)`)}${fixed(positions[o + 2], 8, 3, `${where} z (A)`)}` +
        `  1.00  0.00          ${el.toUpperCase().padStart(2)}  `,
    );
  }
  return `${out}${lines.join('\n')}\n`;
};

/** CONECT records of the topology's bonds: each bond listed from both atoms, four partners a line. */
const conectRecords = (topology: Topology): string => {
  const bonds = topology.bonded.bonds;
  if (!bonds || bonds.length === 0) return '';
  const partners = new Map<number, number[]>();
  for (let k = 0; k < bonds.length; k += 2) {
    const a = bonds[k];
    const b = bonds[k + 1];
    if (!partners.has(a)) partners.set(a, []);
    if (!partners.has(b)) partners.set(b, []);
    partners.get(a)!.push(b);
    partners.get(b)!.push(a);
  }
  let out = '';
  for (const a of [...partners.keys()].sort((x, y) => x - y)) {
    const list = partners.get(a)!.sort((x, y) => x - y);
    for (let i = 0; i < list.length; i += 4)
      out += `CONECT${encodeHybrid36(a + 1, 5)}${list
        .slice(i, i + 4)
        .map((b) => encodeHybrid36(b + 1, 5))
        .join('')}\n`;
  }
  return out;
};
