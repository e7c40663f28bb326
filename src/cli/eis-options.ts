import type { Command } from 'commander';
import { OptionError } from '../core/errors.js';
import type { Pellet } from '../experiment/conductivity/pellet.js';
import type { SpectrumFileOptions } from '../experiment/eis-files.js';
import { type FitOptions, WEIGHTINGS, type Weighting } from '../experiment/fitting/fit-circuit.js';
import type { ImaginarySign } from '../experiment/readers/csv.js';
import { SPECTRUM_FORMATS } from '../experiment/readers/read-spectrum.js';
import type { SpectrumFormat } from '../experiment/readers/spectrum.js';
import { type CsvTable, writeCsv, writeJson } from '../experiment/report/report-output.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';
import { analyseAndReport, parseList } from './structure-common.js';

/** Options shared by the measurement commands (spectra, fits, pellets, outputs). */
export interface SpectrumCliOptions {
  format?: string;
  imaginary?: string;
  fmin?: string;
  fmax?: string;
  belowAxis?: boolean;
  cycle?: string;
  json?: string;
  csv?: string;
}

export interface FitCliOptions {
  circuit?: string;
  guess?: string;
  lower?: string;
  upper?: string;
  weighting: string;
  starts: string;
  seed: string;
  maxIterations: string;
}

export interface PelletCliOptions {
  thickness?: string;
  thicknessStd?: string;
  diameter?: string;
  diameterStd?: string;
  area?: string;
  areaStd?: string;
}

export const addSpectrumOptions = (cmd: Command): Command =>
  cmd
    .option(
      '--format <name>',
      `instrument format (${SPECTRUM_FORMATS.join(', ')}); default: from the extension and header`,
    )
    .option('--imaginary <sign>', 'csv only: the third column is "im" (Im Z, default) or "minus-im" (-Im Z)')
    .option('--fmin <Hz>', 'use only frequencies >= this (Hz)')
    .option('--fmax <Hz>', 'use only frequencies <= this (Hz)')
    .option(
      '--below-axis',
      'use only points with Im Z < 0 (drop inductive points, as impedance.py ignoreBelowX)',
    );

export const addFitOptions = (cmd: Command, circuitRequired: boolean): Command =>
  cmd
    .option(
      '--circuit <string>',
      `equivalent circuit in impedance.py's notation, e.g. "R0-p(R1,CPE1)-CPE2" (- series, p(a,b) parallel; R, C, L, CPE, W, Wo, Ws, La, G, Gs, K, Zarc)${circuitRequired ? '' : '; without it R_bulk is the high-frequency intercept'}`,
    )
    .option(
      '--guess <list>',
      'initial parameters in circuit order, comma-separated (SI units: ohm, F, H, s); default: a guess from the data',
    )
    .option('--lower <list>', 'lower bounds per parameter (default 0)')
    .option('--upper <list>', 'upper bounds per parameter (default infinity; 1 for CPE/La/Zarc exponents)')
    .option('--weighting <w>', `residual weighting: ${WEIGHTINGS.join(', ')}`, 'unit')
    .option('--starts <n>', 'number of starts (the guess plus scattered ones)', '8')
    .option('--seed <n>', 'seed of the scattered starts', '1')
    .option('--max-iterations <n>', 'Levenberg-Marquardt iterations per start', '2000');

export const addPelletOptions = (cmd: Command): Command =>
  cmd
    .option('--thickness <mm>', 'pellet thickness L (mm)')
    .option('--thickness-std <mm>', 'standard uncertainty of the thickness (mm)', '0')
    .option('--diameter <mm>', 'electrode/pellet diameter (mm); A = pi d^2 / 4')
    .option('--diameter-std <mm>', 'standard uncertainty of the diameter (mm)', '0')
    .option('--area <cm2>', 'electrode area (cm^2), instead of --diameter')
    .option('--area-std <cm2>', 'standard uncertainty of the area (cm^2)', '0');

export const addOutputOptions = (cmd: Command, csvWhat: string): Command =>
  cmd.option('--json <file>', 'every number, with units, as JSON').option('--csv <file>', csvWhat);

const isFiniteNumber = (v: number) => Number.isFinite(v);
const isNonNegative = (v: number) => v >= 0;

/** A comma-separated list of numbers. */
export const parseNumberList = (
  s: string | undefined,
  flag: string,
  check = isFiniteNumber,
  what = 'a number',
): number[] | undefined =>
  s === undefined ? undefined : parseList(s).map((v) => parseNumber(v, flag, check, what));

export const spectrumFileOptions = (o: SpectrumCliOptions): SpectrumFileOptions => {
  if (o.format !== undefined && !SPECTRUM_FORMATS.includes(o.format as SpectrumFormat))
    throw new OptionError(`--format: "${o.format}" is not one of ${SPECTRUM_FORMATS.join(', ')}`);
  if (o.imaginary !== undefined && o.imaginary !== 'im' && o.imaginary !== 'minus-im')
    throw new OptionError(`--imaginary: "${o.imaginary}" is not im or minus-im`);
  return {
    read: {
      format: o.format as SpectrumFormat | undefined,
      imaginary: o.imaginary as ImaginarySign | undefined,
    },
    select: {
      minHz: parseNumber(o.fmin, '--fmin', isPositive, 'a positive frequency in Hz'),
      maxHz: parseNumber(o.fmax, '--fmax', isPositive, 'a positive frequency in Hz'),
      belowAxisOnly: o.belowAxis === true,
    },
  };
};

export const fitOptions = (o: FitCliOptions): FitOptions => {
  if (!WEIGHTINGS.includes(o.weighting as Weighting))
    throw new OptionError(`--weighting: "${o.weighting}" is not one of ${WEIGHTINGS.join(', ')}`);
  return {
    initialGuess: parseNumberList(o.guess, '--guess', isPositive, 'a positive number'),
    lower: parseNumberList(o.lower, '--lower', isNonNegative, 'a number >= 0'),
    upper: parseNumberList(o.upper, '--upper', isPositive, 'a positive number'),
    weighting: o.weighting as Weighting,
    starts: parseNumber(o.starts, '--starts', isWholeAtLeastOne, 'a whole number >= 1'),
    seed: parseNumber(o.seed, '--seed', Number.isInteger, 'a whole number'),
    maxIterations: parseNumber(o.maxIterations, '--max-iterations', isWholeAtLeastOne, 'a whole number >= 1'),
  };
};

export const pelletOptions = (o: PelletCliOptions): Pellet => {
  if (o.thickness === undefined) throw new OptionError('--thickness: the pellet thickness (mm) is needed');
  if ((o.diameter === undefined) === (o.area === undefined))
    throw new OptionError('give --diameter (mm) or --area (cm^2), one of the two');
  const pos = (v: string | undefined, flag: string, what: string) => parseNumber(v, flag, isPositive, what);
  const nonNeg = (v: string | undefined, flag: string) =>
    parseNumber(v, flag, isNonNegative, 'an uncertainty >= 0');
  return {
    thicknessMm: pos(o.thickness, '--thickness', 'a positive thickness in mm') as number,
    thicknessStdMm: nonNeg(o.thicknessStd, '--thickness-std'),
    diameterMm: pos(o.diameter, '--diameter', 'a positive diameter in mm'),
    diameterStdMm: o.diameter !== undefined ? nonNeg(o.diameterStd, '--diameter-std') : undefined,
    areaCm2: pos(o.area, '--area', 'a positive area in cm^2'),
    areaStdCm2: o.area !== undefined ? nonNeg(o.areaStd, '--area-std') : undefined,
  };
};

/** Parameter names joined by "+" or ",": "R0+R1". */
export const parseNames = (s: string | undefined): string[] | undefined =>
  s === undefined
    ? undefined
    : s
        .split(/[+,]/)
        .map((x) => x.trim())
        .filter(Boolean);

/**
 * Compute, print the table, write --json and --csv: the output files are opened before the work
 * (an unwritable path fails first) and committed only after it, each whole or not at all.
 */
export const report = <R>(
  compute: () => Promise<R>,
  table: (r: R) => string,
  o: { json?: string; csv?: string },
  toJson: (r: R) => unknown,
  toCsv: (r: R) => CsvTable,
): Promise<void> =>
  analyseAndReport(() => compute(), table, [
    [o.json, (sink, r) => writeJson(sink, toJson(r))],
    [o.csv, (sink, r) => writeCsv(sink, toCsv(r))],
  ]);
