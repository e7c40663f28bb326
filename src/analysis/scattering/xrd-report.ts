import { Lattice } from '../../core/lattice.js';
import { readCifCrystal } from '../../io/formats/cif-sites.js';
import type { OpenOptions } from '../../io/registry.js';
import { readStructure } from '../../io/registry.js';
import { readStru } from '../../io/stru.js';
import type { TextSink } from '../../io/text-sink.js';
import { csvField, jsonNumbers, csvNumber as num, writeTo } from '../report-io.js';
import { type PowderProfile, type ProfileOptions, pseudoVoigtProfile } from './profile.js';
import {
  crystalFromStructure,
  type HklFamily,
  type XrdCrystal,
  type XrdOptions,
  type XrdPattern,
  xrdPattern,
} from './xrd.js';

/** One structure file's powder pattern, with its broadened profile when asked for. */
export interface XrdFileResult {
  file: string;
  /** The wavelength as given: a name ("CuKa") or a number of A. */
  wavelength: string;
  pattern: XrdPattern;
  profile?: PowderProfile;
}

export interface XrdFileOptions extends XrdOptions {
  wavelengthName?: string;
  /** Broaden the sticks (pseudo-Voigt) on a grid over the 2theta range. */
  profile?: Omit<ProfileOptions, 'twoThetaRangeDeg'>;
  read?: OpenOptions;
}

/**
 * The crystal of a file: a CIF through the crystal-site reader (partial occupancies kept, sites
 * sharing a position each with its own species, as pymatgen's disordered sites; U and B ignored,
 * as pymatgen's XRDCalculator does), a PDFfit .stru likewise (its atoms and occupancies), any
 * other structure format through readStructure (its first frame, every site fully occupied).
 */
export const readXrdCrystal = async (file: string, read?: OpenOptions): Promise<XrdCrystal> => {
  const lower = file.toLowerCase();
  const isCif = read?.format ? read.format === 'cif' : lower.endsWith('.cif');
  // PDFfit .stru (PDFgui's structures) is no trajectory format: read it as the crystal it is.
  const isStru = !read?.format && lower.endsWith('.stru');
  if (!isCif && !isStru) return crystalFromStructure(await readStructure(file, read), file);
  const model = isStru ? readStru(file) : readCifCrystal(file, { defaultUiso: 0 });
  return {
    lattice: Lattice.fromParameters(model.cell),
    symbols: model.sites.map((x) => x.element),
    fractional: Float64Array.from(model.sites.flatMap((x) => x.xyz)),
    occupancies: Float64Array.from(model.sites.map((x) => x.occupancy)),
  };
};

/** Read a crystal (see readXrdCrystal) and compute its pattern. */
export const analyseXrdFile = async (file: string, o: XrdFileOptions): Promise<XrdFileResult> => {
  const pattern = xrdPattern(await readXrdCrystal(file, o.read), o);
  const profile = o.profile
    ? pseudoVoigtProfile(pattern.peaks, { ...o.profile, twoThetaRangeDeg: pattern.twoThetaRangeDeg })
    : undefined;
  return { file, wavelength: o.wavelengthName ?? String(o.wavelengthA), pattern, profile };
};

/** "(1, 1, 1) x8" as pymatgen prints a family, joined for a peak. */
export const familiesText = (f: readonly HklFamily[]): string =>
  f.map((x) => `(${x.hkl.join(', ')}) x${x.multiplicity}`).join('; ');

export const xrdTable = (r: XrdFileResult): string => {
  const p = r.pattern;
  const lines = [
    `${r.file}: powder XRD, lambda = ${p.wavelengthA} A (${r.wavelength}), 2theta ${p.twoThetaRangeDeg[0]}-${p.twoThetaRangeDeg[1]} deg, ${p.peaks.length} peaks (pymatgen XRDCalculator rules)`,
    `  ${'2theta deg'.padStart(11)}${'I (max 100)'.padStart(13)}${'d A'.padStart(10)}  hkl x multiplicity`,
  ];
  for (const k of p.peaks)
    lines.push(
      `  ${k.twoThetaDeg.toFixed(4).padStart(11)}${k.intensity.toFixed(3).padStart(13)}${k.dSpacingA.toFixed(5).padStart(10)}  ${familiesText(k.families)}`,
    );
  if (r.profile)
    lines.push(
      `  profile: pseudo-Voigt, FWHM ${r.profile.fwhmDeg} deg, eta ${r.profile.eta}, ${r.profile.twoThetaDeg.length} points (in --json and --csv)`,
    );
  lines.push('');
  return lines.join('\n');
};

export const xrdReport = (r: XrdFileResult) => ({
  file: r.file,
  method:
    'powder XRD by the rules of pymatgen 2022.11.7 XRDCalculator (f(s) with pymatgen coefficients, Lorentz-polarisation)',
  wavelength: r.wavelength,
  wavelengthA: r.pattern.wavelengthA,
  twoThetaRangeDeg: r.pattern.twoThetaRangeDeg,
  millerBravais: r.pattern.millerBravais,
  peaks: r.pattern.peaks,
  profile: r.profile,
});

export const writeXrdJson = (target: string | TextSink, r: XrdFileResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${JSON.stringify(xrdReport(r), jsonNumbers, 1)}\n`);
  });

/**
 * CSV: the peaks (two_theta_deg, intensity, intensity_absolute, d_A, hkl), or with a profile the
 * broadened curve (two_theta_deg, intensity) on its grid.
 */
export const writeXrdCsv = (target: string | TextSink, r: XrdFileResult): Promise<void> =>
  writeTo(target, async (sink) => {
    if (r.profile) {
      sink.write('two_theta_deg,intensity\n');
      const { twoThetaDeg: x, intensity: y } = r.profile;
      for (let i = 0; i < x.length; i++) {
        sink.write(`${num(x[i])},${num(y[i])}\n`);
        if (i % 8192 === 0) await sink.flush();
      }
      return;
    }
    sink.write('two_theta_deg,intensity,intensity_absolute,d_A,hkl\n');
    for (const k of r.pattern.peaks)
      sink.write(
        `${num(k.twoThetaDeg)},${num(k.intensity)},${num(k.intensityAbsolute)},${num(k.dSpacingA)},${csvField(familiesText(k.families))}\n`,
      );
  });
