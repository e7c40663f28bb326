/** Malformed input gives a ParseError naming the file and the line where the problem is. */
import { describe, expect, it } from 'vitest';
import { expectParseError, headLines, readAll, tempFile, withLine } from '../helpers.js';
import { LICL_DATA as DATA, LICL_POSCAR as POSCAR } from './licl-texts.js';

const XDATCAR = `LiCl
1.0
5.0 0.0 0.0
0.0 5.0 0.0
0.0 0.0 5.0
Li Cl
1 1
Direct configuration=     1
0.0 0.0 0.0
0.5 0.5 0.5
Direct configuration=     2
0.1 0.0 0.0
0.5 0.5 0.5
`;
const XYZ = `2
Lattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 pbc="T T T"
Li 0 0 0
Cl 2.5 2.5 2.5
2
Lattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 pbc="T T T"
Li 0.1 0 0
Cl 2.5 2.5 2.5
`;
const DUMP = `ITEM: TIMESTEP
0
ITEM: NUMBER OF ATOMS
2
ITEM: BOX BOUNDS pp pp pp
0 5
0 5
0 5
ITEM: ATOMS id type x y z
1 1 0 0 0
2 2 2.5 2.5 2.5
`;
const CIF = `data_x
_cell_length_a 5
_cell_length_b 5
_cell_length_c 5
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
loop_
_symmetry_equiv_pos_as_xyz
'x,y,z'
loop_
_atom_site_label
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
Li1 0 0 0
Cl1 0.5 0.5 0.5
`;

describe('the good inputs read', () => {
  for (const [name, text] of [
    ['POSCAR', POSCAR],
    ['XDATCAR', XDATCAR],
    ['a.extxyz', XYZ],
    ['a.lammpstrj', DUMP],
    ['a.data', DATA],
    ['a.cif', CIF],
  ]) {
    it(name, async () => {
      const { readAll } = await import('../helpers.js');
      expect((await readAll(tempFile(name, text), { typeMap: ['Li', 'Cl'] })).length).toBeGreaterThan(0);
    });
  }
});

describe('POSCAR', () => {
  it('non-numeric coordinate', () =>
    expectParseError(tempFile('POSCAR', withLine(POSCAR, 10, '0.5 x 0.5')), 10, /coordinates/));
  it('truncated', () => expectParseError(tempFile('POSCAR', headLines(POSCAR, 9)), 10, /atom 2 of 2/));
  it('unknown element', () =>
    expectParseError(tempFile('POSCAR', withLine(POSCAR, 6, 'Li Qq')), 6, /element/));
  it('missing lattice line', () =>
    expectParseError(tempFile('POSCAR', headLines(POSCAR, 4)), 5, /lattice vector 3/));
  it('counts do not match species', () =>
    expectParseError(tempFile('POSCAR', withLine(POSCAR, 7, '1')), 7, /2 atom counts/));
  it('empty file', () => expectParseError(tempFile('POSCAR', ''), 1, /comment/, { format: 'poscar' }));
  it('NaN is not a number', () => expectParseError(tempFile('POSCAR', withLine(POSCAR, 9, 'nan 0 0')), 9));
});

describe('XDATCAR', () => {
  it('truncated last frame is an error, not a short trajectory', () =>
    expectParseError(tempFile('XDATCAR', headLines(XDATCAR, 12)), 13, /1 more position lines/));
  it('non-numeric field with its column', async () => {
    const e = await expectParseError(tempFile('XDATCAR', withLine(XDATCAR, 12, '0.1 0.0 abc')), 12);
    expect(e.column).toBe(9);
  });
  it('a frame with too few columns', () =>
    expectParseError(tempFile('XDATCAR', withLine(XDATCAR, 9, '0.0 0.0')), 9, /three fractional/));
  it('a missing header line', () =>
    expectParseError(tempFile('XDATCAR', withLine(XDATCAR, 11, 'Direct')), 11, /configuration/));
});

describe('extended XYZ', () => {
  // A file that ends inside its last frame is what a killed writer leaves: by default the
  // complete frames are read and the torn one reported (issue 6); tornLastFrame 'error' fails.
  it('a frame with the wrong atom count (truncated), strict', () =>
    expectParseError(tempFile('a.extxyz', headLines(XYZ, 7)), 8, /1 more atom lines in frame 2/, {
      tornLastFrame: 'error',
    }));
  it('a frame whose atom count line is wrong, strict', () =>
    expectParseError(tempFile('a.extxyz', withLine(XYZ, 5, '3')), 9, /more atom lines|atom count/, {
      tornLastFrame: 'error',
    }));
  it('a torn last frame: the complete frames and a warning naming the line', async () => {
    const warnings: string[] = [];
    const frames = await readAll(tempFile('a.extxyz', headLines(XYZ, 7)), {
      onWarning: (m) => warnings.push(m),
    });
    expect(frames).toHaveLength(1);
    expect(warnings).toEqual([
      expect.stringMatching(/a\.extxyz:5: frame 2 is incomplete.*1 complete frame before it/),
    ]);
    // A last line cut inside a field (no newline) is torn: a field is missing.
    const cut = `${headLines(XYZ, 8).replace(/\n$/, '').slice(0, -4)}`;
    const w2: string[] = [];
    expect(await readAll(tempFile('b.extxyz', cut), { onWarning: (m) => w2.push(m) })).toHaveLength(1);
    expect(w2).toHaveLength(1);
    // A complete last line without its newline is not (issue 25 item 4: test/io/final-newline.test.ts).
    expect(await readAll(tempFile('d.extxyz', XYZ.replace(/\n$/, '')))).toHaveLength(2);
    // A bad line that is not at the end stays an error.
    await expectParseError(tempFile('c.extxyz', withLine(XYZ, 7, 'Li 0 zero 0')), 7, /position/);
  });
  it('non-numeric position', () =>
    expectParseError(tempFile('a.extxyz', withLine(XYZ, 3, 'Li 0 zero 0')), 3, /position/));
  it('unknown element', () =>
    expectParseError(tempFile('a.extxyz', withLine(XYZ, 4, 'Qq 2.5 2.5 2.5')), 4, /element/));
  it('bad Lattice', () =>
    expectParseError(
      tempFile('a.extxyz', withLine(XYZ, 2, 'Lattice="5 0 0" Properties=species:S:1:pos:R:3')),
      2,
      /Lattice/,
    ));
  it('atom count not a number', () =>
    expectParseError(tempFile('a.extxyz', withLine(XYZ, 1, 'two')), 1, /atom count/));
});

describe('LAMMPS dump', () => {
  it('truncated, strict', () =>
    expectParseError(tempFile('a.lammpstrj', headLines(DUMP, 10)), 11, /1 more atom lines/, {
      tornLastFrame: 'error',
    }));
  it('truncated: a warning and the complete frames (none here)', async () => {
    const warnings: string[] = [];
    const frames = await readAll(tempFile('a.lammpstrj', headLines(DUMP, 10)), {
      onWarning: (m) => warnings.push(m),
      typeMap: ['Li', 'Cl'],
    });
    expect(frames).toHaveLength(0);
    expect(warnings).toEqual([expect.stringMatching(/a\.lammpstrj:1: frame 1 is incomplete/)]);
  });
  it('wrong column count', () =>
    expectParseError(tempFile('a.lammpstrj', withLine(DUMP, 10, '1 1 0 0')), 10, /5 columns/));
  it('missing header', () =>
    expectParseError(tempFile('a.lammpstrj', withLine(DUMP, 3, 'ITEM: ATOMS')), 3, /NUMBER OF ATOMS/));
  it('non-numeric coordinate', () =>
    expectParseError(tempFile('a.lammpstrj', withLine(DUMP, 11, '2 2 2.5 2.5 z')), 11, /coordinate/));
  it('duplicate ids', () =>
    expectParseError(tempFile('a.lammpstrj', withLine(DUMP, 11, '1 2 2.5 2.5 2.5')), 11, /unique atom ids/));
  it('types without elements ask for a type map', async () => {
    const { readAll } = await import('../helpers.js');
    await expect(readAll(tempFile('a.lammpstrj', DUMP))).rejects.toThrow(/type map/);
  });
});

describe('LAMMPS data', () => {
  it('truncated Atoms section', () =>
    expectParseError(tempFile('a.data', headLines(DATA, 17)), 18, /1 more entries of section Atoms/));
  it('non-numeric charge', () =>
    expectParseError(tempFile('a.data', withLine(DATA, 18, '2 2 minus 2.5 2.5 2.5')), 18, /charge/));
  it('unknown type', () =>
    expectParseError(tempFile('a.data', withLine(DATA, 18, '2 3 -1.0 2.5 2.5 2.5')), 18, /between 1 and 2/));
  it('unknown section', () =>
    expectParseError(tempFile('a.data', withLine(DATA, 10, 'Massez')), 10, /section name/));
});

describe('CIF', () => {
  it('non-numeric coordinate', () =>
    expectParseError(tempFile('a.cif', withLine(CIF, 17, 'Cl1 0.5 half 0.5')), 17, /fractional coordinate/));
  it('unclosed quote', () => expectParseError(tempFile('a.cif', withLine(CIF, 10, "'x,y,z")), 10, /closing/));
  it('loop with a missing value', () =>
    expectParseError(tempFile('a.cif', withLine(CIF, 17, 'Cl1 0.5 0.5')), 17, /multiple of 4/));
  it('a bad symmetry operation', () =>
    expectParseError(tempFile('a.cif', withLine(CIF, 10, "'x,y'")), 10, /symmetry operation/));
});

describe('binary formats', () => {
  it('DCD truncated in a frame', async () => {
    const { readFileSync } = await import('node:fs');
    const { sharedFixture } = await import('../helpers.js');
    const b = readFileSync(sharedFixture('peer-trajectories/kinisi/example_LAMMPS.dcd'));
    const e = await expectParseError(
      tempFile('a.dcd', b.subarray(0, b.length - 100)),
      undefined,
      /truncated/,
    );
    expect(e.byteOffset).toBeGreaterThan(0);
  });
  it('XTC truncated in a frame', async () => {
    const { readFileSync } = await import('node:fs');
    const { fixture } = await import('../helpers.js');
    const b = readFileSync(fixture('mdanalysis-like/random-walk.xtc'));
    await expectParseError(tempFile('a.xtc', b.subarray(0, b.length - 10)), undefined, /truncated/);
  });
  it('a truncated gzip file is an error', async () => {
    const { readFileSync } = await import('node:fs');
    const { sharedFixture, readAll } = await import('../helpers.js');
    const b = readFileSync(sharedFixture('peer-trajectories/derived/LGPS_600K_unwrapped.extxyz.gz'));
    await expect(readAll(tempFile('a.extxyz.gz', b.subarray(0, b.length / 2)))).rejects.toThrow();
  });
  it('ASE .traj truncated in the last frame, with a corrupt JSON, with a wrong tag', async () => {
    const { readFileSync } = await import('node:fs');
    const b = readFileSync(new URL('../fixtures/ase-rich.traj', import.meta.url));
    // The offset table sits at the end of the file: cutting 100 bytes loses it.
    const e = await expectParseError(
      tempFile('a.traj', b.subarray(0, b.length - 100)),
      undefined,
      /truncated/,
    );
    expect(e.byteOffset).toBeGreaterThan(0);
    const broken = Buffer.from(b);
    const at = broken.indexOf('"positions.');
    broken[at] = 0x7b; // '{' where a '"' was: no longer JSON
    const j = await expectParseError(tempFile('b.traj', broken), undefined, /JSON description of frame 0/);
    expect(j.byteOffset).toBeGreaterThan(48);
    const tag = Buffer.from(b);
    tag.write('ASE-Trajectorx', 8, 'latin1');
    await expectParseError(tempFile('c.traj', tag), undefined, /ASE-Trajectory/, { format: 'ase-traj' });
  });
  it('NPY truncated, of the wrong shape, or of the wrong atom count', async () => {
    const { readFileSync } = await import('node:fs');
    const { sharedFixture, readAll } = await import('../helpers.js');
    const dir = 'peer-trajectories/pymatgen-analysis-diffusion/';
    const [cif] = await readAll(sharedFixture(`${dir}cNa3PS4.cif`));
    const b = readFileSync(sharedFixture(`${dir}cNa3PS4_trajectories.npy`));
    const opts = { topology: cif.topology, cell: cif.frame.lattice };
    const e = await expectParseError(
      tempFile('a.npy', b.subarray(0, b.length - 8)),
      undefined,
      /frame 199/,
      opts,
    );
    expect(e.byteOffset).toBe(80 + 199 * 128 * 24); // 10-byte preamble + 70-byte header, then frames
    const shape = Buffer.from(b);
    shape.write('(200, 128, 2)', shape.indexOf('(200, 128, 3)'), 'latin1');
    await expectParseError(tempFile('b.npy', shape), undefined, /shape \(frames, atoms, 3\)/, opts);
    const [lgps] = await readAll(sharedFixture('peer-trajectories/derived/LGPS_600K_unwrapped.extxyz.gz'), {
      frames: { stop: 1 },
    });
    await expect(
      readAll(tempFile('c.npy', b), { topology: lgps.topology, cell: cif.frame.lattice }),
    ).rejects.toThrow(/128 atoms per frame but the topology has 50/);
  });
  it('pymatgen JSON: invalid JSON names the line; a short displacement list names the atom', async () => {
    const head = '{"@module": "pymatgen.analysis.diffusion.analyzer", "@class": "DiffusionAnalyzer",\n';
    await expectParseError(tempFile('a.json', `${head}"temperature": NaN}`), 2, /valid JSON/);
    const structure =
      '{"lattice": {"matrix": [[5,0,0],[0,5,0],[0,0,5]]}, "sites": [' +
      '{"species": [{"element": "Li", "occu": 1}], "abc": [0,0,0]},' +
      '{"species": [{"element": "Cl", "occu": 1}], "abc": [0.5,0.5,0.5]}]}';
    const text = `${head}"structure": ${structure}, "displacements": [[[0,0,0],[0.1,0,0]], [[0,0,0]]]}`;
    await expectParseError(tempFile('b.json', text), 1, /displacements of atom 2: 6 finite numbers/);
  });
});
