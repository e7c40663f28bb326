/**
 * The embedded MD engine: its force kernel equals the reference direct sum (which equals LAMMPS,
 * test/forcefield); NVE conserves energy; the Nose-Hoover chain holds the temperature with
 * canonical kinetic-energy fluctuations; the oligomers stay whole.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseMix } from '../../src/builders/mix.js';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { supercell } from '../../src/builders/supercell.js';
import { blockAverage } from '../../src/core/statistics.js';
import { KB_KCAL } from '../../src/core/units.js';
import { computeEnergy } from '../../src/forcefield/energy.js';
import { type ForceField, LAOC_V1, withCoulomb } from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { ForceKernel, newForceOutput } from '../../src/md/force-kernel.js';
import { runMd, type ThermoRow } from '../../src/md/integrator.js';
import { energyDriftEvPerAtomPs, langevinStart, seededRandom } from '../helpers.js';

const glass = () => packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });

describe('force kernel', () => {
  // The second has explicit unlike pair terms (ff.pairs) in place of mixing for Li-Cl and Al-O.
  const withPairs: ForceField = {
    ...LAOC_V1,
    pairs: { 'Li-Cl_t': { sigma: 2.5, epsilon: 0.1 }, 'O_br-Al': { sigma: 3.2, epsilon: 0.02 } },
  };
  for (const ff of [LAOC_V1, withPairs])
    it(`equals the reference direct sum (energies and forces to 1e-9${ff.pairs ? ', explicit pair terms' : ''})`, () => {
      const s = packGlass({
        units: parseMix('1b:3,2b:2,AlCl4:2,LiCl:1', { seed: 2 }).map((u) => ({
          molecule: u.molecule,
          count: u.count,
        })),
        seed: 2,
      });
      const sys = typeSystem(s, ff);
      const ref = computeEnergy(s.frame.positions, s.frame.lattice!, sys, ff);
      const k = new ForceKernel(sys, ff, s.frame.lattice!);
      const f = new Float64Array(3 * sys.natoms);
      const out = newForceOutput();
      k.compute(s.frame.positions, f, out);
      for (const key of ['bond', 'angle', 'vdw', 'coulomb'] as const)
        expect(Math.abs(out.termsKcalMol[key] - ref.termsKcalMol[key])).toBeLessThan(
          1e-9 * Math.max(1, Math.abs(ref.termsKcalMol[key])),
        );
      for (let i = 0; i < f.length; i++) expect(Math.abs(f[i] - ref.forcesKcalMolA[i])).toBeLessThan(1e-8);
      for (let i = 0; i < 6; i++)
        expect(Math.abs(out.virialKcalMol[i] - ref.virialKcalMol[i])).toBeLessThan(
          1e-8 * Math.max(1, Math.abs(ref.virialKcalMol[i])),
        );
    });

  it('angles: forces and virial equal the reference away from the rest angles; no arrays allocated per angle', () => {
    // A built glass sits at its rest angles (angle energy ~1e-6 kcal/mol): displace every atom by
    // up to 0.15 A along each axis so that the angle forces are large.
    const s = glass();
    const rnd = seededRandom(11);
    const x = Float64Array.from(s.frame.positions, (p) => p + 0.3 * (rnd() - 0.5));
    const sys = typeSystem(s, LAOC_V1);
    expect(sys.angles.length / 3).toBeGreaterThan(100);
    const L = s.frame.lattice!;
    const ref = computeEnergy(x, L, sys, LAOC_V1);
    expect(ref.termsKcalMol.angle).toBeGreaterThan(10);
    const k = new ForceKernel(sys, LAOC_V1, L);
    const f = new Float64Array(3 * sys.natoms);
    const out = newForceOutput();
    k.compute(x, f, out);
    expect(Math.abs(out.termsKcalMol.angle / ref.termsKcalMol.angle - 1)).toBeLessThan(1e-12);
    for (let i = 0; i < f.length; i++) expect(Math.abs(f[i] - ref.forcesKcalMolA[i])).toBeLessThan(1e-8);
    for (let i = 0; i < 6; i++)
      expect(Math.abs(out.virialKcalMol[i] - ref.virialKcalMol[i])).toBeLessThan(
        1e-8 * Math.max(1, Math.abs(ref.virialKcalMol[i])),
      );
    // The angle loop runs for every angle at every step; it once built two small arrays per angle
    // (with map) to compute the end forces a second time for the virial.
    const map = vi.spyOn(Array.prototype, 'map');
    try {
      k.compute(x, f, out);
      expect(map).not.toHaveBeenCalled();
    } finally {
      map.mockRestore();
    }
  });
});

describe('Ewald in the engine', () => {
  it('the kernel equals the reference Ewald sum; NVE with Ewald conserves energy over 20 ps (1 fs)', async () => {
    const s = glass();
    const ff = withCoulomb(LAOC_V1, 'ewald');
    const sys = typeSystem(s, ff);
    const L = s.frame.lattice!;
    const ref = computeEnergy(s.frame.positions, L, sys, ff);
    const k = new ForceKernel(sys, ff, L);
    const f = new Float64Array(3 * sys.natoms);
    const out = newForceOutput();
    k.compute(s.frame.positions, f, out);
    expect(Math.abs(out.termsKcalMol.coulomb / ref.termsKcalMol.coulomb - 1)).toBeLessThan(1e-12);
    for (let i = 0; i < f.length; i++) expect(Math.abs(f[i] - ref.forcesKcalMolA[i])).toBeLessThan(1e-8);
    // Issue 5: conserved-energy drift below 1e-5 eV/atom/ps over 20 ps.
    const eq = await langevinStart(s.frame.positions, L, sys, ff);
    const rows: ThermoRow[] = [];
    await runMd(
      eq.positions,
      L,
      sys,
      ff,
      {
        ensemble: 'nve',
        temperatureK: 300,
        steps: 20000,
        thermoEvery: 200,
        newVelocities: false,
        onThermo: (r) => rows.push(r),
      },
      eq.velocities,
    );
    expect(Math.abs(energyDriftEvPerAtomPs(rows, sys.natoms, 'totalKcalMol'))).toBeLessThan(1e-5);
  }, 180_000);
});

describe('NPT (isotropic MTK barostat with the Nose-Hoover chain)', () => {
  it('conserves its extended energy, relaxes the density at 1 atm, and averages to the target pressure', async () => {
    const s = glass();
    const sys = typeSystem(s, LAOC_V1);
    const eq = await langevinStart(s.frame.positions, s.frame.lattice!, sys, LAOC_V1);
    const rows: ThermoRow[] = [];
    const final = await runMd(
      eq.positions,
      s.frame.lattice!,
      sys,
      LAOC_V1,
      {
        ensemble: 'npt',
        temperatureK: 300,
        pressureAtm: 1,
        steps: 10000,
        thermoEvery: 20,
        newVelocities: false,
        onThermo: (r) => rows.push(r),
      },
      eq.velocities,
    );
    // Extended energy (KE + PE + P V + barostat and thermostat terms): drift below 1e-5 eV/atom/ps.
    expect(Math.abs(energyDriftEvPerAtomPs(rows, sys.natoms, 'conservedKcalMol'))).toBeLessThan(1e-5);
    // The packed cell is compressed (+10,000 atm at 1.9 g/cm3): at 1 atm it expands.
    expect(final.lattice.volume).toBeGreaterThan(s.frame.lattice!.volume * 1.05);
    // Mean pressure over the last 5 ps: 128 atoms fluctuate by thousands of atm; within 2,000 of 1 atm.
    const late = rows.filter((r) => r.timeFs >= 5000).map((r) => r.pressureAtm);
    expect(Math.abs(late.reduce((a, b) => a + b, 0) / late.length - 1)).toBeLessThan(2000);
  }, 120_000);
});

describe('trimers stay intact at 700 K (issue 5)', () => {
  it('100 ps NVT at 700 K, 2 fs: every bond within 25 % of its rest length, no foreign O or Cl within 2.6 A of an Al', async () => {
    const s = glass();
    const sys = typeSystem(s, LAOC_V1);
    const L = s.frame.lattice!;
    const eq = await langevinStart(s.frame.positions, L, sys, LAOC_V1, 700, 2000);
    const bonded = new Set<number>();
    for (let b = 0; b < sys.bonds.length; b += 2)
      bonded.add(
        Math.min(sys.bonds[b], sys.bonds[b + 1]) * sys.natoms + Math.max(sys.bonds[b], sys.bonds[b + 1]),
      );
    const al = Array.from({ length: sys.natoms }, (_, i) => i).filter((i) => s.topology.symbol(i) === 'Al');
    const anions = Array.from({ length: sys.natoms }, (_, i) => i).filter((i) =>
      ['O', 'Cl'].includes(s.topology.symbol(i)),
    );
    let frames = 0;
    const d = new Float64Array(3);
    const check = (x: Float64Array) => {
      frames++;
      for (let b = 0; b < sys.bonds.length / 2; b++) {
        for (let c = 0; c < 3; c++) d[c] = x[3 * sys.bonds[2 * b] + c] - x[3 * sys.bonds[2 * b + 1] + c];
        expect(Math.abs(Math.sqrt(L.minimumImage(d)) / sys.bondParams[b].x0 - 1)).toBeLessThan(0.25);
      }
      for (const a of al)
        for (const o of anions) {
          if (bonded.has(Math.min(a, o) * sys.natoms + Math.max(a, o))) continue;
          for (let c = 0; c < 3; c++) d[c] = x[3 * a + c] - x[3 * o + c];
          expect(Math.sqrt(L.minimumImage(d))).toBeGreaterThan(2.6);
        }
    };
    await runMd(
      eq.positions,
      L,
      sys,
      LAOC_V1,
      {
        ensemble: 'nvt',
        temperatureK: 700,
        timeStepFs: 2,
        steps: 50000,
        thermoEvery: 5000,
        frameEvery: 500,
        newVelocities: false,
        onFrame: (_step, x) => check(x),
      },
      eq.velocities,
    );
    expect(frames).toBe(101);
  }, 300_000);
});

describe('cell lists for large cells', () => {
  it('a 3x3x3 supercell (3,456 atoms, built with cell lists) has 27 x the energy and the same forces', () => {
    const s = glass();
    const big = supercell(s, [3, 3, 3]);
    const run = (st: typeof s) => {
      const sys = typeSystem(st, LAOC_V1);
      const k = new ForceKernel(sys, LAOC_V1, st.frame.lattice!);
      const f = new Float64Array(3 * sys.natoms);
      const out = newForceOutput();
      k.compute(st.frame.positions, f, out);
      return { out, f };
    };
    const a = run(s);
    const b = run(big);
    for (const key of ['bond', 'angle', 'vdw', 'coulomb'] as const)
      expect(Math.abs(b.out.termsKcalMol[key] / 27 - a.out.termsKcalMol[key])).toBeLessThan(
        1e-9 * Math.max(1, Math.abs(a.out.termsKcalMol[key])),
      );
    // The first copy's atoms feel the same forces as the small cell's.
    for (let i = 0; i < a.f.length; i++) expect(Math.abs(b.f[i] - a.f[i])).toBeLessThan(1e-9);
  }, 60_000);
});

describe('dynamics of 8 x LAOC^0b + 24 Li (laoc-v1, DSF)', () => {
  it('NVE at 1 fs conserves energy: drift below 1e-5 eV/atom/ps over 2 ps', async () => {
    const s = glass();
    const sys = typeSystem(s, LAOC_V1);
    const L = s.frame.lattice!;
    const eq = await langevinStart(s.frame.positions, L, sys, LAOC_V1);
    const rows: ThermoRow[] = [];
    await runMd(
      eq.positions,
      L,
      sys,
      LAOC_V1,
      {
        ensemble: 'nve',
        temperatureK: 300,
        steps: 2000,
        thermoEvery: 100,
        newVelocities: false,
        onThermo: (r) => rows.push(r),
      },
      eq.velocities,
    );
    // Drift: slope of the total energy over time (least squares), per atom, in eV/ps.
    expect(Math.abs(energyDriftEvPerAtomPs(rows, sys.natoms, 'totalKcalMol'))).toBeLessThan(1e-5);
  }, 60_000);

  it('NVT (Nose-Hoover chain): mean temperature and kinetic-energy spread as in the canonical ensemble; trimers whole', async () => {
    const s = glass();
    const sys = typeSystem(s, LAOC_V1);
    const L = s.frame.lattice!;
    const eq = await langevinStart(s.frame.positions, L, sys, LAOC_V1);
    const rows: ThermoRow[] = [];
    const final = await runMd(
      eq.positions,
      L,
      sys,
      LAOC_V1,
      {
        ensemble: 'nvt',
        temperatureK: 300,
        steps: 30000,
        thermoEvery: 10,
        newVelocities: false,
        onThermo: (r) => rows.push(r),
      },
      eq.velocities,
    );
    const T = rows.slice(100).map((r) => r.temperatureK);
    // Issue 5: the mean within 1 % of the target. 29 ps of 128 atoms: the block-averaged standard
    // error of the mean is about 0.4 %, so 1 % is also a test of the thermostat's bias.
    const b = blockAverage(T);
    expect(Math.abs(b.mean / 300 - 1), `mean ${b.mean} +- ${b.standardError} K`).toBeLessThan(0.01);
    expect(b.standardError / 300).toBeLessThan(0.005);
    // Canonical kinetic energy: variance (dof / 2) (kT)^2.
    const dof = 3 * sys.natoms - 3;
    const ke = rows.slice(100).map((r) => r.kineticKcalMol);
    const km = ke.reduce((a, b) => a + b, 0) / ke.length;
    const variance = ke.reduce((a, b) => a + (b - km) ** 2, 0) / (ke.length - 1);
    const canonical = (dof / 2) * (KB_KCAL * 300) ** 2;
    expect(variance / canonical).toBeGreaterThan(0.65);
    expect(variance / canonical).toBeLessThan(1.35);
    // Every bond within 25 % of its rest length at the end.
    for (let b = 0; b < sys.bonds.length / 2; b++) {
      const d = new Float64Array(3);
      for (let x = 0; x < 3; x++)
        d[x] = final.positions[3 * sys.bonds[2 * b] + x] - final.positions[3 * sys.bonds[2 * b + 1] + x];
      const r = Math.sqrt(L.minimumImage(d));
      expect(Math.abs(r / sys.bondParams[b].x0 - 1)).toBeLessThan(0.25);
    }
  }, 120_000);
});
