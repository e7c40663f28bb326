/**
 * The command line as `npm run build` makes it (scripts/bundle-cli.mjs: one bundle, its chunks and
 * its worker modules side by side): it runs, its worker threads find their modules, and it gives
 * the numbers the sources give, byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkTransportArgs, writeWalkDcd, writeWalkTopology } from '../../bench/walk-dcd.js';
import { msdUsesThreads } from '../../src/analysis/transport/msd-threads.js';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { CLI_MAIN, tempDir } from '../helpers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository, so that the bundle's imports of the dependencies find node_modules.
const OUT = join(REPO, 'node_modules', '.cache', 'oligolyte-cli-bundle-test', 'cli');

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('the bundled command line', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of [dirname(OUT), ...dirs]) rmSync(d, { recursive: true, force: true });
  });
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    const b = run([join(REPO, 'scripts', 'bundle-cli.mjs'), OUT]);
    expect(b.code, b.err).toBe(0);
  }, 60_000);

  it('holds an entry, chunks and every worker module the sources start', () => {
    const files = readdirSync(OUT);
    for (const worker of ['msd-worker', 'read-ahead-worker', 'framework-job', 'force-worker', 'rdf-worker'])
      expect(files).toContain(`${worker}.js`);
    expect(files.some((f) => /^chunk-.*\.js$/.test(f))).toBe(true);
    expect(readFileSync(join(OUT, 'main.js'), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    const v = run([join(OUT, 'main.js'), '--version']);
    expect(v.code, v.err).toBe(0);
    expect(v.out.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });

  it('transport with its threads (a DCD read ahead, the MSD over workers): the JSON of the sources', async () => {
    // 260 Li and 40 framework atoms, 8,000 unwrapped frames: above the work at which the MSD
    // uses worker threads (msd-threads.ts), read on a thread of its own with the framework job.
    const dir = tempDir();
    dirs.push(dir);
    const symbols = [...Array(260).fill('Li'), ...Array(20).fill('Al'), ...Array(20).fill('Cl')];
    // (Else both runs would stay in one thread and this would test nothing of the workers.)
    expect(msdUsesThreads(260, 8000, 2)).toBe(true);
    const lattice = Lattice.cubic(20);
    const walk = { natoms: symbols.length, nframes: 8000, edge: 20, lattice, stepFrac: 0.004, wrap: false };
    const dcd = join(dir, 'walk.dcd');
    writeWalkDcd(dcd, walk, 'cli-bundle test');
    const pdb = join(dir, 'walk.pdb');
    await writeWalkTopology(pdb, walk, new Topology({ symbols }));
    const args = (out: string) => [
      ...walkTransportArgs(dcd, pdb),
      '--fit-start',
      '1',
      '--threads',
      '2',
      '--json',
      out,
    ];
    const bundled = run([join(OUT, 'main.js'), ...args(join(dir, 'bundle.json'))]);
    expect(bundled.code, bundled.err).toBe(0);
    const source = run(['--import', 'tsx', CLI_MAIN, ...args(join(dir, 'source.json'))]);
    expect(source.code, source.err).toBe(0);
    expect(readFileSync(join(dir, 'bundle.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'source.json'), 'utf8'),
    );
    expect(bundled.out).toBe(source.out);
    const json = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'));
    expect(json.runs[0].frames).toBe(8000);
    expect(json.runs[0].otherElements.map((e: { element: string }) => e.element)).toEqual(['Al', 'Cl']);
  }, 120_000);
});
