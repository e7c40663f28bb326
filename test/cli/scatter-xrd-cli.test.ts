import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseB, parseRange } from '../../src/cli/scatter-xrd.js';
import { OptionError } from '../../src/core/errors.js';
import { cli, sharedFixture, tempDir } from '../helpers.js';

const LICL = sharedFixture('structures/LiCl_rocksalt.cif');

describe('oligolyte scatter xrd', () => {
  it('prints the peaks of LiCl, writes them as JSON and CSV', () => {
    const dir = tempDir();
    const r = cli('scatter', 'xrd', LICL, '--json', join(dir, 'x.json'), '--csv', join(dir, 'x.csv'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/lambda = 1\.54184 A \(CuKa\), 2theta 0-90 deg, 8 peaks/);
    expect(r.out).toMatch(/^\s+30\.1772\s+100\.000\s+2\.96152\s+\(1, 1, 1\) x8$/m);
    const json = JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8'));
    expect(json.peaks).toHaveLength(8);
    expect(json.peaks[1].families).toEqual([{ hkl: [2, 0, 0], multiplicity: 6 }]);
    const csv = readFileSync(join(dir, 'x.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('two_theta_deg,intensity,intensity_absolute,d_A,hkl');
    expect(csv).toHaveLength(9);
  });

  it('--profile writes the broadened curve; --b and --wavelength change the pattern', () => {
    const dir = tempDir();
    const r = cli(
      'scatter',
      'xrd',
      LICL,
      '--wavelength',
      'MoKa1',
      '--two-theta',
      '10,30',
      '--b',
      'Li=1,Cl=0.5',
      '--profile',
      '--fwhm',
      '0.2',
      '--eta',
      '0',
      '--step',
      '0.05',
      '--csv',
      join(dir, 'p.csv'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/lambda = 0\.7093 A \(MoKa1\)/);
    const rows = readFileSync(join(dir, 'p.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('two_theta_deg,intensity');
    expect(rows).toHaveLength(1 + 401);
  });

  it('bad options exit 2 with a message naming the flag', () => {
    // Two of the checks (each CLI start costs seconds): a name and a profile option.
    for (const [args, msg] of [
      [['--wavelength', 'CuKz'], /wavelength "CuKz"/],
      [['--profile', '--eta', '2'], /--eta/],
    ] as const) {
      const r = cli('scatter', 'xrd', LICL, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
    }
  });

  it('--two-theta and --b parsing (in this process)', () => {
    expect(parseRange('5,90', '--two-theta')).toEqual([5, 90]);
    expect(() => parseRange('50,10', '--two-theta')).toThrow(/--two-theta/);
    expect(() => parseRange('0,180', '--two-theta')).toThrow(OptionError);
    expect(parseB('Li=1.0, Cl=0.5')).toEqual({ Li: 1, Cl: 0.5 });
    for (const bad of ['Li:1', 'Li=1,Li=2', 'Li=-1', '']) expect(() => parseB(bad), bad).toThrow(/--b/);
  });
});
