/**
 * Issue 25 item 4: a file whose last line has no newline is complete when that line holds all its
 * fields. Every text format, read with and without its final newline, gives the same frames; a
 * last line cut inside its fields is a torn frame (trajectories) or an error (single structures).
 */
import { describe, expect, it } from 'vitest';
import { expectParseError, readAll, tempFile } from '../helpers.js';
import { LICL_DATA as DATA, LICL_POSCAR as POSCAR } from './licl-texts.js';

const XYZ2 = `2
Lattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 pbc="T T T"
Li 0 0 0
Cl 2.5 2.5 2.5
2
Lattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 pbc="T T T"
Li 0.1 0 0
Cl 2.5 2.5 2.6
`;
const PLAIN_XYZ = `2
LiCl, plain XYZ
Li 0 0 0
Cl 2.5 2.5 2.5
`;
const DUMP2 = `ITEM: TIMESTEP
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
ITEM: TIMESTEP
10
ITEM: NUMBER OF ATOMS
2
ITEM: BOX BOUNDS pp pp pp
0 5
0 5
0 5
ITEM: ATOMS id type x y z
1 1 0.1 0 0
2 2 2.5 2.5 2.6
`;
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
0.5 0.5 0.6
`;
const CIF = `data_x
_cell_length_a 5
_cell_length_b 5
_cell_length_c 5
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
loop_
_atom_site_label
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
Li1 0 0 0
Cl1 0.5 0.5 0.5
`;

const cases: [string, string, number][] = [
  ['a.extxyz', XYZ2, 2],
  ['plain.xyz', PLAIN_XYZ, 1],
  ['a.lammpstrj', DUMP2, 2],
  ['XDATCAR', XDATCAR, 2],
  ['POSCAR', POSCAR, 1],
  ['a.data', DATA, 1],
  ['a.cif', CIF, 1],
];
const options = { typeMap: ['Li', 'Cl'], tornLastFrame: 'error' as const };

describe('a last line without a newline', () => {
  for (const [name, text, nframes] of cases) {
    it(`${name}: the same ${nframes} frame(s) as with the newline`, async () => {
      const withNewline = await readAll(tempFile(name, text), options);
      const without = await readAll(tempFile(name, text.replace(/\n$/, '')), options);
      expect(withNewline).toHaveLength(nframes);
      expect(without).toHaveLength(nframes);
      for (let k = 0; k < nframes; k++) {
        expect(without[k].topology.symbols).toEqual(withNewline[k].topology.symbols);
        expect(Array.from(without[k].frame.positions)).toEqual(Array.from(withNewline[k].frame.positions));
        expect(without[k].frame.lattice?.matrix).toEqual(withNewline[k].frame.lattice?.matrix);
      }
      // CRLF line ends, last line unterminated: the same.
      const crlf = await readAll(tempFile(name, text.replace(/\n/g, '\r\n').replace(/\r\n$/, '')), options);
      expect(crlf.map((s) => Array.from(s.frame.positions))).toEqual(
        withNewline.map((s) => Array.from(s.frame.positions)),
      );
    });
  }
  it('a one-frame XYZ without a final newline holds its frame (it said "no frames")', async () => {
    const frames = await readAll(tempFile('one.xyz', PLAIN_XYZ.replace(/\n$/, '')));
    expect(frames).toHaveLength(1);
    expect(frames[0].topology.symbols).toEqual(['Li', 'Cl']);
  });
  it('no warning either', async () => {
    const warnings: string[] = [];
    const frames = await readAll(tempFile('a.extxyz', XYZ2.replace(/\n$/, '')), {
      onWarning: (m) => warnings.push(m),
    });
    expect(frames).toHaveLength(2);
    expect(warnings).toEqual([]);
  });
});

describe('a last line cut inside its fields', () => {
  // "Cl 2.5 2.5 2.6" -> "Cl 2.5 2.5": a field is missing, the frame is torn.
  const cut = (text: string, chars: number) => text.replace(/\n$/, '').slice(0, -chars);
  it('extxyz: the frame is torn (a warning and the frames before it; strict: an error at the line)', async () => {
    const warnings: string[] = [];
    const frames = await readAll(tempFile('a.extxyz', cut(XYZ2, 4)), { onWarning: (m) => warnings.push(m) });
    expect(frames).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/a\.extxyz:5: frame 2 is incomplete/)]);
    await expectParseError(tempFile('b.extxyz', cut(XYZ2, 4)), 8, /4 columns/, { tornLastFrame: 'error' });
  });
  it('LAMMPS dump: the frame is torn', async () => {
    const warnings: string[] = [];
    const frames = await readAll(tempFile('a.lammpstrj', cut(DUMP2, 4)), {
      typeMap: ['Li', 'Cl'],
      onWarning: (m) => warnings.push(m),
    });
    expect(frames).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/a\.lammpstrj:12: frame 2 is incomplete/)]);
  });
  it('XDATCAR, POSCAR, LAMMPS data, CIF: an error at the last line', async () => {
    await expectParseError(tempFile('XDATCAR', cut(XDATCAR, 4)), 13, /three fractional/);
    await expectParseError(tempFile('POSCAR', cut(POSCAR, 4)), 10, /coordinates/);
    await expectParseError(tempFile('a.data', cut(DATA, 4)), 18, /6 or 9 columns/, { typeMap: ['Li', 'Cl'] });
    await expectParseError(tempFile('a.cif', cut(CIF, 4)), 14, /multiple of 4/);
  });
});
