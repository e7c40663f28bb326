import { ParseError } from '../../core/errors.js';
import { numberField, type Spectrum, type SpectrumRow, splitLines, toSpectrum } from './spectrum.js';

/**
 * Metrohm Autolab export (comma-separated): points follow the last line naming "Freq"; frequency
 * (Hz) in column 1, Z' and Z'' (ohm) in columns 5 and 6, Z'' with the sign of Im Z.
 */
export const parseAutolab = (text: string, file: string): Spectrum => {
  const lines = splitLines(text);
  let head = -1;
  lines.forEach((l, i) => {
    if (l.includes('Freq')) head = i;
  });
  if (head < 0) throw new ParseError({ file, expected: 'a column line naming "Freq" (an Autolab export)' });
  const rows: SpectrumRow[] = [];
  for (let i = head + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const f = lines[i].split(',');
    rows.push({
      frequencyHz: numberField(f[0], file, i + 1, 'frequency (Hz), column 1'),
      reOhm: numberField(f[4], file, i + 1, "Z' (ohm), column 5"),
      imOhm: numberField(f[5], file, i + 1, "Z'' (ohm), column 6"),
      line: i + 1,
    });
  }
  return toSpectrum(rows, file, 'autolab');
};
