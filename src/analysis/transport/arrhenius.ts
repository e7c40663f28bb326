import { OptionError } from '../../core/errors.js';
import { Z95 } from '../../core/statistics.js';
import { BOLTZMANN_EV_PER_K } from '../../core/units.js';
import { type Estimate, estimate } from './diffusivity.js';
import { type LineFit, olsLine, wlsLine } from './line-fit.js';

/** D = A exp(-Ea / (k_B T)), fitted as ln D = ln A - (Ea / k_B) (1/T). */
export interface ArrheniusFit {
  /** Activation energy (eV). */
  activationEv: Estimate;
  /** Natural log of the prefactor A (A in the unit of D). */
  lnPrefactor: Estimate;
  prefactor: number;
  /** Covariance of (slope, intercept) of ln D vs 1/T, for extrapolation. */
  line: LineFit;
  /** 'ols' (unweighted, pymatgen's fit_arrhenius) or 'weighted' (by each D's uncertainty). */
  method: 'ols' | 'weighted';
  points: number;
}

const check = (temperaturesK: ArrayLike<number>, values: ArrayLike<number>) => {
  if (temperaturesK.length !== values.length)
    throw new OptionError(`${temperaturesK.length} temperatures for ${values.length} values`);
  if (temperaturesK.length < 2) throw new OptionError('an Arrhenius fit needs at least two temperatures');
  for (let i = 0; i < values.length; i++) {
    if (!(temperaturesK[i] > 0)) throw new OptionError(`temperature ${temperaturesK[i]} K is not positive`);
    if (!(values[i] > 0))
      throw new OptionError(`value ${values[i]} at ${temperaturesK[i]} K is not positive; no logarithm`);
  }
  if (new Set(Array.from(temperaturesK)).size < 2)
    throw new OptionError('an Arrhenius fit needs two different temperatures');
};

const fromLine = (line: LineFit, method: 'ols' | 'weighted', points: number): ArrheniusFit => ({
  activationEv: estimate(-line.slope * BOLTZMANN_EV_PER_K, line.slopeStd * BOLTZMANN_EV_PER_K),
  lnPrefactor: estimate(line.intercept, line.interceptStd),
  prefactor: Math.exp(line.intercept),
  line,
  method,
  points,
});

/**
 * Least squares of ln D on 1/T (pymatgen's fit_arrhenius): Ea = -slope k_B, A = exp(intercept),
 * std(Ea) = sqrt(SSR / (n - 2) / (n var(1/T))) k_B (NaN for two points, as pymatgen gives None).
 */
export const fitArrhenius = (temperaturesK: ArrayLike<number>, values: ArrayLike<number>): ArrheniusFit => {
  check(temperaturesK, values);
  const x = Array.from(temperaturesK, (t) => 1 / t);
  const y = Array.from(values, Math.log);
  return fromLine(olsLine(x, y), 'ols', x.length);
};

/** Weighted fit: each ln D weighted by 1 / (std(D) / D)^2; the errors come from the given stds. */
export const fitArrheniusWeighted = (
  temperaturesK: ArrayLike<number>,
  values: ArrayLike<number>,
  stds: ArrayLike<number>,
): ArrheniusFit => {
  check(temperaturesK, values);
  const x = Array.from(temperaturesK, (t) => 1 / t);
  const y = Array.from(values, Math.log);
  const s = Array.from(values, (v, i) => stds[i] / v);
  return fromLine(wlsLine(x, y, s), 'weighted', x.length);
};

/**
 * ln D at a new temperature with its propagated standard deviation,
 * var = var(b) + var(m) / T^2 + 2 cov(m, b) / T, and the interval exp(ln D +- q sd), by default
 * q = Z95 = 1.96 (a Student-t quantile where the D errors come from a few models: study/replicas.ts).
 */
export const extrapolate = (fit: ArrheniusFit, temperatureK: number, quantile95 = Z95): Estimate => {
  if (!(temperatureK > 0)) throw new OptionError(`temperature ${temperatureK} K is not positive`);
  const { slope, intercept, slopeStd, interceptStd, covariance } = fit.line;
  const u = 1 / temperatureK;
  const ln = intercept + slope * u;
  const sd = Math.sqrt(Math.max(0, interceptStd ** 2 + slopeStd ** 2 * u * u + 2 * covariance * u));
  const value = Math.exp(ln);
  return {
    value,
    std: value * sd,
    low95: Math.exp(ln - quantile95 * sd),
    high95: Math.exp(ln + quantile95 * sd),
  };
};
