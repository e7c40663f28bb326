/**
 * Transport analysis speed and memory (issue 3): a 2,000-atom x 20,000-frame random walk with 400
 * Li (override: --atoms N --frames N --li N), generated in memory so parsing is not counted (the
 * read speed of each format is in bench/run.ts). Reports the time to unwrap and drift-correct
 * every frame, to compute the MSDs (FFT, all lags) and the lag statistics, and to fit D (GLS),
 * sigma and the Haven ratio; and the peak resident memory.
 *
 *   npm run bench:transport -- [--atoms 2000] [--frames 20000] [--li 400]
 */
import { analyseTransport } from '../src/analysis/transport/analyse-run.js';
import type { Structure } from '../src/core/frame.js';
import { Lattice } from '../src/core/lattice.js';
import { Topology } from '../src/core/topology.js';

const arg = (name: string, def: number) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : def;
};
const natoms = arg('atoms', 2000);
const nframes = arg('frames', 20000);
const nli = arg('li', 400);

const lattice = Lattice.cubic(30);
const symbols = Array.from({ length: natoms }, (_, i) => (i < nli ? 'Li' : i % 2 ? 'Al' : 'Cl'));
const topology = new Topology({ symbols });

let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().rss);
};

/** Li random-walk, the rest vibrate about fixed sites; wrapped into the cell as MD codes write it. */
async function* frames(): AsyncGenerator<Structure> {
  let seed = 12345;
  const rnd = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    return (seed >>> 0) / 4294967296 - 0.5;
  };
  const home = Float64Array.from({ length: 3 * natoms }, () => 30 * (rnd() + 0.5));
  const walk = home.slice();
  const positions = new Float64Array(3 * natoms);
  for (let k = 0; k < nframes; k++) {
    for (let i = 0; i < 3 * natoms; i++) {
      let x: number;
      if (i < 3 * nli) {
        walk[i] += 0.2 * rnd();
        x = walk[i];
      } else x = home[i] + 0.1 * rnd();
      positions[i] = x - 30 * Math.floor(x / 30);
    }
    if (k % 500 === 0) sample();
    yield { topology, frame: { positions, lattice, timeFs: 10 * k } };
  }
}

// The generator's own cost, measured alone, is subtracted from the unwrapping phase.
let t0 = performance.now();
for await (const _ of frames()) {
}
const generation = performance.now() - t0;
global.gc?.();
const base = process.memoryUsage().rss;
peak = base;

t0 = performance.now();
let framesDone = 0;
let msdStart = 0;
let run: Awaited<ReturnType<typeof analyseTransport>> | undefined = await analyseTransport(frames(), {
  species: 'Li',
  temperatureK: 600,
  fitStartPs: (0.1 * nframes * 10) / 1000,
  onProgress: (phase, done) => {
    sample();
    if (phase === 'msd' && msdStart === 0) msdStart = performance.now();
    if (phase === 'frames') framesDone = done;
  },
});
const total = performance.now() - t0;
const fitPhase = performance.now() - msdStart;
sample();
const peakLi = peak;
const r = run.result;
run = undefined; // let the displacements go before the second pass
global.gc?.();

// The same with the MSD of the other elements (the CLI's default framework check).
peak = 0;
const t1 = performance.now();
await analyseTransport(frames(), {
  species: 'Li',
  temperatureK: 600,
  fitStartPs: (0.1 * nframes * 10) / 1000,
  elementMsd: true,
  onProgress: sample,
});
const withElements = performance.now() - t1;
console.log(
  `transport: ${natoms} atoms x ${nframes} frames, ${nli} Li (frames generated in memory; generation ${(generation / 1000).toFixed(2)} s not counted)`,
);
console.log(`  unwrap + drift, all frames   ${((msdStart - t0 - generation) / 1000).toFixed(2)} s`);
console.log(`  MSD (FFT) + statistics + fits ${(fitPhase / 1000).toFixed(2)} s`);
console.log(`  analysis total               ${((total - generation) / 1000).toFixed(2)} s`);
console.log(
  `  peak RSS ${(peakLi / 1e6).toFixed(0)} MB (baseline before the analysis ${(base / 1e6).toFixed(0)} MB)`,
);
console.log(
  `  with the MSD of the other elements too (the CLI default): ${((withElements - generation) / 1000).toFixed(2)} s, peak RSS ${(peak / 1e6).toFixed(0)} MB`,
);
console.log(
  `  D = ${r.diffusivity.glsCm2PerS.value.toExponential(4)} +- ${r.diffusivity.glsCm2PerS.std.toExponential(2)} cm^2/s, sigma = ${r.conductivity.nernstEinsteinMsPerCm.value.toPrecision(4)} mS/cm, frames ${framesDone}`,
);
