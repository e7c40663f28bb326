import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { ELEMENT_SYMBOLS } from '../../core/elements.js';
import { ParseError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { ASE_TIME_UNIT_FS } from '../../core/units.js';
import { type InputFile, inputError } from '../byte-source.js';
import type { Format } from '../format.js';
import { finiteWithin, firstBadValue, MAX_COORDINATE_A } from '../value-limits.js';

/**
 * ASE trajectory (.traj), the "Ulm" binary container that ase.io.Trajectory writes (file
 * versions 1-3). Layout, all integers little-endian int64:
 *   0: "- of Ulm" (8 bytes), tag "ASE-Trajectory" padded to 16 bytes,
 *   24: version, 32: item count n, 40: position of the offset table;
 *   offset table: n int64, one per frame, each pointing at: int64 length L, then L bytes of JSON.
 * Keys that end in "." hold arrays as {"ndarray": [shape, dtype, byte position]}; the raw array
 * sits elsewhere in the file (before its JSON). Frame 0 carries numbers, pbc and masses; later
 * frames repeat them only if they changed. Calculator results live under "calculator." (a nested
 * object; energy is a number, forces an ndarray, stress a JSON list in Voigt order).
 * Units are ASE's: A, eV, stress eV/A^3 (positive = tensile), momenta amu*A/(ASE time unit).
 */

/** Random access to the file's bytes: plain files by position, gzip files decompressed whole. */
interface RandomAccess {
  read(position: number, length: number, what: string): Promise<Uint8Array>;
  size: number;
  close(): Promise<void>;
}

const openRandomAccess = async (input: InputFile): Promise<RandomAccess> => {
  const check = (position: number, length: number, size: number, what: string) => {
    if (position < 0 || length < 0 || position + length > size)
      throw new ParseError({
        file: input.path,
        byteOffset: position,
        expected: `${what} (${length} bytes at byte ${position})`,
        found: `a file of ${size} bytes (truncated?)`,
      });
  };
  if (input.gzip) {
    // .traj.gz cannot be read by position; such files are small enough to hold decompressed.
    let all: Uint8Array;
    try {
      all = new Uint8Array(gunzipSync(readFileSync(input.path)));
    } catch (e) {
      throw inputError(input.path, e, 0);
    }
    return {
      size: all.length,
      read: async (p, l, what) => {
        check(p, l, all.length, what);
        return all.subarray(p, p + l);
      },
      close: async () => {},
    };
  }
  const fh = await open(input.path, 'r');
  const size = (await fh.stat()).size;
  return {
    size,
    read: async (p, l, what) => {
      check(p, l, size, what);
      const buf = new Uint8Array(l);
      await fh.read(buf, 0, l, p);
      return buf;
    },
    close: () => fh.close(),
  };
};

const int64At = (b: Uint8Array, o: number): number =>
  Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigInt64(o, true));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const DTYPE_BYTES: Record<string, number> = {
  float64: 8,
  float32: 4,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const aseTraj: Format = {
  name: 'ase-traj',
  description: 'ASE trajectory (.traj, Ulm binary), positions, cell, momenta, energy, forces, stress (read)',
  multiFrame: true,
  matchesName: (b) => b.endsWith('.traj'),
  sniff: (h) =>
    h.length >= 24 && Buffer.from(h.subarray(0, 22)).toString('latin1') === '- of UlmASE-Trajectory',
  async *read(input) {
    const f = await openRandomAccess(input);
    const fail = (byteOffset: number, expected: string, found?: string) =>
      new ParseError({ file: input.path, byteOffset, expected, found });
    try {
      const head = await f.read(0, 48, 'the Ulm header');
      const magic = Buffer.from(head.subarray(0, 8)).toString('latin1');
      if (magic !== '- of Ulm') throw fail(0, '"- of Ulm"', magic);
      const tag = Buffer.from(head.subarray(8, 24)).toString('latin1').trim();
      if (tag !== 'ASE-Trajectory') throw fail(8, 'the tag "ASE-Trajectory"', tag);
      const version = int64At(head, 24);
      if (version < 1 || version > 3) throw fail(24, 'Ulm file version 1, 2 or 3', String(version));
      const nitems = int64At(head, 32);
      const tablePos = int64At(head, 40);
      if (nitems < 0) throw fail(32, 'a non-negative frame count', String(nitems));
      if (nitems === 0) return;
      const table = await f.read(tablePos, 8 * nitems, 'the table of frame offsets');

      /** The JSON of one item, with the position it starts at (for error messages). */
      const readItem = async (k: number): Promise<{ json: JsonObject; at: number }> => {
        const at = int64At(table, 8 * k);
        const len = int64At(await f.read(at, 8, `the length of frame ${k}`), 0);
        const text = Buffer.from(await f.read(at + 8, len, `the JSON of frame ${k}`)).toString('utf8');
        let json: Json;
        try {
          json = JSON.parse(text.replace(/\bNaN\b/g, 'null').replace(/-?\bInfinity\b/g, 'null'));
        } catch (e) {
          throw fail(at + 8, `the JSON description of frame ${k}`, (e as Error).message);
        }
        if (!isObject(json)) throw fail(at + 8, `a JSON object for frame ${k}`, text);
        return { json, at: at + 8 };
      };

      /** A numeric array stored under key `name.` (or inline as a JSON list), flattened. */
      const array = async (
        obj: JsonObject,
        name: string,
        at: number,
        length: number,
        limit = Number.POSITIVE_INFINITY,
      ): Promise<Float64Array | undefined> => {
        const ref = obj[`${name}.`];
        let out: Float64Array;
        // Where value i stands: in the raw array, or (inline) in the frame's JSON.
        let valueAt = (_i: number) => at;
        if (ref === undefined) {
          const inline = obj[name];
          if (inline === undefined) return undefined;
          const flat = (Array.isArray(inline) ? inline.flat(3) : [inline]) as Json[];
          if (!flat.every((x) => typeof x === 'number'))
            throw fail(at, `numbers in "${name}"`, JSON.stringify(inline));
          out = Float64Array.from(flat as number[]);
        } else {
          const nd = isObject(ref) ? ref.ndarray : undefined;
          if (!Array.isArray(nd) || nd.length !== 3 || !Array.isArray(nd[0]))
            throw fail(at, `{"ndarray": [shape, dtype, offset]} for "${name}."`, JSON.stringify(ref));
          const [shape, dtype, pos] = nd as [number[], string, number];
          const count = shape.reduce((a, b) => a * b, 1);
          const width = DTYPE_BYTES[dtype];
          if (width === undefined) throw fail(at, `a numeric dtype for "${name}"`, String(dtype));
          const raw = await f.read(pos, count * width, `the ${name} array`);
          valueAt = (i) => pos + i * width;
          const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
          out = new Float64Array(count);
          for (let i = 0; i < count; i++) {
            const o = i * width;
            out[i] =
              dtype === 'float64'
                ? dv.getFloat64(o, true)
                : dtype === 'float32'
                  ? dv.getFloat32(o, true)
                  : dtype === 'int64'
                    ? Number(dv.getBigInt64(o, true))
                    : dtype === 'int32'
                      ? dv.getInt32(o, true)
                      : dtype === 'int16'
                        ? dv.getInt16(o, true)
                        : dtype === 'int8'
                          ? dv.getInt8(o)
                          : dv.getUint8(o);
          }
        }
        if (length >= 0 && out.length !== length)
          throw fail(at, `${length} values in "${name}"`, `${out.length} values`);
        const bad = firstBadValue(out, limit);
        if (bad >= 0)
          throw fail(
            valueAt(bad),
            `${finiteWithin(limit, 'A')} numbers in "${name}" (value ${bad + 1})`,
            String(out[bad]),
          );
        return out;
      };

      let topology: Topology | undefined;
      let pbc: boolean[] = [true, true, true];
      for (let k = 0; k < nitems; k++) {
        const { json, at } = await readItem(k);
        const numbers = await array(json, 'numbers', at, -1);
        if (k === 0 && !numbers) throw fail(at, 'atomic numbers ("numbers.") in the first frame');
        if (Array.isArray(json.pbc)) pbc = json.pbc.map(Boolean);
        const masses = await array(json, 'masses', at, numbers ? numbers.length : topology!.natoms);
        if (numbers || masses) {
          const symbols = numbers
            ? Array.from(numbers, (z) => {
                if (!Number.isInteger(z) || z < 0 || z >= ELEMENT_SYMBOLS.length)
                  throw fail(at, 'atomic numbers 0..118', String(z));
                return ELEMENT_SYMBOLS[z];
              })
            : topology!.symbols;
          topology = new Topology({ symbols, masses: masses ?? (numbers ? undefined : topology!.masses) });
        }
        const n = topology!.natoms;
        const positions = await array(json, 'positions', at, 3 * n, MAX_COORDINATE_A);
        if (!positions) throw fail(at, `positions of frame ${k}`);
        const frame: Frame = { positions };
        const cell = await array(json, 'cell', at, 9, MAX_COORDINATE_A);
        if (cell && pbc.some(Boolean)) {
          try {
            frame.lattice = new Lattice(cell);
          } catch (e) {
            throw fail(at, `a non-singular cell in frame ${k}`, (e as Error).message);
          }
        }
        const momenta = await array(json, 'momenta', at, 3 * n);
        if (momenta) {
          for (let i = 0; i < 3 * n; i++) momenta[i] /= topology!.masses[(i / 3) | 0] * ASE_TIME_UNIT_FS;
          frame.velocities = momenta;
        }
        // Sub-objects are stored under 'name.' (Ulm's nested readers) or plain 'name' (older files).
        const calc = json['calculator.'] ?? json.calculator;
        if (isObject(calc)) {
          if (typeof calc.energy === 'number') frame.energy = calc.energy;
          // NaN and Infinity were read as null above: a calculator energy that is not a number.
          else if (calc.energy === null) throw fail(at, `a finite energy in frame ${k}`, 'NaN or Infinity');
          const forces = await array(calc, 'forces', at, 3 * n);
          if (forces) frame.forces = forces;
          const stress = await array(calc, 'stress', at, -1);
          if (stress)
            frame.stress = stressMatrix(stress, () => fail(at, 'a stress of 6 (Voigt) or 9 values'));
        }
        yield { topology: topology!, frame };
      }
    } finally {
      await f.close();
    }
  },
};

/** ASE Voigt order xx yy zz yz xz xy -> 3x3 row-major; 9 values are taken as they are. */
const stressMatrix = (s: Float64Array, bad: () => Error): Float64Array => {
  if (s.length === 9) return s;
  if (s.length !== 6) throw bad();
  const [xx, yy, zz, yz, xz, xy] = s;
  return Float64Array.of(xx, xy, xz, xy, yy, yz, xz, yz, zz);
};
