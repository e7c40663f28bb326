import { InsufficientDataError, PhysicsError } from '../../core/errors.js';

// Levenberg-Marquardt as PDFfit2 runs it (libpdffit2 pdflsmin.cc mrqmin, after Numerical Recipes
// 15.5, and fit.cc refine_step): lambda starts at 0.001, is divided by 10 after a step that lowers
// chi^2 and multiplied by 10 after one that does not; the fit stops after at least 3 iterations
// once chi^2 has fallen by no more than `tolerance` (relative) for 3 iterations in a row, or after
// `maxIterations`. The covariance is the inverse of the curvature matrix J^T W J at the minimum,
// not scaled by the reduced chi^2 (PDFfit2's convention for its standard errors).

export interface LeastSquaresProblem {
  /** Number of free parameters. */
  size: number;
  /** Weighted residuals sqrt(w) (obs - calc) at x. */
  residuals(x: Float64Array): Float64Array;
  /**
   * Columns d(sqrt(w) calc)/dx_k at x (one array per parameter); `residualsAtX` are the residuals
   * there, for a caller that can reuse them.
   */
  jacobian(x: Float64Array, residualsAtX: Float64Array): Float64Array[];
  /** Parameter names for messages. */
  names: string[];
}

export interface LeastSquaresResult {
  x: Float64Array;
  chi2: number;
  covariance: number[][];
  iterations: number;
  converged: boolean;
  /** chi^2 after each iteration. */
  history: number[];
}

const MIN_ITERATIONS = 3;
const STAGNATING = 3;

/** Solve A x = b by Gauss-Jordan elimination with partial pivoting; returns the inverse of A too. */
export const gaussJordan = (a: number[][], b: number[]): { x: number[]; inverse: number[][] } | undefined => {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)), b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (!(Math.abs(m[p][c]) > 0)) return undefined;
    [m[c], m[p]] = [m[p], m[c]];
    const piv = m[c][c];
    for (let k = 0; k < 2 * n + 1; k++) m[c][k] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      if (f === 0) continue;
      for (let k = 0; k < 2 * n + 1; k++) m[r][k] -= f * m[c][k];
    }
  }
  return { x: m.map((row) => row[2 * n]), inverse: m.map((row) => row.slice(n, 2 * n)) };
};

const curvature = (cols: Float64Array[], resid: Float64Array) => {
  const n = cols.length;
  const alpha = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const beta = new Array<number>(n).fill(0);
  for (let j = 0; j < n; j++) {
    const cj = cols[j];
    let s = 0;
    for (let i = 0; i < resid.length; i++) s += cj[i] * resid[i];
    beta[j] = s;
    for (let k = 0; k <= j; k++) {
      const ck = cols[k];
      let t = 0;
      for (let i = 0; i < resid.length; i++) t += cj[i] * ck[i];
      alpha[j][k] = t;
      alpha[k][j] = t;
    }
  }
  return { alpha, beta };
};

const sumSquares = (r: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
};

/** Minimise sum of squared residuals from x0 (see the file comment). */
export const levenbergMarquardt = (
  problem: LeastSquaresProblem,
  x0: Float64Array,
  options: {
    tolerance?: number;
    maxIterations?: number;
    onIteration?: (iteration: number, chi2: number) => void;
  } = {},
): LeastSquaresResult => {
  const tolerance = options.tolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 100;
  const n = problem.size;
  if (n === 0) throw new InsufficientDataError('nothing to refine: every parameter is fixed');
  let x = Float64Array.from(x0);
  let resid = problem.residuals(x);
  let chi2 = sumSquares(resid);
  if (!Number.isFinite(chi2)) throw new PhysicsError('the starting model gives a non-finite chi^2');
  if (resid.length <= n)
    throw new InsufficientDataError(`${resid.length} data points cannot determine ${n} free parameters`);
  let { alpha, beta } = curvature(problem.jacobian(x, resid), resid);
  for (let j = 0; j < n; j++)
    if (!(alpha[j][j] > 0))
      throw new InsufficientDataError(
        `parameter ${problem.names[j]} does not change the calculated PDF (zero derivative): fix it or check its constraints`,
      );
  let lambda = 0.001;
  let iter = 0;
  let stagnating = 0;
  const history: number[] = [];
  while (iter < MIN_ITERATIONS || (stagnating < STAGNATING && iter < maxIterations)) {
    const old = chi2;
    const a = alpha.map((row, j) => row.map((v, k) => (j === k ? v * (1 + lambda) : v)));
    const step = gaussJordan(a, beta);
    if (!step)
      throw new InsufficientDataError(
        `the normal equations are singular: some parameters (${problem.names.join(', ')}) are not independent; fix or constrain one`,
      );
    const trial = Float64Array.from(x, (v, j) => v + step.x[j]);
    let trialResid: Float64Array | undefined;
    let trialChi2 = Number.POSITIVE_INFINITY;
    try {
      trialResid = problem.residuals(trial);
      trialChi2 = sumSquares(trialResid);
    } catch {
      // A trial the model cannot take (a cell with no volume, a negative width): a failed step.
      trialResid = undefined;
    }
    if (trialResid && trialChi2 < chi2) {
      lambda *= 0.1;
      x = trial;
      resid = trialResid;
      chi2 = trialChi2;
      ({ alpha, beta } = curvature(problem.jacobian(x, resid), resid));
    } else lambda *= 10;
    if (iter > 0 && old - chi2 <= tolerance * old) stagnating++;
    else stagnating = 0;
    iter++;
    history.push(chi2);
    options.onIteration?.(iter, chi2);
  }
  const inv = gaussJordan(
    alpha,
    alpha.map(() => 0),
  );
  if (!inv)
    throw new InsufficientDataError(
      'the curvature matrix at the minimum is singular: the parameters are not all determined',
    );
  return { x, chi2, covariance: inv.inverse, iterations: iter, converged: stagnating >= STAGNATING, history };
};
