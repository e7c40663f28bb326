// A LAMMPS data file lists its atoms in any order (write_data after a run writes them as the
// processors hold them); atoms are identified by id. The reader returns them in id order, as
// ASE's read_lammps_data does with sort_by_id=True (its default from ASE 3.23; 3.22 keeps the row
// order) and as oligolyte's dump reader does, so that atom i of a data file is atom i of every
// sorted dump of the same run.
import { describe, expect, it } from 'vitest';
import { readAll, tempFile } from '../helpers.js';

const header = `written by write_data, rows in processor order

4 atoms
2 atom types
2 bonds
1 bond types
1 angles
1 angle types

0 10 xlo xhi
0 10 ylo yhi
0 10 zlo zhi

Masses

1 26.982 # Al
2 35.45 # Cl

`;
// id, molecule, type, charge, x, y, z
const atoms = ['1 1 1 0.7 1 1 1', '2 1 2 -0.35 2 1 1', '3 1 2 -0.35 1 2 1', '4 2 2 0 6 6 6'];
const velocities = ['1 0.1 0 0', '2 0 0.2 0', '3 0 0 0.3', '4 0.4 0.4 0.4'];
const terms = `
Bonds

1 1 1 2
2 1 3 1

Angles

1 1 2 1 3
`;
const dataFile = (name: string, order: number[], velocityOrder: number[]): string =>
  tempFile(
    name,
    `${header}Atoms # full\n\n${order.map((k) => atoms[k]).join('\n')}\n\nVelocities\n\n${velocityOrder
      .map((k) => velocities[k])
      .join('\n')}\n${terms}`,
  );

describe('LAMMPS data: atoms in id order', () => {
  it('reads a file with shuffled rows as the same structure as the sorted file', async () => {
    const [sorted] = await readAll(dataFile('sorted.data', [0, 1, 2, 3], [0, 1, 2, 3]));
    const [shuffled] = await readAll(dataFile('shuffled.data', [3, 1, 0, 2], [2, 0, 3, 1]));
    expect(shuffled.topology.elements).toEqual(sorted.topology.elements);
    expect([...shuffled.frame.positions]).toEqual([1, 1, 1, 2, 1, 1, 1, 2, 1, 6, 6, 6]);
    expect([...shuffled.frame.positions]).toEqual([...sorted.frame.positions]);
    expect([...(shuffled.frame.velocities ?? [])]).toEqual([...(sorted.frame.velocities ?? [])]);
    expect([...(shuffled.topology.charges ?? [])]).toEqual([0.7, -0.35, -0.35, 0]);
    expect([...(shuffled.topology.moleculeIds ?? [])]).toEqual([1, 1, 1, 2]);
    // Bonds and angles name atoms by id: after sorting, id k is index k - 1.
    expect([...(shuffled.topology.bonded.bonds ?? [])]).toEqual([0, 1, 2, 0]);
    expect([...(shuffled.topology.bonded.angles ?? [])]).toEqual([1, 0, 2]);
    expect(shuffled.topology.bonded).toEqual(sorted.topology.bonded);
  });
});
