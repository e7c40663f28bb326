/** `oligolyte info` on LAMMPS logs (issue 30); the reader itself is tested in test/io/lammps-log.test.ts. */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, tempFile } from '../helpers.js';

const fixture = (name: string) => new URL(`../fixtures/lammps-logs/${name}`, import.meta.url).pathname;

describe('oligolyte info on a LAMMPS log', () => {
  it('prints per run the rows, step range, columns and means with block-averaged errors', () => {
    const log = join(tempDir(), 'log.lammps');
    copyFileSync(fixture('argon-real.log'), log);
    const r = cli('info', log);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(
      [
        log,
        '  format      lammps-log (LAMMPS 29 Sep 2021 - Update 2)',
        '  units       real',
        '  runs        1',
        '  run 1       line 41: 11 rows, step 0 .. 100, complete (loop time 0.00295321 s, 104 atoms)',
        '    columns   Step Temp E_pair E_mol TotEng Press',
        '    Temp      2251 +- 162 K (11 rows: too few to block, naive error)',
        '    Press     26710 +- 3108 atm (11 rows: too few to block, naive error)',
        '    E_pair    38 +- 46 kcal/mol (11 rows: too few to block, naive error)',
        '    TotEng    756.1 +- 7.2 kcal/mol (11 rows: too few to block, naive error)',
        `  warning     ${log}:44: run 1: 5 lines of other output between the thermo rows skipped (the first: "fix print: step 20 pe -145.688888")`,
        `  warning     ${log}:51: inside run 1's thermo output: WARNING: Lost atoms: original 108 current 104 (src/thermo.cpp:445)`,
        '',
      ].join('\n'),
    );
  });

  it('--json: the same as JSON; a *.log with LAMMPS content is recognised, with structure files beside it', () => {
    const melt = fixture('lj-melt.log');
    const r = cli('info', '--json', melt);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.format).toBe('lammps-log');
    expect(s.version).toBe('29 Sep 2021 - Update 2');
    expect(s.units).toBe('lj');
    expect(
      s.runs.map(
        (x: { rows: number; firstStep: number; lastStep: number; complete: boolean; style: string }) => [
          x.rows,
          x.firstStep,
          x.lastStep,
          x.complete,
          x.style,
        ],
      ),
    ).toEqual([
      [6, 0, 50, true, 'table'],
      [4, 50, 80, true, 'table'],
      [3, 80, 120, true, 'multi'],
    ]);
    expect(s.runs[0].columns).toContain('v_twoT');
    expect(Object.keys(s.runs[0].means)).toEqual(['Temp', 'Press', 'PotEng', 'TotEng', 'Volume', 'Density']);
    expect(s.runs[0].means.Temp.mean).toBeCloseTo(1.9269311333333, 10);
    expect(s.runs[0].means.Temp.standardError).toBeGreaterThan(0);
    expect(s.runs[2].means.PotEng.mean).toBeCloseTo((-4.6367 - 4.7402 - 4.7406) / 3, 10);
    // A log and a structure file in one call: one summary each.
    const poscar = tempFile('POSCAR', 'x\n1.0\n5 0 0\n0 5 0\n0 0 5\nLi\n1\nDirect\n0 0 0\n');
    const both = JSON.parse(cli('info', '--json', melt, poscar).out);
    expect(both.map((x: { format: string }) => x.format)).toEqual(['lammps-log', 'poscar']);
    const text = cli('info', melt, poscar).out;
    expect(text).toMatch(/run 3 {7}line 114: 3 rows, step 80 \.\. 120, thermo_style multi, complete/);
    expect(text).toMatch(/format\s+poscar/);
  });

  it('a bad cell exits 1 with file:line:column; an incomplete run is said', () => {
    const lines = readFileSync(fixture('lj-melt.log'), 'utf8').split('\n');
    const bad = [...lines];
    bad[45] = bad[45].replace('1.6045886', '1.60x5886');
    const path = tempFile('bad.log', bad.join('\n'));
    const r = cli('info', path);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(
      `oligolyte: ${path}:46:13: expected a number for Temp (column 2 of 10), found "1.60x5886"`,
    );
    const cut = tempFile('log.lammps', `${lines.slice(0, 80).join('\n')}\n`);
    const c = cli('info', cut);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toMatch(/run 2 {7}line 77: 3 rows, step 50 \.\. 70, INCOMPLETE \(no "Loop time"/);
    expect(c.out).toMatch(/warning {5}.*:77: run 2 is incomplete: the log ends inside it/);
  });
});
