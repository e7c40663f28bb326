import { atomicNumber } from '../../core/elements.js';
import { OptionError } from '../../core/errors.js';
import { ATOMIC_SCATTERING_PARAMS } from './atomic-scattering-params.js';

/**
 * X-ray atomic form factors. `pymatgen`: pymatgen's f(s) = Z - 41.78214 s^2 sum_{i=1..4} a_i
 * exp(-b_i s^2) with s = sin(theta) / lambda = Q / (4 pi) in 1/A and its coefficients
 * (atomic-scattering-params.ts; De Graef & McHenry, Structure of Materials, ch. 12); `z`: f = Z at
 * every Q, PDFfit2's X-ray weights (and the comparison ASE's and other Debye codes allow).
 */
export type FormFactorModel = 'pymatgen' | 'z';

export const FORM_FACTOR_MODELS: readonly FormFactorModel[] = ['pymatgen', 'z'];

/**
 * 8 pi^2 a0 (A), the Mott-Bethe constant: f_X(s) = Z - 8 pi^2 a0 s^2 f_e(s), where the sum of
 * Gaussians is the electron scattering factor f_e(s) (A) of pymatgen's table.
 */
const MOTT_BETHE = 41.78214;

/** pymatgen's coefficients of an element, or an OptionError naming it (as pymatgen refuses it). */
export const scatteringCoefficients = (symbol: string): readonly number[] => {
  const c = ATOMIC_SCATTERING_PARAMS[symbol];
  if (!c)
    throw new OptionError(
      `no X-ray scattering coefficients for ${symbol} (pymatgen's table has 99 elements)`,
      {
        option: 'formFactor',
      },
    );
  return c;
};

/** f(s) of one element with pymatgen's coefficients; s = sin(theta) / lambda (1/A). */
export const pymatgenFormFactor = (symbol: string, s: number): number => {
  const c = scatteringCoefficients(symbol);
  const s2 = s * s;
  let sum = 0;
  for (let i = 0; i < 8; i += 2) sum += c[i] * Math.exp(-c[i + 1] * s2);
  return atomicNumber(symbol) - MOTT_BETHE * s2 * sum;
};

/**
 * A form factor as a function of Q = 4 pi sin(theta) / lambda (1/A) for one element and model;
 * checks the element once, so the function it returns never throws.
 */
export const formFactorOfQ = (symbol: string, model: FormFactorModel): ((qInvA: number) => number) => {
  const z = atomicNumber(symbol);
  if (z < 0) throw new OptionError(`unknown element ${symbol}`, { option: 'formFactor' });
  if (model === 'z') return () => z;
  scatteringCoefficients(symbol);
  return (q) => pymatgenFormFactor(symbol, q / (4 * Math.PI));
};
