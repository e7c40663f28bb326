import { ParseError } from '../../core/errors.js';
import { numberField, type Spectrum, type SpectrumRow, splitLines, toSpectrum } from './spectrum.js';

/**
 * CH Instruments (CHI6xx) A.C. impedance text export: after the column line "Freq/Hz, Z'/ohm,
 * Z"/ohm, ..." and one blank line, comma-separated points: frequency (Hz), Z', Z'' (ohm).
 */
export const parseChInstruments = (text: string, file: string): Spectrum => {
  const lines = splitLines(text);
  let head = -1;
  lines.forEach((l, i) => {
    if (l.startsWith('Freq/Hz')) head = i;
  });
  if (head < 0)
    throw new ParseError({ file, expected: 'a column line starting "Freq/Hz" (a CH Instruments export)' });
  const rows: SpectrumRow[] = [];
  for (let i = head + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const f = lines[i].split(',');
    rows.push({
      frequencyHz: numberField(f[0], file, i + 1, 'Freq/Hz, column 1'),
      reOhm: numberField(f[1], file, i + 1, "Z'/ohm, column 2"),
      imOhm: numberField(f[2], file, i + 1, 'Z"/ohm, column 3'),
      line: i + 1,
    });
  }
  return toSpectrum(rows, file, 'chinstruments');
};
