import { OptionError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { NM_IN_A, psToFs } from '../../core/units.js';
import { BinaryReader } from '../binary/binary-reader.js';
import { decompressXtc } from '../binary/xtc-decompress.js';
import { openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';
import { finiteWithin, firstBadValue, MAX_COORDINATE_A } from '../value-limits.js';

const XTC_MAGIC = 1995;

/**
 * GROMACS XTC (XDR, big-endian): per frame magic 1995, atom count, step, time (ps), box (3x3,
 * nm), then the coordinates: plain floats for 9 atoms or fewer, else compressed with a stored
 * precision. Converted to A and fs. Species come from the `topology` option (else 'X').
 */
export const xtc: Format = {
  name: 'xtc',
  description: 'GROMACS XTC compressed trajectory (read)',
  multiFrame: true,
  matchesName: (b) => b.endsWith('.xtc'),
  sniff: (h) => h.length >= 4 && new DataView(h.buffer, h.byteOffset).getInt32(0, false) === XTC_MAGIC,
  async *read(input, options) {
    const r = new BinaryReader(openByteStream(input), input.path);
    r.littleEndian = false;
    let topology = options.topology;
    let k = 0;
    try {
      while (!(await r.atEnd())) {
        k++;
        const at = r.offset;
        await r.need(56, `the header of frame ${k} (truncated file?)`);
        const magic = r.int32();
        if (magic !== XTC_MAGIC)
          throw r.error(`the XTC magic number ${XTC_MAGIC} at the start of frame ${k}`, String(magic), at);
        const n = r.int32();
        if (n < 1) throw r.error('a positive atom count', String(n), at + 4);
        if (!topology) topology = new Topology({ symbols: new Array<string>(n).fill('X') });
        else if (topology.natoms !== n)
          throw new OptionError(
            `${input.path}: frame ${k} has ${n} atoms but the topology has ${topology.natoms}`,
          );
        const step = r.int32();
        const time = r.float32();
        if (!Number.isFinite(time)) throw r.error(`a finite time in frame ${k}`, String(time), at + 12);
        const box = new Float64Array(9);
        for (let j = 0; j < 9; j++) box[j] = r.float32() * NM_IN_A;
        const badBox = firstBadValue(box, MAX_COORDINATE_A);
        if (badBox >= 0)
          throw r.error(
            `a box of numbers ${finiteWithin(MAX_COORDINATE_A / NM_IN_A, 'nm')} in frame ${k}`,
            String(box[badBox] / NM_IN_A),
            at + 16 + 4 * badBox,
          );
        const n2 = r.int32();
        if (n2 !== n) throw r.error(`the atom count repeated (${n})`, String(n2), r.offset - 4);
        const frame: Frame = { positions: new Float64Array(3 * n), step, timeFs: psToFs(time) };
        if (box.some((x) => x !== 0))
          try {
            frame.lattice = new Lattice(box);
          } catch (e) {
            throw r.error(`a box of three independent vectors in frame ${k}`, (e as Error).message, at + 16);
          }
        const p = frame.positions;
        let coordinatesAt = r.offset;
        if (n <= 9) {
          await r.need(12 * n, `the coordinates of frame ${k}`);
          for (let j = 0; j < 3 * n; j++) p[j] = r.float32();
        } else {
          await r.need(36, `the compressed coordinates header of frame ${k}`);
          const precision = r.float32();
          const minint = Int32Array.from([r.int32(), r.int32(), r.int32()]);
          const maxint = Int32Array.from([r.int32(), r.int32(), r.int32()]);
          const smallidx = r.int32();
          const nbytes = r.int32();
          if (!(precision > 0 && Number.isFinite(precision)) || nbytes < 0)
            throw r.error('a positive precision and byte count', `${precision}, ${nbytes}`);
          const padded = Math.ceil(nbytes / 4) * 4;
          await r.need(padded, `${padded} bytes of compressed coordinates in frame ${k} (truncated file?)`);
          const dataAt = r.offset;
          coordinatesAt = dataAt;
          const data = r.bytes(padded).subarray(0, nbytes);
          try {
            decompressXtc(n, { precision, minint, maxint, smallidx, data }, p);
          } catch (e) {
            throw r.error('valid compressed coordinates', (e as Error).message, dataAt);
          }
        }
        for (let j = 0; j < 3 * n; j++) p[j] *= NM_IN_A;
        // NaN, Inf or absurd coordinates (byte-swapped floats, a corrupted precision): at the
        // value for plain floats, at the compressed block otherwise.
        const bad = firstBadValue(p, MAX_COORDINATE_A);
        if (bad >= 0)
          throw r.error(
            `coordinates ${finiteWithin(MAX_COORDINATE_A / NM_IN_A, 'nm')} in frame ${k} (atom ${Math.floor(bad / 3) + 1})`,
            String(p[bad] / NM_IN_A),
            n <= 9 ? coordinatesAt + 4 * bad : coordinatesAt,
          );
        yield { topology, frame };
      }
    } finally {
      await r.close();
    }
  },
};
