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
 * O(a + b) per pair of lags. Unlike the approximation Sigma_ij = var_i n_o(i) / n_o(j), this keeps
 * the near-cancellation of the noise of neighbouring lags (their windows are almost the same), which
 * is what makes intervals from a generalised least-squares fit match their nominal coverage.
 * Scale by the step variance squared (sigma^4), the number of axes summed, and 1/(number of atoms).
 */
export const randomWalkMsdCovariance = (frames: number, lags: ArrayLike<number>): Matrix => {
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

/** Cov(M(a), M(b)) for unit steps, a <= b or not (symmetric). */
export const pairCovariance = (T: number, a: number, b: number): number => {
  const na = T - a; // origins of lag a: t = 0..na-1
  const nb = T - b;
  let sum = 0;
  // Windows [t, t+a) and [t+delta, t+delta+b) overlap only for -b < delta < a.
  for (let delta = -(b - 1); delta <= a - 1; delta++) {
    const overlap = Math.min(a, delta + b) - Math.max(0, delta);
    if (overlap <= 0) continue;
    // t in [0, na-1] with t + delta in [0, nb-1].
    const count = Math.min(na - 1, nb - 1 - delta) - Math.max(0, -delta) + 1;
    if (count > 0) sum += count * overlap * overlap;
  }
  return (2 * sum) / (na * nb);
};
