import { dirname, resolve } from 'node:path';
import type { Radiation } from '../analysis/scattering/pdf-phase.js';
import { ParseError } from '../core/errors.js';
import { type PdfData, readPdfData } from '../io/gr.js';
import type { Fields } from '../io/settings-fields.js';

/**
 * The model against measured X-ray or neutron PDF data (`[scattering]` in the study file):
 *
 *   [scattering]
 *   data = "pdf/laoc-0b-25C.gr"      (PDFgetX/N .gr, relative to the study file)
 *   radiation = "xray"                (or "neutron"; default: the header's, else xray)
 *   temperature = 300                 (K: the series temperature whose production frames make the
 *                                      model G(r); default the one nearest the header's, else 300 K)
 *   qmax = 24.5, qdamp = 0.04         (1/A; default: the header's; qdamp 0 when it gives none)
 *   fit_range = [1.5, 20]             (A; default 1.5-20 A within the data's range)
 *   licl = true                       (two-phase fit with crystalline LiCl: its fraction)
 *   licl_long_range = [10, 30], licl_short_range = [1.0, 4.7], licl_uiso = 0.02, licl_cif = "x.cif"
 *   frames = 100                      (at most this many production frames, evenly spaced)
 *
 * The data file is read here, when the study file is read, so that a wrong path, a bad file or a
 * range outside the data stops the study before its hours of MD, not after.
 */

/** Where a setting's value came from. */
export type SettingSource = 'study file' | 'data header' | 'default';

export interface ScatteringSpec {
  /** The data file as written in the study file, and resolved against its folder. */
  data: string;
  dataFile: string;
  radiation: Radiation;
  radiationSource: SettingSource;
  /** Series temperature whose production frames give the model G(r) (K). */
  temperatureK: number;
  /** How it was chosen ('study file', or 'nearest the data header's 298 K', 'nearest 300 K'). */
  temperatureSource: string;
  qmaxInvA: number;
  qmaxSource: SettingSource;
  qdampInvA: number;
  qdampSource: SettingSource;
  /** The model-vs-data fit range (A). */
  fitRangeA: [number, number];
  fitRangeSource: SettingSource;
  /** The two-phase fit with crystalline LiCl (null: not asked). */
  licl: {
    /** Lattice and LiCl scale first over this range (A). */
    longRangeA: [number, number];
    /** Then both scales over this range (A). */
    shortRangeA: [number, number];
    /** Isotropic U of Li and Cl in the crystal (A^2). */
    uisoA2: number;
    /** A CIF of the crystal; null: the built-in rock-salt LiCl (study/scattering-licl.ts). */
    cif: string | null;
  } | null;
  /** At most this many production frames, evenly spaced, are averaged. */
  maxFrames: number;
}

/** The SCIENCE.md section 4 ranges: LiCl lattice and scale over 10-30 A, then both scales over 1.0-4.7 A. */
export const LICL_LONG_RANGE_A: [number, number] = [10, 30];
export const LICL_SHORT_RANGE_A: [number, number] = [1.0, 4.7];
/** Default model-vs-data range (A), cut to the data's. */
export const SCATTERING_FIT_RANGE_A: [number, number] = [1.5, 20];

const RADIATIONS = { xray: 'X', neutron: 'N' } as const;

/** [rmin, rmax] with 0 < rmin < rmax (A). */
const rangeOf = (f: Fields, key: string): [number, number] | undefined => {
  const v = f.use(key);
  if (v === undefined) return undefined;
  if (
    !Array.isArray(v) ||
    v.length !== 2 ||
    !v.every((x) => typeof x === 'number' && Number.isFinite(x)) ||
    !(v[0] > 0 && v[1] > v[0])
  )
    throw f.error(key, 'two distances [rmin, rmax] with 0 < rmin < rmax (A)', v);
  return v as [number, number];
};

/** First r > 0 and last r of the data (A). */
const dataSpan = (d: PdfData): [number, number] => [
  d.r.find((x) => x > 0) ?? d.r[d.r.length - 1],
  d.r[d.r.length - 1],
];

/** A range must lie within the data (the Qmax termination may reach beyond; the model covers that). */
const checkInData = (f: Fields, key: string, range: [number, number], d: PdfData, what: string) => {
  const [lo, hi] = dataSpan(d);
  const tol = 1e-6 * d.rstep;
  if (range[0] < lo - tol || range[1] > hi + tol)
    throw f.error(key, `${what} within the data's r range ${lo}-${hi} A (${d.file})`, range);
  if (Math.round((range[1] - range[0]) / d.rstep) < 3)
    throw f.error(key, `${what} holding at least 3 data points (step ${d.rstep} A)`, range);
};

/**
 * The `[scattering]` table (null when absent). `seriesK`: the study's series temperatures (the
 * model's frames come from one of them).
 */
export const scatteringFromFields = (
  f: Fields,
  file: string,
  seriesK: readonly number[],
): ScatteringSpec | null => {
  if (Object.keys(f.raw).length === 0) return null;
  const data = f.str('data', undefined);
  if (data === '') throw f.error('data', 'a PDF data file (.gr)', data);
  const dataFile = resolve(dirname(file), data);
  let pdf: PdfData;
  try {
    pdf = readPdfData(dataFile);
  } catch (e) {
    // A parse error names the .gr file and its line already; a missing file is this key's fault.
    if (e instanceof ParseError) throw e;
    throw f.error('data', `a readable PDF data file (${(e as Error).message})`, data);
  }
  const meta = pdf.meta;

  const radiationSource: SettingSource = f.has('radiation')
    ? 'study file'
    : meta.stype
      ? 'data header'
      : 'default';
  const radiation: Radiation = f.has('radiation')
    ? RADIATIONS[f.str('radiation', undefined, ['xray', 'neutron'] as const)]
    : (meta.stype ?? 'X');

  let temperatureK: number;
  let temperatureSource: string;
  if (f.has('temperature')) {
    temperatureK = f.num(
      'temperature',
      undefined,
      (v) => seriesK.includes(v),
      `one of the series temperatures ${seriesK.join(', ')} (K)`,
    );
    temperatureSource = 'study file';
  } else {
    const target = meta.temperatureK !== undefined && meta.temperatureK > 0 ? meta.temperatureK : 300;
    temperatureK = seriesK.reduce((best, T) => (Math.abs(T - target) < Math.abs(best - target) ? T : best));
    temperatureSource =
      meta.temperatureK !== undefined && meta.temperatureK > 0
        ? `nearest the data header's ${target} K`
        : 'nearest 300 K';
  }

  let qmaxInvA: number;
  let qmaxSource: SettingSource;
  if (f.has('qmax')) {
    qmaxInvA = f.num('qmax', undefined, (v) => v >= 0, 'a Qmax >= 0 (1/A; 0: no termination)');
    qmaxSource = 'study file';
    if (meta.qmax !== undefined && qmaxInvA > 0 && qmaxInvA < meta.qmax - 1e-9)
      throw f.error(
        'qmax',
        `at least the data's Qmax ${meta.qmax} 1/A (its header): a lower one would not match the data's ripples`,
        qmaxInvA,
      );
  } else if (meta.qmax !== undefined) {
    qmaxInvA = meta.qmax;
    qmaxSource = 'data header';
  } else throw f.error('qmax', `the data's Qmax (1/A): the header of ${data} gives none`, undefined);

  let qdampInvA = 0;
  let qdampSource: SettingSource = 'default';
  if (f.has('qdamp')) {
    qdampInvA = f.num('qdamp', undefined, (v) => v >= 0 && v < 1, 'a Qdamp >= 0 and < 1 (1/A)');
    qdampSource = 'study file';
  } else if (meta.qdamp !== undefined) {
    qdampInvA = meta.qdamp;
    qdampSource = 'data header';
  }

  const [lo, hi] = dataSpan(pdf);
  const givenRange = rangeOf(f, 'fit_range');
  const fitRangeA: [number, number] = givenRange ?? [
    Math.max(SCATTERING_FIT_RANGE_A[0], lo),
    Math.min(SCATTERING_FIT_RANGE_A[1], hi),
  ];
  checkInData(f, 'fit_range', fitRangeA, pdf, 'a fit range');

  const liclOn = f.bool('licl', false);
  let licl: ScatteringSpec['licl'] = null;
  if (liclOn) {
    const long = rangeOf(f, 'licl_long_range') ?? [LICL_LONG_RANGE_A[0], Math.min(LICL_LONG_RANGE_A[1], hi)];
    if (!(long[1] > long[0]))
      throw f.error(
        'licl_long_range',
        `a long range for the LiCl lattice: the data end at ${hi} A, before the default's 10 A; give one`,
        undefined,
      );
    checkInData(f, 'licl_long_range', long, pdf, 'a long range');
    const short = rangeOf(f, 'licl_short_range') ?? [...LICL_SHORT_RANGE_A];
    checkInData(f, 'licl_short_range', short, pdf, 'a short range');
    const cif = f.has('licl_cif') ? f.str('licl_cif', undefined) : null;
    licl = {
      longRangeA: long,
      shortRangeA: short,
      uisoA2: f.num('licl_uiso', 0.02, (v) => v > 0 && v < 1, 'an isotropic U > 0 and < 1 (A^2)'),
      cif: cif === null ? null : resolve(dirname(file), cif),
    };
  } else
    for (const k of ['licl_long_range', 'licl_short_range', 'licl_uiso', 'licl_cif'])
      if (f.has(k)) throw f.error(k, 'nothing without licl = true', f.raw[k]);
  const maxFrames = f.num(
    'frames',
    100,
    (v) => Number.isInteger(v) && v >= 1,
    'a whole number of frames >= 1',
  );
  f.done();
  return {
    data,
    dataFile,
    radiation,
    radiationSource,
    temperatureK,
    temperatureSource,
    qmaxInvA,
    qmaxSource,
    qdampInvA,
    qdampSource,
    fitRangeA,
    fitRangeSource: givenRange ? 'study file' : 'default',
    licl,
    maxFrames,
  };
};
