import { ParseError } from '../../core/errors.js';
import { numberField, type Spectrum, type SpectrumRow, splitLines, toSpectrum } from './spectrum.js';

/**
 * Gamry Framework `.DTA`: the table after the line "ZCURVE TABLE" (two lines of column names and
 * units, then points: Pt, Time, Freq (Hz), Zreal, Zimag (ohm), ...; decimal commas are accepted).
 * An aborted run ("EXPERIMENTABORTED") keeps the points written before the abort: the table ends
 * there, or at the next "... TABLE" or key line, whichever comes first.
 */
export const parseGamry = (text: string, file: string): Spectrum => {
  const lines = splitLines(text);
  let start = -1;
  for (let i = 0; i < lines.length; i++) if (/^ZCURVE\b/.test(lines[i])) start = i;
  if (start < 0) throw new ParseError({ file, expected: 'a "ZCURVE TABLE" (a Gamry EIS file)' });
  const rows: SpectrumRow[] = [];
  for (let i = start + 3; i < lines.length; i++) {
    const l = lines[i];
    // Table rows start with a tab; a line starting with a word is the next block of the file.
    if (!/^\s/.test(l)) break;
    if (l.trim() === '') continue;
    const f = l.replace(/,/g, '.').trim().split(/\s+/);
    rows.push({
      frequencyHz: numberField(f[2], file, i + 1, 'Freq (Hz), column 3'),
      reOhm: numberField(f[3], file, i + 1, 'Zreal (ohm), column 4'),
      imOhm: numberField(f[4], file, i + 1, 'Zimag (ohm), column 5'),
      line: i + 1,
    });
  }
  return toSpectrum(rows, file, 'gamry');
};
