import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

describe('oligolyte energy and lammps export', () => {
  it('energy by term, pressure and forces of a built glass; the LAMMPS files for it', () => {
    const dir = tempDir();
    expect(cli('build', 'glass', '--mix', '0b:8', '-o', join(dir, 'g.data')).code).toBe(0);
    const r = cli(
      'energy',
      join(dir, 'g.data'),
      '--type-map',
      'Al,O,Cl,Li',
      '--forces',
      join(dir, 'f.extxyz'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/laoc-v4, 128 atoms/);
    expect(r.out).toMatch(/Coulomb\s+-?[\d.]+ kcal\/mol/);
    expect(readFileSync(join(dir, 'f.extxyz'), 'utf8')).toMatch(/forces:R:3/);
    const j = JSON.parse(cli('energy', join(dir, 'g.data'), '--type-map', 'Al,O,Cl,Li', '--json').out);
    expect(j.types.sort()).toEqual(['Al', 'Cl_t', 'Li', 'O_br']);
    expect(j.energyKcalPerMol.total).toBeCloseTo(
      j.energyKcalPerMol.bond +
        j.energyKcalPerMol.angle +
        j.energyKcalPerMol.vdw +
        j.energyKcalPerMol.coulomb,
      9,
    );
    const x = cli(
      'lammps',
      'export',
      join(dir, 'g.data'),
      '--type-map',
      'Al,O,Cl,Li',
      '-o',
      join(dir, 'lmp'),
    );
    expect(x.code, x.err).toBe(0);
    expect(existsSync(join(dir, 'lmp', 'system.data'))).toBe(true);
    expect(readFileSync(join(dir, 'lmp', 'in.oligolyte'), 'utf8')).toMatch(
      /pair_style lj\/cut\/coul\/dsf 0.2 10/,
    );
  });
  it('--coulomb wolf, documented for energy and lammps export, is accepted there and refused by md', () => {
    const dir = tempDir();
    expect(cli('build', 'glass', '--mix', '0b:8', '-o', join(dir, 'g.data')).code).toBe(0);
    const dsf = JSON.parse(cli('energy', join(dir, 'g.data'), '--type-map', 'Al,O,Cl,Li', '--json').out);
    const e = cli('energy', join(dir, 'g.data'), '--type-map', 'Al,O,Cl,Li', '--coulomb', 'wolf', '--json');
    expect(e.code, e.err).toBe(0);
    const wolf = JSON.parse(e.out);
    // Same short-range terms; the Coulomb sum differs from DSF's only by the shift.
    expect(wolf.energyKcalPerMol.vdw).toBeCloseTo(dsf.energyKcalPerMol.vdw, 9);
    expect(wolf.energyKcalPerMol.coulomb).not.toBe(dsf.energyKcalPerMol.coulomb);
    const x = cli(
      'lammps',
      'export',
      join(dir, 'g.data'),
      '--type-map',
      'Al,O,Cl,Li',
      '--coulomb',
      'wolf',
      '-o',
      join(dir, 'w'),
    );
    expect(x.code, x.err).toBe(0);
    expect(readFileSync(join(dir, 'w', 'in.oligolyte'), 'utf8')).toMatch(/pair_style lj\/cut\/coul\/wolf/);
    const m = cli('md', join(dir, 'g.data'), '--coulomb', 'wolf', '--steps', '1', '-o', join(dir, 'md'));
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/--coulomb.*wolf.*(dsf|choices)/s);
  });
  it('an unknown force field is a usage error', () => {
    const r = cli('energy', 'x.vasp', '--ff', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown force field "nope"/);
  });
});

describe('oligolyte md', () => {
  it('runs NVT on a built glass and writes thermo.csv, a trajectory and the final frame', () => {
    const dir = tempDir();
    expect(cli('build', 'glass', '--mix', '0b:8', '-o', join(dir, 'g.data')).code).toBe(0);
    const r = cli(
      'md',
      join(dir, 'g.data'),
      '--type-map',
      'Al,O,Cl,Li',
      '--ensemble',
      'langevin',
      '--temperature',
      '300',
      '--steps',
      '200',
      '--thermo-every',
      '50',
      '--dump-every',
      '100',
      '-o',
      join(dir, 'run'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/200 steps of 1 fs \(langevin, laoc-v4\)/);
    const thermo = readFileSync(join(dir, 'run', 'thermo.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(thermo[0]).toMatch(/^step,time_fs,temperature_K,/);
    expect(thermo.length).toBe(1 + 5);
    expect(readFileSync(join(dir, 'run', 'trajectory.extxyz'), 'utf8').match(/Lattice=/g)?.length).toBe(3);
    expect(existsSync(join(dir, 'run', 'final.extxyz'))).toBe(true);
    expect(cli('md', join(dir, 'g.data'), '--steps', '-3', '-o', join(dir, 'x')).err).toMatch(/--steps/);
  });
});
