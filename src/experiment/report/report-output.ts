import { csvField, csvNumber, jsonNumbers, writeTo } from '../../analysis/report-io.js';
import type { TextSink } from '../../io/text-sink.js';

/** A CSV as a header and rows of strings (already quoted where needed) or numbers. */
export interface CsvTable {
  head: string[];
  rows: (string | number | null)[][];
}

/** Write a value as JSON (typed arrays as arrays, non-finite numbers as null), atomically. */
export const writeJson = (target: string | TextSink, value: unknown): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${JSON.stringify(value, jsonNumbers, 1)}\n`);
  });

/** Write a CsvTable: numbers with every digit, empty cells for null or non-finite values. */
export const writeCsv = (target: string | TextSink, t: CsvTable): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${t.head.map(csvField).join(',')}\n`);
    for (const r of t.rows)
      sink.write(
        `${r.map((v) => (v === null ? '' : typeof v === 'number' ? csvNumber(v) : csvField(v))).join(',')}\n`,
      );
  });

/** Left-pad for table columns. */
export const pad = (s: string, n: number): string => s.padStart(n);
