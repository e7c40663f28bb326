import type { Matrix } from 'ml-matrix';
import { mlMatrix } from './ml-matrix-lazy.js';

/**
 * Exact covariance of the all-origins MSD estimator for a discrete Gaussian random walk observed
 * with vibrational noise: one coordinate is x(t) = W(t) + eta(t), W a walk of independent steps
 * of variance sigma^2 and eta independent "vibration" offsets of variance v^2 at every frame
 * (the MSD of such a coordinate is sigma^2 m + 2 v^2: the usual straight line with intercept).
 * Over frames 0..T-1 the MSD at lag a is
 *   M(a) = 1/(T-a) sum_{t=0}^{T-a-1} D(t,a)^2,  D(t,a) = x(t+a) - x(t).
 * For Gaussian D, Cov(D^2, D'^2) = 2 Cov(D, D')^2, and
 *   Cov(D(t,a), D(t',b)) = sigma^2 overlap(delta) + v^2 e(delta),  delta = t' - t,
 * where overlap is the number of steps the two windows share and e counts shared end points
 * (+1 at delta = 0 and delta = a - b, -1 at delta = a and delta = -b). Summing over origin pairs
 * by offset,
 *   Cov(M(a), M(b)) = 2 / ((T-a)(T-b)) [sigma^4 S_oo + 2 sigma^2 v^2 S_oe + v^4 S_ee],
 * with S_oo = sum count(delta) overlap^2 (closed form, see overlapSquares) and S_oe, S_ee sums over
 * the four end-point offsets only. Without the v terms, neighbouring lags are almost perfectly
 * correlated (their windows nearly coincide) and a generalised least-squares fit leans on their
 * tiny differences; real trajectories vibrate, and the v terms say how much that noise weighs.
 * Scale by the number of axes summed and 1/(number of atoms).
 */

/** The three parts of the covariance for unit steps (sigma = 1), by lag pair (row-major n x n). */
interface CovarianceParts {
  oo: Float64Array;
  oe: Float64Array;
  ee: Float64Array;
}

/**
 * Covariance of the MSD at `lags` (frames) for a run of `frames` frames, in units of sigma^4, for a
 * vibration-to-step variance ratio r = v^2 / sigma^2: C = A + 2 r B + r^2 E.
 */
export const randomWalkMsdCovariance = (frames: number, lags: ArrayLike<number>, noiseRatio = 0): Matrix =>
  mlMatrix().Matrix.from1DArray(
    lags.length,
    lags.length,
    randomWalkMsdCovarianceFlat(frames, lags, noiseRatio),
  );

/** randomWalkMsdCovariance as a row-major array (the same numbers, bit for bit). */
export const randomWalkMsdCovarianceFlat = (
  frames: number,
  lags: ArrayLike<number>,
  noiseRatio = 0,
): Float64Array => {
  const p = parts(frames, lags);
  const C = p.oo.slice();
  if (noiseRatio > 0) {
    // (A + B (2 r)) + E (r r), element by element.
    const b = 2 * noiseRatio;
    const e = noiseRatio * noiseRatio;
    for (let k = 0; k < C.length; k++) C[k] = C[k] + p.oe[k] * b + p.ee[k] * e;
  }
  return C;
};

// One analysis fits the total, each axis and the charge MSD over the same lags: compute once.
const cache = new Map<string, CovarianceParts>();

const parts = (frames: number, lags: ArrayLike<number>): CovarianceParts => {
  const key = `${frames}:${Array.from(lags).join(',')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const n = lags.length;
  const oo = new Float64Array(n * n);
  const oe = new Float64Array(n * n);
  const ee = new Float64Array(n * n);
  const pair = new Float64Array(3);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      pairCovariancePartsInto(frames, lags[i], lags[j], pair);
      oo[i * n + j] = oo[j * n + i] = pair[0];
      oe[i * n + j] = oe[j * n + i] = pair[1];
      ee[i * n + j] = ee[j * n + i] = pair[2];
    }
  const result = { oo, oe, ee };
  if (cache.size >= 8) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
};

/** Sums of squares and cubes 1..n (0 for n <= 0). */
const squares = (n: number) => (n > 0 ? (n * (n + 1) * (2 * n + 1)) / 6 : 0);
const cubes = (n: number) => (n > 0 ? ((n * (n + 1)) / 2) ** 2 : 0);

/**
 * sum over offsets of count(delta) overlap(delta)^2 for lags a <= b, in closed form. With
 * na = T - a, nb = T - b, c0 = T - a - b:
 *   delta in [a-b, 0]:  overlap a,           count nb       (b - a + 1 offsets)
 *   delta < a-b:        overlap u = delta+b, count c0 + u   (u = 1 .. a-1)
 *   delta > 0:          overlap v = a-delta, count c0 + v   (v = 1 .. a-1)
 * (counts below 1 dropped: u, v >= 1 - c0), so
 *   sum = (b - a + 1) nb a^2 + 2 sum_{u=u1}^{a-1} (c0 + u) u^2,  u1 = max(1, 1 - c0).
 */
const overlapSquares = (T: number, a: number, b: number): number => {
  const nb = T - b;
  const c0 = T - a - b;
  const u1 = Math.max(1, 1 - c0);
  const tail = a - 1 >= u1 ? c0 * (squares(a - 1) - squares(u1 - 1)) + (cubes(a - 1) - cubes(u1 - 1)) : 0;
  return (b - a + 1) * nb * a * a + 2 * tail;
};

/** Number of origin pairs (t, t + delta) with t in [0, T-a) and t + delta in [0, T-b). */
const pairCount = (T: number, a: number, b: number, delta: number): number =>
  Math.max(0, Math.min(T - a - 1, T - b - 1 - delta) - Math.max(0, -delta) + 1);

/** The three parts [S_oo, S_oe, S_ee] x 2 / ((T-a)(T-b)) for one pair of lags (symmetric in a, b). */
export const pairCovarianceParts = (T: number, lagA: number, lagB: number): [number, number, number] => {
  const out = new Float64Array(3);
  pairCovariancePartsInto(T, lagA, lagB, out);
  return [out[0], out[1], out[2]];
};

/** The four end-point offsets of a pair of lags and their weights (scratch, reused). */
const offsets = new Float64Array(4);
const weights = new Float64Array(4);

/**
 * pairCovarianceParts into out[0..2]. This runs for every pair of lags, once per analysis, mostly
 * before it is compiled: no allocation (scratch arrays, not a map of the offsets; no closure, no
 * array returned).
 */
const pairCovariancePartsInto = (T: number, lagA: number, lagB: number, out: Float64Array): void => {
  const a = Math.min(lagA, lagB);
  const b = Math.max(lagA, lagB);
  const norm = 2 / ((T - a) * (T - b));
  // End points shared: +1 at delta = 0 and a - b (overlap a at both), -1 at delta = a and -b (no
  // overlap). An offset equal to an earlier one (a = b, or a lag 0) adds its weight to that one's.
  offsets[0] = 0;
  offsets[1] = a - b;
  offsets[2] = a;
  offsets[3] = -b;
  weights[0] = 1;
  weights[1] = 1;
  weights[2] = -1;
  weights[3] = -1;
  for (let i = 1; i < 4; i++)
    for (let j = 0; j < i; j++)
      if (offsets[j] === offsets[i]) {
        weights[j] += weights[i];
        weights[i] = 0;
        break;
      }
  // Sums over the offsets of count x overlap x w (S_oe) and count x w^2 (S_ee): every term a
  // whole number well below 2^53, so exact in any order.
  let oe = 0;
  let ee = 0;
  for (let i = 0; i < 4; i++) {
    const delta = offsets[i];
    const w = weights[i];
    const count = pairCount(T, a, b, delta);
    oe += count * overlapAt(a, b, delta) * w;
    ee += count * w * w;
  }
  out[0] = norm * overlapSquares(T, a, b);
  out[1] = norm * oe;
  out[2] = norm * ee;
};

/** Steps shared by the windows (t, t + a) and (t + delta, t + delta + b). */
const overlapAt = (a: number, b: number, delta: number): number =>
  Math.max(0, Math.min(a, delta + b) - Math.max(0, delta));

/** Cov(M(a), M(b)) for unit steps and no vibration. */
export const pairCovariance = (T: number, a: number, b: number): number => pairCovarianceParts(T, a, b)[0];
