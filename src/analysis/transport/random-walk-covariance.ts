import { Matrix } from 'ml-matrix';

/**
 * Exact covariance of the all-origins MSD estimator for a discrete Gaussian random walk.
 *
 * One coordinate takes independent unit-variance steps; over frames 0..T-1 the MSD at lag a is
 *   M(a) = 1/(T-a) sum_{t=0}^{T-a-1} S(t,a)^2,  S(t,a) = sum of the a steps after frame t.
 * For Gaussian S, Cov(S^2, S'^2) = 2 Cov(S, S')^2 and Cov(S(t,a), S(t',b)) is the number of steps
 * the two windows share, so
 *   Cov(M(a), M(b)) = 2 / ((T-a)(T-b)) sum_{t,t'} overlap(t' - t)^2,
 * a sum over the offset delta = t' - t of (number of origin pairs with that offset) x overlap^2,
 * which has a closed form (pairCovariance), O(1) per pair of lags. Unlike the approximation Sigma_ij = var_i n_o(i) / n_o(j), this keeps
 * the near-cancellation of the noise of neighbouring lags (their windows are almost the same), which
 * is what makes intervals from a generalised least-squares fit match their nominal coverage.
 * Scale by the step variance squared (sigma^4), the number of axes summed, and 1/(number of atoms).
 */
export const randomWalkMsdCovariance = (frames: number, lags: ArrayLike<number>): Matrix => {
  // One analysis fits the total, each axis and the charge MSD over the same lags: compute once.
  const key = `${frames}:${Array.from(lags).join(',')}`;
  const hit = cache.get(key);
  if (hit) return hit.clone();
  const C = compute(frames, lags);
  if (cache.size >= 8) cache.delete(cache.keys().next().value as string);
  cache.set(key, C);
  return C.clone();
};

const cache = new Map<string, Matrix>();

const compute = (frames: number, lags: ArrayLike<number>): Matrix => {
  const n = lags.length;
  const C = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const v = pairCovariance(frames, lags[i], lags[j]);
      C.set(i, j, v);
      C.set(j, i, v);
    }
  return C;
};

/** Sums of squares and cubes 1..n (0 for n <= 0). */
const squares = (n: number) => (n > 0 ? (n * (n + 1) * (2 * n + 1)) / 6 : 0);
const cubes = (n: number) => (n > 0 ? ((n * (n + 1)) / 2) ** 2 : 0);

/**
 * Cov(M(a), M(b)) for unit steps (symmetric in a, b), in closed form. With a <= b, na = T - a,
 * nb = T - b, c0 = T - a - b and delta = t' - t, the overlap and the number of origin pairs are
 *   delta in [a-b, 0]:  overlap a,          count nb            (b - a + 1 offsets)
 *   delta < a-b:        overlap u = delta+b, count c0 + u       (u = 1 .. a-1)
 *   delta > 0:          overlap v = a-delta, count c0 + v       (v = 1 .. a-1)
 * (counts below 1 dropped: u, v >= 1 - c0), so
 *   sum = (b - a + 1) nb a^2 + 2 sum_{u=u1}^{a-1} (c0 + u) u^2,  u1 = max(1, 1 - c0).
 */
export const pairCovariance = (T: number, lagA: number, lagB: number): number => {
  const a = Math.min(lagA, lagB);
  const b = Math.max(lagA, lagB);
  const na = T - a;
  const nb = T - b;
  const c0 = T - a - b;
  const u1 = Math.max(1, 1 - c0);
  const tail = a - 1 >= u1 ? c0 * (squares(a - 1) - squares(u1 - 1)) + (cubes(a - 1) - cubes(u1 - 1)) : 0;
  const sum = (b - a + 1) * nb * a * a + 2 * tail;
  return (2 * sum) / (na * nb);
};
