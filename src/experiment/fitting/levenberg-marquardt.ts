import { cholesky, choleskySolve } from './small-linalg.js';

/** A least-squares problem: residuals r(x) (length m) and their Jacobian dr_i/dx_k, column by column. */
export interface LeastSquaresProblem {
  /** Residuals at x; undefined (or non-finite values) when x is outside the model's domain. */
  residuals: (x: Float64Array) => Float64Array | undefined;
  /** Jacobian at x: one column (length m) per unknown. */
  jacobian: (x: Float64Array) => Float64Array[];
  lower: Float64Array;
  upper: Float64Array;
}

export interface LeastSquaresResult {
  x: Float64Array;
  residuals: Float64Array;
  sumOfSquares: number;
  iterations: number;
  converged: boolean;
  /** Why it stopped. */
  stop: 'small reduction' | 'small step' | 'no descent' | 'stalled' | 'iteration limit';
}

const STALL_WINDOW = 200;
const STALL_REDUCTION = 1e-3;

const sumSq = (r: Float64Array) => {
  let s = 0;
  for (const v of r) s += v * v;
  return s;
};
const finite = (r: Float64Array | undefined): r is Float64Array => !!r && r.every(Number.isFinite);

/**
 * Levenberg-Marquardt with Marquardt's scaling (J^T J + lambda diag(J^T J)) dx = -J^T r (Marquardt,
 * J. Soc. Ind. Appl. Math. 11, 431 (1963)), kept inside box bounds by projection: an unknown at a
 * bound whose gradient pushes it outwards is held for that step (an active set), and every trial
 * point is clamped into the box. It stops when a step lowers the sum of squares by less than
 * `ftol` relative (twice in a row), when the step is below `xtol`, or when no damping gives descent
 * (the optimum to machine precision); reaching `maxIterations` is reported as not converged.
 * It also stops, as converged, when 200 iterations lowered the sum of squares by less than 0.1 %
 * relative (stalled on a plateau; other starts are the remedy).
 * `floor`: a sum of squares that counts as zero (an exact fit to the precision of the arithmetic).
 * `maxStep` bounds the change of any unknown in one step (for log-scale unknowns: a factor).
 */
export const levenbergMarquardt = (
  problem: LeastSquaresProblem,
  start: Float64Array,
  { maxIterations = 1000, ftol = 1e-15, xtol = 1e-13, maxStep = Number.POSITIVE_INFINITY, floor = 0 } = {},
): LeastSquaresResult => {
  const n = start.length;
  const { lower, upper } = problem;
  let x = Float64Array.from(start, (v, k) => Math.min(upper[k], Math.max(lower[k], v)));
  let r = problem.residuals(x);
  if (!finite(r)) throw new RangeError('the model is not finite at the start');
  let s = sumSq(r);
  let lambda = 1e-3;
  let smallReductions = 0;
  // The sum of squares at every iteration, for the stall test.
  const history: number[] = [];
  for (let it = 1; it <= maxIterations; it++) {
    // Stalled: less than STALL_REDUCTION relative progress over the last STALL_WINDOW iterations
    // (a flat region such as an arc shorted by its CPE, crawled along for thousands of steps).
    history.push(s);
    if (
      it > STALL_WINDOW &&
      history[it - 1 - STALL_WINDOW] - s <= STALL_REDUCTION * history[it - 1 - STALL_WINDOW]
    )
      return { x, residuals: r, sumOfSquares: s, iterations: it, converged: true, stop: 'stalled' };
    const jac = problem.jacobian(x);
    const m = r.length;
    // Gradient g = J^T r and the normal matrix J^T J.
    const g = new Float64Array(n);
    const jtj = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      const ca = jac[a];
      let gs = 0;
      for (let i = 0; i < m; i++) gs += ca[i] * r[i];
      g[a] = gs;
      for (let b = 0; b <= a; b++) {
        const cb = jac[b];
        let t = 0;
        for (let i = 0; i < m; i++) t += ca[i] * cb[i];
        jtj[a * n + b] = t;
        jtj[b * n + a] = t;
      }
    }
    const free: number[] = [];
    for (let k = 0; k < n; k++) {
      const atLow = x[k] <= lower[k] && g[k] > 0;
      const atHigh = x[k] >= upper[k] && g[k] < 0;
      if (!atLow && !atHigh) free.push(k);
    }
    if (free.length === 0)
      return { x, residuals: r, sumOfSquares: s, iterations: it, converged: true, stop: 'no descent' };
    const f = free.length;
    let accepted = false;
    while (!accepted) {
      const a = new Float64Array(f * f);
      const b = new Float64Array(f);
      for (let i = 0; i < f; i++) {
        b[i] = -g[free[i]];
        for (let j = 0; j < f; j++) a[i * f + j] = jtj[free[i] * n + free[j]];
        const d = jtj[free[i] * n + free[i]];
        a[i * f + i] += lambda * (d > 0 ? d : 1e-300);
      }
      const l = cholesky(a, f);
      if (l) {
        const dx = choleskySolve(l, f, b);
        // A trust bound: the largest change of any unknown in one step (the step is shortened, its
        // direction kept), so that a Gauss-Newton step from far away cannot fling a parameter
        // across tens of decades into a flat region it cannot come back from.
        let big = 0;
        for (const v of dx) big = Math.max(big, Math.abs(v));
        if (big > maxStep) for (let i = 0; i < f; i++) dx[i] *= maxStep / big;
        const trial = Float64Array.from(x);
        let stepMax = 0;
        for (let i = 0; i < f; i++) {
          const k = free[i];
          trial[k] = Math.min(upper[k], Math.max(lower[k], x[k] + dx[i]));
          stepMax = Math.max(stepMax, Math.abs(trial[k] - x[k]) / Math.max(1, Math.abs(x[k])));
        }
        const rt = problem.residuals(trial);
        const st = finite(rt) ? sumSq(rt) : Number.POSITIVE_INFINITY;
        if (st < s) {
          const reduction = (s - st) / s;
          x = trial;
          r = rt as Float64Array;
          s = st;
          lambda = Math.max(lambda / 3, 1e-15);
          accepted = true;
          smallReductions = reduction < ftol ? smallReductions + 1 : 0;
          if (smallReductions >= 2 || s <= floor)
            return {
              x,
              residuals: r,
              sumOfSquares: s,
              iterations: it,
              converged: true,
              stop: 'small reduction',
            };
          if (stepMax < xtol)
            return { x, residuals: r, sumOfSquares: s, iterations: it, converged: true, stop: 'small step' };
          break;
        }
        if (stepMax < xtol && lambda > 1)
          return { x, residuals: r, sumOfSquares: s, iterations: it, converged: true, stop: 'small step' };
      }
      lambda *= 4;
      if (lambda > 1e16)
        return { x, residuals: r, sumOfSquares: s, iterations: it, converged: true, stop: 'no descent' };
    }
  }
  return {
    x,
    residuals: r,
    sumOfSquares: s,
    iterations: maxIterations,
    converged: false,
    stop: 'iteration limit',
  };
};
