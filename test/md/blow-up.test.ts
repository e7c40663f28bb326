/**
 * Issue 25, item 2: every ensemble stops a run that blows up with a PhysicsError naming the step
 * and what happened, before anything of the bad state is written (thermo row, frame, checkpoint);
 * each check of BLOW_UP (md/integrator.ts) is reached on its own. Before the checks, NVT at 10 fs
 * and 2000 K ran to its end with T = 0 K, a conserved energy of 1e60 kcal/mol and lost atoms.
 */
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { PhysicsError } from '../../src/core/errors.js';
import type { Lattice } from '../../src/core/lattice.js';
import { LAOC_V4 } from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { type MdCheckpoint, type MdOptions, runMd } from '../../src/md/integrator.js';

const s = packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 1 });
const sys = typeSystem(s, LAOC_V4);
const L = s.frame.lattice!;
const n = sys.natoms;

interface Outcome {
  error: unknown;
  rows: number[];
  frames: number[];
  checkpoints: MdCheckpoint[];
}

const run = async (
  options: Partial<MdOptions> & Pick<MdOptions, 'ensemble'>,
  start: { positions?: Float64Array; velocities?: Float64Array; lattice?: Lattice } = {},
): Promise<Outcome> => {
  const o: Outcome = { error: undefined, rows: [], frames: [], checkpoints: [] };
  try {
    await runMd(
      start.positions ?? s.frame.positions,
      start.lattice ?? L,
      sys,
      LAOC_V4,
      {
        temperatureK: 2000,
        timeStepFs: 10,
        steps: 300,
        thermoEvery: 10,
        frameEvery: 1,
        checkpointEvery: 1,
        onThermo: (r) => o.rows.push(r.step),
        onFrame: (step) => {
          o.frames.push(step);
        },
        onCheckpoint: (cp) => {
          o.checkpoints.push(cp);
        },
        newVelocities: start.velocities === undefined,
        ...options,
      },
      start.velocities,
    );
  } catch (e) {
    o.error = e;
  }
  return o;
};

/** The run stopped at some step with this message; nothing at or after that step was handed out. */
const expectBlowUp = (o: Outcome, what: RegExp): number => {
  expect(o.error, 'a PhysicsError').toBeInstanceOf(PhysicsError);
  const m = /the run blew up at step (\d+): (.*)/.exec((o.error as Error).message);
  expect(m, (o.error as Error).message).not.toBeNull();
  expect(m![2]).toMatch(what);
  const step = Number(m![1]);
  for (const k of [...o.rows, ...o.frames, ...o.checkpoints.map((c) => c.step)]) expect(k).toBeLessThan(step);
  // The checkpoint of the step before passed the checks: every number in it is finite.
  const last = o.checkpoints.at(-1);
  if (last)
    for (const v of [...last.positions, ...last.velocities, ...last.cell])
      expect(Number.isFinite(v)).toBe(true);
  return step;
};

describe('a run that blows up stops with the step and the reason', () => {
  // 10 fs at 2000 K: a Li atom is shot off within a few steps in every ensemble.
  const cases: [string, Partial<MdOptions> & Pick<MdOptions, 'ensemble'>][] = [
    ['NVE', { ensemble: 'nve' }],
    ['NVT', { ensemble: 'nvt' }],
    ['Langevin', { ensemble: 'langevin' }],
    ['NPT', { ensemble: 'npt', pressureAtm: 1 }],
    ['NVT with deformation', { ensemble: 'nvt', deform: { component: 'x', ratePerFs: 1e-5 } }],
    [
      'NPT aniso with deformation',
      {
        ensemble: 'npt',
        barostat: 'aniso',
        barostatAxes: [false, true, true],
        deform: { component: 'x', ratePerFs: 1e-5 },
      },
    ],
  ];
  for (const [name, options] of cases)
    it(`${name} at 10 fs and 2000 K`, async () => {
      const o = await run(options);
      const step = expectBlowUp(o, /atom \d+ \(\w+\) (moved|moves|is lost)/);
      expect(step).toBeLessThan(50);
      expect(o.checkpoints.length).toBe(step - 1);
    });

  it('NVT at 8 fs (the issue: T = 0 K, conserved energy 2.6e48, atoms at 1e8 A, exit 0)', async () => {
    expectBlowUp(await run({ ensemble: 'nvt', timeStepFs: 8 }), /atom \d+ \(Li\)/);
  });

  it('a runaway Nose-Hoover chain that freezes the atoms: the conserved energy check', async () => {
    // The issue's NVT run ended at T = 0 K with a conserved energy of 2.6e48: a chain far faster
    // than the time step (damping 2 fs at 1 fs steps) started far above its target (0.05 A/fs,
    // about 26,000 K, for 300 K) scales the velocities to almost nothing in one step, and its
    // own energy runs away while no atom moves.
    const v = Float64Array.from({ length: 3 * n }, (_, k) =>
      k % 3 === 0 ? (Math.floor(k / 3) % 2 ? 0.05 : -0.05) : 0,
    );
    const o = await run(
      { ensemble: 'nvt', timeStepFs: 1, temperatureK: 300, dampingFs: 2, thermoEvery: 1 },
      { velocities: v },
    );
    expect(
      expectBlowUp(o, /the conserved energy moved by [\d.e+]+ kcal\/mol per atom \(more than 1000; T = /),
    ).toBe(1);
  });

  it('an atom faster than the skin per step, at the start (step 0)', async () => {
    const v = new Float64Array(3 * n);
    v[0] = 3; // A/fs: 3 A per 1 fs step
    const o = await run({ ensemble: 'nve', timeStepFs: 1 }, { velocities: v });
    expect(expectBlowUp(o, /atom 1 \(Al\) moves 2\.\d+ A per step, more than the pair list's 2 A skin/)).toBe(
      0,
    );
  });

  it('a kinetic temperature above 1e5 K', async () => {
    // 0.5 A/fs in random directions: far too hot, yet under the skin per 1 fs step.
    const v = Float64Array.from({ length: 3 * n }, (_, k) => (k % 3 === 0 ? 0.5 : 0) * (k % 2 ? 1 : -1));
    const o = await run({ ensemble: 'nve', timeStepFs: 1 }, { velocities: v });
    expectBlowUp(o, /kinetic temperature is above 100000 K/);
  });

  it('a potential energy beyond 1e4 kcal/mol per atom (two Cl 0.6 A apart)', async () => {
    const x = Float64Array.from(s.frame.positions);
    for (let c = 0; c < 3; c++) x[3 * 101 + c] = x[3 * 100 + c] + (c === 0 ? 0.6 : 0);
    const o = await run({ ensemble: 'nve', timeStepFs: 1 }, { positions: x });
    expect(expectBlowUp(o, /potential energy is beyond 10000 kcal\/mol per atom/)).toBe(0);
  });

  it('a barostat that changes the cell by more than 5 % in one step', async () => {
    const o = await run({
      ensemble: 'npt',
      timeStepFs: 2,
      temperatureK: 300,
      pressureAtm: 1e7,
      barostatDampingFs: 2,
      thermoEvery: 1,
    });
    expectBlowUp(
      o,
      /barostat changes the cell's [xyz] edge by a factor [\d.e+-]+ in one step \(more than 5 %\)/,
    );
  });

  it('an atom lost far from the cell refuses to start (the pair list would meet wrong images)', async () => {
    const x = Float64Array.from(s.frame.positions);
    x[0] = 1e8;
    await expect(run({ ensemble: 'nve' }, { positions: x }).then((o) => o.error)).resolves.toMatchObject({
      name: 'PhysicsError',
      message: expect.stringMatching(
        /cannot start at step 0: atom 1 \(\w+\) is lost: 7\.\d+e\+6 cell lengths/,
      ),
    });
  });

  it('sane runs are not stopped: 1000 steps of NVT at 2 fs and 2000 K', async () => {
    const o = await run({
      ensemble: 'nvt',
      timeStepFs: 2,
      steps: 1000,
      frameEvery: 100,
      checkpointEvery: 100,
    });
    expect(o.error).toBeUndefined();
    expect(o.rows.at(-1)).toBe(1000);
  }, 60_000);
});
