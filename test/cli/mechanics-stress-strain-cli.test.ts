/**
 * `oligolyte mechanics stress-strain`: table, --json, --csv; a named-column CSV, a real short run
 * of the embedded engine and a LAMMPS tensile log (test/reference/mechanics), bad input.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

const REF = join(import.meta.dirname, '..', 'reference', 'mechanics');

describe('oligolyte mechanics stress-strain', () => {
  it('a CSV with named columns (MPa): modulus, yield, maximum, toughness; --json, --csv', () => {
    const dir = tempDir();
    // E = 3 GPa to strain 0.03, then the tangent falls linearly to zero at 0.07 (no noise).
    const rows = ['strain,stress_MPa'];
    for (let i = 0; i <= 1000; i++) {
      const e = i * 1e-4;
      const s = e <= 0.03 ? 3 * e : 3 * e - (3 / 0.08) * (e - 0.03) ** 2;
      rows.push(`${e},${s * 1000}`);
    }
    writeFileSync(join(dir, 'curve.csv'), `${rows.join('\n')}\n`);
    const r = cli(
      'mechanics',
      'stress-strain',
      join(dir, 'curve.csv'),
      '--window',
      '0:0.03',
      '--smooth',
      '0',
      '--json',
      join(dir, 's.json'),
      '--csv',
      join(dir, 's.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Young's modulus E\s+3\.000 /);
    const j = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    const run = j.runs[0];
    expect(run.result.modulusGPa.value).toBeCloseTo(3, 9);
    const ey = 0.03 + Math.sqrt(2 * 0.002 * 0.04);
    expect(run.result.yield.strain).toBeCloseTo(ey, 6);
    expect(run.result.yield.stressGPa).toBeCloseTo(3 * (ey - 0.002), 6);
    expect(run.result.maximum.stressGPa).toBeCloseTo(0.15, 6);
    expect(readFileSync(join(dir, 's.csv'), 'utf8').split('\n')[0]).toMatch(/^file,mode,component,points,/);
  });

  it('a real short run of the embedded engine and a LAMMPS tensile log: the same protocol, moduli within their intervals', {
    timeout: 180_000,
  }, () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'p.toml'),
      [
        '[[stage]]',
        'name = "relax"',
        'type = "npt"',
        'temperature = 300',
        'pressure = 0',
        'barostat = "aniso"',
        'time_ps = 1',
        'dump_every = 0',
        '[[stage]]',
        'type = "deform"',
        'mode = "tensile-x"',
        'rate = 0.05',
        'strain = 0.1',
        'thermo_every = 10',
        'dump_every = 0',
        '',
      ].join('\n'),
    );
    const run = cli(
      'run',
      join(dir, 'p.toml'),
      '--structure',
      join(REF, 'glass-relaxed.data'),
      '--type-map',
      'Al,O,Cl,Li',
      '-o',
      join(dir, 'out'),
    );
    expect(run.code, run.err).toBe(0);
    const ours = join(dir, 'out', '02-tensile-x', 'stress-strain.csv');
    const lammps = join(REF, 'lammps-tensile.log');
    const r = cli(
      'mechanics',
      'stress-strain',
      ours,
      lammps,
      '--window',
      '0:0.02',
      '--json',
      join(dir, 's.json'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/tensile xx \(folder name; oligolyte/);
    expect(r.out).toMatch(/tensile xx \(box; lammps-log: strain \(Lx - L0\) \/ L0, stress -Pxx \(atm\)\)/);
    expect(r.out).toMatch(/mean over 2 tensile xx runs/);
    const j = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    const [a, b] = j.runs.map(
      (x: { result: { modulusGPa: { value: number; standardError: number } } }) => x.result.modulusGPa,
    );
    // Two independent trajectories of the same protocol (different velocities): z below 3.
    expect(Math.abs(a.value - b.value) / Math.hypot(a.standardError, b.standardError)).toBeLessThan(3);
    // LAMMPS's strain from Lx is its erate law: 5e-5 /fs x 10 fs per row.
    expect(j.runs[1].result.strainRange[1]).toBeCloseTo(0.1, 6);
    expect(j.runs[1].result.points).toBe(201);
    expect(j.runs[1].result.poissonRatio.from).toBe('lengths');
  });

  it('bad input: a missing column, strain that does not increase, a bad window; nothing written', {
    timeout: 120_000,
  }, () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'strain,load\n0,0\n0.01,1\n');
    const r = cli('mechanics', 'stress-strain', join(dir, 'a.csv'), '--json', join(dir, 'x.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no stress column \(columns: strain, load\); name it with --stress-column/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
    const rows = [
      'strain,stress_GPa',
      ...Array.from({ length: 20 }, (_, i) => `${i % 10 === 9 ? 0 : i * 1e-3},${i}`),
    ];
    writeFileSync(join(dir, 'b.csv'), `${rows.join('\n')}\n`);
    const b = cli('mechanics', 'stress-strain', join(dir, 'b.csv'));
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/strain must increase/);
    writeFileSync(join(dir, 'c.csv'), 'strain,stress_GPa\n0,0\n0.01,x\n');
    const c = cli('mechanics', 'stress-strain', join(dir, 'c.csv'));
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/c\.csv:3:2: expected a number for stress_GPa/);
  });
});
