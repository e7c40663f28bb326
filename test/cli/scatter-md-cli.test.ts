import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture, tempDir } from '../helpers.js';

const NPT = fixture('rdf/laoc-npt.lammpstrj');

describe('oligolyte scatter pdf-md, sq, debye', () => {
  it('pdf-md: the table, JSON, CSV (total and partials) and .fgr', () => {
    const dir = tempDir();
    const r = cli(
      'scatter',
      'pdf-md',
      NPT,
      '--rmax',
      '8',
      '--uiso',
      '0.003',
      '--frames',
      '0:2',
      '--threads',
      '1',
      '--json',
      join(dir, 'g.json'),
      '--csv',
      join(dir, 'g.csv'),
      '--fgr',
      join(dir, 'g.fgr'),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2 frames, 256 atoms/);
    expect(r.out).toMatch(/^ {2}Al-O\s+1\.[67]\d+\s+0\.3\d/m);
    const json = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8'));
    expect(json.rA).toHaveLength(801);
    expect(json.partials).toHaveLength(10);
    const csv = readFileSync(join(dir, 'g.csv'), 'utf8').trim().split('\n');
    expect(csv[0].split(',')).toHaveLength(12);
    expect(csv).toHaveLength(802);
    const fgr = readFileSync(join(dir, 'g.fgr'), 'utf8');
    expect(fgr).toMatch(/^##### start data$/m);
    expect(fgr.trim().split('\n').at(-1)).toMatch(/^8 -?[\d.e-]+ 0 0$/);
  });

  it('sq and debye: tables and CSV', () => {
    const dir = tempDir();
    const s = cli(
      'scatter',
      'sq',
      NPT,
      '--qmax',
      '12',
      '--dq',
      '0.1',
      '--rmax',
      '9',
      '--frames',
      '0:2',
      '--csv',
      join(dir, 's.csv'),
    );
    expect(s.err).toBe('');
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/Faber-Ziman S\(Q\), X-ray, f\(Q\) = pymatgen's f\(s\)/);
    const rows = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^Q_per_A,S,F_per_A,S_Al-Al/);
    expect(rows).toHaveLength(1 + 116);
    const d = cli(
      'scatter',
      'debye',
      NPT,
      '--qmax',
      '10',
      '--dq',
      '0.5',
      '--frames',
      '0',
      '--form-factor',
      'z',
      '--csv',
      join(dir, 'd.csv'),
    );
    expect(d.code).toBe(0);
    expect(d.out).toMatch(/1 clusters of 256\.0+ atoms/);
    expect(readFileSync(join(dir, 'd.csv'), 'utf8').split('\n')[0]).toBe('Q_per_A,I_e2,I_per_atom_e2,S');
  });

  it('scatter pdf --md takes the trajectory as a phase', () => {
    const r = cli(
      'scatter',
      'pdf',
      NPT,
      '--md',
      '--frames',
      '0:1',
      '--rmax',
      '6',
      '--uiso',
      '0.003',
      '--qdamp',
      '0.03',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^laoc-npt\.lammpstrj\s+256\.0/m);
  });

  it('bad options exit 2 naming the flag', () => {
    for (const [args, msg] of [
      [['pdf-md', NPT, '--route', 'sphere', '--diameter', '5'], /--diameter/],
      [['sq', NPT, '--qmin', '5', '--qmax', '2'], /--qmax/],
    ] as const) {
      const r = cli('scatter', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
    }
  });
});
