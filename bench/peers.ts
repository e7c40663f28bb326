/**
 * Every speed ratio against its peer, side by side in one run (issue 28). Whole processes, timed
 * with /usr/bin/time (wall clock and peak resident memory), best of --repeat runs; a peer that is
 * not installed is skipped with a message. Not part of CI: run on a quiet machine.
 *
 * 1. transport from a file: a 2,000-atom x 10,000-frame unwrapped random walk (400 Li) as a DCD
 *    with a PDB topology; `oligolyte transport` (GLS intervals, per-axis D, collective MSD, Haven
 *    ratio, framework check) against MDAnalysis EinsteinMSD(fft=True) plus a line fit.
 * 2. reading every frame of extended XYZ, XDATCAR and a LAMMPS dump (bench/io.ts's files) against
 *    the reader users have for each: ASE, pymatgen, MDAnalysis.
 * 3. the MD engine against LAMMPS: bench/md.ts (its own best-of and ratio lines are printed).
 *
 *   npm run build && npm run bench:peers -- [--repeat 3] [--frames 10000] [--read-frames 1000]
 *     [--only transport,readers,md] [--keep DIR] [--cli dist/cli/main.js] [--threads N]
 *
 * Each figure comes with the CPU time (user + system, all threads) beside the wall time: on a
 * machine that other jobs share, the wall time says little and the CPU time carries over. `--cli`
 * times another build of oligolyte (a before/after comparison), `--threads` its --threads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lattice } from '../src/core/lattice.js';
import { Topology } from '../src/core/topology.js';
import { AMU_G, CUBIC_ANGSTROM_CM3 } from '../src/core/units.js';
import { walkTransportArgs, writeWalkDcd, writeWalkTopology } from './walk-dcd.js';

const arg = (name: string, def: number) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : def;
};
const repeat = arg('repeat', 3);
const nframes = arg('frames', 10000);
const readFrames = arg('read-frames', 1000);
const onlyIdx = process.argv.indexOf('--only');
const only = onlyIdx > 0 ? process.argv[onlyIdx + 1].split(',') : ['transport', 'readers', 'md'];
const keepIdx = process.argv.indexOf('--keep');
const dir = keepIdx > 0 ? process.argv[keepIdx + 1] : mkdtempSync(join(tmpdir(), 'oligolyte-peers-'));
mkdirSync(dir, { recursive: true });
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const cliIdx = process.argv.indexOf('--cli');
const cli = cliIdx > 0 ? process.argv[cliIdx + 1] : join(repo, 'dist', 'cli', 'main.js');
const threadsIdx = process.argv.indexOf('--threads');
const threadArgs = threadsIdx > 0 ? ['--threads', process.argv[threadsIdx + 1]] : [];

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const havePython = (module: string) => has('/usr/bin/python3', ['-c', `import ${module}`]);
if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);

interface Timing {
  seconds: number;
  /** User + system CPU time of the process and its threads, s. */
  cpuSeconds: number;
  peakMb: number;
  stdout: string;
}
/** Runs a command under /usr/bin/time; the best (shortest) of `repeat` runs, and the least CPU time. */
const timed = (cmd: string, args: string[]): Timing => {
  let best: Timing | undefined;
  let leastCpu = Number.POSITIVE_INFINITY;
  for (let k = 0; k < repeat; k++) {
    const r = spawnSync('/usr/bin/time', ['-f', '@@time %e %M %U %S', cmd, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const m = /@@time ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
    if (r.status !== 0 || !m) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
    const cpuSeconds = Number(m[3]) + Number(m[4]);
    const t = { seconds: Number(m[1]), cpuSeconds, peakMb: Number(m[2]) / 1024, stdout: r.stdout };
    leastCpu = Math.min(leastCpu, cpuSeconds);
    if (!best || t.seconds < best.seconds) best = t;
  }
  return { ...best!, cpuSeconds: leastCpu };
};
const table: string[] = [
  '| job | oligolyte (wall, CPU) | peer (wall, CPU) | peer / oligolyte (wall, CPU) | memory (oligolyte, peer) |',
  '|---|---|---|---|---|',
];
const row = (job: string, ours: Timing, peer: string, theirs: Timing) =>
  table.push(
    `| ${job} | ${ours.seconds.toFixed(2)} s, ${ours.cpuSeconds.toFixed(2)} s | ${peer}: ${theirs.seconds.toFixed(2)} s, ${theirs.cpuSeconds.toFixed(2)} s | ${(theirs.seconds / ours.seconds).toFixed(2)}x, ${(theirs.cpuSeconds / ours.cpuSeconds).toFixed(2)}x | ${ours.peakMb.toFixed(0)} MB, ${theirs.peakMb.toFixed(0)} MB |`,
  );
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`load average before: ${load()}`);
const node = process.execPath;

if (only.includes('transport')) {
  // 400 Li among 2,000 atoms, the rest the LAOC framework ratios; an unwrapped walk.
  const natoms = 2000;
  const framework = ['Al', 'Al', 'Al', 'O', 'O', 'Cl', 'Cl', 'Cl'];
  const symbols = Array.from({ length: natoms }, (_, i) => (i < 400 ? 'Li' : framework[i % 8]));
  const topology = new Topology({ symbols });
  const edge = Math.cbrt((topology.totalMass() * AMU_G) / (1.9 * CUBIC_ANGSTROM_CM3));
  const lattice = Lattice.cubic(edge);
  const walk = { natoms, nframes, edge, lattice, stepFrac: 0.002, wrap: false };
  const dcd = join(dir, `walk-${nframes}.dcd`);
  const pdb = join(dir, 'walk.pdb');
  if (!existsSync(dcd)) {
    const bytes = writeWalkDcd(dcd, walk, 'oligolyte bench/peers.ts unwrapped random walks');
    console.log(`wrote ${dcd} (${(bytes / 1e6).toFixed(0)} MB)`);
  }
  if (!existsSync(pdb)) await writeWalkTopology(pdb, walk, topology);
  const ours = timed(node, [cli, ...walkTransportArgs(dcd, pdb), ...threadArgs]);
  console.log(
    `transport, oligolyte: ${ours.seconds.toFixed(2)} s (CPU ${ours.cpuSeconds.toFixed(2)} s), ${ours.peakMb.toFixed(0)} MB`,
  );
  // EinsteinMSD's FFT path needs tidynamics (BSD, pure Python; not packaged by Debian): put a
  // checkout of it on PYTHONPATH.
  if (havePython('MDAnalysis, tidynamics')) {
    const theirs = timed('/usr/bin/python3', [join(here, 'peers.py'), 'msd', pdb, dcd, 'Li', '0.001']);
    console.log(
      `transport, ${theirs.stdout.trim()}: ${theirs.seconds.toFixed(2)} s (CPU ${theirs.cpuSeconds.toFixed(2)} s), ${theirs.peakMb.toFixed(0)} MB`,
    );
    row(
      `transport, ${natoms} atoms x ${nframes} frames DCD (400 Li)`,
      ours,
      'MDAnalysis EinsteinMSD(fft) + fit',
      theirs,
    );
  } else
    console.log(
      'skipped the MDAnalysis comparison: it needs python3-mdanalysis and tidynamics (a checkout of pdebuyl-lab/tidynamics on PYTHONPATH)',
    );
}

if (only.includes('readers')) {
  // bench/io.ts writes the three text files with the precision the producing codes use.
  const files = [
    ['extxyz', 'walk.extxyz', 'ase', 'ASE'],
    ['xdatcar', 'XDATCAR', 'pymatgen', 'pymatgen'],
    ['lammps-dump', 'walk.lammpstrj', 'MDAnalysis', 'MDAnalysis'],
  ] as const;
  const ioDir = join(dir, `io-${readFrames}`);
  if (!files.every(([, f]) => existsSync(join(ioDir, f)))) {
    const r = spawnSync(
      node,
      ['--import', 'tsx', join(here, 'io.ts'), '--frames', String(readFrames), '--keep', ioDir],
      {
        cwd: repo,
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) throw new Error('bench/io.ts failed to write the files');
  }
  for (const [format, file, module, tool] of files) {
    const path = join(ioDir, file);
    const ours = timed(node, [join(here, 'read-all.mjs'), format, path]);
    if (!havePython(module)) {
      console.log(`skipped ${tool} on ${format}: the Python module ${module} is not installed`);
      continue;
    }
    const theirs = timed('/usr/bin/python3', [join(here, 'peers.py'), 'read', format, path]);
    if (ours.stdout.split(',')[0].split(':')[1] !== theirs.stdout.split(',')[0].split(':')[1])
      throw new Error(`frame counts differ: ${ours.stdout} / ${theirs.stdout}`);
    row(`read every frame, ${format} (${(statSync(path).size / 1e6).toFixed(0)} MB)`, ours, tool, theirs);
  }
}

console.log(`\n${table.join('\n')}\n\nload average after: ${load()}`);

if (only.includes('md')) {
  if (!has('lmp', ['-h'])) console.log('skipped the MD comparison: LAMMPS (lmp) is not installed');
  else {
    console.log('MD engine against LAMMPS (bench/md.ts):');
    spawnSync(node, ['--import', 'tsx', join(here, 'md.ts'), '--repeat', String(Math.min(repeat, 2))], {
      cwd: repo,
      stdio: 'inherit',
    });
  }
}
if (keepIdx < 0) rmSync(dir, { recursive: true, force: true });
