import { ParseError } from '../../core/errors.js';
import { numberField, type Spectrum, type SpectrumRow, splitLines, toSpectrum } from './spectrum.js';

const COLUMNS = { freq: 'freq/Hz', re: 'Re(Z)/Ohm', minusIm: '-Im(Z)/Ohm' } as const;
const CYCLE = 'cycle number';

/**
 * BioLogic EC-Lab `.mpt` text export (latin-1): line 2 "Nb header lines : N", the column names
 * tab-separated on line N, data from line N + 1. The impedance columns are found by name
 * ("freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm"); EC-Lab stores -Im Z, turned here into Im Z.
 */
export const parseBioLogic = (text: string, file: string, cycle?: number): Spectrum => {
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
  // EC-Lab writes repeated spectra (a PEIS loop, a temperature series) into one file with a
  // "cycle number" column: one of them is read, by `cycle`; without it a second cycle is an error.
  const cc = names.indexOf(CYCLE);
  const cycles = new Set<number>();
  const rows: SpectrumRow[] = [];
  for (let i = n; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const f = lines[i].split('\t');
    if (cc >= 0) {
      const c = numberField(f[cc], file, i + 1, CYCLE);
      cycles.add(c);
      if (cycle === undefined && cycles.size > 1)
        throw new ParseError({
          file,
          line: i + 1,
          expected: `one spectrum: the file holds more than one cycle (${[...cycles].join(', ')}, ...); choose one with \`cycle\``,
          found: `cycle ${c}`,
          option: 'cycle',
        });
      if (cycle !== undefined && c !== cycle) continue;
    }
    rows.push({
      frequencyHz: numberField(f[cf], file, i + 1, COLUMNS.freq),
      reOhm: numberField(f[cr], file, i + 1, COLUMNS.re),
      imOhm: -numberField(f[ci], file, i + 1, COLUMNS.minusIm),
      line: i + 1,
    });
  }
  if (cycle !== undefined && !cycles.has(cycle))
    throw new ParseError({
      file,
      line: n,
      expected:
        cc < 0
          ? `a "${CYCLE}" column to choose cycle ${cycle} from`
          : `cycle ${cycle} among the file's cycles (${[...cycles].join(', ')})`,
      option: 'cycle',
    });
  return toSpectrum(rows, file, 'biologic');
};
