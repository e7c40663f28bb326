/**
 * Speed of the MD-model PDF (issue 23): G(r) of a 16,384-atom LAOC glass cell to rmax 20 A,
 * averaged over 10 frames, by the periodic route (every image; pair counting in worker threads),
 * the brief's target being under 10 s on a 2-core machine.
 *
 * The cell: the 256-atom LAOC glass of test/fixtures/rdf/laoc-npt.lammpstrj (its 5 frames)
 * replicated 4 x 4 x 4 with src/builders/supercell.ts (72.3 A), and the same 5 frames again with
 * every atom moved by a seeded Gaussian of 0.1 A per axis: 10 distinct frames. Timed: the
 * accumulation (pushing the frames) and the result (G(r), partials, on the 0.01 A grid), X-ray
 * weights, U = 0, counting bin 0.001 A; also the sphere route's time per cut-out for comparison.
 *
 *   npm run bench:scattering-md -- [--threads n] [--rmax 20] [--frames 10] [--no-sphere]
 */
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MdPdfAccumulator } from '../src/analysis/scattering/md-pdf.js';
import { supercell } from '../src/builders/supercell.js';
import type { Structure } from '../src/core/frame.js';
import { SeededRandom } from '../src/core/random.js';
import { readFrames } from '../src/io/registry.js';

const arg = (name: string, def: number) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : def;
};
const threads = arg('threads', availableParallelism());
const rMaxA = arg('rmax', 20);
const nframes = arg('frames', 10);
const here = dirname(fileURLToPath(import.meta.url));

const base: Structure[] = [];
for await (const s of readFrames(join(here, '..', 'test', 'fixtures', 'rdf', 'laoc-npt.lammpstrj')))
  base.push(s);
const rng = new SeededRandom(2026);
const frames: Structure[] = [];
for (let k = 0; k < nframes; k++) {
  const s = supercell(base[k % base.length], [4, 4, 4]);
  if (k >= base.length)
    for (let i = 0; i < s.frame.positions.length; i++) s.frame.positions[i] += 0.1 * rng.gaussian();
  frames.push(s);
}
const n = frames[0].topology.natoms;
const L = frames[0].frame.lattice!.lengths[0];
console.log(
  `cell: ${n} atoms, ${L.toFixed(1)} A; ${frames.length} frames; rmax ${rMaxA} A; ${threads} threads`,
);

const c0 = process.cpuUsage();
const t0 = performance.now();
const acc = new MdPdfAccumulator(frames[0].topology, { rMaxA, threads });
for (const f of frames) await acc.push(f.frame);
const t1 = performance.now();
const r = await acc.result();
const t2 = performance.now();
const cpu = process.cpuUsage(c0);
const peak = r.rA[r.g.indexOf(Math.max(...r.g))];
console.log(
  `periodic route: ${((t2 - t0) / 1000).toFixed(2)} s (frames ${((t1 - t0) / 1000).toFixed(2)} s, result ${((t2 - t1) / 1000).toFixed(2)} s); ${((t2 - t0) / 1000 / frames.length).toFixed(2)} s per frame; highest G ${Math.max(...r.g).toFixed(3)} at ${peak.toFixed(2)} A`,
);
console.log(
  `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s over all threads (wall x threads when nothing else runs); target: under 10 s wall: ${t2 - t0 < 10_000 ? 'met' : 'NOT met'}`,
);

if (!process.argv.includes('--no-sphere')) {
  const t3 = performance.now();
  const sphere = new MdPdfAccumulator(frames[0].topology, {
    rMaxA,
    route: 'sphere',
    sphereDiameterA: 2 * rMaxA + 2,
    sphereCentres: 4,
  });
  await sphere.push(frames[0].frame);
  const s = await sphere.result();
  const t4 = performance.now();
  console.log(
    `sphere route: ${s.samples} cut-outs of ${s.sphereDiameterA} A in ${((t4 - t3) / 1000).toFixed(2)} s (${((t4 - t3) / 1000 / s.samples!).toFixed(2)} s each)`,
  );
}
