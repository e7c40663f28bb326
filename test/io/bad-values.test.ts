/**
 * Issue 25 item 16: a bad value inside a file is the file's fault: a ParseError (exit 1) naming
 * the file and the value's line, never a usage error (exit 2) without a place. Values no run can
 * have are refused by the reader; values a file may hold but an analysis cannot use (0 K, frames
 * unevenly spaced in time) are refused by the analysis, at the place the reader recorded.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseTransportFiles } from '../../src/analysis/transport/report.js';
import { ParseError } from '../../src/core/errors.js';
import { cli, expectParseError, rejection, tempFile } from '../helpers.js';

const VASPRUN = readFileSync(new URL('../fixtures/vasprun-md.xml', import.meta.url), 'utf8');

/** The fixture with `k` copies of its first ionic step (an analysis needs a few frames) and `incar` changes. */
const vasprun = (incar: Record<string, string>, k = 6): string => {
  let text = VASPRUN;
  for (const [key, value] of Object.entries(incar))
    text = text.replace(new RegExp(`(<i [^>]*name="${key}">)[^<]*`), `$1 ${value}`);
  const calc = text.slice(text.indexOf(' <calculation>'), text.indexOf(' </calculation>') + 16);
  return text.replace('</modeling>', `${calc.repeat(k)}</modeling>`);
};
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

/** Expect `promise` to reject with a ParseError at `line` of `file`. */
const rejectsAt = async (promise: Promise<unknown>, file: string, line: number, message: RegExp) => {
  const e = await rejection(promise);
  expect(e, 'a ParseError').toBeInstanceOf(ParseError);
  const pe = e as ParseError;
  expect(pe.file).toBe(file);
  expect(pe.line, pe.message).toBe(line);
  expect(pe.message).toMatch(message);
};

describe('vasprun.xml', () => {
  it('POTIM 0 or negative in an MD run: refused at its line', async () => {
    for (const potim of ['0.0', '-1.5']) {
      const text = vasprun({ POTIM: potim });
      await expectParseError(tempFile('vasprun.xml', text), lineOf(text, 'POTIM'), /positive POTIM/);
    }
  });
  it('POTIM 0 outside MD (IBRION != 0) is no time step and reads', async () => {
    const { readAll } = await import('../helpers.js');
    const frames = await readAll(tempFile('vasprun.xml', vasprun({ POTIM: '0.0', IBRION: '2' })));
    expect(frames.length).toBe(8);
  });
  it('a POTIM that is not a number: refused at its line (it was dropped)', async () => {
    const text = vasprun({ POTIM: 'fast' });
    await expectParseError(tempFile('vasprun.xml', text), lineOf(text, 'POTIM'), /a number for POTIM/);
  });
  it('a negative TEBEG: refused at its line', async () => {
    const text = vasprun({ TEBEG: '-300' });
    await expectParseError(tempFile('vasprun.xml', text), lineOf(text, 'TEBEG'), /TEBEG >= 0/);
  });
  it('TEBEG 0 reads (an NVE start), and a transport analysis that needs it names its line', async () => {
    const text = vasprun({ TEBEG: '0.0', TEEND: '0.0' });
    const file = tempFile('vasprun.xml', text);
    await rejectsAt(
      analyseTransportFiles([file], { species: 'Li' }),
      file,
      lineOf(text, 'TEBEG'),
      /positive temperature.*TEBEG = 0/,
    );
  });
  it('the CLI: exit 1 and file:line, not a usage error', () => {
    const text = vasprun({ TEBEG: '0.0', TEEND: '0.0' });
    const file = tempFile('vasprun.xml', text);
    const r = cli('transport', file, '--species', 'Li');
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain(`${file}:${lineOf(text, 'TEBEG')}:`);
  });
});

describe('extended XYZ frame times', () => {
  const frame = (t: number, x: number) =>
    `2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 time=${t} pbc="T T T"\nLi ${x} 0 0\nCl 2.5 2.5 2.5\n`;
  it('uneven times: the analysis names the frame and its line', async () => {
    const times = [0, 10, 20, 35, 40, 50];
    const file = tempFile('a.extxyz', times.map((t, k) => frame(t, 0.1 * k)).join(''));
    // Frame 4 (time 35) starts at line 13.
    await rejectsAt(
      analyseTransportFiles([file], { species: 'Li' }),
      file,
      13,
      /evenly spaced.*frame 4 is 15 fs/,
    );
  });
  it('times that do not increase: named too', async () => {
    const file = tempFile('b.extxyz', [0, 0, 0, 0].map((t, k) => frame(t, 0.1 * k)).join(''));
    await rejectsAt(analyseTransportFiles([file], { species: 'Li' }), file, 5, /times that increase/);
  });
});

describe('LAMMPS masses', () => {
  const data = (mass: string) =>
    `title\n\n2 atoms\n2 atom types\n\n0 5 xlo xhi\n0 5 ylo yhi\n0 5 zlo zhi\n\nMasses\n\n1 ${mass}\n2 35.45\n\nAtoms # charge\n\n1 1 1.0 0 0 0\n2 2 -1.0 2.5 2.5 2.5\n`;
  it('zero or negative in a data file: refused at the Masses line', async () => {
    await expectParseError(tempFile('a.data', data('0')), 12, /positive mass/, { typeMap: ['Li', 'Cl'] });
    await expectParseError(tempFile('b.data', data('-6.94')), 12, /positive mass/, { typeMap: ['Li', 'Cl'] });
  });
  it('zero in a dump mass column: refused at the atom line', async () => {
    const dump =
      'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n0 5\nITEM: ATOMS id type mass x y z\n1 1 6.94 0 0 0\n2 2 0 2.5 2.5 2.5\n';
    await expectParseError(tempFile('a.lammpstrj', dump), 11, /positive mass/, { typeMap: ['Li', 'Cl'] });
  });
  it('zero in an extxyz masses column: refused at the atom line', async () => {
    const xyz =
      '2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3:masses:R:1\nLi 0 0 0 6.94\nCl 2.5 2.5 2.5 -1\n';
    await expectParseError(tempFile('a.extxyz', xyz), 4, /positive mass/);
  });
});

describe('pymatgen JSON', () => {
  const analyzer = (extra: string) => {
    const structure =
      '{"lattice": {"matrix": [[5,0,0],[0,5,0],[0,0,5]]}, "sites": [' +
      '{"species": [{"element": "Li", "occu": 1}], "abc": [0,0,0]},' +
      '{"species": [{"element": "Cl", "occu": 1}], "abc": [0.5,0.5,0.5]}]}';
    const li = Array.from({ length: 6 }, (_, k) => `[${0.1 * k},0,0]`).join(',');
    const cl = Array.from({ length: 6 }, () => '[0,0,0]').join(',');
    return `{"@module": "pymatgen.analysis.diffusion.analyzer",\n "@class": "DiffusionAnalyzer",\n "structure": ${structure},\n "displacements": [[${li}], [${cl}]],\n${extra}\n}`;
  };
  it('time_step 0 or negative: refused at its line', async () => {
    await expectParseError(
      tempFile('a.json', analyzer(' "temperature": 600,\n "time_step": 0, "step_skip": 1')),
      6,
      /"time_step": a positive time step/,
    );
    await expectParseError(
      tempFile('b.json', analyzer(' "temperature": 600,\n "step_skip": 1,\n "time_step": -2')),
      7,
      /time_step/,
    );
  });
  it('a negative temperature: refused at its line', async () => {
    await expectParseError(
      tempFile('a.json', analyzer(' "time_step": 2,\n "temperature": -600')),
      6,
      /"temperature": a temperature >= 0 K/,
    );
  });
  it('temperature 0: the analysis names its line', async () => {
    const file = tempFile('a.json', analyzer(' "time_step": 2,\n\n "temperature": 0'));
    await rejectsAt(analyseTransportFiles([file], { species: 'Li' }), file, 7, /positive temperature/);
  });
});
