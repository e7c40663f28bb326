import { type ArrheniusFit, fitArrhenius } from '../../analysis/transport/arrhenius.js';
import { aicc, compareVtfWithArrhenius, type VtfFit } from '../../analysis/transport/vtf.js';
import { InsufficientDataError } from '../../core/errors.js';
import { studentT95 } from '../../core/statistics.js';

/** Arrhenius of sigma and of sigma T beside a VTF fit of sigma, compared by AICc. */
export interface ConductivityTemperatureFit {
  temperaturesK: number[];
  sigmaSCm: number[];
  /** ln sigma = ln A - Ea / (k_B T). */
  arrhenius: ArrheniusFit;
  /** ln (sigma T) = ln A' - Ea / (k_B T), the form of thermally activated hopping. */
  arrheniusSigmaT: ArrheniusFit;
  /** 95 % intervals of Ea (eV) with Student t (n - 2 degrees of freedom; null with two points). */
  activationEv95: [number, number] | null;
  activationSigmaTEv95: [number, number] | null;
  vtf: VtfFit | null;
  /** AICc of ln sigma under Arrhenius (2 parameters) and VTF (3); null when not defined. */
  aiccArrhenius: number | null;
  aiccVtf: number | null;
  /** 'arrhenius', 'vtf', or 'either' when the AICc differ by less than 2. */
  preferred: 'arrhenius' | 'vtf' | 'either' | null;
}

const t95 = (fit: ArrheniusFit): [number, number] | null => {
  const dof = fit.points - 2;
  if (dof < 1) return null;
  const q = studentT95(dof);
  return [
    fit.activationEv.value - q * fit.activationEv.std,
    fit.activationEv.value + q * fit.activationEv.std,
  ];
};

/**
 * Fit sigma(T): Arrhenius of sigma and of sigma T (analysis/transport's fitArrhenius, least squares
 * of the logarithm on 1/T), and VTF of sigma with 4 or more temperatures; the two models of ln
 * sigma compared by AICc (Arrhenius 2 parameters, VTF 3).
 */
export const fitConductivityTemperature = (
  temperaturesK: readonly number[],
  sigmaSCm: readonly number[],
): ConductivityTemperatureFit => {
  if (temperaturesK.length < 2)
    throw new InsufficientDataError(
      `an Arrhenius fit needs spectra at two or more temperatures, got ${temperaturesK.length}`,
    );
  const arrhenius = fitArrhenius(temperaturesK, sigmaSCm);
  const arrheniusSigmaT = fitArrhenius(
    temperaturesK,
    sigmaSCm.map((s, i) => s * temperaturesK[i]),
  );
  const n = temperaturesK.length;
  // VTF with 4 or more temperatures (with 3 it is exactly determined: nothing to compare).
  const vtfComparison =
    n >= 4
      ? compareVtfWithArrhenius(temperaturesK, sigmaSCm, arrhenius.line.residualSumOfSquares)
      : undefined;
  const vtf = vtfComparison?.fit ?? null;
  const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);
  const aiccArrhenius = vtfComparison
    ? vtfComparison.aiccArrhenius
    : finiteOrNull(aicc(arrhenius.line.residualSumOfSquares, n, 2));
  const aiccVtf = vtfComparison?.aiccVtf ?? null;
  const preferred = vtfComparison?.preferred ?? null;
  return {
    temperaturesK: [...temperaturesK],
    sigmaSCm: [...sigmaSCm],
    arrhenius,
    arrheniusSigmaT,
    activationEv95: t95(arrhenius),
    activationSigmaTEv95: t95(arrheniusSigmaT),
    vtf,
    aiccArrhenius,
    aiccVtf,
    preferred,
  };
};
