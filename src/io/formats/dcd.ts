import { OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { BinaryReader } from '../binary/binary-reader.js';
import { openByteStream, openPullSource } from '../byte-source.js';
import { type Format, warn } from '../format.js';
import { finiteWithin, firstBadValue, MAX_COORDINATE_A, markPositionsChecked } from '../value-limits.js';

/**
 * CHARMM/NAMD/LAMMPS DCD: Fortran unformatted records (4- or 8-byte length markers, either byte
 * order). Header record: "CORD" + 20 control ints (0: frames, 1: first step, 2: steps between
 * frames, 8: fixed atoms, 10: unit cell flag, 11: 4th dimension flag, 19: CHARMM version); title
 * record; atom count record. Each frame: optional unit cell record of 6 doubles
 * [A, gamma, B, beta, alpha, C] (angles in degrees, or their cosines as LAMMPS writes them), then
 * X, Y and Z records of float32. Species come from the `topology` option (else 'X').
 */
/**
 * The cell of a DCD unit-cell record [A, gamma, B, beta, alpha, C] (angles in degrees, or their
 * cosines): a Lattice; undefined when all three lengths are 0 (writers without a periodic box);
 * else what is wrong with it (a NaN or byte-swapped double, a length that is not positive,
 * angles that make no cell), for an error at the record.
 */
const dcdCell = (u: number[], frameNo: number): Lattice | string | undefined => {
  const bad = firstBadValue(u);
  if (bad >= 0) return `a finite unit cell in frame ${frameNo} (value ${bad + 1} of 6 is not)`;
  if (u[0] === 0 && u[2] === 0 && u[5] === 0) return undefined;
  for (const [j, name] of [
    [0, 'A'],
    [2, 'B'],
    [5, 'C'],
  ] as const)
    if (!(u[j] > 0 && u[j] <= MAX_COORDINATE_A))
      return `cell lengths in (0, ${MAX_COORDINATE_A}] A in frame ${frameNo} (${name} is ${u[j]})`;
  const cosines = Math.abs(u[1]) <= 1 && Math.abs(u[3]) <= 1 && Math.abs(u[4]) <= 1;
  const deg = (x: number) => (cosines ? (Math.acos(x) * 180) / Math.PI : x);
  const [alpha, beta, gamma] = [deg(u[4]), deg(u[3]), deg(u[1])];
  try {
    if (![alpha, beta, gamma].every((x) => x > 0 && x < 180)) throw new RangeError('not in (0, 180) deg');
    return Lattice.fromParameters({ a: u[0], b: u[2], c: u[5], alpha, beta, gamma });
  } catch (e) {
    return `cell angles that make a cell in frame ${frameNo} (${alpha}, ${beta}, ${gamma} deg: ${(e as Error).message})`;
  }
};

/** True on little-endian hosts (every platform Node supports today, but say so, not assume). */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export const dcd: Format = {
  name: 'dcd',
  description: 'DCD binary trajectory, CHARMM/NAMD/LAMMPS, with unit cell (read)',
  multiFrame: true,
  matchesName: (b) => b.endsWith('.dcd'),
  sniff: (h) => {
    const s = (o: number) => String.fromCharCode(h[o], h[o + 1], h[o + 2], h[o + 3]);
    return h.length >= 12 && (s(4) === 'CORD' || s(8) === 'CORD');
  },
  async *read(input, options) {
    const pull = openPullSource(input);
    const r = pull
      ? new BinaryReader(pull, input.path, options.readWindow)
      : new BinaryReader(openByteStream(input), input.path);
    try {
      await r.need(16, 'a DCD header');
      const head = r.peekBytes(12);
      const marker8 = String.fromCharCode(head[8], head[9], head[10], head[11]) === 'CORD';
      const mlen = marker8 ? 8 : 4;
      r.littleEndian = new DataView(head.buffer, head.byteOffset).getInt32(0, true) === 84;
      const marker = () => (mlen === 8 ? r.int64() : r.int32());
      /** Read one Fortran record's start marker and check its length. */
      const open = async (expected: number | undefined, what: string) => {
        await r.need(mlen, what);
        const at = r.offset;
        const len = marker();
        if (len < 0 || (expected !== undefined && len !== expected))
          throw r.error(`${what} (record of ${expected} bytes)`, `a record of ${len} bytes`, at);
        await r.need(len + mlen, what);
        return len;
      };
      const close = (len: number, what: string) => {
        const at = r.offset;
        const end = marker();
        if (end !== len) throw r.error(`the end marker of ${what} (${len})`, String(end), at);
      };
      let len = await open(84, 'the DCD header record');
      r.skip(4); // "CORD"
      const ctl = new Int32Array(20);
      const ctlAt = r.offset;
      for (let k = 0; k < 20; k++) ctl[k] = r.int32();
      close(len, 'the header record');
      const charmm = ctl[19] !== 0;
      const hasCell = charmm && ctl[10] !== 0;
      const has4d = charmm && ctl[11] !== 0;
      if (ctl[8] !== 0)
        throw r.error(
          'no fixed atoms (DCD files with fixed atoms are not supported)',
          `${ctl[8]} fixed atoms`,
          ctlAt + 32,
        );
      len = await open(undefined, 'the title record');
      r.skip(len);
      close(len, 'the title record');
      len = await open(4, 'the atom count record');
      const n = r.int32();
      close(len, 'the atom count record');
      if (n < 1) throw r.error('a positive atom count', String(n));
      let topology = options.topology;
      if (topology && topology.natoms !== n)
        throw new OptionError(`${input.path} has ${n} atoms but the topology has ${topology.natoms}`);
      topology ??= new Topology({ symbols: new Array<string>(n).fill('X') });
      // Copies of coordinate records that are not 4-byte aligned in the read buffer, or that
      // arrive in the other byte order.
      const xyz = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
      const swapped = r.littleEndian !== HOST_LITTLE_ENDIAN;
      /** One coordinate record's values (a view into the read buffer when it can be). */
      const coordinates = (d: number): Float32Array => {
        const b = r.bytes(4 * n);
        if (swapped) {
          const out = xyz[d];
          const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
          for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, r.littleEndian);
          return out;
        }
        // The file's byte order is the host's: the record is the array (valid until the next
        // ensure(), and the frame is converted before that).
        if ((b.byteOffset & 3) === 0) return new Float32Array(b.buffer, b.byteOffset, n);
        new Uint8Array(xyz[d].buffer).set(b);
        return xyz[d];
      };
      /** Start marker of a record whose bytes are in the buffer: its length, checked. */
      const openNow = (expected: number, what: string) => {
        const at = r.offset;
        const len = marker();
        if (len !== expected)
          throw r.error(`${what} (record of ${expected} bytes)`, `a record of ${len} bytes`, at);
        return len;
      };
      // Bytes of a whole frame, so that one ensure() makes the frame available and its records
      // are read without waiting (the usual case: the read window holds many frames).
      const frameBytes = (hasCell ? 48 + 2 * mlen : 0) + (has4d ? 4 : 3) * (4 * n + 2 * mlen);
      // Frames are all the same size: the file's size says how many it holds (a torn last one
      // not counted), before any is read.
      if (!input.gzip) options.onFrameCount?.(Math.max(0, Math.floor((input.size - r.offset) / frameBytes)));
      const reuse = options.reusePositions === true;
      const into = options.positionsInto;
      const interleave = options.interleaveCoordinates ?? interleaveChecked;
      let shared: Float64Array | undefined;
      // Step numbers ISTART + k NSAVC only where NSAVC says something: VMD's and MDAnalysis's
      // writers put NSAVC = 1 whatever the spacing (kinisi's example_LAMMPS.dcd: frames 250
      // steps apart, NSAVC 1), and a transport analysis would take it as the truth.
      const steps = ctl[2] > 1;
      // A constant-volume run repeats one cell record: its Lattice is made once and shared.
      let lastCell: number[] | undefined;
      let lastLattice: Lattice | undefined;
      const u = [0, 0, 0, 0, 0, 0];
      const at = [0, 0, 0];
      const rec: Float32Array[] = [xyz[0], xyz[1], xyz[2]];
      let k = 0;
      for (; ; k++) {
        // A whole frame in the buffer: its records without an await each; else (the end of a
        // truncated file) record by record, for the error at the record that is cut short.
        const whole = await r.ensure(frameBytes);
        if (!whole && r.available === 0) break;
        const positions = into
          ? into()
          : reuse
            ? (shared ??= new Float64Array(3 * n))
            : new Float64Array(3 * n);
        if (positions.length !== 3 * n)
          throw new OptionError(`positionsInto gave ${positions.length} values for ${n} atoms`);
        const frame: Frame = { positions };
        if (steps) frame.step = ctl[1] + k * ctl[2];
        if (hasCell) {
          const what = `the unit cell of frame ${k + 1}`;
          len = whole ? openNow(48, what) : await open(48, what);
          const cellAt = r.offset;
          for (let j = 0; j < 6; j++) u[j] = r.float64();
          close(len, 'the unit cell record');
          if (lastLattice && lastCell?.every((v, j) => v === u[j])) frame.lattice = lastLattice;
          else {
            const cell = dcdCell(u, k + 1);
            if (typeof cell === 'object') frame.lattice = cell;
            else if (typeof cell === 'string') throw r.error(cell, `[${u.join(', ')}]`, cellAt);
            lastCell = [...u];
            lastLattice = frame.lattice;
          }
        }
        for (let d = 0; d < 3; d++) {
          const what = `the ${'XYZ'[d]} coordinates of frame ${k + 1} (truncated file?)`;
          len = whole ? openNow(4 * n, what) : await open(4 * n, what);
          at[d] = r.offset;
          rec[d] = coordinates(d);
          close(len, 'a coordinate record');
        }
        if (has4d) {
          len = whole
            ? openNow(4 * n, 'the 4th-dimension record')
            : await open(4 * n, 'the 4th-dimension record');
          r.skip(len);
          close(len, 'the 4th-dimension record');
        }
        // Interleave and check in one pass: NaN, Inf and byte-swapped floats (absurd magnitudes)
        // are refused where they stand, the first one in file order (X record, then Y, then Z).
        const [fx, fy, fz] = rec;
        const ok = interleave(fx, fy, fz, positions);
        if (!ok)
          for (let d = 0; d < 3; d++) {
            const bad = firstBadValue(rec[d], MAX_COORDINATE_A);
            if (bad >= 0)
              throw r.error(
                `${'xyz'[d]} coordinates ${finiteWithin(MAX_COORDINATE_A, 'A')} (atom ${bad + 1}, frame ${k + 1})`,
                String(rec[d][bad]),
                at[d] + 4 * bad,
              );
          }
        markPositionsChecked(frame);
        yield { topology, frame };
      }
      // The header's frame count (NSET) is advisory: writers update it as they go (LAMMPS) or
      // leave it 0, and a stopped run leaves it stale. MDAnalysis ignores it (libdcd.pyx,
      // _estimate_n_frames counts frames from the file size), and so do we, but say so: a
      // count that disagrees can also mean a file cut short or appended to.
      if (ctl[0] > 0 && ctl[0] !== k) {
        warn(options, `${input.path}: the DCD header says ${ctl[0]} frames, the file holds ${k}; read ${k}`);
      }
    } finally {
      await r.close();
    }
  },
};

/**
 * Interleaves a frame's X, Y and Z records into positions and checks every value (finite, within
 * MAX_COORDINATE_A) in one pass; false when one is not. A function of its own, not inline in the
 * reader: a loop inside an async generator keeps its variables in the generator's frame, and ran
 * at about half this speed (issue 28). The default of ReadOptions.interleaveCoordinates; its SIMD
 * twin is wasm/dcd-frame.ts.
 */
export const interleaveChecked = (
  fx: Float32Array,
  fy: Float32Array,
  fz: Float32Array,
  positions: Float64Array,
): boolean => {
  const n = fx.length;
  let ok = true;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const x = fx[i];
    const y = fy[i];
    const z = fz[i];
    positions[j] = x;
    positions[j + 1] = y;
    positions[j + 2] = z;
    if (
      !(Math.abs(x) <= MAX_COORDINATE_A && Math.abs(y) <= MAX_COORDINATE_A && Math.abs(z) <= MAX_COORDINATE_A)
    )
      ok = false;
  }
  return ok;
};
