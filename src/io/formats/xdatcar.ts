import { OptionError, ParseError } from '../../core/errors.js';
import type { Lattice } from '../../core/lattice.js';
import { Topology } from '../../core/topology.js';
import { openByteStream } from '../byte-source.js';
import type { Format } from '../format.js';
import { LineReader } from '../text/line-reader.js';
import { formatTripletLines, formatVaspHeader, readVaspHeader } from './vasp-common.js';

/**
 * VASP XDATCAR (VASP 5 and 6): a header, then blocks "Direct configuration= k" of N fractional
 * positions. Variable-cell runs (ISIF = 3, NPT) repeat the header before each block.
 */
export const xdatcar: Format = {
  name: 'xdatcar',
  description: 'VASP XDATCAR trajectory, fixed or variable cell (read, write)',
  multiFrame: true,
  matchesName: (b) => b.startsWith('xdatcar') || b.endsWith('.xdatcar'),
  sniff: (_h, text) => /^\s*(Direct|Cartesian) configuration=/im.test(text),
  async *read(input, options) {
    const r = new LineReader(openByteStream(input), input.path);
    try {
      let h = await readVaspHeader(r, options.species);
      const topology = new Topology({ symbols: h.symbols });
      const n = topology.natoms;
      let lattice: Lattice = h.lattice;
      let scale = h.scale;
      let more = await r.next();
      while (more) {
        if (r.isBlank()) {
          more = await r.next();
          continue;
        }
        if (!r.startsWith('Direct configuration', true) && !r.startsWith('Cartesian configuration', true)) {
          if (r.startsWith('Direct', true) || r.startsWith('Cartesian', true))
            throw r.error('"Direct configuration= k"', 0);
          // A repeated header (variable-cell XDATCAR): this line is its comment.
          r.unread();
          h = await readVaspHeader(r, options.species);
          if (h.symbols.length !== n || h.symbols.some((s, i) => s !== topology.symbol(i)))
            throw r.error(`the same ${n} atoms as the first header`);
          lattice = h.lattice;
          scale = h.scale;
          more = await r.next();
          continue;
        }
        const cartesian = r.startsWith('C', true);
        const pos = new Float64Array(3 * n);
        const b = r;
        for (let i = 0, o = 0; i < n; i++, o += 3) {
          if (!b.tryNext() && !(await b.refill()))
            throw new ParseError({
              file: input.path,
              line: b.lineNo + 1,
              expected: `${n - i} more position lines in this configuration (truncated file?)`,
              found: 'end of file',
            });
          if (b.split() < 3) throw b.error(`three fractional coordinates (atom ${i + 1} of ${n})`, b.nfields);
          pos[o] = b.coordinate(0, `a coordinate (atom ${i + 1} of ${n})`);
          pos[o + 1] = b.coordinate(1, `a coordinate (atom ${i + 1} of ${n})`);
          pos[o + 2] = b.coordinate(2, `a coordinate (atom ${i + 1} of ${n})`);
        }
        if (cartesian) for (let i = 0; i < 3 * n; i++) pos[i] *= scale[i % 3];
        else lattice.toCartesian(pos, pos);
        // "Direct configuration= k" numbers the configurations, not the integrator steps (VASP,
        // ASE and pymatgen write 1, 2, 3, ... whatever NBLOCK: kinisi's argyrodite XDATCAR is
        // numbered so with frames 50 steps apart), so the frame carries no step.
        const frame: import('../../core/frame.js').Frame = { positions: pos, lattice };
        yield { topology, frame };
        more = await r.next();
      }
    } finally {
      await r.close();
    }
  },
  async write(sink, frames, options) {
    let count = 0;
    let last: Lattice | undefined;
    let first: Topology | undefined;
    for await (const { topology, frame } of frames) {
      if (!frame.lattice) throw new OptionError('XDATCAR needs a periodic cell; this frame has none');
      if (!first) first = topology;
      else if (!first.sameAtoms(topology))
        throw new OptionError(`XDATCAR frames must hold the same atoms (frame ${count + 1} differs)`);
      if (!last?.equals(frame.lattice, 0))
        sink.write(formatVaspHeader(options.comment ?? 'oligolyte', frame.lattice, topology.symbols));
      last = frame.lattice;
      count++;
      sink.write(`Direct configuration= ${String(frame.step ?? count).padStart(5)}\n`);
      sink.write(formatTripletLines(frame.lattice.toFractional(frame.positions)));
      await sink.flush();
    }
    if (count === 0) throw new OptionError('nothing to write: no frames');
    return count;
  },
};
