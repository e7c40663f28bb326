import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture, tempDir } from '../helpers.js';

const NPT = fixture('rdf/laoc-npt.lammpstrj');
const DATA = fixture('rdf/laoc-glass.data');

describe('oligolyte structure rdf', () => {
  it('prints the table, writes every number to JSON and the curves to CSV', () => {
    const dir = tempDir();
    const r = cli(
      'structure',
      'rdf',
      NPT,
      '--pairs',
      'Al-O,Li-Cl',
      '--rmax',
      '6',
      '--bins',
      '120',
      '--frames',
      '0:4',
      '--json',
      join(dir, 'g.json'),
      '--csv',
      join(dir, 'g.csv'),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/4 frames, 256 atoms/);
    expect(r.out).toMatch(/^ {2}Al-O\s+48\s+32\s+1\.7\d/m);
    expect(r.out).toMatch(/^ {2}Li-Cl\s+48\s+128/m);
    expect(r.out).toMatch(/^ {2}total\s+256\s+256/m);
    const json = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8'));
    const run = json.runs[0];
    expect(run.frames).toBe(4);
    expect(run.bins).toBe(120);
    expect(run.partials.map((p: { name: string }) => p.name)).toEqual(['Al-O', 'Li-Cl']);
    expect(run.partials[0].g).toHaveLength(120);
    expect(run.total.coordination).toHaveLength(120);
    const csv = readFileSync(join(dir, 'g.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'run,r_A,r_upper_A,g_Al-O,n_Al-O,n_Al-O_reverse,g_Li-Cl,n_Li-Cl,n_Li-Cl_reverse,g_total,n_total',
    );
    expect(csv).toHaveLength(121);
  });

  it('excludes bonded pairs with the topology of a LAMMPS data file', () => {
    const r = cli(
      'structure',
      'rdf',
      NPT,
      '--topology',
      DATA,
      '--exclude-bonded',
      '--pairs',
      'Al-O',
      '--rmax',
      '4',
      '--bins',
      '40',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/bonded pairs excluded: same molecule/);
    const b = cli(
      'structure',
      'rdf',
      DATA,
      '--exclude-bonded',
      '2',
      '--pairs',
      'Al-O',
      '--rmax',
      '4',
      '--bins',
      '40',
    );
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/bonded pairs excluded: within 2 bonds/);
  });

  it('bad input: one line naming the cause, exit 1 (2 for usage), nothing written', () => {
    const dir = tempDir();
    const out = ['--json', join(dir, 'g.json'), '--csv', join(dir, 'g.csv')];
    const absent = cli('structure', 'rdf', NPT, '--pairs', 'Na-Cl', ...out);
    expect(absent.code).toBe(1);
    expect(absent.err).toBe(
      'oligolyte: --pairs: no Na atoms in the trajectory (its elements: Al, O, Cl, Li)\n',
    );
    const noMol = cli('structure', 'rdf', NPT, '--exclude-bonded', ...out);
    expect(noMol.code).toBe(1);
    expect(noMol.err).toMatch(
      /^oligolyte: --exclude-bonded: leaving out pairs in the same molecule needs molecule ids/,
    );
    expect(cli('structure', 'rdf', NPT, '--rmax', '0').err).toMatch(/--rmax: "0" is not a positive distance/);
    expect(cli('structure', 'rdf', NPT, '--bins', '0').code).toBe(2);
    expect(cli('structure', 'rdf', NPT, '--pairs', 'LiCl').err).toMatch(
      /--pairs: "LiCl" is not a pair of elements/,
    );
    // A frame with a different atom count: the error at its line.
    const text = readFileSync(fixture('rdf/laoc-npt.mda.extxyz'), 'utf8').split('\n');
    const bad = join(dir, 'bad.extxyz');
    writeFileSync(bad, [...text.slice(0, 258), '255', ...text.slice(259, 515)].join('\n'));
    const count = cli('structure', 'rdf', bad, ...out);
    expect(count.code).toBe(1);
    expect(count.err).toMatch(
      /^oligolyte: .*bad\.extxyz:259: expected frame 2 with the atoms of the first frame \(256/,
    );
    expect(readdirSync(dir)).toEqual(['bad.extxyz']);
    const unwritable = cli('structure', 'rdf', NPT, '--json', join(DATA, 'g.json'));
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toMatch(/cannot write .*laoc-glass\.data\/g\.json/);
    expect(unwritable.out).toBe('');
  });
});

describe('oligolyte structure angles', () => {
  it('the default triples: table, JSON, CSV', () => {
    const dir = tempDir();
    const r = cli('structure', 'angles', NPT, '--json', join(dir, 'a.json'), '--csv', join(dir, 'a.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}O-Al-O\s+2\.10\/2\.10/m);
    expect(r.out).toMatch(/^ {2}Al-O-Al\s+2\.10\/2\.10\s+\d+\s+[\d.]+\s+13\d\./m);
    const json = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    const d = json.runs[0].distributions;
    expect(d.map((x: { name: string }) => x.name)).toEqual(['O-Al-O', 'Cl-Al-Cl', 'Al-O-Al']);
    expect(d[1].meanDeg).toBeGreaterThan(100);
    expect(d[1].meanDeg).toBeLessThan(118);
    const csv = readFileSync(join(dir, 'a.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('run,angle_deg,p_O-Al-O_per_deg,p_Cl-Al-Cl_per_deg,p_Al-O-Al_per_deg');
    expect(csv).toHaveLength(181);
  });

  it('from bonds, any triple; a pair without a cut-off is a usage error', () => {
    const r = cli('structure', 'angles', DATA, '--bonds', '--triples', 'O-Al-Cl', '--bins', '90');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/O-Al-Cl\s+bonds\s+160/);
    const missing = cli('structure', 'angles', NPT, '--triples', 'Li-Cl-Li');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(
      'oligolyte: --cutoffs: no cut-off for Cl-Li (triple Li-Cl-Li); give one, e.g. Cl-Li=2.5\n',
    );
    const ok = cli('structure', 'angles', NPT, '--triples', 'Li-Cl-Li', '--cutoffs', 'Cl-Li=2.9');
    expect(ok.code).toBe(0);
    expect(cli('structure', 'angles', NPT, '--triples', 'O-Na-O', '--cutoffs', 'Na-O=2.5').err).toMatch(
      /--triples: no Na atoms in the trajectory/,
    );
  });
});
