import { type ArrheniusFit, extrapolate, fitArrheniusWeighted } from '../transport/arrhenius.js';
import type { Estimate } from '../transport/diffusivity.js';

/**
 * Temperature dependence of the dihedral jump rate: rate = A exp(-Ea / (k_B T)) fitted to the
 * pooled rate of each run (jumps over link time), weighted by the Poisson uncertainty of each
 * count (std(ln k) = 1 / sqrt(k)), as the transport Arrhenius fits are weighted. A run without a
 * jump has no logarithm: it is left out and named in the notes. Needs two different
 * temperatures with jumps; otherwise `fit` is absent and the notes say why.
 */
export interface JumpRateRun {
  temperatureK: number;
  jumps: number;
  linkTimeNs: number;
}

export interface JumpRateArrhenius {
  temperaturesK: number[];
  ratesPerNs: number[];
  /** The temperatures used by the fit (those with jumps). */
  fittedK: number[];
  fit?: ArrheniusFit;
  /** The fitted rate at 300 K (per ns), when in reach of the fit. */
  at300K?: Estimate;
  notes: string[];
}

export const jumpRateArrhenius = (runs: JumpRateRun[]): JumpRateArrhenius => {
  const notes: string[] = [];
  const used = runs.filter((r) => r.jumps > 0 && r.linkTimeNs > 0 && r.temperatureK > 0);
  for (const r of runs)
    if (!(r.jumps > 0))
      notes.push(`no jumps at ${r.temperatureK} K: left out of the Arrhenius fit of the jump rate`);
  const out: JumpRateArrhenius = {
    temperaturesK: runs.map((r) => r.temperatureK),
    ratesPerNs: runs.map((r) => r.jumps / r.linkTimeNs),
    fittedK: used.map((r) => r.temperatureK),
    notes,
  };
  if (new Set(used.map((r) => r.temperatureK)).size < 2) {
    notes.push('an Arrhenius fit of the jump rate needs jumps at two or more different temperatures');
    return out;
  }
  const T = used.map((r) => r.temperatureK);
  const rate = used.map((r) => r.jumps / r.linkTimeNs);
  const std = used.map((r) => Math.sqrt(r.jumps) / r.linkTimeNs);
  out.fit = fitArrheniusWeighted(T, rate, std);
  out.at300K = extrapolate(out.fit, 300);
  return out;
};
