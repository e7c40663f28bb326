/**
 * The note "OLS and GLS slopes differ by more than 2 standard deviations": on straight MSDs (random
 * walks) it must fire at its nominal rate, P(|z| > 2) = 4.55 %, and on bent ones (caged walks) it
 * must fire. It once compared the OLS - GLS gap with the GLS standard deviation alone and fired on
 * 15-20 % of these walks (and on a 400-atom, 10,000-frame walk with D exactly 1e-5 cm^2/s).
 */
import { describe, expect, it } from 'vitest';
import { fitDiffusivity } from '../../src/analysis/transport/diffusivity.js';
import { computeMsd, statisticsLags } from '../../src/analysis/transport/msd.js';
import { walk } from './random-walk.js';

const NOTE = 'OLS and GLS slopes differ';
const T = 400;
const dt = 10;
// 40 statistics lags instead of 100 make each fit ~3x faster; the note's calibration does not
// depend on the lag grid.
const fitWalk = (seed: number, vibration: number, cage = Number.POSITIVE_INFINITY) =>
  fitDiffusivity(
    computeMsd(walk(seed, 16, 8, T, 0.1, 0.003, vibration, cage), { statisticsLags: statisticsLags(T, 40) }),
    {
      frameIntervalFs: dt,
      fitStartPs: (0.1 * ((T - 1) * dt)) / 1000,
    },
  );

describe('the OLS/GLS straightness note', () => {
  it('fires on random walks at its nominal rate (4.55 % for 2 sd; 1000 walks, +-3.3 binomial sd)', () => {
    const R = 1000;
    const p = 0.0455;
    const band = 3.3 * Math.sqrt((p * (1 - p)) / R); // 0.022
    let fired = 0;
    let firedBefore = 0;
    let z2 = 0;
    for (let r = 0; r < R; r++) {
      const f = fitWalk(1000 + r, 0);
      if (f.notes.some((n) => n.startsWith(NOTE))) fired++;
      const gap = f.olsGapCm2PerS;
      z2 += (gap.value / gap.std) ** 2;
      // The old rule: the OLS over every lag against the GLS standard deviation.
      if (Math.abs(f.olsCm2PerS - f.glsCm2PerS.value) > 2 * f.glsCm2PerS.std) firedBefore++;
    }
    expect(fired / R).toBeGreaterThan(p - band);
    expect(fired / R).toBeLessThan(p + band);
    // The standardised gap has unit spread (sd of the rms over 1000 walks ~0.02).
    const rmsZ = Math.sqrt(z2 / R);
    expect(rmsZ).toBeGreaterThan(0.9);
    expect(rmsZ).toBeLessThan(1.1);
    // What the fix fixed: the same walks under the old rule.
    expect(firedBefore / R).toBeGreaterThan(0.1);
  }, 120_000);
  it('with vibrations (0.3 A offsets, larger than a step) the rate stays nominal (400 walks)', () => {
    const R = 400;
    const p = 0.0455;
    const band = 3.3 * Math.sqrt((p * (1 - p)) / R); // 0.034
    let fired = 0;
    for (let r = 0; r < R; r++) if (fitWalk(5000 + r, 0.3).notes.some((n) => n.startsWith(NOTE))) fired++;
    expect(fired / R).toBeGreaterThan(p - band);
    expect(fired / R).toBeLessThan(p + band);
  }, 120_000);
  it('fires when the MSD is clearly not straight: walks caged within +-0.7 A (every one of 8 seeds)', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const f = fitWalk(seed, 0, 0.7);
      expect(
        f.notes.some((n) => n.startsWith(NOTE)),
        `seed ${seed}`,
      ).toBe(true);
      // The OLS slope falls below the GLS one: OLS weighs the flattened long lags more.
      expect(f.olsGapCm2PerS.value / f.olsGapCm2PerS.std).toBeLessThan(-2);
    }
  });
});
