/**
 * Issue 25 item 5: a frame that contradicts the frames before it is an error naming the frame and
 * its line, or, where the change is only a re-description of the same thing (a mirrored cell
 * vector in extended XYZ, atoms listed in another order in a dump), read so that the result does
 * not change.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFrames, writeFrames } from '../../src/io/registry.js';
import { expectParseError, readAll, tempDir, tempFile } from '../helpers.js';

const dumpFrame = (step: number, bounds: string[], atoms: string[], cols = 'id type x y z') =>
  `ITEM: TIMESTEP\n${step}\nITEM: NUMBER OF ATOMS\n${atoms.length}\nITEM: BOX BOUNDS pp pp pp\n${bounds.join('\n')}\nITEM: ATOMS ${cols}\n${atoms.join('\n')}\n`;
const BOX = ['0 5', '0 5', '0 5'];
const ATOMS = ['1 1 0 0 0', '2 2 2.5 2.5 2.5', '3 1 1 1 1'];
const typeMap = ['Li', 'Cl'];

describe('LAMMPS dump', () => {
  it('a frame with xlo > xhi: an error at its box line, naming the frame', async () => {
    const text = dumpFrame(0, BOX, ATOMS) + dumpFrame(10, ['5 0', '0 5', '0 5'], ATOMS);
    // Frame 2 starts at line 13; its x bounds are on line 18.
    await expectParseError(
      tempFile('a.lammpstrj', text),
      18,
      /frame 2 \(step 10\).*xhi 0 must be greater than xlo 5/,
      {
        typeMap,
      },
    );
    // The first frame too, and a flat box (zhi = zlo).
    await expectParseError(tempFile('b.lammpstrj', dumpFrame(0, ['0 5', '0 5', '3 3'], ATOMS)), 8, /zhi 3/, {
      typeMap,
    });
  });
  it('a triclinic frame whose bounds leave no box: an error at its line', async () => {
    // xz = 6 (line 7) takes more than the 5 A of the x bounds (line 6): xhi = 5 - 6 < xlo = 0.
    const tri = `ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS xy xz yz pp pp pp\n0 5 0\n0 5 6\n0 5 0\nITEM: ATOMS id type x y z\n1 1 0 0 0\n`;
    await expectParseError(tempFile('a.lammpstrj', tri), 6, /xhi -1 must be greater than xlo 0/, { typeMap });
  });
  it('an atom id that changes between frames: an error at its atom line', async () => {
    const changed = ['1 1 0 0 0', '7 2 2.5 2.5 2.5', '3 1 1 1 1'];
    const text = dumpFrame(0, BOX, ATOMS) + dumpFrame(10, BOX, changed);
    // Frame 2's atoms start at line 22: id 7 is on line 23.
    await expectParseError(
      tempFile('a.lammpstrj', text),
      23,
      /atom ids of the previous frame in frame 2.*"id 7"/,
      {
        typeMap,
      },
    );
  });
  it('the same ids in another order, or a change of atom count, read', async () => {
    const shuffled = [ATOMS[2], ATOMS[0], ATOMS[1]];
    const frames = await readAll(
      tempFile(
        'a.lammpstrj',
        dumpFrame(0, BOX, ATOMS) + dumpFrame(10, BOX, shuffled) + dumpFrame(20, BOX, ATOMS.slice(0, 2)),
      ),
      { typeMap },
    );
    expect(frames.map((s) => s.topology.natoms)).toEqual([3, 3, 2]);
    expect(Array.from(frames[1].frame.positions)).toEqual(Array.from(frames[0].frame.positions));
  });
  it('an element that changes while its type stays: an error (convert would have written the old one)', async () => {
    const cols = 'id type element x y z';
    const a = ['1 1 Li 0 0 0', '2 2 Cl 2.5 2.5 2.5'];
    const b = ['1 1 Na 0 0 0', '2 2 Cl 2.5 2.5 2.5'];
    const path = tempFile('a.lammpstrj', dumpFrame(0, BOX, a, cols) + dumpFrame(10, BOX, b, cols));
    await expectParseError(path, 21, /atom id 1 to be Li in frame 2.*"Na \(type 1\)"/);
    const out = join(tempDir(), 'out.extxyz');
    await expect(writeFrames(out, readFrames(path))).rejects.toThrow(/to be Li in frame 2/);
  });
  it('a type that changes to one of another element: an error', async () => {
    const b = ['1 2 0 0 0', '2 2 2.5 2.5 2.5', '3 1 1 1 1'];
    await expectParseError(
      tempFile('a.lammpstrj', dumpFrame(0, BOX, ATOMS) + dumpFrame(10, BOX, b)),
      22,
      /atom id 1 to be Li in frame 2.*"Cl \(type 2\)"/,
      { typeMap },
    );
  });
});

describe('extended XYZ', () => {
  const frame = (lattice: string, atoms: string[]) =>
    `${atoms.length}\nLattice="${lattice}" Properties=species:S:1:pos:R:3 pbc="T T T"\n${atoms.join('\n')}\n`;
  const ATOMS_XYZ = ['Li 0.5 0.2 0.1', 'Cl 2.5 2.5 2.5'];
  const CUBIC = '5 0 0 0 5 0 0 0 5';
  const TRI = '5 0 0 1 5 0 1 1 5';
  const read = async (lattices: string[]) =>
    readAll(
      tempFile(
        'a.extxyz',
        lattices.map((l, k) => frame(l, [`Li ${0.5 + 0.1 * k} 0.2 0.1`, ATOMS_XYZ[1]])).join(''),
      ),
    );

  it('a mirrored cell vector (a -> -a), two vectors swapped, a reduced basis: the same lattice, the same result', async () => {
    const plain = await read([TRI, TRI, TRI, TRI]);
    const redescribed = await read([TRI, '-5 0 0 1 5 0 1 1 5', '1 5 0 5 0 0 1 1 5', '5 0 0 6 5 0 1 1 5']);
    expect(redescribed).toHaveLength(4);
    for (let k = 0; k < 4; k++) {
      expect(Array.from(redescribed[k].frame.lattice!.matrix)).toEqual(
        Array.from(plain[k].frame.lattice!.matrix),
      );
      expect(Array.from(redescribed[k].frame.positions)).toEqual(Array.from(plain[k].frame.positions));
    }
  });
  it('a cell mirrored as a whole (not the same lattice): an error at the frame comment line', async () => {
    // x -> -x on every vector of a triclinic cell: left-handed and no integer recombination of the first.
    await expectParseError(
      tempFile('a.extxyz', frame(TRI, ATOMS_XYZ) + frame('-5 0 0 -1 5 0 -1 1 5', ATOMS_XYZ)),
      6,
      /frame 2 with the handedness of the frame before/,
    );
  });
  it('a slowly changing (NPT) cell is kept as written', async () => {
    const frames = await read([CUBIC, '5.01 0 0 0 5 0 0 0 4.99', '5.02 0 0 0.01 5 0 0 0 4.98']);
    expect(Array.from(frames[2].frame.lattice!.matrix)).toEqual([5.02, 0, 0, 0.01, 5, 0, 0, 0, 4.98]);
  });
  it('an element that changes mid-trajectory: an error at its atom line', async () => {
    const text = frame(CUBIC, ATOMS_XYZ) + frame(CUBIC, ['Na 0.5 0.2 0.1', ATOMS_XYZ[1]]);
    await expectParseError(tempFile('a.extxyz', text), 7, /atom 1 of frame 2 to be Li.*"Na"/);
  });
  it('a frame with another number of atoms is a new set of atoms and reads', async () => {
    const text = frame(CUBIC, ATOMS_XYZ) + frame(CUBIC, ['Na 0.5 0.2 0.1', ...ATOMS_XYZ]);
    expect((await readAll(tempFile('a.extxyz', text))).map((s) => s.topology.symbols)).toEqual([
      ['Li', 'Cl'],
      ['Na', 'Li', 'Cl'],
    ]);
  });
});
