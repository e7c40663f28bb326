import type { Command } from 'commander';
import { analyseXrdFile, writeXrdCsv, writeXrdJson, xrdTable } from '../analysis/scattering/xrd-report.js';
import { wavelengthA } from '../analysis/scattering/xrd-wavelengths.js';
import { OptionError } from '../core/errors.js';
import { isPositive, parseNumber } from './number-option.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';
import { analyseAndReport, parseList } from './structure-common.js';

interface XrdCliOptions extends RawReadOptions {
  wavelength: string;
  twoTheta: string;
  b?: string;
  profile?: boolean;
  fwhm?: string;
  eta?: string;
  step?: string;
  json?: string;
  csv?: string;
}

/** "5,90" -> [5, 90] (degrees). */
export const parseRange = (s: string, flag: string): [number, number] => {
  const parts = parseList(s);
  if (parts.length !== 2) throw new OptionError(`${flag}: "${s}" is not MIN,MAX in degrees`);
  const [lo, hi] = parts.map((p) =>
    parseNumber(p, flag, (v) => v >= 0 && v < 180, 'an angle in [0, 180) deg'),
  );
  if (!(hi > lo)) throw new OptionError(`${flag}: "${s}" needs MIN < MAX`);
  return [lo, hi];
};

/** "Li=1.0,Cl=0.5" -> B per element (A^2). */
export const parseB = (s: string): Record<string, number> => {
  const out: Record<string, number> = {};
  const items = parseList(s);
  if (items.length === 0) throw new OptionError(`--b: "${s}" gives no values`);
  for (const item of items) {
    const [el, v, ...rest] = item.split('=').map((x) => x.trim());
    if (rest.length > 0 || v === undefined || !/^[A-Z][a-z]?$/.test(el))
      throw new OptionError(`--b: "${item}" is not ELEMENT=B like Li=1.0`);
    if (el in out) throw new OptionError(`--b: ${el} given twice`);
    out[el] = parseNumber(v, `--b ${el}`, (x) => x >= 0, 'a B >= 0 in A^2');
  }
  return out;
};

/** `oligolyte scatter xrd`: the powder pattern of a crystal, as pymatgen's XRDCalculator. */
export const registerScatterXrd = (scatter: Command): void => {
  addReadOptions(
    scatter
      .command('xrd')
      .description(
        "powder X-ray diffraction of a crystal (CIF or any periodic structure): peak 2theta (deg), intensity scaled to 100, d spacing (A), hkl families and multiplicities, by the rules of pymatgen's XRDCalculator (f(s) with pymatgen's coefficients, Lorentz-polarisation, no Debye-Waller unless --b)",
      )
      .argument(
        '<structure>',
        'crystal structure file (CIF: symmetry expanded to P1; PDFfit .stru; any periodic format)',
      )
      .option(
        '--wavelength <name|A>',
        'X-ray wavelength: a name (CuKa, CuKa1, CuKa2, CuKb1, MoKa, CrKa, FeKa, CoKa, AgKa, each with Ka1/Ka2/Kb1) or a number in A',
        'CuKa',
      )
      .option('--two-theta <min,max>', '2theta range, degrees', '0,90')
      .option('--b <list>', 'Debye-Waller B per element, A^2: "Li=1.0,Cl=0.5" (amplitude exp(-B s^2))')
      .option(
        '--profile',
        'also a broadened pattern (pseudo-Voigt) on a 2theta grid: in --json, and as --csv',
      )
      .option('--fwhm <deg>', 'profile peak width (FWHM), degrees 2theta', '0.1')
      .option('--eta <0..1>', 'profile Lorentzian fraction (0 Gaussian, 1 Lorentzian)', '0.5')
      .option('--step <deg>', 'profile grid step, degrees', '0.01')
      .option('--json <file>', 'every peak (and the profile), with units, as JSON')
      .option(
        '--csv <file>',
        'the peaks as CSV (two_theta_deg, intensity, intensity_absolute, d_A, hkl), or the profile with --profile',
      ),
  ).action(async (file: string, o: XrdCliOptions) => {
    const read = await toOpenOptions(o);
    const lambda = wavelengthA(o.wavelength);
    const twoThetaRangeDeg = parseRange(o.twoTheta, '--two-theta');
    const debyeWallerB = o.b === undefined ? undefined : parseB(o.b);
    const profile = o.profile
      ? {
          fwhmDeg: parseNumber(o.fwhm, '--fwhm', isPositive, 'a positive width in degrees'),
          eta: parseNumber(o.eta, '--eta', (v) => v >= 0 && v <= 1, 'a fraction within 0..1'),
          stepDeg: parseNumber(o.step, '--step', isPositive, 'a positive step in degrees'),
        }
      : undefined;
    await analyseAndReport(
      () =>
        analyseXrdFile(file, {
          wavelengthA: lambda,
          wavelengthName: o.wavelength,
          twoThetaRangeDeg,
          debyeWallerB,
          profile,
          read,
        }),
      xrdTable,
      [
        [o.json, writeXrdJson],
        [o.csv, writeXrdCsv],
      ],
    );
  });
};
