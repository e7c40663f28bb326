import { OptionError } from '../../core/errors.js';

/**
 * X-ray wavelengths by name (A), with pymatgen's names and values (pymatgen.analysis.diffraction.
 * xrd.WAVELENGTHS): "Ka" is the weighted Ka1/Ka2 mean, a single line (pymatgen draws no doublet).
 */
export const XRD_WAVELENGTHS_A: Readonly<Record<string, number>> = {
  CuKa: 1.54184,
  CuKa2: 1.54439,
  CuKa1: 1.54056,
  CuKb1: 1.39222,
  MoKa: 0.71073,
  MoKa2: 0.71359,
  MoKa1: 0.7093,
  MoKb1: 0.63229,
  CrKa: 2.291,
  CrKa2: 2.29361,
  CrKa1: 2.2897,
  CrKb1: 2.08487,
  FeKa: 1.93735,
  FeKa2: 1.93998,
  FeKa1: 1.93604,
  FeKb1: 1.75661,
  CoKa: 1.79026,
  CoKa2: 1.79285,
  CoKa1: 1.78896,
  CoKb1: 1.63079,
  AgKa: 0.560885,
  AgKa2: 0.563813,
  AgKa1: 0.559421,
  AgKb1: 0.497082,
};

/** A wavelength given by name ("CuKa", any case) or as a number of A ("0.1665"). */
export const wavelengthA = (value: string | number): number => {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value > 0) return value;
    throw new OptionError(`wavelength ${value} A: must be a positive number`, { option: 'wavelength' });
  }
  const t = value.trim();
  const name = Object.keys(XRD_WAVELENGTHS_A).find((k) => k.toLowerCase() === t.toLowerCase());
  if (name) return XRD_WAVELENGTHS_A[name];
  const v = Number(t);
  if (t !== '' && Number.isFinite(v) && v > 0) return v;
  throw new OptionError(
    `wavelength "${value}": neither a number of A nor one of ${Object.keys(XRD_WAVELENGTHS_A).join(', ')}`,
    { option: 'wavelength' },
  );
};
