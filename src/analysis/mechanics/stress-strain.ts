import { InsufficientDataError, OptionError } from '../../core/errors.js';
import { blockAverage } from '../../core/statistics.js';
import { type CorrelatedSlope, correlatedSlope, quadraticFit } from './correlated-fit.js';

/**
 * The numbers a stress-strain curve gives (strain dimensionless, stress in GPa, positive in
 * tension; for a shear run the engineering shear strain gamma and the shear stress tau):
 *
 * - the modulus (Young's E for a tensile run, the shear modulus G for a shear run): the slope of
 *   the initial linear window, by least squares, with an interval that respects the time
 *   correlation of the stress (correlated-fit.ts: block-averaged sandwich error, Student's t);
 * - the yield stress by the 0.2 % offset rule: where the (smoothed) curve falls below the
 *   fitted line shifted by 0.002 strain, sigma = a + E (strain - 0.002), and stays below it to the
 *   end of the record; the strain there;
 * - the maximum (smoothed) stress and its strain;
 * - the toughness, the area under the raw curve from its first to its last point (trapezoids),
 *   in MJ/m^3 (1 GPa x 1 strain = 1000 MJ/m^3);
 * - Poisson's ratio of a tensile run from the lateral cell lengths (or, without them, from the
 *   volume with the two lateral axes taken alike): nu = -d ln L_lateral / d ln L_axial over the
 *   same window, with the same kind of interval.
 *
 * Noise: the yield and the maximum are read from a centred moving average of the stress over a
 * strain width `smoothingStrain` (default 0.005, or 1/20 of the strain range when that is less;
 * 0 turns it off); the modulus, its interval and the toughness use the raw points.
 *
 * The automatic linear window starts at the first point and ends at the largest strain, up to
 * half the strain of the maximum of the stress averaged over a tenth of the strain range, at which a quadratic fit over the window changes the
 * tangent modulus from the window's start to its end by less than `linearTolerance` (default
 * 10 %) beyond twice its standard error (scaled for correlated noise); at least `minWindowPoints`
 * points (default 8).
 */
export interface StressStrainOptions {
  /** The linear window [from, to] in strain (else found automatically). */
  linearWindow?: [number, number];
  /** Relative change of the tangent modulus accepted over the automatic window (default 0.1). */
  linearTolerance?: number;
  /** Smallest automatic window (points; default 8). */
  minWindowPoints?: number;
  /** Width of the moving average for yield and maximum (strain); 0: none. */
  smoothingStrain?: number;
  /** Offset strain of the yield rule (default 0.002). */
  yieldOffset?: number;
  /** Confidence of the intervals (default 0.95). */
  confidence?: number;
}

export interface StressStrainCurve {
  /** Engineering strain (tensile) or engineering shear strain gamma (shear). */
  strain: ArrayLike<number>;
  /** Stress (GPa), positive in tension. */
  stressGPa: ArrayLike<number>;
  /** Tensile runs: the log of the mean lateral stretch, ln(L_lateral / L_lateral,0), for Poisson's ratio. */
  lateralLogStretch?: ArrayLike<number>;
  /** How lateralLogStretch was obtained ('lengths' or 'volume'). */
  lateralFrom?: 'lengths' | 'volume';
}

export interface Interval {
  value: number;
  standardError: number;
  low: number;
  high: number;
}

export interface StressStrainResult {
  points: number;
  strainRange: [number, number];
  smoothingStrain: number;
  linearWindow: { fromStrain: number; toStrain: number; points: number; automatic: boolean };
  /** The slope of the linear window (GPa) with its interval and fit details. */
  modulusGPa: Interval & {
    confidence: number;
    blockLength: number;
    degreesOfFreedom: number;
    naiveStandardError: number;
  };
  /** The fitted line's stress at zero strain (GPa): the residual stress of the start. */
  interceptGPa: number;
  /** 0.2 % offset yield; null when the curve never falls below the offset line. */
  yield: { stressGPa: number; strain: number; offset: number } | null;
  maximum: { stressGPa: number; strain: number };
  /** Area under the curve (MJ/m^3). */
  toughnessMJPerM3: number;
  poissonRatio?: Interval & { from: 'lengths' | 'volume'; confidence: number };
  warnings: string[];
}

const DEFAULTS = { linearTolerance: 0.1, minWindowPoints: 8, yieldOffset: 0.002, confidence: 0.95 };

/** Centred moving average over a strain width (points within +-width/2 of each point's strain). */
export const smoothByStrain = (
  strain: ArrayLike<number>,
  y: ArrayLike<number>,
  width: number,
): Float64Array => {
  const n = y.length;
  const out = Float64Array.from(y);
  if (!(width > 0)) return out;
  let lo = 0;
  let hi = 0;
  let sum = 0;
  // Strain increases monotonically (checked by the caller): a sliding window. Edges within a
  // rounding error of +-width/2 count as inside (evenly spaced strains land exactly on them).
  const half = width / 2 + 1e-9 * width;
  for (let i = 0; i < n; i++) {
    while (hi < n && strain[hi] <= strain[i] + half) sum += y[hi++];
    while (strain[lo] < strain[i] - half) sum -= y[lo++];
    out[i] = sum / (hi - lo);
  }
  return out;
};

const toInterval = (f: CorrelatedSlope, sign = 1) => ({
  value: sign * f.slope,
  standardError: f.standardError,
  low: sign > 0 ? f.low : -f.high,
  high: sign > 0 ? f.high : -f.low,
});

/** Analyse one curve (see the module comment). */
export const analyseStressStrain = (
  curve: StressStrainCurve,
  options: StressStrainOptions = {},
): StressStrainResult => {
  const o = { ...DEFAULTS, ...options };
  const x = curve.strain;
  const y = curve.stressGPa;
  const n = x.length;
  const warnings: string[] = [];
  if (y.length !== n) throw new OptionError(`${n} strains for ${y.length} stresses`);
  if (n < o.minWindowPoints)
    throw new InsufficientDataError(
      `a stress-strain curve needs at least ${o.minWindowPoints} points, got ${n}`,
    );
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i]))
      throw new InsufficientDataError(`point ${i + 1} of the curve is not a finite number`);
    if (i > 0 && !(x[i] > x[i - 1]))
      throw new InsufficientDataError(
        `the strain must increase from point to point (point ${i + 1}: ${x[i]} after ${x[i - 1]})${
          i === 1 && x[1] < x[0]
            ? '; a compression record: give the strain and the stress with their signs reversed'
            : ''
        }`,
      );
  }
  if (!(o.yieldOffset >= 0))
    throw new OptionError('the yield offset must be >= 0', { option: 'yieldOffset' });
  if (!(o.linearTolerance > 0))
    throw new OptionError('the tolerance must be > 0', { option: 'linearTolerance' });
  const range = x[n - 1] - x[0];
  const smoothingStrain = options.smoothingStrain ?? Math.min(0.005, range / 20);
  if (!(smoothingStrain >= 0))
    throw new OptionError(`smoothing width ${smoothingStrain} is not >= 0`, { option: 'smoothingStrain' });
  const smooth = smoothByStrain(x, y, smoothingStrain);
  let iMax = 0;
  for (let i = 1; i < n; i++) if (smooth[i] > smooth[iMax]) iMax = i;

  // The linear window.
  let from = 0;
  let to: number;
  const automatic = !options.linearWindow;
  if (options.linearWindow) {
    const [a, b] = options.linearWindow;
    if (!(b > a)) throw new OptionError(`linear window [${a}, ${b}] is empty`, { option: 'linearWindow' });
    from = 0;
    while (from < n && x[from] < a) from++;
    to = from;
    while (to < n && x[to] <= b) to++;
    if (to - from < 4)
      throw new InsufficientDataError(
        `the linear window [${a}, ${b}] holds ${to - from} points; at least 4 are needed`,
      );
  } else {
    // The cap of the automatic window comes from the maximum of a wider average (a tenth of the
    // strain range): in a small cell the noise alone can put the narrow average's maximum near
    // the start.
    const wide = smoothByStrain(x, y, Math.max(smoothingStrain, range / 10));
    let iCap = 0;
    for (let i = 1; i < n; i++) if (wide[i] > wide[iCap]) iCap = i;
    to = automaticWindowEnd(x, y, iCap, o, warnings);
  }

  const fit = correlatedSlope(x, y, from, to, o.confidence);
  if (!(fit.slope > 0))
    warnings.push(`the stress does not rise over the linear window (slope ${fit.slope.toPrecision(3)} GPa)`);
  // Noise that swamps the slope (a small cell, a short window) also misplaces the offset line.
  else if (fit.standardError > 0.25 * fit.slope)
    warnings.push(
      `the modulus is uncertain (standard error ${((100 * fit.standardError) / fit.slope).toFixed(0)} % of it): so is the yield read from its offset line; a longer window (--window), a larger cell or replicas help`,
    );

  // 0.2 % offset yield: where the smoothed curve drops below the shifted line for good (the last
  // crossing from above: noise near the start can cross the line and come back, but beyond the
  // yield the line rises away from the curve), interpolated linearly between the two points.
  let yieldPoint: StressStrainResult['yield'] = null;
  const offsetLine = (e: number) => fit.intercept + fit.slope * (e - o.yieldOffset);
  let lastAbove = -1;
  for (let i = from; i < n; i++) if (smooth[i] - offsetLine(x[i]) > 0) lastAbove = i;
  if (lastAbove >= 0 && lastAbove < n - 1 && fit.slope > 0) {
    const i = lastAbove + 1;
    const before = smooth[i - 1] - offsetLine(x[i - 1]);
    const after = smooth[i] - offsetLine(x[i]);
    const t = before / (before - after);
    yieldPoint = {
      strain: x[i - 1] + t * (x[i] - x[i - 1]),
      stressGPa: smooth[i - 1] + t * (smooth[i] - smooth[i - 1]),
      offset: o.yieldOffset,
    };
  }
  if (!yieldPoint)
    warnings.push('the curve does not reach the 0.2 % offset line: no yield within the record');

  let area = 0;
  for (let i = 1; i < n; i++) area += 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]);

  let poissonRatio: StressStrainResult['poissonRatio'];
  if (curve.lateralLogStretch) {
    const lat = curve.lateralLogStretch;
    const logAxial = Float64Array.from({ length: n }, (_, i) => Math.log1p(x[i]));
    const p = correlatedSlope(logAxial, lat, from, to, o.confidence);
    poissonRatio = { ...toInterval(p, -1), from: curve.lateralFrom ?? 'lengths', confidence: o.confidence };
    // An isotropic solid lies in (-1, 0.5) and a glass above 0: outside, the lateral boundaries
    // lag the deformation (a barostat too slow for the strain rate) more likely than not.
    if (!(poissonRatio.high > 0 && poissonRatio.low < 0.5))
      warnings.push(
        `Poisson's ratio ${poissonRatio.value.toPrecision(3)} lies outside 0-0.5 beyond its interval: the lateral boundaries likely lag the deformation (barostat damping against the strain rate)`,
      );
  }
  return {
    points: n,
    strainRange: [x[0], x[n - 1]],
    smoothingStrain,
    linearWindow: { fromStrain: x[from], toStrain: x[to - 1], points: to - from, automatic },
    modulusGPa: {
      ...toInterval(fit),
      confidence: o.confidence,
      blockLength: fit.blockLength,
      degreesOfFreedom: fit.degreesOfFreedom,
      naiveStandardError: fit.naiveStandardError,
    },
    interceptGPa: fit.intercept,
    yield: yieldPoint,
    maximum: { stressGPa: smooth[iMax], strain: x[iMax] },
    toughnessMJPerM3: area * 1000,
    poissonRatio,
    warnings,
  };
};

/** The end (exclusive index) of the automatic linear window. */
const automaticWindowEnd = (
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  iMax: number,
  o: typeof DEFAULTS,
  warnings: string[],
): number => {
  const n = x.length;
  const capStrain = x[0] + 0.5 * (x[iMax] - x[0]);
  let cap = 0;
  while (cap < n && x[cap] <= capStrain) cap++;
  const minimum = o.minWindowPoints;
  if (cap < minimum) {
    warnings.push(
      `the stress peaks early (strain ${x[iMax].toPrecision(3)}): the linear window is the first ${minimum} points`,
    );
    return Math.min(n, minimum);
  }
  // About 60 candidate ends between the smallest window and the cap.
  const step = Math.max(1, Math.floor((cap - minimum) / 60));
  let best = minimum;
  for (let end = minimum; end <= cap; end += step) {
    const q = quadraticFit(x, y, 0, end);
    const linear = correlatedSlope(x, y, 0, end);
    if (!(linear.slope > 0)) continue;
    // Correlated noise: scale the naive error of c by the residuals' statistical inefficiency.
    const b = blockAverage(q.residuals);
    let naive = 0;
    for (const r of q.residuals) naive += (r - b.mean) ** 2;
    naive = Math.sqrt(naive / (q.residuals.length - 1) / q.residuals.length);
    const inflation = naive > 0 ? Math.max(1, b.standardError / naive) : 1;
    const span = x[end - 1] - x[0];
    const change = (2 * q.c * span) / linear.slope;
    const changeError = (2 * q.cStandardError * inflation * span) / linear.slope;
    if (Math.abs(change) - 2 * changeError < o.linearTolerance) best = end;
  }
  return best;
};
