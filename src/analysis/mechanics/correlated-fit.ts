import { InsufficientDataError } from '../../core/errors.js';
import { blockAverage, studentTQuantile } from '../../core/statistics.js';

/**
 * A straight line through a time-ordered series whose noise is correlated in time (the stress of
 * an MD run: each thermo row remembers the last for about the stress's correlation time), with a
 * confidence interval for the slope that respects that correlation.
 *
 * The slope is ordinary least squares, b = sum_i (x_i - xbar) y_i / Sxx. Its error is the
 * sandwich (heteroscedasticity and autocorrelation consistent) form: b - beta = sum_i u_i / Sxx
 * with the scores u_i = (x_i - xbar) e_i, so var(b) = n^2 var(mean u) / Sxx^2, and var(mean u)
 * comes from block averaging the scores (Flyvbjerg and Petersen 1989, core/statistics.ts
 * blockAverage), which levels off once the blocks are longer than the correlation time. With
 * independent noise this is White's estimator; with correlated noise it grows by the statistical
 * inefficiency, as the Newey-West estimator does. The interval uses Student's t with
 * (blocks - 2) degrees of freedom, blocks = n / (the block length that gave the error).
 */
export interface CorrelatedSlope {
  slope: number;
  intercept: number;
  /** Standard error of the slope, correlation respected. */
  standardError: number;
  /** Interval for the slope at `confidence`. */
  low: number;
  high: number;
  confidence: number;
  points: number;
  /** Samples per block at the level that gave the error (1: the noise looked independent). */
  blockLength: number;
  degreesOfFreedom: number;
  /** The naive OLS standard error (independent noise assumed), for comparison. */
  naiveStandardError: number;
}

/** Fit over indices [from, to) of x and y. */
export const correlatedSlope = (
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  from = 0,
  to = x.length,
  confidence = 0.95,
): CorrelatedSlope => {
  const n = to - from;
  if (n < 4) throw new InsufficientDataError(`a slope with an interval needs at least 4 points, got ${n}`);
  let sx = 0;
  let sy = 0;
  for (let i = from; i < to; i++) {
    sx += x[i];
    sy += y[i];
  }
  const xm = sx / n;
  const ym = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = from; i < to; i++) {
    sxx += (x[i] - xm) ** 2;
    sxy += (x[i] - xm) * (y[i] - ym);
  }
  if (!(sxx > 0))
    throw new InsufficientDataError('every x in the window is the same; no slope can be fitted');
  const slope = sxy / sxx;
  const intercept = ym - slope * xm;
  const scores = new Float64Array(n);
  let ssr = 0;
  for (let i = from; i < to; i++) {
    const e = y[i] - intercept - slope * x[i];
    ssr += e * e;
    scores[i - from] = (x[i] - xm) * e;
  }
  const block = blockAverage(scores);
  // var(sum u) = n^2 SE(mean u)^2; the small-sample factor n / (n - 2) as in OLS's s^2.
  const standardError = (n * block.standardError * Math.sqrt(n / (n - 2))) / sxx;
  const blocks = Math.floor(n / block.blockLength);
  const degreesOfFreedom = Math.max(1, blocks - 2);
  const t = studentTQuantile(0.5 + confidence / 2, degreesOfFreedom);
  return {
    slope,
    intercept,
    standardError,
    low: slope - t * standardError,
    high: slope + t * standardError,
    confidence,
    points: n,
    blockLength: block.blockLength,
    degreesOfFreedom,
    naiveStandardError: Math.sqrt(ssr / (n - 2) / sxx),
  };
};

/**
 * Quadratic least squares y = a + b x + c x^2 over [from, to): its coefficients and the naive
 * standard error of c (the caller scales it for correlated noise).
 */
export const quadraticFit = (
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  from: number,
  to: number,
): { a: number; b: number; c: number; cStandardError: number; residuals: Float64Array } => {
  const n = to - from;
  // Centred and scaled abscissa keeps the normal equations well conditioned.
  let xm = 0;
  for (let i = from; i < to; i++) xm += x[i];
  xm /= n;
  let scale = 0;
  for (let i = from; i < to; i++) scale = Math.max(scale, Math.abs(x[i] - xm));
  if (!(scale > 0)) throw new InsufficientDataError('every x in the window is the same');
  const S = new Float64Array(5);
  const T = new Float64Array(3);
  for (let i = from; i < to; i++) {
    const t = (x[i] - xm) / scale;
    let p = 1;
    for (let k = 0; k < 5; k++) {
      S[k] += p;
      if (k < 3) T[k] += p * y[i];
      p *= t;
    }
  }
  const M = [
    [S[0], S[1], S[2]],
    [S[1], S[2], S[3]],
    [S[2], S[3], S[4]],
  ];
  const inv = invert3(M);
  const coef = [0, 1, 2].map((r) => inv[r][0] * T[0] + inv[r][1] * T[1] + inv[r][2] * T[2]);
  const residuals = new Float64Array(n);
  let ssr = 0;
  for (let i = from; i < to; i++) {
    const t = (x[i] - xm) / scale;
    const e = y[i] - coef[0] - coef[1] * t - coef[2] * t * t;
    residuals[i - from] = e;
    ssr += e * e;
  }
  const s2 = n > 3 ? ssr / (n - 3) : Number.NaN;
  // Back to x: y = A + B (x - xm)/s + C ((x - xm)/s)^2.
  const c = coef[2] / (scale * scale);
  const b = coef[1] / scale - 2 * c * xm;
  const a = coef[0] - (coef[1] * xm) / scale + c * xm * xm;
  return { a, b, c, cStandardError: Math.sqrt(s2 * inv[2][2]) / (scale * scale), residuals };
};

const invert3 = (m: number[][]): number[][] => {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!(Math.abs(det) > 0)) throw new InsufficientDataError('too few distinct points for a quadratic');
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
};
