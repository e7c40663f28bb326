import { OptionError, ParseError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { Topology } from '../../core/topology.js';
import { BinaryReader } from '../binary/binary-reader.js';
import { openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';
import { finiteWithin, MAX_COORDINATE_A, MAX_FRACTIONAL } from '../value-limits.js';

/**
 * NumPy .npy array of coordinates, shape (frames, atoms, 3), C order, float64 or float32, either
 * byte order (NPY format versions 1-3: magic "\x93NUMPY", version, header length, then a Python
 * dict literal with 'descr', 'fortran_order' and 'shape'). Such arrays carry no atoms and no cell:
 * species come from the `topology` option and the cell from `cell` (both given on the command
 * line by --topology FILE). Coordinates are fractional by default, as in pymatgen-analysis-
 * diffusion's test trajectories; `npyCoordinates: 'cartesian'` reads them as A.
 */
export const npy: Format = {
  name: 'npy',
  description:
    'NumPy .npy array (frames, atoms, 3) of fractional or Cartesian coordinates (read; needs --topology)',
  multiFrame: true,
  matchesName: (b) => b.endsWith('.npy'),
  sniff: (h) =>
    h.length >= 10 && h[0] === 0x93 && Buffer.from(h.subarray(1, 6)).toString('latin1') === 'NUMPY',
  async *read(input, options) {
    const r = new BinaryReader(openByteStream(input), input.path);
    const fail = (byteOffset: number, expected: string, found?: string) =>
      new ParseError({ file: input.path, byteOffset, expected, found });
    try {
      await r.need(10, 'the NPY magic and header length');
      const magic = r.peekBytes(7);
      if (magic[0] !== 0x93 || Buffer.from(magic.subarray(1, 6)).toString('latin1') !== 'NUMPY')
        throw fail(0, 'the NPY magic "\\x93NUMPY"');
      const major = magic[6];
      if (major < 1 || major > 3) throw fail(6, 'NPY format version 1, 2 or 3', String(major));
      // Version 1 stores the header length as uint16, versions 2 and 3 as uint32 (little-endian).
      await r.need(major === 1 ? 10 : 12, 'the NPY header length');
      const h = r.peekBytes(12);
      const headerLength =
        major === 1 ? h[8] | (h[9] << 8) : (h[8] | (h[9] << 8) | (h[10] << 16)) + h[11] * 2 ** 24;
      r.skip(major === 1 ? 10 : 12);
      const headerAt = r.offset;
      await r.need(headerLength, 'the NPY header');
      const header = Buffer.from(r.bytes(headerLength)).toString('latin1');
      const descr = /'descr'\s*:\s*'([<>|=])(f8|f4)'/.exec(header);
      const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
      const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
      if (!descr) throw fail(headerAt, "a float array ('descr': '<f8' or '<f4')", header.trim());
      if (!fortran || fortran[1] === 'True') throw fail(headerAt, 'a C-ordered array', header.trim());
      const shape = shapeText
        ? shapeText[1]
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x !== '')
            .map(Number)
        : [];
      if (shape.length !== 3 || shape[2] !== 3 || !shape.every(Number.isInteger))
        throw fail(headerAt, 'an array of shape (frames, atoms, 3)', shapeText?.[0] ?? header.trim());
      const [nframes, n] = shape;
      r.littleEndian = descr[1] !== '>';
      const width = descr[2] === 'f8' ? 8 : 4;

      const topology = options.topology;
      if (!topology)
        throw new OptionError(`${input.path}: a .npy array has no atoms; give them with \`topology\``, {
          option: 'topology',
        });
      if (topology.natoms !== n)
        throw new OptionError(
          `${input.path} has ${n} atoms per frame but the topology has ${topology.natoms}`,
        );
      const cartesian = options.npyCoordinates === 'cartesian';
      const lattice = options.cell;
      if (!lattice && !cartesian)
        throw new OptionError(`${input.path}: fractional coordinates need a cell; give it with \`cell\``, {
          option: 'cell',
        });
      const top = new Topology({ symbols: topology.symbols, masses: topology.masses });
      for (let k = 0; k < nframes; k++) {
        const at = r.offset;
        await r.need(3 * n * width, `frame ${k} of ${nframes} (${3 * n * width} bytes; truncated file?)`);
        const positions = new Float64Array(3 * n);
        const limit = cartesian ? MAX_COORDINATE_A : MAX_FRACTIONAL;
        for (let i = 0; i < 3 * n; i++) {
          const v = width === 8 ? r.float64() : r.float32();
          if (!(Math.abs(v) <= limit))
            throw fail(
              at + i * width,
              `a ${cartesian ? 'Cartesian' : 'fractional'} coordinate ${finiteWithin(limit, cartesian ? 'A' : 'cells')} in frame ${k} (atom ${Math.floor(i / 3) + 1})`,
              String(v),
            );
          positions[i] = v;
        }
        const frame: Frame = { positions: cartesian ? positions : lattice!.toCartesian(positions) };
        if (lattice) frame.lattice = lattice;
        yield { topology: top, frame };
      }
      if (!(await r.atEnd()))
        throw fail(r.offset, `the end of the array after ${nframes} frames`, 'more bytes');
    } finally {
      await r.close();
    }
  },
};
