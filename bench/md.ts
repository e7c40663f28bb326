/**
 * MD engine speed (issue 5): atom-steps per second of the embedded engine on the study's 128-atom
 * LAOC^0b cell and on a 16,384-atom replica (8 x 4 x 4 copies; DSF, 10 A cutoff, NVE at 1 fs), with
 * 1 and 2 threads, and of LAMMPS (`lmp`, 1 and 2 MPI processes) on the same data files and force
 * field when it is installed; then the small cell with Ewald (accuracy 1e-6) against LAMMPS's pppm. Like LAMMPS's "Loop time", our time leaves out the start (the first
 * third of the steps: thread start, JIT warm-up, first list build); neighbour-list rebuilds during
 * the run are included in both. Each figure is the best of `--repeat` runs (this machine's timings
 * scatter by 10-40 % from run to run). On one thread / one process the rate per CPU-second is
 * printed too (ours from process.cpuUsage, so it counts V8's compiler and GC threads; LAMMPS's from
 * its "% CPU use"): on a shared machine it moves far less with the load than the wall-clock rate.
 * The load average is printed with each cell.
 *
 *   npm run bench:md -- [--steps 3000] [--large-steps 300] [--repeat 2] [--ewald-only] [--no-large-ewald]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOligomer } from '../src/builders/oligomer.js';
import { packGlass } from '../src/builders/pack-glass.js';
import { supercell } from '../src/builders/supercell.js';
import type { Structure } from '../src/core/frame.js';
import { lammpsFiles, writeLammpsExport } from '../src/engines/lammps-export.js';
import { mpiCommand, mpiLauncher } from '../src/engines/mpi-launcher.js';
import { type ForceField, LAOC_V1, withCoulomb } from '../src/forcefield/force-field.js';
import { typeSystem } from '../src/forcefield/typing.js';
import { runMd } from '../src/md/integrator.js';

const arg = (name: string, fallback: number) => {
  const k = process.argv.indexOf(name);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
};
const smallSteps = arg('--steps', 3000);
const largeSteps = arg('--large-steps', 300);
const repeat = arg('--repeat', 2);
const haveLammps = spawnSync('lmp', ['-h']).status === 0;
/** The MPI launcher (OLIGOLYTE_MPIRUN, or mpirun with its implementation's flags), if there is one. */
const mpi = (() => {
  try {
    return mpiLauncher();
  } catch {
    return undefined;
  }
})();
const cores = availableParallelism();

const small = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });
const smallSys = typeSystem(small, LAOC_V1);
const eq = await runMd(small.frame.positions, small.frame.lattice!, smallSys, LAOC_V1, {
  ensemble: 'langevin',
  temperatureK: 300,
  steps: 500,
});
const relaxed: Structure = { ...small, frame: { ...small.frame, positions: eq.positions } };
const fmt = (r: number) => Math.round(r).toLocaleString('en');

/** A rate in atom-steps per second of wall clock, and per CPU-second of the run's process(es). */
interface Rate {
  wall: number;
  cpu: number;
}
const bestRate = async (measure: () => Promise<Rate | undefined> | Rate | undefined) => {
  let top: Rate | undefined;
  for (let k = 0; k < repeat; k++) {
    const r = await measure();
    if (r === undefined) continue;
    top = top ? { wall: Math.max(top.wall, r.wall), cpu: Math.max(top.cpu, r.cpu) } : r;
  }
  return top;
};
const load = () => `load average ${loadavg()[0].toFixed(2)}`;

/** LAMMPS's rate on the same NVE run (velocities drawn by LAMMPS at 300 K), np MPI processes. */
const lammpsRate = (s: Structure, ff: ForceField, steps: number, np: number): Rate | undefined => {
  const sys = typeSystem(s, ff);
  const dir = mkdtempSync(join(tmpdir(), 'oligolyte-bench-lmp-'));
  // Ewald runs against LAMMPS's pppm (its fast equivalent) at the same accuracy.
  writeLammpsExport(dir, lammpsFiles(s.frame.positions, s.frame.lattice!, sys, ff, { kspace: 'pppm' }));
  const input = readFileSync(join(dir, 'in.oligolyte'), 'utf8')
    .replace(/dump[^\n]*\n/g, '')
    .replace('run 0', '');
  appendFileSync(
    join(dir, 'in.bench'),
    `${input}velocity all create 300 1 mom yes rot no dist gaussian\nfix 1 all nve\ntimestep 1.0\nthermo ${steps}\nrun ${steps}\n`,
  );
  const lmp = ['lmp', '-in', 'in.bench', '-log', 'log.lammps', '-screen', 'none'];
  if (np === 1) execFileSync(lmp[0], lmp.slice(1), { cwd: dir });
  else {
    const [cmd, ...args] = mpiCommand(mpi!, np, lmp);
    execFileSync(cmd, args, { cwd: dir });
  }
  const log = readFileSync(join(dir, 'log.lammps'), 'utf8');
  const loop = /Loop time of ([\d.e+-]+) on \d+ procs for (\d+) steps with (\d+) atoms/.exec(log);
  // "99.5% CPU use with 1 MPI tasks": the share of the loop's wall time each process ran.
  const use = /([\d.]+)% CPU use/.exec(log);
  if (!loop) return undefined;
  const wall = (Number(loop[3]) * Number(loop[2])) / Number(loop[1]);
  return { wall, cpu: use ? wall / (Number(use[1]) / 100) : Number.NaN };
};

const bench = async (label: string, s: Structure, steps: number, ff: ForceField = LAOC_V1) => {
  const sys = typeSystem(s, ff);
  const ours = new Map<number, Rate>();
  // Progress comes every 100 steps: time from the first report after the first third (at least
  // step 100; with fewer than 200 steps there is nothing left to time).
  const from = Math.max(100, Math.round(steps / 300) * 100);
  if (steps < 200) throw new Error(`${label}: time at least 200 steps (got ${steps})`);
  for (const threads of [1, 2]) {
    const rate = await bestRate(async () => {
      let t0 = 0;
      let cpu0 = 0;
      await runMd(s.frame.positions, s.frame.lattice!, sys, ff, {
        ensemble: 'nve',
        temperatureK: 300,
        steps,
        thermoEvery: steps,
        threads,
        onProgress: (step) => {
          if (step === from) {
            t0 = performance.now();
            const u = process.cpuUsage();
            cpu0 = u.user + u.system;
          }
        },
      });
      const u = process.cpuUsage();
      const atomSteps = sys.natoms * (steps - from);
      return {
        wall: atomSteps / ((performance.now() - t0) / 1000),
        cpu: atomSteps / ((u.user + u.system - cpu0) / 1e6),
      };
    });
    ours.set(threads, rate!);
  }
  const coulomb =
    ff.coulomb.method === 'ewald'
      ? `Ewald, accuracy ${ff.coulomb.accuracy.toExponential()} (LAMMPS: pppm at the same accuracy)`
      : `${ff.coulomb.method.toUpperCase()}`;
  const lines = [`${label} (${sys.natoms} atoms, ${steps} steps, ${coulomb}, 10 A, NVE 1 fs; ${load()})`];
  const o1 = ours.get(1)!;
  const o2 = ours.get(2)!;
  lines.push(`  oligolyte 1 thread   ${fmt(o1.wall)} atom-steps/s (${fmt(o1.cpu)} per CPU-second)`);
  lines.push(`  oligolyte 2 threads  ${fmt(o2.wall)} atom-steps/s`);
  if (haveLammps) {
    const l1 = await bestRate(() => lammpsRate(s, ff, steps, 1));
    const l2 = mpi ? await bestRate(() => lammpsRate(s, ff, steps, 2)) : undefined;
    if (l1) {
      lines.push(`  LAMMPS 1 process     ${fmt(l1.wall)} atom-steps/s (${fmt(l1.cpu)} per CPU-second)`);
      lines.push(
        `  oligolyte 1 thread at ${((100 * o1.wall) / l1.wall).toFixed(0)} % of LAMMPS 1 process ` +
          `(${((100 * o1.cpu) / l1.cpu).toFixed(0)} % per CPU-second); ` +
          `2 threads at ${((100 * o2.wall) / l1.wall).toFixed(0)} %`,
      );
    }
    if (l2) {
      lines.push(`  LAMMPS 2 processes   ${fmt(l2.wall)} atom-steps/s`);
      lines.push(
        `  oligolyte 2 threads at ${((100 * o2.wall) / l2.wall).toFixed(0)} % of LAMMPS 2 processes`,
      );
    }
  } else lines.push('  LAMMPS not installed, no comparison');
  lines.push(`  (${load()} at the end)`);
  console.log(lines.join('\n'));
};

console.log(`${cores} cores`);
if (!process.argv.includes('--ewald-only')) {
  await bench('128-atom LAOC^0b cell', relaxed, smallSteps);
  await bench('16,384-atom replica', supercell(relaxed, [8, 4, 4]), largeSteps);
}
// Ewald: the reference long-range sum; the small cell by the exact k-vector sum, the large one by
// particle-mesh Ewald (chosen from 1,000 atoms on; md/reciprocal-choice.ts), at accuracy 1e-5.
await bench('128-atom LAOC^0b cell', relaxed, smallSteps, withCoulomb(LAOC_V1, 'ewald'));
if (!process.argv.includes('--no-large-ewald'))
  await bench('16,384-atom replica, PME', supercell(relaxed, [8, 4, 4]), largeSteps, {
    ...LAOC_V1,
    coulomb: { method: 'ewald', accuracy: 1e-5 },
  });
