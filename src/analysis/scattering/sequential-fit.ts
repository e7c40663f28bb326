import { readPdfData } from '../../io/gr.js';
import type { TextSink } from '../../io/text-sink.js';
import { csvField, csvNumber, jsonNumbers, tableNumber } from '../report-io.js';
import { type PdfFitResult, type PdfFitSpec, refinePdf } from './pdf-fit.js';

// Sequential refinement over a series of data files (a temperature series, as PDFgui's
// "sequential fit"): the first data set's file is replaced by each file in turn, and each fit
// starts from the previous one's refined parameters. The parameter table has one row per file.

export interface SequentialRow {
  file: string;
  /** Temperature from the file's header (K), when it has one. */
  temperatureK?: number;
  rw: number;
  reducedChi2: number;
  converged: boolean;
  parameters: { id: number; value: number; sigma: number }[];
}

export interface SequentialFit {
  rows: SequentialRow[];
  /** The last file's full result (curves). */
  last: PdfFitResult;
}

export const sequentialFit = (
  spec: PdfFitSpec,
  files: readonly string[],
  onFile?: (done: number, total: number) => void,
): SequentialFit => {
  let params = spec.parameters;
  const rows: SequentialRow[] = [];
  let last: PdfFitResult | undefined;
  files.forEach((file, k) => {
    const data = readPdfData(file);
    const ds = spec.datasets.map((d, i) => (i === 0 ? { ...d, data, name: file } : d));
    const res = refinePdf({ ...spec, datasets: ds, parameters: params });
    params = res.parameters.map((p) => ({ id: p.id, value: p.value, fixed: p.fixed }));
    rows.push({
      file,
      temperatureK: data.meta.temperatureK,
      rw: res.rw,
      reducedChi2: res.reducedChi2,
      converged: res.converged,
      parameters: res.parameters.map(({ id, value, sigma }) => ({ id, value, sigma })),
    });
    last = res;
    onFile?.(k + 1, files.length);
  });
  return { rows, last: last! };
};

export const sequentialTable = (s: SequentialFit): string => {
  const ids = s.rows[0]?.parameters.map((p) => p.id) ?? [];
  // The file column as wide as the longest path: cut, paths of a series would run together.
  const width = Math.max(28, ...s.rows.map((r) => r.file.length)) + 2;
  const line = (x: string) => `${x.trimEnd()}\n`;
  let out = `sequential PDF refinement over ${s.rows.length} files\n`;
  out += line(
    `${'file'.padEnd(width)}T (K)      Rw         red.chi2  ${ids.map((id) => `@${id}`.padEnd(22)).join('')}`,
  );
  for (const r of s.rows)
    out += line(
      `${r.file.padEnd(width)}${tableNumber(r.temperatureK ?? null).padEnd(11)}${tableNumber(r.rw, 5).padEnd(11)}${tableNumber(r.reducedChi2, 5).padEnd(10)}${r.parameters.map((p) => `${tableNumber(p.value, 6)} (${tableNumber(p.sigma, 2)})`.padEnd(22)).join('')}${r.converged ? '' : '  NOT converged'}`,
    );
  return out;
};

export const writeSequentialCsv = async (sink: TextSink, s: SequentialFit): Promise<void> => {
  const ids = s.rows[0]?.parameters.map((p) => p.id) ?? [];
  sink.write(
    `file,temperature_K,rw,reduced_chi2,converged${ids.map((id) => `,p${id},p${id}_sigma`).join('')}\n`,
  );
  for (const r of s.rows)
    sink.write(
      `${csvField(r.file)},${r.temperatureK === undefined ? '' : csvNumber(r.temperatureK)},${csvNumber(r.rw)},${csvNumber(r.reducedChi2)},${r.converged}${r.parameters.map((p) => `,${csvNumber(p.value)},${csvNumber(p.sigma)}`).join('')}\n`,
    );
};

export const writeSequentialJson = async (sink: TextSink, s: SequentialFit): Promise<void> => {
  sink.write(`${JSON.stringify({ rows: s.rows }, jsonNumbers, 1)}\n`);
};
