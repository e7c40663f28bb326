import { describe, expect, it } from 'vitest';
import { Lattice } from '../../src/core/lattice.js';

/**
 * Shortest image by exhaustive search: every lattice point t = d + n M with |t| <= R (R = length
 * of any one image) has |n_i| <= 2 R |column i of M^-1|, so enumerating that box is exact.
 */
const bruteForce = (l: Lattice, d: number[]): number => {
  const m = l.matrix;
  const v = l.inverse;
  const R = Math.hypot(d[0], d[1], d[2]);
  const bound = [0, 1, 2].map((i) => Math.ceil(2 * R * Math.hypot(v[i], v[3 + i], v[6 + i])) + 1);
  let best = Number.POSITIVE_INFINITY;
  for (let i = -bound[0]; i <= bound[0]; i++)
    for (let j = -bound[1]; j <= bound[1]; j++)
      for (let k = -bound[2]; k <= bound[2]; k++) {
        const x = d[0] + i * m[0] + j * m[3] + k * m[6];
        const y = d[1] + i * m[1] + j * m[4] + k * m[7];
        const z = d[2] + i * m[2] + j * m[5] + k * m[8];
        best = Math.min(best, x * x + y * y + z * z);
      }
  return best;
};

/** Deterministic pseudo-random numbers (mulberry32). */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('Lattice', () => {
  it('builds from parameters in the standard orientation and gives them back', () => {
    const p = { a: 7.007, b: 6.504, c: 12.995, alpha: 90, beta: 93.32, gamma: 90 };
    const l = Lattice.fromParameters(p);
    const q = l.parameters;
    for (const k of Object.keys(p) as (keyof typeof p)[]) expect(q[k]).toBeCloseTo(p[k], 10);
    expect(l.matrix[1]).toBe(0);
    expect(l.matrix[2]).toBe(0);
    expect(l.matrix[5]).toBe(0);
    // V = abc sin(beta) for a monoclinic cell.
    expect(l.volume).toBeCloseTo(7.007 * 6.504 * 12.995 * Math.sin((93.32 * Math.PI) / 180), 9);
  });
  it('converts fractional <-> Cartesian', () => {
    const l = Lattice.fromParameters({ a: 5, b: 6, c: 7, alpha: 80, beta: 95, gamma: 110 });
    const f = Float64Array.from([0.1, 0.2, 0.3, -0.4, 1.5, 0.25]);
    const back = l.toFractional(l.toCartesian(f));
    for (let i = 0; i < f.length; i++) expect(back[i]).toBeCloseTo(f[i], 13);
  });
  it('rejects degenerate cells', () => {
    expect(() => new Lattice([1, 0, 0, 2, 0, 0, 0, 0, 1])).toThrow(RangeError);
    expect(() => new Lattice([1, 0, 0, 0, 1, 0, 0, 0, Number.NaN])).toThrow(RangeError);
  });
  it('finds the true minimum image in strongly skewed cells (against brute force)', () => {
    const r = rng(42);
    const cells = [
      new Lattice([10, 0, 0, 9.5, 2, 0, 9.2, 1.7, 1.5]), // very flat, nearly collinear vectors
      new Lattice([5, 0, 0, 12, 5, 0, -17, 8, 5]), // a cubic lattice written in a skewed basis
      Lattice.fromParameters({ a: 8, b: 8, c: 8, alpha: 30, beta: 35, gamma: 40 }),
      Lattice.fromParameters({ a: 14.29, b: 14.29, c: 14.29, alpha: 90, beta: 90, gamma: 90 }),
    ];
    for (const l of cells) {
      for (let t = 0; t < 150; t++) {
        const d = [(r() - 0.5) * 30, (r() - 0.5) * 30, (r() - 0.5) * 30];
        const v = Float64Array.from(d);
        const got = l.minimumImage(v);
        expect(got).toBeCloseTo(bruteForce(l, d), 9);
        expect(v[0] ** 2 + v[1] ** 2 + v[2] ** 2).toBeCloseTo(got, 9);
      }
    }
  });

  it('perpendicular widths are the inverse lengths of the reciprocal vectors (skewed cell)', () => {
    const l = Lattice.fromParameters({ a: 10, b: 12, c: 15, alpha: 70, beta: 100, gamma: 115 });
    const v = l.inverse;
    // Reciprocal vector i is column i of M^-1; the spacing of the lattice planes it indexes is 1 / its length.
    const expected = [0, 1, 2].map((i) => 1 / Math.hypot(v[i], v[3 + i], v[6 + i]));
    for (const [i, w] of l.perpendicularWidths.entries()) expect(w).toBeCloseTo(expected[i], 10);
    expect(l.perpendicularWidths[0]).toBeLessThan(10);
  });
});
