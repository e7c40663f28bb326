/**
 * Issue 6: the same protocol in LAMMPS (Debian package lammps, `lmp`) and in the embedded engine,
 * from the same start with the same force field, gives the same averages of temperature,
 * potential energy and pressure within their statistical errors (block-averaged standard errors;
 * the two runs are independent trajectories, with different random velocities).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { blockAverage } from '../../src/core/statistics.js';
import { findLammps, runProtocolInLammps } from '../../src/engines/lammps-run.js';
import { runProtocol } from '../../src/engines/run-protocol.js';
import { computeEnergy } from '../../src/forcefield/energy.js';
import { loadForceField } from '../../src/forcefield/load.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { readFrames, readStructure } from '../../src/io/registry.js';
import { RunCancelled } from '../../src/md/integrator.js';
import { protocolFromObject } from '../../src/md/protocols/protocol.js';
import { readThermoCsv } from '../../src/md/thermo-csv.js';

const hasLammps = !spawnSync('lmp', ['-h']).error;
if (!hasLammps) console.warn('SKIPPED: the LAMMPS engine tests need `lmp` (apt-get install -y lammps)');

const tmp = mkdtempSync(join(tmpdir(), 'oligolyte-lammps-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!hasLammps)('the LAMMPS engine', () => {
  it('a clear error names the missing executable and the install command', () => {
    expect(() => findLammps('lmp-that-does-not-exist')).toThrow(/was not found.*apt-get install -y lammps/);
  });

  it('melt-quench in both engines: the same T, PE and P within statistical errors', async () => {
    const start = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 5 });
    const spec = protocolFromObject(
      {
        stage: [
          { name: 'relax', ensemble: 'langevin', temperature: 300, time_ps: 1, damping: 50 },
          {
            type: 'melt-quench',
            melt_temperature: 1000,
            melt_ps: 12,
            quench_ps: 2,
            thermo_every: 10,
            dump_every: 200,
          },
        ],
      },
      join(tmp, 'p.toml'),
    );
    const embedded = await runProtocol(spec, start, { outDir: join(tmp, 'embedded') });
    const lammps = await runProtocolInLammps(
      { ...spec, engine: 'lammps', dumpFormat: 'lammps-dump' },
      start,
      {
        outDir: join(tmp, 'lammps'),
      },
    );
    expect(lammps.stages.map((s) => s.folder)).toEqual(embedded.stages.map((s) => s.folder));
    // The melt stage after its first 2 ps. It is melted at 1000 K so that it is stationary on
    // this time scale: at 300-600 K the packed glass is still relaxing (its PE falls by ~60
    // kcal/mol over 5 ps at 600 K) and two independent runs settle into different structures,
    // whose mean PEs then differ by more than one run's error bar (measured at 300 K over 10 ps:
    // 12 kcal/mol, z = 9), while LAMMPS's own frames have oligolyte's energy to 1e-7 (below).
    const stats = (dir: string, column: string) => {
      const t = readThermoCsv(join(dir, '02-melt', 'thermo.csv'));
      return blockAverage(t.data[column].filter((_, k) => t.data.time_fs[k] > 2000));
    };
    const report: string[] = [];
    for (const column of ['temperature_K', 'potential_kcal_mol', 'pressure_atm']) {
      const a = stats(join(tmp, 'embedded'), column);
      const b = stats(join(tmp, 'lammps'), column);
      const z = Math.abs(a.mean - b.mean) / Math.hypot(a.standardError, b.standardError);
      report.push(
        `${column}: embedded ${a.mean.toFixed(2)} +- ${a.standardError.toFixed(2)}, LAMMPS ${b.mean.toFixed(2)} +- ${b.standardError.toFixed(2)}, z = ${z.toFixed(2)}`,
      );
      expect(z, report.join('\n')).toBeLessThan(4);
    }
    console.log(report.join('\n'));
    // Both thermostats hold the melt temperature.
    for (const dir of ['embedded', 'lammps'])
      expect(Math.abs(stats(join(tmp, dir), 'temperature_K').mean / 1000 - 1)).toBeLessThan(0.03);
    // LAMMPS's trajectory reads back with elements, unwrapped, 1 + 2000/200 frames.
    // Its potential energy, recomputed by oligolyte, is LAMMPS's thermo PE at the same steps: the
    // same force field, also away from the start.
    const thermo = readThermoCsv(join(tmp, 'lammps', '03-quench', 'thermo.csv'));
    const ff = loadForceField(spec.forcefield);
    const sys = typeSystem(start, ff);
    let frames = 0;
    for await (const s of readFrames(join(tmp, 'lammps', '03-quench', 'trajectory.lammpstrj'))) {
      expect(s.topology.natoms).toBe(128);
      expect(s.frame.unwrapped).toBe(true);
      const row = thermo.data.step.indexOf(s.frame.step!);
      const pe = computeEnergy(s.frame.positions, s.frame.lattice!, sys, ff).termsKcalMol.total;
      expect(Math.abs(pe / thermo.data.potential_kcal_mol[row] - 1)).toBeLessThan(1e-6);
      frames++;
    }
    expect(frames).toBe(11);
  }, 300_000);

  it('a tensile stage in LAMMPS: fix deform along x with y, z at zero pressure; stress-strain.csv', async () => {
    const start = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 6 });
    const spec = protocolFromObject(
      {
        engine: 'lammps',
        stage: [
          { name: 'relax', ensemble: 'langevin', temperature: 300, time_ps: 0.5, damping: 50 },
          { type: 'deform', mode: 'tensile-x', rate: 0.05, strain: 0.02, thermo_every: 10 },
        ],
      },
      join(tmp, 'd.toml'),
    );
    await runProtocolInLammps(spec, start, { outDir: join(tmp, 'lammps-deform') });
    const dir = join(tmp, 'lammps-deform', '02-tensile-x');
    const rows = readFileSync(join(dir, 'stress-strain.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('step,time_ps,strain,sxx_GPa,syy_GPa,szz_GPa,sxy_GPa,sxz_GPa,syz_GPa,volume_A3');
    expect(rows).toHaveLength(1 + 41);
    expect(Number(rows[rows.length - 1].split(',')[2])).toBeCloseTo(0.02, 12);
    const relaxed = await readStructure(join(tmp, 'lammps-deform', '01-relax', 'final.extxyz'));
    const final = await readStructure(join(dir, 'final.extxyz'));
    expect(final.frame.lattice!.matrix[0] / relaxed.frame.lattice!.matrix[0]).toBeCloseTo(1.02, 6);
  }, 120_000);

  it('a stopped LAMMPS run resumes: finished stages kept as they were, the stopped one run again', async () => {
    const start = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 7 });
    const spec = protocolFromObject(
      {
        engine: 'lammps',
        stage: [
          {
            name: 'relax',
            ensemble: 'langevin',
            temperature: 300,
            time_ps: 0.4,
            damping: 50,
            thermo_every: 10,
          },
        ],
        series: {
          temperatures: [400, 500],
          equilibrate_ps: 0.2,
          produce_ps: [4, 2], // per temperature (the main job's form): 2000 and 1000 steps
          thermo_every: 10,
          dump_every: 250,
        },
      },
      join(tmp, 'r.toml'),
    );
    const whole = await runProtocolInLammps(spec, start, { outDir: join(tmp, 'whole') });
    const produced = (T: number) =>
      readThermoCsv(join(tmp, 'whole', 'series', `T${T}K`, '02-produce', 'thermo.csv')).data.step;
    expect(produced(400).at(-1)).toBe(2000);
    expect(produced(500).at(-1)).toBe(1000);
    // Stopped early in the 400 K production (relax 400 steps, equilibrate 200, then 2000 at 2 fs:
    // the 1850 steps left are far more than LAMMPS runs before the stop reaches it).
    const dir = join(tmp, 'stopped');
    const abort = new AbortController();
    await expect(
      runProtocolInLammps(spec, start, {
        outDir: dir,
        signal: abort.signal,
        onProgress: (done) => {
          if (done >= 400 + 200 + 150) abort.abort();
        },
      }),
    ).rejects.toBeInstanceOf(RunCancelled);
    const file = (...p: string[]) => readFileSync(join(dir, ...p), 'utf8');
    expect(JSON.parse(file('status.json')).state).toBe('stopped');
    const t400 = join('series', 'T400K');
    expect(existsSync(join(dir, '01-relax', 'summary.json'))).toBe(true);
    expect(existsSync(join(dir, t400, '01-equilibrate', 'summary.json'))).toBe(true);
    expect(existsSync(join(dir, t400, '02-produce', 'summary.json'))).toBe(false);
    expect(existsSync(join(dir, 'series', 'T500K'))).toBe(false);
    const kept = [
      ['01-relax', 'thermo.csv'],
      ['01-relax', 'final.data'],
      [t400, '01-equilibrate', 'thermo.csv'],
      [t400, '01-equilibrate', 'final.data'],
    ].map((p) => file(...p));
    const mtimes = () =>
      ['01-relax', join(t400, '01-equilibrate')].map((d) => statSync(join(dir, d, 'final.data')).mtimeMs);
    const before = mtimes();

    await expect(
      runProtocolInLammps({ ...spec, seed: spec.seed + 1 }, start, { outDir: dir, resume: true }),
    ).rejects.toThrow(/protocol has changed/);
    const resumed = await runProtocolInLammps(spec, start, { outDir: dir, resume: true });
    expect(JSON.parse(file('status.json')).state).toBe('complete');
    expect(mtimes()).toEqual(before);
    // The finished stages were not run again; LAMMPS on one process repeats itself, so they are
    // also the uninterrupted run's, byte for byte.
    [
      ['01-relax', 'thermo.csv'],
      ['01-relax', 'final.data'],
      [t400, '01-equilibrate', 'thermo.csv'],
      [t400, '01-equilibrate', 'final.data'],
    ].forEach((p, k) => {
      expect(file(...p)).toBe(kept[k]);
      expect(file(...p)).toBe(readFileSync(join(tmp, 'whole', ...p), 'utf8'));
    });
    expect(existsSync(join(dir, t400, 'log.stopped.lammps'))).toBe(true);
    // The production that was stopped ran again from the equilibrated state: its first thermo row
    // (the state read back from final.data) is the uninterrupted run's.
    const first = (root: string) => readThermoCsv(join(root, t400, '02-produce', 'thermo.csv'));
    const a = first(join(tmp, 'whole'));
    const b = first(dir);
    expect(b.data.step).toEqual(a.data.step);
    expect(Math.abs(b.data.potential_kcal_mol[0] / a.data.potential_kcal_mol[0] - 1)).toBeLessThan(1e-9);
    expect(Math.abs(b.data.temperature_K[0] / a.data.temperature_K[0] - 1)).toBeLessThan(1e-9);
    let frames = 0;
    for await (const _ of readFrames(join(dir, t400, '02-produce', 'trajectory.lammpstrj'), {})) frames++;
    expect(frames).toBe(9);
    expect(resumed.series?.map((b) => b.temperatureK)).toEqual([400, 500]);
    expect(resumed.stages.map((s) => s.folder)).toEqual(whole.stages.map((s) => s.folder));
    expect(resumed.series?.flatMap((b) => b.stages.map((s) => s.folder))).toEqual(
      whole.series?.flatMap((b) => b.stages.map((s) => s.folder)),
    );
  }, 300_000);
});
