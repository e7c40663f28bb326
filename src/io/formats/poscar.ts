import { OptionError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import { compositionOf } from '../../core/structure-props.js';
import { Topology } from '../../core/topology.js';
import { openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';
import { LineReader } from '../text/line-reader.js';
import { formatTripletLines, formatVaspHeader, readVaspHeader } from './vasp-common.js';

const isCartesianMode = (r: LineReader) => r.startsWith('C', true) || r.startsWith('K', true);

/** VASP POSCAR / CONTCAR: one structure; VASP 4 and 5+ headers, Direct or Cartesian, selective dynamics, velocities. */
export const poscar: Format = {
  name: 'poscar',
  description: 'VASP POSCAR/CONTCAR (read, write)',
  multiFrame: false,
  matchesName: (b) => /^(poscar|contcar)/.test(b) || /\.(vasp|poscar|contcar)$/.test(b),
  sniff: (_h, text) => {
    const lines = text.split(/\r?\n/);
    if (lines.length < 8) return false;
    const nums = (l: string) =>
      l
        .trim()
        .split(/\s+/)
        .every((t) => t !== '' && Number.isFinite(Number(t)));
    return (
      nums(lines[1]) && nums(lines[2]) && nums(lines[3]) && nums(lines[4]) && !/configuration=/i.test(text)
    );
  },
  async *read(input, options) {
    const r = new LineReader(openByteStream(input), input.path);
    try {
      const h = await readVaspHeader(r, options.species);
      const n = h.symbols.length;
      await r.need('"Selective dynamics", "Direct" or "Cartesian"');
      let selective = false;
      if (r.startsWith('S', true)) {
        selective = true;
        await r.need('"Direct" or "Cartesian"');
      }
      const cartesian = isCartesianMode(r);
      if (!cartesian && !r.startsWith('D', true)) throw r.error('"Direct" or "Cartesian"', 0);
      const pos = new Float64Array(3 * n);
      const what = selective ? 'three coordinates and three T/F flags' : 'three coordinates';
      for (let i = 0; i < n; i++) {
        await r.need(`the coordinates of atom ${i + 1} of ${n}`);
        r.split();
        for (let k = 0; k < 3; k++) pos[3 * i + k] = r.coordinate(k, `${what} (atom ${i + 1} of ${n})`);
        if (selective)
          for (let k = 3; k < 6; k++) {
            const f = k < r.nfields ? r.field(k) : '';
            if (f !== 'T' && f !== 'F') throw r.error(`a selective-dynamics flag T or F (atom ${i + 1})`, k);
          }
      }
      if (cartesian) for (let i = 0; i < 3 * n; i++) pos[i] *= h.scale[i % 3];
      else h.lattice.toCartesian(pos, pos);
      const velocities = await readVelocities(r, n, h.lattice);
      const topology = new Topology({ symbols: h.symbols });
      const s: Structure = { topology, frame: { positions: pos, lattice: h.lattice } };
      if (velocities) s.frame.velocities = velocities;
      yield s;
    } finally {
      await r.close();
    }
  },
  async write(sink, frames, options) {
    let count = 0;
    for await (const { topology, frame } of frames) {
      if (++count > 1)
        throw new OptionError('POSCAR holds one structure: choose a frame (`frames`)', { option: 'frames' });
      if (!frame.lattice) throw new OptionError('POSCAR needs a periodic cell; this structure has none');
      const symbols = topology.symbols;
      sink.write(
        formatVaspHeader(options.comment ?? compositionOf(topology).toString(), frame.lattice, symbols),
      );
      if (options.cartesian) {
        sink.write('Cartesian\n');
        sink.write(formatTripletLines(frame.positions));
      } else {
        sink.write('Direct\n');
        sink.write(formatTripletLines(frame.lattice.toFractional(frame.positions)));
      }
      if (frame.velocities) {
        sink.write('Cartesian\n');
        sink.write(formatTripletLines(frame.velocities));
      }
    }
    if (count === 0) throw new OptionError('nothing to write: no frames');
    return count;
  },
};

/**
 * Optional velocity block after the positions (A/fs): a blank line, optionally a mode line, then N
 * lines of three numbers. A "Lattice velocities" block (NPT MD) before it is skipped.
 */
const readVelocities = async (r: LineReader, n: number, lattice: import('../../core/lattice.js').Lattice) => {
  let any = await r.next();
  while (any && r.isBlank()) any = await r.next();
  if (!any) return undefined;
  if (r.startsWith('Lattice velocities', true)) {
    for (let k = 0; k < 7; k++) await r.need('the lattice velocities block (7 lines)');
    any = await r.next();
    while (any && r.isBlank()) any = await r.next();
    if (!any) return undefined;
  }
  let cartesian = true;
  if (r.split() < 3 || !/^[-+.\d]/.test(r.field(0))) {
    cartesian = isCartesianMode(r);
    await r.need(`velocities of ${n} atoms`);
    r.split();
  }
  const v = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      await r.need(`the velocity of atom ${i + 1} of ${n}`);
      r.split();
    }
    for (let k = 0; k < 3; k++)
      v[3 * i + k] = r.float(k, `three velocity components (atom ${i + 1} of ${n})`);
  }
  // VASP writes velocities in A/fs; a Direct block is in fractional units per fs.
  return cartesian ? v : lattice.toCartesian(v, v);
};
