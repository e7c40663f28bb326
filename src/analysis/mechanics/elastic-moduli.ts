import { InsufficientDataError } from '../../core/errors.js';
import { SeededRandom } from '../../core/random.js';

/**
 * Polycrystal (isotropic) averages of a stiffness matrix C (GPa, Voigt order xx yy zz yz xz xy):
 *
 *   Voigt (uniform strain):  K_V = [(C11 + C22 + C33) + 2 (C12 + C23 + C31)] / 9
 *                            G_V = [(C11 + C22 + C33) - (C12 + C23 + C31) + 3 (C44 + C55 + C66)] / 15
 *   Reuss (uniform stress), S = C^-1:
 *                            K_R = 1 / [(S11 + S22 + S33) + 2 (S12 + S23 + S31)]
 *                            G_R = 15 / [4 (S11 + S22 + S33) - 4 (S12 + S23 + S31) + 3 (S44 + S55 + S66)]
 *   Hill: the means of the two bounds (Hill, Proc. Phys. Soc. A 65, 349 (1952));
 *   for each, Young's modulus E = 9 K G / (3 K + G) and Poisson's ratio nu = (3 K - 2 G) / (2 (3 K + G)).
 *
 * C is symmetrised first, (C + C^T) / 2 (a finite-strain C of a stressed cell or a noisy run is
 * not exactly symmetric; the largest asymmetry is reported). Mechanical (Born) stability: C must
 * be positive definite (tested by a Cholesky factorisation); a warning says when it is not.
 * With standard errors of C_ij (a finite-temperature C), the moduli get intervals by Monte Carlo:
 * 4000 draws of C with independent normal errors, the 2.5 and 97.5 percentiles.
 */
export interface Moduli {
  bulkGPa: number;
  shearGPa: number;
  youngGPa: number;
  poissonRatio: number;
}

export interface ModulusInterval {
  low: number;
  high: number;
}

export interface ElasticModuli {
  /** The symmetrised C (GPa). */
  stiffnessGPa: number[][];
  /** Its inverse, the compliance S (1/GPa). */
  complianceInvGPa: number[][];
  voigt: Moduli;
  reuss: Moduli;
  hill: Moduli;
  /** 95 % intervals of the Hill moduli from the errors of C, when given. */
  hillIntervals?: Record<keyof Moduli, ModulusInterval>;
  /** max |C_ij - C_ji| (GPa). */
  asymmetryGPa: number;
  positiveDefinite: boolean;
  warnings: string[];
}

const moduli = (K: number, G: number): Moduli => ({
  bulkGPa: K,
  shearGPa: G,
  youngGPa: (9 * K * G) / (3 * K + G),
  poissonRatio: (3 * K - 2 * G) / (2 * (3 * K + G)),
});

/** Inverse of a square matrix by Gauss-Jordan elimination with partial pivoting. */
export const invertMatrix = (m: number[][]): number[][] => {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    if (!(Math.abs(a[p][c]) > 1e-300)) throw new InsufficientDataError('the stiffness matrix is singular');
    [a[c], a[p]] = [a[p], a[c]];
    const pivot = a[c][c];
    for (let k = 0; k < 2 * n; k++) a[c][k] /= pivot;
    for (let r = 0; r < n; r++)
      if (r !== c) {
        const f = a[r][c];
        if (f !== 0) for (let k = 0; k < 2 * n; k++) a[r][k] -= f * a[c][k];
      }
  }
  return a.map((row) => row.slice(n));
};

const isPositiveDefinite = (m: number[][]): boolean => {
  const n = m.length;
  const L = m.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = m[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) return false;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  return true;
};

const averages = (C: number[][]) => {
  const S = invertMatrix(C);
  const KV = (C[0][0] + C[1][1] + C[2][2] + 2 * (C[0][1] + C[1][2] + C[2][0])) / 9;
  const GV =
    (C[0][0] + C[1][1] + C[2][2] - (C[0][1] + C[1][2] + C[2][0]) + 3 * (C[3][3] + C[4][4] + C[5][5])) / 15;
  const KR = 1 / (S[0][0] + S[1][1] + S[2][2] + 2 * (S[0][1] + S[1][2] + S[2][0]));
  const GR =
    15 /
    (4 * (S[0][0] + S[1][1] + S[2][2]) -
      4 * (S[0][1] + S[1][2] + S[2][0]) +
      3 * (S[3][3] + S[4][4] + S[5][5]));
  return { S, voigt: moduli(KV, GV), reuss: moduli(KR, GR), hill: moduli((KV + KR) / 2, (GV + GR) / 2) };
};

/** Voigt, Reuss and Hill moduli of C (see the module comment). */
export const elasticModuli = (stiffnessGPa: number[][], errorGPa?: number[][]): ElasticModuli => {
  if (
    stiffnessGPa.length !== 6 ||
    stiffnessGPa.some((r) => r.length !== 6 || r.some((v) => !Number.isFinite(v)))
  )
    throw new InsufficientDataError('a stiffness matrix is 6 x 6 finite numbers');
  let asymmetry = 0;
  const C = stiffnessGPa.map((row, i) =>
    row.map((v, j) => {
      asymmetry = Math.max(asymmetry, Math.abs(v - stiffnessGPa[j][i]));
      return (v + stiffnessGPa[j][i]) / 2;
    }),
  );
  const warnings: string[] = [];
  const positiveDefinite = isPositiveDefinite(C);
  if (!positiveDefinite)
    warnings.push('C is not positive definite: the structure is not mechanically stable (Born criterion)');
  const { S, voigt, reuss, hill } = averages(C);
  let hillIntervals: ElasticModuli['hillIntervals'];
  if (errorGPa) {
    // Errors of the symmetrised entries: (C_ij + C_ji) / 2.
    const E = C.map((row, i) => row.map((_, j) => Math.hypot(errorGPa[i][j], errorGPa[j][i]) / 2));
    const rng = new SeededRandom(27);
    const draws: Record<keyof Moduli, number[]> = {
      bulkGPa: [],
      shearGPa: [],
      youngGPa: [],
      poissonRatio: [],
    };
    for (let k = 0; k < 4000; k++) {
      const D = C.map((row) => [...row]);
      for (let i = 0; i < 6; i++)
        for (let j = i; j < 6; j++) {
          const v = C[i][j] + E[i][j] * rng.gaussian();
          D[i][j] = v;
          D[j][i] = v;
        }
      try {
        const h = averages(D).hill;
        for (const key of Object.keys(draws) as (keyof Moduli)[]) draws[key].push(h[key]);
      } catch {
        // A singular draw adds nothing.
      }
    }
    const pct = (v: number[], p: number) => {
      const s = [...v].sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
    };
    hillIntervals = Object.fromEntries(
      (Object.keys(draws) as (keyof Moduli)[]).map((k) => [
        k,
        { low: pct(draws[k], 0.025), high: pct(draws[k], 0.975) },
      ]),
    ) as Record<keyof Moduli, ModulusInterval>;
  }
  return {
    stiffnessGPa: C,
    complianceInvGPa: S,
    voigt,
    reuss,
    hill,
    hillIntervals,
    asymmetryGPa: asymmetry,
    positiveDefinite,
    warnings,
  };
};
