/**
 * Born-Mayer-Huggins pair terms (LAMMPS pair_style born, born/coul/dsf): forces as minus the
 * gradient, the MD kernel equal to the reference sum, and energies, forces and pressure equal to
 * LAMMPS's (Debian package lammps, `lmp`) for the same data file and input, as
 * test/forcefield/forcefield.test.ts checks the Lennard-Jones styles.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { supercell } from '../../src/builders/supercell.js';
import type { Structure } from '../../src/core/frame.js';
import { NKTV2P } from '../../src/core/units.js';
import { lammpsFiles } from '../../src/engines/lammps-export.js';
import { computeEnergy, type ErfcMethod } from '../../src/forcefield/energy.js';
import {
  bornPair,
  type ForceField,
  LAOC_V4,
  ljPair,
  validateForceField,
} from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { readStructure } from '../../src/io/registry.js';
import { ForceKernel, newForceOutput } from '../../src/md/force-kernel.js';
import { centralDifferenceForce, sharedFixture, tempDir } from '../helpers.js';
import { lammpsSinglePoint } from './lammps-single-point.js';

const glass0b = () => packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });
/** LiCl rock salt, 3 x 3 x 3 conventional cells (216 atoms, 15.4 A: the 10 A cutoff reaches past half the cell). */
const licl = async (): Promise<Structure> =>
  supercell(await readStructure(sharedFixture('structures/LiCl_rocksalt.cif')), [3, 3, 3]);

/**
 * laoc-v4 with Born-Mayer-Huggins Li-Cl, Li-O and (a like pair) Cl-Cl terms: LAMMPS gets
 * hybrid/overlay lj/cut/coul/dsf + born. Parameters are test values of the right size, not a fit.
 */
const bornLaoc: ForceField = {
  ...LAOC_V4,
  name: 'born-test',
  born: {
    'Li-Cl_t': { a: 5.2, rho: 0.33, sigma: 2.4, c: 29, d: 35 },
    'O_br-Li': { a: 4.0, rho: 0.3, sigma: 2.1, c: 0, d: 0 },
    'Cl_t-Cl_t': { a: 1.5, rho: 0.34, sigma: 3.2, c: 1200, d: 2400 },
  },
};

/** Every pair of LiCl's types Born-Mayer-Huggins (Tosi-Fumi-like sizes): LAMMPS born/coul/dsf. */
const allBorn: ForceField = {
  ...LAOC_V4,
  name: 'all-born-test',
  born: {
    'Li-Li': { a: 6.3, rho: 0.342, sigma: 1.632, c: 1.7, d: 0.6 },
    'Li-Cl_free': { a: 4.86, rho: 0.342, sigma: 2.401, c: 28.8, d: 34.5 },
    'Cl_free-Cl_free': { a: 3.4, rho: 0.342, sigma: 3.17, c: 1600, d: 3300 },
  },
};

/**
 * A bond-free ionic force field (charges rule "ions"): types are elements, formal charges times a
 * scale, a Born term for every pair (cation-cation ones pure Coulomb, a = 0): LAMMPS born/coul/dsf.
 */
const ionType = (mass: number) => ({ mass, sigma: 0, epsilon: 0 });
const ions: ForceField = {
  ...LAOC_V4,
  name: 'ions-test',
  atomTypes: { Li: ionType(6.941), Al: ionType(26.982), O: ionType(15.999), Cl: ionType(35.453) },
  bonds: {},
  angles: {},
  born: {
    'Li-Cl': { a: 1.3, rho: 0.2, sigma: 2.4, c: 28.8, d: 34.5 },
    'Li-O': { a: 2.0, rho: 0.3, sigma: 2.0, c: 0, d: 0 },
    'Al-Cl': { a: 2.8, rho: 0.16, sigma: 2.2, c: 0, d: 0 },
    'Al-O': { a: 8.3, rho: 0.14, sigma: 1.75, c: 0, d: 0 },
    'Cl-Cl': { a: 2.9, rho: 0.22, sigma: 3.17, c: 1598, d: 3207 },
    'O-Cl': { a: 6.1, rho: 0.3, sigma: 3.0, c: 0, d: 0 },
    'O-O': { a: 4, rho: 0.3, sigma: 2.8, c: 0, d: 0 },
    'Li-Li': { a: 0, rho: 0.3, sigma: 0, c: 0, d: 0 },
    'Li-Al': { a: 0, rho: 0.3, sigma: 0, c: 0, d: 0 },
    'Al-Al': { a: 0, rho: 0.3, sigma: 0, c: 0, d: 0 },
  },
  special: { lj: [0, 0, 0], coul: [0, 0, 0] },
  charges: { rule: 'ions', fixed: { Li: 1, Al: 3, O: -2, Cl: -1 }, scale: 0.5 },
};

describe('the bond-free "ions" charge rule', () => {
  it('types every atom by its element with its formal charge times the scale, and no bonds', () => {
    const s = glass0b();
    const sys = typeSystem(s, ions);
    expect(s.topology.bonded.bonds?.length).toBeGreaterThan(0);
    expect(sys.bonds.length + sys.angles.length + sys.dihedrals.length + sys.special.size).toBe(0);
    expect([...sys.typeNames].sort()).toEqual(['Al', 'Cl', 'Li', 'O']);
    for (let i = 0; i < sys.natoms; i++) {
      const e = s.topology.symbol(i);
      expect(sys.typeNames[sys.type[i]]).toBe(e);
      expect(sys.charges[i]).toBe(ions.charges.fixed[e] * 0.5);
      expect(sys.moleculeIds[i]).toBe(i + 1);
    }
    expect(sys.charges.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });
  it('names the atom whose element has no type or no charge, and a charge of no type', () => {
    const s = glass0b();
    const { Li: _, ...noLi } = ions.atomTypes;
    expect(() => typeSystem(s, { ...ions, atomTypes: noLi })).toThrow(
      /atom \d+ \(Li\): ions-test has no type for Li/,
    );
    const { O: __, ...noO } = ions.charges.fixed;
    expect(() => typeSystem(s, { ...ions, charges: { ...ions.charges, fixed: noO } })).toThrow(
      /atom \d+ \(O\): no charge for O in ions-test/,
    );
    const bad = JSON.parse(JSON.stringify(ions));
    bad.charges.fixed.Na = 1;
    expect(() => validateForceField(bad, 'ff.json')).toThrow(
      /ff.json: \$.charges.fixed.Na: expected a charge of an atom type that exists/,
    );
    bad.charges.rule = 'formal';
    expect(() => validateForceField(bad, 'ff.json')).toThrow(/\$.charges.rule: expected "laoc" or "ions"/);
    expect(validateForceField(JSON.parse(JSON.stringify(ions)), 'ff.json')).toEqual(ions);
  });
});

describe('Born-Mayer-Huggins terms in the force field', () => {
  it('replace the Lennard-Jones term of their pair only, in either key order', () => {
    expect(bornPair(bornLaoc, 'Cl_t', 'Li')).toEqual(bornLaoc.born!['Li-Cl_t']);
    expect(bornPair(bornLaoc, 'Li', 'O_br')).toEqual(bornLaoc.born!['O_br-Li']);
    expect(ljPair(bornLaoc, 'Li', 'Cl_t').epsilon).toBe(0);
    expect(ljPair(bornLaoc, 'Li', 'Cl_br')).toEqual(ljPair(LAOC_V4, 'Li', 'Cl_br'));
    expect(validateForceField(JSON.parse(JSON.stringify(bornLaoc)), 'born')).toEqual(bornLaoc);
  });
  it('are validated with the path of the problem', () => {
    const bad = JSON.parse(JSON.stringify(bornLaoc));
    bad.born['Li-Cl_t'].rho = 0;
    expect(() => validateForceField(bad, 'ff.json')).toThrow(
      /ff.json: \$.born.Li-Cl_t.rho: expected a number/,
    );
    bad.born['Li-Cl_t'].rho = 0.3;
    bad.born['Cl_t-Li'] = bad.born['Li-Cl_t'];
    expect(() => validateForceField(bad, 'ff.json')).toThrow(/one entry per pair/);
    delete bad.born['Cl_t-Li'];
    bad.born['Li-Xx'] = bad.born['Li-Cl_t'];
    expect(() => validateForceField(bad, 'ff.json')).toThrow(/no "Xx"/);
  });
});

describe('forces are minus the gradient of the energy (Born terms)', () => {
  for (const [name, make, ff] of [
    ['laoc glass, hybrid', async () => glass0b(), bornLaoc],
    ['LiCl, all Born', licl, allBorn],
    ['laoc glass, bond-free ions', async () => glass0b(), ions],
  ] as const)
    it(`central differences, 1e-6 relative (${name})`, async () => {
      const s = await make();
      const sys = typeSystem(s, ff);
      const L = s.frame.lattice!;
      // Rattled so that no force vanishes by symmetry.
      const x = Float64Array.from(s.frame.positions, (v, k) => v + 0.05 * Math.sin(1.7 * k));
      const base = computeEnergy(x, L, sys, ff);
      const h = 1e-5;
      for (const i of [0, 5, 13, 40, sys.natoms - 1])
        for (let c = 0; c < 3; c++) {
          const energy = (p: Float64Array) => computeEnergy(p, L, sys, ff).termsKcalMol.total;
          const numeric = centralDifferenceForce(energy, x, 3 * i + c, h);
          const f = base.forcesKcalMolA[3 * i + c];
          expect(Math.abs(numeric - f), `atom ${i} axis ${c}: ${numeric} vs ${f}`).toBeLessThan(
            1e-6 * Math.max(1, Math.abs(f)),
          );
        }
    }, 60_000);
});

describe('the MD kernel equals the reference sum (Born terms)', () => {
  for (const [name, make, ff] of [
    ['laoc glass, hybrid', async () => glass0b(), bornLaoc],
    ['LiCl, all Born', licl, allBorn],
    ['laoc glass, bond-free ions', async () => glass0b(), ions],
  ] as const)
    it(name, async () => {
      const s = await make();
      const sys = typeSystem(s, ff);
      const x = Float64Array.from(s.frame.positions, (v, k) => v + 0.05 * Math.sin(1.7 * k));
      const ref = computeEnergy(x, s.frame.lattice!, sys, ff);
      const k = new ForceKernel(sys, ff, s.frame.lattice!);
      const f = new Float64Array(3 * sys.natoms);
      const out = newForceOutput();
      k.compute(x, f, out);
      for (const key of ['bond', 'angle', 'vdw', 'coulomb'] as const)
        expect(Math.abs(out.termsKcalMol[key] - ref.termsKcalMol[key]), key).toBeLessThan(
          1e-9 * Math.max(1, Math.abs(ref.termsKcalMol[key])),
        );
      for (let i = 0; i < f.length; i++) expect(Math.abs(f[i] - ref.forcesKcalMolA[i])).toBeLessThan(1e-8);
      for (let i = 0; i < 6; i++)
        expect(Math.abs(out.virialKcalMol[i] - ref.virialKcalMol[i])).toBeLessThan(
          1e-8 * Math.max(1, Math.abs(ref.virialKcalMol[i])),
        );
    });
});

const haveLammps = spawnSync('lmp', ['-h'], { encoding: 'utf8' }).status === 0;
if (!haveLammps)
  console.warn('SKIPPED: LAMMPS comparison (no `lmp` on PATH; .ci/run installs the Debian package lammps)');

describe.skipIf(!haveLammps)('the same energies, forces and pressure as LAMMPS (born, born/coul/dsf)', () => {
  // The erfc of the comparison: lj/cut/coul/dsf of Debian's LAMMPS (2021) uses the Abramowitz-Stegun
  // fit (as forcefield.test.ts says), born/coul/dsf the exact erfc of libm, as oligolyte does.
  for (const [name, make, ff, style, erfc] of [
    [
      'laoc glass, Born Li-Cl, Li-O, Cl-Cl',
      async () => glass0b(),
      bornLaoc,
      'hybrid/overlay',
      'abramowitz-stegun',
    ],
    ['LiCl 3x3x3, every pair Born', licl, allBorn, 'born/coul/dsf', 'exact'],
    ['laoc glass, bond-free ions', async () => glass0b(), ions, 'born/coul/dsf', 'exact'],
    [
      'laoc glass, Born terms with Ewald',
      async () => glass0b(),
      { ...bornLaoc, coulomb: { method: 'ewald' as const, accuracy: 1e-8 } },
      'hybrid/overlay',
      'exact',
    ],
  ] as const) {
    it(`${name} (${style})`, async () => {
      const s = await make();
      const sys = typeSystem(s, ff);
      const x = Float64Array.from(s.frame.positions, (v, k) => v + 0.05 * Math.sin(1.7 * k));
      const ours = computeEnergy(x, s.frame.lattice!, sys, ff, { erfc: erfc as ErfcMethod });
      const dir = tempDir();
      const files = lammpsFiles(x, s.frame.lattice!, sys, ff);
      expect(files.input).toContain(`pair_style ${style}`);
      const { pe, ebond, eangle, evdwl, ecoul, elong, pressure, forces } = lammpsSinglePoint(dir, files);
      // Ewald (accuracy 1e-8 both sides): to 1e-6 of the largest force, as forcefield.test.ts.
      const tol = 1e-6;
      const close = (a: number, b: number, what: string, scale = Math.abs(b)) =>
        expect(Math.abs(a - b), `${what}: ${a} vs LAMMPS ${b}`).toBeLessThanOrEqual(tol * Math.max(1, scale));
      close(ours.termsKcalMol.bond, ebond, 'bonds');
      close(ours.termsKcalMol.angle, eangle, 'angles');
      close(ours.termsKcalMol.vdw, evdwl, 'LJ + Born');
      close(ours.termsKcalMol.coulomb, ecoul + elong, 'Coulomb', Math.abs(pe));
      close(ours.termsKcalMol.total, pe, 'total');
      const V = s.frame.lattice!.volume;
      const p = Array.from(ours.virialKcalMol, (w) => (w / V) * NKTV2P);
      const pScale = Math.max(...p.map(Math.abs));
      pressure.forEach((v, i) => {
        close(p[i], v, `pressure ${i}`, pScale);
      });
      expect(forces.size).toBe(sys.natoms);
      let maxF = 0;
      for (const f of ours.forcesKcalMolA) maxF = Math.max(maxF, Math.abs(f));
      for (const [id, f] of forces)
        f.forEach((v, c) => {
          expect(Math.abs(v - ours.forcesKcalMolA[3 * (id - 1) + c]), `atom ${id}`).toBeLessThanOrEqual(
            tol * (ff.coulomb.method === 'ewald' ? maxF : Math.max(1, Math.abs(v))),
          );
        });
    }, 60_000);
  }
});
