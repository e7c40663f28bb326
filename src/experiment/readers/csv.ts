import { numberField, type Spectrum, type SpectrumRow, splitLines, toSpectrum } from './spectrum.js';

/** What the third column of a plain CSV holds: Im Z (impedance.py's convention) or -Im Z (EC-Lab's). */
export type ImaginarySign = 'im' | 'minus-im';

/**
 * A plain CSV: frequency (Hz), Re Z (ohm), Im Z (ohm) per line, commas between (impedance.py's
 * readCSV). A first line that is not numbers is a header and is skipped; `imaginary` says whether
 * the third column is Im Z (default) or -Im Z. Extra columns are ignored. A spreadsheet's export
 * with semicolons between the fields and decimal commas ("1000;12,5;-3,4"), and tab-separated
 * text, are read too (the separator from the first data line).
 */
export const parseCsvSpectrum = (text: string, file: string, imaginary: ImaginarySign = 'im'): Spectrum => {
  const lines = splitLines(text);
  const rows: SpectrumRow[] = [];
  const sign = imaginary === 'minus-im' ? -1 : 1;
  const first =
    lines.find((s, i) => i > 0 && s.trim() !== '' && !s.trimStart().startsWith('#')) ?? lines[0] ?? '';
  const sep = first.includes(';') ? ';' : first.includes('\t') ? '\t' : ',';
  const split = (l: string) => (sep === ';' ? l.split(';').map((x) => x.replace(',', '.')) : l.split(sep));
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    const f = split(l);
    if (
      rows.length === 0 &&
      i === lines.findIndex((s) => s.trim() !== '' && !s.trimStart().startsWith('#')) &&
      !/^\s*[+-.\d]/.test(f[0])
    )
      continue; // a header line
    rows.push({
      frequencyHz: numberField(f[0], file, i + 1, 'frequency (Hz), column 1'),
      reOhm: numberField(f[1], file, i + 1, 'Re Z (ohm), column 2'),
      imOhm: sign * numberField(f[2], file, i + 1, `${sign < 0 ? '-Im Z' : 'Im Z'} (ohm), column 3`),
      line: i + 1,
    });
  }
  return toSpectrum(rows, file, 'csv');
};
