/**
 * The GLS line fits on flat arrays (line-fit.ts): the Cholesky factor is ml-matrix's, bit for bit,
 * and a fit through the factor is the fit through the matrix.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  choleskyFlat,
  glsLine,
  glsLineFactored,
  reconditionCovariance,
  reconditionFlat,
  wlsLine,
} from '../../src/analysis/transport/line-fit.js';
import { randomWalkMsdCovariance } from '../../src/analysis/transport/random-walk-covariance.js';

describe('GLS on flat arrays', () => {
  // The random-walk covariance of 60 lags of a 5,000-frame run, with vibration: as the fits use it.
  const lags = Array.from({ length: 60 }, (_, j) => 1 + j * 40);
  const C = randomWalkMsdCovariance(5000, lags, 0.3);
  const n = lags.length;

  it("factors as ml-matrix's CholeskyDecomposition does, bit for bit", () => {
    const flat = choleskyFlat(Float64Array.from(C.to1DArray()), n);
    const reference = new CholeskyDecomposition(C);
    expect(flat.positiveDefinite).toBe(true);
    expect(Array.from(flat.L)).toEqual(reference.lowerTriangularMatrix.to1DArray());
    // Not positive definite: said so, as ml-matrix says it.
    const bad = Matrix.from1DArray(2, 2, [1, 2, 2, 1]);
    expect(choleskyFlat(Float64Array.from(bad.to1DArray()), 2).positiveDefinite).toBe(
      new CholeskyDecomposition(bad).isPositiveDefinite(),
    );
  });

  it('reconditions and fits through the factor as through the matrix', () => {
    const r = reconditionFlat(Float64Array.from(C.to1DArray()), n);
    expect(r.adjusted).toBe(false);
    expect(Array.from(r.matrix)).toEqual(reconditionCovariance(C).matrix.to1DArray());
    const x = lags.map((m) => m * 2);
    const y = x.map((t, j) => 0.01 * t + 0.3 + 0.05 * Math.sin(j));
    expect(glsLineFactored(x, y, r.factor!)).toEqual(glsLine(x, y, Matrix.from1DArray(n, n, r.matrix)));
    // A singular covariance takes the eigenvalue floor (no factor from the fast path).
    const singular = new Float64Array(n * n).fill(1);
    const s = reconditionFlat(singular, n);
    expect(s.adjusted).toBe(true);
    expect(s.factor).toBeUndefined();
    expect(choleskyFlat(s.matrix, n).positiveDefinite).toBe(true);
  });

  it('refuses a covariance that is not symmetric, and variances with no factor', () => {
    const x = [1, 2, 3];
    const y = [1, 2, 3.5];
    const skew = Matrix.from1DArray(3, 3, [1, 0.1, 0, 0, 1, 0, 0, 0, 1]);
    expect(() => glsLine(x, y, skew)).toThrow(/not symmetric/);
    expect(() => wlsLine(x, y, [1, 1e-200, 1])).toThrow(/not positive definite/);
    expect(() => wlsLine(x, y, [1, 1e200, 1])).toThrow(/not positive definite/);
    expect(wlsLine(x, y, [1, 2, 1]).slope).toBeGreaterThan(0);
  });
});
