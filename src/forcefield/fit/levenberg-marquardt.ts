import { PhysicsError } from '../../core/errors.js';

/**
 * Bounded Levenberg-Marquardt least squares (Marquardt, J. SIAM 11, 431 (1963); Nocedal and
 * Wright, Numerical Optimization, ch. 10): minimise sum r_i(p)^2 with p clamped into its bounds
 * after each step (a projected step; a parameter held at a bound is reported as such). The
 * Jacobian is by forward differences of the residual function. Parameters are scaled by their
 * start magnitude so that one damping suits all.
 */
export interface LmOptions {
  maxIterations: number;
  /** Stop when the relative fall of chi^2 over an accepted step is below this. */
  tolerance: number;
  /** Called after each iteration (for progress). */
  onIteration?: (iteration: number, chi2: number, p: Float64Array) => void;
}

export interface LmResult {
  p: Float64Array;
  chi2: number;
  residuals: Float64Array;
  /** Jacobian at the solution (rows: residuals, columns: parameters), row-major. */
  jacobian: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Solve A x = b for a symmetric positive definite A (n x n, row-major) by Cholesky; undefined if not SPD. */
export const choleskySolve = (A: Float64Array, b: Float64Array, n: number): Float64Array | undefined => {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
};

/** The inverse of a symmetric positive definite matrix (column by column through choleskySolve). */
export const invertSpd = (A: Float64Array, n: number): Float64Array | undefined => {
  const inv = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const e = new Float64Array(n);
    e[c] = 1;
    const x = choleskySolve(A, e, n);
    if (!x) return undefined;
    for (let r = 0; r < n; r++) inv[r * n + c] = x[r];
  }
  return inv;
};

const sumSquares = (r: Float64Array): number => {
  let s = 0;
  for (const v of r) s += v * v;
  return s;
};

const evaluateOrReject = (
  f: (p: Float64Array) => Float64Array,
  q: Float64Array,
): Float64Array | undefined => {
  try {
    return f(q);
  } catch (e) {
    if (e instanceof PhysicsError) return undefined;
    throw e;
  }
};

export const jacobianOf = (
  f: (p: Float64Array) => Float64Array,
  p: Float64Array,
  r0: Float64Array,
  steps: Float64Array,
): Float64Array => {
  const m = r0.length;
  const n = p.length;
  const J = new Float64Array(m * n);
  for (let c = 0; c < n; c++) {
    const q = Float64Array.from(p);
    q[c] += steps[c];
    const r = f(q);
    for (let i = 0; i < m; i++) J[i * n + c] = (r[i] - r0[i]) / steps[c];
  }
  return J;
};

export const levenbergMarquardt = (
  f: (p: Float64Array) => Float64Array,
  start: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: LmOptions,
): LmResult => {
  const n = start.length;
  const clamp = (q: Float64Array) => {
    for (let c = 0; c < n; c++) q[c] = Math.min(upper[c], Math.max(lower[c], q[c]));
    return q;
  };
  let p = clamp(Float64Array.from(start));
  // Forward-difference steps: 1e-6 of each parameter's start magnitude (the objective is smooth
  // and evaluated in double precision, so the truncation error dominates only far above that).
  const typical = Float64Array.from(p, (v) => Math.max(Math.abs(v), 1e-3));
  const steps = typical.map((t) => 1e-6 * t);
  let r = f(p);
  if (r.some((v) => !Number.isFinite(v)))
    throw new PhysicsError('the fit objective is not finite at the start parameters');
  let chi2 = sumSquares(r);
  let lambda = 1e-3;
  let J = jacobianOf(f, p, r, steps);
  let converged = false;
  let it = 0;
  for (; it < options.maxIterations && !converged; it++) {
    const m = r.length;
    // Normal equations in scaled parameters u = p / typical.
    const A = new Float64Array(n * n);
    const g = new Float64Array(n);
    for (let i = 0; i < m; i++)
      for (let a = 0; a < n; a++) {
        const ja = J[i * n + a] * typical[a];
        g[a] -= ja * r[i];
        for (let b = 0; b <= a; b++) A[a * n + b] += ja * J[i * n + b] * typical[b];
      }
    for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) A[b * n + a] = A[a * n + b];
    let accepted = false;
    for (let tries = 0; tries < 12 && !accepted; tries++) {
      const D = Float64Array.from(A);
      for (let a = 0; a < n; a++) D[a * n + a] += lambda * Math.max(A[a * n + a], 1e-12);
      const du = choleskySolve(D, g, n);
      if (!du) {
        lambda *= 10;
        continue;
      }
      const q = clamp(Float64Array.from(p, (v, a) => v + du[a] * typical[a]));
      // A trial the model cannot be evaluated at (a PhysicsError: polarisable shells running
      // away, say) is a step too long: rejected as one that raises chi^2.
      const rq = evaluateOrReject(f, q);
      const c2 = rq ? sumSquares(rq) : Number.POSITIVE_INFINITY;
      if (rq && Number.isFinite(c2) && c2 < chi2) {
        // Converged: a nearly Gauss-Newton step (small damping) that no longer lowers chi^2 (a
        // heavily damped step can be tiny far from the minimum).
        converged = (chi2 - c2) / chi2 < options.tolerance && lambda <= 1e-2;
        p = q;
        r = rq;
        chi2 = c2;
        lambda = Math.max(lambda / 10, 1e-9);
        accepted = true;
      } else lambda *= 10;
    }
    if (!accepted) {
      // No step lowers chi^2 at any damping: a (bounded) minimum.
      converged = true;
      break;
    }
    J = jacobianOf(f, p, r, steps);
    options.onIteration?.(it + 1, chi2, p);
  }
  return { p, chi2, residuals: r, jacobian: J, iterations: it, converged };
};
