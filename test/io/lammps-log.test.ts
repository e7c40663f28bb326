/**
 * Issue 30: LAMMPS logs as a reader. The fixtures in test/fixtures/lammps-logs were made by
 * test/fixtures/make-lammps-logs.sh with LAMMPS 29 Sep 2021 - Update 2 (Debian package lammps,
 * `lmp`; lammps-version.txt); each input prints LAMMPS's own values with %.15g after its runs
 * (`print "... $(pe:%.15g)"`), which the thermo rows must match to the digits LAMMPS printed
 * them with (%.8g in tables, %.4f in thermo_style multi blocks). With `lmp` installed, the same
 * input is also run at test time and its fresh log read.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/core/errors.js';
import { isLammpsLog, type LammpsLog, looksLikeLammpsLog, readLammpsLog } from '../../src/io/lammps-log.js';
import { lammpsLogSummary } from '../../src/io/lammps-log-summary.js';
import { THERMO_ROW, THERMO_TEXT, thermoRowFromText } from '../../src/io/lammps-thermo.js';
import { fixture, tempDir, tempFile } from '../helpers.js';

/** A file under test/fixtures/lammps-logs. */
const logFixture = (name: string) => fixture(`lammps-logs/${name}`);

/** The numbers of a `print` line "TAG key value key value ..." of a log. */
const printed = (path: string, tag: string): Record<string, number> => {
  const line = readFileSync(path, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${tag} `));
  if (!line) throw new Error(`${path}: no line ${tag}`);
  const f = line.split(/\s+/).slice(1);
  const out: Record<string, number> = {};
  for (let k = 0; k + 1 < f.length; k += 2) out[f[k]] = Number(f[k + 1]);
  return out;
};

/** `table` is `exact` printed with `digits` significant digits. */
const expectSignificant = (table: number, exact: number, digits: number) => {
  const halfUnit = 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(exact))) - digits + 1);
  expect(Math.abs(table - exact), `${table} vs ${exact}`).toBeLessThanOrEqual(halfUnit * (1 + 1e-9));
};
const last = (a: Float64Array) => a[a.length - 1];

const readError = async (path: string): Promise<ParseError> => {
  const e = await readLammpsLog(path).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ParseError);
  return e as ParseError;
};

/** A small log by hand: version, units, one thermo table from `rows` (lines after the header). */
const handLog = (rows: string[], tail = 'Loop time of 0.5 on 2 procs for 20 steps with 64 atoms\n') =>
  [
    'LAMMPS (2 Aug 2023)',
    'units           metal',
    'run 20',
    'Per MPI rank memory allocation (min/avg/max) = 3.0 | 3.0 | 3.0 Mbytes',
    '   Step          Temp          PotEng         Press          Volume    ',
    ...rows,
  ].join('\n') +
  '\n' +
  tail;

describe('readLammpsLog on logs LAMMPS wrote', () => {
  it('LJ melt: two thermo_style custom runs and one thermo_style multi run, values as LAMMPS printed them', async () => {
    const path = logFixture('lj-melt.log');
    const log = await readLammpsLog(path);
    expect(log.version).toBe('29 Sep 2021 - Update 2');
    expect(log.version).toBe(readFileSync(logFixture('lammps-version.txt'), 'utf8').trim());
    expect(log.units).toBe('lj');
    expect(log.warnings).toEqual([]);
    expect(log.runs.map((r) => [r.index, r.firstLine, r.style, r.rows, r.complete, r.atoms])).toEqual([
      [1, 42, 'table', 6, true, 108],
      [2, 77, 'table', 4, true, 108],
      [3, 114, 'multi', 3, true, 108],
    ]);
    const [one, two, three] = log.runs;
    const custom = [
      'Step',
      'Temp',
      'PotEng',
      'KinEng',
      'TotEng',
      'Press',
      'Volume',
      'Density',
      'c_myT',
      'v_twoT',
    ];
    expect(one.columns).toEqual(custom);
    expect(two.columns).toEqual(custom);
    expect(Object.keys(one.data)).toEqual(custom);
    expect(Array.from(one.data.Step)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(Array.from(two.data.Step)).toEqual([50, 60, 70, 80]);
    expect(one.loopTimeS).toBe(0.00174434);
    expect(one.processes).toBe(1);
    // Row 1 as printed: "0  3  -6.7733681  4.4583333  -2.3150347  -3.7261673  127.93177  0.8442  3  6".
    expect(custom.map((c) => one.data[c][0])).toEqual([
      0, 3, -6.7733681, 4.4583333, -2.3150347, -3.7261673, 127.93177, 0.8442, 3, 6,
    ]);
    // A run starts with the step the one before ended on: the same row.
    expect(custom.map((c) => two.data[c][0])).toEqual(custom.map((c) => last(one.data[c])));
    // The compute is the temperature, the variable twice it.
    expect(Array.from(one.data.c_myT)).toEqual(Array.from(one.data.Temp));
    for (let k = 0; k < one.rows; k++) expectSignificant(one.data.v_twoT[k], 2 * one.data.Temp[k], 7);
    // LAMMPS's own values after run 2 (%.15g) against the last row (%.8g).
    const after2 = printed(path, 'AFTER-RUN-2');
    expect(last(two.data.Step)).toBe(after2.step);
    expectSignificant(last(two.data.Temp), after2.temp, 8);
    expectSignificant(last(two.data.PotEng), after2.pe, 8);
    expectSignificant(last(two.data.Press), after2.press, 8);
    expect(two.atoms).toBe(after2.atoms);
    // thermo_style multi: Step and CPU from the dashed line, then the keywords in LAMMPS's order.
    expect(three.columns).toEqual([
      'Step',
      'CPU',
      'TotEng',
      'KinEng',
      'Temp',
      'PotEng',
      'E_bond',
      'E_angle',
      'E_dihed',
      'E_impro',
      'E_vdwl',
      'E_coul',
      'E_long',
      'Press',
    ]);
    expect(Array.from(three.data.Step)).toEqual([80, 100, 120]);
    expect(three.firstLine).toBe(114);
    const after3 = printed(path, 'AFTER-RUN-3');
    for (const [column, key] of [
      ['Temp', 'temp'],
      ['PotEng', 'pe'],
      ['TotEng', 'etotal'],
      ['Press', 'press'],
    ])
      expect(Math.abs(last(three.data[column]) - after3[key])).toBeLessThanOrEqual(5e-5 + 1e-12);
    expect(last(three.data.E_vdwl)).toBe(last(three.data.PotEng));
    expect(Array.from(three.data.E_bond)).toEqual([0, 0, 0]);
    // The multi block of step 80 repeats run 2's last row (to 4 decimals).
    expect(three.data.Temp[0]).toBe(1.5583);
  });

  it('argon in real units: thermo_style one, a WARNING and fix print lines inside the table', async () => {
    const path = logFixture('argon-real.log');
    const log = await readLammpsLog(path);
    expect(log.units).toBe('real');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.columns).toEqual(['Step', 'Temp', 'E_pair', 'E_mol', 'TotEng', 'Press']);
    expect(run.rows).toBe(11);
    expect(Array.from(run.data.Step)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(run.complete).toBe(true);
    const final = printed(path, 'FINAL');
    expect(run.atoms).toBe(final.atoms);
    expect(last(run.data.Step)).toBe(final.step);
    expectSignificant(last(run.data.Temp), final.temp, 8);
    expectSignificant(last(run.data.E_pair), final.pe, 8);
    expectSignificant(last(run.data.Press), final.press, 8);
    expect(log.warnings).toEqual([
      `${path}:44: run 1: 5 lines of other output between the thermo rows skipped (the first: "fix print: step 20 pe -145.688888")`,
      `${path}:51: inside run 1's thermo output: WARNING: Lost atoms: original 108 current 104 (src/thermo.cpp:445)`,
    ]);
  });

  it('reads gzip-compressed logs', async () => {
    const path = join(tempDir(), 'log.lammps.gz');
    writeFileSync(path, gzipSync(readFileSync(logFixture('lj-melt.log'))));
    const log = await readLammpsLog(path);
    expect(log.runs.map((r) => r.rows)).toEqual([6, 4, 3]);
    expect(await isLammpsLog(path)).toBe(true);
  });

  it('summary: means with block-averaged standard errors of the thermodynamic columns', async () => {
    const s = lammpsLogSummary(await readLammpsLog(logFixture('lj-melt.log')));
    expect(s.format).toBe('lammps-log');
    const run1 = s.runs[0];
    expect([run1.firstStep, run1.lastStep]).toEqual([0, 50]);
    expect(Object.keys(run1.means)).toEqual(['Temp', 'Press', 'PotEng', 'TotEng', 'Volume', 'Density']);
    const T = [3, 2.1290026, 1.6656079, 1.6045886, 1.6714717, 1.490916];
    const mean = T.reduce((a, b) => a + b) / 6;
    expect(run1.means.Temp.mean).toBeCloseTo(mean, 12);
    const naive = Math.sqrt(T.reduce((a, b) => a + (b - mean) ** 2, 0) / 5 / 6);
    expect(run1.means.Temp.standardError).toBeCloseTo(naive, 12);
    expect(s.runs[2].means.Temp.samples).toBe(3);
    const argon = lammpsLogSummary(await readLammpsLog(logFixture('argon-real.log')));
    expect(Object.keys(argon.runs[0].means)).toEqual(['Temp', 'Press', 'E_pair', 'TotEng']);
  });
});

describe('readLammpsLog on hand-written and cut logs', () => {
  it('a non-numeric cell is a ParseError at its line and column', async () => {
    const path = tempFile('bad.log', handLog(['0 300 -10.5 1.0 1000', '10 301 -10.4 x1.5 1000']));
    const e = await readError(path);
    expect([e.line, e.column]).toEqual([7, 14]);
    expect(e.message).toBe(`${path}:7:14: expected a number for Press (column 4 of 5), found "x1.5"`);
    const nan = await readError(
      tempFile('nan.log', handLog(['0 300 -10.5 1.0 1000', '10 -nan -10.4 1 1000'])),
    );
    expect([nan.line, nan.column, nan.found]).toEqual([7, 4, '-nan']);
  });

  it('a row with too few or too many values is a ParseError', async () => {
    const few = await readError(tempFile('few.log', handLog(['0 300 -10.5 1.0'])));
    expect([few.line, few.column]).toEqual([6, 16]);
    expect(few.message).toMatch(
      /expected 5 values, one per column \(Step Temp PotEng Press Volume\); the line has 4/,
    );
    const many = await readError(tempFile('many.log', handLog(['0 300 -10.5 1.0 1000 7'])));
    expect([many.line, many.column, many.found]).toEqual([6, 22, '7']);
  });

  it('WARNING lines inside a table are skipped and reported; the units and version are read', async () => {
    const path = tempFile(
      'warn.log',
      handLog([
        '0 300 -10.5 1.0 1000',
        'WARNING: Bond/angle/dihedral extent > half of periodic box length (src/domain.cpp:936)',
        '10 301 -10.4 1.5 1001',
        'WARNING: Bond/angle/dihedral extent > half of periodic box length (src/domain.cpp:936)',
        '20 302 -10.3 2.5 1002',
      ]),
    );
    const log = await readLammpsLog(path);
    expect(log.version).toBe('2 Aug 2023');
    expect(log.units).toBe('metal');
    const run = log.runs[0];
    expect(run.rows).toBe(3);
    expect(Array.from(run.data.Volume)).toEqual([1000, 1001, 1002]);
    expect([run.complete, run.loopTimeS, run.processes, run.atoms]).toEqual([true, 0.5, 2, 64]);
    expect(log.warnings).toEqual([
      `${path}:7: inside run 1's thermo output: WARNING: Bond/angle/dihedral extent > half of periodic box length (src/domain.cpp:936)`,
      `${path}:9: inside run 1's thermo output: WARNING: Bond/angle/dihedral extent > half of periodic box length (src/domain.cpp:936)`,
    ]);
  });

  it('a run cut off (LAMMPS killed) gives its rows, flagged incomplete; a torn last line is dropped', async () => {
    const lines = readFileSync(logFixture('lj-melt.log'), 'utf8').split('\n');
    // Up to the row of step 70 in run 2 (lines 77..80: header, steps 50, 60, 70).
    const cut = tempFile('cut.log', `${lines.slice(0, 80).join('\n')}\n`);
    const log = await readLammpsLog(cut);
    expect(log.runs.map((r) => [r.rows, r.complete])).toEqual([
      [6, true],
      [3, false],
    ]);
    expect(log.runs[1].loopTimeS).toBeUndefined();
    expect(Array.from(log.runs[1].data.Step)).toEqual([50, 60, 70]);
    expect(log.warnings).toEqual([
      `${cut}:77: run 2 is incomplete: the log ends inside it (line 80; LAMMPS was stopped, or is still running); its 3 rows are read`,
    ]);
    // The same with half of the next row written and no newline: that line is dropped.
    const torn = tempFile('torn.log', `${lines.slice(0, 80).join('\n')}\n${lines[80].slice(0, 30)}`);
    const t = await readLammpsLog(torn);
    expect(t.runs[1].rows).toBe(3);
    expect(t.warnings[0]).toBe(
      `${torn}:77: run 2 is incomplete: the log ends inside it (line 81; LAMMPS was stopped, or is still running); its 3 rows are read`,
    );
    expect(t.warnings[1]).toBe(`${torn}:81: run 2: the torn last line (no newline) was dropped`);
    // Cut inside the multi run: the complete blocks are kept, the last (half) block dropped.
    const multi = tempFile('multi-cut.log', `${lines.slice(0, 121).join('\n')}\n`);
    const m = await readLammpsLog(multi);
    expect(m.runs[2].complete).toBe(false);
    expect(Array.from(m.runs[2].data.Step)).toEqual([80]);
    expect(m.warnings).toContain(
      `${multi}:119: run 3: the last block (step 100) is incomplete and was dropped`,
    );
  });

  it('an ERROR line ends the run, which is incomplete', async () => {
    const path = tempFile(
      'error.log',
      handLog(
        ['0 300 -10.5 1.0 1000', '10 301 -10.4 1.5 1001'],
        'ERROR: Lost atoms: original 64 current 63 (src/thermo.cpp:481)\nLast command: run 20\n',
      ),
    );
    const log = await readLammpsLog(path);
    expect(log.runs[0].rows).toBe(2);
    expect(log.runs[0].complete).toBe(false);
    expect(log.warnings).toEqual([
      `${path}:5: run 1 is incomplete: LAMMPS stopped with an error at line 8: ERROR: Lost atoms: original 64 current 63 (src/thermo.cpp:481); its 2 rows are read`,
    ]);
  });

  it('thermo_style multi: a block with other keywords than the first is a ParseError', async () => {
    const block = (step: number, press: string) => [
      `---------------- Step ${step} ----- CPU = 0.0000 (sec) ----------------`,
      'TotEng   =        -2.3209 KinEng   =         2.3158 Temp     =         1.5583 ',
      `PotEng   =        -4.6367 ${press}`,
    ];
    const head =
      'LAMMPS (29 Sep 2021)\nPer MPI rank memory allocation (min/avg/max) = 2.598 | 2.598 | 2.598 Mbytes\n';
    const good = tempFile(
      'multi.log',
      `${head}${[...block(0, 'Press    =   6.3606'), ...block(20, 'Press    =   6.5')].join('\n')}\nLoop time of 1 on 1 procs for 20 steps with 108 atoms\n`,
    );
    const log = await readLammpsLog(good);
    expect(log.runs[0].columns).toEqual(['Step', 'CPU', 'TotEng', 'KinEng', 'Temp', 'PotEng', 'Press']);
    expect(Array.from(log.runs[0].data.Press)).toEqual([6.3606, 6.5]);
    const bad = tempFile(
      'multi-bad.log',
      `${head}${[...block(0, 'Press    =   6.3606'), ...block(20, 'Volume   =   100')].join('\n')}\nLoop time of 1 on 1 procs for 20 steps with 108 atoms\n`,
    );
    const e = await readError(bad);
    expect([e.line, e.column, e.found]).toEqual([8, 27, 'Volume']);
    expect(e.message).toMatch(/expected "Press =" \(the keywords of the run's first block, in order\)/);
    const short = tempFile(
      'multi-short.log',
      `${head}${[...block(0, 'Press    =   6.3606'), ...block(20, '')].join('\n')}\nLoop time of 1 on 1 procs for 20 steps with 108 atoms\n`,
    );
    expect((await readError(short)).message).toMatch(
      /:9: expected "Press = value" \(the block of step 20 from line 6 has 6 of the 7 values of the first block\)/,
    );
  });

  it('thermo_style yaml is refused with a message that says so', async () => {
    const path = tempFile(
      'yaml.log',
      "LAMMPS (2 Aug 2023)\nPer MPI rank memory allocation (min/avg/max) = 3 | 3 | 3 Mbytes\n---\nkeywords: ['Step', 'Temp', ]\ndata:\n  - [0, 300, ]\n...\nLoop time of 1 on 1 procs for 0 steps with 8 atoms\n",
    );
    const e = await readError(path);
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/thermo_style yaml .* is not read here/);
  });

  it('a repeated column name is kept, its copy keyed with a suffix', async () => {
    const path = tempFile(
      'dup.log',
      'Per MPI rank memory allocation (min/avg/max) = 3 | 3 | 3 Mbytes\nStep Temp Temp\n0 300 300\nLoop time of 1 on 1 procs for 0 steps with 8 atoms\n',
    );
    const log = await readLammpsLog(path);
    expect(log.version).toBeUndefined();
    expect(log.units).toBeUndefined();
    expect(log.runs[0].columns).toEqual(['Step', 'Temp', 'Temp']);
    expect(Object.keys(log.runs[0].data)).toEqual(['Step', 'Temp', 'Temp_2']);
    expect(log.warnings).toEqual([
      `${path}:2: run 1: column Temp appears 2 times; its copy 2 is named Temp_2`,
    ]);
  });

  it('a log without thermo output has no runs', async () => {
    const log = await readLammpsLog(tempFile('log.lammps', 'LAMMPS (29 Sep 2021)\nunits real\n'));
    expect(log).toEqual({ file: log.file, version: '29 Sep 2021', units: 'real', runs: [], warnings: [] });
  });
});

describe('recognising a LAMMPS log', () => {
  it('by the name log.lammps, the version line, or a *.log name with LAMMPS lines', async () => {
    expect(looksLikeLammpsLog('/x/log.lammps', '')).toBe(true);
    expect(looksLikeLammpsLog('run/out.txt', 'LAMMPS (29 Sep 2021)\n')).toBe(true);
    expect(
      looksLikeLammpsLog('npt.log', 'units real\nLoop time of 1 on 1 procs for 0 steps with 8 atoms\n'),
    ).toBe(true);
    expect(looksLikeLammpsLog('npt.txt', 'units real\nLoop time of 1 on 1 procs\n')).toBe(false);
    expect(looksLikeLammpsLog('data.lmp', 'LAMMPS data file via write_data\n')).toBe(false);
    expect(looksLikeLammpsLog('other.log', 'some program log\n')).toBe(false);
    const renamed = join(tempDir(), 'melt.out');
    copyFileSync(logFixture('lj-melt.log'), renamed);
    expect(await isLammpsLog(renamed)).toBe(true);
    expect(await isLammpsLog(logFixture('in.lj-melt'))).toBe(false);
  });
});

describe('the thermo-line parser shared with the LAMMPS engine', () => {
  it('a row has one strict number per column; other lines are not rows', () => {
    expect(thermoRowFromText('     100   300.5   -1.5e+03   2 ', 4)).toEqual([100, 300.5, -1500, 2]);
    expect(thermoRowFromText('Step Temp PotEng Press', 4)).toBeUndefined();
    expect(thermoRowFromText('WARNING: Lost atoms', 4)).toBeUndefined();
    expect(thermoRowFromText('100 300 -nan 2', 4)).toBeUndefined();
    expect(thermoRowFromText('100 300 1', 4)).toBeUndefined();
    expect(thermoRowFromText('100 300 1 2 3', 4)).toBeUndefined();
    expect(THERMO_ROW).not.toBe(THERMO_TEXT);
  });
});

const hasLammps = !spawnSync('lmp', ['-h']).error;
if (!hasLammps) console.warn('SKIPPED: reading a fresh LAMMPS log needs `lmp` (apt-get install -y lammps)');

describe.skipIf(!hasLammps)('a log the installed LAMMPS writes now', () => {
  it('the LJ melt input: three complete runs whose last rows are LAMMPS printed values', async () => {
    const dir = tempDir();
    copyFileSync(logFixture('in.lj-melt'), join(dir, 'in.lj-melt'));
    const r = spawnSync('lmp', ['-in', 'in.lj-melt', '-log', 'log.lammps', '-screen', 'none'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const path = join(dir, 'log.lammps');
    const log: LammpsLog = await readLammpsLog(path);
    expect(log.version).toMatch(/\d{4}/);
    expect(log.units).toBe('lj');
    expect(log.runs.map((x) => [x.style, x.rows, x.complete, x.atoms])).toEqual([
      ['table', 6, true, 108],
      ['table', 4, true, 108],
      ['multi', 3, true, 108],
    ]);
    const after2 = printed(path, 'AFTER-RUN-2');
    expectSignificant(last(log.runs[1].data.PotEng), after2.pe, 8);
    const after3 = printed(path, 'AFTER-RUN-3');
    expect(Math.abs(last(log.runs[2].data.Temp) - after3.temp)).toBeLessThanOrEqual(5e-5 + 1e-12);
  });
});
