/**
 * Polarisable ions (ForceField.shells, forcefield/shells.ts): relaxed core-shell Cl- on the
 * bond-free "ions" rule. Checked: the typing of atoms and shells; the core-shell Coulomb remainder's
 * series against erfc; forces as minus the gradient of the relaxed energy; the MD kernel equal to
 * the reference sum; the same energy, pressure and (core + shell) forces as LAMMPS born/coul/dsf/cs
 * and born/coul/long/cs on the same atoms and shells (Debian package lammps, `lmp`); NVE with
 * relaxed shells conserving energy; a stopped and resumed run equal bitwise to one that never
 * stopped (the shells' places are in the checkpoint); a fit recovering the spring, charge scale and
 * a Born term from data made with them; and LAMMPS protocols with shells refused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { SeededRandom } from '../../src/core/random.js';
import { EV_IN_KCAL_PER_MOL, NKTV2P } from '../../src/core/units.js';
import { lammpsFiles } from '../../src/engines/lammps-export.js';
import { runProtocolInLammps } from '../../src/engines/lammps-run.js';
import { computeEnergy, erfc } from '../../src/forcefield/energy.js';
import { type FitSpec, fitForceField, type ReferenceConfiguration } from '../../src/forcefield/fit/fit.js';
import { applyParameters, type FitParameter } from '../../src/forcefield/fit/parameters.js';
import { type ForceField, LAOC_V4, validateForceField } from '../../src/forcefield/force-field.js';
import { erfOverX, MAX_SHELL_DISPLACEMENT_A } from '../../src/forcefield/shells.js';
import { CORE_SHELL_ORDER, typeSystem } from '../../src/forcefield/typing.js';
import { readCheckpoint, writeCheckpoint } from '../../src/md/checkpoint.js';
import { newForceOutput } from '../../src/md/force-kernel.js';
import { type MdCheckpoint, RunCancelled, runMd, type ThermoRow } from '../../src/md/integrator.js';
import { protocolFromObject } from '../../src/md/protocols/protocol.js';
import { makeForceKernel, RelaxedShellKernel, relaxedShellSums } from '../../src/md/shell-kernel.js';
import { centralDifferenceForce, tempDir } from '../helpers.js';
import { lammpsSinglePoint } from './lammps-single-point.js';

const ionType = (mass: number) => ({ mass, sigma: 0, epsilon: 0 });
const none = { a: 0, rho: 0.3, sigma: 0, c: 0, d: 0 };

/**
 * Test values of the right size (ions-v1's Born terms on the Cl shell), not a fit: formal charges
 * times 0.5, Cl- a core of (-1 + 2.5) x 0.5 e and a shell of -2.5 x 0.5 e on k = 200 kcal/mol/A^2
 * (alpha = 332.06 x 1.25^2 / 400 = 1.3 A^3). LAMMPS's /cs styles want a Born term on every pair.
 */
const polarisable: ForceField = {
  ...LAOC_V4,
  name: 'shells-test',
  atomTypes: {
    Li: ionType(6.941),
    Al: ionType(26.982),
    O: ionType(15.999),
    Cl: ionType(35.453),
    Cl_shell: ionType(0.1),
  },
  bonds: {},
  angles: {},
  born: {
    'Li-Cl_shell': { a: 1.3, rho: 0.2, sigma: 2.4, c: 28.8, d: 34.5 },
    'Li-O': { a: 2.0, rho: 0.3, sigma: 2.0, c: 0, d: 0 },
    'Al-Cl_shell': { a: 2.8, rho: 0.16, sigma: 2.2, c: 0, d: 0 },
    'Al-O': { a: 8.3, rho: 0.14, sigma: 1.75, c: 0, d: 0 },
    'Cl_shell-Cl_shell': { a: 2.9, rho: 0.22, sigma: 3.17, c: 1598, d: 3207 },
    'O-Cl_shell': { a: 6.1, rho: 0.3, sigma: 3.0, c: 0, d: 0 },
    'O-O': { a: 4, rho: 0.3, sigma: 2.8, c: 0, d: 0 },
    'Li-Li': none,
    'Li-Al': none,
    'Al-Al': none,
    'Li-Cl': none,
    'Al-Cl': none,
    'O-Cl': none,
    'Cl-Cl': none,
    'Cl-Cl_shell': none,
  },
  special: { lj: [0, 0, 0], coul: [0, 0, 0] },
  charges: { rule: 'ions', fixed: { Li: 1, Al: 3, O: -2, Cl: -1 }, scale: 0.5 },
  shells: { Cl: { type: 'Cl_shell', charge: -2.5, k: 200 } },
};

/** Two LAOC^0b trimers in a 9 A cell, as the AIMD (64 atoms would do as well; 32 keep it quick). */
const glass = () => packGlass({ units: [{ molecule: buildOligomer(), count: 2 }], seed: 4 });
const rattled = (x: ArrayLike<number>) => Float64Array.from(x, (v, k) => v + 0.05 * Math.sin(1.7 * k));
const tight = { shells: { toleranceKcalMolA: 1e-9 } };

describe('polarisable ions: the force field and its typing', () => {
  it('an atom and a shell per Cl: the shells after the atoms, the charges summing to the ion', () => {
    const s = glass();
    const sys = typeSystem(s, polarisable);
    const n = s.topology.natoms;
    const nCl = Array.from({ length: n }, (_, i) => s.topology.symbol(i)).filter((e) => e === 'Cl').length;
    expect(sys.natoms).toBe(n);
    const sh = sys.shells!;
    expect(sh.owner.length).toBe(nCl);
    expect(sh.extended.natoms).toBe(n + nCl);
    sh.owner.forEach((c, k) => {
      expect(s.topology.symbol(c)).toBe('Cl');
      expect(sh.extended.typeNames[sh.extended.type[n + k]]).toBe('Cl_shell');
      expect(sh.extended.charges[n + k]).toBeCloseTo(-1.25, 12);
      expect(sh.extended.charges[c] + sh.extended.charges[n + k]).toBeCloseTo(-0.5, 12);
      expect(sh.extended.special.get(c * (n + nCl) + n + k)).toBe(CORE_SHELL_ORDER);
      expect(sys.charges[c]).toBeCloseTo(-0.5, 12);
    });
  });

  it('is validated with the path of the problem', () => {
    type Editable = {
      charges: { rule: string };
      shells: Record<string, { type: string; charge: number; k: number }>;
    };
    const bad = (change: (f: Editable) => void) => {
      const f = structuredClone(polarisable) as unknown as Editable;
      change(f);
      return () => validateForceField(f, 'ff.json');
    };
    expect(bad(() => {})).not.toThrow();
    expect(bad((f) => (f.charges.rule = 'laoc'))).toThrow(/ff.json: \$.shells: .*charges rule "ions"/);
    expect(bad((f) => (f.shells.Cl.type = 'Xx'))).toThrow(
      /\$.shells.Cl.type: expected an atom type of its own/,
    );
    expect(bad((f) => (f.shells.Cl.type = 'O'))).toThrow(/\$.shells.Cl.type: .*used by this shell only/);
    expect(bad((f) => (f.shells.Cl.k = 0))).toThrow(/\$.shells.Cl.k/);
    expect(bad((f) => (f.shells.Cl.charge = 0))).toThrow(/\$.shells.Cl.charge/);
    expect(bad((f) => (f.shells.Na = { type: 'Cl_shell', charge: 1, k: 1 }))).toThrow(
      /\$.shells.Na: expected an atom type with a charge/,
    );
  });
});

describe('the core-shell Coulomb remainder', () => {
  it('erf(x)/x and its derivative by series below 0.5 equal the erfc forms above, and at 0', () => {
    for (const x of [0.05, 0.2, 0.45, 0.4999, 0.5, 0.7, 1.5]) {
      const { h, dhOverX } = erfOverX(x);
      expect(h).toBeCloseTo((1 - erfc(x)) / x, 13);
      const dx = 1e-5;
      const numeric = (erfOverX(x + dx).h - erfOverX(x - dx).h) / (2 * dx) / x;
      expect(Math.abs(dhOverX - numeric)).toBeLessThan(1e-8);
    }
    // h(0) = 2/sqrt(pi), h'(x)/x -> -4/(3 sqrt(pi)).
    expect(erfOverX(0).h).toBe(2 / Math.sqrt(Math.PI));
    expect(erfOverX(0).dhOverX).toBeCloseTo(-4 / (3 * Math.sqrt(Math.PI)), 15);
  });
});

describe('relaxed shells: energy, forces and the MD kernel', () => {
  it('forces are minus the gradient of the relaxed energy (central differences)', () => {
    const s = glass();
    const sys = typeSystem(s, polarisable);
    const L = s.frame.lattice!;
    const x = rattled(s.frame.positions);
    const base = computeEnergy(x, L, sys, polarisable, tight);
    // The shells moved: the field at a Cl is not zero.
    expect(Math.max(...base.shellDisplacementsA!.map(Math.abs))).toBeGreaterThan(0.01);
    const h = 1e-5;
    for (const i of [0, 3, 9, 17, sys.natoms - 1])
      for (let c = 0; c < 3; c++) {
        const energy = (p: Float64Array) => computeEnergy(p, L, sys, polarisable, tight).termsKcalMol.total;
        const numeric = centralDifferenceForce(energy, x, 3 * i + c, h);
        const f = base.forcesKcalMolA[3 * i + c];
        expect(Math.abs(numeric - f), `atom ${i} axis ${c}: ${numeric} vs ${f}`).toBeLessThan(
          1e-5 * Math.max(1, Math.abs(f)),
        );
      }
  }, 120_000);

  it('the MD kernel equals the reference sum', () => {
    const s = glass();
    const sys = typeSystem(s, polarisable);
    const x = rattled(s.frame.positions);
    const ref = computeEnergy(x, s.frame.lattice!, sys, polarisable, tight);
    const k = new RelaxedShellKernel(sys.shells!, polarisable, s.frame.lattice!, 2, {
      toleranceKcalMolA: 1e-9,
    });
    const f = new Float64Array(3 * sys.natoms);
    const out = newForceOutput();
    k.compute(x, f, out);
    // The two pair sums agree to 1e-12 at the same shells; relaxed, the shells settle (forces on
    // them below 1e-9 kcal/mol/A) on a soft combination of shell moves that changes the energy by
    // 1e-10 kcal/mol, 2e-7 A apart: the energy agrees to 1e-10, forces and virial to 1e-5 of the largest.
    const t = out.termsKcalMol;
    expect(Math.abs(t.bond + t.vdw + t.coulomb - ref.termsKcalMol.total)).toBeLessThan(1e-8);
    const maxF = Math.max(...ref.forcesKcalMolA.map(Math.abs));
    for (let i = 0; i < f.length; i++)
      expect(Math.abs(f[i] - ref.forcesKcalMolA[i])).toBeLessThan(1e-5 * maxF);
    const maxW = Math.max(...ref.virialKcalMol.map(Math.abs));
    for (let i = 0; i < 6; i++)
      expect(Math.abs(out.virialKcalMol[i] - ref.virialKcalMol[i])).toBeLessThan(1e-5 * maxW);
    for (let i = 0; i < ref.shellDisplacementsA!.length; i++)
      expect(Math.abs(k.shellDisplacements[i] - ref.shellDisplacementsA![i])).toBeLessThan(1e-5);
    k.dispose();
  });

  it('a shell that runs away is a PhysicsError naming its atom', () => {
    // A spring 100x softer: the shells run onto the Al.
    const soft: ForceField = { ...polarisable, shells: { Cl: { type: 'Cl_shell', charge: -2.5, k: 2 } } };
    const s = glass();
    expect(() => computeEnergy(s.frame.positions, s.frame.lattice!, typeSystem(s, soft), soft)).toThrow(
      new RegExp(`the shell of atom \\d+ went .* A from it \\(more than ${MAX_SHELL_DISPLACEMENT_A} A\\)`),
    );
  });
});

const haveLammps = spawnSync('lmp', ['-h'], { encoding: 'utf8' }).status === 0;
if (!haveLammps)
  console.warn(
    'SKIPPED: LAMMPS core-shell comparison (no `lmp` on PATH; .ci/run installs the Debian package lammps)',
  );

describe.skipIf(!haveLammps)('the same energy, pressure and ion forces as LAMMPS (core-shell styles)', () => {
  it('a protocol with shells is refused by the LAMMPS engine before any output', async () => {
    const ffFile = join(tempDir(), 'shells.json');
    writeFileSync(ffFile, JSON.stringify(polarisable));
    const spec = protocolFromObject(
      {
        forcefield: ffFile,
        engine: 'lammps',
        stage: [{ name: 'nvt', ensemble: 'nvt', temperature: 300, steps: 10 }],
      },
      join(tempDir(), 'p.toml'),
    );
    const outDir = join(tempDir(), 'run');
    await expect(runProtocolInLammps(spec, glass(), { outDir })).rejects.toThrow(
      /shells-test: polarisable ions \(shells\) run on the embedded engine only/,
    );
    expect(existsSync(outDir)).toBe(false);
  });

  for (const [name, ff, style] of [
    ['DSF', polarisable, 'born/coul/dsf/cs'],
    ['Ewald', { ...polarisable, coulomb: { method: 'ewald' as const, accuracy: 1e-8 } }, 'born/coul/long/cs'],
  ] as const)
    it(`${name} (${style})`, () => {
      const s = glass();
      const sys = typeSystem(s, ff);
      const x = rattled(s.frame.positions);
      const ours = computeEnergy(x, s.frame.lattice!, sys, ff, tight);
      const dir = tempDir();
      const files = lammpsFiles(x, s.frame.lattice!, sys, ff);
      expect(files.input).toContain(`pair_style ${style}`);
      expect(files.bondTypes).toEqual(['Cl-Cl_shell']);
      const { pe, ebond, evdwl, ecoul, elong, pressure, forces } = lammpsSinglePoint(dir, files);
      const tol = 1e-6;
      const close = (a: number, b: number, what: string, scale = Math.abs(b)) =>
        expect(Math.abs(a - b), `${what}: ${a} vs LAMMPS ${b}`).toBeLessThanOrEqual(tol * Math.max(1, scale));
      close(ours.termsKcalMol.bond, ebond, 'springs');
      close(ours.termsKcalMol.vdw, evdwl, 'Born');
      close(ours.termsKcalMol.coulomb, ecoul + elong, 'Coulomb', Math.abs(pe));
      close(ours.termsKcalMol.total, pe, 'total');
      const V = s.frame.lattice!.volume;
      const p = Array.from(ours.virialKcalMol, (w) => (w / V) * NKTV2P);
      const pScale = Math.max(...p.map(Math.abs));
      pressure.forEach((v, i) => {
        close(p[i], v, `pressure ${i}`, pScale);
      });
      // LAMMPS's forces are per core and per shell: an ion's is their sum (the shell's own is ~0).
      const n = sys.natoms;
      const lammps = new Float64Array(3 * n);
      const owner = sys.shells!.owner;
      expect(forces.size).toBe(n + owner.length);
      let shellMax = 0;
      for (const [id, f] of forces) {
        const atom = id <= n ? id - 1 : owner[id - 1 - n];
        if (id > n) shellMax = Math.max(shellMax, ...f.map(Math.abs));
        f.forEach((v, c) => {
          lammps[3 * atom + c] += v;
        });
      }
      // A shell's own force: zero in oligolyte's sums (relaxed), what LAMMPS's approximations of
      // the core-shell remainder leave (erfc fits at a tenth of an angstrom: 2e-4 DSF, 1e-3 Ewald,
      // kcal/mol/A), which its core takes back: the ion's sum is exact.
      expect(shellMax).toBeLessThan(2e-3);
      let maxF = 0;
      for (const f of ours.forcesKcalMolA) maxF = Math.max(maxF, Math.abs(f));
      for (let i = 0; i < 3 * n; i++)
        expect(
          Math.abs(lammps[i] - ours.forcesKcalMolA[i]),
          `atom ${Math.floor(i / 3) + 1}`,
        ).toBeLessThanOrEqual(tol * maxF);
    }, 60_000);
});

describe('MD with relaxed shells', () => {
  const s = glass();
  const sys = typeSystem(s, polarisable);
  const L = s.frame.lattice!;

  it('NVE conserves energy (0.25 fs, 400 steps from 600 K)', async () => {
    const rows: ThermoRow[] = [];
    await runMd(s.frame.positions, L, sys, polarisable, {
      ensemble: 'nve',
      temperatureK: 600,
      timeStepFs: 0.25,
      steps: 400,
      thermoEvery: 20,
      seed: 2,
      onThermo: (r) => rows.push(r),
    });
    const e = rows.map((r) => r.conservedKcalMol);
    const drift = Math.max(...e) - Math.min(...e);
    // Kinetic energy per atom at 600 K is 1.8 kcal/mol x 32: a relaxed-shell drift (the shells
    // settled to 1e-3 kcal/mol/A) well under a thousandth of it.
    expect(drift / sys.natoms).toBeLessThan(2e-3);
    expect(Math.max(...rows.map((r) => r.temperatureK))).toBeGreaterThan(200);
  }, 60_000);

  it('stopped at step 70 and resumed equals the uninterrupted run bitwise', async () => {
    const base = {
      ensemble: 'nvt' as const,
      temperatureK: 500,
      timeStepFs: 0.5,
      steps: 120,
      thermoEvery: 10,
      seed: 5,
      skinA: 0.3,
    };
    const whole: ThermoRow[] = [];
    const a = await runMd(s.frame.positions, L, sys, polarisable, {
      ...base,
      onThermo: (r) => whole.push(r),
    });
    const file = join(tempDir(), 'checkpoint.json');
    const abort = new AbortController();
    const rows: ThermoRow[] = [];
    await expect(
      runMd(s.frame.positions, L, sys, polarisable, {
        ...base,
        checkpointEvery: 50,
        signal: abort.signal,
        onThermo: (r) => {
          rows.push(r);
          if (r.step === 70) abort.abort();
        },
        onCheckpoint: (cp: MdCheckpoint) => writeCheckpoint(file, cp),
      }),
    ).rejects.toBeInstanceOf(RunCancelled);
    const { checkpoint } = readCheckpoint(file);
    expect(checkpoint.list?.shells?.length).toBe(3 * sys.shells!.owner.length);
    const b = await runMd(s.frame.positions, L, sys, polarisable, {
      ...base,
      resume: checkpoint,
      onThermo: (r) => rows.push(r),
    });
    expect(Buffer.from(b.positions.buffer).equals(Buffer.from(a.positions.buffer))).toBe(true);
    expect(Buffer.from(b.velocities.buffer).equals(Buffer.from(a.velocities.buffer))).toBe(true);
    expect(rows).toEqual(whole);
  }, 60_000);

  it('the kernel a system gets is the relaxed-shell one', () => {
    const k = makeForceKernel(sys, polarisable, L, 2);
    expect(k).toBeInstanceOf(RelaxedShellKernel);
    k.dispose();
  });
});

describe('fitting polarisable ions to data made with known parameters', () => {
  // The spring, the charge scale and the Li-Cl repulsion (on Li-Cl_shell), from a start 10-20 % off.
  const params: FitParameter[] = [
    { path: 'shells.Cl.k', initial: 240, lower: 20, upper: 1000 },
    { path: 'charges.scale', initial: 0.45, lower: 0.3, upper: 1 },
    { path: 'born.Li-Cl.a', initial: 1.6, lower: 0.1, upper: 10 },
  ];
  const truth = [200, 0.5, 1.3];
  const configs: ReferenceConfiguration[] = Array.from({ length: 6 }, (_, k) => {
    const s = glass();
    const rng = new SeededRandom(20 + k);
    const structure = {
      topology: s.topology,
      frame: {
        ...s.frame,
        positions: Float64Array.from(s.frame.positions, (x) => x + 0.05 * rng.gaussian()),
      },
    };
    const e = computeEnergy(
      structure.frame.positions,
      s.frame.lattice!,
      typeSystem(structure, polarisable),
      polarisable,
      tight,
    );
    return {
      id: k + 1,
      source: `synthetic#${k + 1}`,
      structure,
      energyEv: e.termsKcalMol.total / EV_IN_KCAL_PER_MOL,
      forcesEvA: e.forcesKcalMolA.map((f) => f / EV_IN_KCAL_PER_MOL),
    };
  });
  const spec: FitSpec = {
    name: 'shells-fit-test',
    description: '',
    start: polarisable,
    baseline: LAOC_V4,
    born: {},
    parameters: params,
    weights: { forces: 1, energies: 0.5, stresses: 0, crystalForces: 0, crystalStress: 0 },
    energyScaleEvPerAtom: 0.005,
    stressScaleGPa: 0.5,
    validationFraction: 0.3,
    seed: 7,
    maxIterations: 40,
  };

  it('moves the shell, not the core, by a Born path', () => {
    const moved = applyParameters(polarisable, params, [200, 0.5, 9]);
    expect(moved.born!['Li-Cl_shell'].a).toBe(9);
    expect(moved.born!['Li-Cl'].a).toBe(0);
    expect(moved.shells!.Cl.k).toBe(200);
  });

  it('recovers them, the shells relaxed for every evaluation (MD kernel and reference sum alike)', () => {
    for (const sums of [relaxedShellSums, undefined]) {
      const r = fitForceField(spec, configs, [], undefined, sums);
      expect(r.excluded.map((e) => e.reason)).toEqual([]);
      r.parameters.forEach((p, k) => {
        expect(Math.abs(p.value - truth[k]), `${p.path}: ${p.value}`).toBeLessThan(1e-4 * truth[k]);
      });
      for (const [e, rmse] of Object.entries(r.metrics.fitted.validation.forceRmseEvA)) {
        expect(rmse, e).toBeLessThan(1e-4);
        expect(r.metrics.start.validation.forceRmseEvA[e], e).toBeGreaterThan(1e-2);
      }
    }
  }, 120_000);

  it('leaves out a configuration whose shells run away at the start, and says why', () => {
    // One configuration with a Li pushed to 1 A from a Cl: that Cl's shell runs onto the Li.
    const t = configs[0].structure.topology;
    const li = Array.from({ length: t.natoms }, (_, i) => i).find((i) => t.symbol(i) === 'Li')!;
    const cl = Array.from({ length: t.natoms }, (_, i) => i).find((i) => t.symbol(i) === 'Cl')!;
    const x = Float64Array.from(configs[0].structure.frame.positions);
    for (let c = 0; c < 3; c++) x[3 * li + c] = x[3 * cl + c] + (c === 0 ? 1.0 : 0);
    const squeezed = {
      ...configs[0],
      structure: { topology: t, frame: { ...configs[0].structure.frame, positions: x } },
    };
    const r = fitForceField(
      { ...spec, maxIterations: 3 },
      [squeezed, ...configs.slice(1)],
      [],
      undefined,
      relaxedShellSums,
    );
    expect(r.excluded.map((e) => e.id)).toEqual([1]);
    expect(r.excluded[0].reason).toMatch(/the shell of atom \d+ went/);
  }, 60_000);
});
