import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { OptionError, UnknownFormatError } from '../../core/errors.js';
import { parseAutolab } from './autolab.js';
import { parseBioLogic } from './biologic.js';
import { parseChInstruments } from './chinstruments.js';
import { type ImaginarySign, parseCsvSpectrum } from './csv.js';
import { parseGamry } from './gamry.js';
import { parseParstat } from './parstat.js';
import type { Spectrum, SpectrumFormat } from './spectrum.js';
import { parseZPlot } from './zplot.js';

export const SPECTRUM_FORMATS: readonly SpectrumFormat[] = [
  'biologic',
  'gamry',
  'zplot',
  'autolab',
  'chinstruments',
  'parstat',
  'csv',
];

export interface ReadSpectrumOptions {
  /** The instrument format; by default from the extension, and for .txt from the first lines. */
  format?: SpectrumFormat;
  /** For csv: whether the third column is Im Z ('im', the default) or -Im Z. */
  imaginary?: ImaginarySign;
  /** For EC-Lab files holding several spectra: the "cycle number" to read. */
  cycle?: number;
}

/**
 * The format of a file from its name and first lines: .mpt EC-Lab, .dta Gamry, .z ZPlot, .csv
 * plain; a .txt by its header (CH Instruments' "A.C. Impedance" / "Freq/Hz", Parstat's
 * "Frequency (Hz)" column, Autolab's "Freq" column line).
 */
export const detectSpectrumFormat = (file: string, text: string): SpectrumFormat => {
  const ext = extname(file).toLowerCase();
  if (ext === '.mpt') return 'biologic';
  if (ext === '.dta') return 'gamry';
  if (ext === '.z') return 'zplot';
  if (ext === '.csv') return 'csv';
  if (ext === '.mpr')
    throw new UnknownFormatError(
      `${file}: EC-Lab binary .mpr files are not read; export the data as text (.mpt) from EC-Lab`,
    );
  const head = text.slice(0, 4000);
  if (head.startsWith('EC-Lab ASCII FILE')) return 'biologic';
  if (head.startsWith('ZPLOT')) return 'zplot';
  if (/^EXPLAIN/m.test(head) && text.includes('ZCURVE')) return 'gamry';
  if (/^Freq\/Hz/m.test(head) || head.includes('A.C. Impedance')) return 'chinstruments';
  if (/^[^\n]*Frequency \(Hz\)\tZre/.test(head)) return 'parstat';
  if (/^"?\s*Freq/m.test(head) && head.includes(',')) return 'autolab';
  throw new UnknownFormatError(
    `${file}: cannot tell the impedance format from the name or the header; name it (${SPECTRUM_FORMATS.join(', ')})`,
  );
};

/** Text of a format: EC-Lab and Gamry write latin-1 (the micro sign), the others UTF-8. */
const decode = (bytes: Buffer, format: SpectrumFormat | undefined) =>
  bytes.toString(format === 'biologic' || format === 'gamry' ? 'latin1' : 'utf8');

/** Parse a spectrum from its text (the file name is for messages and detection only). */
export const parseSpectrum = (text: string, file: string, options: ReadSpectrumOptions = {}): Spectrum => {
  const format = options.format ?? detectSpectrumFormat(file, text);
  if (!SPECTRUM_FORMATS.includes(format))
    throw new OptionError(`unknown impedance format "${format}" (${SPECTRUM_FORMATS.join(', ')})`, {
      option: 'format',
    });
  if (options.cycle !== undefined && format !== 'biologic')
    throw new OptionError(`choosing a cycle is for EC-Lab files; this is read as ${format}`, {
      option: 'cycle',
    });
  if (options.imaginary !== undefined && format !== 'csv')
    throw new OptionError(`the sign of the imaginary column is set by the ${format} format itself`, {
      option: 'imaginary',
    });
  switch (format) {
    case 'biologic':
      return parseBioLogic(text, file, options.cycle);
    case 'gamry':
      return parseGamry(text, file);
    case 'zplot':
      return parseZPlot(text, file);
    case 'autolab':
      return parseAutolab(text, file);
    case 'chinstruments':
      return parseChInstruments(text, file);
    case 'parstat':
      return parseParstat(text, file);
    case 'csv':
      return parseCsvSpectrum(text, file, options.imaginary);
  }
};

/** Read an impedance spectrum from a file (see detectSpectrumFormat for the formats). */
export const readSpectrum = async (file: string, options: ReadSpectrumOptions = {}): Promise<Spectrum> => {
  const bytes = await readFile(file);
  const ext = extname(file).toLowerCase();
  const guess = options.format ?? (ext === '.mpt' ? 'biologic' : ext === '.dta' ? 'gamry' : undefined);
  let text = decode(bytes, guess);
  if (guess === undefined && text.includes('\uFFFD')) text = bytes.toString('latin1');
  return parseSpectrum(text, file, options);
};
