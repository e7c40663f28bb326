import { type ArrheniusFit, extrapolate, fitArrheniusWeighted } from '../analysis/transport/arrhenius.js';
import { nernstEinsteinFactor } from '../analysis/transport/conductivity.js';
import type { Estimate } from '../analysis/transport/diffusivity.js';
import { InsufficientDataError } from '../core/errors.js';
import { studentT95 } from '../core/statistics.js';
import type { StudyResult } from './analysis.js';
import type { StudySpec } from './spec.js';

/** The replica average: per temperature, D and sigma over the models (mean, standard error, t interval). */
export interface ReplicaSummary {
  seeds: number[];
  rows: {
    temperatureK: number;
    diffusivityCm2PerS: Estimate;
    conductivityMsPerCm: Estimate;
    perSeedD: number[];
  }[];
  /** Weighted Arrhenius fit of the mean D (weights from the standard errors) over the window. */
  activationEv: Estimate;
  perSeedActivationEv: number[];
  extrapolation: { temperatureK: number; diffusivityCm2PerS: Estimate; conductivityMsPerCm: Estimate };
  windowK: [number, number];
  /**
   * The whole weighted fit behind `activationEv` (line with its covariance): the report draws the
   * fitted line and its 95 % band from it with analysis/transport/arrhenius.ts `extrapolate`.
   */
  fit: ArrheniusFit;
  /** The temperatures (K) in that fit: in the window and with a positive mean D. */
  fittedTemperaturesK: number[];
  /**
   * The quantile behind every 95 % interval here: Student t with (models - 1) degrees of freedom,
   * since each mean D's standard error comes from that many models' scatter. With z = 1.96 the Ea
   * interval of four models covered the twelve-model value in 88 % of the 495 four-model subsets
   * of laoc-v4's 1 ns runs, with t(3) in 97 % (docs/FORCEFIELD-NOTES.md, "The main job's protocol").
   */
  quantile95: number;
}

const meanEstimate = (v: number[]): Estimate => {
  const n = v.length;
  const m = v.reduce((a, b) => a + b, 0) / n;
  const se = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1) / n) : Number.NaN;
  const t = studentT95(n - 1);
  return { value: m, std: se, low95: m - t * se, high95: m + t * se };
};

export const combineReplicas = (spec: StudySpec, results: StudyResult[], seeds: number[]): ReplicaSummary => {
  if (results.length < 2) throw new InsufficientDataError('a replica average needs two or more models');
  const temps = results[0].rows.map((r) => r.temperatureK);
  const rows = temps.map((T, k) => {
    const ds = results.map((r) => r.rows[k].result.diffusivity.glsCm2PerS.value);
    const ss = results.map((r) => r.rows[k].result.conductivity.nernstEinsteinMsPerCm.value);
    return {
      temperatureK: T,
      diffusivityCm2PerS: meanEstimate(ds),
      conductivityMsPerCm: meanEstimate(ss),
      perSeedD: ds,
    };
  });
  const [lo, hi] = [spec.transport.arrheniusMinK, spec.transport.arrheniusMaxK];
  const window = rows.filter(
    (r) => r.temperatureK >= lo && r.temperatureK <= hi && r.diffusivityCm2PerS.value > 0,
  );
  if (window.length < 2)
    throw new InsufficientDataError(`fewer than two temperatures with a positive mean D in ${lo}-${hi} K`);
  const fit = fitArrheniusWeighted(
    window.map((r) => r.temperatureK),
    window.map((r) => r.diffusivityCm2PerS.value),
    window.map((r) => r.diffusivityCm2PerS.std),
  );
  const q = studentT95(results.length - 1);
  const ea = fit.activationEv;
  const T0 = spec.transport.extrapolateK;
  const d = extrapolate(fit, T0, q);
  const first = results[0].rows[0].result;
  let density = 0;
  for (const r of results) for (const row of r.rows) density += row.result.carriers / row.result.volumeA3;
  density /= results.length * temps.length;
  const f = nernstEinsteinFactor(density, 1, T0, first.charge);
  return {
    seeds,
    rows,
    activationEv: { ...ea, low95: ea.value - q * ea.std, high95: ea.value + q * ea.std },
    perSeedActivationEv: results.map((r) => (r.arrhenius.weighted ?? r.arrhenius.ols).activationEv.value),
    extrapolation: {
      temperatureK: T0,
      diffusivityCm2PerS: d,
      conductivityMsPerCm: { value: d.value * f, std: d.std * f, low95: d.low95 * f, high95: d.high95 * f },
    },
    windowK: [lo, hi],
    fit,
    fittedTemperaturesK: window.map((r) => r.temperatureK),
    quantile95: q,
  };
};
