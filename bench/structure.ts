/**
 * Structure analysis speed and memory (issue 22): all partial RDFs of a 2,000-atom x 1,000-frame
 * trajectory (override: --atoms N --frames N) with oligolyte and with MDAnalysis InterRDF over the
 * same pairs, frames and bins, side by side in one run.
 *
 * The trajectory has the LAOC element ratios (Li3Al3O2Cl8: 375 Li, 375 Al, 250 O, 1,000 Cl for
 * 2,000 atoms) in a cube at 1.9 g/cm3 (35.7 A), the atoms on seeded random walks as bench/io.ts
 * makes them, written as a DCD (float32, as MD codes write it; read by both tools) with a PDB for
 * the atoms. Both compute the 10 element pairs a <= b, r <= 8 A in 400 bins: oligolyte in one
 * streaming pass (RdfAccumulator, all pairs at once), MDAnalysis as its users do, one InterRDF per
 * pair (a == b with exclusion_block=(1, 1), the same normalisation) through /usr/bin/python3
 * (python3-mdanalysis 2.4.2). Reported: wall times (oligolyte with and without reading the file),
 * the ratio, the resident memory after 10 % of the frames and at the end (flat in frames), and the
 * largest |g - g_MDAnalysis| as a check that both computed the same thing.
 *
 *   npm run bench:structure -- [--atoms 2000] [--frames 1000] [--keep DIR] [--no-mdanalysis]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RdfResult } from '../src/analysis/structure/rdf.js';
import { ThreadedRdfAccumulator } from '../src/analysis/structure/rdf-threads.js';
import { Lattice } from '../src/core/lattice.js';
import { Topology } from '../src/core/topology.js';
import { AMU_G, CUBIC_ANGSTROM_CM3 } from '../src/core/units.js';
import { readFrames } from '../src/io/registry.js';
import { writeWalkDcd, writeWalkTopology } from './walk-dcd.js';

const arg = (name: string, def: number) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : def;
};
const natoms = arg('atoms', 2000);
const nframes = arg('frames', 1000);
const R_MAX = 8;
const BINS = 400;
const keepIdx = process.argv.indexOf('--keep');
const dir = keepIdx > 0 ? process.argv[keepIdx + 1] : mkdtempSync(join(tmpdir(), 'oligolyte-bench-'));
mkdirSync(dir, { recursive: true });
const here = dirname(fileURLToPath(import.meta.url));

// LAOC^0b ratios, Li3Al3O2Cl8 per 16 atoms.
const pattern = [
  'Li',
  'Li',
  'Li',
  'Al',
  'Al',
  'Al',
  'O',
  'O',
  'Cl',
  'Cl',
  'Cl',
  'Cl',
  'Cl',
  'Cl',
  'Cl',
  'Cl',
];
const symbols = Array.from({ length: natoms }, (_, i) => pattern[i % 16]);
const topology = new Topology({ symbols });
const edge = Math.cbrt((topology.totalMass() * AMU_G) / (1.9 * CUBIC_ANGSTROM_CM3));
const lattice = Lattice.cubic(edge);

/** Seeded random walks in fractional coordinates, wrapped into the cell (as bench/io.ts). */
const walkOptions = { natoms, nframes, edge, lattice, stepFrac: 0.004, wrap: true };

const dcd = join(dir, 'walk.dcd');
const pdb = join(dir, 'walk.pdb');
console.log(
  `trajectory: ${natoms} atoms x ${nframes} frames, cube ${edge.toFixed(2)} A (1.9 g/cm3), in ${dir}; r <= ${R_MAX} A, ${BINS} bins`,
);
try {
  statSync(dcd);
} catch {
  const t = performance.now();
  writeWalkDcd(dcd, walkOptions, 'oligolyte bench/structure.ts random walks');
  await writeWalkTopology(pdb, walkOptions, topology);
  console.log(
    `  wrote the DCD (${(statSync(dcd).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}

// oligolyte: one streaming pass, every partial at once, in this thread and with worker threads.
const mb = (b: number) => (b / 1e6).toFixed(0);
const runOligolyte = async (threads: number) => {
  (globalThis as { gc?: () => void }).gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let at10 = 0;
  let n = 0;
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const acc = new ThreadedRdfAccumulator(
    topology,
    { rMaxA: R_MAX, bins: BINS, pairs: 'all', total: false },
    threads,
  );
  for await (const s of readFrames(dcd, { topology })) {
    const wait = acc.push(s.frame, s.source);
    if (wait) await wait;
    n++;
    if (n % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    if (n === Math.round(nframes / 10)) at10 = process.memoryUsage().rss;
  }
  const result = await acc.result();
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu0);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (n !== nframes) throw new Error(`read ${n} frames of ${nframes}`);
  console.log(
    `oligolyte, ${threads} thread${threads > 1 ? 's' : ''}: ${seconds.toFixed(2)} s, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU; RSS before ${mb(rss0)} MB, after 10 % of the frames ${mb(at10)} MB, peak ${mb(peak)} MB`,
  );
  return { seconds, cpu: (used.user + used.system) / 1e6, result };
};
const threads = availableParallelism();
const one = await runOligolyte(1);
const many = threads > 1 ? await runOligolyte(threads) : one;
const mine: RdfResult = one.result;
for (const [k, c] of many.result.partials.entries())
  if (c.counts.some((v, j) => v !== mine.partials[k].counts[j]))
    throw new Error(`threads changed the ${c.name} counts`);

if (process.argv.includes('--no-mdanalysis')) process.exit(0);
const out = join(dir, 'mdanalysis.json');
const py = spawnSync(
  '/usr/bin/python3',
  [join(here, 'structure-mdanalysis.py'), pdb, dcd, String(R_MAX), String(BINS), out],
  { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] },
);
if (py.status !== 0) throw new Error(`MDAnalysis failed: ${py.stderr}`);
const ref = JSON.parse(readFileSync(out, 'utf8')) as {
  version: string;
  loadSeconds: number;
  loadCpuSeconds: number;
  pairs: { name: string; seconds: number; cpuSeconds: number; rdf: number[] }[];
};
const mdaTotal = ref.loadSeconds + ref.pairs.reduce((s, p) => s + p.seconds, 0);
const mdaCpu = ref.loadCpuSeconds + ref.pairs.reduce((s, p) => s + p.cpuSeconds, 0);
let worst = 0;
for (const p of ref.pairs) {
  const c = mine.partials.find((x) => x.name === p.name);
  if (!c) throw new Error(`no ${p.name} in oligolyte's result`);
  for (let k = 0; k < BINS; k++) worst = Math.max(worst, Math.abs(c.g[k] - p.rdf[k]));
}
console.log(
  `MDAnalysis ${ref.version}: ${mdaTotal.toFixed(1)} s, ${mdaCpu.toFixed(1)} s CPU (Universe ${ref.loadSeconds.toFixed(2)} s)`,
);
const row = (name: string, r: { seconds: number; cpu: number }) =>
  `| ${name} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(mdaTotal / r.seconds).toFixed(1)}x | ${(mdaCpu / r.cpu).toFixed(1)}x |`;
console.log(
  [
    '',
    `| ${natoms} atoms x ${nframes} frames, 10 partials, ${BINS} bins to ${R_MAX} A | wall (s) | CPU (s) | MDAnalysis / this, wall | CPU |`,
    '|---|---|---|---|---|',
    row('oligolyte, 1 thread (read + all pairs in one pass)', one),
    ...(threads > 1 ? [row(`oligolyte, ${threads} threads`, many)] : []),
    `| MDAnalysis ${ref.version} InterRDF, one run per pair | ${mdaTotal.toFixed(1)} | ${mdaCpu.toFixed(1)} | | |`,
  ].join('\n'),
);
console.log(`max |g - g_MDAnalysis| over all pairs and bins: ${worst.toExponential(2)}`);
if (keepIdx < 0) rmSync(dir, { recursive: true, force: true });
