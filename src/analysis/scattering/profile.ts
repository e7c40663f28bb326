import { OptionError } from '../../core/errors.js';

/** A broadened powder pattern on an even 2theta grid (for plotting against measured data). */
export interface PowderProfile {
  twoThetaDeg: Float64Array;
  intensity: Float64Array;
  fwhmDeg: number;
  eta: number;
}

export interface ProfileOptions {
  /** Full width at half maximum of every peak, degrees 2theta (default 0.1). */
  fwhmDeg?: number;
  /** Lorentzian fraction of the pseudo-Voigt, 0 (Gaussian) to 1 (Lorentzian); default 0.5. */
  eta?: number;
  /** Grid step, degrees (default 0.01). */
  stepDeg?: number;
  /** Grid range, degrees. */
  twoThetaRangeDeg: readonly [number, number];
}

const FOUR_LN2 = 4 * Math.LN2;
/** The densest grid accepted (points): a 0.0001 deg step over 180 deg is 1.8 million. */
const MAX_POINTS = 2_000_000;

/**
 * Each stick (2theta_k, I_k) broadened by a pseudo-Voigt of height I_k (Thompson, Cox & Hastings,
 * J. Appl. Cryst. 20, 79 (1987), with one width for both parts):
 *   pV(x) = eta / (1 + 4 x^2 / H^2) + (1 - eta) exp(-4 ln2 x^2 / H^2),  x = 2theta - 2theta_k,
 * so an isolated peak keeps its stick height and overlapping peaks add. The Lorentzian tails are
 * summed over the whole grid (they are not cut).
 */
export const pseudoVoigtProfile = (
  peaks: readonly { twoThetaDeg: number; intensity: number }[],
  options: ProfileOptions,
): PowderProfile => {
  const fwhmDeg = options.fwhmDeg ?? 0.1;
  const eta = options.eta ?? 0.5;
  const step = options.stepDeg ?? 0.01;
  const [lo, hi] = options.twoThetaRangeDeg;
  if (!(fwhmDeg > 0 && Number.isFinite(fwhmDeg)))
    throw new OptionError(`FWHM ${fwhmDeg} deg: must be positive`, { option: 'fwhmDeg' });
  if (!(eta >= 0 && eta <= 1)) throw new OptionError(`eta ${eta}: must be within 0..1`, { option: 'eta' });
  if (!(step > 0 && Number.isFinite(step)))
    throw new OptionError(`step ${step} deg: must be positive`, { option: 'stepDeg' });
  if (!(hi > lo))
    throw new OptionError(`2theta range ${lo},${hi}: needs min < max`, { option: 'twoThetaRangeDeg' });
  const n = Math.floor((hi - lo) / step + 1e-9) + 1;
  if (n > MAX_POINTS)
    throw new OptionError(`a ${step} deg step over ${lo}-${hi} deg is ${n} points (at most ${MAX_POINTS})`, {
      option: 'stepDeg',
    });
  const x = Float64Array.from({ length: n }, (_, i) => lo + i * step);
  const y = new Float64Array(n);
  const inv = 1 / (fwhmDeg * fwhmDeg);
  for (const p of peaks)
    for (let i = 0; i < n; i++) {
      const d2 = (x[i] - p.twoThetaDeg) ** 2 * inv;
      y[i] += p.intensity * (eta / (1 + 4 * d2) + (1 - eta) * Math.exp(-FOUR_LN2 * d2));
    }
  return { twoThetaDeg: x, intensity: y, fwhmDeg, eta };
};
