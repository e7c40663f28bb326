import { OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { BinaryReader } from '../binary/binary-reader.js';
import { openByteStream } from '../byte-source.js';
import { type Format, warn } from '../format.js';
import { finiteWithin, firstBadValue, MAX_COORDINATE_A } from '../value-limits.js';

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
    const r = new BinaryReader(openByteStream(input), input.path);
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
      const xyz = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
      // Step numbers ISTART + k NSAVC only where NSAVC says something: VMD's and MDAnalysis's
      // writers put NSAVC = 1 whatever the spacing (kinisi's example_LAMMPS.dcd: frames 250
      // steps apart, NSAVC 1), and a transport analysis would take it as the truth.
      const steps = ctl[2] > 1;
      // A constant-volume run repeats one cell record: its Lattice is made once and shared.
      let lastCell: number[] | undefined;
      let lastLattice: Lattice | undefined;
      let k = 0;
      for (; ; k++) {
        if (await r.atEnd()) break;
        const frame: Frame = { positions: new Float64Array(3 * n) };
        if (steps) frame.step = ctl[1] + k * ctl[2];
        if (hasCell) {
          len = await open(48, `the unit cell of frame ${k + 1}`);
          const cellAt = r.offset;
          const u = [r.float64(), r.float64(), r.float64(), r.float64(), r.float64(), r.float64()];
          close(len, 'the unit cell record');
          if (lastLattice && lastCell?.every((v, j) => v === u[j])) frame.lattice = lastLattice;
          else {
            const cell = dcdCell(u, k + 1);
            if (typeof cell === 'object') frame.lattice = cell;
            else if (typeof cell === 'string') throw r.error(cell, `[${u.join(', ')}]`, cellAt);
            lastCell = u;
            lastLattice = frame.lattice;
          }
        }
        for (let d = 0; d < 3; d++) {
          len = await open(4 * n, `the ${'XYZ'[d]} coordinates of frame ${k + 1} (truncated file?)`);
          const at = r.offset;
          const b = r.bytes(4 * n);
          const out = xyz[d];
          // The file's byte order is the host's: the record is the array, one copy (the file is
          // read at memory speed); else every float is swapped on the way in.
          if (r.littleEndian === HOST_LITTLE_ENDIAN) new Uint8Array(out.buffer).set(b);
          else {
            const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
            for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, r.littleEndian);
          }
          // NaN, Inf and byte-swapped floats (absurd magnitudes) are refused where they stand.
          const bad = firstBadValue(out, MAX_COORDINATE_A);
          if (bad >= 0)
            throw r.error(
              `${'xyz'[d]} coordinates ${finiteWithin(MAX_COORDINATE_A, 'A')} (atom ${bad + 1}, frame ${k + 1})`,
              String(out[bad]),
              at + 4 * bad,
            );
          close(len, 'a coordinate record');
        }
        if (has4d) {
          len = await open(4 * n, 'the 4th-dimension record');
          r.skip(len);
          close(len, 'the 4th-dimension record');
        }
        const p = frame.positions;
        for (let i = 0; i < n; i++) {
          p[3 * i] = xyz[0][i];
          p[3 * i + 1] = xyz[1][i];
          p[3 * i + 2] = xyz[2][i];
        }
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
