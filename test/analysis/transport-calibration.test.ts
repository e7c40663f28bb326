/**
 * The oracle for the error bars: random walks with a known D. A 95 % interval must contain the
 * true D in about 95 % of independent runs. With R runs the count is binomial (p = 0.95, sd =
 * sqrt(0.95 x 0.05 / R)); the accepted band is +-3.3 sd. The seeds are fixed, so the test is
 * reproducible, and it fails for a miscalibrated covariance.
 */
import { describe, expect, it } from 'vitest';
import { fitDiffusivity } from '../../src/analysis/transport/diffusivity.js';
import { computeMsd } from '../../src/analysis/transport/msd.js';
import { walk } from './random-walk.js';

const coverage = (R: number, N: number, T: number, model: 'random-walk' | 'kinisi', vibration = 0) => {
  const sigma = 0.1; // A per axis per frame
  const dt = 10; // fs between frames
  const trueD = ((sigma * sigma) / (2 * dt)) * 0.1; // cm^2/s
  let total = 0;
  let axis = 0;
  let z = 0;
  let subdiffusive = 0;
  const ratios: number[] = [];
  for (let r = 0; r < R; r++) {
    const d = walk(1000 + r, N, 8, T, sigma, 0.003, vibration);
    const msd = computeMsd(d);
    const fit = fitDiffusivity(msd, {
      frameIntervalFs: dt,
      fitStartPs: (0.1 * ((T - 1) * dt)) / 1000,
      covariance: model,
    });
    const e = fit.glsCm2PerS;
    if (trueD >= e.value - 1.959964 * e.std && trueD <= e.value + 1.959964 * e.std) total++;
    const x = fit.axisCm2PerS[r % 3];
    if (trueD >= x.value - 1.959964 * x.std && trueD <= x.value + 1.959964 * x.std) axis++;
    z += ((e.value - trueD) / e.std) ** 2;
    if (fit.notes.some((n) => n.startsWith('sub-diffusive'))) subdiffusive++;
    ratios.push(e.value / trueD);
  }
  const mean = ratios.reduce((a, b) => a + b, 0) / R;
  const spread = Math.sqrt(ratios.reduce((a, b) => a + (b - mean) ** 2, 0) / (R - 1));
  return {
    total: total / R,
    axis: axis / R,
    rmsZ: Math.sqrt(z / R),
    mean,
    spread,
    subdiffusive: subdiffusive / R,
  };
};

describe('calibration of the diffusivity intervals on random walks (with drift and wrapping)', () => {
  it('random-walk covariance: 95 % intervals cover the true D 95 % of the time', () => {
    const R = 200;
    const band = 3.3 * Math.sqrt((0.95 * 0.05) / R);
    const c = coverage(R, 16, 400, 'random-walk');
    expect(c.total).toBeGreaterThan(0.95 - band);
    expect(c.total).toBeLessThan(0.95 + band);
    expect(c.axis).toBeGreaterThan(0.95 - band);
    expect(c.axis).toBeLessThan(0.95 + band);
    // The standardised error has unit spread.
    expect(c.rmsZ).toBeGreaterThan(0.85);
    expect(c.rmsZ).toBeLessThan(1.15);
    // Straight MSDs: the sub-diffusion check (3 standard deviations, one-sided) seldom fires.
    expect(c.subdiffusive).toBeLessThan(0.03);
  }, 120_000);
  it('flags caged walks as sub-diffusive (their MSD levels off inside the window), not free ones', () => {
    const dt = 10;
    const T = 400;
    const fitOf = (cage: number, seed: number) =>
      fitDiffusivity(computeMsd(walk(seed, 16, 8, T, 0.1, 0.003, 0, cage)), {
        frameIntervalFs: dt,
        fitStartPs: (0.1 * ((T - 1) * dt)) / 1000,
      });
    for (const seed of [1, 2, 3]) {
      const caged = fitOf(0.7, seed);
      expect(caged.notes.some((n) => n.startsWith('sub-diffusive'))).toBe(true);
      expect(caged.halvesCm2PerS![1].value).toBeLessThan(0.5 * caged.halvesCm2PerS![0].value);
      expect(fitOf(Number.POSITIVE_INFINITY, seed).notes.some((n) => n.startsWith('sub-diffusive'))).toBe(
        false,
      );
    }
  });
  it('with vibrations (offsets of 0.3 A per frame, larger than a step) the intervals stay calibrated', () => {
    const R = 200;
    const band = 3.3 * Math.sqrt((0.95 * 0.05) / R);
    const c = coverage(R, 16, 400, 'random-walk', 0.3);
    expect(c.total).toBeGreaterThan(0.95 - band);
    expect(c.total).toBeLessThan(0.95 + band);
    expect(c.rmsZ).toBeGreaterThan(0.85);
    expect(c.rmsZ).toBeLessThan(1.15);
    expect(c.subdiffusive).toBeLessThan(0.03);
  }, 120_000);
  it("kinisi's model covariance: unbiased, roughly calibrated, but a less precise D than the exact one", () => {
    const R = 100;
    const kinisi = coverage(R, 16, 400, 'kinisi');
    const exact = coverage(R, 16, 400, 'random-walk');
    expect(Math.abs(kinisi.mean - 1)).toBeLessThan(3 * (kinisi.spread / Math.sqrt(R)));
    expect(kinisi.total).toBeGreaterThan(0.8);
    // The same walks: the exact covariance weights the lags better, so its D scatters less.
    expect(exact.spread).toBeLessThan(kinisi.spread);
  }, 120_000);
});
