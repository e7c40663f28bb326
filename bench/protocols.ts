/**
 * Protocol speed (issue 6), as docs/speed.md reports it:
 *   - the main job, `oligolyte study examples/laoc-0b.toml` (embedded engine), wall time, and the
 *     share of its structure analyses (from study.json's timingsS), and the same with --quick;
 *   - the study's 16,384-atom cell on LAMMPS: 1 ps each of NVT, NPT and tensile at 1 fs, with one
 *     and with two MPI processes (LAMMPS's own "Loop time" per stage).
 *
 *   npm run build && npm run bench:protocols -- [--skip-study] [--skip-lammps]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist/cli/main.js');
const run = (args: string[], cwd = root) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`oligolyte ${args.join(' ')} failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
};
const dir = mkdtempSync(join(tmpdir(), 'oligolyte-bench-'));

if (!process.argv.includes('--skip-study')) {
  const s = run(['study', 'examples/laoc-0b.toml', '-o', join(dir, 'study')]);
  console.log(`study examples/laoc-0b.toml (embedded engine): ${(s / 60).toFixed(1)} min wall`);
  // The study's own timings: how much the structure analyses (issue 22) add to the whole.
  const t = JSON.parse(readFileSync(join(dir, 'study', 'study.json'), 'utf8')).timingsS;
  console.log(
    `  of which: protocol run ${t.run.toFixed(1)} s, transport analysis ${t.transport.toFixed(1)} s, structure analyses ${t.structure.toFixed(1)} s (${((100 * t.structure) / s).toFixed(1)} % of the study's wall time)`,
  );
  const q = run(['study', 'examples/laoc-0b.toml', '--quick', '-o', join(dir, 'quick')]);
  console.log(`study examples/laoc-0b.toml --quick: ${q.toFixed(0)} s wall`);
}

if (!process.argv.includes('--skip-lammps')) {
  if (spawnSync('lmp', ['-h']).error) console.log('LAMMPS (lmp) not installed: large-cell timing skipped');
  else {
    run(['build', 'glass', '--mix', '0b:8', '--seed', '1', '-o', join(dir, 'cell8.data')]);
    run(['build', 'supercell', join(dir, 'cell8.data'), '4x4x8', '-o', join(dir, 'large.data')]);
    writeFileSync(
      join(dir, 'timing.toml'),
      [
        'structure = "large.data"',
        'engine = "lammps"',
        '[[stage]]',
        'name = "nvt"',
        'temperature = 300',
        'time_ps = 1',
        'dump_every = 0',
        '[[stage]]',
        'type = "npt"',
        'temperature = 300',
        'pressure = 0',
        'time_ps = 1',
        'dump_every = 0',
        '[[stage]]',
        'type = "deform"',
        'mode = "tensile-x"',
        'rate = 0.001',
        'strain = 0.001',
        'dump_every = 0',
      ].join('\n'),
    );
    for (const np of [1, 2]) {
      const out = join(dir, `np${np}`);
      run(['run', join(dir, 'timing.toml'), '-o', out, '--mpi', String(np)]);
      const loops = [
        ...readFileSync(join(out, 'log.lammps'), 'utf8').matchAll(
          /Loop time of ([\d.]+) on \d+ procs for (\d+) steps with (\d+) atoms/g,
        ),
      ];
      const perStage = loops.map((m) => `${Number(m[1]).toFixed(1)} s`).join(', ');
      const rate =
        loops.reduce((a, m) => a + Number(m[2]) * Number(m[3]), 0) /
        loops.reduce((a, m) => a + Number(m[1]), 0);
      console.log(
        `16,384 atoms on LAMMPS, ${np} MPI process(es): 1000 steps per stage in ${perStage}; ${Math.round(rate).toLocaleString('en-US')} atom-steps/s`,
      );
    }
  }
}
