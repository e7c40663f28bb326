import { describe, expect, it } from 'vitest';
import { AutocorrelationSum, Dft, LowPassFilter } from '../../../src/analysis/dynamics/spectral.js';
import { SeededRandom } from '../../../src/core/random.js';

/** The DFT by its definition, O(L^2). */
const naiveDft = (x: Float64Array): Float64Array => {
  const L = x.length / 2;
  const out = new Float64Array(2 * L);
  for (let k = 0; k < L; k++)
    for (let n = 0; n < L; n++) {
      const a = (-2 * Math.PI * ((n * k) % L)) / L;
      out[2 * k] += x[2 * n] * Math.cos(a) - x[2 * n + 1] * Math.sin(a);
      out[2 * k + 1] += x[2 * n] * Math.sin(a) + x[2 * n + 1] * Math.cos(a);
    }
  return out;
};

describe('Bluestein DFT', () => {
  it('equals the definition for lengths 1, 2, 3, 7, 16, 100, 257 and inverts', () => {
    const rng = new SeededRandom(3);
    for (const L of [1, 2, 3, 7, 16, 100, 257]) {
      const x = Float64Array.from({ length: 2 * L }, () => rng.uniform() - 0.5);
      const d = new Dft(L);
      const X = d.forward(x);
      const ref = naiveDft(x);
      for (let j = 0; j < 2 * L; j++) expect(Math.abs(X[j] - ref[j]), `L ${L}`).toBeLessThan(1e-11 * L);
      const back = d.inverse(X);
      for (let j = 0; j < 2 * L; j++) expect(back[j]).toBeCloseTo(x[j], 12);
    }
  });
});

describe('low-pass filter with mirror padding', () => {
  it('removes a vibration above the cut-off and keeps a slow one; the ends feel it for about one cut-off period', () => {
    const T = 1001;
    const dt = 10; // fs
    const slow = (k: number) => 30 * Math.cos(2 * Math.PI * 0.05e-3 * k * dt); // 0.05 THz
    const x = Float64Array.from(
      { length: T },
      (_, k) => slow(k) + 10 * Math.sin(2 * Math.PI * 5e-3 * k * dt),
    );
    const y = new LowPassFilter(T, dt, 1).apply(x);
    // 1 THz: a period of 100 frames. Two periods in from each end the slow signal is kept to 0.15,
    // 1.5 % of the vibration (the sinc tail, decaying as 1 / distance, of the corners at the ends).
    for (let k = 200; k < T - 200; k++) expect(Math.abs(y[k] - slow(k))).toBeLessThan(0.15);
    // At the ends the mirror turns the vibration's slope into a corner: the mean over a period
    // there (10 x 2 / (2 pi) x ...) is left, below 1.5 for an amplitude of 10.
    for (let k = 0; k < T; k++) expect(Math.abs(y[k] - slow(k))).toBeLessThan(1.5);
  });
  it('leaves a constant and a linear trend (bar the ends) alone', () => {
    const T = 2000;
    const f = new LowPassFilter(T, 10, 1);
    const c = f.apply(new Float64Array(T).fill(7));
    for (const v of c) expect(v).toBeCloseTo(7, 10);
    const line = f.apply(Float64Array.from({ length: T }, (_, k) => 0.1 * k));
    // The mirror makes a triangle wave of the line: its corners ring for a few cut-off periods (100 frames).
    for (let k = 200; k < T - 200; k++) expect(Math.abs(line[k] - 0.1 * k)).toBeLessThan(0.15);
  });
  it('filters two series in one transform exactly as one at a time', () => {
    const rng = new SeededRandom(9);
    for (const T of [2, 3, 200]) {
      const x = Float64Array.from({ length: T }, () => rng.uniform());
      const y = Float64Array.from({ length: T }, () => rng.uniform());
      const f = new LowPassFilter(T, 10, 2);
      const [a, b] = f.applyPair(x, y);
      const ax = f.apply(x);
      const by = f.apply(y);
      for (let k = 0; k < T; k++) {
        expect(a[k]).toBeCloseTo(ax[k], 12);
        expect(b[k]).toBeCloseTo(by[k], 12);
      }
    }
  });
});

describe('autocorrelation sums', () => {
  it('equal the direct sums, weighted and unweighted, odd and even counts', () => {
    const rng = new SeededRandom(5);
    const T = 37;
    const series = Array.from({ length: 5 }, () =>
      Float64Array.from({ length: T }, () => rng.uniform() - 0.5),
    );
    const weights = [1, 1, 2.5, 1, 0.5];
    const acc = new AutocorrelationSum(T);
    for (const [i, s] of series.entries()) acc.add(s, weights[i]);
    const c = acc.result();
    for (let m = 0; m < T; m++) {
      let ref = 0;
      series.forEach((s, i) => {
        for (let k = 0; k + m < T; k++) ref += weights[i] * s[k] * s[k + m];
      });
      expect(c[m]).toBeCloseTo(ref, 12);
    }
  });
});
