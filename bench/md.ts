/**
 * MD engine speed (issue 5): atom-steps per second of the embedded engine on the study's 128-atom
 * LAOC^0b cell and on a 16,384-atom replica (8 x 4 x 4 copies; DSF, 10 A cutoff, NVE at 1 fs; the
 * time includes the first neighbour-list build), and of LAMMPS (`lmp`, 1 process) on the same data
 * files and force field when it is installed.
 *
 *   npm run bench:md -- [--steps 2000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOligomer } from '../src/build/oligomer.js';
import { packGlass } from '../src/build/pack-glass.js';
import { supercell } from '../src/build/supercell.js';
import type { Structure } from '../src/core/frame.js';
import { lammpsFiles, writeLammpsExport } from '../src/engines/lammps-export.js';
import { LAOC_V1 } from '../src/forcefield/force-field.js';
import { typeSystem } from '../src/forcefield/typing.js';
import { runMd } from '../src/md/integrator.js';

const k = process.argv.indexOf('--steps');
const smallSteps = k > 0 ? Number(process.argv[k + 1]) : 2000;
const haveLammps = spawnSync('lmp', ['-h']).status === 0;

const small = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });
const smallSys = typeSystem(small, LAOC_V1);
const eq = await runMd(small.frame.positions, small.frame.lattice!, smallSys, LAOC_V1, {
  ensemble: 'langevin',
  temperatureK: 300,
  steps: 500,
});
const relaxed: Structure = { ...small, frame: { ...small.frame, positions: eq.positions } };

const bench = async (label: string, s: Structure, steps: number) => {
  const sys = typeSystem(s, LAOC_V1);
  const L = s.frame.lattice!;
  const t0 = performance.now();
  await runMd(s.frame.positions, L, sys, LAOC_V1, {
    ensemble: 'nve',
    temperatureK: 300,
    steps,
    thermoEvery: steps,
  });
  const ours = (sys.natoms * steps) / ((performance.now() - t0) / 1000);
  let line = `${label} (${sys.natoms} atoms, ${steps} steps): oligolyte ${Math.round(ours).toLocaleString('en')} atom-steps/s`;
  if (haveLammps) {
    const dir = mkdtempSync(join(tmpdir(), 'oligolyte-bench-lmp-'));
    writeLammpsExport(dir, lammpsFiles(s.frame.positions, L, sys, LAOC_V1));
    // The same NVE run in LAMMPS (velocities drawn by LAMMPS at 300 K).
    const input = readFileSync(join(dir, 'in.oligolyte'), 'utf8')
      .replace(/dump[^\n]*\n/g, '')
      .replace('run 0', '');
    appendFileSync(
      join(dir, 'in.bench'),
      `${input}velocity all create 300 1 mom yes rot no dist gaussian\nfix 1 all nve\ntimestep 1.0\nthermo ${steps}\nrun ${steps}\n`,
    );
    execFileSync('lmp', ['-in', 'in.bench', '-log', 'log.lammps', '-screen', 'none'], { cwd: dir });
    const loop = /Loop time of ([\d.e+-]+) on 1 procs for (\d+) steps with (\d+) atoms/.exec(
      readFileSync(join(dir, 'log.lammps'), 'utf8'),
    );
    if (loop) {
      const rate = (Number(loop[3]) * Number(loop[2])) / Number(loop[1]);
      line += `; LAMMPS (1 process) ${Math.round(rate).toLocaleString('en')}; oligolyte at ${((100 * ours) / rate).toFixed(0)} %`;
    }
  } else line += '; LAMMPS not installed, no comparison';
  console.log(line);
};

await bench('128-atom LAOC^0b cell', relaxed, smallSteps);
await bench('16,384-atom replica', supercell(relaxed, [8, 4, 4]), 20);
