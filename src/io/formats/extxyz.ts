import { normaliseElementLabel } from '../../core/elements.js';
import { OptionError, ParseError } from '../../core/errors.js';
import type { Frame, Structure } from '../../core/frame.js';
import { Lattice } from '../../core/lattice.js';
import { det3, inv3, mul3 } from '../../core/linalg3.js';
import { Topology } from '../../core/topology.js';
import { ASE_TIME_UNIT_FS } from '../../core/units.js';
import { openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';
import { LineReader } from '../text/line-reader.js';
import { parseUnlessTorn } from '../torn-frame.js';

/**
 * Parse the key=value pairs of an extended-XYZ comment line (ASE/QUIP convention): values may be
 * double-quoted (with backslash escapes) or in braces; a key without '=' means true.
 */
export const parseExtxyzComment = (line: string): Map<string, string> => {
  const out = new Map<string, string>();
  const re = /\s*([^\s=]+)(?:\s*=\s*("(?:[^"\\]|\\.)*"|\{[^}]*\}|[^\s"]+))?/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(line)) !== null) {
    if (m[0].length === 0) break;
    last = re.lastIndex;
    let v = m[2] ?? 'T';
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    else if (v.startsWith('{')) v = v.slice(1, -1);
    out.set(m[1], v);
  }
  if (line.slice(last).trim() !== '') throw new SyntaxError(`cannot read "${line.slice(last).trim()}"`);
  return out;
};

interface Column {
  name: string;
  type: string;
  count: number;
  offset: number;
}

const parseProperties = (spec: string): Column[] => {
  const parts = spec.split(':');
  if (parts.length % 3 !== 0) throw new SyntaxError(`Properties "${spec}" is not name:type:count triplets`);
  const cols: Column[] = [];
  let offset = 0;
  for (let i = 0; i < parts.length; i += 3) {
    const count = Number(parts[i + 2]);
    if (!Number.isInteger(count) || count < 1)
      throw new SyntaxError(`Properties: bad count "${parts[i + 2]}"`);
    cols.push({ name: parts[i], type: parts[i + 1].toUpperCase(), count, offset });
    offset += count;
  }
  return cols;
};

const nineNumbers = (v: string, key: string): Float64Array => {
  const t = v
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (t.length !== 9 || t.some((x) => !Number.isFinite(x)))
    throw new SyntaxError(`${key} needs 9 numbers, got "${v}"`);
  return Float64Array.from(t);
};

/** Extended XYZ (as written by ASE) and plain XYZ: any number of frames. */
export const extxyz: Format = {
  name: 'extxyz',
  description: 'Extended XYZ (ASE) and plain XYZ (read, write)',
  multiFrame: true,
  matchesName: (b) => /\.(ext)?xyz$/.test(b),
  sniff: (_h, text) => {
    const lines = text.split(/\r?\n/, 3);
    return lines.length >= 2 && /^\s*\d+\s*$/.test(lines[0]);
  },
  async *read(input, options) {
    const r = new LineReader(openByteStream(input), input.path);
    const symbolByCode = new Map<number, number>();
    let topology: Topology | undefined;
    let previousLattice: Lattice | undefined;
    let elements: string[] = [];
    let frameNo = 0;
    try {
      while (await r.next()) {
        if (r.isBlank()) {
          // Blank lines between frames are tolerated only at the very end of the file.
          while (await r.next())
            if (!r.isBlank()) throw r.error('an atom count line (or the end of the file)');
          break;
        }
        frameNo++;
        const frameLine = r.lineNo;
        const parseFrame = async (): Promise<Structure> => {
          r.split();
          if (r.nfields !== 1) throw r.error('the atom count (one whole number)', r.nfields > 1 ? 1 : 0);
          const n = r.int(0, 'the atom count (one whole number)');
          if (n < 0) throw r.error('a non-negative atom count', 0);
          await r.need('the comment line of the frame');
          const commentLine = r.lineNo;
          let info: Map<string, string>;
          try {
            info = parseExtxyzComment(r.text());
          } catch (e) {
            throw new ParseError({
              file: input.path,
              line: commentLine,
              expected: 'key=value pairs',
              found: (e as Error).message,
            });
          }
          const plain = !info.has('Properties');
          let cols: Column[];
          try {
            cols = parseProperties(info.get('Properties') ?? 'species:S:1:pos:R:3');
          } catch (e) {
            throw new ParseError({
              file: input.path,
              line: commentLine,
              expected: 'Properties=name:type:count:...',
              found: (e as Error).message,
            });
          }
          const ncols = cols.reduce((s, c) => s + c.count, 0);
          const col = (...names: string[]) => cols.find((c) => names.includes(c.name));
          const sp = col('species', 'element', 'symbols');
          const pos = col('pos', 'positions');
          if (sp?.type !== 'S') throw r.error('a species:S:1 property');
          if (pos?.count !== 3) throw r.error('a pos:R:3 property');
          const frc = col('forces', 'force');
          const vel = col('velocities', 'vel', 'velo');
          const mom = col('momenta');
          const mass = col('masses', 'mass');
          const chg = col('charges', 'initial_charges', 'charge');
          const frame: Frame = { positions: new Float64Array(3 * n) };
          const forces = frc ? new Float64Array(3 * n) : undefined;
          const velocities = vel || mom ? new Float64Array(3 * n) : undefined;
          const masses = mass ? new Float64Array(n) : undefined;
          const charges = chg ? new Float64Array(n) : undefined;
          const speciesIdx = new Uint16Array(n);
          const p = frame.positions;
          for (let i = 0; i < n; i++) {
            if (!r.tryNext() && !(await r.refill()))
              throw new ParseError({
                file: input.path,
                line: r.lineNo + 1,
                expected: `${n - i} more atom lines in frame ${frameNo} (${n} atoms)`,
                found: 'end of file',
              });
            const nf = r.split();
            if (nf < ncols || (!plain && nf > ncols))
              throw r.error(
                `${ncols} columns per atom line (${cols.map((c) => c.name).join(' ')})`,
                Math.min(nf, ncols),
              );
            // Species: look up by the first bytes, decoding text only for a new label.
            const b = r.buf;
            const s0 = r.fieldStart[sp.offset];
            const len = r.fieldEnd[sp.offset] - s0;
            const code =
              len <= 3
                ? len | (b[s0] << 2) | (len > 1 ? b[s0 + 1] << 10 : 0) | (len > 2 ? b[s0 + 2] << 18 : 0)
                : -1;
            let k = code >= 0 ? symbolByCode.get(code) : undefined;
            if (k === undefined) {
              const label = r.field(sp.offset);
              const el = normaliseElementLabel(label);
              if (!el || el.length !== label.replace(/[^A-Za-z]/g, '').length)
                throw r.error('an element symbol', sp.offset);
              k = elements.indexOf(el);
              if (k < 0) {
                k = elements.length;
                elements = [...elements, el];
              }
              if (code >= 0) symbolByCode.set(code, k);
            }
            speciesIdx[i] = k;
            const o = 3 * i;
            p[o] = r.coordinate(pos.offset, 'a position (number)');
            p[o + 1] = r.coordinate(pos.offset + 1, 'a position (number)');
            p[o + 2] = r.coordinate(pos.offset + 2, 'a position (number)');
            if (forces)
              for (let d = 0; d < 3; d++) forces[o + d] = r.float(frc!.offset + d, 'a force component');
            if (velocities) {
              const c = (vel ?? mom)!;
              for (let d = 0; d < 3; d++) velocities[o + d] = r.float(c.offset + d, 'a velocity component');
            }
            if (masses) {
              masses[i] = r.float(mass!.offset, 'a mass');
              if (!(masses[i] > 0)) throw r.error('a positive mass', mass!.offset);
            }
            if (charges) charges[i] = r.float(chg!.offset, 'a charge');
          }
          try {
            const lat = info.get('Lattice');
            if (lat !== undefined) frame.lattice = new Lattice(nineNumbers(lat, 'Lattice'));
            const pbc = info.get('pbc');
            if (pbc !== undefined && /^\s*(F|False|0)(\s+(F|False|0)){2}\s*$/i.test(pbc))
              frame.lattice = undefined;
            const st = info.get('stress');
            if (st !== undefined) frame.stress = nineNumbers(st, 'stress');
          } catch (e) {
            throw new ParseError({
              file: input.path,
              line: commentLine,
              expected: 'a valid Lattice/stress',
              found: (e as Error).message,
            });
          }
          if (frame.lattice && previousLattice)
            frame.lattice = alignToPrevious(frame.lattice, previousLattice, input.path, commentLine, frameNo);
          previousLattice = frame.lattice;
          const num = (key: string) => {
            const v = info.get(key);
            if (v === undefined) return undefined;
            const x = Number(v);
            if (!Number.isFinite(x))
              throw new ParseError({
                file: input.path,
                line: commentLine,
                expected: `a number for ${key}=`,
                found: v,
              });
            return x;
          };
          const energy = num('energy') ?? num('free_energy');
          if (energy !== undefined) frame.energy = energy;
          const time = num('time');
          if (time !== undefined) frame.timeFs = time;
          const step = num('step');
          if (step !== undefined) frame.step = step;
          if (forces) frame.forces = forces;

          // A frame of the same size is the same atoms: one whose element changes contradicts the
          // frames before it (issue 25 item 5: read on, its atom would be analysed, or written by
          // `convert`, as what it was). A change of size is a new set of atoms, which extended XYZ
          // allows (consumers that need fixed atoms check the count).
          if (topology?.natoms === n && !sameSpecies(topology, speciesIdx, elements)) {
            let i = 0;
            while (topology.symbol(i) === elements[speciesIdx[i]]) i++;
            throw new ParseError({
              file: input.path,
              line: commentLine + 1 + i,
              expected: `atom ${i + 1} of frame ${frameNo} to be ${topology.symbol(i)}, as in the frame before: an atom keeps its element through a trajectory (a file of unrelated structures of one size is not a trajectory)`,
              found: elements[speciesIdx[i]],
            });
          }
          // Reuse the previous topology when the atoms are the same, so consumers can compare by identity.
          if (
            !topology ||
            topology.natoms !== n ||
            masses ||
            charges ||
            !sameSpecies(topology, speciesIdx, elements)
          ) {
            const symbols = Array.from(speciesIdx, (k) => elements[k]);
            topology = new Topology({ symbols, masses, charges });
          }
          if (velocities) {
            // ASE momenta (amu A / ASE time unit) -> velocities (A/fs), with the atoms' masses.
            if (mom && !vel)
              for (let i = 0; i < 3 * n; i++)
                velocities[i] /= topology.masses[(i / 3) | 0] * ASE_TIME_UNIT_FS;
            frame.velocities = velocities;
          }
          return { topology, frame, source: { file: input.path, line: frameLine } };
        };
        const parsed = await parseUnlessTorn(r, options, input.path, frameLine, frameNo, parseFrame);
        if (!parsed) return;
        yield parsed;
      }
    } finally {
      await r.close();
    }
  },
  async write(sink, frames, options) {
    let count = 0;
    for await (const { topology, frame } of frames) {
      count++;
      const n = topology.natoms;
      let props = 'species:S:1:pos:R:3';
      if (frame.velocities) props += ':velocities:R:3';
      if (frame.forces) props += ':forces:R:3';
      let comment = '';
      if (frame.lattice) comment += `Lattice="${Array.from(frame.lattice.matrix, String).join(' ')}" `;
      comment += `Properties=${props}`;
      if (frame.energy !== undefined) comment += ` energy=${frame.energy}`;
      if (frame.stress) comment += ` stress="${Array.from(frame.stress, String).join(' ')}"`;
      if (frame.timeFs !== undefined) comment += ` time=${frame.timeFs}`;
      if (frame.step !== undefined) comment += ` step=${frame.step}`;
      if (options.comment && count === 1)
        comment += ` comment="${options.comment.replace(/["\\]/g, '\\$&')}"`;
      comment += frame.lattice ? ' pbc="T T T"' : ' pbc="F F F"';
      const lines: string[] = [String(n), comment];
      const p = frame.positions;
      const v = frame.velocities;
      const f = frame.forces;
      for (let i = 0; i < n; i++) {
        const o = 3 * i;
        let l = `${topology.symbol(i).padEnd(2)} ${p[o]} ${p[o + 1]} ${p[o + 2]}`;
        if (v) l += ` ${v[o]} ${v[o + 1]} ${v[o + 2]}`;
        if (f) l += ` ${f[o]} ${f[o + 1]} ${f[o + 2]}`;
        lines.push(l);
      }
      sink.write(`${lines.join('\n')}\n`);
      await sink.flush();
    }
    if (count === 0) throw new OptionError('nothing to write: no frames');
    return count;
  },
};

/**
 * A frame's cell, described as the previous frame described it. A cell whose vectors are an
 * integer recombination of the previous ones (a = -a, two vectors swapped, a + b for b, as tools
 * write after a reduction; M = U M_prev with U integer, det U = +-1, up to the strain of one
 * frame) generates the same lattice, and extended XYZ positions are Cartesian: it changes nothing
 * physical, but would change every fractional coordinate and the unwrapping between the frames.
 * It is read as U^-1 M, so the result does not change (issue 25 item 5). What remains mirrored
 * after that, a cell whose handedness differs from the frame before, is not the same lattice and
 * cannot come from a continuous run (the volume would pass through zero): an error at the frame's
 * comment line.
 */
const alignToPrevious = (
  lattice: Lattice,
  previous: Lattice,
  file: string,
  line: number,
  frameNo: number,
): Lattice => {
  let aligned = lattice;
  const u = mul3(lattice.matrix, previous.inverse);
  const whole = u.map(Math.round);
  const isIdentity = whole.every((x, k) => x === (k % 4 === 0 ? 1 : 0));
  if (!isIdentity && Math.abs(det3(whole)) === 1 && u.every((x, k) => Math.abs(x - whole[k]) < 0.1))
    aligned = new Lattice(mul3(inv3(whole), lattice.matrix).map((x) => x + 0)); // -0 -> 0
  if (Math.sign(aligned.signedVolume) !== Math.sign(previous.signedVolume))
    throw new ParseError({
      file,
      line,
      expected: `a Lattice in frame ${frameNo} with the handedness of the frame before (the sign of its determinant), or the same lattice`,
      found: `a mirrored cell (determinant ${lattice.signedVolume.toPrecision(6)} A^3, before ${previous.signedVolume.toPrecision(6)} A^3)`,
    });
  return aligned;
};

const sameSpecies = (t: Topology, idx: Uint16Array, elements: string[]): boolean => {
  for (let i = 0; i < idx.length; i++) if (t.symbol(i) !== elements[idx[i]]) return false;
  return true;
};
