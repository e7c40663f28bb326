import { ParseError } from '../../core/errors.js';
import { numberField, type Spectrum, type SpectrumRow, splitLines, toSpectrum } from './spectrum.js';

/**
 * Scribner ZPlot `.z`: a header that ends at the line "End Comments" (or, in files without the
 * header, a column line holding "Freq(Hz)"), then one point per line, fields split by a tab or
 * ", ": frequency (Hz) first, Z' (ohm) fifth and Z'' (ohm) sixth, Z'' with the sign of Im Z.
 */
export const parseZPlot = (text: string, file: string): Spectrum => {
  const lines = splitLines(text);
  let start = -1;
  let head = -1;
  lines.forEach((l, i) => {
    if (l.includes('End Comments')) start = i;
    if (l.includes('Freq(Hz)')) head = i;
  });
  const first = start >= 0 ? start + 1 : head >= 0 ? head + 1 : -1;
  if (first < 0)
    throw new ParseError({
      file,
      line: 1,
      expected: 'a ZPlot header ending in "End Comments" or a "Freq(Hz)" column line',
    });
  const rows: SpectrumRow[] = [];
  for (let i = first; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const f = lines[i].split(/\t|, /);
    rows.push({
      frequencyHz: numberField(f[0], file, i + 1, 'frequency (Hz), column 1'),
      reOhm: numberField(f[4], file, i + 1, "Z' (ohm), column 5"),
      imOhm: numberField(f[5], file, i + 1, "Z'' (ohm), column 6"),
      line: i + 1,
    });
  }
  return toSpectrum(rows, file, 'zplot');
};
