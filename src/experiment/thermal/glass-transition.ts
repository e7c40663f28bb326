import { olsLine } from '../../analysis/transport/line-fit.js';
import { InsufficientDataError, OptionError } from '../../core/errors.js';

export interface GlassTransitionOptions {
  /** Search the step only within [from, to] (the unit of the temperatures). */
  rangeFrom?: number;
  rangeTo?: number;
  /** Points in the moving average applied before differentiating (odd, default 1: none). */
  smooth?: number;
}

export interface GlassTransition {
  /** Onset: the pre-transition baseline meets the inflection tangent. */
  onset: number;
  /** Midpoint: the curve halfway between the two extrapolated baselines (ASTM E1356 half height). */
  midpoint: number;
  /** Inflection: the steepest point of the step. */
  inflection: number;
  /** End: the post-transition baseline meets the inflection tangent. */
  endset: number;
  /** Step height between the baselines at the midpoint (heat-flow unit), signed. */
  step: number;
  /** The temperature windows used for the two baselines. */
  baselineBefore: [number, number];
  baselineAfter: [number, number];
}

/**
 * The glass transition of a DSC heat-flow curve by the tangent construction (ASTM E1356): the step
 * is where |d(heat flow)/dT| peaks (the inflection); its half width at half maximum w sets the
 * baseline windows, [T_i - 6w, T_i - 3w] before and [T_i + 3w, T_i + 6w] after (clipped to the
 * data), each fitted by a line; onset and end are where those lines meet the tangent at the
 * inflection, the midpoint where the curve is halfway between them. Temperatures in any one unit
 * (the result is in the same); the curve should be one heating scan.
 */
export const glassTransition = (
  temperature: ArrayLike<number>,
  heatFlow: ArrayLike<number>,
  options: GlassTransitionOptions = {},
): GlassTransition => {
  const idx = Array.from({ length: temperature.length }, (_, i) => i)
    .filter(
      (i) =>
        (options.rangeFrom === undefined || temperature[i] >= options.rangeFrom) &&
        (options.rangeTo === undefined || temperature[i] <= options.rangeTo),
    )
    .sort((a, b) => temperature[a] - temperature[b]);
  const T = idx.map((i) => temperature[i]);
  let H = idx.map((i) => heatFlow[i]);
  const n = T.length;
  if (n < 12)
    throw new InsufficientDataError(`a glass transition needs at least 12 points in the range, got ${n}`);
  for (let i = 1; i < n; i++)
    if (!(T[i] > T[i - 1]))
      throw new OptionError(`temperature ${T[i]} appears twice: give one heating scan`, {
        option: 'rangeFrom',
      });
  const smooth = options.smooth ?? 1;
  if (!(Number.isInteger(smooth) && smooth >= 1 && smooth % 2 === 1))
    throw new OptionError(`the smoothing window must be an odd whole number, got ${smooth}`, {
      option: 'smooth',
    });
  if (smooth > 1) {
    const h = (smooth - 1) / 2;
    H = H.map((_, i) => {
      const a = Math.max(0, i - h);
      const b = Math.min(n - 1, i + h);
      let s = 0;
      for (let k = a; k <= b; k++) s += H[k];
      return s / (b - a + 1);
    });
  }
  const d = T.map((_, i) => {
    const a = Math.max(0, i - 1);
    const b = Math.min(n - 1, i + 1);
    return (H[b] - H[a]) / (T[b] - T[a]);
  });
  // The step: the largest |dH/dT| away from the ends, measured from the median slope (the baseline's).
  const med = [...d].sort((a, b) => a - b)[Math.floor(n / 2)];
  let k = 1;
  for (let i = 1; i < n - 1; i++) if (Math.abs(d[i] - med) > Math.abs(d[k] - med)) k = i;
  const peak = Math.abs(d[k] - med);
  let lo = k;
  while (lo > 0 && Math.abs(d[lo] - med) > peak / 2) lo--;
  let hi = k;
  while (hi < n - 1 && Math.abs(d[hi] - med) > peak / 2) hi++;
  const w = Math.max((T[hi] - T[lo]) / 2, T[Math.min(n - 1, k + 1)] - T[k]);
  const window = (a: number, b: number) => T.map((_, i) => i).filter((i) => T[i] >= a && T[i] <= b);
  const before = window(T[k] - 6 * w, T[k] - 3 * w);
  const after = window(T[k] + 3 * w, T[k] + 6 * w);
  if (before.length < 3 || after.length < 3)
    throw new InsufficientDataError(
      `the step at ${T[k].toPrecision(4)} is too close to the end of the data for baselines 3-6 half widths (${w.toPrecision(3)}) on either side: measure a wider range or narrow the search range`,
    );
  const b1 = olsLine(
    before.map((i) => T[i]),
    before.map((i) => H[i]),
  );
  const b2 = olsLine(
    after.map((i) => T[i]),
    after.map((i) => H[i]),
  );
  // The inflection tangent through (T_k, H_k) with slope d_k.
  const meet = (b: { slope: number; intercept: number }) =>
    (H[k] - d[k] * T[k] - b.intercept) / (b.slope - d[k]);
  // Midpoint: H(T) - (b1(T) + b2(T)) / 2 changes sign between the baselines' windows.
  const gap = (i: number) => H[i] - (b1.intercept + b1.slope * T[i] + b2.intercept + b2.slope * T[i]) / 2;
  let midpoint = T[k];
  for (let i = before[before.length - 1]; i < after[0]; i++) {
    const g0 = gap(i);
    const g1 = gap(i + 1);
    if (g0 === 0) {
      midpoint = T[i];
      break;
    }
    if (Math.sign(g0) !== Math.sign(g1)) {
      midpoint = T[i] + (g0 / (g0 - g1)) * (T[i + 1] - T[i]);
      break;
    }
  }
  return {
    onset: meet(b1),
    midpoint,
    inflection: T[k],
    endset: meet(b2),
    step: b2.intercept + b2.slope * midpoint - (b1.intercept + b1.slope * midpoint),
    baselineBefore: [T[before[0]], T[before[before.length - 1]]],
    baselineAfter: [T[after[0]], T[after[after.length - 1]]],
  };
};
