import { OptionError } from '../../core/errors.js';
import { BOLTZMANN_J_PER_K, CUBIC_ANGSTROM_CM3, ELEMENTARY_CHARGE_C } from '../../core/units.js';
import { type Estimate, estimate } from './diffusivity.js';

/** Charge (e) of common mobile ions, used when the user gives none. */
const CARRIER_CHARGE: Record<string, number> = {
  H: 1,
  Li: 1,
  Na: 1,
  K: 1,
  Rb: 1,
  Cs: 1,
  Ag: 1,
  Cu: 1,
  Mg: 2,
  Ca: 2,
  Zn: 2,
  F: -1,
  Cl: -1,
  Br: -1,
  I: -1,
  O: -2,
};

/** The formal charge of a mobile ion of this element, or an error asking for the `charge` option. */
export const carrierCharge = (element: string): number => {
  const q = CARRIER_CHARGE[element];
  if (q === undefined)
    throw new OptionError(`no default charge for ${element}; give it (\`charge\`)`, { option: 'charge' });
  return q;
};

/**
 * Nernst-Einstein factor: sigma = n q^2 D / (k_B T) with n = N / V, in mS/cm per cm^2/s.
 * sigma [S/cm] = N (z e)^2 D[cm^2/s] / (V[cm^3] k_B T); x 1000 for mS/cm. pymatgen-analysis-diffusion's
 * get_conversion_factor is the same expression (with N_A and R, which cancel).
 */
export const nernstEinsteinFactor = (
  carriers: number,
  volumeA3: number,
  temperatureK: number,
  charge = 1,
): number => {
  if (!(volumeA3 > 0)) throw new OptionError(`the cell volume must be positive, got ${volumeA3} A^3`);
  if (!(temperatureK > 0)) throw new OptionError(`the temperature must be positive, got ${temperatureK} K`);
  return (
    (1000 * carriers * (charge * ELEMENTARY_CHARGE_C) ** 2) /
    (volumeA3 * CUBIC_ANGSTROM_CM3 * BOLTZMANN_J_PER_K * temperatureK)
  );
};

/** Scale an estimate (value, std and interval) by a positive factor. */
export const scaleEstimate = (e: Estimate, factor: number): Estimate => ({
  value: e.value * factor,
  std: e.std * factor,
  low95: e.low95 * factor,
  high95: e.high95 * factor,
});

/**
 * Haven ratio H = D_tracer / D_sigma (equivalently sigma_NE / sigma_charge), with the standard
 * deviation propagated as if the two were independent (they are positively correlated, so this
 * overstates it a little).
 */
export const havenRatio = (tracer: Estimate, charge: Estimate): Estimate => {
  // Without a positive collective diffusivity the ratio means nothing: say so with NaN (null in JSON).
  if (!(charge.value > 0) || !(tracer.value > 0)) return estimate(Number.NaN, Number.NaN);
  const h = tracer.value / charge.value;
  const rel = Math.hypot(tracer.std / tracer.value, charge.std / charge.value);
  return estimate(h, Math.abs(h) * rel, 0);
};
