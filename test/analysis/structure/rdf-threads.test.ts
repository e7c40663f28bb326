import { describe, expect, it } from 'vitest';
import { rdf } from '../../../src/analysis/structure/rdf.js';
import { THREADS_MIN_ATOMS, ThreadedRdfAccumulator } from '../../../src/analysis/structure/rdf-threads.js';
import { Lattice } from '../../../src/core/lattice.js';
import { SeededRandom } from '../../../src/core/random.js';
import { Topology } from '../../../src/core/topology.js';

describe('ThreadedRdfAccumulator', () => {
  it('two worker threads give the result of one thread, bit for bit (with exclusions, NPT cells)', async () => {
    const n = THREADS_MIN_ATOMS + 100;
    const rng = new SeededRandom(4);
    const topology = new Topology({
      symbols: Array.from({ length: n }, (_, i) => ['Li', 'Al', 'Cl', 'Cl'][i % 4]),
      moleculeIds: Array.from({ length: n }, (_, i) => 1 + Math.floor(i / 4)),
    });
    const frames = Array.from({ length: 7 }, (_, k) => {
      const lattice = Lattice.fromParameters({
        a: 20 + 0.1 * k,
        b: 21,
        c: 19,
        alpha: 85,
        beta: 95,
        gamma: 100,
      });
      const f = new Float64Array(3 * n).map(() => rng.uniform());
      return { topology, frame: { positions: lattice.toCartesian(f), lattice } };
    });
    const options = { rMaxA: 7, bins: 70, exclude: 'molecule' as const };
    const one = rdf(frames, options);
    const acc = new ThreadedRdfAccumulator(topology, options, 2);
    for (const s of frames) await acc.push(s.frame);
    const two = await acc.result();
    expect(two.frames).toBe(7);
    expect(two.meanVolumeA3).toBe(one.meanVolumeA3);
    for (const [k, c] of one.partials.entries()) {
      expect(Array.from(two.partials[k].counts)).toEqual(Array.from(c.counts));
      expect(Array.from(two.partials[k].g)).toEqual(Array.from(c.g));
    }
    expect(Array.from(two.total!.g)).toEqual(Array.from(one.total!.g));
  });
});
