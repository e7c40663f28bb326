/**
 * The MSD's summed power spectra (issue 28 item 2): PowerSpectrumSum with its WebAssembly SIMD
 * kernel against its JavaScript path (MixedRadixFft), 800 series of 10,000 points transformed at
 * 20,480 (a transport analysis of 400 Li over 10,000 frames sums 1,200 such series), best of
 * `--repeat` runs after a warm-up; the two sums are checked to be the same bits.
 *
 *   npm run bench:spectra -- [--repeat 5]
 */
import { fastFftSize } from '../src/core/mixed-radix-fft.js';
import { PowerSpectrumSum } from '../src/core/power-spectrum-sum.js';

const k = process.argv.indexOf('--repeat');
const repeat = k > 0 ? Number(process.argv[k + 1]) : 5;
const T = 10_000;
const SERIES = 800;
const size = fastFftSize(2 * T);
let seed = 3;
const series = Array.from({ length: 8 }, () =>
  Float64Array.from({ length: T }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    return (seed >>> 0) / 4294967296 - 0.5;
  }),
);

const time = (javascript: boolean) => {
  let best = Number.POSITIVE_INFINITY;
  let power: Float64Array = new Float64Array(0);
  for (let r = 0; r <= repeat; r++) {
    const sum = new PowerSpectrumSum(size, { javascript });
    const t0 = performance.now();
    for (let j = 0; j < SERIES; j++) sum.add(series[j % series.length]);
    power = sum.power();
    // The first run warms the JIT up and is not counted.
    if (r > 0) best = Math.min(best, performance.now() - t0);
  }
  return { best, power };
};

const wasm = time(false);
const js = time(true);
const same = wasm.power.every((v, f) => Object.is(v, js.power[f]));
console.log(`${SERIES} series of ${T} points at ${size}, best of ${repeat}:`);
console.log(`  WebAssembly SIMD  ${wasm.best.toFixed(1)} ms`);
console.log(
  `  JavaScript        ${js.best.toFixed(1)} ms  (${(js.best / wasm.best).toFixed(2)}x the kernel's time)`,
);
console.log(`  sums ${same ? 'equal bit for bit' : 'DIFFER'}`);
if (!same) process.exitCode = 1;
