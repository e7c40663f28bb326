/**
 * The time between frames (issue 25 item 6): a LAMMPS dump whose TIMESTEP values say the frames
 * are 10 steps apart, analysed with a frame step of 1, gave D 10x too large, silently. When the
 * file carries step numbers, a frame step that disagrees is an error; when it carries none, the
 * result says where each part of the interval came from.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseTransport, type TransportOptions } from '../../src/analysis/transport/analyse-run.js';
import { transportTable } from '../../src/analysis/transport/report.js';
import { OptionError, ParseError } from '../../src/core/errors.js';
import type { Structure } from '../../src/core/frame.js';
import { Lattice } from '../../src/core/lattice.js';
import { Topology } from '../../src/core/topology.js';
import { readFrames, writeFrames } from '../../src/io/registry.js';
import { cli, seededGaussian, sharedFixture, tempDir } from '../helpers.js';

const lattice = Lattice.cubic(12);
const NLI = 40;
const topology = new Topology({
  symbols: Array.from({ length: NLI + 8 }, (_, i) => (i < NLI ? 'Li' : 'Cl')),
});

/** A random walk of 40 Li among 8 fixed Cl, 100 frames, with the given step number (and time) per frame. */
const run = (step: (k: number) => number | undefined, timeFs?: (k: number) => number): Structure[] => {
  const gauss = seededGaussian(6);
  const pos = Float64Array.from({ length: 3 * (NLI + 8) }, (_, i) => (i * 1.7) % 12);
  return Array.from({ length: 100 }, (_, k) => {
    if (k > 0) for (let i = 0; i < 3 * NLI; i++) pos[i] += 0.3 * gauss();
    const frame: Structure['frame'] = { positions: pos.slice(), lattice, unwrapped: true };
    const s = step(k);
    if (s !== undefined) frame.step = s;
    if (timeFs) frame.timeFs = timeFs(k);
    return { topology, frame };
  });
};

const file = async (name: string, frames: Structure[]): Promise<string> => {
  const path = join(tempDir(), name);
  await writeFrames(path, frames, { unwrapped: true });
  return path;
};

const analyse = (path: string, options: Partial<TransportOptions>) =>
  analyseTransport(readFrames(path), { species: 'Li', temperatureK: 600, ...options });

/** The error `p` rejects with. */
const rejection = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
};

describe('a LAMMPS dump whose TIMESTEP values say 10 steps between frames', () => {
  const dump = () =>
    file(
      'run.lammpstrj',
      run((k) => 1000 + 10 * k),
    );
  it('frameStep 1 (the default made D 10x too large) is an OptionError naming `frameStep`', async () => {
    const e = await rejection(analyse(await dump(), { timeStepFs: 1, frameStep: 1 }));
    expect(e).toBeInstanceOf(OptionError);
    expect((e as OptionError).option).toBe('frameStep');
    expect(e.message).toBe(
      "`frameStep` is 1, but the frames are 10 integrator steps apart by the file's step numbers (1000, 1010, ...): leave `frameStep` out, or give 10",
    );
  });
  it('without frameStep, the file says 10 steps: 10 fs between frames, and the result says so', async () => {
    const path = await dump();
    const { result } = await analyse(path, { timeStepFs: 1 });
    expect(result.frameIntervalFs).toBe(10);
    expect(result.frameStep).toBe(10);
    expect(result.frameStepFrom).toBe('file steps');
    expect(result.frameIntervalFrom).toBe('option');
    const agreeing = await analyse(path, { timeStepFs: 1, frameStep: 10 });
    expect(agreeing.result.frameIntervalFs).toBe(10);
    expect(agreeing.result.diffusivity.glsCm2PerS.value).toBe(result.diffusivity.glsCm2PerS.value);
    const table = transportTable({ runs: [{ file: path, format: 'lammps-dump', run: { ...agreeing } }] });
    expect(table).toContain('100 frames, 10.00 fs apart (time step 1.000 fs (option) x 10 steps (option))');
  });
  it('steps that are not evenly spaced are an error at the frame that breaks them', async () => {
    const path = await file(
      'uneven.lammpstrj',
      run((k) => (k < 50 ? 10 * k : 10 * k + 5)),
    );
    const e = await rejection(analyse(path, { timeStepFs: 1 }));
    expect(e).toBeInstanceOf(ParseError);
    const pe = e as ParseError;
    // Frame 51 starts at line 1 + 50 x (9 + 48 atoms) of the dump.
    expect(pe.line).toBe(1 + 50 * 57);
    expect(pe.message).toContain(
      'expected frames evenly spaced in steps (frame 51 is 15 steps after frame 50, not 10)',
    );
  });
  it('the CLI: --frame-step 1 exits 2 naming the flag; without it the table says where each part came from', () => {
    return dump().then((path) => {
      const bad = cli('transport', path, '--temperature', '600', '--time-step', '1', '--frame-step', '1');
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/^oligolyte: --frame-step is 1, but the frames are 10 integrator steps apart/m);
      const good = cli('transport', path, '--temperature', '600', '--time-step', '1');
      expect(good.code, good.err).toBe(0);
      expect(good.out).toContain(
        '10.00 fs apart (time step 1.000 fs (option) x 10 steps (file step numbers))',
      );
    });
  });
});

describe('files without step numbers say which part came from where', () => {
  it('no steps, no times: the time step given x 1 step, assumed', async () => {
    const path = await file(
      'run.extxyz',
      run(() => undefined),
    );
    const run1 = await analyse(path, { timeStepFs: 2 });
    expect(run1.result.frameIntervalFs).toBe(2);
    expect(run1.result.frameStepFrom).toBe('assumed');
    const table = transportTable({ runs: [{ file: path, format: 'extxyz', run: run1 }] });
    expect(table).toContain('2.000 fs apart (time step 2.000 fs (option) x 1 step (assumed))');
    const run5 = await analyse(path, { timeStepFs: 2, frameStep: 5 });
    expect(run5.result.frameIntervalFs).toBe(10);
    expect(run5.result.frameStepFrom).toBe('option');
  });
  it('frame times that disagree with the options: the options are used, and a note says so', async () => {
    const path = await file(
      'times.extxyz',
      run(
        () => undefined,
        (k) => 20 * k,
      ),
    );
    const { result } = await analyse(path, { timeStepFs: 2 });
    expect(result.frameIntervalFs).toBe(2);
    expect(result.notes).toContain(
      "the file's frame times are 20 fs apart; the time step and steps given make 2 fs, which is used",
    );
    const byTimes = await analyse(path, { frameStep: 5 });
    expect(byTimes.result.frameIntervalFs).toBe(20);
    expect(byTimes.result.frameIntervalFrom).toBe('file times');
    expect(byTimes.result.notes).toContain(
      "the frames' times in the file set the time between them; the frame step given is not used",
    );
  });
  it("XDATCAR numbers configurations, not steps: kinisi's argyrodite (1, 2, 3, ... 50 steps apart) takes frameStep 50", async () => {
    const { result } = await analyseTransport(
      readFrames(sharedFixture('peer-trajectories/kinisi/example_XDATCAR.gz'), { frames: { stop: 40 } }),
      { species: 'Li', temperatureK: 600, timeStepFs: 2, frameStep: 50 },
    );
    expect(result.frameIntervalFs).toBe(100);
    expect(result.frameStepFrom).toBe('option');
  });
});
