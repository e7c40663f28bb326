import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

describe('oligolyte build', () => {
  it("glass: the study's 8 x LAOC^0b cell, reproducible by seed, with a summary", () => {
    const dir = tempDir();
    const a = cli(
      'build',
      'glass',
      '--mix',
      '0b:8',
      '--density',
      '1.9',
      '--seed',
      '1',
      '-o',
      join(dir, 'a.vasp'),
    );
    expect(a.code, a.err).toBe(0);
    expect(a.out).toMatch(/128 atoms, Al24O16Cl64Li24/);
    expect(a.out).toMatch(/a=14\.2900 b=14\.2900 c=14\.2900 A.* 1\.900000 g\/cm\^3/);
    expect(a.out).toMatch(/closest contact between units: \w+\d+\.\.\.\w+\d+ [\d.]+ A/);
    cli('build', 'glass', '--mix', '0b:8', '--seed', '1', '-o', join(dir, 'b.vasp'));
    expect(readFileSync(join(dir, 'a.vasp'), 'utf8')).toBe(readFileSync(join(dir, 'b.vasp'), 'utf8'));
  });
  it('oligomer and supercell; LAMMPS data keeps the bonds', () => {
    const dir = tempDir();
    const o = cli('build', 'oligomer', '--bridges', '2', '-o', join(dir, 't.xyz'));
    expect(o.code, o.err).toBe(0);
    expect(o.out).toMatch(/11 atoms, Al3O2Cl6 \(charge -1\)/);
    const g = cli('build', 'glass', '--mix', '1b:8', '-o', join(dir, 'g.data'));
    expect(g.code, g.err).toBe(0);
    expect(readFileSync(join(dir, 'g.data'), 'utf8')).toMatch(/\n96 bonds\n/);
    const s = cli(
      'build',
      'supercell',
      join(dir, 'g.data'),
      '2x2x2',
      '-o',
      join(dir, 'big.data'),
      '--type-map',
      'Al,O,Cl,Li',
    );
    expect(s.code, s.err).toBe(0);
    expect(s.out).toMatch(/896 atoms/);
    expect(readFileSync(join(dir, 'big.data'), 'utf8')).toMatch(/\n768 bonds\n/);
  });
  it('glass with a cell shape and from a named mixture', () => {
    const dir = tempDir();
    const r = cli(
      'build',
      'glass',
      '--composition',
      'LAOC^1.5b',
      '--trimers',
      '8',
      '--shape',
      '1:1:2',
      '-o',
      join(dir, 's.vasp'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/104 atoms, Al24O16Cl52Li12/);
    expect(r.out).toMatch(/a=(\d+\.\d+) b=\1 c=[\d.]+ A/);
    expect(
      cli('build', 'glass', '--composition', 'LAOC^1.5b', '--mix', '0b:1', '-o', join(dir, 'x.vasp')).err,
    ).toMatch(/either --mix or --composition/);
  });
  it('amorphous: the substituted LiAlCl4 model from the shipped crystal', () => {
    const dir = tempDir();
    const r = cli(
      'build',
      'amorphous',
      '--composition',
      'LAOC^0b',
      '--seed',
      '2',
      '-o',
      join(dir, 'amo.vasp'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/80 atoms, Al15Cl40O10Li15/);
    expect(r.out).toMatch(/5 x Li3Al3O2Cl8: 10 Cl -> O, removed 1 Al, 14 Cl, 1 Li/);
  });
  it('bad input: unknown unit, impossible density', () => {
    const dir = tempDir();
    expect(cli('build', 'glass', '--mix', '9b:2', '-o', join(dir, 'x.vasp')).err).toMatch(
      /unknown unit "9b"/,
    );
    const r = cli('build', 'glass', '--mix', '0b:8', '--density', '7', '-o', join(dir, 'x.vasp'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot pack/);
  });
});
