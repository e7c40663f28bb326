import { logGamma } from '../../core/statistics.js';

/**
 * Correlation times of a decaying correlation function C(t) (C(0) = 1), three ways:
 *
 * - integral: tau_int = integral of C from 0 to its first zero crossing (or to the end of the
 *   data), trapezoid rule; model-free, and equal to tau for a pure exponential;
 * - exponential: C = A exp(-t / tau), least squares on C;
 * - stretched exponential (Kohlrausch-Williams-Watts): C = A exp(-(t / tau)^beta), 0 < beta <= 1,
 *   least squares on C, with the mean correlation time <tau> = (tau / beta) Gamma(1 / beta)
 *   (the integral of the KWW function divided by A).
 *
 * The fits use the lags from `fitStartPs` (default 0: the amplitude A absorbs a fast initial drop
 * such as libration) to where C first falls below `floor` (default 0.02, where the noise of C
 * dominates) or the end of the data, thinned to at most 400 lags spaced evenly in log time so
 * that the long tail does not outweigh the decay. A is solved in closed form for each (tau,
 * beta); ln tau by a grid and golden-section search, beta by golden section. When C has not
 * fallen below 1/e within the data, `decayed` is false: the times are then extrapolations
 * beyond the run and should be read as lower bounds.
 */
export interface CorrelationTimes {
  integralPs: number;
  exponential: { amplitude: number; tauPs: number };
  stretched: { amplitude: number; tauPs: number; beta: number; meanTauPs: number };
  /** C fell below 1/e within the data. */
  decayed: boolean;
  /** Lags used by the fits (ps): first and last, and how many. */
  fitFromPs: number;
  fitToPs: number;
  fitPoints: number;
}

export interface CorrelationFitOptions {
  /** Start of the fit window (ps), default 0. */
  fitStartPs?: number;
  /** The fits stop where C first falls below this (default 0.02). */
  floor?: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Minimise f on [a, b] by golden-section search (f unimodal there). */
const goldenMin = (f: (x: number) => number, a: number, b: number, iterations = 60): number => {
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let k = 0; k < iterations; k++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = f(d);
    }
  }
  return 0.5 * (a + b);
};

export const fitCorrelationTimes = (
  lagsPs: ArrayLike<number>,
  c: ArrayLike<number>,
  options: CorrelationFitOptions = {},
): CorrelationTimes => {
  const n = Math.min(lagsPs.length, c.length);
  const floor = options.floor ?? 0.02;
  const start = options.fitStartPs ?? 0;
  // Integral to the first zero crossing.
  let integral = 0;
  for (let m = 1; m < n; m++) {
    if (c[m] <= 0) {
      // Up to the crossing, linearly interpolated.
      const f = c[m - 1] / (c[m - 1] - c[m]);
      integral += 0.5 * c[m - 1] * f * (lagsPs[m] - lagsPs[m - 1]);
      break;
    }
    integral += 0.5 * (c[m - 1] + c[m]) * (lagsPs[m] - lagsPs[m - 1]);
  }
  let decayed = false;
  for (let m = 0; m < n; m++)
    if (c[m] < Math.exp(-1)) {
      decayed = true;
      break;
    }
  // Fit window: from start to the first drop below the floor.
  let first = 0;
  while (first < n && lagsPs[first] < start) first++;
  let last = first;
  while (last + 1 < n && c[last + 1] >= floor) last++;
  const idx: number[] = [];
  if (last - first + 1 <= 400) for (let m = first; m <= last; m++) idx.push(m);
  else {
    // 400 lags evenly spaced in log(lag index + 1).
    const lo = Math.log(first + 1);
    const hi = Math.log(last + 1);
    let prev = -1;
    for (let k = 0; k < 400; k++) {
      const m = Math.round(Math.exp(lo + ((hi - lo) * k) / 399)) - 1;
      if (m > prev && m >= first && m <= last) {
        idx.push(m);
        prev = m;
      }
    }
  }
  const t = idx.map((m) => lagsPs[m]);
  const y = idx.map((m) => c[m]);
  const nan = {
    integralPs: integral,
    exponential: { amplitude: Number.NaN, tauPs: Number.NaN },
    stretched: { amplitude: Number.NaN, tauPs: Number.NaN, beta: Number.NaN, meanTauPs: Number.NaN },
    decayed,
    fitFromPs: t[0] ?? Number.NaN,
    fitToPs: t[t.length - 1] ?? Number.NaN,
    fitPoints: t.length,
  };
  if (t.length < 4) return nan;
  let y2 = 0;
  for (const v of y) y2 += v * v;
  // Residual sum of squares at (ln tau, beta) with the best amplitude, and that amplitude.
  const residual = (lnTau: number, beta: number): [number, number] => {
    const tau = Math.exp(lnTau);
    let sf = 0;
    let ff = 0;
    for (let k = 0; k < t.length; k++) {
      const f = Math.exp(-((t[k] / tau) ** beta));
      sf += y[k] * f;
      ff += f * f;
    }
    if (!(ff > 0)) return [y2, 0];
    return [y2 - (sf * sf) / ff, sf / ff];
  };
  const span = t[t.length - 1] - Math.max(t[0], 0);
  const step = Math.max(1e-6, t.length > 1 ? t[1] - t[0] : span);
  const lnLo = Math.log(step / 10);
  const lnHi = Math.log(Math.max(span, step) * 1000);
  const bestLnTau = (beta: number): number => {
    let best = lnLo;
    let bestS = Number.POSITIVE_INFINITY;
    const G = 80;
    for (let k = 0; k <= G; k++) {
      const x = lnLo + ((lnHi - lnLo) * k) / G;
      const s = residual(x, beta)[0];
      if (s < bestS) {
        bestS = s;
        best = x;
      }
    }
    const h = (lnHi - lnLo) / 80;
    return goldenMin((x) => residual(x, beta)[0], best - h, best + h, 50);
  };
  const lnExp = bestLnTau(1);
  const [, aExp] = residual(lnExp, 1);
  const beta = goldenMin((b) => residual(bestLnTau(b), b)[0], 0.05, 1, 30);
  const lnKww = bestLnTau(beta);
  const [, aKww] = residual(lnKww, beta);
  const tauKww = Math.exp(lnKww);
  return {
    ...nan,
    exponential: { amplitude: aExp, tauPs: Math.exp(lnExp) },
    stretched: {
      amplitude: aKww,
      tauPs: tauKww,
      beta,
      meanTauPs: (tauKww / beta) * Math.exp(logGamma(1 / beta)),
    },
  };
};
