/**
 * Numbers at the edge (issue 25 item 7): writers refuse non-finite and absurd values (1e308 was
 * written as "Infinity", or as image flags of 1e307), and every reader refuses them where they
 * stand (line for text, byte offset for binary): NaN, Inf and byte-swapped floats in DCD and XTC,
 * corrupted XTC bits, a CIF fractional coordinate of 1e308 (it landed at 0), numbers beyond the
 * doubles in text; a DCD whose header frame count disagrees with its contents is a warning.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OligolyteError, ParseError } from '../../src/core/errors.js';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { writeFrames } from '../../src/io/registry.js';
import {
  expectParseError,
  fixture,
  readAll,
  rejection,
  sharedFixture,
  tempDir,
  tempFile,
} from '../helpers.js';
import { dcdBytes } from './dcd-bytes.js';

const topology = new Topology({ symbols: ['Li', 'Cl', 'Cl'] });
const structure = (positions: number[], lattice = Lattice.cubic(10)): Structure => ({
  topology,
  frame: { positions: Float64Array.from(positions), lattice },
});
const GOOD = [1, 1, 1, 5, 5, 5, 2, 8, 3];

describe('writers refuse numbers no file holds faithfully', () => {
  const writable = ['run.extxyz', 'run.lammpstrj', 'cell.data', 'POSCAR', 'XDATCAR', 'cell.cif'];
  for (const name of writable)
    for (const [label, value] of [
      ['1e308', 1e308],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['NaN', Number.NaN],
      ['1e11 A', 1e11],
    ] as const)
      it(`${name}: a coordinate of ${label} names the frame and the atom, and no file is left`, async () => {
        const path = join(tempDir(), name);
        const bad = [...GOOD];
        bad[7] = value;
        const e = await rejection(writeFrames(path, [structure(bad)]));
        expect(e).toBeInstanceOf(OligolyteError);
        expect(e.message).toContain(path);
        expect(e.message).toMatch(/frame 1: the y coordinate of atom 3 is/);
        expect(() => readFileSync(path)).toThrow();
      });
  it('a trajectory: the second frame is named', async () => {
    const path = join(tempDir(), 'run.extxyz');
    const bad = [...GOOD];
    bad[0] = Number.NEGATIVE_INFINITY;
    const e = await rejection(writeFrames(path, [structure(GOOD), structure(bad)]));
    expect(e.message).toMatch(/frame 2: the x coordinate of atom 1 is -Infinity/);
  });
  it('a non-finite velocity or energy, a cell vector of 1e11 A', async () => {
    const path = join(tempDir(), 'run.extxyz');
    const v = structure(GOOD);
    v.frame.velocities = Float64Array.from([0, 0, 0, 0, Number.NaN, 0, 0, 0, 0]);
    expect((await rejection(writeFrames(path, [v]))).message).toMatch(/the y velocity of atom 2 is NaN/);
    const en = structure(GOOD);
    en.frame.energy = Number.POSITIVE_INFINITY;
    expect((await rejection(writeFrames(path, [en]))).message).toMatch(/the energy is Infinity/);
    const big = structure(GOOD, new Lattice([1e11, 0, 0, 0, 1e10, 0, 0, 0, 1e10]));
    expect((await rejection(writeFrames(path, [big]))).message).toMatch(
      /the x component of cell vector a is 100000000000; it must be finite, within \+-10000000000 A/,
    );
  });
  it('a LAMMPS dump refuses image flags beyond what LAMMPS holds (1e9 A in a 10 A box)', async () => {
    const path = join(tempDir(), 'run.lammpstrj');
    const bad = [...GOOD];
    bad[3] = 1e9;
    const e = await rejection(writeFrames(path, [structure(bad)]));
    expect(e.message).toMatch(/frame 1: atom 2 is 100000000, 0, 0 cells from the box/);
  });
  it('every value within the limits is written and read back exactly', async () => {
    const path = join(tempDir(), 'run.extxyz');
    const edge = [...GOOD];
    edge[4] = -1e10;
    await writeFrames(path, [structure(edge)]);
    expect(Array.from((await readAll(path))[0].frame.positions)).toEqual(edge);
  });
});

describe('text readers refuse numbers beyond the doubles or absurd, at their line', () => {
  const xyz = (x: string) =>
    `2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 pbc="T T T"\nLi 0 0 0\nCl 2.5 ${x} 2.5\n`;
  it('extxyz: 1e400 (Infinity) and 1e308 (absurd)', async () => {
    await expectParseError(tempFile('a.extxyz', xyz('1e400')), 4, /position/);
    const e = await expectParseError(tempFile('b.extxyz', xyz('1e308')), 4, /within \+-10000000000/);
    expect(e.column).toBe(8);
  });
  it('LAMMPS dump: a coordinate and a box bound of 1e300', async () => {
    const dump = (bound: string, x: string) =>
      `ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 ${bound}\n0 10\n0 10\nITEM: ATOMS id type x y z\n1 1 ${x} 1 1\n`;
    await expectParseError(tempFile('a.lammpstrj', dump('10', '1e300')), 10, /coordinate within/);
    await expectParseError(tempFile('b.lammpstrj', dump('1e300', '1')), 6, /box bound within/);
  });
  it('an image flag beyond 2^53 is not a whole number a double holds', () =>
    expectParseError(
      tempFile(
        'a.lammpstrj',
        'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z ix iy iz\n1 1 1 1 1 99999999999999999999 0 0\n',
      ),
      10,
      /image flag/,
    ));
  it('POSCAR: a lattice vector of 1e300', () =>
    expectParseError(
      tempFile('POSCAR', 'x\n1.0\n1e300 0 0\n0 5 0\n0 0 5\nLi\n1\nDirect\n0 0 0\n'),
      3,
      /lattice vector/,
    ));
  it('CIF: a fractional coordinate of 1e308 (it landed at 0) and 1e400', async () => {
    const cif = (x: string) =>
      `data_x\n_cell_length_a 5\n_cell_length_b 5\n_cell_length_c 5\n_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nLi1 0 0 0\nCl1 ${x} 0.5 0.5\n`;
    await expectParseError(tempFile('a.cif', cif('1e308')), 14, /fractional coordinate within \+-1000000/);
    await expectParseError(tempFile('b.cif', cif('1e400')), 14, /fractional coordinate/);
    // Up to a million cells away, a site is wrapped into the cell as before.
    const s = await readAll(tempFile('c.cif', cif('1000.5')));
    expect(s[0].frame.positions[3]).toBeCloseTo(2.5, 9);
  });
  it('a fractional XDATCAR coordinate times a large cell is refused by frame and atom', async () => {
    const text = 'x\n1.0\n1e5 0 0\n0 5 0\n0 0 5\nLi\n1\nDirect configuration= 1\n2e5 0 0\n';
    const e = await expectParseError(
      tempFile('XDATCAR', text),
      undefined,
      /x coordinate of atom 1 in frame 1/,
    );
    expect(e.found).toBe('20000000000');
  });
});

const XYZ3 = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
];
/** Header 92 + title 92 + count 12 bytes; a frame: cell 56 + 3 x (4n + 8). */
const HEADER = 92 + 92 + 12;
const FRAME = 56 + 3 * (4 * 3 + 8);

describe('DCD', () => {
  it('a valid file reads (the builder is right)', async () => {
    const s = await readAll(tempFile('a.dcd', dcdBytes([{ xyz: XYZ3 }, { xyz: XYZ3 }])));
    expect(s.length).toBe(2);
    expect(Array.from(s[1].frame.positions)).toEqual([1, 4, 7, 2, 5, 8, 3, 6, 9]);
    expect(s[0].frame.lattice!.volume).toBeCloseTo(1000, 9);
    // NSAVC 1 is what writers leave when they do not know: no step numbers.
    expect(s[0].frame.step).toBeUndefined();
  });
  it('NSAVC > 1 gives step numbers', async () => {
    const s = await readAll(
      tempFile('a.dcd', dcdBytes([{ xyz: XYZ3 }, { xyz: XYZ3 }], { istart: 100, nsavc: 10 })),
    );
    expect(s.map((x) => x.frame.step)).toEqual([100, 110]);
  });
  for (const [label, value] of [
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['1e20', 1e20],
  ] as const)
    it(`a ${label} coordinate is refused at its byte offset`, async () => {
      const xyz = XYZ3.map((a) => [...a]);
      xyz[1][2] = value; // y of atom 3, frame 2
      const path = tempFile('a.dcd', dcdBytes([{ xyz: XYZ3 }, { xyz }]));
      const e = await expectParseError(
        path,
        undefined,
        /y coordinates finite, within .* \(atom 3, frame 2\)/,
      );
      expect(e.byteOffset).toBe(HEADER + FRAME + 56 + (4 * 3 + 8) + 4 + 8);
    });
  it('byte-swapped floats (absurd magnitudes) are refused', async () => {
    const b = dcdBytes([{ xyz: [[3.7, 12.25, 1.3], XYZ3[1], XYZ3[2]] }]);
    const at = HEADER + 56 + 4;
    for (let i = 0; i < 3; i++) b.subarray(at + 4 * i, at + 4 * i + 4).reverse();
    const e = await expectParseError(tempFile('a.dcd', b), undefined, /x coordinates finite/);
    expect(e.byteOffset).toBeGreaterThanOrEqual(at);
  });
  it('a NaN cell says the cell is not finite, at the cell record (not "frame 3 has no cell")', async () => {
    const path = tempFile(
      'a.dcd',
      dcdBytes([{ xyz: XYZ3 }, { xyz: XYZ3 }, { xyz: XYZ3, cell: [10, 90, Number.NaN, 90, 90, 10] }]),
    );
    const e = await expectParseError(path, undefined, /a finite unit cell in frame 3/);
    expect(e.byteOffset).toBe(HEADER + 2 * FRAME + 4);
  });
  it('a negative, absurd or impossible cell is refused; an all-zero cell is no cell', async () => {
    const cell = (c: number[]) => tempFile('a.dcd', dcdBytes([{ xyz: XYZ3, cell: c }]));
    await expectParseError(cell([10, 90, -10, 90, 90, 10]), undefined, /cell lengths .* \(B is -10\)/);
    await expectParseError(cell([10, 90, 1e300, 90, 90, 10]), undefined, /cell lengths/);
    await expectParseError(cell([10, 10, 10, 10, 170, 10]), undefined, /cell angles that make a cell/);
    const s = await readAll(cell([0, 90, 0, 90, 90, 0]));
    expect(s[0].frame.lattice).toBeUndefined();
  });
  it('a header frame count that disagrees with the contents is a warning (MDAnalysis ignores it)', async () => {
    const warnings: string[] = [];
    const path = tempFile('a.dcd', dcdBytes([{ xyz: XYZ3 }, { xyz: XYZ3 }], { nset: 5 }));
    const s = await readAll(path, { onWarning: (m) => warnings.push(m) });
    expect(s.length).toBe(2);
    expect(warnings).toEqual([`${path}: the DCD header says 5 frames, the file holds 2; read 2`]);
    // 0 (writers that leave it) and the right count say nothing.
    for (const nset of [0, 2]) {
      const w: string[] = [];
      await readAll(tempFile('b.dcd', dcdBytes([{ xyz: XYZ3 }, { xyz: XYZ3 }], { nset })), {
        onWarning: (m) => w.push(m),
      });
      expect(w).toEqual([]);
    }
  });
});

/** A big-endian XTC frame of n <= 9 atoms (plain floats), coordinates in nm. */
const xtcFrame = (xyz: number[], box = [1, 0, 0, 0, 1, 0, 0, 0, 1], time = 0): Uint8Array => {
  const n = xyz.length / 3;
  const b = new Uint8Array(56 + 12 * n);
  const v = new DataView(b.buffer);
  v.setInt32(0, 1995);
  v.setInt32(4, n);
  v.setInt32(8, 0);
  v.setFloat32(12, time);
  for (const [i, x] of box.entries()) v.setFloat32(16 + 4 * i, x);
  v.setInt32(52, n);
  for (const [i, x] of xyz.entries()) v.setFloat32(56 + 4 * i, x);
  return b;
};

describe('XTC', () => {
  it('a valid plain-float frame reads (the builder is right)', async () => {
    const s = await readAll(tempFile('a.xtc', xtcFrame([0.1, 0.2, 0.3])));
    expect(s[0].frame.positions[2]).toBeCloseTo(3, 5);
  });
  it('NaN and absurd coordinates, a NaN box, a NaN time: refused at their byte offset', async () => {
    let e = await expectParseError(
      tempFile('a.xtc', xtcFrame([0.1, Number.NaN, 0.3])),
      undefined,
      /coordinates/,
    );
    expect(e.byteOffset).toBe(60);
    e = await expectParseError(tempFile('b.xtc', xtcFrame([0.1, 0.2, 3e38])), undefined, /coordinates/);
    expect(e.byteOffset).toBe(64);
    e = await expectParseError(
      tempFile('c.xtc', xtcFrame([0.1, 0.2, 0.3], [1, 0, 0, 0, Number.NaN, 0, 0, 0, 1])),
      undefined,
      /a box of numbers finite/,
    );
    expect(e.byteOffset).toBe(32);
    e = await expectParseError(
      tempFile('d.xtc', xtcFrame([0.1, 0.2, 0.3], undefined, Number.NaN)),
      undefined,
      /time/,
    );
    expect(e.byteOffset).toBe(12);
  });
  it('corrupted compressed bytes that break the stream are refused at the compressed block', async () => {
    const good = readFileSync(fixture('mdanalysis-like/random-walk.xtc'));
    // The first frame's compressed block starts after the 56-byte header and the 36-byte
    // compression header. XTC has no checksum: a flipped bit inside one coordinate's bits that
    // keeps it within the frame's range reads as that coordinate, and cannot be told. A flip that
    // breaks the stream (a coordinate outside the frame's stored range, the wrong number of
    // atoms, a bit count that does not end in the stored byte count) is an error at the block.
    const nbytes = new DataView(good.buffer, good.byteOffset).getInt32(56 + 32, false);
    let refused = 0;
    let flips = 0;
    for (let i = 0; i < nbytes; i += 3) {
      const b = Uint8Array.from(good);
      b[92 + i] ^= 0x10;
      flips++;
      try {
        await readAll(tempFile('bad.xtc', b));
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        expect((e as ParseError).byteOffset).toBe(92);
        refused++;
      }
    }
    // Before the range and byte-count checks, 11 of these 128 flips were refused; now 26.
    expect(refused).toBeGreaterThanOrEqual(20);
    expect(flips).toBe(128);
    // Two flips seen to be accepted before: a coordinate decoded outside the stored range, and
    // a run flag whose bits end before the stored byte count.
    for (const i of [75, 324]) {
      const b = Uint8Array.from(good);
      b[92 + i] ^= 0x10;
      const e = await expectParseError(tempFile('bad.xtc', b), undefined, /valid compressed coordinates/);
      expect(e.byteOffset).toBe(92);
    }
  });
});

describe('NPY and ASE .traj', () => {
  it('NPY: a fractional coordinate of 1e300 at its byte offset', async () => {
    const { readFileSync: read } = await import('node:fs');
    const npy = read(sharedFixture('peer-trajectories/pymatgen-analysis-diffusion/cNa3PS4_trajectories.npy'));
    const header = 10 + new DataView(npy.buffer, npy.byteOffset).getUint16(8, true);
    const b = Uint8Array.from(npy);
    new DataView(b.buffer).setFloat64(header + 8 * 5, 1e300, true);
    const cif = sharedFixture('peer-trajectories/pymatgen-analysis-diffusion/cNa3PS4.cif');
    const [s] = await readAll(cif);
    const e = await expectParseError(tempFile('a.npy', b), undefined, /fractional coordinate finite/, {
      topology: s.topology,
      cell: s.frame.lattice,
    });
    expect(e.byteOffset).toBe(header + 40);
  });
});
