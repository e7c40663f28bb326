import { readFile } from 'node:fs/promises';
import { ParseError } from '../../core/errors.js';
import { numberField, splitLines } from './spectrum.js';

/**
 * A table of numbers with named columns: a CSV (comma or semicolon) or a tab-separated file with
 * one header line (lines starting with # before it are comments), or an EC-Lab .mpt text export
 * (its header length read from line 2). Every row must have a number in every column asked for.
 */
export interface NamedTable {
  file: string;
  columns: string[];
  /** Index of the header line (0-based) and the data's 1-based line numbers. */
  lines: number[];
  rows: string[][];
}

const splitter = (header: string): RegExp | string =>
  header.includes('\t') ? '\t' : header.includes(';') && !header.includes(',') ? ';' : ',';

export const parseNamedTable = (text: string, file: string): NamedTable => {
  const all = splitLines(text);
  let head = 0;
  const nb = /Nb header lines\s*:\s*(\d+)/.exec(all[1] ?? '');
  if (all[0]?.startsWith('EC-Lab ASCII FILE') && nb) head = Number(nb[1]) - 1;
  else while (head < all.length && (all[head].trim() === '' || all[head].trimStart().startsWith('#'))) head++;
  if (head >= all.length) throw new ParseError({ file, expected: 'a header line naming the columns' });
  const sep = splitter(all[head]);
  const unquote = (s: string) =>
    s
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim();
  const columns = all[head].split(sep).map(unquote);
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let i = head + 1; i < all.length; i++) {
    if (all[i].trim() === '' || all[i].trimStart().startsWith('#')) continue;
    rows.push(all[i].split(sep).map(unquote));
    lines.push(i + 1);
  }
  if (rows.length === 0)
    throw new ParseError({ file, line: head + 1, expected: 'data rows after the header' });
  return { file, columns, lines, rows };
};

export const readNamedTable = async (file: string): Promise<NamedTable> => {
  const bytes = await readFile(file);
  let text = bytes.toString('utf8');
  if (text.includes('\uFFFD')) text = bytes.toString('latin1');
  return parseNamedTable(text, file);
};

/**
 * The index of a column: the name given (exact, then case-insensitive), or else the first column
 * whose name matches one of the default patterns; a ParseError listing the columns when none does.
 */
export const findColumn = (
  t: NamedTable,
  what: string,
  name: string | undefined,
  defaults: RegExp[],
  option?: string,
): number => {
  if (name !== undefined) {
    let k = t.columns.indexOf(name);
    if (k < 0) k = t.columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
    if (k >= 0) return k;
  } else
    for (const re of defaults) {
      const k = t.columns.findIndex((c) => re.test(c));
      if (k >= 0) return k;
    }
  throw new ParseError({
    file: t.file,
    line: (t.lines[0] ?? 2) - 1,
    expected: `a ${what} column${name !== undefined ? ` named "${name}"` : ''} (columns: ${t.columns.join(', ')})`,
    option,
  });
};

/** The numbers of one column, a ParseError at the first row whose field is not a number. */
export const numericColumn = (t: NamedTable, k: number): Float64Array =>
  Float64Array.from(t.rows, (r, i) =>
    numberField(r[k], t.file, t.lines[i], `${t.columns[k]}, column ${k + 1}`),
  );
