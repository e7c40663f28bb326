/**
 * MD engine speed (issue 5): atom-steps per second of the embedded engine on the study's 128-atom
 * LAOC^0b cell (DSF, 10 A cutoff, NVE at 1 fs), and of LAMMPS (`lmp`, 1 process) on the same data
 * file and force field when it is installed.
 *
 *   npm run bench:md -- [--steps 2000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOligomer } from '../src/build/oligomer.js';
import { packGlass } from '../src/build/pack-glass.js';
import { lammpsFiles, writeLammpsExport } from '../src/engines/lammps-export.js';
import { LAOC_V1 } from '../src/forcefield/force-field.js';
import { typeSystem } from '../src/forcefield/typing.js';
import { runMd } from '../src/md/integrator.js';

const k = process.argv.indexOf('--steps');
const steps = k > 0 ? Number(process.argv[k + 1]) : 2000;
const s = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });
const sys = typeSystem(s, LAOC_V1);
const L = s.frame.lattice!;
const eq = await runMd(s.frame.positions, L, sys, LAOC_V1, {
  ensemble: 'langevin',
  temperatureK: 300,
  steps: 500,
});
const t0 = performance.now();
await runMd(
  eq.positions,
  L,
  sys,
  LAOC_V1,
  { ensemble: 'nve', temperatureK: 300, steps, newVelocities: false, thermoEvery: steps },
  eq.velocities,
);
const ours = (sys.natoms * steps) / ((performance.now() - t0) / 1000);
console.log(
  `oligolyte md: ${sys.natoms} atoms, ${steps} NVE steps: ${Math.round(ours).toLocaleString('en')} atom-steps/s`,
);

if (spawnSync('lmp', ['-h']).status === 0) {
  const dir = mkdtempSync(join(tmpdir(), 'oligolyte-bench-lmp-'));
  writeLammpsExport(dir, lammpsFiles(eq.positions, L, sys, LAOC_V1));
  // Replace the single-point run by the same NVE run (velocities drawn by LAMMPS at 300 K).
  const input = readFileSync(join(dir, 'in.oligolyte'), 'utf8')
    .replace(/dump[^\n]*\n/g, '')
    .replace('run 0', '');
  const script = `${input}velocity all create 300 1 mom yes rot no dist gaussian\nfix 1 all nve\ntimestep 1.0\nthermo ${steps}\nrun ${steps}\n`;
  appendFileSync(join(dir, 'in.bench'), script);
  execFileSync('lmp', ['-in', 'in.bench', '-log', 'log.lammps', '-screen', 'none'], { cwd: dir });
  const log = readFileSync(join(dir, 'log.lammps'), 'utf8');
  const loop = /Loop time of ([\d.e+-]+) on 1 procs for (\d+) steps with (\d+) atoms/.exec(log);
  if (loop) {
    const rate = (Number(loop[3]) * Number(loop[2])) / Number(loop[1]);
    console.log(
      `LAMMPS (lmp, 1 process): ${Math.round(rate).toLocaleString('en')} atom-steps/s; oligolyte is ${((100 * ours) / rate).toFixed(0)} % of it`,
    );
  }
} else console.log('LAMMPS not installed: no comparison');
