/**
 * CP2K itself (Debian package cp2k, `cp2k.psmp`) on the 8-atom LiCl cell with the cheap test-fast
 * preset (200 Ry): the real input writer, runner and parser, a single point against CP2K's own
 * committed output of the same cell and settings, a geometry optimisation, and three steps of NVT
 * ab initio MD through `engine = "cp2k"`, read back as the other engines' runs are. On a quiet
 * machine each CP2K run takes 5-20 s; the timeouts allow for a loaded one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cp2kOptimise } from '../../src/engines/cp2k/optimise.js';
import { parseCp2kOutput } from '../../src/engines/cp2k/output.js';
import { cp2kSinglePoint, findCp2k } from '../../src/engines/cp2k/run.js';
import { cp2kPreset } from '../../src/engines/cp2k/settings.js';
import { runProtocol } from '../../src/engines/run-protocol.js';
import { readFrames, readStructure } from '../../src/io/registry.js';
import { protocolFromObject } from '../../src/md/protocols/protocol.js';
import { readThermoCsv } from '../../src/md/thermo-csv.js';
import { fixture, sharedFixture } from '../helpers.js';

const hasCp2k = !spawnSync('cp2k.psmp', ['--version'], { env: { ...process.env, OMP_NUM_THREADS: '1' } })
  .error;
if (!hasCp2k) console.warn('SKIPPED: the CP2K engine tests need `cp2k.psmp` (apt-get install -y cp2k)');

const tmp = mkdtempSync(join(tmpdir(), 'oligolyte-cp2k-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const LICL = sharedFixture('structures/LiCl_rocksalt.cif');
const LONG = 300_000;

describe('findCp2k', () => {
  it('a missing executable is a clear error with the install command', () => {
    expect(() => findCp2k('cp2k-that-does-not-exist')).toThrow(/was not found.*apt-get install -y cp2k/);
  });
});

describe.skipIf(!hasCp2k)('CP2K on 8-atom LiCl', () => {
  it('single point: the energy and forces CP2K gave for this cell and preset, and a zero net force', {
    timeout: LONG,
  }, async () => {
    const s = await readStructure(LICL);
    const r = await cp2kSinglePoint(s, cp2kPreset('test-fast'), join(tmp, 'sp'));
    const ref = parseCp2kOutput(readFileSync(fixture('cp2k/licl-energy.out'), 'utf8'), 'ref', 8);
    expect(existsSync(join(tmp, 'sp', 'cp2k.inp'))).toBe(true);
    expect(r.result.version).toBe(findCp2k().replace(/^CP2K version /, 'CP2K version '));
    expect(r.structure.frame.energy).toBeCloseTo(ref.energyEv, 3);
    for (let i = 0; i < 24; i++) expect(Math.abs(r.structure.frame.forces![i])).toBeLessThan(2e-3);
    // The ideal rock salt is under isotropic stress only.
    const st = r.structure.frame.stress!;
    expect(st[0]).toBeCloseTo(ref.stressEvA3![0], 5);
    expect(Math.abs(st[1])).toBeLessThan(1e-5);
  });

  it('geometry optimisation of a rattled cell lowers the energy and reads the final structure back', {
    timeout: LONG,
  }, async () => {
    const s = await readStructure(fixture('cp2k/licl-rattled.extxyz'));
    const start = await cp2kSinglePoint(s, cp2kPreset('test-fast'), join(tmp, 'start'));
    const opt = await cp2kOptimise(s, cp2kPreset('test-fast'), join(tmp, 'opt'), {
      cell: false,
      maxSteps: 2,
    });
    expect(opt.steps).toBe(2);
    expect(opt.structure.frame.energy!).toBeLessThan(start.structure.frame.energy! - 0.01);
    expect(opt.structure.frame.positions).not.toEqual(s.frame.positions);
  });

  it('engine = "cp2k": three steps of NVT, thermo.csv and a trajectory the readers take', {
    timeout: LONG,
  }, async () => {
    const s = await readStructure(LICL);
    const spec = protocolFromObject(
      {
        engine: 'cp2k',
        cp2k: { preset: 'test-fast', thermostat: 'csvr' },
        stage: [
          {
            name: 'nvt',
            ensemble: 'nvt',
            temperature: 300,
            steps: 3,
            time_step: 1,
            thermo_every: 1,
            dump_every: 1,
          },
        ],
      },
      join(tmp, 'p.toml'),
    );
    const r = await runProtocol(spec, s, { outDir: join(tmp, 'md') });
    expect(r.stages[0].steps).toBe(3);
    const t = readThermoCsv(join(tmp, 'md', '01-nvt', 'thermo.csv'));
    expect(Array.from(t.data.step)).toEqual([0, 1, 2, 3]);
    expect(t.data.temperature_K[0]).toBeCloseTo(300, 6);
    const frames = [];
    for await (const f of readFrames(join(tmp, 'md', '01-nvt', 'trajectory.extxyz'))) frames.push(f);
    expect(frames.map((f) => f.frame.timeFs)).toEqual([0, 1, 2, 3]);
    // The ideal crystal has no forces: in the first 1 fs step an atom moves by v dt (A/fs read right).
    const [a, b] = frames;
    const dx = b.frame.positions[0] - a.frame.positions[0];
    expect(dx).toBeCloseTo(a.frame.velocities![0], 3);
    expect(frames[3].frame.forces!.length).toBe(24);
    const final = await readStructure(join(tmp, 'md', '01-nvt', 'final.extxyz'));
    expect(final.frame.velocities).toBeDefined();
  });
});
