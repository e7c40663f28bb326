/**
 * Issue 25 item 8 (and the CIF angles of item 15, the POSCAR cell line of item 17): cells no
 * crystal can have are refused at the line of the value at fault, rather than read as a mirrored
 * or flat cell (whose sites then fall "on top of" each other).
 */
import { describe, expect, it } from 'vitest';
import { expectParseError, readAll, tempFile, withLine } from '../helpers.js';
import { LICL_DATA as DATA, LICL_POSCAR as POSCAR } from './licl-texts.js';

describe('LAMMPS data box', () => {
  it('xlo > xhi, ylo = yhi: an error at the box line (it was line 1)', async () => {
    await expectParseError(
      tempFile('a.data', withLine(DATA, 6, '5 0 xlo xhi')),
      6,
      /xhi 0 must be greater than xlo 5/,
    );
    await expectParseError(tempFile('b.data', withLine(DATA, 7, '2 2 ylo yhi')), 7, /yhi 2/);
    await expectParseError(tempFile('c.data', withLine(DATA, 8, '0 -5 zlo zhi')), 8, /zhi -5/);
  });
  it('a missing mass names the Masses section line and the type', async () => {
    const text = DATA.replace('2 35.45\n', '').replace('1 6.94', '1 6.94\n');
    await expectParseError(tempFile('a.data', text), 10, /type 2 without one/, { typeMap: ['Li', 'Cl'] });
  });
});

const CIF = `data_x
_cell_length_a 5
_cell_length_b 6
_cell_length_c 7
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
loop_
_symmetry_equiv_pos_as_xyz
'x,y,z'
'-x,-y,-z'
loop_
_atom_site_label
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
Al1 0.1 0.2 0.3
Cl1 0.5 0.5 0.5
`;

describe('CIF cell', () => {
  it('reads the valid cell', async () => {
    expect((await readAll(tempFile('a.cif', CIF)))[0].topology.natoms).toBe(3);
  });
  it('a negative or zero cell length: an error at its line', async () => {
    await expectParseError(
      tempFile('a.cif', withLine(CIF, 3, '_cell_length_b -6')),
      3,
      /positive cell length b/,
    );
    await expectParseError(
      tempFile('b.cif', withLine(CIF, 4, '_cell_length_c 0')),
      4,
      /positive cell length c/,
    );
  });
  it('impossible angles: an error at the line of the largest, not "Cl on top of Al"', async () => {
    const angles = (a: number, b: number, g: number) =>
      withLine(
        withLine(withLine(CIF, 5, `_cell_angle_alpha ${a}`), 6, `_cell_angle_beta ${b}`),
        7,
        `_cell_angle_gamma ${g}`,
      );
    await expectParseError(tempFile('a.cif', angles(130, 130, 131)), 7, /sum to less than 360/);
    await expectParseError(tempFile('b.cif', angles(120, 120, 120)), 5, /sum to less than 360/);
    await expectParseError(
      tempFile('c.cif', angles(30, 100, 40)),
      6,
      /each less than the sum of the other two \(beta/,
    );
    await expectParseError(tempFile('d.cif', angles(90, 90, 180)), 7, /between 0 and 180/);
    await expectParseError(tempFile('e.cif', angles(0, 90, 90)), 5, /between 0 and 180/);
    // Close to flat but not flat: reads.
    expect(await readAll(tempFile('f.cif', angles(119.9, 119.9, 119.9)))).toHaveLength(1);
  });
});

describe('CIF symmetry operations', () => {
  const op = (text: string) => withLine(CIF, 11, `'${text}'`);
  it("'x,x,x' (determinant 0): an error at its line", () =>
    expectParseError(
      tempFile('a.cif', op('x,x,x')),
      11,
      /isometry of the cell \(its rotation part has determinant 0/,
    ));
  it("'2x,y,z' and '1/2x,y,z': not whole-number rotations", async () => {
    await expectParseError(tempFile('a.cif', op('2x,y,z')), 11, /determinant 2/);
    await expectParseError(tempFile('b.cif', op('1/2x,y,z')), 11, /whole numbers/);
  });
  it("'y,x,z' in a cell with a != b: does not keep its lengths", () =>
    expectParseError(tempFile('a.cif', op('y,x,z')), 11, /keep the lengths and angles/));
  it("'y,x,z' with a = b, and a hexagonal cell's 3-fold axis, read", async () => {
    const square = withLine(op('y,x,z'), 3, '_cell_length_b 5');
    expect((await readAll(tempFile('a.cif', square)))[0].topology.natoms).toBe(3);
    const hex = withLine(withLine(op('-y,x-y,z'), 3, '_cell_length_b 5'), 7, '_cell_angle_gamma 120');
    expect((await readAll(tempFile('b.cif', hex)))[0].topology.natoms).toBe(4);
  });
  it('an empty CIF: line 1, not line 0', () =>
    expectParseError(tempFile('a.cif', ''), 1, /data block/, { format: 'cif' }));
});

describe('POSCAR and XDATCAR cell', () => {
  it('a zero vector: an error at its own line (it said line 5)', async () => {
    await expectParseError(tempFile('POSCAR', withLine(POSCAR, 3, '0 0 0')), 3, /non-zero lattice vector 1/);
    await expectParseError(tempFile('POSCAR', withLine(POSCAR, 4, '0 0 0')), 4, /non-zero lattice vector 2/);
  });
  it('a flat cell: an error at the first vector line naming the three', () =>
    expectParseError(
      tempFile('POSCAR', withLine(POSCAR, 5, '5 5 0')),
      3,
      /independent lattice vectors \(lines 3-5\)/,
    ));
  it('a left-handed cell: refused, as VASP does', () =>
    expectParseError(
      tempFile('POSCAR', withLine(POSCAR, 3, '-5.0 0.0 0.0')),
      3,
      /right-handed.*exchange two/,
    ));
  it('a negative scale (volume) with a flat cell: at the vectors, not a non-finite cell', () =>
    expectParseError(
      tempFile('POSCAR', withLine(withLine(POSCAR, 2, '-125'), 5, '0 5 0')),
      3,
      /independent/,
    ));
  it('an XDATCAR whose repeated header mirrors the cell: an error at that header', async () => {
    const frame = (cell: string[]) =>
      `LiCl\n1.0\n${cell.join('\n')}\nLi Cl\n1 1\nDirect configuration=     1\n0.1 0.2 0.3\n0.5 0.5 0.5\n`;
    const good = ['5 0 0', '0 5 0', '0 0 5'];
    await expectParseError(
      tempFile('XDATCAR', frame(good) + frame(['-5 0 0', '0 5 0', '0 0 5'])),
      13,
      /right-handed/,
    );
  });
});

describe('left-handed cells where sites are fractional', () => {
  it('vasprun.xml: a left-handed basis is refused (VASP refuses it too)', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../fixtures/vasprun-md.xml', import.meta.url), 'utf8').replace(
      '<v>       5.00000000       0.00000000       0.00000000 </v>',
      '<v>      -5.00000000       0.00000000       0.00000000 </v>',
    );
    await expectParseError(tempFile('vasprun.xml', text), undefined, /right-handed basis/);
  });
  it('pymatgen JSON: a left-handed lattice is refused at its line', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(
      new URL('../fixtures/pymatgen-structure.json', import.meta.url),
      'utf8',
    ).replace(
      '[6.054531525012063, 0.0, -0.7434029947713989]',
      '[-6.054531525012063, 0.0, 0.7434029947713989]',
    );
    const line = text.split('\n').findIndex((l) => l.includes('"lattice"')) + 1;
    await expectParseError(tempFile('s.json', text), line, /right-handed cell/);
  });
});
