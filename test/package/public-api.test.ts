/**
 * The package as a user gets it: built with the build script's tsconfig into a temporary package
 * folder (package.json beside dist/, the repository's node_modules linked), then plain Node
 * scripts import it by name through its `exports` (self-reference), as `npm install` would give.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let pkg = '';

const runScript = (name: string, code: string) => {
  const file = join(pkg, name);
  writeFileSync(file, code);
  const r = spawnSync(process.execPath, [file], { cwd: pkg, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
};

beforeAll(() => {
  pkg = join(tempDir(), 'oligolyte');
  mkdirSync(pkg);
  const tsc = spawnSync(
    process.execPath,
    [
      join(repo, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(repo, 'tsconfig.build.json'),
      '--outDir',
      join(pkg, 'dist'),
    ],
    { encoding: 'utf8' },
  );
  expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  copyFileSync(join(repo, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(repo, 'node_modules'), join(pkg, 'node_modules'), 'dir');
}, 120_000);

describe('the public API, imported from the built package', () => {
  it('exports each layer by subpath and keeps internals out', () => {
    const r = runScript(
      'exports.mjs',
      `import * as root from 'oligolyte';
import * as io from 'oligolyte/io';
import * as md from 'oligolyte/md';
import * as study from 'oligolyte/study';
import * as engines from 'oligolyte/engines';
import * as core from 'oligolyte/core';
import * as experiment from 'oligolyte/experiment';
let deep = 'refused';
try { await import('oligolyte/dist/io/byte-source.js'); deep = 'allowed'; } catch {}
console.log(JSON.stringify({
  root: Object.keys(root).sort(),
  io: Object.keys(io).sort(),
  md: Object.keys(md).sort(),
  study: Object.keys(study).sort(),
  engines: Object.keys(engines).sort(),
  core: Object.keys(core),
  experiment: Object.keys(experiment).sort(),
  deep,
}));
`,
    );
    for (const ns of [
      'analysis',
      'builders',
      'chemistry',
      'core',
      'engines',
      'experiment',
      'forcefield',
      'io',
      'md',
      'study',
    ])
      expect(r.root).toContain(ns);
    expect(r.root).toEqual(
      expect.arrayContaining(['readFrames', 'runStudy', 'runProtocol', 'analyseTransport']),
    );
    expect(r.study).toEqual(expect.arrayContaining(['runStudy', 'readStudy', 'combineReplicas']));
    expect(r.engines).toEqual(expect.arrayContaining(['runProtocol', 'withEngine']));
    expect(r.core).toEqual(expect.arrayContaining(['blockAverage', 'studentTQuantile', 'Lattice']));
    expect(r.experiment).toEqual(
      expect.arrayContaining(['readSpectrum', 'fitCircuit', 'linKK', 'transferenceNumber']),
    );
    // Internals named in issue 24 stay inside.
    for (const name of ['appendToWindow', 'readHead', 'openByteStream']) expect(r.io).not.toContain(name);
    expect(r.md).not.toContain('runBranchHere');
    expect(r.core).not.toContain('opKey');
    expect(r.deep).toBe('refused');
  });

  it('reads a trajectory and analyses its transport', () => {
    const r = runScript(
      'transport.mjs',
      `import { readFrames } from 'oligolyte/io';
import { analyseTransport } from 'oligolyte/analysis';
const run = await analyseTransport(readFrames(${JSON.stringify(join(repo, 'examples', 'LGPS_600K_unwrapped.extxyz.gz'))}), {
  species: 'Li', temperatureK: 600, fitStartPs: 5,
});
const d = run.result.diffusivity.glsCm2PerS;
console.log(JSON.stringify({ frames: run.result.frames, D: d.value, low: d.low95, high: d.high95 }));
`,
    );
    expect(r.frames).toBeGreaterThan(100);
    expect(r.D).toBeGreaterThan(r.low);
    expect(r.D).toBeLessThan(r.high);
    // LGPS at 600 K (ab initio): D of order 1e-5 cm2/s.
    expect(r.D).toBeGreaterThan(1e-6);
    expect(r.D).toBeLessThan(1e-4);
  });

  it('builds a glass, runs MD through runProtocol and analyses the run', () => {
    const r = runScript(
      'build-md.mjs',
      `import { packGlass, parseMix } from 'oligolyte/builders';
import { protocolFromObject } from 'oligolyte/md';
import { runProtocol } from 'oligolyte/engines';
import { readFrames } from 'oligolyte/io';
import { analyseTransport } from 'oligolyte/analysis';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const units = parseMix('0b:2', { seed: 3 });
const glass = packGlass({ units: units.map((u) => ({ molecule: u.molecule, count: u.count })), cations: [{ element: 'Li', count: 6 }], density: 1.6, seed: 3 });
const spec = protocolFromObject({ stage: [{ type: 'md', ensemble: 'langevin', temperature: 600, time_ps: 0.3, dump_every: 10 }] }, 'inline.toml');
const outDir = join(mkdtempSync(join(tmpdir(), 'oligolyte-user-')), 'run');
const result = await runProtocol(spec, glass, { outDir });
const stage = result.stages[0];
const run = await analyseTransport(readFrames(join(outDir, stage.folder, 'trajectory.extxyz')), { species: 'Li', temperatureK: 600 });
console.log(JSON.stringify({ atoms: glass.topology.natoms, folder: stage.folder, T: stage.temperatureK.mean, frames: run.result.frames, carriers: run.result.carriers }));
`,
    );
    expect(r.atoms).toBe(2 * 13 + 6);
    expect(r.folder).toBe('01-stage1');
    expect(r.frames).toBe(31);
    expect(r.carriers).toBe(6);
    expect(r.T).toBeGreaterThan(100);
  });
});
