/**
 * Issue 5, worker threads inside one run: the pair forces split over threads equal the one-thread
 * forces (to rounding), for the small cell (all images), a large cell (cell lists) with atoms
 * several cells away from home, and Ewald; a run on two threads is bitwise reproducible and
 * resumes bitwise from its checkpoint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOligomer } from '../../src/builders/oligomer.js';
import { packGlass } from '../../src/builders/pack-glass.js';
import { supercell } from '../../src/builders/supercell.js';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { computeEnergy } from '../../src/forcefield/energy.js';
import { type ForceField, LAOC_V1, withCoulomb } from '../../src/forcefield/force-field.js';
import { typeSystem } from '../../src/forcefield/typing.js';
import { readCheckpoint, writeCheckpoint } from '../../src/md/checkpoint.js';
import { ForceKernel, type ForceOutput, newForceOutput } from '../../src/md/force-kernel.js';
import { type MdCheckpoint, RunCancelled, runMd } from '../../src/md/integrator.js';
import { CTRL } from '../../src/md/pair-threads.js';

const glass = () => packGlass({ units: [{ molecule: buildOligomer(), count: 8 }], seed: 2 });

const forcesOn = async (s: Structure, ff: ForceField, threads: number) => {
  const sys = typeSystem(s, ff);
  const k = new ForceKernel(sys, ff, s.frame.lattice!);
  await k.startThreads(threads);
  expect(k.threadCount).toBe(threads);
  try {
    const f = new Float64Array(3 * sys.natoms);
    const out = newForceOutput();
    k.compute(s.frame.positions, f, out);
    // A second call on moved positions: the workers follow the positions they are handed.
    const moved = Float64Array.from(s.frame.positions, (v, i) => v + 0.01 * Math.sin(i));
    k.compute(moved, f, out);
    return { f, out };
  } finally {
    k.dispose();
  }
};

const expectSame = (a: { f: Float64Array; out: ForceOutput }, b: { f: Float64Array; out: ForceOutput }) => {
  for (const key of ['bond', 'angle', 'vdw', 'coulomb'] as const)
    expect(Math.abs(b.out.termsKcalMol[key] - a.out.termsKcalMol[key])).toBeLessThan(
      1e-11 * Math.max(1, Math.abs(a.out.termsKcalMol[key])),
    );
  let scale = 0;
  for (const v of a.f) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < a.f.length; i++) expect(Math.abs(b.f[i] - a.f[i])).toBeLessThan(1e-12 * scale);
  for (let k = 0; k < 6; k++)
    expect(Math.abs(b.out.virialKcalMol[k] - a.out.virialKcalMol[k])).toBeLessThan(
      1e-11 * Math.max(1, Math.abs(a.out.virialKcalMol[k])),
    );
};

describe('pair forces on worker threads', () => {
  it('equal the one-thread forces: small cell, DSF and Ewald, 2 and 3 threads', async () => {
    const s = glass();
    for (const ff of [LAOC_V1, withCoulomb(LAOC_V1, 'ewald')]) {
      const one = await forcesOn(s, ff, 1);
      expectSame(one, await forcesOn(s, ff, 2));
      expectSame(one, await forcesOn(s, ff, 3));
    }
  }, 60_000);

  it('stay right when a worker wakes without a new task (a late notify, as under load)', async () => {
    // The old hand-over counted finished workers: a worker woken with no new task (the caller's
    // notify for a task arriving after the worker had already done it) ran the task again and
    // counted twice, so the caller could read a partial force array before it was written (a
    // rare, load-dependent break of bitwise reproducibility). Here such wakes are forced between
    // tasks, and every threaded result must still equal the one-thread forces.
    const s = glass();
    const sys = typeSystem(s, LAOC_V1);
    const threaded = new ForceKernel(sys, LAOC_V1, s.frame.lattice!);
    const reference = new ForceKernel(sys, LAOC_V1, s.frame.lattice!);
    await threaded.startThreads(3);
    const ctrl = (threaded as unknown as { threads: { ctrl: Int32Array } }).threads.ctrl;
    const out = newForceOutput;
    const n3 = 3 * sys.natoms;
    const [f, g, fRef] = [new Float64Array(n3), new Float64Array(n3), new Float64Array(n3)];
    let worst = 0;
    try {
      for (let k = 0; k < 60; k++) {
        const a = Float64Array.from(s.frame.positions, (v, i) => v + 0.02 * Math.sin(i + k));
        const b = Float64Array.from(s.frame.positions, (v, i) => v + 0.02 * Math.cos(i - k));
        threaded.compute(a, f, out());
        for (let w = 0; w < 3; w++) Atomics.notify(ctrl, CTRL.task);
        threaded.compute(b, g, out());
        reference.compute(b, fRef, out());
        for (let i = 0; i < n3; i++) worst = Math.max(worst, Math.abs(g[i] - fRef[i]));
      }
    } finally {
      threaded.dispose();
    }
    // kcal/mol/A (components here: median 24, largest 391); thread counts differ by rounding only.
    expect(worst).toBeLessThan(1e-9);
  }, 60_000);

  it('equal the one-thread forces in a large cell (cell lists) with atoms cells away from home', async () => {
    const big = supercell(glass(), [3, 3, 3]);
    const m = big.frame.lattice!.matrix;
    // Unwrapped positions as a long run leaves them: every seventh atom moved by whole cells.
    const p = Float64Array.from(big.frame.positions);
    for (let i = 0; i < p.length / 3; i += 7) {
      const [na, nb, nc] = [(i % 5) - 2, (i % 3) - 1, -3 + (i % 7)];
      for (let c = 0; c < 3; c++) p[3 * i + c] += na * m[c] + nb * m[3 + c] + nc * m[6 + c];
    }
    const moved: Structure = { ...big, frame: { ...big.frame, positions: p } };
    const home = await forcesOn(big, LAOC_V1, 1);
    const one = await forcesOn(moved, LAOC_V1, 1);
    // Moving atoms by whole cells changes nothing but rounding.
    expectSame(home, one);
    expectSame(one, await forcesOn(moved, LAOC_V1, 2));
  }, 60_000);
});

describe('cell lists in a triclinic cell', () => {
  it('a sheared 3x3x3 supercell on two threads equals the reference direct sum', async () => {
    const big = supercell(glass(), [3, 3, 3]);
    // Tilt b along x and c along x and y (affine: the atoms follow), well away from orthorhombic.
    const m = Array.from(big.frame.lattice!.matrix);
    const tilt = { bx: 0.3 * m[4], cx: -0.25 * m[8], cy: 0.2 * m[8] };
    const p = Float64Array.from(big.frame.positions);
    for (let i = 0; i < p.length / 3; i++) {
      const fb = p[3 * i + 1] / m[4];
      const fc = p[3 * i + 2] / m[8];
      p[3 * i] += fb * tilt.bx + fc * tilt.cx;
      p[3 * i + 1] += fc * tilt.cy;
    }
    m[3] += tilt.bx;
    m[6] += tilt.cx;
    m[7] += tilt.cy;
    const sheared: Structure = { ...big, frame: { ...big.frame, positions: p, lattice: new Lattice(m) } };
    const sys = typeSystem(sheared, LAOC_V1);
    const ref = computeEnergy(p, sheared.frame.lattice!, sys, LAOC_V1);
    const k = new ForceKernel(sys, LAOC_V1, sheared.frame.lattice!);
    await k.startThreads(2);
    const f = new Float64Array(3 * sys.natoms);
    const out = newForceOutput();
    k.compute(p, f, out);
    k.dispose();
    for (const key of ['bond', 'angle', 'vdw', 'coulomb'] as const)
      expect(Math.abs(out.termsKcalMol[key] - ref.termsKcalMol[key])).toBeLessThan(
        1e-9 * Math.max(1, Math.abs(ref.termsKcalMol[key])),
      );
    for (let i = 0; i < f.length; i++) expect(Math.abs(f[i] - ref.forcesKcalMolA[i])).toBeLessThan(1e-8);
  }, 120_000);
});

describe('a run on two threads', () => {
  const s = glass();
  const sys = typeSystem(s, LAOC_V1);
  const L = s.frame.lattice!;
  const base = {
    ensemble: 'nvt' as const,
    temperatureK: 500,
    steps: 200,
    thermoEvery: 10,
    seed: 4,
    skinA: 0.3,
    threads: 2,
  };

  it('is bitwise reproducible, follows the one-thread run to rounding, and resumes bitwise', async () => {
    const a = await runMd(s.frame.positions, L, sys, LAOC_V1, base);
    const again = await runMd(s.frame.positions, L, sys, LAOC_V1, base);
    expect(Buffer.from(again.positions.buffer).equals(Buffer.from(a.positions.buffer))).toBe(true);
    // Rounding differences grow along a chaotic trajectory; over 20 steps they stay tiny.
    const short = { ...base, steps: 20 };
    const two = await runMd(s.frame.positions, L, sys, LAOC_V1, short);
    const one = await runMd(s.frame.positions, L, sys, LAOC_V1, { ...short, threads: 1 });
    for (let i = 0; i < one.positions.length; i++)
      expect(Math.abs(two.positions[i] - one.positions[i])).toBeLessThan(1e-9);

    const dir = mkdtempSync(join(tmpdir(), 'oligolyte-threads-'));
    const file = join(dir, 'checkpoint.json');
    const abort = new AbortController();
    await expect(
      runMd(s.frame.positions, L, sys, LAOC_V1, {
        ...base,
        signal: abort.signal,
        onThermo: (r) => {
          if (r.step === 110) abort.abort();
        },
        onCheckpoint: (cp: MdCheckpoint) => writeCheckpoint(file, cp),
      }),
    ).rejects.toBeInstanceOf(RunCancelled);
    const { checkpoint } = readCheckpoint(file);
    expect(checkpoint.threads).toBe(2);
    // The resumed run keeps the checkpoint's thread count even when asked for another.
    const b = await runMd(s.frame.positions, L, sys, LAOC_V1, { ...base, threads: 1, resume: checkpoint });
    rmSync(dir, { recursive: true, force: true });
    expect(Buffer.from(b.positions.buffer).equals(Buffer.from(a.positions.buffer))).toBe(true);
    expect(Buffer.from(b.velocities.buffer).equals(Buffer.from(a.velocities.buffer))).toBe(true);
  }, 120_000);

  it('NPT with Ewald: the workers follow the changing cell (the run follows the one-thread run)', async () => {
    const ff = withCoulomb(LAOC_V1, 'ewald');
    const ewaldSys = typeSystem(s, ff);
    const npt = {
      ensemble: 'npt' as const,
      temperatureK: 600,
      pressureAtm: 5000,
      barostatDampingFs: 100,
      steps: 30,
      seed: 3,
    };
    const one = await runMd(s.frame.positions, L, ewaldSys, ff, { ...npt, threads: 1 });
    const two = await runMd(s.frame.positions, L, ewaldSys, ff, { ...npt, threads: 2 });
    // The cell moved, so the test means something.
    expect(Math.abs(one.lattice.volume - L.volume)).toBeGreaterThan(1);
    expect(Math.abs(two.lattice.volume / one.lattice.volume - 1)).toBeLessThan(1e-10);
    for (let i = 0; i < one.positions.length; i++)
      expect(Math.abs(two.positions[i] - one.positions[i])).toBeLessThan(1e-9);
  }, 60_000);

  it('refuses a thread count that is not a whole number >= 1', async () => {
    await expect(runMd(s.frame.positions, L, sys, LAOC_V1, { ...base, threads: 0 })).rejects.toThrow(
      /threads: 0 is not a whole number >= 1/,
    );
  });
});
