/**
 * Student's t against mpmath at 40 digits and scipy (test/reference/t-quantiles.json, made by
 * test/reference/make-t-quantiles.py with Debian's python3-mpmath 1.2.1 and python3-scipy 1.10.1).
 * scipy.stats.t.ppf 1.10 is itself only good to ~1e-9 relative (cephes stdtrit), so the tight check
 * is against mpmath and the scipy values are met at their own accuracy.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  blockAverage,
  logGamma,
  regularizedIncompleteBeta,
  studentT95,
  studentTCdf,
  studentTQuantile,
  Z95,
} from '../../src/core/statistics.js';

const reference = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'reference', 't-quantiles.json'), 'utf8'),
) as {
  quantiles: { p: number; df: number; exact: number; scipy: number }[];
  incompleteBeta: { x: number; a: number; b: number; value: number }[];
  logGamma: { x: number; value: number }[];
};

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("Student's t quantile", () => {
  it('matches mpmath to 1e-11 relative (df 1, 2, 3..31, 40, 60, 100, 1000, 1e4, 1e6, 2.5; tails to 1e-10)', () => {
    const dfs = new Set(reference.quantiles.map((r) => r.df));
    for (const df of [1, 2, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 100, 1000])
      expect(dfs.has(df)).toBe(true);
    for (const { p, df, exact } of reference.quantiles)
      expect(relative(studentTQuantile(p, df), exact), `p ${p}, df ${df}`).toBeLessThan(1e-11);
  });
  it('agrees with scipy.stats.t.ppf within scipy accuracy (1e-8 relative)', () => {
    for (const { p, df, scipy } of reference.quantiles)
      expect(relative(studentTQuantile(p, df), scipy), `p ${p}, df ${df}`).toBeLessThan(1e-8);
  });
  it('studentT95 is the 0.975 quantile; the values 21..29 and above 30 that the old table rounded', () => {
    // mpmath (t-quantiles.json, 'exact'); the old table in the study gave 2.06 for 21-25, 2.042 for 26-29 and 1.96 above 30.
    const expected: [number, number][] = [
      [21, 2.0796138447276],
      [25, 2.0595385527533],
      [26, 2.0555294386429],
      [29, 2.0452296421327],
      [31, 2.0395134463964],
      [100, 1.9839715185236],
      [1000, 1.9623390808264],
    ];
    for (const [df, t] of expected) expect(studentT95(df), `df ${df}`).toBeCloseTo(t, 11);
    expect(studentT95(0)).toBeNaN();
    // Far beyond the checked range the continued fraction loses digits (1e-8), still near the normal limit.
    expect(Math.abs(studentT95(1e9) - Z95)).toBeLessThan(2e-8);
  });
  it('is the inverse of the distribution function, odd about p = 1/2, and rejects bad arguments', () => {
    // Dyadic p, so that 1 - p is exact.
    for (const df of [1, 2, 3.7, 12, 250])
      for (const p of [2 ** -20, 0.0078125, 0.1875, 0.4375, 0.5, 0.765625, 0.9990234375]) {
        const t = studentTQuantile(p, df);
        expect(relative(studentTCdf(t, df), p), `df ${df}, p ${p}`).toBeLessThan(1e-12);
        expect(relative(-studentTQuantile(1 - p, df), t)).toBeLessThan(1e-14);
      }
    expect(studentTCdf(0, 5)).toBe(0.5);
    expect(() => studentTQuantile(0, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
  it('the normal 97.5 % quantile is the constant Z95 (scipy.stats.norm.ppf(0.975) = 1.959963984540054)', () => {
    expect(Z95).toBe(1.959963984540054);
    // The limit of t as df grows: t_{0.975}(1e6) = 1.9599663568141 (mpmath).
    expect(studentT95(1e6) - Z95).toBeGreaterThan(0);
    expect(studentT95(1e6) - Z95).toBeLessThan(3e-6);
  });
});

describe('special functions behind it', () => {
  it('regularised incomplete beta and ln Gamma match mpmath', () => {
    for (const { x, a, b, value } of reference.incompleteBeta)
      expect(relative(regularizedIncompleteBeta(x, a, b), value), `I_${x}(${a}, ${b})`).toBeLessThan(1e-13);
    for (const { x, value } of reference.logGamma)
      expect(Math.abs(logGamma(x) - value)).toBeLessThan(1e-13 * Math.max(1, Math.abs(value)));
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe('block average', () => {
  it('gives the naive standard error for independent samples and a larger one for correlated ones', () => {
    const white = Array.from({ length: 1024 }, (_, k) => (Math.sin(k * 12.9898) * 43758.5453) % 1);
    const b = blockAverage(white);
    expect(b.samples).toBe(1024);
    // Runs of 16 equal values: the error is that of 64 independent means, 4x the naive one.
    const runs = Array.from({ length: 1024 }, (_, k) => white[Math.floor(k / 16)]);
    const r = blockAverage(runs);
    expect(r.blockLength).toBeGreaterThanOrEqual(16);
    let s = 0;
    const m = runs.reduce((a, v) => a + v, 0) / runs.length;
    for (const v of runs) s += (v - m) ** 2;
    const naive = Math.sqrt(s / (runs.length - 1) / runs.length);
    expect(r.standardError / naive).toBeGreaterThan(3);
  });
});
