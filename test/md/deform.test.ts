/**
 * Per-axis (aniso) MTK barostat and constant-strain-rate deformation (issue 5: NPT per axis;
 * issue 6: tensile along x and shear in yz with the other boundaries at zero pressure).
 */
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { computeEnergy } from '../../src/forcefield/energy.js';
import { LAOC_V1, withCoulomb } from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { ForceKernel, newForceOutput } from '../../src/md/force-kernel.js';
import { type MdCheckpoint, runMd, type ThermoRow } from '../../src/md/integrator.js';
import { energyDriftEvPerAtomPs, langevinStart } from '../helpers.js';

const s = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });
const sys = typeSystem(s, LAOC_V1);
const L = s.frame.lattice!;

const slopePerPs = (rows: ThermoRow[]) => energyDriftEvPerAtomPs(rows, sys.natoms, 'conservedKcalMol');

describe('aniso NPT and deformation', async () => {
  const eq = await langevinStart(s.frame.positions, L, sys, LAOC_V1);
  const rows: ThermoRow[] = [];
  const relaxed = await runMd(
    eq.positions,
    L,
    sys,
    LAOC_V1,
    {
      ensemble: 'npt',
      barostat: 'aniso',
      temperatureK: 300,
      pressureAtm: 0,
      steps: 6000,
      thermoEvery: 20,
      newVelocities: false,
      onThermo: (r) => rows.push(r),
    },
    eq.velocities,
  );

  it('aniso NPT conserves its extended energy; the edges relax separately, the cell stays orthorhombic', () => {
    expect(Math.abs(slopePerPs(rows))).toBeLessThan(1e-5);
    const m = relaxed.lattice.matrix;
    expect([m[1], m[2], m[3], m[5], m[6], m[7]]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(relaxed.lattice.volume).toBeGreaterThan(L.volume * 1.05);
    const edges = [m[0], m[4], m[8]];
    expect(Math.max(...edges) - Math.min(...edges)).toBeGreaterThan(0.01);
  });

  it('tensile x: L_x = L0 (1 + R t) exactly; y and z held near zero pressure; sigma_xx rises', async () => {
    const R = 0.02 / 1000; // 0.02 /ps, fast enough to see the stress in 2.5 ps
    const L0 = relaxed.lattice.matrix[0];
    const out: ThermoRow[] = [];
    await runMd(
      relaxed.positions,
      relaxed.lattice,
      sys,
      LAOC_V1,
      {
        ensemble: 'npt',
        barostat: 'aniso',
        barostatAxes: [false, true, true],
        deform: { component: 'x', ratePerFs: R },
        temperatureK: 300,
        pressureAtm: 0,
        steps: 2500,
        thermoEvery: 10,
        newVelocities: false,
        onThermo: (r) => out.push(r),
      },
      relaxed.velocities,
    );
    for (const r of out) expect(Math.abs(r.cell[0] / (L0 * (1 + R * r.timeFs)) - 1)).toBeLessThan(1e-12);
    const late = out.filter((r) => r.timeFs > 1000);
    const mean = (f: (r: ThermoRow) => number) => late.reduce((a, r) => a + f(r), 0) / late.length;
    // Lateral pressure: 128 atoms fluctuate by thousands of atm.
    expect(Math.abs(mean((r) => (r.pressureTensorAtm[1] + r.pressureTensorAtm[2]) / 2))).toBeLessThan(2500);
    const early = out.filter((r) => r.timeFs < 500);
    const sxx = (rs: ThermoRow[]) => -rs.reduce((a, r) => a + r.pressureTensorAtm[0], 0) / rs.length;
    expect(sxx(out.slice(-50))).toBeGreaterThan(sxx(early));
  });

  it('shear yz: the tilt is T0 + R t lz0; a stopped and resumed shear run is bitwise the same', async () => {
    const R = 0.02 / 1000;
    const lz0 = relaxed.lattice.matrix[8];
    const base = {
      ensemble: 'npt' as const,
      barostat: 'aniso' as const,
      deform: { component: 'yz' as const, ratePerFs: R },
      temperatureK: 300,
      pressureAtm: 0,
      steps: 400,
      thermoEvery: 10,
      newVelocities: false,
    };
    const rows2: ThermoRow[] = [];
    const a = await runMd(
      relaxed.positions,
      relaxed.lattice,
      sys,
      LAOC_V1,
      { ...base, onThermo: (r) => rows2.push(r) },
      relaxed.velocities,
    );
    for (const r of rows2) expect(Math.abs(r.cell[7] - R * r.timeFs * lz0)).toBeLessThan(1e-9);
    const cps: MdCheckpoint[] = [];
    await runMd(
      relaxed.positions,
      relaxed.lattice,
      sys,
      LAOC_V1,
      { ...base, steps: 250, checkpointEvery: 250, onCheckpoint: (c) => void cps.push(c) },
      relaxed.velocities,
    );
    const b = await runMd(
      relaxed.positions,
      relaxed.lattice,
      sys,
      LAOC_V1,
      { ...base, resume: cps[0] },
      relaxed.velocities,
    );
    expect(Buffer.from(b.positions.buffer).equals(Buffer.from(a.positions.buffer))).toBe(true);
    expect(Array.from(b.lattice.matrix)).toEqual(Array.from(a.lattice.matrix));
  });
});

describe('Ewald with a changing cell', () => {
  it('NPT with Ewald conserves its extended energy; the kernel after the cell changed equals a fresh Ewald sum', async () => {
    const ff = withCoulomb(LAOC_V1, 'ewald');
    const esys = typeSystem(s, ff);
    const eq = await langevinStart(s.frame.positions, L, esys, ff, 300, 500);
    const rows: ThermoRow[] = [];
    const final = await runMd(
      eq.positions,
      L,
      esys,
      ff,
      {
        ensemble: 'npt',
        temperatureK: 300,
        pressureAtm: 0,
        steps: 2000,
        thermoEvery: 10,
        newVelocities: false,
        onThermo: (r) => rows.push(r),
      },
      eq.velocities,
    );
    expect(Math.abs(slopePerPs(rows))).toBeLessThan(1e-5);
    expect(final.lattice.volume).toBeGreaterThan(L.volume * 1.02);
    // The k-set stays that of the start cell; in the expanded cell it still gives the Ewald
    // energy of a set chosen afresh to 1e-6.
    const k = new ForceKernel(esys, ff, L);
    const f = new Float64Array(3 * esys.natoms);
    const out = newForceOutput();
    k.compute(eq.positions, f, out);
    k.setLattice(final.lattice);
    k.compute(final.positions, f, out);
    const ref = computeEnergy(final.positions, final.lattice, esys, ff);
    expect(Math.abs(out.termsKcalMol.coulomb / ref.termsKcalMol.coulomb - 1)).toBeLessThan(1e-6);
  }, 120_000);
});
