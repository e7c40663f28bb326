import type { Matrix } from 'ml-matrix';
import { OptionError } from '../../core/errors.js';
import { mlMatrix } from './ml-matrix-lazy.js';

/** A fitted line y = slope x + intercept with the covariance of (slope, intercept). */
export interface LineFit {
  slope: number;
  intercept: number;
  /** Standard deviation of the slope and the intercept. */
  slopeStd: number;
  interceptStd: number;
  /** Covariance of slope and intercept. */
  covariance: number;
  /** Number of points used. */
  points: number;
  /** Residual sum of squares (weighted / whitened for GLS), for goodness of fit. */
  residualSumOfSquares: number;
}

/**
 * Ordinary least squares with the textbook standard errors:
 * var(slope) = s^2 / Sxx, var(intercept) = s^2 (1/n + xbar^2 / Sxx), s^2 = SSR / (n - 2).
 */
export const olsLine = (x: ArrayLike<number>, y: ArrayLike<number>): LineFit => {
  const n = x.length;
  if (n !== y.length) throw new OptionError(`${n} x values for ${y.length} y values`);
  if (n < 2) throw new OptionError(`a line needs at least 2 points, got ${n}`);
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
  }
  const xm = sx / n;
  const ym = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - xm) ** 2;
    sxy += (x[i] - xm) * (y[i] - ym);
  }
  if (!(sxx > 0)) throw new OptionError('all x values are equal; no line can be fitted');
  const slope = sxy / sxx;
  const intercept = ym - slope * xm;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += (y[i] - slope * x[i] - intercept) ** 2;
  const s2 = n > 2 ? ssr / (n - 2) : Number.NaN;
  return {
    slope,
    intercept,
    slopeStd: Math.sqrt(s2 / sxx),
    interceptStd: Math.sqrt(s2 * (1 / n + (xm * xm) / sxx)),
    covariance: (-xm * s2) / sxx,
    points: n,
    residualSumOfSquares: ssr,
  };
};

/**
 * Weighted least squares with known standard deviations sigma_i of the y values (weights 1/sigma^2):
 * the covariance of the estimates is (X^T W X)^-1, not rescaled by the residuals.
 */
export const wlsLine = (x: ArrayLike<number>, y: ArrayLike<number>, sigma: ArrayLike<number>): LineFit => {
  const n = x.length;
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (!(sigma[i] > 0)) throw new OptionError(`uncertainty ${sigma[i]} of point ${i + 1} must be positive`);
    cov[i * n + i] = sigma[i] * sigma[i];
  }
  // (Variances that underflow to 0 or overflow have no usable factor.)
  const chol = choleskyFlat(cov, n);
  if (!chol.positiveDefinite || !chol.L.every(Number.isFinite))
    throw new OptionError('GLS: the covariance is not positive definite');
  return glsLineFactored(x, y, chol.L);
};

/**
 * A symmetric n x n matrix as one row-major array: the GLS fits of a transport analysis factor
 * dozens of covariances of about 100 lags, and ml-matrix's element-by-element get/set and copies
 * took most of the fitting time (issue 28). The arithmetic is ml-matrix's, in the same order, so
 * the fits give the same bits as they did with its Matrix and CholeskyDecomposition.
 */
export type FlatMatrix = Float64Array;

/**
 * Cholesky factor L (row-major, zero above the diagonal; S = L L^T) of a symmetric matrix, and
 * whether S is positive definite (when it is not, L is not usable). ml-matrix's algorithm.
 */
export const choleskyFlat = (a: FlatMatrix, n: number): { L: FlatMatrix; positiveDefinite: boolean } => {
  const l = new Float64Array(n * n);
  let positiveDefinite = true;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = 0;
    for (let k = 0; k < j; k++) {
      const rk = k * n;
      let s = 0;
      for (let i = 0; i < k; i++) s += l[rk + i] * l[rj + i];
      s = (a[rj + k] - s) / l[rk + k];
      l[rj + k] = s;
      d = d + s * s;
    }
    d = a[rj + j] - d;
    positiveDefinite &&= d > 0;
    l[rj + j] = Math.sqrt(Math.max(d, 0));
  }
  return { L: l, positiveDefinite };
};

/**
 * The nearest well-conditioned covariance: symmetrised, eigenvalues floored at 1e-12 of the
 * largest (cf. Higham, Linear Algebra Appl. 103, 103 (1988), as kinisi does when the estimate
 * is not positive definite). Returns the matrix unchanged when its Cholesky factor exists and
 * its condition is acceptable.
 */
export const reconditionCovariance = (cov: Matrix): { matrix: Matrix; adjusted: boolean } => {
  const r = reconditionFlat(Float64Array.from(cov.to1DArray()), cov.rows);
  return { matrix: mlMatrix().Matrix.from1DArray(cov.rows, cov.rows, r.matrix), adjusted: r.adjusted };
};

/**
 * reconditionCovariance on a row-major n x n array; with the Cholesky factor of the result when
 * it came from the fast path (the matrix unchanged but symmetrised), for glsLineFactored.
 */
export const reconditionFlat = (
  cov: FlatMatrix,
  n: number,
): { matrix: FlatMatrix; adjusted: boolean; factor?: FlatMatrix } => {
  // (c + c^T) * 0.5, as ml-matrix's clone().add(transpose()).mul(0.5).
  const sym = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) sym[i * n + j] = (cov[i * n + j] + cov[j * n + i]) * 0.5;
  // Fast path: a Cholesky factor exists and its pivots are not vanishingly small.
  const chol = choleskyFlat(sym, n);
  if (chol.positiveDefinite) {
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const p = chol.L[i * n + i] ** 2;
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    if (min > max * 1e-12) return { matrix: sym, adjusted: false, factor: chol.L };
  }
  const { EigenvalueDecomposition, Matrix } = mlMatrix();
  const eig = new EigenvalueDecomposition(Matrix.from1DArray(n, n, sym), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const top = Math.max(...values);
  if (!(top > 0)) throw new OptionError('the covariance of the MSD has no positive eigenvalue');
  const floor = top * 1e-12;
  const V = eig.eigenvectorMatrix;
  const D = Matrix.diag(values.map((v) => Math.max(v, floor)));
  const rebuilt = V.mmul(D).mmul(V.transpose());
  return { matrix: Float64Array.from(rebuilt.add(rebuilt.transpose()).mul(0.5).to1DArray()), adjusted: true };
};

/**
 * Generalised least squares for y = slope x + intercept with a full covariance of the y values:
 * beta = (X^T S^-1 X)^-1 X^T S^-1 y, cov(beta) = (X^T S^-1 X)^-1, computed by whitening with the
 * Cholesky factor S = L L^T (stable where forming S^-1 is not).
 */
export const glsLine = (x: ArrayLike<number>, y: ArrayLike<number>, covariance: Matrix): LineFit => {
  const n = x.length;
  if (n !== y.length || covariance.rows !== n || covariance.columns !== n)
    throw new OptionError(
      `GLS: ${n} x values, ${y.length} y values, a ${covariance.rows}x${covariance.columns} covariance`,
    );
  if (n < 2) throw new OptionError(`a line needs at least 2 points, got ${n}`);
  if (!covariance.isSymmetric()) throw new OptionError('GLS: the covariance is not symmetric');
  const chol = choleskyFlat(Float64Array.from(covariance.to1DArray()), n);
  if (!chol.positiveDefinite) throw new OptionError('GLS: the covariance is not positive definite');
  return glsLineFactored(x, y, chol.L);
};

/** glsLine with the covariance given by its Cholesky factor L (row-major n x n, S = L L^T). */
export const glsLineFactored = (x: ArrayLike<number>, y: ArrayLike<number>, L: FlatMatrix): LineFit => {
  const n = x.length;
  if (n !== y.length || L.length !== n * n)
    throw new OptionError(`GLS: ${n} x values, ${y.length} y values, a factor of ${L.length} values`);
  if (n < 2) throw new OptionError(`a line needs at least 2 points, got ${n}`);
  // Solve L z = v by forward substitution for the two columns of X and for y.
  const whiten = (v: ArrayLike<number>) => {
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = v[i];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
      z[i] = s / L[i * n + i];
    }
    return z;
  };
  const wx = whiten(x);
  const w1 = whiten(new Float64Array(n).fill(1));
  const wy = whiten(y);
  let a = 0;
  let b = 0;
  let c = 0;
  let u = 0;
  let v = 0;
  for (let i = 0; i < n; i++) {
    a += wx[i] * wx[i];
    b += wx[i] * w1[i];
    c += w1[i] * w1[i];
    u += wx[i] * wy[i];
    v += w1[i] * wy[i];
  }
  const det = a * c - b * b;
  if (!(det > 0)) throw new OptionError('GLS: the x values do not determine a line');
  const slope = (c * u - b * v) / det;
  const intercept = (a * v - b * u) / det;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += (wy[i] - slope * wx[i] - intercept * w1[i]) ** 2;
  return {
    slope,
    intercept,
    slopeStd: Math.sqrt(c / det),
    interceptStd: Math.sqrt(a / det),
    covariance: -b / det,
    points: n,
    residualSumOfSquares: ssr,
  };
};
