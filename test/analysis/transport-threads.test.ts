/**
 * The MSD sums split over worker threads (msd-threads.ts): the same numbers as one thread up to
 * the order of additions, and the same bits for a given thread count, run after run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DisplacementRecorder } from '../../src/analysis/transport/displacements.js';
import { computeMsd, elementMsds, type MsdResult } from '../../src/analysis/transport/msd.js';
import {
  computeMsdThreaded,
  elementMsdsThreaded,
  MSD_THREADS_MIN_WORK,
  MsdWorkers,
} from '../../src/analysis/transport/msd-threads.js';
import { analyseTransportFiles } from '../../src/analysis/transport/report.js';
import { Topology } from '../../src/core/topology.js';
import { seededGaussian } from '../helpers.js';
import { dcdBytes } from '../io/dcd-bytes.js';
import { walk } from './random-walk.js';

const arrays = (r: MsdResult): Float64Array[] => [
  ...r.tracer.axis,
  r.tracer.total,
  ...r.collective.axis,
  r.collective.total,
  ...r.tracerStats.mean.axis,
  ...r.tracerStats.variance.axis,
  r.tracerStats.nonGaussian,
  r.tracerStats.samples,
  r.collectiveStats.mean.total,
];

const maxRelative = (a: Float64Array[], b: Float64Array[]) => {
  let worst = 0;
  for (const [k, x] of a.entries())
    for (let j = 0; j < x.length; j++) {
      const scale = Math.max(Math.abs(x[j]), Math.abs(b[k][j]), 1e-300);
      worst = Math.max(worst, Math.abs(x[j] - b[k][j]) / scale);
    }
  return worst;
};

describe('MSD over worker threads', () => {
  // 300 atoms x 7,000 frames: above the work at which threads are used.
  const d = walk(11, 300, 8, 7000, 0.1, 0.002, 0.05);
  it('is large enough to be split', () =>
    expect(d.atoms * d.frames).toBeGreaterThanOrEqual(MSD_THREADS_MIN_WORK));
  const one = computeMsd(d);

  it('two threads give the one-thread numbers up to rounding, and the same bits every time', async () => {
    const progress: number[] = [];
    const two = await computeMsdThreaded(d, { onProgress: (done) => progress.push(done) }, 2);
    expect(maxRelative(arrays(two), arrays(one))).toBeLessThan(1e-10);
    // Whole-number sums (the sample counts) are exact.
    expect(two.tracerStats.samples).toEqual(one.tracerStats.samples);
    const again = await computeMsdThreaded(d, {}, 2);
    for (const [k, x] of arrays(two).entries()) expect(arrays(again)[k]).toEqual(x);
    expect(Math.max(...progress)).toBe(300);
  }, 60_000);

  it('one thread is computeMsd, bit for bit', async () => {
    const t1 = await computeMsdThreaded(d, {}, 1);
    for (const [k, x] of arrays(one).entries()) expect(arrays(t1)[k]).toEqual(x);
  }, 60_000);

  it('a small run stays in this thread (bit for bit as computeMsd)', async () => {
    const small = walk(3, 12, 4, 400, 0.1, 0.002, 0.05);
    const ref = computeMsd(small);
    const threaded = await computeMsdThreaded(small, {}, 2);
    for (const [k, x] of arrays(ref).entries()) expect(arrays(threaded)[k]).toEqual(x);
  });

  it('option errors are the same as computeMsd', async () => {
    await expect(computeMsdThreaded(d, { axes: [0, 0] }, 2)).rejects.toThrow(/axes must be distinct/);
  });

  it('a worker takes one job after another: the tracer sums, then the other elements', async () => {
    // A small run with other atoms kept, for the second job.
    const gauss = seededGaussian(5);
    const rec = new DisplacementRecorder(40, { selected: [0, 1, 2, 3], others: true, otherFrames: 64 });
    const pos = new Float64Array(120);
    for (let t = 0; t < 300; t++) {
      for (let i = 0; i < pos.length; i++) pos[i] += 0.1 * gauss();
      rec.push({ positions: pos, unwrapped: true });
    }
    const sparse = rec.result().others!;
    const symbol = (atom: number) => (atom % 2 ? 'Al' : 'Cl');
    const symbols = Array.from({ length: 40 }, (_, i) => symbol(i));
    const pool = new MsdWorkers(1);
    try {
      // Made ahead, as while the frames are read: the answers are unchanged.
      pool.prepare(d.frames);
      let sumsDone = 0;
      const two = await computeMsdThreaded(d, { onSumsDone: () => sumsDone++ }, 2, pool);
      expect(sumsDone).toBe(1);
      for (const [k, x] of arrays(await computeMsdThreaded(d, {}, 2)).entries())
        expect(arrays(two)[k]).toEqual(x);
      const elements = await elementMsdsThreaded(sparse.sparseData, symbols, [0, 1, 2], pool);
      expect(elements).toEqual(elementMsds(sparse, symbol));
      // The same worker did both (one was started, and it is idle again).
      expect((pool as unknown as { all: Set<unknown> }).all.size).toBe(1);
    } finally {
      pool.close();
    }
  }, 60_000);
});

describe('a DCD read on its own thread, the framework recorded there', () => {
  // 4 Li and 8 framework atoms in a 10 A cell, 2,500 frames (the other atoms' store of 1024 frames
  // is spaced every 4th frame, at once since a DCD says its frame count); below the MSD's
  // threading threshold, so only the reading differs.
  const dir = mkdtempSync(join(tmpdir(), 'oligolyte-transport-ahead-'));
  const topology = new Topology({
    symbols: ['Li', 'Al', 'O', 'Li', 'Cl', 'Cl', 'Li', 'Al', 'O', 'Cl', 'Li', 'Cl'],
  });
  const natoms = topology.natoms;
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  };
  const at = Array.from({ length: 3 * natoms }, () => 5 + 4 * random());
  const frames = Array.from({ length: 2500 }, () => {
    for (let j = 0; j < at.length; j++) at[j] += (Math.floor(j / 3) % 3 === 0 ? 0.3 : 0.05) * random();
    return {
      xyz: [0, 1, 2].map((a) => Array.from({ length: natoms }, (_, i) => at[3 * i + a])),
      cell: [10, 90, 10, 90, 90, 10],
    };
  });
  const unwrappedFile = join(dir, 'unwrapped.dcd');
  writeFileSync(unwrappedFile, dcdBytes(frames));
  const wrappedFile = join(dir, 'wrapped.dcd');
  const wrap = (v: number) => v - 10 * Math.floor(v / 10);
  writeFileSync(wrappedFile, dcdBytes(frames.map((f) => ({ ...f, xyz: f.xyz.map((c) => c.map(wrap)) }))));

  for (const [what, file, unwrapped] of [
    ['unwrapped', unwrappedFile, true],
    ['wrapped', wrappedFile, undefined],
  ] as const)
    it(`gives the one-thread result bit for bit (${what} input, other elements on)`, async () => {
      const run = (threads: number) =>
        analyseTransportFiles([file], {
          species: 'Li',
          temperaturesK: [600],
          timeStepFs: 1,
          unwrapped,
          elementMsd: true,
          threads,
          read: { topology },
        });
      const [one, two] = [await run(1), await run(2)];
      const a = one.runs[0].run;
      const b = two.runs[0].run;
      expect(b.displacements.drift).toEqual(a.displacements.drift);
      expect(b.displacements.others?.sparseData).toEqual(a.displacements.others?.sparseData);
      expect(b.result).toEqual(a.result);
      expect(a.result.otherElements?.map((e) => e.element)).toEqual(['Al', 'O', 'Cl']);
      expect(a.displacements.others?.stride).toBe(4);
    });
});
