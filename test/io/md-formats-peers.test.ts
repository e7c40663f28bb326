/**
 * PDB, GRO and mmCIF files as MDAnalysis, ASE and Biopython read them. The files are ours, written
 * by those tools (test/fixtures/make-md-topologies.py: MDAnalysis 2.4.2, ASE 3.22.1, Biopython
 * 1.80); the reference values are in test/reference/md-topologies.json, made by
 * test/reference/make-topology-references.py (each entry names the exact call). MDAnalysis's own
 * random walk (GPL) is read from ../shared in place when it is there.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Structure } from '../../src/core/frame.js';
import { expectClose, fixture, optionalShared, readAll } from '../helpers.js';

const REF = JSON.parse(readFileSync(new URL('../reference/md-topologies.json', import.meta.url), 'utf8'));

/** MDAnalysis spells guessed types in upper case ('CL') and a TIP4P virtual site DUMMY (our X). */
const element = (s: string) => (s === 'DUMMY' || s === '' ? 'X' : s[0] + s.slice(1).toLowerCase());

/** MDAnalysis keeps coordinates in float32: agree to its precision. */
const closeF32 = (got: ArrayLike<number>, want: number[]) => {
  expect(got.length).toBe(want.length);
  for (let k = 0; k < want.length; k++)
    expect(Math.abs(got[k] - want[k]), `${got[k]} vs ${want[k]}`).toBeLessThanOrEqual(
      2e-6 * Math.max(1, Math.abs(want[k])),
    );
};
const firstAtom = (s: Structure) => s.frame.positions.subarray(0, 3);
const lastAtom = (s: Structure) => s.frame.positions.subarray(-3);
const cellParameters = (s: Structure) => {
  const p = s.frame.lattice!.parameters;
  return [p.a, p.b, p.c, p.alpha, p.beta, p.gamma];
};
/** Bonds as sorted pairs, sorted. */
const bondPairs = (s: Structure) => {
  const b = s.topology.bonded.bonds!;
  const out: number[][] = [];
  for (let k = 0; k < b.length; k += 2) out.push([Math.min(b[k], b[k + 1]), Math.max(b[k], b[k + 1])]);
  return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
};

describe('PDB agrees with MDAnalysis and ASE', () => {
  it('md-electrolyte.pdb (MDAnalysis PDBWriter: 3 models, CONECT, one CRYST1 before MODEL 1)', async () => {
    const mda = REF['md-electrolyte.pdb'].MDAnalysis;
    const ase = REF['md-electrolyte.pdb'].ASE;
    const frames = await readAll(fixture('md-electrolyte.pdb'));
    expect(frames.length).toBe(mda.frames.length);
    expect(frames[0].topology.symbols).toEqual(mda.elements);
    expect(bondPairs(frames[0])).toEqual(mda.bonds);
    frames.forEach((s, k) => {
      expect(s.topology).toBe(frames[0].topology);
      closeF32(firstAtom(s), mda.frames[k].first);
      closeF32(lastAtom(s), mda.frames[k].last);
      // ASE parses the same columns in double precision: exactly equal.
      expect(Array.from(firstAtom(s))).toEqual(ase.frames[k].first);
      expect(Array.from(lastAtom(s))).toEqual(ase.frames[k].last);
      expect(s.topology.symbols).toEqual(ase.frames[k].symbols);
      // The CRYST1 before MODEL 1 holds for every model. MDAnalysis 2.4 reads it for none (it
      // starts each frame at its MODEL record), ASE for the first model only (it forgets the cell
      // at each ENDMDL).
      expectClose(cellParameters(s), ase.frames[0].cellpar, 1e-12);
    });
    expect(mda.frames[0].dimensions).toBeNull();
    expect(ase.frames[1].pbc).toEqual([false, false, false]);
    // ASE also makes an empty image of the END record after the last ENDMDL.
    expect(ase.frames.length).toBe(4);
    expect(ase.frames[3].atoms).toBe(0);
  });
  it('md-electrolyte-guess.pdb: no element columns (elements from the names) and no cell (CRYST1 1 1 1)', async () => {
    const mda = REF['md-electrolyte-guess.pdb'].MDAnalysis;
    const warnings: string[] = [];
    const [s] = await readAll(fixture('md-electrolyte-guess.pdb'), { onWarning: (m) => warnings.push(m) });
    expect(mda.elementsFrom).toMatch(/guessed/);
    expect(s.topology.symbols).toEqual(mda.elements.map(element));
    expect(s.topology.symbols.slice(0, 7)).toEqual(['Li', 'Na', 'Al', 'Cl', 'Cl', 'Cl', 'Cl']);
    expect(s.topology.symbol(21)).toBe('X'); // MW, the TIP4P virtual site
    expect(s.frame.lattice).toBeUndefined();
    expect(mda.frames[0].dimensions).toBeNull();
    closeF32(firstAtom(s), mda.frames[0].first);
    closeF32(lastAtom(s), mda.frames[0].last);
    expect(warnings).toEqual([]);
    // ASE gives up on the name MW.
    expect(REF['md-electrolyte-guess.pdb'].ASE.error).toMatch(/MW/);
  });
  it('md-electrolyte-npt.pdb: a CRYST1 before each MODEL, HETATM, TER, hybrid-36 serials, no END', async () => {
    const mda = REF['md-electrolyte-npt.pdb'].MDAnalysis;
    const ase = REF['md-electrolyte-npt.pdb'].ASE;
    const frames = await readAll(fixture('md-electrolyte-npt.pdb'));
    expect(frames.length).toBe(3);
    expect(frames[0].topology.symbols).toEqual(mda.elements);
    frames.forEach((s, k) => {
      closeF32(cellParameters(s), mda.frames[k].dimensions);
      expectClose(cellParameters(s), ase.frames[k].cellpar, 1e-12);
      expect(Array.from(firstAtom(s))).toEqual(ase.frames[k].first);
      expect(Array.from(lastAtom(s))).toEqual(ase.frames[k].last);
      closeF32(lastAtom(s), mda.frames[k].last);
    });
    expect(frames[2].frame.lattice!.parameters.a).toBeCloseTo(12.546, 12);
  });
  it('md-electrolyte-npt-after.pdb: each CRYST1 after its model (as MDAnalysis reads it; ASE gives it to the next)', async () => {
    const mda = REF['md-electrolyte-npt-after.pdb'].MDAnalysis;
    const ase = REF['md-electrolyte-npt-after.pdb'].ASE;
    const frames = await readAll(fixture('md-electrolyte-npt-after.pdb'));
    const before = await readAll(fixture('md-electrolyte-npt.pdb'));
    expect(frames.length).toBe(3);
    frames.forEach((s, k) => {
      closeF32(cellParameters(s), mda.frames[k].dimensions);
      expect(s.frame.lattice!.matrix).toEqual(before[k].frame.lattice!.matrix);
      expect(Array.from(lastAtom(s))).toEqual(ase.frames[k].last);
    });
    expect(ase.frames[0].pbc).toEqual([false, false, false]);
    expectClose(ase.frames[1].cellpar, mda.frames[0].dimensions, 1e-5);
  });
});

describe('GRO agrees with MDAnalysis and ASE', () => {
  it('md-electrolyte.gro (MDAnalysis GROWriter: triclinic box, velocities)', async () => {
    const mda = REF['md-electrolyte.gro'].MDAnalysis;
    const ase = REF['md-electrolyte.gro'].ASE.frames[0];
    const [s] = await readAll(fixture('md-electrolyte.gro'));
    expect(s.topology.symbols).toEqual(mda.elements.map(element));
    // nm * 10 in double, as ASE: the same numbers.
    expect(Array.from(s.frame.lattice!.matrix)).toEqual(ase.cell.flat());
    expect(Array.from(firstAtom(s))).toEqual(ase.first);
    expect(Array.from(lastAtom(s))).toEqual(ase.last);
    closeF32(firstAtom(s), mda.frames[0].first);
    // MDAnalysis turns the box vectors into lengths and angles in float32.
    expectClose(cellParameters(s), mda.frames[0].dimensions, 2e-4);
    // Velocities: nm/ps in the file, A/fs here, A/ps in MDAnalysis.
    closeF32(
      Array.from(s.frame.velocities!.subarray(0, 3), (v) => v * 1000),
      mda.frames[0].velocityFirstAPerPs,
    );
    closeF32(
      Array.from(s.frame.velocities!.subarray(-3), (v) => v * 1000),
      mda.frames[0].velocityLastAPerPs,
    );
    expectClose(s.frame.velocities!.subarray(0, 3), ase.velocityFirstAPerFs, 1e-15);
  });
  it('md-electrolyte-ase.gro (ASE: names are symbols, no newline after the box line)', async () => {
    const mda = REF['md-electrolyte-ase.gro'].MDAnalysis;
    const ase = REF['md-electrolyte-ase.gro'].ASE.frames[0];
    expect(readFileSync(fixture('md-electrolyte-ase.gro'), 'latin1').endsWith('\n')).toBe(false);
    const warnings: string[] = [];
    const frames = await readAll(fixture('md-electrolyte-ase.gro'), { onWarning: (m) => warnings.push(m) });
    expect(frames.length).toBe(1);
    expect(warnings).toEqual([]);
    const [s] = frames;
    expect(s.topology.symbols).toEqual(ase.symbols);
    expect(s.topology.symbol(0)).toBe('Ca');
    // MDAnalysis reads the name "Ca" as carbon (its guess knows upper-case names: CA, the alpha carbon).
    expect(element(mda.elements[0])).toBe('C');
    expect(s.topology.symbols.slice(1)).toEqual(mda.elements.slice(1).map(element));
    expect(Array.from(s.frame.lattice!.matrix)).toEqual(ase.cell.flat());
    expect(Array.from(lastAtom(s))).toEqual(ase.last);
  });
  it('md-electrolyte-traj.gro: three frames, time and step from the GROMACS titles', async () => {
    const mda = REF['md-electrolyte-traj.gro'].MDAnalysis;
    const frames = await readAll(fixture('md-electrolyte-traj.gro'));
    expect(frames.length).toBe(3);
    expect(frames.map((s) => s.frame.timeFs)).toEqual([0, 500, 1000]);
    expect(frames.map((s) => s.frame.step)).toEqual([0, 250, 500]);
    frames.forEach((s, k) => {
      expect(s.topology).toBe(frames[0].topology);
      expect(s.topology.symbols).toEqual(mda.elements.map(element));
      closeF32(firstAtom(s), mda.frames[k].first);
      closeF32(lastAtom(s), mda.frames[k].last);
      expectClose(cellParameters(s), mda.frames[k].dimensions, 2e-4);
      closeF32(
        Array.from(s.frame.velocities!.subarray(0, 3), (v) => v * 1000),
        mda.frames[k].velocityFirstAPerPs,
      );
    });
  });
});

describe('XTC and DCD take their atoms from a GRO or PDB topology, as MDAnalysis', () => {
  for (const ext of ['xtc', 'dcd']) {
    it(`md-electrolyte.${ext} with md-electrolyte.gro`, async () => {
      const mda = REF[`md-electrolyte.${ext}`].MDAnalysis;
      const [gro] = await readAll(fixture('md-electrolyte.gro'));
      const frames = await readAll(fixture(`md-electrolyte.${ext}`), { topology: gro.topology });
      expect(frames.length).toBe(mda.frames.length);
      expect(frames[0].topology.symbols).toEqual(mda.elements.map(element));
      frames.forEach((s, k) => {
        // XTC: MDAnalysis decodes in float32, we in double.
        for (const [got, want] of [
          [firstAtom(s), mda.frames[k].first],
          [lastAtom(s), mda.frames[k].last],
        ] as const)
          for (let d = 0; d < 3; d++)
            expect(Math.abs(got[d] - want[d])).toBeLessThan(2e-5 * Math.max(1, Math.abs(want[d])));
        expectClose(cellParameters(s), mda.frames[k].dimensions, 2e-4);
      });
    });
  }
  it('the same atoms from the PDB of the same system', async () => {
    const [pdb] = await readAll(fixture('md-electrolyte.pdb'));
    const frames = await readAll(fixture('md-electrolyte.xtc'), { topology: pdb.topology });
    expect(frames[0].topology.symbols).toEqual(pdb.topology.symbols);
    expect(frames[0].topology.bonded.bonds).toEqual(pdb.topology.bonded.bonds);
  });
  const walk = 'peer-trajectories/mdanalysis-gpl/';
  const walkPdb = optionalShared(`${walk}RANDOM_WALK_TOPO.pdb`);
  const walkXtc = optionalShared(`${walk}xyz_random_walk.xtc`);
  it.skipIf(!walkPdb || !walkXtc)(
    'MDAnalysis RANDOM_WALK_TOPO.pdb as topology of xyz_random_walk.xtc (../shared, GPL)',
    async () => {
      const ref = REF[`shared:${walk}RANDOM_WALK_TOPO.pdb+xyz_random_walk.xtc`].MDAnalysis;
      const topoRef = REF[`shared:${walk}RANDOM_WALK_TOPO.pdb`].MDAnalysis;
      const [topo] = await readAll(walkPdb!);
      // Element column X (no chemical identity; MDAnalysis leaves the element empty); CRYST1 of zeros: no cell.
      expect(topo.topology.symbols).toEqual(topoRef.elements.map(element));
      expect(topo.frame.lattice).toBeUndefined();
      expect(topoRef.frames[0].dimensions).toBeNull();
      closeF32(firstAtom(topo), topoRef.frames[0].first);
      closeF32(lastAtom(topo), topoRef.frames[0].last);
      const frames = await readAll(walkXtc!, { topology: topo.topology });
      expect(frames.length).toBe(ref.frames.length);
      expect(frames[0].topology.natoms).toBe(ref.atoms);
      for (const k of [0, ref.frames.length - 1])
        for (const [got, want] of [
          [firstAtom(frames[k]), ref.frames[k].first],
          [lastAtom(frames[k]), ref.frames[k].last],
        ] as const)
          for (let d = 0; d < 3; d++)
            expect(Math.abs(got[d] - want[d])).toBeLessThan(2e-5 * Math.max(1, Math.abs(want[d])));
    },
  );
});

describe('mmCIF agrees with Biopython', () => {
  it('md-electrolyte.cif (Biopython MMCIFIO: 3 models, upper-case type_symbol, a _cell)', async () => {
    const bio = REF['md-electrolyte.cif'].Biopython;
    const frames = await readAll(fixture('md-electrolyte.cif'));
    expect(frames.length).toBe(bio.models);
    expect(frames.map((s) => s.topology.natoms)).toEqual(bio.atomsPerModel);
    expect(frames[0].topology.symbols).toEqual(bio.elements.map(element));
    closeF32(firstAtom(frames[0]), bio.first);
    closeF32(lastAtom(frames.at(-1)!), bio.last);
    frames.forEach((s, k) => {
      closeF32(firstAtom(s), bio.modelFirst[k]);
      expectClose(cellParameters(s), bio.cell, 1e-12);
    });
    // The same atoms, cell and coordinates as the PDB it was converted from.
    const pdb = await readAll(fixture('md-electrolyte.pdb'));
    frames.forEach((s, k) => {
      expect(Array.from(s.frame.positions)).toEqual(Array.from(pdb[k].frame.positions));
    });
    // ASE 3.22 reads no atoms from a PDBx file (it knows the CIF 1 _atom_site_Cartn_x only).
    expect(REF['md-electrolyte.cif'].ASE.frames).toEqual([]);
  });
});
