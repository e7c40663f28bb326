/**
 * Issue 25: every registered reader against a fixed set of corruptions of a valid sample. Each
 * outcome falls in one class, and each corruption says which classes it allows:
 *
 * - same: the frames of the valid file (count, elements, positions bit for bit, and the same
 *   lattice: equal cells, or cells that generate the same lattice, M' = U M with U an integer
 *   matrix of determinant +-1, for formats with Cartesian positions);
 * - prefix: the first k < n frames of the valid file (a trajectory cut at or inside a frame: the
 *   torn frame is dropped with a warning, as torn-frame.ts says);
 * - located: a ParseError naming the file and a line (text) or a byte offset (binary), or an
 *   OligolyteError whose message names the file;
 * - different: frames read, no error, but other numbers or atoms than the valid file's;
 * - crash: any error that is not an OligolyteError (TypeError, RangeError, ...): never allowed.
 *
 * What must be detected (located, or prefix where a trajectory's last frame is torn): NaN in a
 * number the reader uses (NaN where the reader ignores the field reads as the same result), a
 * file that ends inside a frame, a cell sign swap that makes a negative length or a left-handed
 * cell where positions are fractional, an atom id that changes inside a trajectory. What may
 * legitimately succeed with another result: a flipped byte (a digit for another digit, 'O' for
 * 'N', a compressed XTC bit: the file is still valid and nothing can tell) and a file cut inside
 * its very last number ("2.5" -> "2.": a shorter number, the one value that may differ). Dropping
 * the final newline must give the same result. A swapped cell sign in a format with Cartesian
 * positions (extended XYZ, ASE .traj) is the same lattice and must read the same.
 *
 * Formats with a writer get their sample from it; the others from test/fixtures or a generator
 * here (DCD, NPY). A registered format without either fails the test, asking for one; the two
 * format-specific corruptions (cell sign, atom id) must be declared for every format too.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OligolyteError, ParseError } from '../../src/core/errors.js';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { det3, inv3, mul3 } from '../../src/core/linalg3.js';
import { Topology } from '../../src/core/topology.js';
import type { Format } from '../../src/io/format.js';
import { FORMATS, type OpenOptions, readFrames, writeFrames } from '../../src/io/registry.js';
import { fixture, seededRandom, tempDir } from '../helpers.js';

// ---------------------------------------------------------------- samples

const TOPOLOGY = new Topology({ symbols: ['Li', 'Al', 'O', 'Cl', 'Cl', 'Li'] });
const CELL = Lattice.fromParameters({ a: 9, b: 10, c: 11, alpha: 80, beta: 100, gamma: 115 });
const FRAMES: Structure[] = [0, 1, 2].map((k) => ({
  topology: TOPOLOGY,
  frame: {
    positions: CELL.toCartesian(
      Float64Array.from({ length: 18 }, (_, i) => (i * 0.1373 + k * 0.0311 + 0.05) % 0.9),
    ),
    lattice: CELL,
    step: 10 * k,
  },
}));

interface Sample {
  bytes: Uint8Array;
  options: OpenOptions;
  binary: boolean;
}

/** A CHARMM DCD (little-endian, 4-byte markers) of FRAMES in an orthorhombic 9 x 10 x 11 A cell. */
const makeDcd = (): Uint8Array => {
  const n = TOPOLOGY.natoms;
  const parts: Buffer[] = [];
  const record = (body: Buffer) => {
    const m = Buffer.alloc(4);
    m.writeInt32LE(body.length);
    parts.push(m, body, m);
  };
  const head = Buffer.alloc(84);
  head.write('CORD', 0, 'latin1');
  head.writeInt32LE(FRAMES.length, 4); // frames
  head.writeInt32LE(1, 12); // steps between frames
  head.writeInt32LE(1, 4 + 4 * 10); // unit cell present
  head.writeInt32LE(24, 4 + 4 * 19); // CHARMM version
  record(head);
  const title = Buffer.alloc(84, 32);
  title.writeInt32LE(1, 0);
  record(title);
  const count = Buffer.alloc(4);
  count.writeInt32LE(n);
  record(count);
  for (const s of FRAMES) {
    const cell = Buffer.alloc(48);
    for (const [k, v] of [9, 90, 10, 90, 90, 11].entries()) cell.writeDoubleLE(v, 8 * k);
    record(cell);
    const frac = CELL.toFractional(s.frame.positions);
    for (let d = 0; d < 3; d++) {
      const xyz = Buffer.alloc(4 * n);
      for (let i = 0; i < n; i++) xyz.writeFloatLE([9, 10, 11][d] * frac[3 * i + d], 4 * i);
      record(xyz);
    }
  }
  return Buffer.concat(parts);
};

/** An NPY version 1.0 array (frames, atoms, 3) of float64 fractional coordinates of FRAMES. */
const makeNpy = (): Uint8Array => {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${FRAMES.length}, ${TOPOLOGY.natoms}, 3), }`;
  header = `${header.padEnd(64 * Math.ceil((header.length + 11) / 64) - 11, ' ')}\n`;
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  const data = Buffer.alloc(8 * 18 * FRAMES.length);
  for (const [k, s] of FRAMES.entries())
    for (const [i, v] of CELL.toFractional(s.frame.positions).entries())
      data.writeDoubleLE(v, 8 * (18 * k + i));
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), data]);
};

/**
 * The random-walk XTC of test/fixtures with a box (its own is zero): a 20 nm cube in every frame.
 * Frames: magic, atoms, step, time, box (9 float32), atoms, precision, 6 ints, small index, then
 * the compressed bytes, counted and padded to 4 (big-endian throughout).
 */
const xtcWithBox = (): Uint8Array => {
  const b = Buffer.from(readFileSync(fixture('mdanalysis-like/random-walk.xtc')));
  for (let o = 0; o < b.length; o = o + 92 + Math.ceil(b.readInt32BE(o + 88) / 4) * 4)
    for (const k of [0, 4, 8]) b.writeFloatBE(20, o + 16 + 4 * k);
  return b;
};

/** Binary places that the generic search (a returned value's bytes) cannot find. */
const BINARY_SPOTS: Record<
  string,
  {
    nan?: (b: Uint8Array) => { at: number; width: 4 | 8; little: boolean };
    cellSign?: (b: Uint8Array) => Uint8Array;
  }
> = {
  // XTC coordinates are compressed: NaN goes into the first box value, the sign too.
  xtc: {
    nan: () => ({ at: 16, width: 4, little: false }),
    cellSign: (bytes) => {
      const b = Uint8Array.from(bytes);
      b[16] ^= 0x80;
      return b;
    },
  },
  // The generated NPY: its first value (the data are the file's last bytes).
  npy: { nan: (b) => ({ at: b.length - 8 * 18 * FRAMES.length, width: 8, little: true }) },
  // ASE keeps a small cell in the frame's JSON: "[[6.0, ..." -> "[[-6 , ..." (same length).
  'ase-traj': {
    cellSign: (bytes) =>
      bytesOf(
        sub(latin1(bytes), /("cell": \[\[)(\d+)\.\d(?=,)/, (_a, before, whole) => `${before}-${whole} `),
      ),
  },
};

/** Samples of the formats that cannot be written: a fixture or a generator. */
const UNWRITABLE: Record<string, () => Sample> = {
  dcd: () => ({ bytes: makeDcd(), options: {}, binary: true }),
  npy: () => ({ bytes: makeNpy(), options: { topology: TOPOLOGY, cell: CELL }, binary: true }),
  xtc: () => ({ bytes: xtcWithBox(), options: {}, binary: true }),
  'ase-traj': () => ({ bytes: readFileSync(fixture('ase-rich.traj')), options: {}, binary: true }),
  vasprun: () => ({ bytes: readFileSync(fixture('vasprun-md.xml')), options: {}, binary: false }),
  'pymatgen-json': () => ({
    bytes: readFileSync(fixture('pymatgen-trajectory.json')),
    options: {},
    binary: false,
  }),
};

const sampleOf = async (f: Format): Promise<Sample | undefined> => {
  if (f.write) {
    const path = join(tempDir(), 'sample');
    await writeFrames(path, f.multiFrame ? FRAMES : FRAMES.slice(0, 1), { format: f.name });
    return { bytes: readFileSync(path), options: {}, binary: false };
  }
  return UNWRITABLE[f.name]?.();
};

// ------------------------------------------------- format-specific corruptions

type Text = (text: string) => string;
/** Replace the first match of `re` in `text` by `by` (a function of the match), checked to match. */
const sub = (text: string, re: RegExp, by: (...m: string[]) => string): string => {
  const m = re.exec(text);
  if (!m) throw new Error(`the sample has no ${re}`);
  return text.slice(0, m.index) + by(...m) + text.slice(m.index + m[0].length);
};
/** Negate the number that starts the first match of `re`'s group 2, keeping the column width. */
const negate = (text: string, re: RegExp): string =>
  sub(text, re, (_all, before, num) => `${before}${flipSign(num)}`);
const flipSign = (num: string) => {
  const t = num.trimStart();
  const pad = num.length - t.length;
  const flipped = t.startsWith('-') ? t.slice(1) : `-${t}`;
  return ' '.repeat(Math.max(0, pad - (flipped.length - t.length))) + flipped;
};

/**
 * The cell sign swap of each format (text formats; binary ones flip the sign of the cell's first
 * number where it is stored) and what it must give; null where a format has no cell.
 */
const CELL_SIGN: Record<string, { corrupt?: Text; allowed: Kind[]; why: string } | null> = {
  extxyz: {
    corrupt: (t) => negate(t, /(Lattice=")(\S+)/),
    allowed: ['same', 'located'],
    why: 'Cartesian positions: the same lattice',
  },
  poscar: {
    corrupt: (t) => negate(t, /^(.*\n.*\n\s*)(\S+)/),
    allowed: ['located'],
    why: 'left-handed, fractional (VASP refuses it)',
  },
  xdatcar: {
    corrupt: (t) => negate(t, /^(.*\n.*\n\s*)(\S+)/),
    allowed: ['located'],
    why: 'left-handed, fractional (VASP refuses it)',
  },
  'lammps-dump': {
    corrupt: (t) => negate(t, /(ITEM: BOX BOUNDS[^\n]*\n\S+\s+)(\S+)/),
    allowed: ['located'],
    why: 'xhi < xlo',
  },
  'lammps-data': {
    corrupt: (t) => negate(t, /(\S+\s+)(\S+)(?=\s+xlo xhi)/),
    allowed: ['located'],
    why: 'xhi < xlo',
  },
  cif: {
    corrupt: (t) => negate(t, /(_cell_length_a\s+)(\S+)/),
    allowed: ['located'],
    why: 'a negative length',
  },
  mmcif: {
    corrupt: (t) => negate(t, /(_cell\.length_a\s+)(\S+)/),
    allowed: ['located'],
    why: 'a negative length',
  },
  pdb: { corrupt: (t) => negate(t, /(CRYST1)(.{9})/), allowed: ['located'], why: 'a negative length' },
  gro: {
    corrupt: (t) => negate(t, /(\n)(\s+[-\d.]+)(?=(\s+[-\d.]+){8}\s*\n)/),
    allowed: ['same', 'located'],
    why: 'a box vector with Cartesian positions: the same lattice',
  },
  vasprun: {
    corrupt: (t) => negate(t, /(<varray name="basis" >\s*<v>\s*)(\S+)/),
    allowed: ['located'],
    why: 'left-handed, fractional (VASP refuses it)',
  },
  'pymatgen-json': {
    corrupt: (t) => negate(t, /("lattice": \[\s*\[\s*\[)(\S+?)(?=,)/),
    allowed: ['located'],
    why: 'left-handed with fractional sites: another crystal',
  },
  dcd: { allowed: ['located'], why: 'a negative length A' },
  xtc: { allowed: ['same', 'located'], why: 'a box vector with Cartesian positions: the same lattice' },
  'ase-traj': { allowed: ['same', 'located'], why: 'Cartesian positions: the same lattice' },
  npy: null, // the cell comes from the options
};

/**
 * The atom id change of each format with ids, and what it must give; null where atoms are
 * identified by their order only.
 */
const ID_CHANGE: Record<string, { corrupt: Text; allowed: Kind[]; why: string } | null> = {
  // Frame 2's first atom gets id 99: in a trajectory an atom keeps its id.
  'lammps-dump': {
    corrupt: (t) => sub(t, /(ITEM: ATOMS[^\n]*\n[\s\S]*?ITEM: ATOMS[^\n]*\n)1 /, (_a, b) => `${b}99 `),
    allowed: ['located'],
    why: 'an id that changes inside a trajectory',
  },
  // A single structure with ids 2..6, 99: valid, its atoms in id order.
  'lammps-data': {
    corrupt: (t) => sub(t, /(Atoms[^\n]*\n\n)1 /, (_a, b) => `${b}99 `),
    allowed: ['located', 'same', 'permuted'],
    why: 'a single structure: ids order the atoms',
  },
  // PDB serials and GRO atom numbers are labels (they wrap at 99999); mmCIF ids order nothing.
  pdb: {
    corrupt: (t) => sub(t, /(MODEL\s+2\s*\nATOM {2})(\s*1)(?= )/, (_a, b) => `${b}   99`),
    allowed: ['located', 'same'],
    why: 'serials are labels; never other atoms',
  },
  gro: {
    corrupt: (t) => sub(t, /(step= 10\n.*\n.{15})(\s*1)(?= )/, (_a, b) => `${b}   99`),
    allowed: ['located', 'same'],
    why: 'atom numbers are labels; never other atoms',
  },
  mmcif: {
    corrupt: (t) => sub(t, /((?:\nHETATM [^\n]*){6}\nHETATM )1 /, (_a, before) => `${before}99 `),
    allowed: ['located', 'same'],
    why: 'model 2: ids are labels; never other atoms',
  },
  extxyz: null,
  poscar: null,
  xdatcar: null,
  cif: null, // site labels are names, not ids
  vasprun: null,
  'pymatgen-json': null,
  dcd: null,
  xtc: null,
  npy: null,
  'ase-traj': null,
};

// ---------------------------------------------------------------- outcomes

type Kind = 'same' | 'prefix' | 'located' | 'different' | 'permuted' | 'one-number' | 'crash' | 'unlocated';
interface Outcome {
  kind: Kind;
  detail: string;
}

const sameLattice = (a?: Lattice, b?: Lattice): boolean => {
  if (!a || !b) return a === b;
  if (a.equals(b, 0)) return true;
  const u = mul3(b.matrix, inv3(a.matrix));
  return (
    u.every((x) => Math.abs(x - Math.round(x)) < 1e-9) &&
    Math.abs(Math.abs(det3(u.map(Math.round))) - 1) < 1e-9
  );
};

/** undefined when the frames are the same, else where they differ. */
const compare = (got: Structure[], want: Structure[]): string | undefined => {
  if (got.length !== want.length) return `${got.length} frames, not ${want.length}`;
  for (let k = 0; k < got.length; k++) {
    const g = got[k];
    const w = want[k];
    if (g.topology.symbols.join() !== w.topology.symbols.join()) return `frame ${k + 1}: other elements`;
    if (!sameLattice(w.frame.lattice, g.frame.lattice)) return `frame ${k + 1}: another cell`;
    const p = g.frame.positions;
    const q = w.frame.positions;
    if (p.length !== q.length) return `frame ${k + 1}: other atoms`;
    for (let i = 0; i < p.length; i++)
      if (p[i] !== q[i]) return `frame ${k + 1}: position ${i} is ${p[i]}, not ${q[i]}`;
  }
  return undefined;
};

/** Same atoms and positions as `want`, in another order (one frame). */
const permuted = (got: Structure[], want: Structure[]): boolean => {
  if (got.length !== 1 || want.length !== 1) return false;
  const key = (s: Structure) =>
    Array.from({ length: s.topology.natoms }, (_, i) =>
      [s.topology.symbol(i), ...s.frame.positions.subarray(3 * i, 3 * i + 3)].join(' '),
    ).sort();
  return (
    key(got[0]).join('\n') === key(want[0]).join('\n') &&
    sameLattice(want[0].frame.lattice, got[0].frame.lattice)
  );
};

/**
 * One stored number differs: in one frame only, either one atom's position (one number of it,
 * or in fractional formats all three Cartesian components) or only the cell.
 */
const oneNumber = (got: Structure[], want: Structure[]): boolean => {
  if (got.length !== want.length) return false;
  const differing = got.flatMap((g, k) => (compare([g], [want[k]]) === undefined ? [] : [k]));
  if (differing.length !== 1) return false;
  const g = got[differing[0]];
  const w = want[differing[0]];
  if (g.topology.symbols.join() !== w.topology.symbols.join()) return false;
  const p = g.frame.positions;
  const q = w.frame.positions;
  if (p.length !== q.length) return false;
  const atoms = new Set<number>();
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) atoms.add(Math.floor(i / 3));
  const cellSame = sameLattice(w.frame.lattice, g.frame.lattice);
  return (cellSame && atoms.size === 1) || (!cellSame && atoms.size === 0);
};

const readAllOf = async (path: string, format: string, options: OpenOptions) => {
  const warnings: string[] = [];
  const frames: Structure[] = [];
  for await (const s of readFrames(path, { ...options, format, onWarning: (m) => warnings.push(m) }))
    frames.push(s);
  return { frames, warnings };
};

const classify = async (
  bytes: Uint8Array,
  format: string,
  sample: Sample,
  valid: Structure[],
): Promise<Outcome> => {
  const path = join(tempDir(), 'corrupt');
  writeFileSync(path, bytes);
  try {
    const { frames, warnings } = await readAllOf(path, format, sample.options);
    const diff = compare(frames, valid);
    if (!diff) return { kind: 'same', detail: '' };
    if (frames.length < valid.length && !compare(frames, valid.slice(0, frames.length)))
      return { kind: 'prefix', detail: `${frames.length} frames; ${warnings.join(' | ')}` };
    if (permuted(frames, valid)) return { kind: 'permuted', detail: diff };
    if (oneNumber(frames, valid)) return { kind: 'one-number', detail: diff };
    return { kind: 'different', detail: diff };
  } catch (e) {
    if (!(e instanceof OligolyteError))
      return {
        kind: 'crash',
        detail: `${(e as Error).name}: ${(e as Error).message}\n${(e as Error).stack}`,
      };
    if (e instanceof ParseError) {
      const located =
        e.file === path &&
        (sample.binary ? e.byteOffset !== undefined || e.line !== undefined : (e.line ?? 0) >= 1);
      return { kind: located ? 'located' : 'unlocated', detail: e.message };
    }
    return { kind: e.message.includes(path) ? 'located' : 'unlocated', detail: `${e.name}: ${e.message}` };
  }
};

// ------------------------------------------------------- generic corruptions

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const bytesOf = (s: string) => Buffer.from(s, 'latin1');

/** Numeric tokens of a text: [start, end) offsets. */
const numberTokens = (text: string): [number, number][] => {
  const out: [number, number][] = [];
  const re = /(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
};

/** The file cut just after the first field of the line that holds byte `at`. */
const cutInLine = (text: string, at: number): string => {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  while (i < text.length && !/\s/.test(text[i])) i++;
  return text.slice(0, i);
};

/** Where a float value is stored in binary data (float64, or float32 when it is one; either byte order). */
const findFloat = (
  bytes: Uint8Array,
  value: number,
): { at: number; width: 4 | 8; little: boolean } | undefined => {
  const b = Buffer.from(bytes);
  for (const width of [8, 4] as const)
    for (const little of [true, false]) {
      const pat = Buffer.alloc(width);
      if (width === 4 && Math.fround(value) !== value) continue; // not a float32 value
      if (width === 8) little ? pat.writeDoubleLE(value) : pat.writeDoubleBE(value);
      else little ? pat.writeFloatLE(value) : pat.writeFloatBE(value);
      const at = b.indexOf(pat);
      if (at >= 0) return { at, width, little };
    }
  return undefined;
};

interface Case {
  name: string;
  bytes: (sample: Sample, valid: Structure[]) => Uint8Array | undefined;
  allowed: Kind[];
}

const FLIP_SEED = 25;

const textCases = (format: string): Case[] => {
  const cases: Case[] = [
    {
      name: 'drop the final newline',
      bytes: (s) => bytesOf(latin1(s.bytes).replace(/\r?\n$/, '')),
      allowed: ['same'],
    },
  ];
  for (const f of [0.3, 0.55, 0.8])
    cases.push({
      name: `truncate inside a frame (after the first field of the line at ${f * 100} %)`,
      bytes: (s) => bytesOf(cutInLine(latin1(s.bytes), Math.floor(f * s.bytes.length))),
      allowed: ['located', 'prefix'],
    });
  cases.push({
    name: 'truncate inside the last number (a shorter number: the one value that may differ)',
    bytes: (s) => {
      const text = latin1(s.bytes);
      const tokens = numberTokens(text).filter(([a, b]) => b - a >= 2);
      const [a, b] = tokens[tokens.length - 1];
      return bytesOf(text.slice(0, a + Math.ceil((b - a) / 2)));
    },
    allowed: ['located', 'prefix', 'same', 'one-number'],
  });
  const random = seededRandom(FLIP_SEED);
  const flips = [random(), random(), random()];
  for (const [k, u] of flips.entries())
    cases.push({
      name: `flip a byte (${k + 1}: XOR 1 at ${(u * 100).toFixed(1)} % of the file; may stay valid)`,
      bytes: (s) => {
        const b = Uint8Array.from(s.bytes);
        b[Math.floor(u * b.length)] ^= 1;
        return b;
      },
      allowed: ['same', 'prefix', 'located', 'different', 'permuted', 'one-number'],
    });
  for (const [k, pick] of (['a third in', 'half way', 'two thirds in', 'the last'] as const).entries())
    cases.push({
      name: `NaN for ${pick} number (detected, or the same result where the reader ignores the field)`,
      bytes: (s) => {
        const text = latin1(s.bytes);
        const tokens = numberTokens(text);
        const j = k === 3 ? tokens.length - 1 : Math.floor(((k + 1) * tokens.length) / 4);
        const [a, b] = tokens[j];
        return bytesOf(`${text.slice(0, a)}NaN${text.slice(b)}`);
      },
      allowed: ['located', 'same'],
    });
  const cell = CELL_SIGN[format];
  if (cell?.corrupt) {
    const corrupt = cell.corrupt;
    cases.push({
      name: `swap the cell's sign (${cell.why})`,
      bytes: (s) => bytesOf(corrupt(latin1(s.bytes))),
      allowed: cell.allowed,
    });
  }
  const id = ID_CHANGE[format];
  if (id)
    cases.push({
      name: `change an atom id (${id.why})`,
      bytes: (s) => bytesOf(id.corrupt(latin1(s.bytes))),
      allowed: id.allowed,
    });
  return cases;
};

const binaryCases = (format: string): Case[] => {
  const cases: Case[] = [];
  for (const f of [0.37, 0.61, 0.83])
    cases.push({
      name: `truncate at ${f * 100} % of the bytes`,
      bytes: (s) => s.bytes.subarray(0, Math.floor(f * s.bytes.length)),
      allowed: ['located', 'prefix'],
    });
  const random = seededRandom(FLIP_SEED);
  for (const [k, u] of [random(), random(), random()].entries())
    cases.push({
      name: `flip a byte (${k + 1}: XOR 1 at ${(u * 100).toFixed(1)} % of the file; may stay valid)`,
      bytes: (s) => {
        const b = Uint8Array.from(s.bytes);
        b[Math.floor(u * b.length)] ^= 1;
        return b;
      },
      allowed: ['same', 'prefix', 'located', 'different', 'permuted', 'one-number'],
    });
  // NaN where a coordinate the reader returns is stored (found by its bytes); XTC compresses its
  // coordinates, so there the first box value.
  cases.push({
    name: 'NaN for a stored coordinate (XTC: a box value)',
    bytes: (s, valid) => {
      const f = valid[0].frame;
      const cell = f.lattice ?? s.options.cell;
      const hit =
        BINARY_SPOTS[format]?.nan?.(s.bytes) ??
        [f.positions[0], f.positions[1], cell?.toFractional(f.positions.subarray(0, 3))[0]]
          .map((v) => (v === undefined || v === 0 ? undefined : findFloat(s.bytes, v)))
          .find((h) => h !== undefined);
      if (!hit) return undefined;
      const b = Buffer.from(s.bytes);
      if (hit.width === 8)
        hit.little ? b.writeDoubleLE(Number.NaN, hit.at) : b.writeDoubleBE(Number.NaN, hit.at);
      else hit.little ? b.writeFloatLE(Number.NaN, hit.at) : b.writeFloatBE(Number.NaN, hit.at);
      return b;
    },
    allowed: ['located'],
  });
  const cell = CELL_SIGN[format];
  if (cell)
    cases.push({
      name: `swap the cell's sign (${cell.why})`,
      bytes: (s, valid) => {
        const custom = BINARY_SPOTS[format]?.cellSign;
        if (custom) return custom(s.bytes);
        const m = valid[0].frame.lattice?.matrix;
        const hit = m && findFloat(s.bytes, m[0]);
        if (!hit) return undefined;
        const b = Uint8Array.from(s.bytes);
        b[hit.little ? hit.at + hit.width - 1 : hit.at] ^= 0x80; // the sign bit
        return b;
      },
      allowed: cell.allowed,
    });
  return cases;
};

// ---------------------------------------------------------------- the walk

/**
 * Cases that fail for a reason being fixed elsewhere, each with the item that fixes it; it.fails
 * turns red when the fix lands, so that the entry is removed then.
 */
const KNOWN_FAILURES: Record<string, string> = {};

describe('every registered format has a sample and declared corruptions', () => {
  it('a sample (a writer, or an entry of UNWRITABLE)', () => {
    const missing = FORMATS.filter((f) => !f.write && !UNWRITABLE[f.name]).map((f) => f.name);
    expect(
      missing,
      `formats without a sample: add one to UNWRITABLE in test/io/fuzz-readers.test.ts`,
    ).toEqual([]);
  });
  it('a cell sign swap and an atom id change (or null: none in the format)', () => {
    const missing = FORMATS.filter((f) => !(f.name in CELL_SIGN) || !(f.name in ID_CHANGE)).map(
      (f) => f.name,
    );
    expect(
      missing,
      'declare CELL_SIGN and ID_CHANGE for these formats in test/io/fuzz-readers.test.ts',
    ).toEqual([]);
  });
});

for (const format of FORMATS) {
  describe(`${format.name}: corrupted samples`, async () => {
    const sample = await sampleOf(format);
    if (!sample) {
      it('has a sample', () => expect.fail(`${format.name} has no sample: add one to UNWRITABLE`));
      return;
    }
    const dir = tempDir();
    const validPath = join(dir, 'valid');
    writeFileSync(validPath, sample.bytes);
    const valid = (await readAllOf(validPath, format.name, sample.options)).frames;
    it('the valid sample reads', () => {
      expect(valid.length).toBeGreaterThan(0);
      if (format.write) {
        expect(valid.length).toBe(format.multiFrame ? FRAMES.length : 1);
        expect(valid[0].topology.symbols).toEqual(TOPOLOGY.symbols);
      }
    });
    for (const c of sample.binary ? binaryCases(format.name) : textCases(format.name)) {
      const run = KNOWN_FAILURES[`${format.name}: ${c.name}`] ? it.fails : it;
      run(c.name, async () => {
        const bytes = c.bytes(sample, valid);
        expect(bytes, 'the corruption applies to this sample').toBeDefined();
        const outcome = await classify(bytes!, format.name, sample, valid);
        expect(c.allowed, `${outcome.kind}: ${outcome.detail}`).toContain(outcome.kind);
      });
    }
  });
}
