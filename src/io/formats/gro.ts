import { OptionError, ParseError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { NM_IN_A, psToFs } from '../../core/units.js';
import { openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';
import { LineReader } from '../text/line-reader.js';
import { parseUnlessTorn } from '../torn-frame.js';
import {
  columnError,
  columnFloat,
  columnKey,
  columnText,
  fixedField,
  isBlankColumns,
  isIntegerColumns,
  lineLength,
} from './fixed-columns.js';
import { AtomElements } from './md-atoms.js';
import { inStandardOrientation } from './standard-orientation.js';

/*
 * GROMACS .gro (manual, "File formats: gro"): a title line, the atom count, one fixed-column line
 * per atom "%5d%-5s%5s%5d%8.3f%8.3f%8.3f%8.4f%8.4f%8.4f" (residue number, residue name, atom
 * name, atom number, position in nm, optional velocity in nm/ps) and a box line of 3 numbers
 * (rectangular) or 9, v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y), in nm. Frames follow
 * one another. Files written with more decimals widen every number field alike: as GROMACS does,
 * the field width is the distance between the first two decimal points of an atom line.
 */

/** nm/ps -> A/fs (0.01). */
const NM_PER_PS_TO_A_PER_FS = NM_IN_A / psToFs(1);

/** What an atom line's number fields hold, for errors (made once, not once per atom). */
const POSITION_FIELDS = ['x', 'y', 'z'].map((c) => `the ${c} coordinate (nm)`);
const VELOCITY_FIELDS = ['x', 'y', 'z'].map(
  (c) => `the velocity v${c} (nm/ps; the first atom line has velocities)`,
);

/** The width of the number fields of the current atom line (distance between decimal points). */
const fieldWidth = (r: LineReader): number => {
  const b = r.buf;
  const find = (from: number) => {
    for (let i = from; i < r.end; i++) if (b[i] === 46) return i;
    return -1;
  };
  const p1 = find(r.start + 20);
  const p2 = p1 < 0 ? -1 : find(p1 + 1);
  const p3 = p2 < 0 ? -1 : find(p2 + 1);
  if (p1 < 0 || p2 < 0 || p3 < 0)
    throw columnError(
      r,
      21,
      'x, y and z with decimal points from column 21 (%8.3f, nm)',
      columnText(r, 21, lineLength(r)),
    );
  const w = p2 - p1;
  if (p3 - p2 !== w || w < 3)
    throw columnError(
      r,
      21,
      'x, y and z in fields of one width (decimal points equally spaced)',
      columnText(r, 21, lineLength(r)),
    );
  return w;
};

/** The box line: 3 or 9 numbers (nm) separated by spaces, or run together as %10.5f fields that overflowed. */
const readBox = (r: LineReader): Lattice | undefined => {
  const nf = r.split();
  if (nf === 0) return undefined; // ASE writes an empty box line for a cell-less structure
  let v: number[];
  if (nf === 3 || nf === 9)
    v = Array.from({ length: nf }, (_, k) => r.float(k, 'the box: 3 or 9 numbers (nm)'));
  else {
    const text = r.text().trim();
    const run = text.match(/-?\d*\.\d{5}/g);
    if (!run || run.join('') !== text.replace(/\s+/g, '') || (run.length !== 3 && run.length !== 9))
      throw r.error('the box: 3 or 9 numbers (nm)', Math.min(nf, 3));
    v = run.map(Number);
  }
  if (v.every((x) => x === 0)) return undefined; // no box (MDAnalysis's reading too)
  const m =
    v.length === 3
      ? [v[0], 0, 0, 0, v[1], 0, 0, 0, v[2]]
      : [v[0], v[3], v[4], v[5], v[1], v[6], v[7], v[8], v[2]];
  try {
    return new Lattice(m.map((x) => x * NM_IN_A));
  } catch (e) {
    throw r.error(`a box of non-zero volume (${(e as Error).message})`, 0);
  }
};

/** Time (ps) and step from a GROMACS title "... t= 10.00000 step= 5000". */
const titleTime = (title: string): { timeFs?: number; step?: number } => {
  const out: { timeFs?: number; step?: number } = {};
  const t = /(?:^|\s)t=\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?=\s|$)/.exec(title);
  if (t) out.timeFs = psToFs(Number(t[1]));
  const s = /(?:^|\s)step=\s*(\d+)(?=\s|$)/.exec(title);
  if (s) out.step = Number(s[1]);
  return out;
};

/** GROMACS .gro structures and trajectories (frames one after another). */
export const gro: Format = {
  name: 'gro',
  description: 'GROMACS .gro structure/trajectory, nm -> A (read, write)',
  multiFrame: true,
  matchesName: (b) => b.endsWith('.gro'),
  sniff: (_h, text) => {
    const lines = text.split(/\r?\n/, 4);
    return (
      lines.length >= 4 &&
      /^\s*\d+\s*$/.test(lines[1]) &&
      /^[ \d-]{5}.{10}[ \d]{5}(\s*-?\d*\.\d+){3}/.test(lines[2])
    );
  },
  async *read(input, options) {
    const file = input.path;
    const r = new LineReader(openByteStream(input), file);
    const elements = new AtomElements();
    const byKey = new Map<number, string>();
    let topology: Topology | undefined;
    let symbols: string[] | undefined;
    let frameNo = 0;
    try {
      while (await r.next()) {
        let title = r.text();
        const frameLine = r.lineNo;
        if (frameNo > 0 && r.isBlank()) {
          // Blank lines after the last frame, or a blank title followed by an atom count.
          if (!(await r.next())) break;
          if (r.isBlank()) {
            while (await r.next())
              if (!r.isBlank()) throw r.error('the end of the file or the title of a frame');
            break;
          }
          r.unread();
          title = '';
        }
        frameNo++;
        const parseFrame = async () => {
          await r.need('the atom count');
          r.split();
          if (r.nfields !== 1) throw r.error('the atom count (one whole number)', r.nfields > 1 ? 1 : 0);
          const n = r.int(0, 'the atom count (one whole number)');
          if (n < 1) throw r.error('at least one atom', 0);
          if (symbols && n !== symbols.length)
            throw r.error(
              `${symbols.length} atoms, as in the first frame (the same atoms in every frame)`,
              0,
            );
          const positions = new Float64Array(3 * n);
          let velocities: Float64Array | undefined;
          const names: string[] = [];
          let w = 8;
          for (let i = 0; i < n; i++) {
            if (!r.tryNext() && !(await r.refill()))
              throw new ParseError({
                file,
                line: r.lineNo + 1,
                expected: `${n - i} more atom lines in frame ${frameNo} (${n} atoms)`,
                found: 'end of file',
              });
            if (r.isBlank()) throw r.error(`atom line ${i + 1} of ${n}`);
            if (i === 0) {
              w = fieldWidth(r);
              if (!isBlankColumns(r, 21 + 3 * w, 20 + 6 * w)) velocities = new Float64Array(3 * n);
            }
            if (!isIntegerColumns(r, 1, 5))
              throw columnError(r, 1, 'a residue number in columns 1-5', columnText(r, 1, 5) || '(blank)');
            if (!isIntegerColumns(r, 16, 20))
              throw columnError(r, 16, 'an atom number in columns 16-20', columnText(r, 16, 20) || '(blank)');
            // The element of this name, decoded once per distinct name.
            const key = columnKey(r, 11, 15);
            let el = byKey.get(key);
            if (el === undefined) {
              const name = columnText(r, 11, 15);
              if (name === '') throw columnError(r, 11, 'an atom name in columns 11-15', '(blank)');
              el = elements.of(name, '')!;
              byKey.set(key, el);
            }
            if (!symbols) names.push(el);
            else if (symbols[i] !== el)
              throw columnError(
                r,
                11,
                `atom ${i + 1} to be ${symbols[i]} as in the first frame (the same atoms in every frame)`,
                columnText(r, 11, 15),
              );
            const o = 3 * i;
            for (let d = 0; d < 3; d++)
              positions[o + d] = columnFloat(r, 21 + d * w, 20 + (d + 1) * w, POSITION_FIELDS[d]) * NM_IN_A;
            if (velocities) {
              for (let d = 0; d < 3; d++)
                velocities[o + d] =
                  columnFloat(r, 21 + (3 + d) * w, 20 + (4 + d) * w, VELOCITY_FIELDS[d]) *
                  NM_PER_PS_TO_A_PER_FS;
            } else if (!isBlankColumns(r, 21 + 3 * w, lineLength(r)))
              throw columnError(
                r,
                21 + 3 * w,
                'the end of the line (the first atom line has no velocities)',
                columnText(r, 21 + 3 * w, lineLength(r)),
              );
            if (!isBlankColumns(r, 21 + 6 * w, lineLength(r)))
              throw columnError(
                r,
                21 + 6 * w,
                'the end of the atom line',
                columnText(r, 21 + 6 * w, lineLength(r)),
              );
          }
          await r.need('the box line (3 or 9 numbers, nm)');
          const lattice = readBox(r);
          if (!symbols) {
            symbols = names;
            topology = new Topology({ symbols });
            elements.report(file, options, ' (GRO files have no element field)');
          }
          const frame: Frame = { positions, ...titleTime(title) };
          if (velocities) frame.velocities = velocities;
          if (lattice) frame.lattice = lattice;
          return { topology: topology!, frame };
        };
        // A trajectory cut inside its last frame keeps the frames before it; a first frame cut short is an error.
        const parsed =
          frameNo === 1
            ? await parseFrame()
            : await parseUnlessTorn(r, options, file, frameLine, frameNo, parseFrame);
        if (!parsed) return;
        yield parsed;
      }
      if (frameNo === 0)
        throw new ParseError({ file, line: 1, expected: 'a title line', found: 'end of file' });
    } finally {
      await r.close();
    }
  },
  async write(sink, frames, options) {
    let count = 0;
    let first: Topology | undefined;
    const comment = (options.comment ?? 'written by oligolyte').replace(/\s+/g, ' ').trim();
    for await (const { topology, frame } of frames) {
      count++;
      if (!first) first = topology;
      else if (!topology.sameAtoms(first))
        throw new OptionError(
          `frame ${count} has other atoms than the first: a .gro trajectory holds the same atoms in every frame`,
        );
      let positions = frame.positions;
      let lattice = frame.lattice;
      if (lattice) ({ lattice, positions } = inStandardOrientation(lattice, positions));
      let title = comment;
      if (frame.timeFs !== undefined) title += ` t= ${frame.timeFs / 1000}`; // ps; not fsToPs, whose x * 1e-3 prints 13 fs as 0.013000000000000001
      if (frame.step !== undefined) title += ` step= ${frame.step}`;
      const n = topology.natoms;
      const mol = topology.moleculeIds;
      const v = frame.velocities;
      const lines: string[] = [title, String(n).padStart(5)];
      for (let i = 0; i < n; i++) {
        const el = topology.symbol(i);
        const resnr = (mol ? Math.max(0, mol[i]) : 1) % 100000;
        let line = `${String(resnr).padStart(5)}MOL  ${el.padStart(5)}${String((i + 1) % 100000).padStart(5)}`;
        const o = 3 * i;
        const where = `frame ${count}, atom ${i + 1}:`;
        for (let d = 0; d < 3; d++)
          line += fixed(positions[o + d] / NM_IN_A, 8, 3, `${where} ${'xyz'[d]} (nm)`);
        if (v)
          for (let d = 0; d < 3; d++)
            line += fixed(v[o + d] / NM_PER_PS_TO_A_PER_FS, 8, 4, `${where} v${'xyz'[d]} (nm/ps)`);
        lines.push(line);
      }
      if (lattice) {
        const m = lattice.matrix.map((x) => x / NM_IN_A);
        const box = lattice.isOrthorhombic
          ? [m[0], m[4], m[8]]
          : [m[0], m[4], m[8], m[1], m[2], m[3], m[5], m[6], m[7]];
        lines.push(box.map((x) => fixed(x, 10, 5, 'box')).join(''));
      } else lines.push('   0.00000   0.00000   0.00000');
      sink.write(`${lines.join('\n')}\n`);
      await sink.flush();
    }
    if (count === 0) throw new OptionError('nothing to write: no frames');
    return count;
  },
};

const fixed = (x: number, width: number, digits: number, what: string): string =>
  fixedField(x, width, digits, what, 'the .gro');
