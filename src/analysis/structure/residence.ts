import { logGamma } from '../../core/statistics.js';
import { AutocorrelationSum } from '../dynamics/spectral.js';

/**
 * How long a centre keeps a state (a coordination label, an NMR class, a coordination number):
 * residence-time correlation functions as in the hydrogen-bond dynamics of water (Rapaport, Mol.
 * Phys. 50, 1151 (1983); Luzar & Chandler, Nature 379, 55 (1996); Luzar, J. Chem. Phys. 113,
 * 10663 (2000)). With h_i(t) = 1 when centre i is in the state at frame t (else 0) and
 * H_i(t0, t) = 1 when it is in the state at every frame from t0 to t0 + t:
 *
 *   continuous    C_c(t) = < h(t0) H(t0, t) > / < h >   (the state never left in between),
 *   intermittent  C_i(t) = < h(t0) h(t0 + t) > / < h >  (left and come back counts as kept),
 *
 * averaged over every centre and every time origin t0 with t0 + t inside the run, and <h> over
 * every centre and frame. Both are 1 at t = 0; C_c decays to 0, C_i to <h> (the chance of being
 * in the state at all). Frames are the time grid, so a visit that leaves and comes back between
 * two stored frames is not seen (store frames more often than the lifetimes).
 *
 * Cost: C_i from summed power spectra (two centres per complex FFT; the cross term only reaches
 * the imaginary part, as in the FFT MSD), one inverse FFT per state; C_c from the run lengths.
 */

/** Per centre, its state in every frame (ids 0 .. stateCount - 1). */
export type StateSeries = readonly Uint16Array[];

export interface ResidenceCorrelations {
  /** Longest lag, in frames: the curves have maxLagFrames + 1 points (lag 0, 1, ...). */
  maxLagFrames: number;
  /** <h> of every state: the fraction of (centre, frame) pairs in it. */
  occupancy: Float64Array;
  /** C_c(t) of every state (all NaN for a state never occupied). */
  continuous: Float64Array[];
  /** C_i(t) of every state (all NaN for a state never occupied). */
  intermittent: Float64Array[];
}

const checkSeries = (series: StateSeries, frames: number) => {
  for (const [c, s] of series.entries())
    if (s.length < frames) throw new RangeError(`centre ${c}: ${s.length} frames, expected ${frames}`);
};

/** C_c and C_i of every state for lags 0 .. maxLagFrames (at most frames - 1). */
export const residenceCorrelations = (
  series: StateSeries,
  frames: number,
  stateCount: number,
  maxLagFrames: number,
): ResidenceCorrelations => {
  checkSeries(series, frames);
  const N = series.length;
  const T = frames;
  const maxLag = Math.max(0, Math.min(Math.floor(maxLagFrames), T - 1));
  const occupancy = new Float64Array(stateCount);
  const continuous: Float64Array[] = [];
  const intermittent: Float64Array[] = [];
  // Which centres visit which state, and how often.
  const visitors: number[][] = Array.from({ length: stateCount }, () => []);
  const seen = new Int32Array(stateCount).fill(-1);
  for (let c = 0; c < N; c++) {
    const s = series[c];
    for (let t = 0; t < T; t++) {
      const k = s[t];
      occupancy[k]++;
      if (seen[k] !== c) {
        seen[k] = c;
        visitors[k].push(c);
      }
    }
  }
  const h = new Float64Array(T);
  for (let k = 0; k < stateCount; k++) {
    const count = occupancy[k];
    occupancy[k] = count / (N * T);
    const cc = new Float64Array(maxLag + 1);
    const ci = new Float64Array(maxLag + 1);
    continuous.push(cc);
    intermittent.push(ci);
    if (count === 0) {
      cc.fill(Number.NaN);
      ci.fill(Number.NaN);
      continue;
    }
    const sum = new AutocorrelationSum(T, maxLag);
    for (const c of visitors[k]) {
      const s = series[c];
      for (let t = 0; t < T; t++) h[t] = s[t] === k ? 1 : 0;
      sum.add(h);
      // Continuous: a run of length l holds the state from each of its first l - m frames for m more.
      let t = 0;
      while (t < T) {
        if (s[t] !== k) {
          t++;
          continue;
        }
        let e = t;
        while (e < T && s[e] === k) e++;
        const l = e - t;
        for (let m = 0; m < Math.min(l, maxLag + 1); m++) cc[m] += l - m;
        t = e;
      }
    }
    const ac = sum.result();
    const norm = count / T; // N <h>
    for (let m = 0; m <= maxLag; m++) {
      // The sums are integers: rounding removes the transform's rounding error.
      ci[m] = Math.round(ac[m]) / (T - m) / norm;
      cc[m] = cc[m] / (T - m) / norm;
    }
  }
  return { maxLagFrames: maxLag, occupancy, continuous, intermittent };
};

/** Counts of state a at frame t followed by state b at frame t + 1, over every centre: K x K, row a. */
export const transitionCounts = (series: StateSeries, frames: number, stateCount: number): Float64Array => {
  checkSeries(series, frames);
  const out = new Float64Array(stateCount * stateCount);
  for (const s of series) for (let t = 0; t + 1 < frames; t++) out[s[t] * stateCount + s[t + 1]]++;
  return out;
};

/** The same series in coarser states: map[state] is the new state. */
export const mapStates = (series: StateSeries, frames: number, map: ArrayLike<number>): Uint16Array[] =>
  series.map((s) => {
    const out = new Uint16Array(frames);
    for (let t = 0; t < frames; t++) out[t] = map[s[t]];
    return out;
  });

/**
 * A lifetime from a correlation function c(t) that starts at 1 and decays to 0: the least-squares
 * stretched exponential c(t) = exp(-(t / tau)^beta) (Levenberg-Marquardt in ln tau and beta, over
 * the lags up to where c first falls below `floor`, 0.05: the tail is noise), whose mean time is
 * <tau> = int_0^inf exp(-(t / tau)^beta) dt = (tau / beta) Gamma(1 / beta); and the integral of
 * the data itself (trapezoids, up to the window's end or where c first crosses 0), a lower bound
 * when c has not decayed within the window. Fewer than three usable points (a decay within a frame
 * or two): a single exponential through them (beta = 1).
 */
export interface LifetimeFit {
  /** tau of the stretched exponential (ps); null when the curve does not decay or the fit fails. */
  tauPs: number | null;
  /** beta (1 = exponential; < 1 = a spread of times). */
  beta: number | null;
  /**
   * <tau> = (tau / beta) Gamma(1 / beta) (ps): the lifetime to quote; null when the fit fails or
   * its mean lies more than ten windows beyond the data (beta driven to its lower bound by a long
   * tail: Gamma(1 / beta) then grows without limit), where only the integral is a measurement.
   */
  meanPs: number | null;
  /** Integral of the data over the window (ps). */
  integralPs: number;
  /** True when c fell below 1/e within the window (else the times are extrapolations). */
  decayed: boolean;
  /** Lags used by the fit. */
  points: number;
}

/** How far past the window (in window lengths) a fitted mean lifetime is still quoted. */
const MAX_WINDOWS_EXTRAPOLATED = 10;

export const fitLifetime = (lagsPs: ArrayLike<number>, c: ArrayLike<number>, floor = 0.05): LifetimeFit => {
  const n = Math.min(lagsPs.length, c.length);
  let integral = 0;
  for (let m = 1; m < n; m++) {
    if (!(c[m] > 0)) {
      // Up to the zero crossing.
      const a = c[m - 1];
      if (a > 0 && Number.isFinite(c[m]))
        integral += (0.5 * a * a * (lagsPs[m] - lagsPs[m - 1])) / (a - c[m]);
      break;
    }
    integral += 0.5 * (c[m] + c[m - 1]) * (lagsPs[m] - lagsPs[m - 1]);
  }
  let decayed = false;
  for (let m = 0; m < n && !decayed; m++) if (c[m] < Math.exp(-1)) decayed = true;
  const none: LifetimeFit = {
    tauPs: null,
    beta: null,
    meanPs: null,
    integralPs: integral,
    decayed,
    points: 0,
  };
  if (n < 2 || !Number.isFinite(c[0])) return none;
  // The fit window: lags > 0 while c stays above the floor (and below 1: a point at 1 carries no time).
  const ts: number[] = [];
  const ys: number[] = [];
  for (let m = 1; m < n; m++) {
    if (!(c[m] >= floor)) break;
    if (c[m] < 1) {
      ts.push(lagsPs[m]);
      ys.push(c[m]);
    }
  }
  if (ts.length === 0) {
    // Gone within a frame: an exponential through the first point if it is positive.
    if (c[1] > 0 && c[1] < 1) {
      const tau = -lagsPs[1] / Math.log(c[1]);
      return { ...none, tauPs: tau, beta: 1, meanPs: tau, points: 1 };
    }
    return none;
  }
  if (!decayed && ys[ys.length - 1] > 0.9) return { ...none, points: 0 };
  if (ts.length < 3) {
    // Exponential: least squares of ln c = -t / tau through the origin.
    let stt = 0;
    let sty = 0;
    for (let k = 0; k < ts.length; k++) {
      stt += ts[k] * ts[k];
      sty += ts[k] * Math.log(ys[k]);
    }
    const tau = -stt / sty;
    return { ...none, tauPs: tau, beta: 1, meanPs: tau, points: ts.length };
  }
  // Start: tau where c crosses 1/e (or the integral), beta = 1.
  let tau0 = integral > 0 ? integral : ts[ts.length - 1];
  for (let k = 0; k < ys.length; k++)
    if (ys[k] < Math.exp(-1)) {
      const t0 = k === 0 ? 0 : ts[k - 1];
      const y0 = k === 0 ? 1 : ys[k - 1];
      tau0 = t0 + ((y0 - Math.exp(-1)) / (y0 - ys[k])) * (ts[k] - t0);
      break;
    }
  const sse = (a: number, b: number) => {
    let s = 0;
    for (let k = 0; k < ts.length; k++) s += (ys[k] - Math.exp(-((ts[k] / Math.exp(a)) ** b))) ** 2;
    return s;
  };
  let a = Math.log(tau0);
  let b = 1;
  let cost = sse(a, b);
  let lambda = 1e-3;
  for (let it = 0; it < 200; it++) {
    // Normal equations of the 2-parameter problem.
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    const tau = Math.exp(a);
    for (let k = 0; k < ts.length; k++) {
      const x = ts[k] / tau;
      const xb = x ** b;
      const f = Math.exp(-xb);
      const r = ys[k] - f;
      const da = f * b * xb;
      const db = -f * xb * Math.log(x);
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    let improved = false;
    for (let tries = 0; tries < 30 && !improved; tries++) {
      const A = jaa * (1 + lambda);
      const B = jbb * (1 + lambda);
      const det = A * B - jab * jab;
      if (!(Math.abs(det) > 0)) {
        lambda *= 10;
        continue;
      }
      const sa = (B * ga - jab * gb) / det;
      const sb = (A * gb - jab * ga) / det;
      const na = a + sa;
      const nb = Math.min(5, Math.max(0.05, b + sb));
      const nc = sse(na, nb);
      if (nc <= cost) {
        const done = Math.abs(sa) < 1e-10 && Math.abs(nb - b) < 1e-10;
        a = na;
        b = nb;
        cost = nc;
        lambda = Math.max(1e-12, lambda / 10);
        improved = true;
        if (done) it = 200;
      } else lambda *= 10;
    }
    if (!improved) break;
  }
  const tau = Math.exp(a);
  if (!Number.isFinite(tau)) return { ...none, points: ts.length };
  const mean = (tau / b) * Math.exp(logGamma(1 / b));
  // A mean far beyond what was observed is the stretched exponential's tail, not the data.
  const beyond = !(mean <= MAX_WINDOWS_EXTRAPOLATED * lagsPs[n - 1]);
  return {
    tauPs: tau,
    beta: b,
    meanPs: beyond ? null : mean,
    integralPs: integral,
    decayed,
    points: ts.length,
  };
};
