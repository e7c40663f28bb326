/**
 * oligolyte eis | dc | dsc | cycling: tables, --json and --csv, and bad input (exit 1 or 2 with one
 * line, no output file left behind). Two cases run the real program in a child process; the others
 * call the CLI's run() in this process (same parsing, outputs and exit codes, without the start-up
 * cost of a process each).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { BOLTZMANN_EV_PER_K } from '../../src/core/units.js';
import { circuit, circuitImpedance } from '../../src/experiment/circuits/circuit.js';
import { sharedFixture, cli as spawnCli, tempDir, tempFile } from '../helpers.js';

/** `oligolyte ...args` through run() in this process: exit code, stdout and stderr. */
const cli = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
  let out = '';
  let err = '';
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await run(['node', 'oligolyte', ...args]);
    return { code, out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
};

const CIRCUIT1 = sharedFixture('eis/Circuit1_EIS_1.z');

/** A CSV spectrum of p(R1,CPE1)-CPE2 (a pellet between blocking electrodes). */
const pelletSpectrum = (rOhm: number): string => {
  const f = Array.from({ length: 50 }, (_, i) => 10 ** (6.5 - (7 * i) / 49));
  const z = circuitImpedance(circuit('p(R1,CPE1)-CPE2'), [rOhm, 1e-10, 0.95, 1e-6, 0.85], f);
  return `freq,re,im\n${f.map((x, i) => `${x},${z.re[i]},${z.im[i]}`).join('\n')}\n`;
};

describe('oligolyte eis', () => {
  it('fit: table, JSON and CSV (the real program)', () => {
    const dir = tempDir();
    const r = spawnCli(
      'eis',
      'fit',
      CIRCUIT1,
      '--circuit',
      'R0-p(R1,C1)',
      '--guess',
      '10,50,1e-6',
      '--json',
      join(dir, 'f.json'),
      '--csv',
      join(dir, 'f.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/R0\s+29\.14/);
    const j = JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8'));
    expect(j.runs[0].fit.parameterNames).toEqual(['R0', 'R1', 'C1']);
    expect(j.runs[0].fit.residualReOhm).toHaveLength(48);
    const csv = readFileSync(join(dir, 'f.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('file,circuit,parameter,value,std_error,unit,sum_of_squares,reduced_chi2,weighting');
    expect(csv).toHaveLength(4);
  });
  it('fit: a circuit that does not parse says where, exit 1, no output written (the real program)', () => {
    const dir = tempDir();
    const r = spawnCli('eis', 'fit', CIRCUIT1, '--circuit', 'R0-p(R1,,C1)', '--json', join(dir, 'f.json'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/circuit "R0-p\(R1,,C1\)" at column 9: expected an element/);
    expect(existsSync(join(dir, 'f.json'))).toBe(false);
  });
  it('kk: M and mu as impedance.py, residuals per frequency in the CSV', async () => {
    const dir = tempDir();
    const r = await cli('eis', 'kk', sharedFixture('eis/exampleData.csv'), '--csv', join(dir, 'kk.csv'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/exampleData\.csv\s+66\s+22\s+0\.831/);
    expect(readFileSync(join(dir, 'kk.csv'), 'utf8').trim().split('\n')).toHaveLength(67);
  });
  it('conductivity: from the intercept and from a fit; a negative thickness is refused', async () => {
    const spec = tempFile('pellet.csv', pelletSpectrum(100));
    const byFit = await cli(
      'eis',
      'conductivity',
      spec,
      '--circuit',
      'p(R1,CPE1)-CPE2',
      '--guess',
      '50,1e-9,0.9,1e-5,0.8',
      '--thickness',
      '1',
      '--diameter',
      '10',
      '--json',
      join(tempDir(), 'c.json'),
    );
    expect(byFit.code, byFit.err).toBe(0);
    // 0.1 cm / (100 ohm * 0.7854 cm^2) = 1.273 mS/cm
    expect(byFit.out).toMatch(/1\.273\s/);
    const byIntercept = await cli('eis', 'conductivity', spec, '--thickness', '1', '--diameter', '10');
    expect(byIntercept.code, byIntercept.err).toBe(0);
    expect(byIntercept.out).toMatch(/minimum of -Im Z/);
    const bad = await cli('eis', 'conductivity', spec, '--thickness', '-1', '--diameter', '10');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--thickness: "-1" is not a positive thickness in mm/);
  });
  it('arrhenius: a series following Ea = 0.47 eV gives it back, with VTF and AICc beside it', async () => {
    const tc = [-20, 0, 20, 30, 50, 70];
    const files = tc.map((c) => {
      const sigma = 3000 * Math.exp(-0.47 / (BOLTZMANN_EV_PER_K * (c + 273.15)));
      const r = 0.1 / (sigma * Math.PI * 0.25);
      return tempFile(`s${c}.csv`, pelletSpectrum(r));
    });
    const dir = tempDir();
    const r = await cli(
      'eis',
      'arrhenius',
      ...files,
      '--temperatures',
      tc.join(','),
      '--circuit',
      'p(R1,CPE1)-CPE2',
      '--thickness',
      '1',
      '--diameter',
      '10',
      '--json',
      join(dir, 'a.json'),
      '--csv',
      join(dir, 'a.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Arrhenius of sigma:\s+Ea 0\.47\d* eV/);
    expect(r.out).toMatch(/AICc of ln sigma/);
    const j = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    expect(j.fit.arrhenius.activationEv.value).toBeCloseTo(0.47, 6);
    const bad = await cli(
      'eis',
      'arrhenius',
      ...files,
      '--temperatures',
      '20,30',
      '--thickness',
      '1',
      '--diameter',
      '10',
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/2 values for 6 spectra/);
  });
  it('a file with a duplicated frequency: exit 1 naming the line', async () => {
    const r = await cli('eis', 'kk', tempFile('dup.csv', '1000,1,-1\n100,2,-2\n100,3,-3\n10,4,-4\n'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/dup\.csv:3: expected a frequency different/);
  });
  it('a guess or bounds that do not fit the circuit name the flags (exit 2)', async () => {
    const short = await cli('eis', 'fit', CIRCUIT1, '--circuit', 'R0-p(R1,C1)', '--guess', '10,50');
    expect(short.code).toBe(2);
    expect(short.err).toMatch(
      /^oligolyte: --guess: R0-p\(R1,C1\) has 3 parameters \(R0, R1, C1\), got 2 values\n$/,
    );
    const out = await cli(
      'eis',
      'fit',
      CIRCUIT1,
      '--circuit',
      'R0-p(R1,C1)',
      '--guess',
      '10,50,1e-6',
      '--upper',
      '100,20,1',
    );
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/initial R1 = 50 \(--guess\) is not positive and within \[0, 20\]/);
    const bounds = await cli(
      'eis',
      'fit',
      CIRCUIT1,
      '--circuit',
      'R0-p(R1,C1)',
      '--lower',
      '1,1,1',
      '--upper',
      '2,2,1',
    );
    expect(bounds.code).toBe(2);
    expect(bounds.err).toMatch(/bounds of C1: need 0 <= --lower < --upper/);
  });
});

describe('oligolyte dc, dsc, cycling', () => {
  it('dc transference from a current-time file and given resistances', async () => {
    // R_b 50, R_int 10, dV 0.1 V, t = 0.98: I_ss = 0.98 dV / (R_b + 0.98 R_int).
    const iss = (0.98 * 0.1) / (50 + 0.98 * 10);
    const rows = ['time/s,<I>/mA'];
    for (let t = 0; t <= 3600; t += 10) rows.push(`${t},${1000 * (iss + (2e-3 - iss) * Math.exp(-t / 100))}`);
    const file = tempFile('pol.csv', `${rows.join('\n')}\n`);
    const dir = tempDir();
    const r = await cli(
      'dc',
      'transference',
      file,
      '--dv',
      '0.1',
      '--rb',
      '50',
      '--rint0',
      '10',
      '--rint-ss',
      '10',
      '--json',
      join(dir, 't.json'),
      '--csv',
      join(dir, 't.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Watanabe form.*: 0\.980/);
    // Every CSV column says its unit (the drift of I_ss over the steady window is a fraction).
    expect(readFileSync(join(dir, 't.csv'), 'utf8').split('\n')[0]).toBe(
      'file,delta_V,I0_A,Iss_A,Iss_std_A,Iss_drift_fraction,R_bulk_ohm,R_int_0_ohm,R_int_ss_ohm,t_watanabe,t_bruce_vincent',
    );
    expect(JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')).result.watanabe).toBeCloseTo(0.98, 6);
    const missing = await cli('dc', 'transference', file, '--dv', '0.1', '--rb', '50');
    expect(missing.code).toBe(2);
  });
  it('dsc tg and cycling', async () => {
    const T = Array.from({ length: 301 }, (_, i) => -60 + i * 0.3);
    const dsc = tempFile(
      'dsc.csv',
      `Temperature (C),Heat flow (mW)\n${T.map((t) => `${t},${0.1 + 0.001 * t - 0.05 / (1 + Math.exp(-(t + 15) / 2))}`).join('\n')}\n`,
    );
    const r = await cli('dsc', 'tg', dsc);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/midpoint -15\.0/);
    const cyc = tempFile(
      'cyc.csv',
      'cycle,charge capacity (mAh),discharge capacity (mAh)\n1,2.2,2.06\n2,2.1,2.05\n',
    );
    const dir = tempDir();
    const c = await cli('cycling', cyc, '--mass', '10', '--csv', join(dir, 'c.csv'));
    expect(c.code, c.err).toBe(0);
    expect(c.out).toMatch(/\s1\s+220\.0*\s+206\.0*\s+93\.6/);
    expect(readFileSync(join(dir, 'c.csv'), 'utf8').split('\n')[0]).toBe(
      'cycle,charge_mAh_g,discharge_mAh_g,coulombic_efficiency_pct,retention_pct',
    );
    const bad = await cli('cycling', tempFile('bad.csv', 'cycle,charge (mAh)\n1,2\n'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/expected a discharge capacity column/);
  });
});
