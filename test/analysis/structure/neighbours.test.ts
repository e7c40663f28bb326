import { describe, expect, it } from 'vitest';
import {
  forEachNeighbour,
  forEachNeighbourBruteForce,
  type NeighbourQuery,
} from '../../../src/analysis/structure/neighbours.js';
import { Lattice } from '../../../src/core/lattice.js';
import { SeededRandom } from '../../../src/core/random.js';

/** Every visit as "i j r2 dx dy dz" (rounded), sorted; with `canonical` as an unordered pair. */
const visits = (q: NeighbourQuery, brute: boolean, canonical = false): string[] => {
  const out: string[] = [];
  (brute ? forEachNeighbourBruteForce : forEachNeighbour)(q, (i, j, r2, dx, dy, dz) => {
    let v = [dx, dy, dz];
    let a = i;
    let b = j;
    if (canonical) {
      const flip = i > j || (i === j && (dx < 0 || (dx === 0 && (dy < 0 || (dy === 0 && dz < 0)))));
      if (flip) {
        a = j;
        b = i;
        v = v.map((x) => -x);
      }
    }
    const r = (x: number) => (Math.abs(x) < 5e-9 ? 0 : x).toFixed(8);
    expect(Math.abs(r2 - (dx * dx + dy * dy + dz * dz))).toBeLessThan(1e-9);
    out.push(`${a} ${b} ${r2.toFixed(8)} ${v.map(r).join(' ')}`);
  });
  return out.sort();
};

const randomPositions = (lattice: Lattice, n: number, rng: SeededRandom, spill = 0) => {
  const f = new Float64Array(3 * n);
  for (let k = 0; k < f.length; k++) f[k] = rng.uniform() * (1 + 2 * spill) - spill;
  return lattice.toCartesian(f);
};

const cells: [string, Lattice][] = [
  ['cubic', Lattice.cubic(9)],
  ['orthorhombic', Lattice.orthorhombic(7, 11, 8.5)],
  ['triclinic', Lattice.fromParameters({ a: 8, b: 9, c: 10, alpha: 70, beta: 100, gamma: 115 })],
  ['very skewed', new Lattice([6, 0, 0, 5.5, 6, 0, -4, 3.7, 7])],
];

describe('forEachNeighbour', () => {
  for (const [name, lattice] of cells)
    for (const cutoff of [2.5, 4.9, 0.6 * Math.min(...lattice.perpendicularWidths), 13.1]) {
      it(`${name} cell, cutoff ${cutoff.toFixed(2)} A: the same visits as brute force over images`, () => {
        const rng = new SeededRandom(Math.round(cutoff * 100) + name.length);
        const positions = randomPositions(lattice, 40, rng, 0.3);
        const q = { positions, lattice, cutoff };
        const fast = visits(q, false);
        expect(fast.length).toBeGreaterThan(0);
        expect(fast).toEqual(visits(q, true));
        const halfFast = visits({ ...q, half: true }, false, true);
        expect(halfFast.length * 2).toBe(fast.length);
        expect(halfFast).toEqual(visits({ ...q, half: true }, true, true));
      });
    }

  it('many atoms (half-width bins): equal to brute force, triclinic', () => {
    const lattice = Lattice.fromParameters({ a: 19, b: 21, c: 20, alpha: 80, beta: 95, gamma: 108 });
    const positions = randomPositions(lattice, 700, new SeededRandom(7));
    const q = { positions, lattice, cutoff: 4.2 };
    expect(visits(q, false)).toEqual(visits(q, true));
  });

  it('centres and others: subsets, the vector from i to the image of j', () => {
    const lattice = cells[2][1];
    const positions = randomPositions(lattice, 50, new SeededRandom(3), 0.5);
    const centres = [0, 3, 7, 11, 49];
    const others = new Int32Array([1, 3, 5, 8, 13, 21, 34, 49]);
    for (const cutoff of [3, 12]) {
      const q = { positions, lattice, cutoff, centres, others };
      const fast = visits(q, false);
      expect(fast).toEqual(visits(q, true));
      for (const v of fast) {
        const [i, j] = v.split(' ').map(Number);
        expect(centres).toContain(i);
        expect(Array.from(others)).toContain(j);
      }
    }
  });

  it('one atom in a cube with a cutoff of 1.5 cells sees its 18 images', () => {
    const L = 3;
    let count = 0;
    forEachNeighbour(
      { positions: new Float64Array([0.4, 2.9, -1]), lattice: Lattice.cubic(L), cutoff: 1.5 * L },
      (i, j, r2) => {
        expect(i).toBe(0);
        expect(j).toBe(0);
        expect(r2).toBeGreaterThan(0);
        count++;
      },
    );
    expect(count).toBe(6 + 12);
  });

  it('every image is counted: two atoms in a small cube, cutoff two cells', () => {
    const L = 2;
    const lattice = Lattice.cubic(L);
    const positions = new Float64Array([0.1, 0.2, 0.3, 1.1, 0.7, 1.9]);
    let fast = 0;
    forEachNeighbour({ positions, lattice, cutoff: 2 * L }, (i, j) => {
      if (i !== j) fast++;
    });
    // Count by hand: images n of atom 1 with |x1 + nL - x0| <= 2L.
    let expected = 0;
    const d = [1, 0.5, 1.6];
    for (let a = -4; a <= 4; a++)
      for (let b = -4; b <= 4; b++)
        for (let c = -4; c <= 4; c++)
          if ((d[0] + a * L) ** 2 + (d[1] + b * L) ** 2 + (d[2] + c * L) ** 2 <= (2 * L) ** 2) expected++;
    expect(fast).toBe(2 * expected);
  });

  it('no lattice: plain distances, no images', () => {
    const rng = new SeededRandom(11);
    const positions = new Float64Array(3 * 60).map(() => rng.uniform() * 12 - 3);
    const q = { positions, cutoff: 3.3 };
    expect(visits(q, false)).toEqual(visits(q, true));
    expect(visits({ ...q, half: true }, false, true)).toEqual(visits({ ...q, half: true }, true, true));
  });

  it('bad queries: non-positive cutoff, half with different sets, indices out of range', () => {
    const positions = new Float64Array(6);
    const lattice = Lattice.cubic(5);
    expect(() => forEachNeighbour({ positions, lattice, cutoff: 0 }, () => {})).toThrow(/cutoff/);
    expect(() => forEachNeighbour({ positions, lattice, cutoff: Number.NaN }, () => {})).toThrow(/cutoff/);
    expect(() =>
      forEachNeighbour({ positions, lattice, cutoff: 1, centres: [0], half: true }, () => {}),
    ).toThrow(/half/);
    expect(() => forEachNeighbour({ positions, lattice, cutoff: 1, others: [2] }, () => {})).toThrow(
      /others\[0\]/,
    );
  });
});
