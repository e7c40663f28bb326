/** Every writable format: write a structure or trajectory, read it back, get the same atoms, cell and positions. */

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { FORMATS, writeFrames } from '../../src/io/registry.js';
import { expectClose, readAll, tempDir } from '../helpers.js';

const topology = new Topology({
  symbols: ['Li', 'Al', 'O', 'Cl', 'Cl', 'Li'],
  charges: [1, 1.8, -1.2, -0.7, -0.7, 1],
  moleculeIds: [0, 1, 1, 1, 1, 0],
  bonds: Uint32Array.from([1, 2, 1, 3, 1, 4]),
  bondTypes: Int32Array.from([1, 2, 2]),
  angles: Uint32Array.from([2, 1, 3]),
  angleTypes: Int32Array.from([1]),
});
const lattices = [
  Lattice.cubic(14.29),
  Lattice.fromParameters({ a: 9, b: 10, c: 11, alpha: 80, beta: 100, gamma: 115 }),
];

const frames = (lattice: Lattice, n: number, unwrappedOutside = false): Structure[] =>
  Array.from({ length: n }, (_, k) => {
    const frac = Float64Array.from(
      { length: 18 },
      (_, i) => ((i * 0.1373 + k * 0.0311) % 1) + (unwrappedOutside && i % 5 === 0 ? 1 + k : 0),
    );
    return {
      topology,
      frame: {
        positions: lattice.toCartesian(frac),
        lattice,
        step: 10 * k,
        velocities: Float64Array.from({ length: 18 }, (_, i) => 0.001 * (i - 9)),
      },
    };
  });

describe('round trips', () => {
  for (const [li, lattice] of lattices.entries()) {
    const tag = li === 0 ? 'cubic' : 'triclinic';
    for (const [name, file, nframes] of [
      ['poscar', 'POSCAR', 1],
      ['xdatcar', 'XDATCAR', 3],
      ['extxyz', 'run.extxyz', 3],
      ['extxyz (gz)', 'run.extxyz.gz', 3],
      ['lammps-dump', 'run.lammpstrj', 3],
      ['lammps-data', 'cell.data', 1],
      ['cif', 'cell.cif', 1],
    ] as [string, string, number][]) {
      it(`${name}, ${tag} cell`, async () => {
        const dir = tempDir();
        const path = join(dir, file);
        const input = frames(lattice, nframes, name === 'lammps-dump');
        expect(await writeFrames(path, input)).toBe(nframes);
        expect(readdirSync(dir)).toEqual([file]); // no temporary file left behind
        const back = await readAll(path);
        expect(back.length).toBe(nframes);
        for (let k = 0; k < nframes; k++) {
          const got = back[k];
          expect(got.topology.symbols).toEqual(topology.symbols);
          const a = input[k].frame.lattice!;
          const b = got.frame.lattice!;
          // LAMMPS and CIF store the cell in the standard orientation: compare parameters and fractional coordinates.
          const pa = a.parameters;
          const pb = b.parameters;
          for (const key of ['a', 'b', 'c', 'alpha', 'beta', 'gamma'] as const)
            expect(pb[key]).toBeCloseTo(pa[key], 9);
          expectClose(b.toFractional(got.frame.positions), a.toFractional(input[k].frame.positions), 1e-9);
        }
        if (name === 'lammps-data') {
          const t = back[0].topology;
          expect(Array.from(t.charges!)).toEqual(Array.from(topology.charges!));
          expect(Array.from(t.moleculeIds!)).toEqual(Array.from(topology.moleculeIds!));
          expect(Array.from(t.bonded.bonds!)).toEqual(Array.from(topology.bonded.bonds!));
          expect(Array.from(t.bonded.bondTypes!)).toEqual([1, 2, 2]);
          expect(Array.from(t.bonded.angles!)).toEqual([2, 1, 3]);
          expectClose(back[0].frame.velocities!, input[0].frame.velocities!, 1e-15);
        }
        if (name === 'lammps-dump' || name.startsWith('extxyz'))
          expect(back.map((s) => s.frame.step)).toEqual(input.map((s) => s.frame.step));
        // XDATCAR numbers its configurations, not the integrator steps.
        if (name === 'xdatcar')
          expect(back.map((s) => s.frame.step)).toEqual([undefined, undefined, undefined]);
        if (name.startsWith('extxyz')) expectClose(back[2].frame.velocities!, input[2].frame.velocities!, 0);
      });
    }
  }
  it('keeps a variable cell in XDATCAR (NPT) by repeating the header', async () => {
    const path = join(tempDir(), 'XDATCAR');
    const input = [0, 1, 2].map((k) => frames(Lattice.cubic(10 + k * 0.1), 1)[0]);
    await writeFrames(path, input);
    const back = await readAll(path);
    expect(back.map((s) => s.frame.lattice!.matrix[0])).toEqual([10, 10.1, 10.2]);
  });
  it('rejects a second frame for single-structure formats and leaves no file', async () => {
    const dir = tempDir();
    await expect(writeFrames(join(dir, 'POSCAR'), frames(lattices[0], 2))).rejects.toThrow(/one structure/);
    expect(existsSync(join(dir, 'POSCAR'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('has a round trip for every writable format', () => {
    expect(
      FORMATS.filter((f) => f.write)
        .map((f) => f.name)
        .sort(),
      // pdb, gro and mmcif (fixed precision): their round trips are in md-formats.test.ts.
    ).toEqual(['cif', 'extxyz', 'gro', 'lammps-data', 'lammps-dump', 'mmcif', 'pdb', 'poscar', 'xdatcar']);
  });
});
