/**
 * PowerSpectrumSum (core/power-spectrum-sum.ts): the WebAssembly SIMD kernel equals its
 * JavaScript twin bit for bit (every radix, every part-filled batch), both equal the spectra of
 * the series summed directly, and the committed module is what `npm run build:wasm` makes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MixedRadixFft } from '../../src/core/mixed-radix-fft.js';
import { PowerSpectrumSum } from '../../src/core/power-spectrum-sum.js';

let seed = 11;
const random = (n: number) =>
  Float64Array.from({ length: n }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    return (seed >>> 0) / 4294967296 - 0.5;
  });

/** sum_j |X_j(f)|^2, each series transformed on its own (zero-padded to `size`). */
const direct = (series: Float64Array[], size: number): Float64Array => {
  const fft = new MixedRadixFft(size);
  const out = new Float64Array(size);
  const z = new Float64Array(2 * size);
  const s = new Float64Array(2 * size);
  for (const x of series) {
    z.fill(0);
    x.forEach((v, k) => {
      z[2 * k] = v;
    });
    fft.transform(s, z);
    for (let f = 0; f < size; f++) out[f] += s[2 * f] ** 2 + s[2 * f + 1] ** 2;
  }
  return out;
};

describe('PowerSpectrumSum', () => {
  it('runs the WebAssembly kernel on this runtime', () => {
    expect(new PowerSpectrumSum(16).engine).toBe('wasm');
    expect(new PowerSpectrumSum(16, { javascript: true }).engine).toBe('javascript');
  });

  // Lengths with stages of radix 4, 2, 3 and 5, and 1 to 9 series (every fill of the last batch).
  it.each([
    [4, 1],
    [6, 2],
    [16, 3],
    [30, 4],
    [90, 5],
    [250, 6],
    [360, 7],
    [1024, 8],
    [2250, 9],
    [20480, 5],
  ])(
    'size %i, %i series: the kernel equals the JavaScript path bit for bit, and the direct sum',
    (size, count) => {
      const series = Array.from({ length: count }, (_, j) => random(Math.max(1, Math.floor(size / 2) - j)));
      const wasm = new PowerSpectrumSum(size);
      const js = new PowerSpectrumSum(size, { javascript: true });
      for (const x of series) {
        wasm.add(x);
        js.add(x);
      }
      const a = wasm.power();
      const b = js.power();
      expect(Array.from(a, (v, f) => Object.is(v, b[f])).every(Boolean)).toBe(true);
      // Two series share a transform: |Z(f)|^2 carries a cross term odd in f, which the even part
      // (what the autocorrelation's real part sees) cancels.
      const ref = direct(series, size);
      const scale = Math.max(...ref);
      for (let f = 0; f < size; f++) {
        const even = (a[f] + a[(size - f) % size]) / 2;
        expect(Math.abs(even - ref[f])).toBeLessThan(1e-12 * scale * Math.log2(size + 1));
      }
      // Adding goes on after power(): the later series add to the same sums.
      const more = random(Math.floor(size / 2));
      wasm.add(more);
      js.add(more);
      expect(Array.from(wasm.power())).toEqual(Array.from(js.power()));
    },
  );

  it('keeps separate sums in one kernel: each equals a PowerSpectrumSum given the same batches', () => {
    const size = 360;
    const series = Array.from({ length: 24 }, () => random(170));
    for (const javascript of [false, true]) {
      // Four series of a sum at a time (as the MSD adds them): the batches of separate sums.
      const shared = new PowerSpectrumSum(size, { javascript, sums: 3 });
      const apart = [0, 1, 2].map(() => new PowerSpectrumSum(size, { javascript }));
      series.forEach((x, j) => {
        const sum = Math.floor(j / 4) % 3;
        shared.add(x, x.length, sum);
        apart[sum].add(x);
      });
      for (let sum = 0; sum < 3; sum++)
        expect(Array.from(shared.power(sum))).toEqual(Array.from(apart[sum].power()));
      // Interleaved: a change of sum transforms the batch so far (here, of one series).
      const mixed = new PowerSpectrumSum(size, { javascript, sums: 3 });
      const single = [0, 1, 2].map(() => new PowerSpectrumSum(size, { javascript }));
      series.forEach((x, j) => {
        mixed.add(x, x.length, j % 3);
        single[j % 3].add(x);
        single[j % 3].power();
      });
      for (let sum = 0; sum < 3; sum++)
        expect(Array.from(mixed.power(sum))).toEqual(Array.from(single[sum].power()));
    }
    expect(() => new PowerSpectrumSum(8, { sums: 2 }).add(new Float64Array(4), 4, 2)).toThrow(/sum 2 of 2/);
  });

  it.each([4, 30, 20480])(
    'realInverse (size %i): the real part of MixedRadixFft.inverseTransform, bit for bit, either way',
    (size) => {
      const inputs = Array.from({ length: 5 }, () => random(size));
      const fft = new MixedRadixFft(size);
      const reference = inputs.map((p) => {
        const full = new Float64Array(2 * size);
        p.forEach((v, k) => {
          full[2 * k] = v;
        });
        const out = new Float64Array(2 * size);
        fft.inverseTransform(out, full);
        return Array.from({ length: size }, (_, k) => out[2 * k]);
      });
      for (const javascript of [false, true]) {
        const spectra = new PowerSpectrumSum(size, { javascript });
        // After a sum was taken, too: the kernel's buffers are left clean for both uses.
        spectra.add(random(size / 2));
        const first = spectra.power();
        const got = spectra.realInverse(inputs).map((a) => Array.from(a));
        expect(got).toEqual(reference);
        spectra.add(random(size / 2));
        expect(spectra.power().every((v, f) => v >= first[f] - 1e-9)).toBe(true);
      }
    },
  );

  it('refuses a series longer than the transform', () => {
    expect(() => new PowerSpectrumSum(8).add(new Float64Array(9))).toThrow(/9 points for a transform of 8/);
  });

  it('the committed module is what npm run build:wasm makes of wasm/power-spectrum.ts', () => {
    const built = execFileSync(process.execPath, ['wasm/build.mjs', '--stdout', 'wasm/power-spectrum.ts'], {
      encoding: 'utf8',
    });
    expect(built).toBe(readFileSync('src/core/power-spectrum-wasm-bytes.ts', 'utf8'));
  }, 60_000);
});
