import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { writeStructure } from '../../src/io/registry.js';
import { cli, LGPS_600K, tempDir, transportLgps } from '../helpers.js';
import { dcdBytes } from '../io/dcd-bytes.js';

describe('oligolyte transport', () => {
  it('prints a summary and writes JSON, CSV and density files (cube and CHGCAR)', () => {
    const dir = tempDir();
    const r = transportLgps(
      '--compat',
      'pymatgen',
      '--json',
      join(dir, 'out.json'),
      '--csv',
      join(dir, 'msd.csv'),
      '--density-grid',
      '0.5',
      '--density-out',
      join(dir, 'li.cube'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/D \(GLS\)\s+cm\^2\/s/);
    expect(r.out).toMatch(/Haven ratio/);
    expect(r.out).toMatch(/D 1\.1612930641e-6 cm\^2\/s/);
    expect(r.out).toMatch(
      /MSD of the other elements at [\d.]+ ps \(A\^2, drift removed\): Ge [\d.]+, P [\d.]+, S [\d.]+/,
    );
    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    const run = json.runs[0];
    expect(run.carriers).toBe(20);
    expect(run.frameIntervalFs).toBe(20);
    expect(run.diffusivity.fitStartPs).toBe(5);
    expect(run.diffusivity.glsCm2PerS.low95).toBeLessThan(run.diffusivity.glsCm2PerS.value);
    expect(run.pymatgen.conductivityMsPerCm).toBeCloseTo(74.165367854, 5);
    expect(run.statistics.lagsPs.length).toBe(100);
    expect(run.otherElements.map((e: { element: string }) => e.element)).toEqual(['Ge', 'P', 'S']);
    expect(run.frameworkAtoms).toBe(30);
    const csv = readFileSync(join(dir, 'msd.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('run,temperature_K,lag_ps,msd_A2,msd_x_A2,msd_y_A2,msd_z_A2,charge_msd_per_ion_A2');
    expect(csv.length).toBe(1001);
    // Cube: 2 comments, atoms + origin, 3 axes, 50 atoms, then values (1/bohr^3) summing to n / V.
    const cube = readFileSync(join(dir, 'li.cube'), 'utf8').trim().split('\n');
    const shape = [3, 4, 5].map((k) => Number(cube[k].trim().split(/\s+/)[0]));
    const values = cube
      .slice(6 + 50)
      .join(' ')
      .trim()
      .split(/\s+/)
      .map(Number);
    expect(values.length).toBe(shape[0] * shape[1] * shape[2]);
    const voxelBohr3 = run.volumeA3 / 0.529177210903 ** 3 / values.length;
    expect(values.reduce((a, v) => a + v, 0) * voxelBohr3).toBeCloseTo(1, 4);
  });
  it('writes a CHGCAR-style file whose values (rho x V) average to 1', () => {
    const dir = tempDir();
    const out = join(dir, 'CHGCAR_Li');
    const r = transportLgps('--density-grid', '0.6', '--density-out', out);
    expect(r.code, r.err).toBe(0);
    const lines = readFileSync(out, 'utf8').split('\n');
    const blank = lines.indexOf('', 8);
    const shape = lines[blank + 1].trim().split(/\s+/).map(Number);
    const values = lines
      .slice(blank + 2)
      .join(' ')
      .trim()
      .split(/\s+/)
      .map(Number);
    expect(values.length).toBe(shape[0] * shape[1] * shape[2]);
    expect(values.reduce((a, v) => a + v, 0) / values.length).toBeCloseTo(1, 4);
  });
  it('Arrhenius over runs at several temperatures, extrapolated to 300 K', () => {
    // The same run declared at three temperatures: D is the same, so Ea = 0 within its error.
    const r = cli(
      'transport',
      LGPS_600K,
      LGPS_600K,
      LGPS_600K,
      '--temperature',
      '500,600,700',
      '--fit-start',
      '5',
      '--json',
      join(tempDir(), 'a.json'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Arrhenius \(3 runs/);
    expect(r.out).toMatch(/at 300\.0 K: D/);
  });
  it('--framework chooses the drift reference; --no-element-msd skips the framework check', () => {
    const r = transportLgps('--framework', 'Ge,P', '--no-element-msd');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/drift removed \(6 framework atoms\)/);
    expect(r.out).not.toMatch(/other elements/);
    expect(cli('transport', LGPS_600K, '--temperature', '600', '--framework', 'Li').err).toMatch(
      /cannot include Li/,
    );
  });
  it('usage errors exit 2 with the reason; a default fit start is announced', () => {
    expect(cli('transport', LGPS_600K, '--species', 'Na', '--temperature', '600').err).toMatch(/no Na atoms/);
    const t = cli('transport', LGPS_600K, '--temperature', '-5');
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/--temperature: "-5" is not a positive temperature/);
    expect(cli('transport', LGPS_600K).err).toMatch(/give --temperature/);
    expect(cli('transport', LGPS_600K, '--temperature', '600', '--dims', 'xq').err).toMatch(/--dims/);
    const d = cli('transport', LGPS_600K, '--temperature', '600');
    expect(d.code).toBe(0);
    expect(d.err).toMatch(/fit start not given: used 10 %/);
  });

  it('reads a DCD with its topology on a thread of its own (started early), the numbers of one thread', async () => {
    // 4 Li and 8 framework atoms, 600 unwrapped frames: the read-ahead path with its frame job.
    const dir = tempDir();
    const topology = new Topology({
      symbols: ['Li', 'Al', 'O', 'Li', 'Cl', 'Cl', 'Li', 'Al', 'O', 'Cl', 'Li', 'Cl'],
    });
    const at = Array.from({ length: 36 }, (_, j) => 5 + ((j * 7919) % 97) / 25);
    const frames = Array.from({ length: 600 }, (_, k) => {
      for (let j = 0; j < at.length; j++)
        at[j] += (Math.floor(j / 3) % 3 === 0 ? 0.3 : 0.05) * Math.sin(k * 1.7 + j);
      return {
        xyz: [0, 1, 2].map((a) => Array.from({ length: 12 }, (_, i) => at[3 * i + a])),
        cell: [10, 90, 10, 90, 90, 10],
      };
    });
    const dcd = join(dir, 'run.dcd');
    writeFileSync(dcd, dcdBytes(frames));
    const pdb = join(dir, 'top.pdb');
    await writeStructure(pdb, {
      topology,
      frame: { positions: new Float64Array(36), lattice: Lattice.cubic(10) },
    });
    const runs = ['1', '2'].map((threads) => {
      const out = join(dir, `t${threads}.json`);
      const r = cli(
        'transport',
        dcd,
        '--topology',
        pdb,
        '--temperature',
        '600',
        '--time-step',
        '2',
        '--unwrapped',
        '--threads',
        threads,
        '--json',
        out,
      );
      expect(r.code, r.err).toBe(0);
      return JSON.parse(readFileSync(out, 'utf8')).runs[0];
    });
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0].frames).toBe(600);
    expect(runs[0].otherElements.map((e: { element: string }) => e.element)).toEqual(['Al', 'O', 'Cl']);
  }, 60_000);
});
