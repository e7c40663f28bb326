/**
 * Residence-time correlation functions: equal to their defining sums computed directly, the
 * analytic decay of a two-state Markov chain, the transition counts of a scripted series, and the
 * stretched-exponential fit on exact data.
 */
import { describe, expect, it } from 'vitest';
import {
  fitLifetime,
  mapStates,
  residenceCorrelations,
  transitionCounts,
} from '../../../src/analysis/structure/residence.js';
import { logGamma } from '../../../src/core/statistics.js';
import { seededRandom } from '../../helpers.js';

/** C_c and C_i straight from the definitions: every centre, origin and lag. */
const direct = (series: Uint16Array[], T: number, state: number, maxLag: number) => {
  const N = series.length;
  let h = 0;
  for (const s of series) for (let t = 0; t < T; t++) if (s[t] === state) h++;
  h /= N * T;
  const cc: number[] = [];
  const ci: number[] = [];
  for (let m = 0; m <= maxLag; m++) {
    let c = 0;
    let i = 0;
    for (const s of series)
      for (let t0 = 0; t0 + m < T; t0++) {
        if (s[t0] !== state) continue;
        if (s[t0 + m] === state) i++;
        let kept = true;
        for (let t = t0; t <= t0 + m && kept; t++) if (s[t] !== state) kept = false;
        if (kept) c++;
      }
    cc.push(c / (N * (T - m)) / h);
    ci.push(i / (N * (T - m)) / h);
  }
  return { cc, ci, h };
};

describe('residence correlations', () => {
  it('equal the defining sums over centres and origins (C_c, C_i, <h>)', () => {
    const rnd = seededRandom(4);
    const T = 157;
    const K = 4;
    // Sticky random states: runs of several frames.
    const series = Array.from({ length: 5 }, () => {
      const s = new Uint16Array(T);
      let k = Math.floor(rnd() * (K - 1));
      for (let t = 0; t < T; t++) {
        if (rnd() < 0.2) k = Math.floor(rnd() * (K - 1)); // state K-1 is never visited
        s[t] = k;
      }
      return s;
    });
    const maxLag = 60;
    const r = residenceCorrelations(series, T, K, maxLag);
    expect(r.maxLagFrames).toBe(maxLag);
    for (let k = 0; k < K - 1; k++) {
      const d = direct(series, T, k, maxLag);
      expect(r.occupancy[k]).toBeCloseTo(d.h, 14);
      for (let m = 0; m <= maxLag; m++) {
        expect(r.continuous[k][m], `C_c state ${k} lag ${m}`).toBeCloseTo(d.cc[m], 12);
        expect(r.intermittent[k][m], `C_i state ${k} lag ${m}`).toBeCloseTo(d.ci[m], 12);
      }
    }
    expect(r.occupancy[K - 1]).toBe(0);
    expect(r.continuous[K - 1][0]).toBeNaN();
    // An odd number of centres (one FFT pair has a single series) and a lag beyond the run.
    const odd = residenceCorrelations(series.slice(0, 3), T, K, 10_000);
    expect(odd.maxLagFrames).toBe(T - 1);
    const d = direct(series.slice(0, 3), T, 1, 5);
    for (let m = 0; m <= 5; m++) expect(odd.intermittent[1][m]).toBeCloseTo(d.ci[m], 12);
  });

  it('a two-state Markov chain: C_c = (1 - p)^t, C_i = <h> + (1 - <h>)(1 - 2p)^t, and their fitted times', () => {
    const rnd = seededRandom(9);
    const p = 0.04;
    const T = 5000;
    const series = Array.from({ length: 40 }, () => {
      const s = new Uint16Array(T);
      let k = rnd() < 0.5 ? 0 : 1;
      for (let t = 0; t < T; t++) {
        if (rnd() < p) k = 1 - k;
        s[t] = k;
      }
      return s;
    });
    const r = residenceCorrelations(series, T, 2, 200);
    const dtPs = 0.01;
    const lags = Array.from({ length: 201 }, (_, m) => m * dtPs);
    for (const k of [0, 1]) {
      const h = r.occupancy[k];
      expect(h).toBeCloseTo(0.5, 1);
      for (const m of [1, 10, 30]) {
        expect(r.continuous[k][m]).toBeCloseTo((1 - p) ** m, 1);
        expect(r.intermittent[k][m]).toBeCloseTo(h + (1 - h) * (1 - 2 * p) ** m, 1);
      }
      // Lifetimes: -dt / ln(1 - p) for staying, -dt / ln(1 - 2p) for the memory of the state.
      const fc = fitLifetime(lags, r.continuous[k]);
      expect(fc.decayed).toBe(true);
      expect(fc.meanPs! / (-dtPs / Math.log(1 - p))).toBeCloseTo(1, 1);
      expect(fc.beta!).toBeCloseTo(1, 1);
      const fi = fitLifetime(
        lags,
        r.intermittent[k].map((v) => (v - h) / (1 - h)),
      );
      expect(fi.meanPs! / (-dtPs / Math.log(1 - 2 * p))).toBeCloseTo(1, 1);
    }
  });

  it('transition counts and coarser states', () => {
    const s = [Uint16Array.from([0, 0, 1, 1, 2, 0]), Uint16Array.from([2, 2, 2, 1, 1, 1])];
    const c = transitionCounts(s, 6, 3);
    // Rows: from; columns: to.
    expect(Array.from(c)).toEqual([1, 1, 0, 0, 3, 1, 1, 1, 2]);
    const merged = mapStates(s, 6, [0, 1, 1]);
    expect(Array.from(merged[0])).toEqual([0, 0, 1, 1, 1, 0]);
    expect(Array.from(transitionCounts(merged, 6, 2))).toEqual([1, 1, 1, 7]);
  });
});

describe('lifetime fit', () => {
  it('recovers tau and beta of an exact stretched exponential, <tau> = (tau / beta) Gamma(1 / beta)', () => {
    for (const [tau, beta] of [
      [2, 1],
      [3.5, 0.6],
      [1.2, 1.4],
    ]) {
      const lags = Array.from({ length: 400 }, (_, m) => m * 0.05);
      const c = lags.map((t) => Math.exp(-((t / tau) ** beta)));
      const f = fitLifetime(lags, c);
      expect(f.tauPs!).toBeCloseTo(tau, 6);
      expect(f.beta!).toBeCloseTo(beta, 6);
      expect(f.meanPs!).toBeCloseTo((tau / beta) * Math.exp(logGamma(1 / beta)), 6);
      expect(f.decayed).toBe(true);
      // The data's own integral over the window: <tau> when the window holds the decay, less when
      // a stretched tail reaches beyond it (beta 0.6: c(20 ps) = 0.08).
      if (beta >= 1) expect(f.integralPs / f.meanPs!).toBeCloseTo(1, 3);
      else expect(f.integralPs).toBeLessThan(f.meanPs!);
    }
  });

  it('a curve that never decays gives no time; one gone within a frame gives an exponential through it', () => {
    const lags = [0, 1, 2, 3];
    expect(fitLifetime(lags, [1, 1, 1, 1]).tauPs).toBeNull();
    expect(fitLifetime(lags, [1, 0.99, 0.98, 0.97]).tauPs).toBeNull();
    const fast = fitLifetime(lags, [1, 0.01, 0, 0]);
    expect(fast.tauPs).toBeCloseTo(-1 / Math.log(0.01), 12);
    expect(fast.beta).toBe(1);
  });

  it('a fast drop onto a long plateau: no mean lifetime ten windows out, the integral instead', () => {
    // Half the centres leave within a frame, the rest stay the whole window: the stretched
    // exponential goes to beta's bound, whose mean (tau / beta) Gamma(1 / beta) is astronomically
    // long (a CLI once printed 1.8e14 ps for such a curve).
    const lags = Array.from({ length: 200 }, (_, m) => m * 0.1);
    const c = lags.map((t) => (t === 0 ? 1 : 0.3 + 0.05 * Math.exp(-t / 5)));
    const f = fitLifetime(lags, c);
    expect(f.decayed).toBe(true);
    expect(f.beta).toBeLessThan(0.2);
    expect(f.meanPs).toBeNull();
    expect(f.integralPs).toBeGreaterThan(0);
    expect(f.integralPs).toBeLessThan(lags[lags.length - 1]);
  });
});
