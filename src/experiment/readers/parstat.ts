import { numberField, type Spectrum, type SpectrumRow, splitLines, toSpectrum } from './spectrum.js';

/**
 * Ametek Parstat (VersaStudio) text export, tab-separated with one column-name line: Frequency (Hz)
 * in column 4, Zre and Zim (ohm) in columns 5 and 6. Rows at 0 Hz (the DC steps around the
 * sweep) are not impedance points and are left out.
 */
export const parseParstat = (text: string, file: string): Spectrum => {
  const lines = splitLines(text);
  const rows: SpectrumRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const f = lines[i].trim().split(/\s+/);
    const frequencyHz = numberField(f[3], file, i + 1, 'Frequency (Hz), column 4');
    if (frequencyHz === 0) continue;
    rows.push({
      frequencyHz,
      reOhm: numberField(f[4], file, i + 1, 'Zre (ohm), column 5'),
      imOhm: numberField(f[5], file, i + 1, 'Zim (ohm), column 6'),
      line: i + 1,
    });
  }
  return toSpectrum(rows, file, 'parstat');
};
