import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rdf } from '../../../src/analysis/structure/rdf.js';
import type { Structure } from '../../../src/core/frame.js';
import { readStructure } from '../../../src/io/registry.js';
import { readAll } from '../../helpers.js';

/**
 * g(r) against MDAnalysis 2.4.2 InterRDF on the same frames and bins (test/reference/
 * make-rdf-references.py, which records every call): a packed LAOC^0b glass written by oligolyte
 * (test/fixtures/rdf/make-rdf-fixtures.ts), its volume changing from frame to frame (NPT), and the
 * same in a triclinic cell. The frames read here are the numbers MDAnalysis computed with (its
 * float32 positions, wrapped, and cell vectors, written exactly).
 */
interface RefCurve {
  name: string;
  call: string;
  pairsCounted: number;
  rdf: (number | null)[];
}
interface RefCase {
  frames: string;
  nFrames: number;
  rMaxA: number;
  bins: number;
  meanVolumeA3: number;
  pairs: RefCurve[];
  excludedSameMolecule: RefCurve[];
}
const root = join(import.meta.dirname, '..', '..', '..');
const ref = JSON.parse(readFileSync(join(root, 'test/reference/rdf-mdanalysis.json'), 'utf8')) as Record<
  string,
  RefCase
> & { _generated_with: { MDAnalysis: string } };

const maxDiff = (a: Float64Array, b: (number | null)[]) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - (b[k] ?? Number.NaN)));
  return m;
};

describe('rdf equals MDAnalysis InterRDF', () => {
  expect(ref._generated_with.MDAnalysis).toBe('2.4.2');
  for (const name of ['npt', 'triclinic']) {
    const c = ref[name];
    it(`${name}: every partial, the total and intra-molecular exclusion, to 1e-6`, async () => {
      const data = await readStructure(join(root, 'test/fixtures/rdf/laoc-glass.data'));
      const read = await readAll(join(root, c.frames));
      expect(read.length).toBe(c.nFrames);
      // The data file's topology (molecule ids) with the frames as MDAnalysis saw them.
      for (const s of read) expect(s.topology.elements).toEqual(data.topology.elements);
      const frames: Structure[] = read.map((s) => ({ topology: data.topology, frame: s.frame }));
      const pairs = c.pairs.filter((p) => p.name !== 'total').map((p) => p.name);
      const res = rdf(frames, { rMaxA: c.rMaxA, bins: c.bins, pairs });
      expect(res.meanVolumeA3 / c.meanVolumeA3 - 1).toBeLessThan(1e-6);
      let worst = 0;
      for (const p of c.pairs) {
        const mine = p.name === 'total' ? res.total! : res.partials.find((x) => x.name === p.name)!;
        const sum = mine.counts.reduce((s, x) => s + x, 0);
        expect(sum, p.name).toBe(p.pairsCounted);
        worst = Math.max(worst, maxDiff(mine.g, p.rdf));
      }
      const excl = rdf(frames, {
        rMaxA: c.rMaxA,
        bins: c.bins,
        pairs: c.excludedSameMolecule.map((p) => p.name),
        total: false,
        exclude: 'molecule',
      });
      for (const p of c.excludedSameMolecule) {
        const mine = excl.partials.find((x) => x.name === p.name)!;
        expect(
          mine.counts.reduce((s, x) => s + x, 0),
          p.name,
        ).toBe(p.pairsCounted);
        worst = Math.max(worst, maxDiff(mine.g, p.rdf));
      }
      // The frames are the dump as oligolyte reads it, to float32 precision and up to wrapping.
      const dump = await readAll(join(root, c.frames.replace('.mda.extxyz', '.lammpstrj')));
      const d = new Float64Array(3);
      for (const [k, s] of dump.entries()) {
        const m = read[k].frame.lattice!.matrix;
        for (let x = 0; x < 9; x++) expect(Math.abs(s.frame.lattice!.matrix[x] - m[x])).toBeLessThan(1e-5);
        for (let i = 0; i < 3 * data.topology.natoms; i += 3) {
          for (let x = 0; x < 3; x++) d[x] = s.frame.positions[i + x] - read[k].frame.positions[i + x];
          expect(s.frame.lattice!.minimumImage(d)).toBeLessThan(1e-10);
        }
      }
      console.log(`${name}: max |g - g_MDAnalysis| = ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(1e-6);
    });
  }
});
