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
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  // The study's own timings, summed over its models (one folder per seed with replicas): how much
  // the MD and the analyses take of the whole.
  const out = join(dir, 'study');
  const folders = existsSync(join(out, 'study.json'))
    ? [out]
    : readdirSync(out)
        .filter((f) => /^seed\d+$/.test(f))
        .map((f) => join(out, f));
  const t = { run: 0, transport: 0, structure: 0 };
  for (const f of folders) {
    const ti = JSON.parse(readFileSync(join(f, 'study.json'), 'utf8')).timingsS;
    for (const k of ['run', 'transport', 'structure'] as const) t[k] += ti[k];
  }
  console.log(
    `  of which (${folders.length} model${folders.length > 1 ? 's' : ''}): protocol runs ${t.run.toFixed(1)} s, transport analyses ${t.transport.toFixed(1)} s, structure analyses ${t.structure.toFixed(1)} s (${((100 * t.structure) / s).toFixed(1)} % of the study's wall time)`,
  );
  if (existsSync(join(out, 'replicas.json'))) {
    const r = JSON.parse(readFileSync(join(out, 'replicas.json'), 'utf8'));
    const x = r.extrapolation.conductivityMsPerCm;
    console.log(
      `  replica average: Ea ${r.activationEv.value.toFixed(3)} eV [${r.activationEv.low95.toFixed(3)}, ${r.activationEv.high95.toFixed(3)}], sigma(${r.extrapolation.temperatureK} K) ${x.value.toPrecision(2)} mS/cm [${x.low95.toPrecision(2)}, ${x.high95.toPrecision(2)}]`,
    );
  }
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
