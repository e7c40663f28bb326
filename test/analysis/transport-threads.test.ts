/**
 * The MSD sums split over worker threads (msd-threads.ts): the same numbers as one thread up to
 * the order of additions, and the same bits for a given thread count, run after run.
 */
import { describe, expect, it } from 'vitest';
import { computeMsd, type MsdResult } from '../../src/analysis/transport/msd.js';
import { computeMsdThreaded, MSD_THREADS_MIN_WORK } from '../../src/analysis/transport/msd-threads.js';
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
});
