import { ParseError } from '../../core/errors.js';
import { numberField, type Spectrum, type SpectrumRow, splitLines, toSpectrum } from './spectrum.js';

const COLUMNS = { freq: 'freq/Hz', re: 'Re(Z)/Ohm', minusIm: '-Im(Z)/Ohm' } as const;

/**
 * BioLogic EC-Lab `.mpt` text export (latin-1): line 2 "Nb header lines : N", the column names
 * tab-separated on line N, data from line N + 1. The impedance columns are found by name
 * ("freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm"); EC-Lab stores -Im Z, turned here into Im Z.
 */
export const parseBioLogic = (text: string, file: string): Spectrum => {
  const lines = splitLines(text);
  const m = /Nb header lines\s*:\s*(\d+)/.exec(lines[1] ?? '');
  if (!m)
    throw new ParseError({
      file,
      line: 2,
      expected: '"Nb header lines : N" (an EC-Lab ASCII file)',
      found: lines[1] ?? '',
    });
  const n = Number(m[1]);
  if (n < 1 || n > lines.length)
    throw new ParseError({
      file,
      line: 2,
      expected: `a header length within the file's ${lines.length} lines`,
      found: m[1],
    });
  const names = lines[n - 1].split('\t');
  const col = (name: string) => {
    const c = names.indexOf(name);
    if (c < 0)
      throw new ParseError({
        file,
        line: n,
        expected: `a "${name}" column among the column names (EC-Lab exports of an impedance technique have one)`,
        found: names.filter((s) => s.trim() !== '').join(', '),
      });
    return c;
  };
  const cf = col(COLUMNS.freq);
  const cr = col(COLUMNS.re);
  const ci = col(COLUMNS.minusIm);
  const rows: SpectrumRow[] = [];
  for (let i = n; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const f = lines[i].split('\t');
    rows.push({
      frequencyHz: numberField(f[cf], file, i + 1, COLUMNS.freq),
      reOhm: numberField(f[cr], file, i + 1, COLUMNS.re),
      imOhm: -numberField(f[ci], file, i + 1, COLUMNS.minusIm),
      line: i + 1,
    });
  }
  return toSpectrum(rows, file, 'biologic');
};
