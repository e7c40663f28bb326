/**
 * PDB, GRO and mmCIF (issue 30): round trips to the precision of each format, the odd cases of
 * real files (hybrid-36 serials, placeholder cells, CONECT to TER, overflowed box fields, blank
 * titles, quoted mmCIF names), malformed input (a ParseError at its line), writers that refuse
 * what their columns cannot hold, and the CLI (info, convert, --topology).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/core/errors.js';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { elementFromAtomName } from '../../src/io/formats/atom-name-element.js';
import { decodeHybrid36, encodeHybrid36 } from '../../src/io/formats/hybrid36.js';
import { detectFormat, writeFrames } from '../../src/io/registry.js';
import {
  cli,
  expectClose,
  expectParseError,
  fixture,
  readAll,
  tempDir,
  tempFile,
  withLine,
} from '../helpers.js';

const topology = new Topology({
  symbols: ['Li', 'Al', 'Cl', 'Cl', 'Cl', 'Cl', 'O', 'Ca', 'Ti', 'X'],
  bonds: Uint32Array.from([1, 2, 1, 3, 1, 4, 1, 5]),
});
const lattices = {
  cubic: Lattice.cubic(14.29),
  triclinic: Lattice.fromParameters({ a: 9, b: 10, c: 11, alpha: 80, beta: 100, gamma: 115 }),
};
const frames = (lattice: Lattice | undefined, n: number): Structure[] =>
  Array.from({ length: n }, (_, k) => {
    const frac = Float64Array.from({ length: 30 }, (_, i) => ((i * 0.1373 + k * 0.0311) % 1) - 0.05);
    const frame: Structure['frame'] = {
      positions: (lattice ?? Lattice.cubic(12)).toCartesian(frac),
      velocities: Float64Array.from({ length: 30 }, (_, i) => 0.001 * (i - 9) + 0.0001 * k),
      timeFs: 20 * k,
      step: 10 * k,
    };
    if (lattice) frame.lattice = lattice;
    return { topology, frame };
  });

describe('round trips', () => {
  for (const [tag, lattice] of [...Object.entries(lattices), ['no cell', undefined] as const]) {
    it(`pdb, ${tag}: 3 models; positions to 0.0005 A (%8.3f), cell to 0.0005 A and 0.005 degrees; bonds`, async () => {
      const dir = tempDir();
      const path = join(dir, 'run.pdb');
      const input = frames(lattice, 3);
      expect(await writeFrames(path, input)).toBe(3);
      expect(readdirSync(dir)).toEqual(['run.pdb']);
      const text = readFileSync(path, 'latin1');
      expect(text.match(/^MODEL /gm)?.length).toBe(3);
      expect(text.match(/^CRYST1/gm)?.length ?? 0).toBe(lattice ? 3 : 0);
      const back = await readAll(path);
      expect(back.length).toBe(3);
      expect(back[0].topology.symbols).toEqual(topology.symbols);
      expect(Array.from(back[0].topology.bonded.bonds!)).toEqual(Array.from(topology.bonded.bonds!));
      back.forEach((s, k) => {
        expectClose(s.frame.positions, input[k].frame.positions, 0.0005 + 1e-12);
        if (!lattice) expect(s.frame.lattice).toBeUndefined();
        else {
          const p = s.frame.lattice!.parameters;
          const q = lattice.parameters;
          expectClose([p.a, p.b, p.c], [q.a, q.b, q.c], 0.0005 + 1e-12);
          expectClose([p.alpha, p.beta, p.gamma], [q.alpha, q.beta, q.gamma], 0.005 + 1e-12);
        }
      });
    });
    it(`gro, ${tag}: 3 frames; positions to 0.005 A (%8.3f nm), velocities to 5e-7 A/fs, box, time, step`, async () => {
      const path = join(tempDir(), 'run.gro');
      const input = frames(lattice, 3);
      expect(await writeFrames(path, input)).toBe(3);
      const back = await readAll(path);
      expect(back.length).toBe(3);
      expect(back[0].topology.symbols).toEqual(topology.symbols);
      back.forEach((s, k) => {
        expectClose(s.frame.positions, input[k].frame.positions, 0.005 + 1e-12);
        expectClose(s.frame.velocities!, input[k].frame.velocities!, 5e-7 + 1e-15);
        expect(s.frame.timeFs).toBeCloseTo(20 * k, 9);
        expect(s.frame.step).toBe(10 * k);
        if (!lattice) expect(s.frame.lattice).toBeUndefined();
        else expectClose(s.frame.lattice!.matrix, lattice.matrix, 0.00005 * 10 + 1e-12);
      });
    });
    it(`mmcif, ${tag}: 3 models, exact positions and cell`, async () => {
      const path = join(tempDir(), 'run.cif');
      const input = frames(lattice, 3);
      expect(await writeFrames(path, input)).toBe(3);
      expect((await detectFormat(path)).name).toBe('mmcif');
      const back = await readAll(path);
      expect(back.length).toBe(3);
      expect(back[0].topology.symbols).toEqual(topology.symbols);
      back.forEach((s, k) => {
        expectClose(s.frame.positions, input[k].frame.positions, 0);
        if (lattice) expectClose(s.frame.lattice!.matrix, lattice.matrix, 1e-12);
        else expect(s.frame.lattice).toBeUndefined();
      });
    });
  }
  it('pdb: frames with and without a cell keep theirs', async () => {
    const path = join(tempDir(), 'mixed.pdb');
    const input = [
      frames(undefined, 1)[0],
      frames(lattices.cubic, 1)[0],
      frames(undefined, 1)[0],
      frames(lattices.triclinic, 1)[0],
    ];
    await writeFrames(path, input);
    const back = await readAll(path);
    expect(back.map((s) => s.frame.lattice?.parameters.a)).toEqual([undefined, 14.29, undefined, 9]);
  });
  it('one frame: no MODEL record', async () => {
    const path = join(tempDir(), 'one.pdb');
    await writeFrames(path, frames(lattices.cubic, 1));
    const text = readFileSync(path, 'latin1');
    expect(text).not.toMatch(/^MODEL/m);
    expect(text).toMatch(
      /^CRYST1 {3}14\.290 {3}14\.290 {3}14\.290 {2}90\.00 {2}90\.00 {2}90\.00 P 1 {11}1$/m,
    );
    const atom = text.split('\n').find((l) => l.startsWith('ATOM'))!;
    expect(atom.length).toBe(80);
    expect(atom.slice(0, 30)).toBe('ATOM      1 Li   MOL     1    ');
    expect(atom.slice(54)).toBe('  1.00  0.00          LI  ');
    expect((await readAll(path)).length).toBe(1);
  });
  it('a cell in another orientation is written in the standard one (same fractional coordinates)', async () => {
    // The triclinic cell rotated about z by 30 degrees.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const m = lattices.triclinic.matrix;
    const rotated = new Lattice(
      Array.from({ length: 9 }, (_, i) => {
        const row = Math.floor(i / 3);
        const [x, y, z] = [m[3 * row], m[3 * row + 1], m[3 * row + 2]];
        return [c * x - s * y, s * x + c * y, z][i % 3];
      }),
    );
    const input = frames(rotated, 1);
    for (const name of ['r.pdb', 'r.gro', 'r.cif']) {
      const path = join(tempDir(), name);
      await writeFrames(path, input);
      const [back] = await readAll(path);
      const tol = name === 'r.cif' ? 1e-9 : name === 'r.pdb' ? 2e-4 : 2e-3;
      expectClose(
        back.frame.lattice!.toFractional(back.frame.positions),
        rotated.toFractional(input[0].frame.positions),
        tol,
      );
    }
  });
  it('GRO atom names are element symbols: every element reads back, calcium and titanium too', async () => {
    const path = join(tempDir(), 'names.gro');
    await writeFrames(path, frames(lattices.cubic, 1));
    expect((await readAll(path))[0].topology.symbols).toEqual(topology.symbols);
  });
});

describe('writers refuse what the columns cannot hold (no file is left)', () => {
  const far = (x: number): Structure[] => {
    const s = frames(lattices.cubic, 1)[0];
    const positions = Float64Array.from(s.frame.positions);
    positions[3] = x;
    return [{ topology, frame: { ...s.frame, positions } }];
  };
  for (const [name, x, what] of [
    ['far.pdb', 10000, /frame 1, atom 2: x \(A\) = 10000 does not fit PDB's 8-column field/],
    ['far.pdb', -1000, /does not fit PDB's 8-column field/],
    ['far.gro', 1e5, /frame 1, atom 2: x \(nm\) = 10000 does not fit the \.gro 8-column field/],
  ] as const) {
    it(`${name}: x = ${x}`, async () => {
      const dir = tempDir();
      const err = await writeFrames(join(dir, name), far(x)).catch((e) => e);
      expect(err).toBeInstanceOf(OptionError);
      expect(err.message).toMatch(what);
      expect(readdirSync(dir)).toEqual([]);
    });
  }
  it('mmCIF holds one cell', async () => {
    const dir = tempDir();
    const input = [frames(lattices.cubic, 1)[0], frames(lattices.triclinic, 1)[0]];
    await expect(writeFrames(join(dir, 'npt.cif'), input)).rejects.toThrow(/one cell/);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('every model holds the same atoms', async () => {
    const other = {
      topology: new Topology({ symbols: Array(10).fill('Li') }),
      frame: frames(undefined, 1)[0].frame,
    };
    for (const name of ['a.pdb', 'a.gro', 'a.cif'])
      await expect(writeFrames(join(tempDir(), name), [frames(undefined, 1)[0], other])).rejects.toThrow(
        /other atoms than the first/,
      );
  });
});

describe('odd cases of real files', () => {
  it('hybrid-36 numbers (PDB serials past 99999, residue numbers past 9999)', () => {
    for (const [n, w, s] of [
      [99999, 5, '99999'],
      [100000, 5, 'A0000'],
      [100001, 5, 'A0001'],
      [43770015, 5, 'ZZZZZ'],
      [43770016, 5, 'a0000'],
      [87440031, 5, 'zzzzz'],
      [10000, 4, 'A000'],
      [9999, 4, '9999'],
    ] as const) {
      expect(encodeHybrid36(n, w)).toBe(s);
      expect(decodeHybrid36(s, w)).toBe(n);
    }
    expect(decodeHybrid36('*****', 5)).toBeNaN();
    expect(decodeHybrid36('aB000', 5)).toBeNaN();
    expect(() => encodeHybrid36(87440032, 5)).toThrow(RangeError);
  });
  it('elements from atom names, as MDAnalysis guesses (and symbols in mixed case)', () => {
    const cases: [string, string | undefined][] = [
      ['OW', 'O'],
      ['HW1', 'H'],
      ['CA', 'C'],
      ['Ca113', 'C'],
      ['Ca', 'Ca'],
      ['LI', 'Li'],
      ['Li', 'Li'],
      ['LI+', 'Li'],
      ['CL', 'Cl'],
      ['CL1', 'Cl'],
      ['CLA', 'Cl'],
      ['SOD', 'Na'],
      ['POT', 'K'],
      ['AL', 'Al'],
      ['NC3', 'N'],
      ['PO4', 'P'],
      ['MW', 'X'],
      ['ZN', 'Zn'],
      ['GE', 'Ge'],
      ['Ti', 'Ti'],
      ['GL1', undefined],
      ['A', undefined],
      ['123', undefined],
    ];
    for (const [name, el] of cases) expect(elementFromAtomName(name), name).toBe(el);
  });
  it('PDB: hybrid-36 serials, CONECT through them, CONECT to TER left out with a warning', async () => {
    const pdb = [
      'ATOM  99999  O   HOH A9999       1.000   2.000   3.000  1.00  0.00           O',
      'ATOM  A0000  H1  HOH AA000       1.500   2.000   3.000  1.00  0.00           H',
      'ATOM  A0001  H2  HOH AA000       0.500   2.000   3.000  1.00  0.00           H',
      'TER   A0002      HOH AA000',
      'CONECT99999A0000A0001',
      'CONECTA0001A0002',
      'END',
      '',
    ].join('\n');
    const warnings: string[] = [];
    const [s] = await readAll(tempFile('w.pdb', pdb), { onWarning: (m) => warnings.push(m) });
    expect(s.topology.symbols).toEqual(['O', 'H', 'H']);
    expect(Array.from(s.topology.bonded.bonds!)).toEqual([0, 1, 0, 2]);
    expect(warnings).toEqual([expect.stringMatching(/1 CONECT entry to TER records are not bonds/)]);
  });
  it('PDB: serials that overflowed ("*****") are fine without CONECT; CRYST1 1 1 1 and 0 0 0 are no cell', async () => {
    const atoms = (n: number) =>
      Array.from(
        { length: n },
        (_, i) => `ATOM  *****  OW  SOL X   1    ${(i + 0.5).toFixed(3).padStart(8)}   0.000   0.000`,
      );
    for (const cryst of [
      'CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1',
      'CRYST1    0.000    0.000    0.000   0.00   0.00   0.00 P 1           1',
    ]) {
      const frames = await readAll(tempFile('x.pdb', [cryst, ...atoms(3)].join('\n')));
      expect(frames.length).toBe(1);
      expect(frames[0].frame.lattice).toBeUndefined();
      expect(frames[0].topology.symbols).toEqual(['O', 'O', 'O']);
    }
  });
  it('PDB: configurations separated by END (CP2K, VMD) are frames; a space group other than P 1 is reported', async () => {
    const model = (x: number) =>
      `CRYST1   10.000   10.000   10.000  90.00  90.00  90.00 P 21 21 21    4\nHETATM    1 LI   LI      1    ${x.toFixed(3).padStart(8)}   1.000   1.000  1.00  0.00          LI\nEND\n`;
    const warnings: string[] = [];
    const frames = await readAll(tempFile('cp2k.pdb', model(1) + model(2)), {
      onWarning: (m) => warnings.push(m),
    });
    expect(frames.map((s) => s.frame.positions[0])).toEqual([1, 2]);
    expect(warnings).toEqual([expect.stringMatching(/cp2k\.pdb:1: CRYST1 gives space group P 21 21 21/)]);
  });
  it('PDB: a CRYST1 after each ENDMDL belongs to the model before it when the first model had none', async () => {
    const model = (k: number) =>
      `MODEL     ${k}\nATOM      1  O   SOL     1       ${k}.000   0.000   0.000\nENDMDL\n`;
    const cryst = (a: number) =>
      `CRYST1${a.toFixed(3).padStart(9)}   10.000   10.000  90.00  90.00  90.00 P 1           1\n`;
    const after = await readAll(
      tempFile('mc.pdb', `${model(1)}${cryst(8)}${model(2)}${cryst(7)}${model(3)}${cryst(6)}END\n`),
    );
    expect(after.map((s) => s.frame.lattice!.parameters.a)).toEqual([8, 7, 6]);
    const before = await readAll(
      tempFile('cm.pdb', `${cryst(8)}${model(1)}${cryst(7)}${model(2)}${cryst(6)}${model(3)}`),
    );
    expect(before.map((s) => s.frame.lattice!.parameters.a)).toEqual([8, 7, 6]);
    const once = await readAll(tempFile('c.pdb', `${cryst(8)}${model(1)}${model(2)}${model(3)}`));
    expect(once.map((s) => s.frame.lattice!.parameters.a)).toEqual([8, 8, 8]);
  });
  it('PDB: a trajectory whose writer stopped inside the last model', async () => {
    const model = (k: number, n: number) =>
      `MODEL     ${k}\n${Array.from({ length: n }, (_, i) => `ATOM  ${String(i + 1).padStart(5)}  O   SOL     1       ${k}.000   ${i}.000   0.000`).join('\n')}\n`;
    const text = `${model(1, 3)}ENDMDL\n${model(2, 3)}ENDMDL\n${model(3, 2)}`;
    const warnings: string[] = [];
    const frames = await readAll(tempFile('torn.pdb', text), { onWarning: (m) => warnings.push(m) });
    expect(frames.length).toBe(2);
    expect(warnings).toEqual([expect.stringMatching(/torn\.pdb:11: frame 3 is incomplete/)]);
    await expectParseError(tempFile('torn.pdb', text), 14, /1 more atoms in model 3/, {
      tornLastFrame: 'error',
    });
  });
  it('GRO: a box line of overflowed %10.5f fields, more decimals (%10.5f positions), a blank title', async () => {
    const huge =
      'huge box\n    1\n    1SOL      H    1   0.000   0.000   0.000\n40000.0000040000.0000040000.00000\n';
    const [h] = await readAll(tempFile('huge.gro', huge));
    expect(h.frame.lattice!.lengths).toEqual([400000, 400000, 400000]);
    const precise =
      '\n    2\n    1LI      LI    1   0.12345   1.23456   2.34567  0.123456  0.234567  0.345678\n    2CL      CL    2  -0.12345  -1.23456  -2.34567  0.000000  0.000000  0.000000\n   1.00000   1.00000   1.00000\n';
    const [p] = await readAll(tempFile('precise.gro', precise));
    expect(p.topology.symbols).toEqual(['Li', 'Cl']);
    expectClose(p.frame.positions, [1.2345, 12.3456, 23.4567, -1.2345, -12.3456, -23.4567], 1e-12);
    expectClose(p.frame.velocities!.subarray(0, 3), [0.00123456, 0.00234567, 0.00345678], 1e-15);
  });
  it('GRO: a frame whose title is blank, after the first', async () => {
    const frame = (title: string, x: string) =>
      `${title}\n    1\n    1LI      LI    1   ${x}   0.000   0.000\n   1.00000   1.00000   1.00000\n`;
    const frames = await readAll(
      tempFile('blank.gro', `${frame('first', '0.100')}${frame('', '0.200')}\n\n`),
    );
    expect(frames.map((s) => s.frame.positions[0])).toEqual([1, 2]);
  });
  it('mmCIF: quoted atom names, a row over two lines, CIF 1 spellings, ? and . values', async () => {
    const text = `data_x
_cell_length_a 10
_cell_length_b 10
_cell_length_c 10
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_Cartn_x
_atom_site_Cartn_y
_atom_site_Cartn_z
_atom_site_occupancy
"O5'" ? 1.0 2.0 3.0 1.0
'C1 A' C 4.0 5.0
6.0 .
Li1 LI 7(1) 8.0 9.0 1
`;
    const path = tempFile('cif1.cif', text);
    expect((await detectFormat(path)).name).toBe('mmcif');
    const [s] = await readAll(path);
    expect(s.topology.symbols).toEqual(['O', 'C', 'Li']);
    expect(Array.from(s.frame.positions)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(s.frame.lattice!.lengths).toEqual([10, 10, 10]);
  });
  it('a small-molecule CIF (fractional coordinates) is still the cif format', async () => {
    const cif = `data_x\n_cell_length_a 5\n_cell_length_b 5\n_cell_length_c 5\n_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nLi1 0 0 0\n`;
    expect((await detectFormat(tempFile('s.cif', cif))).name).toBe('cif');
    expect((await detectFormat(fixture('md-electrolyte.cif'))).name).toBe('mmcif');
  });
  it('formats are told by content when the name says nothing', async () => {
    for (const [name, format] of [
      ['md-electrolyte.pdb', 'pdb'],
      ['md-electrolyte-npt.pdb', 'pdb'],
      ['md-electrolyte.gro', 'gro'],
      ['md-electrolyte.cif', 'mmcif'],
    ])
      expect((await detectFormat(tempFile('noname', readFileSync(fixture(name))))).name, name).toBe(format);
  });
});

describe('bad input: a ParseError at the line', () => {
  const PDB = [
    'CRYST1   10.000   10.000   10.000  90.00  90.00  90.00 P 1           1',
    'MODEL        1',
    'ATOM      1 LI   LI      1       1.000   1.000   1.000  1.00  0.00          LI',
    'ATOM      2 CL   CL      2       5.000   5.000   5.000  1.00  0.00          CL',
    'ENDMDL',
    'MODEL        2',
    'ATOM      1 LI   LI      1       1.100   1.000   1.000  1.00  0.00          LI',
    'ATOM      2 CL   CL      2       5.000   5.000   5.000  1.00  0.00          CL',
    'ENDMDL',
    'CONECT    1    2',
    'END',
    '',
  ].join('\n');
  const cut = (line: string, from: number, to: number, put: string) =>
    line.slice(0, from - 1) + put + line.slice(to);
  const atom2 = PDB.split('\n')[7];
  it('the good PDB reads', async () => {
    const frames = await readAll(tempFile('a.pdb', PDB));
    expect(frames.length).toBe(2);
    expect(Array.from(frames[0].topology.bonded.bonds!)).toEqual([0, 1]);
  });
  it('pdb: a coordinate that is not a number', () =>
    expectParseError(
      tempFile('a.pdb', withLine(PDB, 8, cut(atom2, 39, 46, '   5.0x0'))),
      8,
      /y coordinate \(A\) in columns 39-46, found "5.0x0"/,
    ));
  it('pdb: an ATOM line that ends before z', () =>
    expectParseError(
      tempFile('a.pdb', withLine(PDB, 8, atom2.slice(0, 46))),
      8,
      /z coordinate .* found "end of line"/,
    ));
  it('pdb: an element that is none', () =>
    expectParseError(
      tempFile('a.pdb', withLine(PDB, 8, cut(atom2, 77, 78, 'QQ'))),
      8,
      /element symbol in columns 77-78/,
    ));
  it('pdb: another atom in the second model', () =>
    expectParseError(
      tempFile('a.pdb', withLine(PDB, 8, cut(atom2, 77, 78, 'NA'))),
      8,
      /atom 2 to be Cl as in the first model/,
    ));
  it('pdb: a model with fewer atoms', () =>
    expectParseError(
      tempFile('a.pdb', withLine(PDB, 8, 'REMARK gone')),
      9,
      /2 atoms in model 2, as in the first/,
    ));
  it('pdb: MODEL inside a model', () =>
    expectParseError(
      tempFile('a.pdb', withLine(PDB, 5, 'MODEL        9')),
      5,
      /ENDMDL before the next MODEL/,
    ));
  it('pdb: a CONECT to no atom', () =>
    expectParseError(
      tempFile('a.pdb', withLine(PDB, 10, 'CONECT    1    7')),
      10,
      /serial number of an ATOM\/HETATM/,
    ));
  it('pdb: a CRYST1 number', () =>
    expectParseError(
      tempFile('a.pdb', withLine(PDB, 1, cut(PDB.split('\n')[0], 16, 24, '    ten  '))),
      1,
      /cell length b/,
    ));
  it('pdb: a negative CRYST1 length or impossible angles: at the line and the column of the field', async () => {
    const cryst = PDB.split('\n')[0];
    const b = await expectParseError(
      tempFile('a.pdb', withLine(PDB, 1, cut(cryst, 16, 24, '  -10.000'))),
      1,
      /positive cell length b \(A\), found "-10"/,
    );
    expect(b.column).toBe(16);
    const gamma = await expectParseError(
      tempFile('a.pdb', withLine(PDB, 1, cut(cryst, 34, 54, ' 90.00  90.00 185.00'))),
      1,
      /cell angle gamma between 0 and 180/,
    );
    expect(gamma.column).toBe(48);
    const sum = await expectParseError(
      tempFile('a.pdb', withLine(PDB, 1, cut(cryst, 34, 54, ' 60.00  60.00 130.00'))),
      1,
      /each less than the sum of the other two/,
    );
    expect(sum.column).toBe(48);
  });
  it('pdb: an ATOM line cut before its coordinates (a torn file) is an error at its line', async () => {
    const lines = PDB.split('\n');
    // A single model cut inside its second atom line (no newline: the writer stopped there).
    const single = [lines[0], lines[2], 'ATOM      2 CL   CL'].join('\n');
    const x = await expectParseError(
      tempFile('a.pdb', single),
      3,
      /x coordinate \(A\) in columns 31-38, found "end of line"/,
    );
    expect(x.column).toBe(31);
    // Cut right after the record name: not passed over as an unknown record.
    await expectParseError(tempFile('a.pdb', `${lines[0]}\n${lines[2]}\nATOM`), 3, /x coordinate/);
    await expectParseError(tempFile('a.pdb', `${lines[0]}\n${lines[2]}\nHETA`), 3, /x coordinate/);
    // Cut inside z: another number, so an error too.
    await expectParseError(
      tempFile('a.pdb', `${lines[0]}\n${lines[2]}\n${lines[3].slice(0, 50)}`),
      3,
      /z coordinate \(A\) in columns 47-54 \(the line ends inside it\), found "5"/,
    );
    // The first model of a trajectory cut so: nothing before it to keep.
    await expectParseError(
      tempFile('a.pdb', `${lines.slice(0, 3).join('\n')}\nATOM      2 CL`),
      4,
      /x coordinate/,
    );
  });
  it('pdb: a trajectory cut inside an ATOM line of its last model keeps the models before it', async () => {
    const lines = PDB.split('\n');
    const text = `${lines.slice(0, 7).join('\n')}\nATOM      2 CL   CL      2       5.0`;
    const warnings: string[] = [];
    const frames = await readAll(tempFile('torn.pdb', text), { onWarning: (m) => warnings.push(m) });
    expect(frames.length).toBe(1);
    expect(frames[0].topology.natoms).toBe(2);
    expect(warnings).toEqual([expect.stringMatching(/torn\.pdb:6: frame 2 is incomplete/)]);
    await expectParseError(tempFile('torn.pdb', text), 8, /y coordinate/, { tornLastFrame: 'error' });
    // With its newline the cut line is no torn write but a bad line: an error.
    await expectParseError(tempFile('torn.pdb', `${text}\n`), 8, /y coordinate/);
  });
  it('pdb: a first model without its ENDMDL at the end of the file (it may be cut short)', () =>
    expectParseError(
      tempFile('a.pdb', `${PDB.split('\n').slice(0, 3).join('\n')}\n`),
      4,
      /ENDMDL closing model 1 \(MODEL at line 2\)/,
    ));
  it('pdb: a line that is no record', () =>
    expectParseError(tempFile('a.pdb', withLine(PDB, 6, '  1.0 2.0 3.0')), 6, /a PDB record/));
  it('pdb: no atoms', () =>
    expectParseError(tempFile('a.pdb', 'REMARK nothing\n'), 2, /ATOM or HETATM records/));

  const GRO =
    'two ions t= 1.5\n    2\n    1LI      LI    1   0.100   0.200   0.300\n    2CL      CL    2   0.400   0.500   0.600\n   1.00000   1.00000   1.00000\n';
  it('the good GRO reads', async () => {
    const [s] = await readAll(tempFile('a.gro', GRO));
    expect(s.frame.timeFs).toBe(1500);
    expectClose(s.frame.positions, [1, 2, 3, 4, 5, 6], 1e-12);
  });
  it('gro: the atom count', () =>
    expectParseError(tempFile('a.gro', withLine(GRO, 2, '  two')), 2, /atom count/));
  it('gro: a coordinate', () =>
    expectParseError(
      tempFile('a.gro', withLine(GRO, 4, '    2CL      CL    2   0.400   0.5x0   0.600')),
      4,
      /y coordinate \(nm\) in columns 29-36/,
    ));
  it('gro: a missing atom name', () =>
    expectParseError(
      tempFile('a.gro', withLine(GRO, 4, '    2CL            2   0.400   0.500   0.600')),
      4,
      /atom name in columns 11-15/,
    ));
  it('gro: velocities on some lines only', () =>
    expectParseError(
      tempFile(
        'a.gro',
        withLine(GRO, 3, '    1LI      LI    1   0.100   0.200   0.300  0.1000  0.1000  0.1000'),
      ),
      4,
      /velocity vx/,
    ));
  it('gro: misaligned decimal points', () =>
    expectParseError(
      tempFile('a.gro', withLine(GRO, 3, '    1LI      LI    1   0.100  0.200   0.300')),
      3,
      /equally spaced/,
    ));
  it('gro: a box of 4 numbers', () =>
    expectParseError(tempFile('a.gro', withLine(GRO, 5, '   1.0 1.0 1.0 1.0')), 5, /3 or 9 numbers/));
  it('gro: a truncated frame', () =>
    expectParseError(tempFile('a.gro', GRO.split('\n').slice(0, 3).join('\n')), 4, /1 more atom lines/));
  it('gro: a second frame with another atom count', () =>
    expectParseError(
      tempFile('a.gro', `${GRO + withLine(GRO, 2, '    1').split('\n').slice(0, 3).join('\n')}\n   1 1 1\n`),
      7,
      /2 atoms, as in the first frame/,
    ));

  const CIF = `data_x
loop_
_atom_site.group_PDB
_atom_site.id
_atom_site.type_symbol
_atom_site.label_atom_id
_atom_site.Cartn_x
_atom_site.Cartn_y
_atom_site.Cartn_z
_atom_site.pdbx_PDB_model_num
HETATM 1 Li Li1 1.0 2.0 3.0 1
HETATM 2 Cl Cl2 4.0 5.0 6.0 1
HETATM 1 Li Li1 1.5 2.0 3.0 2
HETATM 2 Cl Cl2 4.0 5.0 6.0 2
#
`;
  it('the good mmCIF reads', async () => {
    const frames = await readAll(tempFile('a.cif', CIF));
    expect(frames.map((s) => s.frame.positions[0])).toEqual([1, 1.5]);
  });
  it('mmcif: a coordinate', () =>
    expectParseError(tempFile('a.cif', withLine(CIF, 12, 'HETATM 2 Cl Cl2 4.0 five 6.0 1')), 12, /Cartn_y/));
  it('mmcif: a row with a value missing', () =>
    expectParseError(
      tempFile('a.cif', withLine(CIF, 14, 'HETATM 2 Cl Cl2 4.0 5.0 2')),
      14,
      /multiple of 8 values/,
    ));
  it('mmcif: an element that is none', () =>
    expectParseError(
      tempFile('a.cif', withLine(CIF, 12, 'HETATM 2 Qq Cl2 4.0 5.0 6.0 1')),
      12,
      /element symbol/,
    ));
  it('mmcif: another atom in model 2', () =>
    expectParseError(
      tempFile('a.cif', withLine(CIF, 14, 'HETATM 2 Na Na2 4.0 5.0 6.0 2')),
      14,
      /atom 2 to be Cl/,
    ));
  it('mmcif: model rows apart', () =>
    expectParseError(
      tempFile('a.cif', `${CIF.replace('#\n', '')}HETATM 1 Li Li1 1.5 2.0 3.0 1\n`),
      15,
      /rows of model 1 together/,
    ));
  it('mmcif: a negative cell length or an impossible angle: at its line and column', async () => {
    const cell =
      '_cell.length_a 10\n_cell.length_b 10\n_cell.length_c 10\n_cell.angle_alpha 90\n_cell.angle_beta 90\n_cell.angle_gamma 90\n';
    const withCell = (c: string) => CIF.replace('data_x\n', `data_x\n${c}`);
    expect((await readAll(tempFile('a.cif', withCell(cell))))[0].frame.lattice!.volume).toBeCloseTo(1000, 9);
    const a = await expectParseError(
      tempFile('a.cif', withCell(cell.replace('length_a 10', 'length_a -10'))),
      2,
      /positive cell length a \(A\), found "-10"/,
    );
    expect(a.column).toBe(16);
    await expectParseError(
      tempFile('a.cif', withCell(cell.replace('angle_beta 90', 'angle_beta 0'))),
      6,
      /cell angle beta between 0 and 180/,
    );
  });
  it('mmcif: an unclosed quote', () =>
    expectParseError(
      tempFile('a.cif', withLine(CIF, 12, "HETATM 2 Cl 'Cl2 4.0 5.0 6.0 1")),
      12,
      /closing '/,
    ));
  it('mmcif: no atom sites', () =>
    expectParseError(tempFile('a.cif', 'data_x\n_entry.id X\n'), 3, /_atom_site loop with Cartn_x/, {
      format: 'mmcif',
    }));
});

describe('the CLI', () => {
  it('oligolyte info file.pdb and oligolyte convert a.gro b.pdb', async () => {
    const info = cli('info', '--json', fixture('md-electrolyte.pdb'));
    expect(info.code, info.err).toBe(0);
    const json = JSON.parse(info.out);
    expect(json).toMatchObject({
      format: 'pdb',
      atoms: 28,
      frames: 3,
      formula: expect.stringMatching(/Li2/),
    });
    const out = join(tempDir(), 'b.pdb');
    const r = cli('convert', fixture('md-electrolyte-traj.gro'), out);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(out)).toBe(true);
    const [gro, pdb] = [await readAll(fixture('md-electrolyte-traj.gro')), await readAll(out)];
    expect(pdb.length).toBe(3);
    expect(pdb[2].topology.symbols).toEqual(gro[2].topology.symbols);
    expectClose(pdb[2].frame.positions, gro[2].frame.positions, 0.0005 + 1e-9);
  });
  it('--topology FILE.gro gives an XTC its atoms', () => {
    const r = cli(
      'info',
      '--json',
      '--topology',
      fixture('md-electrolyte.gro'),
      fixture('md-electrolyte.xtc'),
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      format: 'xtc',
      atoms: 28,
      frames: 5,
      composition: { Li: 2, Al: 2, Cl: 8 },
    });
  });
});
