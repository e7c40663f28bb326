/**
 * Every peer fixture (test/fixtures/shared: the shared data's files, copied with their licences)
 * loads, and agrees with what peer tools read from the same file: frame count, atom count, species,
 * cell, first and last coordinates. The reference values are in test/reference/peer-io.json, made by
 * test/reference/make-references.py with Debian's ASE 3.22.1, MDAnalysis 2.4.2 and pymatgen
 * 2022.11.7 (each entry names the exact call). MDAnalysis's GPL random walk stays out of the
 * repository: test/fixtures/mdanalysis-like stands in for it (test/fixtures/make-mdanalysis-like.py);
 * the original is checked only when ../shared/data is beside the repository.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectClose, optionalShared, readAll, sharedFixture } from '../helpers.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const REF = JSON.parse(readFileSync(new URL('../reference/peer-io.json', import.meta.url), 'utf8'));
/** MDAnalysis on test/fixtures/mdanalysis-like (made by test/fixtures/make-mdanalysis-like.py). */
const MDA_LIKE = JSON.parse(
  readFileSync(new URL('../reference/mdanalysis-like.json', import.meta.url), 'utf8'),
);

const matrix = (s: { frame: { lattice?: { matrix: Float64Array } } }) => Array.from(s.frame.lattice!.matrix);

describe('text trajectories agree with ASE', () => {
  const cases: [string, object][] = [
    ['peer-trajectories/derived/LGPS_600K_unwrapped.extxyz.gz', {}],
    ['peer-trajectories/kinisi/example_XDATCAR.gz', {}],
    ['peer-trajectories/kinisi/example_drift.XDATCAR', {}],
    ['peer-trajectories/kinisi/example_center.XDATCAR', {}],
    // ASE types LAMMPS atoms by type number (1 -> H, 2 -> He); give the same map.
    ['peer-trajectories/kinisi/example_LAMMPS_drift.traj', { typeMap: ['H', 'He'], format: 'lammps-dump' }],
    ['peer-trajectories/kinisi/example_LAMMPS_center.traj', { typeMap: ['H', 'He'], format: 'lammps-dump' }],
    ['peer-trajectories/kinisi/example_LAMMPS.data', { typeMap: ['H', 'He'] }],
    ['peer-trajectories/kinisi/example_ase_drift.traj', {}],
    ['peer-trajectories/kinisi/example_ase_center.traj', {}],
  ];
  for (const [rel, options] of cases) {
    it(rel, async () => {
      const ref = REF[rel];
      const frames = await readAll(sharedFixture(rel), options);
      expect(frames.length).toBe(ref.frames);
      const first = frames[0];
      const last = frames[frames.length - 1];
      expect(first.topology.natoms).toBe(ref.atoms);
      expect(first.topology.symbols).toEqual(ref.species);
      const tol = 1e-9;
      matrix(first).forEach((x, i) => {
        expect(x).toBeCloseTo(ref.cell.flat()[i], 9);
      });
      matrix(last).forEach((x, i) => {
        expect(x).toBeCloseTo(ref.cellLast.flat()[i], 9);
      });
      const p0 = first.frame.positions;
      const pl = last.frame.positions;
      for (let k = 0; k < 3; k++) {
        expect(Math.abs(p0[k] - ref.first[k])).toBeLessThan(tol);
        expect(Math.abs(pl[pl.length - 3 + k] - ref.last[k])).toBeLessThan(tol);
      }
    });
  }
  it('reads frame times from the extended XYZ (20 fs apart)', async () => {
    const frames = await readAll(sharedFixture('peer-trajectories/derived/LGPS_600K_unwrapped.extxyz.gz'), {
      frames: { start: 0, stop: 3 },
    });
    expect(frames.map((f) => f.frame.timeFs)).toEqual([0, 20, 40]);
  });
});

describe('ASE .traj (Ulm) agrees with ASE on every quantity it stores', () => {
  it('test/fixtures/ase-rich.traj: triclinic cell, masses, momenta, energy, forces, stress', async () => {
    const ref = REF['fixtures/ase-rich.traj'];
    const frames = await readAll(fixture('ase-rich.traj'));
    expect(frames.length).toBe(ref.frames);
    expect(frames[0].topology.symbols).toEqual(ref.species);
    expectClose(frames[0].topology.masses, ref.masses, 0);
    frames.forEach((s, k) => {
      expectClose(s.frame.lattice!.matrix, ref.cell[k].flat(), 0);
      expectClose(s.frame.positions, ref.positions[k].flat(), 0);
      expectClose(s.frame.velocities!, ref.velocitiesAPerFs[k].flat(), 1e-15);
      expect(s.frame.energy).toBe(ref.energy[k]);
      expectClose(s.frame.forces!, ref.forces[k].flat(), 0);
      expectClose(s.frame.stress!, ref.stress3x3[k].flat(), 0);
    });
  });
});

describe('pymatgen-analysis-diffusion fixtures', () => {
  const dir = 'peer-trajectories/pymatgen-analysis-diffusion/';
  it('cNa3PS4_trajectories.npy with the atoms and cell of cNa3PS4.cif', async () => {
    const ref = REF[`${dir}cNa3PS4_trajectories.npy`];
    const [cif] = await readAll(sharedFixture(`${dir}cNa3PS4.cif`));
    const frames = await readAll(sharedFixture(`${dir}cNa3PS4_trajectories.npy`), {
      topology: cif.topology,
      cell: cif.frame.lattice,
    });
    expect(frames.length).toBe(ref.frames);
    expect(frames[0].topology.symbols).toEqual(ref.species);
    const L = cif.frame.lattice!;
    expectClose(L.toFractional(frames[0].frame.positions.subarray(0, 3)), ref.firstFrac, 1e-12);
    expectClose(L.toFractional(frames.at(-1)!.frame.positions.subarray(-3)), ref.lastFrac, 1e-12);
    // A periodic distance, which does not depend on how each program orients the cell.
    const p = frames.at(-1)!.frame.positions;
    const d = Float64Array.of(p[3] - p[0], p[4] - p[1], p[5] - p[2]);
    expect(Math.sqrt(L.minimumImage(d))).toBeCloseTo(ref.lastDistance01, 10);
  });
  it('an .npy without a topology is refused with the reason (the option, not a CLI flag)', async () => {
    await expect(readAll(sharedFixture(`${dir}cNa3PS4_trajectories.npy`))).rejects.toThrow(
      /give them with `topology`/,
    );
  });
  it('DiffusionAnalyzer.json: structure + displacements give the frames of the derived LGPS file', async () => {
    // The derived extxyz was written from this JSON (see PROVENANCE.md) and is checked against ASE above.
    // The JSON is stored gzipped (test/fixtures/shared/peer-trajectories/PROVENANCE.md).
    const json = await readAll(sharedFixture(`${dir}DiffusionAnalyzer.json.gz`));
    const xyz = await readAll(sharedFixture('peer-trajectories/derived/LGPS_600K_unwrapped.extxyz.gz'));
    expect(json.length).toBe(1000);
    expect(json[0].topology.symbols).toEqual(xyz[0].topology.symbols);
    expect(json[0].run).toMatchObject({ timeStepFs: 2, temperatureK: 600 });
    expect(json[999].frame.timeFs).toBe(999 * 20);
    expect(json[999].frame.unwrapped).toBe(true);
    for (const k of [0, 1, 500, 999]) expectClose(json[k].frame.positions, xyz[k].frame.positions, 1e-9);
  });
  it('pymatgen Trajectory (variable cell) and Structure JSON agree with pymatgen', async () => {
    const rt = REF['fixtures/pymatgen-trajectory.json'];
    const frames = await readAll(fixture('pymatgen-trajectory.json'));
    expect(frames.length).toBe(rt.frames);
    expect(frames[0].topology.symbols).toEqual(rt.species);
    frames.forEach((f, k) => {
      expectClose(f.frame.lattice!.matrix, rt.matrix[k].flat(), 1e-12);
      expectClose(f.frame.positions, rt.cart[k].flat(), 1e-12);
    });
    expect(frames.map((f) => f.frame.timeFs)).toEqual([0, 2, 4]);
    const rs = REF['fixtures/pymatgen-structure.json'];
    const [s] = await readAll(fixture('pymatgen-structure.json'));
    expect(s.topology.symbols).toEqual(rs.species);
    expectClose(s.frame.positions, rs.cart.flat(), 1e-12);
  });
  it('cNa3PS4_pda.json (a DiffusionAnalyzer of 128 atoms and 100 frames)', async () => {
    const frames = await readAll(sharedFixture(`${dir}cNa3PS4_pda.json.gz`));
    expect(frames.length).toBe(100);
    expect(frames[0].topology.counts()).toEqual(
      new Map([
        ['Na', 48],
        ['P', 16],
        ['S', 64],
      ]),
    );
    expect(frames[0].run?.temperatureK).toBe(800);
  });
});

describe('binary trajectories agree with MDAnalysis', () => {
  it('DCD (LAMMPS, with unit cell)', async () => {
    const rel = 'peer-trajectories/kinisi/example_LAMMPS.dcd';
    const ref = REF[rel];
    const frames = await readAll(sharedFixture(rel));
    expect(frames.length).toBe(ref.frames);
    expect(frames[0].topology.natoms).toBe(ref.atoms);
    const p = frames[0].frame.lattice!.parameters;
    [p.a, p.b, p.c, p.alpha, p.beta, p.gamma].forEach((x, i) => {
      expect(x).toBeCloseTo(ref.dimensions[i], 5);
    });
    // float32 coordinates, converted exactly to double.
    expect(Array.from(frames[0].frame.positions.slice(0, 3))).toEqual(ref.first);
    expect(Array.from(frames.at(-1)!.frame.positions.slice(-3))).toEqual(ref.last);
  });
  it('DCD takes its species from a topology file', async () => {
    const topo = (
      await readAll(sharedFixture('peer-trajectories/kinisi/example_LAMMPS.data'), { typeMap: ['Li', 'Cl'] })
    )[0].topology;
    const frames = await readAll(sharedFixture('peer-trajectories/kinisi/example_LAMMPS.dcd'), {
      topology: topo,
      frames: { stop: 1 },
    });
    expect(frames[0].topology.counts()).toEqual(topo.counts());
  });
  type XtcRef = {
    frames: number;
    atoms: number;
    firstTimePs: number;
    lastTimePs: number;
    lastFrameAll: number[][];
  };
  const checkXtc = async (path: string, ref: XtcRef) => {
    const frames = await readAll(path);
    expect(frames.length).toBe(ref.frames);
    expect(frames[0].topology.natoms).toBe(ref.atoms);
    expect(frames[0].frame.timeFs).toBeCloseTo(ref.firstTimePs * 1000, 6);
    expect(frames.at(-1)!.frame.timeFs).toBeCloseTo(ref.lastTimePs * 1000, 3);
    const p = frames.at(-1)!.frame.positions;
    // MDAnalysis multiplies in float32; we decode in double: agree to float32 precision.
    ref.lastFrameAll.forEach((xyz: number[], i: number) => {
      for (let k = 0; k < 3; k++)
        expect(Math.abs(p[3 * i + k] - xyz[k])).toBeLessThan(2e-5 * Math.max(1, Math.abs(xyz[k])));
    });
  };
  it('XTC (compressed; test/fixtures/mdanalysis-like), every atom of the last frame', () =>
    checkXtc(
      fixture('mdanalysis-like/random-walk.xtc'),
      MDA_LIKE['fixtures/mdanalysis-like/random-walk.xtc'],
    ));
  // MDAnalysis's own XTC is GPL: read from ../shared/data when it is there, else skipped.
  const gplXtc = 'peer-trajectories/mdanalysis-gpl/xyz_random_walk.xtc';
  const gplXtcPath = optionalShared(gplXtc);
  it.skipIf(!gplXtcPath)('XTC of MDAnalysis (GPL, ../shared/data), every atom of the last frame', () =>
    checkXtc(gplXtcPath!, REF[gplXtc]),
  );
});

describe('CIF files agree with pymatgen (symmetry expanded, duplicates merged)', () => {
  for (const rel of [
    'structures/LiAlCl4_COD1004036.cif',
    'structures/NaAlCl4_COD1004043.cif',
    'structures/TiO2_rutile-fit_srreal.cif',
    'peer-trajectories/pymatgen-analysis-diffusion/cNa3PS4.cif',
    // No operations listed: expanded from the Hermann-Mauguin symbol (origin choice 1, hexagonal axes).
    'structures/LiCl_rocksalt.cif',
    'fixtures/symbol-only-Fd-3m.cif',
    'fixtures/symbol-only-R-3m-hexagonal.cif',
  ]) {
    it(rel, async () => {
      const ref = REF[rel];
      const path = rel.startsWith('fixtures/') ? fixture(rel.slice(9)) : sharedFixture(rel);
      const [s] = await readAll(path);
      expect(s.topology.natoms).toBe(ref.atoms);
      const p = s.frame.lattice!.parameters;
      [p.a, p.b, p.c].forEach((x, i) => {
        expect(x).toBeCloseTo(ref.abc[i], 9);
      });
      [p.alpha, p.beta, p.gamma].forEach((x, i) => {
        expect(x).toBeCloseTo(ref.angles[i], 9);
      });
      expect(s.frame.lattice!.volume).toBeCloseTo(ref.volume, 6);
      const f = s.frame.lattice!.toFractional(s.frame.positions);
      // Every reference site has exactly one of ours of the same element within 1e-6 (fractional, periodic).
      const used = new Uint8Array(s.topology.natoms);
      for (const [el, ...xyz] of ref.sites as [string, number, number, number][]) {
        let match = -1;
        for (let i = 0; i < s.topology.natoms && match < 0; i++) {
          if (used[i] || s.topology.symbol(i) !== el) continue;
          const d = xyz.map((x, k) => {
            const t = f[3 * i + k] - x;
            return Math.abs(t - Math.round(t));
          });
          if (Math.max(...d) < 1e-6) match = i;
        }
        expect(match, `${el} ${xyz.join(' ')}`).toBeGreaterThanOrEqual(0);
        used[match] = 1;
      }
    });
  }
});
