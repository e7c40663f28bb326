import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePdfData } from '../../src/io/gr.js';
import { cli, sharedFixture, tempDir } from '../helpers.js';

describe('oligolyte scatter pdf / fit', () => {
  it('pdf: the Ni G(r) of PDFfit2 (Ni-fit.fgr) as table, CSV, JSON and .fgr', () => {
    const dir = tempDir();
    const r = cli(
      'scatter',
      'pdf',
      sharedFixture('pdf/Ni-srreal-test.stru'),
      '--rmin',
      '0',
      '--rmax',
      '10',
      '--csv',
      join(dir, 'g.csv'),
      '--json',
      join(dir, 'g.json'),
      '--fgr',
      join(dir, 'g.fgr'),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/X-ray \(weights Z\)/);
    const ref = parsePdfData(readFileSync(sharedFixture('pdf/Ni-fit.fgr'), 'utf8'), 'Ni-fit.fgr');
    const mine = parsePdfData(readFileSync(join(dir, 'g.fgr'), 'utf8'), 'g.fgr');
    expect(mine.r.length).toBe(ref.r.length);
    for (let i = 0; i < ref.r.length; i++) expect(Math.abs(mine.g[i] - ref.g[i])).toBeLessThan(1e-4);
    const json = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8'));
    expect(json.G.length).toBe(1001);
    expect(readFileSync(join(dir, 'g.csv'), 'utf8').split('\n')[0]).toBe('r_A,G_per_A2');
  });
  it('pdf: a CIF without U needs --uiso; bad options exit 2', () => {
    const cif = sharedFixture('structures/LiCl_rocksalt.cif');
    const no = cli('scatter', 'pdf', cif);
    expect(no.code).toBe(1);
    expect(no.err).toMatch(/--uiso/);
    const bad = cli('scatter', 'pdf', cif, '--uiso', '0.02', '--rstep', '-1');
    expect(bad.code).toBe(2);
    const data = cli('scatter', 'pdf', sharedFixture('pdf/Ni-xray.gr'));
    expect(data.code).toBe(2);
    expect(data.err).toMatch(/Ni-xray\.gr: this is PDF data, not a structure: .*scatter fit/);
  });
  it('fit: the shipped Ni lesson-1 file refines to PDFfit2 values and writes curves', () => {
    const dir = tempDir();
    const r = cli(
      'scatter',
      'fit',
      'examples/scatter/ni-lesson1.toml',
      '--fgr',
      join(dir, 'f.fgr'),
      '--csv',
      join(dir, 'f.csv'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/converged after \d+ iterations/);
    expect(r.out).toMatch(/@3 +3\.53160\d \(1\.8e-5\)/);
    const fgr = parsePdfData(readFileSync(join(dir, 'f.fgr'), 'utf8'), 'f.fgr');
    expect(fgr.r.length).toBe(1832);
    expect(fgr.columns).toBe(5);
  });
  it('fit: a fit range from r = 0 is refused with a clear message (exit 2)', () => {
    const dir = tempDir();
    const p = join(dir, 'zero.toml');
    writeFileSync(
      p,
      readFileSync('examples/scatter/ni-lesson1.toml', 'utf8')
        .replace('"Ni.stru"', JSON.stringify(sharedFixture('pdf/Ni.stru')))
        .replace('"Ni-xray.gr"', JSON.stringify(sharedFixture('pdf/Ni-xray.gr')))
        .replace('range = [1.7, 20.0]', 'range = [0.0, 20.0]'),
    );
    const zero = cli('scatter', 'fit', p);
    expect(zero.code).toBe(2);
    expect(zero.err).toMatch(/starts at r = 0/);
  });
  it('fit: a sequential fit over a series writes one row per file', () => {
    const dir = tempDir();
    const r = cli(
      'scatter',
      'fit',
      'examples/scatter/ni-lesson1.toml',
      '--series',
      sharedFixture('pdf/Ni-xray.gr'),
      sharedFixture('pdf/Ni-xray.gr'),
      '--csv',
      join(dir, 's.csv'),
    );
    expect(r.code).toBe(0);
    const rows = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n');
    expect(rows.length).toBe(3);
    expect(rows[0]).toMatch(/^file,temperature_K,rw,reduced_chi2,converged,p1,p1_sigma/);
    expect(rows[1].split(',')[1]).toBe('300');
  });
});
