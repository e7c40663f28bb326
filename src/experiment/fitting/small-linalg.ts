/**
 * Dense symmetric solves for the small normal equations of a least-squares fit (a few to a few
 * tens of unknowns): Cholesky, and the inverse of a positive definite matrix.
 */

/** Cholesky factor L (row-major, lower) of a symmetric matrix, or undefined if not positive definite. */
export const cholesky = (a: Float64Array, n: number): Float64Array | undefined => {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  return l;
};

/** Solve L L^T x = b. */
export const choleskySolve = (l: Float64Array, n: number, b: Float64Array): Float64Array => {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
};

/** Inverse of a symmetric positive definite matrix, or undefined when it is singular. */
export const inverseSpd = (a: Float64Array, n: number): Float64Array | undefined => {
  const l = cholesky(a, n);
  if (!l) return undefined;
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    const x = choleskySolve(l, n, e);
    for (let i = 0; i < n; i++) out[i * n + j] = x[i];
  }
  return out;
};
