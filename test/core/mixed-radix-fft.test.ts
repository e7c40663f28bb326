/**
 * The mixed-radix FFT (core/mixed-radix-fft.ts) against the DFT summed directly and against
 * fft.js (powers of two), and the padding sizes it is used with.
 */
import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { fastFftSize, fftCost, MixedRadixFft, smoothFftSize } from '../../src/core/mixed-radix-fft.js';

/** The DFT by its definition, O(n^2). */
const dft = (x: Float64Array, n: number, sign = -1): Float64Array => {
  const out = new Float64Array(2 * n);
  for (let f = 0; f < n; f++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const a = (sign * 2 * Math.PI * ((f * t) % n)) / n;
      re += x[2 * t] * Math.cos(a) - x[2 * t + 1] * Math.sin(a);
      im += x[2 * t] * Math.sin(a) + x[2 * t + 1] * Math.cos(a);
    }
    out[2 * f] = re;
    out[2 * f + 1] = im;
  }
  return out;
};

let seed = 7;
const random = (n: number) =>
  Float64Array.from({ length: 2 * n }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    return (seed >>> 0) / 4294967296 - 0.5;
  });

const maxAbs = (a: Float64Array, b: Float64Array) => {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
};

describe('MixedRadixFft', () => {
  it.each([1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 25, 30, 45, 60, 64, 75, 120, 250, 256, 360, 500, 750])(
    'length %i: the DFT, forward and inverse',
    (n) => {
      const fft = new MixedRadixFft(n);
      const x = random(n);
      const keep = x.slice();
      const out = new Float64Array(2 * n);
      fft.transform(out, x);
      expect(x).toEqual(keep);
      expect(maxAbs(out, dft(x, n))).toBeLessThan(1e-12 * Math.sqrt(n));
      const back = new Float64Array(2 * n);
      fft.inverseTransform(back, out);
      expect(maxAbs(back, x)).toBeLessThan(1e-14 * Math.sqrt(n) + 1e-15);
    },
  );

  it('equals fft.js on powers of two to rounding', () => {
    for (const n of [1024, 8192]) {
      const x = random(n);
      const a = new Float64Array(2 * n);
      const b = new Float64Array(2 * n);
      new MixedRadixFft(n).transform(a, x);
      new FFT(n).transform(b, x);
      expect(maxAbs(a, b)).toBeLessThan(1e-12);
    }
  });

  it('refuses lengths with other prime factors, and the same arrays in and out', () => {
    expect(() => new MixedRadixFft(14)).toThrow(/prime factor/);
    const fft = new MixedRadixFft(8);
    const x = new Float64Array(16);
    expect(() => fft.transform(x, x)).toThrow(/different/);
  });

  it('smoothFftSize: the smallest even 2-3-5-smooth length at least the minimum', () => {
    const smooth = (n: number) => {
      let r = n;
      for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
      return r === 1 && n % 2 === 0;
    };
    for (const min of [2, 3, 17, 100, 1023, 2047, 19999, 20000, 20001, 65537]) {
      const n = smoothFftSize(min);
      expect(n).toBeGreaterThanOrEqual(min);
      expect(smooth(n)).toBe(true);
      for (let k = min; k < n; k++) expect(smooth(k)).toBe(false);
    }
    expect(smoothFftSize(20000)).toBe(20000);
    expect(smoothFftSize(2048)).toBe(2048);
  });

  it('fastFftSize: a smooth length at least the minimum, no costlier than the smallest', () => {
    for (const min of [2, 17, 2000, 2048, 14000, 20000, 100000]) {
      const n = fastFftSize(min);
      expect(n).toBeGreaterThanOrEqual(min);
      expect(() => new MixedRadixFft(n)).not.toThrow();
      expect(fftCost(n)).toBeLessThanOrEqual(fftCost(smoothFftSize(min)));
    }
    // 20,000 = 2^5 5^4 (four radix-5 stages) against 20,480 = 4^6 5.
    expect(fastFftSize(20000)).toBe(20480);
  });

  it('fastFftSize: the cheapest by fftCost of every even smooth length in [smallest, 2 x smallest), the first of equals', () => {
    // The search by exhaustion: every even number above the smallest smooth length, factored.
    const smooth = (n: number) => {
      let r = n;
      for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
      return r === 1;
    };
    const scan = (min: number) => {
      let best = smoothFftSize(min);
      const first = best;
      for (let n = first + 2; n < 2 * first; n += 2) if (smooth(n) && fftCost(n) < fftCost(best)) best = n;
      return best;
    };
    for (let min = 2; min < 3000; min += 1) expect(fastFftSize(min), `min ${min}`).toBe(scan(min));
    for (let min = 3000; min < 300000; min += 997) expect(fastFftSize(min), `min ${min}`).toBe(scan(min));
  });
});
