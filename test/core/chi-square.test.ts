/**
 * The incomplete gamma function, chi-square quantiles and exact Poisson intervals against mpmath at
 * 40 digits and scipy (test/reference/chi2-quantiles.json, made by
 * test/reference/make-chi2-quantiles.py with mpmath 1.3.0 and scipy 1.17.1).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  chiSquareQuantile,
  gammaQuantile,
  poissonInterval,
  regularizedLowerGamma,
  regularizedUpperGamma,
} from '../../src/core/statistics.js';

const reference = JSON.parse(
  readFileSync(
    join(dirname(fileURLToPath(import.meta.url)), '..', 'reference', 'chi2-quantiles.json'),
    'utf8',
  ),
) as {
  chi2: { p: number; df: number; value: number; scipy: number }[];
  gamma: { a: number; x: number; lower: number; upper: number }[];
  poisson: { k: number; low: number; high: number }[];
};

// Each loop below passes vacuously over an empty list: the file must hold its rows.
describe('test/reference/chi2-quantiles.json', () => {
  it('holds the rows the tests loop over', () => {
    expect(reference.chi2.length).toBeGreaterThan(50);
    expect(reference.gamma.length).toBeGreaterThan(50);
    expect(reference.poisson.length).toBeGreaterThan(5);
  });
});

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('incomplete gamma function', () => {
  it('P(a, x) and Q(a, x) match mpmath (1e-12 relative where the value is above 1e-300)', () => {
    for (const { a, x, lower, upper } of reference.gamma) {
      if (lower > 1e-290)
        expect(relative(regularizedLowerGamma(a, x), lower), `P(${a}, ${x})`).toBeLessThan(1e-12);
      if (upper > 1e-290)
        expect(relative(regularizedUpperGamma(a, x), upper), `Q(${a}, ${x})`).toBeLessThan(1e-12);
    }
  });
  it('has the closed form of a = 1 and rejects bad arguments', () => {
    for (const x of [0.01, 1, 7]) expect(regularizedLowerGamma(1, x)).toBeCloseTo(-Math.expm1(-x), 15);
    expect(regularizedLowerGamma(2, 0)).toBe(0);
    expect(() => regularizedLowerGamma(0, 1)).toThrow(RangeError);
    expect(() => regularizedUpperGamma(1, -1)).toThrow(RangeError);
  });
});

describe('chi-square quantile', () => {
  it('matches mpmath to 1e-11 relative (df 0.5 .. 2001, p 1e-10 .. 1 - 1e-10)', () => {
    for (const { p, df, value } of reference.chi2)
      expect(relative(chiSquareQuantile(p, df), value), `p ${p}, df ${df}`).toBeLessThan(1e-11);
  });
  it('agrees with scipy.stats.chi2.ppf (1e-9 relative)', () => {
    for (const { p, df, scipy } of reference.chi2)
      expect(relative(chiSquareQuantile(p, df), scipy), `p ${p}, df ${df}`).toBeLessThan(1e-9);
  });
  it('is -2 ln(1 - p) for df 2 and inverts the distribution function', () => {
    for (const p of [0.025, 0.5, 0.975]) expect(chiSquareQuantile(p, 2)).toBeCloseTo(-2 * Math.log1p(-p), 13);
    for (const [p, a] of [
      [0.3, 4.5],
      [0.99, 0.2],
    ])
      expect(regularizedLowerGamma(a, gammaQuantile(p, a))).toBeCloseTo(p, 13);
    expect(() => chiSquareQuantile(0, 3)).toThrow(RangeError);
    expect(() => chiSquareQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('Poisson (Garwood) interval', () => {
  it('matches the chi-square form from mpmath (k 0 .. 1000)', () => {
    for (const { k, low, high } of reference.poisson) {
      const [lo, hi] = poissonInterval(k);
      if (k === 0) expect(lo).toBe(0);
      else expect(relative(lo, low), `k ${k}`).toBeLessThan(1e-11);
      expect(relative(hi, high), `k ${k}`).toBeLessThan(1e-11);
    }
  });
  it('gives the textbook values: k = 0 -> [0, 3.689], k = 10 -> [4.795, 18.39]', () => {
    expect(poissonInterval(0)[1]).toBeCloseTo(-Math.log(0.025), 12);
    const [lo, hi] = poissonInterval(10);
    expect(lo).toBeCloseTo(4.7954, 4);
    expect(hi).toBeCloseTo(18.3904, 4);
    expect(() => poissonInterval(1.5)).toThrow(RangeError);
  });
});
