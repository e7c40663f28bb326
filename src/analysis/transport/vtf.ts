import { InsufficientDataError, OptionError } from '../../core/errors.js';
import { formatSignificant } from '../../core/format-number.js';
import { studentT95 } from '../../core/statistics.js';
import { BOLTZMANN_EV_PER_K } from '../../core/units.js';
import { olsLine } from './line-fit.js';

/**
 * Vogel-Tammann-Fulcher: y = A exp(-B / (k_B (T - T0))), fitted as ln y = ln A - B / (k_B (T - T0))
 * with B (eV, the pseudo-activation energy) and T0 (K, the ideal glass transition, below every
 * measured T). Glassy electrolytes bend off the Arrhenius line near T_g; VTF describes the bend.
 */
export interface VtfFit {
  lnPrefactor: number;
  prefactor: number;
  /** B (eV). */
  pseudoActivationEv: number;
  /** T0 (K). */
  t0K: number;
  /** Standard errors of ln A, B (eV) and T0 (K) from s^2 (J^T J)^-1 (NaN with 3 points). */
  lnPrefactorStd: number;
  pseudoActivationEvStd: number;
  t0KStd: number;
  /** 95 % intervals (Student t with n - 3 degrees of freedom) of B and T0. */
  pseudoActivationEv95: [number, number];
  t0K95: [number, number];
  points: number;
  /** Residual sum of squares of ln y. */
  residualSumOfSquares: number;
  /** True when the best T0 sits at the lower end of the search (0 K): VTF reduces to Arrhenius. */
  t0AtZero: boolean;
}

/** For a fixed T0 the model is a line in x = 1 / (k_B (T - T0)): slope -B, intercept ln A. */
const lineAt = (t: number[], y: number[], t0: number) => {
  const line = olsLine(
    t.map((v) => 1 / (BOLTZMANN_EV_PER_K * (v - t0))),
    y,
  );
  return { b: -line.slope, lnA: line.intercept, ssr: line.residualSumOfSquares };
};

/**
 * Least squares of ln y over (ln A, B, T0): ln A and B are linear for a given T0, so the residual
 * sum of squares is profiled over T0 in [0, min T) (a grid of 400 then golden-section refinement),
 * which finds the global optimum of the three-parameter problem in one dimension.
 */
export const fitVtf = (temperaturesK: ArrayLike<number>, values: ArrayLike<number>): VtfFit => {
  const n = temperaturesK.length;
  if (n !== values.length) throw new OptionError(`${n} temperatures for ${values.length} values`);
  if (n < 3)
    throw new InsufficientDataError(`a VTF fit has 3 parameters and needs at least 3 temperatures, got ${n}`);
  const t = Array.from(temperaturesK);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!(t[i] > 0)) throw new OptionError(`temperature ${t[i]} K is not positive`);
    if (!(values[i] > 0))
      throw new OptionError(`value ${values[i]} at ${t[i]} K is not positive; no logarithm`);
    y.push(Math.log(values[i]));
  }
  if (new Set(t).size < 3) throw new InsufficientDataError('a VTF fit needs three different temperatures');
  const tMin = Math.min(...t);
  const hiT0 = tMin * (1 - 1e-6);
  const grid = 400;
  let bestK = 0;
  let bestS = Number.POSITIVE_INFINITY;
  for (let k = 0; k <= grid; k++) {
    const s = lineAt(t, y, (hiT0 * k) / grid).ssr;
    if (s < bestS) {
      bestS = s;
      bestK = k;
    }
  }
  let a = (hiT0 * Math.max(0, bestK - 1)) / grid;
  let b = (hiT0 * Math.min(grid, bestK + 1)) / grid;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = lineAt(t, y, c).ssr;
  let fd = lineAt(t, y, d).ssr;
  for (let it = 0; it < 200 && b - a > 1e-10 * Math.max(1, b); it++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = lineAt(t, y, c).ssr;
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = lineAt(t, y, d).ssr;
    }
  }
  let t0 = (a + b) / 2;
  if (lineAt(t, y, 0).ssr <= lineAt(t, y, t0).ssr) t0 = 0;
  const { b: bEv, lnA, ssr } = lineAt(t, y, t0);
  // Jacobian of ln y_i by (ln A, B, T0): (1, -1/(k (T-T0)), -B/(k (T-T0)^2)).
  const J = t.map((v) => {
    const d0 = v - t0;
    return [1, -1 / (BOLTZMANN_EV_PER_K * d0), -bEv / (BOLTZMANN_EV_PER_K * d0 * d0)];
  });
  const jtj = [0, 1, 2].map((p) => [0, 1, 2].map((q) => J.reduce((s, row) => s + row[p] * row[q], 0)));
  const cov = invert3(jtj);
  const s2 = n > 3 ? ssr / (n - 3) : Number.NaN;
  const std = [0, 1, 2].map((k) => (cov ? Math.sqrt(s2 * cov[k][k]) : Number.NaN));
  const tq = studentT95(n - 3);
  return {
    lnPrefactor: lnA,
    prefactor: Math.exp(lnA),
    pseudoActivationEv: bEv,
    t0K: t0,
    lnPrefactorStd: std[0],
    pseudoActivationEvStd: std[1],
    t0KStd: std[2],
    pseudoActivationEv95: [bEv - tq * std[1], bEv + tq * std[1]],
    t0K95: [t0 - tq * std[2], t0 + tq * std[2]],
    points: n,
    residualSumOfSquares: ssr,
    t0AtZero: t0 === 0,
  };
};

const invert3 = (m: number[][]): number[][] | undefined => {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!(Math.abs(det) > 0) || !Number.isFinite(det)) return undefined;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
};

/** The VTF value at T (T > T0). */
export const vtfValue = (fit: VtfFit, temperatureK: number): number =>
  Math.exp(fit.lnPrefactor - fit.pseudoActivationEv / (BOLTZMANN_EV_PER_K * (temperatureK - fit.t0K)));

/**
 * Akaike's criterion for a least-squares fit of n points with k parameters, corrected for small n
 * (Hurvich & Tsai, Biometrika 76, 297 (1989)): AICc = n ln(SSR / n) + 2k + 2k(k + 1)/(n - k - 1);
 * infinite when n <= k + 1. Lower is better; a difference above about 2 is meaningful.
 */
export const aicc = (residualSumOfSquares: number, n: number, k: number): number => {
  if (n <= k + 1) return Number.POSITIVE_INFINITY;
  return n * Math.log(residualSumOfSquares / n) + 2 * k + (2 * k * (k + 1)) / (n - k - 1);
};

/**
 * A VTF fit set beside an Arrhenius fit of the same values (both least squares of ln y, unweighted,
 * so their residual sums of squares are comparable). VTF has three parameters: with three
 * temperatures it is exactly determined (it passes through the points unless T0 is held at 0 K),
 * so it has no interval and no AICc comparison; with four or more the two are compared by AICc.
 */
export interface VtfComparison {
  fit: VtfFit;
  /** True with exactly three temperatures: no residual degrees of freedom, no interval, no AICc. */
  exactlyDetermined: boolean;
  /** AICc of ln y under Arrhenius (2 parameters) and VTF (3); null when not defined (n < 4). */
  aiccArrhenius: number | null;
  aiccVtf: number | null;
  /** 'arrhenius', 'vtf', or 'either' when the AICc differ by less than 2; null with three points. */
  preferred: 'arrhenius' | 'vtf' | 'either' | null;
}

/**
 * Fit VTF to (T, y) and compare it with an unweighted Arrhenius fit of ln y on 1/T whose residual
 * sum of squares is given; undefined with fewer than three different temperatures.
 */
export const compareVtfWithArrhenius = (
  temperaturesK: ArrayLike<number>,
  values: ArrayLike<number>,
  arrheniusResidualSumOfSquares: number,
): VtfComparison | undefined => {
  const n = temperaturesK.length;
  if (n < 3 || new Set(Array.from(temperaturesK)).size < 3) return undefined;
  const fit = fitVtf(temperaturesK, values);
  if (n === 3) {
    const none: [number, number] = [Number.NaN, Number.NaN];
    return {
      fit: { ...fit, pseudoActivationEv95: none, t0K95: none },
      exactlyDetermined: true,
      aiccArrhenius: null,
      aiccVtf: null,
      preferred: null,
    };
  }
  const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);
  const aiccArrhenius = finiteOrNull(aicc(arrheniusResidualSumOfSquares, n, 2));
  const aiccVtf = finiteOrNull(aicc(fit.residualSumOfSquares, n, 3));
  let preferred: VtfComparison['preferred'] = null;
  if (aiccArrhenius !== null && aiccVtf !== null)
    preferred =
      Math.abs(aiccArrhenius - aiccVtf) < 2 ? 'either' : aiccArrhenius < aiccVtf ? 'arrhenius' : 'vtf';
  return { fit, exactlyDetermined: false, aiccArrhenius, aiccVtf, preferred };
};

const g4 = (v: number) => formatSignificant(v, 4, 1e-3, 1e6);

/**
 * The comparison in words, one line each: the VTF parameters (with their 95 % intervals when there
 * are residual degrees of freedom) and the AICc verdict, or why there is none.
 */
export const vtfComparisonLines = (c: VtfComparison, quantity: string): string[] => {
  const f = c.fit;
  const interval = (r: [number, number]) =>
    Number.isFinite(r[0]) && Number.isFinite(r[1]) ? ` [${g4(r[0])}, ${g4(r[1])}]` : '';
  const head = `VTF ln ${quantity} = ln A - B / (k_B (T - T0)) over ${f.points} temperatures: B = ${g4(f.pseudoActivationEv)} eV${interval(f.pseudoActivationEv95)}, T0 = ${g4(f.t0K)} K${interval(f.t0K95)}${f.t0AtZero ? ' (T0 at 0 K: no bend, Arrhenius)' : ''}`;
  if (c.exactlyDetermined)
    return [
      head,
      '  3 temperatures for 3 parameters: exactly determined, so no interval and no AICc comparison with Arrhenius (needs 4 or more)',
    ];
  const verdict =
    c.preferred === 'either'
      ? 'no clear preference (difference < 2)'
      : c.preferred
        ? `${c.preferred === 'vtf' ? 'VTF' : 'Arrhenius'} preferred`
        : 'not comparable';
  return [
    head,
    `  AICc of ln ${quantity} (unweighted): Arrhenius ${c.aiccArrhenius === null ? '-' : g4(c.aiccArrhenius)}, VTF ${c.aiccVtf === null ? '-' : g4(c.aiccVtf)}: ${verdict}`,
  ];
};
