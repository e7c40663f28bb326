/**
 * `oligolyte minimise` and `oligolyte mechanics elastic`: tables, --json, --csv, against the LAMMPS
 * references (test/reference/mechanics); bad options.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeEnergy } from '../../src/forcefield/energy.js';
import { prepareSystem } from '../../src/forcefield/system.js';
import { readStructure } from '../../src/io/registry.js';
import { cli, tempDir } from '../helpers.js';

const REF = join(import.meta.dirname, '..', 'reference', 'mechanics');
const ref = JSON.parse(readFileSync(join(REF, 'lammps-mechanics.json'), 'utf8'));
const LICL = join(import.meta.dirname, '..', 'fixtures', 'shared', 'structures', 'LiCl_rocksalt.cif');

describe('oligolyte minimise', () => {
  it('relaxes a structure to the minimum LAMMPS finds, writes it, says how it went', {
    timeout: 120_000,
  }, async () => {
    const dir = tempDir();
    const out = join(dir, 'min.extxyz');
    const r = cli(
      'minimise',
      join(REF, 'glass-rattled.data'),
      '--type-map',
      'Al,O,Cl,Li',
      '--method',
      'cg',
      '--force-tolerance',
      '1e-5',
      '-o',
      out,
      '--json',
      join(dir, 'min.json'),
      '--csv',
      join(dir, 'min.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/converged \(force tolerance\)/);
    const j = JSON.parse(readFileSync(join(dir, 'min.json'), 'utf8'));
    const [header, row] = readFileSync(join(dir, 'min.csv'), 'utf8').trim().split('\n');
    const fields = header.split(',');
    expect(fields).toContain('final_potential_kcal_mol');
    expect(Number(row.split(',')[fields.indexOf('final_potential_kcal_mol')])).toBe(j.finalPotentialKcalMol);
    expect(j.converged).toBe(true);
    expect(
      Math.abs(j.finalPotentialKcalMol / ref.structures.glass.rattled.cg.finalPotentialKcalMol - 1),
    ).toBeLessThan(5e-7);
    const written = await readStructure(out);
    const { sys, ff } = prepareSystem(written, { forcefield: 'laoc-v4' });
    const e = computeEnergy(written.frame.positions, written.frame.lattice!, sys, ff);
    expect(e.termsKcalMol.total).toBeCloseTo(j.finalPotentialKcalMol, 4);
    const table = cli('minimise', LICL, '--cell', 'aniso', '-o', join(dir, 'licl.cif'));
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/converged \(force tolerance\)/);
    const p = Number(/pressure\s+(-?\d+\.\d\d) atm/.exec(table.out)![1]);
    expect(Math.abs(p)).toBeLessThan(10);
  });

  it('a minimisation short of the tolerance: exit 1 and nothing written, unless --keep-unconverged', {
    timeout: 120_000,
  }, () => {
    const dir = tempDir();
    const out = join(dir, 'short.extxyz');
    const args = [join(REF, 'glass-start.data'), '--type-map', 'Al,O,Cl,Li', '--max-steps', '5', '-o', out];
    const r = cli('minimise', ...args, '--json', join(dir, 'short.json'));
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/not converged to 0\.001 kcal\/mol\/A after 5 steps \(max steps;.*nothing written/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, 'short.json'))).toBe(false);
    const kept = cli('minimise', ...args, '--keep-unconverged');
    expect(kept.code, kept.err).toBe(0);
    expect(kept.err).toMatch(/warning: not converged/);
    expect(existsSync(out)).toBe(true);
  });

  it('bad options: exit 2, nothing written', () => {
    const dir = tempDir();
    const out = join(dir, 'x.extxyz');
    const r = cli('minimise', LICL, '-o', out, '--pressure', '100');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--pressure needs --cell/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('oligolyte mechanics elastic', () => {
  it('LiCl: the 6x6 matrix of LAMMPS (cell relaxed first), Voigt/Reuss/Hill, --json and --csv', {
    timeout: 120_000,
  }, () => {
    const dir = tempDir();
    const r = cli('mechanics', 'elastic', LICL, '--json', join(dir, 'e.json'), '--csv', join(dir, 'e.csv'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Hill\s+[\d.]+ GPa/);
    expect(r.out).toMatch(/mechanically stable \(C positive definite\): yes/);
    const j = JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8'));
    const L = ref.structures.licl.elastic.stiffnessGPa;
    for (const [i, k] of [
      [0, 0],
      [0, 1],
      [3, 3],
    ])
      expect(Math.abs(j.stiffnessGPa[i][k] / L[i][k] - 1)).toBeLessThan(1e-4);
    expect(j.units.stiffness).toBe('GPa');
    const csv = readFileSync(join(dir, 'e.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('quantity,value,standard_error,low,high');
    expect(csv).toHaveLength(1 + 36 + 12);
    expect(csv.find((l) => l.startsWith('bulk_GPa_hill'))).toMatch(/^bulk_GPa_hill,8\d\.\d+/);
  });

  it('bad options are usage errors', () => {
    const r = cli('mechanics', 'elastic', LICL, '--temperature', '300', '--keep-cell');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/for 0 K/);
  });
});
