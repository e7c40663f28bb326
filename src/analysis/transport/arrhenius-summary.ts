import { OptionError } from '../../core/errors.js';
import type { TransportResult } from './analyse-run.js';
import { type ArrheniusFit, extrapolate, fitArrhenius, fitArrheniusWeighted } from './arrhenius.js';
import { nernstEinsteinFactor } from './conductivity.js';
import type { Estimate } from './diffusivity.js';
import { compareVtfWithArrhenius, type VtfComparison } from './vtf.js';

/** An Arrhenius fit of several runs' tracer D (GLS) and its extrapolation to one temperature. */
export interface ArrheniusSummary {
  temperaturesK: number[];
  diffusivitiesCm2PerS: number[];
  ols: ArrheniusFit;
  /** Weighted by each D's standard deviation (used for the extrapolation when present). */
  weighted?: ArrheniusFit;
  extrapolation: { temperatureK: number; diffusivityCm2PerS: Estimate; conductivityMsPerCm: Estimate };
  /**
   * With three or more temperatures: a Vogel-Tammann-Fulcher fit of D (unweighted, like `ols`) and,
   * with four or more, its AICc comparison with the `ols` Arrhenius fit (glasses bend off the line).
   */
  vtf?: VtfComparison;
}

export const arrheniusSummary = (runs: TransportResult[], temperatureK: number): ArrheniusSummary => {
  if (runs.length < 2) throw new OptionError('an Arrhenius fit needs runs at two or more temperatures');
  const T = runs.map((r) => r.temperatureK);
  const D = runs.map((r) => r.diffusivity.glsCm2PerS.value);
  const S = runs.map((r) => r.diffusivity.glsCm2PerS.std);
  const ols = fitArrhenius(T, D);
  const weighted = S.every((s) => s > 0) ? fitArrheniusWeighted(T, D, S) : undefined;
  const best = weighted ?? ols;
  const d = extrapolate(best, temperatureK);
  const vtf = compareVtfWithArrhenius(T, D, ols.line.residualSumOfSquares);
  // Conductivity at the new temperature: the Nernst-Einstein factor at that temperature, with the
  // mean carrier density of the runs.
  const density = runs.reduce((s, r) => s + r.carriers / r.volumeA3, 0) / runs.length;
  const f = nernstEinsteinFactor(density, 1, temperatureK, runs[0].charge);
  return {
    temperaturesK: T,
    diffusivitiesCm2PerS: D,
    ols,
    weighted,
    extrapolation: {
      temperatureK,
      diffusivityCm2PerS: d,
      conductivityMsPerCm: { value: d.value * f, std: d.std * f, low95: d.low95 * f, high95: d.high95 * f },
    },
    ...(vtf ? { vtf } : {}),
  };
};
