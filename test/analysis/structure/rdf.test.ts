import { describe, expect, it } from 'vitest';
import { forEachNeighbourBruteForce } from '../../../src/analysis/structure/neighbours.js';
import {
  firstMinimum,
  firstPeak,
  histogramBin,
  histogramEdges,
  RdfAccumulator,
  rdf,
} from '../../../src/analysis/structure/rdf.js';
import { OligolyteError, OptionError, ParseError } from '../../../src/core/errors.js';
import type { Structure } from '../../../src/core/frame.js';
import { Lattice } from '../../../src/core/lattice.js';
import { SeededRandom } from '../../../src/core/random.js';
import { Topology } from '../../../src/core/topology.js';

const gas = (n: number, lattice: Lattice, frames: number, seed: number, symbols?: string[]): Structure[] => {
  const rng = new SeededRandom(seed);
  const topology = new Topology({
    symbols: symbols ?? Array.from({ length: n }, (_, i) => (i % 3 ? 'Ar' : 'Ne')),
  });
  return Array.from({ length: frames }, () => {
    const f = new Float64Array(3 * n).map(() => rng.uniform());
    return { topology, frame: { positions: lattice.toCartesian(f), lattice } };
  });
};

const fcc = (a: number, reps: number): Structure => {
  const basis = [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ];
  const pos: number[] = [];
  for (let x = 0; x < reps; x++)
    for (let y = 0; y < reps; y++)
      for (let z = 0; z < reps; z++)
        for (const b of basis) pos.push((x + b[0]) * a, (y + b[1]) * a, (z + b[2]) * a);
  return {
    topology: new Topology({ symbols: pos.filter((_, k) => k % 3 === 0).map(() => 'Cu') }),
    frame: { positions: Float64Array.from(pos), lattice: Lattice.cubic(a * reps) },
  };
};

describe('rdf', () => {
  it('ideal gas: every partial and the total g(r) is 1 within its counting error', () => {
    const lattice = Lattice.fromParameters({ a: 18, b: 19, c: 20, alpha: 80, beta: 100, gamma: 95 });
    const res = rdf(gas(450, lattice, 12, 5), { rMaxA: 8, bins: 40 });
    expect(res.partials.map((p) => p.name)).toEqual(['Ne-Ne', 'Ne-Ar', 'Ar-Ar']);
    for (const c of [...res.partials, res.total!])
      for (let k = 5; k < res.bins; k++) {
        const sigma = c.g[k] / Math.sqrt(Math.max(1, c.counts[k] / (c.a === c.b ? 2 : 1)));
        expect(Math.abs(c.g[k] - 1)).toBeLessThan(5 * sigma + 1e-3);
      }
    // Coordination of an ideal gas: rho' 4/3 pi r^3.
    const t = res.total!;
    const rhoPrime = t.pairsNormalised / (t.countA * res.meanVolumeA3);
    const expected = rhoPrime * (4 / 3) * Math.PI * 8 ** 3;
    expect(Math.abs(t.coordination[res.bins - 1] / expected - 1)).toBeLessThan(0.01);
  });

  it('fcc crystal: coordination numbers 12, 6, 24, 12 at the shells a/sqrt2, a, a sqrt(3/2), a sqrt2', () => {
    const a = 3.61;
    const res = rdf([fcc(a, 4)], { rMaxA: 5.6, bins: 560 });
    const c = res.total!;
    const at = (r: number) => c.coordination[Math.floor(r / res.binWidthA)];
    const shells = [a / Math.SQRT2, a, a * Math.sqrt(1.5), a * Math.SQRT2];
    const before = [0, ...shells.slice(0, -1)].map((r, k) => (k === 0 ? 0 : at((r + shells[k]) / 2)));
    const after = shells.map((r, k) => at(k + 1 < shells.length ? (r + shells[k + 1]) / 2 : r + 0.05));
    expect(after.map((x, k) => x - before[k])).toEqual([12, 6, 24, 12]);
    expect(c.firstPeak!.rA).toBeCloseTo(a / Math.SQRT2, 1);
    expect(c.firstMinimum!.rA).toBeGreaterThan(a / Math.SQRT2);
    expect(c.firstMinimum!.rA).toBeLessThan(a);
    expect(c.coordinationAtFirstMinimum).toBe(12);
  });

  it('beyond half the cell width in a small triclinic cell: the counts of brute force over explicit images', () => {
    const lattice = new Lattice([5.03, 0, 0, 1.5, 4.6, 0, -1.2, 0.8, 4.9]);
    const frames = gas(9, lattice, 3, 17, ['Li', 'Cl', 'Cl', 'Li', 'Cl', 'Al', 'Cl', 'Li', 'Cl']);
    const rMax = 11;
    const bins = 55;
    const res = rdf(frames, { rMaxA: rMax, bins, pairs: ['Li-Cl', 'Cl-Cl', 'Al-Li'] });
    expect(rMax).toBeGreaterThan(2 * Math.max(...lattice.perpendicularWidths));
    const edges = histogramEdges(rMax, bins);
    const el = frames[0].topology.elements;
    const sp = frames[0].topology.speciesIndex;
    for (const c of [...res.partials, res.total!]) {
      const brute = new Float64Array(bins);
      for (const s of frames)
        forEachNeighbourBruteForce({ positions: s.frame.positions, lattice, cutoff: rMax }, (i, j, r2) => {
          const inA = c.a === 'all' || el[sp[i]] === c.a;
          const inB = c.b === 'all' || el[sp[j]] === c.b;
          if (inA && inB) brute[histogramBin(Math.sqrt(r2), edges, bins / rMax, bins)]++;
        });
      expect(Array.from(c.counts)).toEqual(Array.from(brute));
      const N = c.pairsNormalised;
      for (let k = 0; k < bins; k++) {
        const shell =
          (4 / 3) * Math.PI * (((k + 1) * rMax) / bins) ** 3 - (4 / 3) * Math.PI * ((k * rMax) / bins) ** 3;
        expect(c.g[k]).toBeCloseTo(brute[k] / (3 * shell * (N / lattice.volume)), 10);
      }
    }
  });

  it('NPT: each frame its own cell, normalised by the mean volume', () => {
    const lattice = Lattice.cubic(15);
    const frames = gas(200, lattice, 4, 3).map((s, k) => {
      const f = 1 + 0.02 * (k - 1.5);
      return { ...s, frame: { positions: s.frame.positions.map((x) => x * f), lattice: lattice.scaled(f) } };
    });
    const res = rdf(frames, { rMaxA: 6, bins: 30 });
    const mean = frames.reduce((s, x) => s + x.frame.lattice!.volume, 0) / frames.length;
    expect(res.meanVolumeA3).toBeCloseTo(mean, 9);
  });

  it('bonded exclusion: by molecule and by bonds, with the pairs removed from the normalisation', () => {
    // Two diatomic molecules A-B and one free B in a box.
    const topology = new Topology({
      symbols: ['Al', 'Cl', 'Al', 'Cl', 'Cl'],
      moleculeIds: [1, 1, 2, 2, 3],
      bonds: Uint32Array.from([0, 1, 2, 3]),
    });
    const lattice = Lattice.cubic(12);
    const positions = Float64Array.from([1, 1, 1, 3, 1, 1, 6, 6, 6, 6, 8.25, 6, 9, 2, 9]);
    const s = { topology, frame: { positions, lattice } };
    const plain = rdf([s], { rMaxA: 5, bins: 50, pairs: ['Al-Cl'], total: false }).partials[0];
    const mol = rdf([s], { rMaxA: 5, bins: 50, pairs: ['Al-Cl'], total: false, exclude: 'molecule' })
      .partials[0];
    const bond = rdf([s], { rMaxA: 5, bins: 50, pairs: ['Al-Cl'], total: false, exclude: { bonds: 1 } })
      .partials[0];
    expect(plain.pairsNormalised).toBe(6);
    expect(mol.pairsNormalised).toBe(4);
    expect(bond.pairsNormalised).toBe(4);
    expect(plain.counts[20]).toBe(1);
    expect(mol.counts[20]).toBe(0);
    expect(plain.counts[22]).toBe(1);
    expect(bond.counts[22]).toBe(0);
    const bare = new Topology({ symbols: ['Al', 'Cl'] });
    const t = { topology: bare, frame: { positions: new Float64Array(6), lattice } };
    expect(() => rdf([t], { exclude: 'molecule' })).toThrow(/molecule ids/);
    expect(() => rdf([t], { exclude: { bonds: 2 } })).toThrow(/needs bonds/);
    expect(() => rdf([t], { exclude: 'molecule' })).toThrow(OligolyteError);
  });

  it('bad input: absent elements, rMax, bins, atom count, no cell', () => {
    const [s] = gas(10, Lattice.cubic(9), 1, 1);
    expect(() => rdf([s], { pairs: ['Li-Cl'] })).toThrow(
      /no Li atoms in the trajectory \(its elements: Ne, Ar\)/,
    );
    expect(() => rdf([s], { pairs: ['LiCl'] })).toThrow(OptionError);
    expect(() => rdf([s], { rMaxA: 0 })).toThrow(/rMaxA/);
    expect(() => rdf([s], { bins: 0 })).toThrow(/bins/);
    expect(() => rdf([s], { bins: 2.5 })).toThrow(/bins/);
    const acc = new RdfAccumulator(s.topology, { rMaxA: 4 });
    acc.push(s.frame);
    expect(() => acc.push({ positions: new Float64Array(27), lattice: s.frame.lattice })).toThrow(
      /frame 2 has 9 atoms, the first frame 10/,
    );
    expect(() =>
      acc.push({ positions: new Float64Array(27), lattice: s.frame.lattice }, { file: 'x.xyz', line: 40 }),
    ).toThrow(ParseError);
    expect(() => acc.push({ positions: s.frame.positions })).toThrow(/no periodic cell/);
    expect(() => rdf([])).toThrow(/no frames/);
  });

  it('bin width instead of bins', () => {
    const [s] = gas(10, Lattice.cubic(9), 1, 1);
    const res = rdf([s], { rMaxA: 4.01, binWidthA: 0.1 });
    expect(res.bins).toBe(41);
    expect(res.rMaxA).toBeCloseTo(4.1, 12);
  });
});

describe('firstMinimum', () => {
  const model = (r: number) =>
    r < 1.8 ? 0 : 1 + 2.5 * Math.exp(-(((r - 2.4) / 0.18) ** 2)) - 0.7 * Math.exp(-(((r - 3.4) / 0.4) ** 2));
  it('finds the minimum after the first peak of a noisy partial g(r)', () => {
    const rng = new SeededRandom(2);
    const dr = 0.02;
    const r = Float64Array.from({ length: 400 }, (_, k) => (k + 0.5) * dr);
    const g = r.map((x) => model(x) + (model(x) > 0 ? 0.15 * rng.gaussian() : 0));
    const peak = firstPeak(r, g)!;
    const min = firstMinimum(r, g)!;
    expect(peak.r).toBeCloseTo(2.4, 1);
    expect(Math.abs(min.r - 3.36)).toBeLessThan(0.12);
    expect(min.g).toBeLessThan(0.6);
  });
  it('no minimum on a curve that only rises and levels off', () => {
    const r = Float64Array.from({ length: 200 }, (_, k) => (k + 0.5) * 0.05);
    const g = r.map((x) => 1 - Math.exp(-x));
    expect(firstMinimum(r, g)).toBeUndefined();
    expect(firstMinimum(new Float64Array(0), new Float64Array(0))).toBeUndefined();
  });
});
