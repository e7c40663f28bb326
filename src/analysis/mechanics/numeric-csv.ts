import { readFileSync } from 'node:fs';
import { ParseError } from '../../core/errors.js';

/**
 * A CSV of numbers with a header of column names (comma, semicolon, tab or whitespace separated,
 * as spreadsheets and scripts write them; lines starting with # are comments). Every cell must be
 * a number: a cell that is not is a ParseError naming the line and column.
 */
export interface NumericTable {
  file: string;
  columns: string[];
  data: Record<string, Float64Array>;
  rows: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const readNumericCsv = (file: string): NumericTable => {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  let k = 0;
  while (k < lines.length && (lines[k].trim() === '' || lines[k].trimStart().startsWith('#'))) k++;
  if (k === lines.length)
    throw new ParseError({ file, line: 1, expected: 'a header line of column names', found: 'nothing' });
  const header = lines[k];
  const sep = header.includes(',') ? ',' : header.includes(';') ? ';' : header.includes('\t') ? '\t' : /\s+/;
  const split = (s: string) =>
    s
      .trim()
      .split(sep)
      .map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const columns = split(header);
  if (columns.some((c) => c === '') || columns.every((c) => NUMBER.test(c)))
    throw new ParseError({ file, line: k + 1, expected: 'a header line of column names', found: header });
  const values: number[][] = columns.map(() => []);
  for (let i = k + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const cells = split(line);
    if (cells.length !== columns.length)
      throw new ParseError({
        file,
        line: i + 1,
        expected: `${columns.length} values (${columns.join(', ')})`,
        found: `${cells.length}: ${line}`,
      });
    cells.forEach((c, j) => {
      if (!NUMBER.test(c))
        throw new ParseError({
          file,
          line: i + 1,
          column: j + 1,
          expected: `a number for ${columns[j]}`,
          found: c,
        });
      values[j].push(Number(c));
    });
  }
  const rows = values[0].length;
  return {
    file,
    columns,
    data: Object.fromEntries(columns.map((c, j) => [c, Float64Array.from(values[j])])),
    rows,
  };
};
