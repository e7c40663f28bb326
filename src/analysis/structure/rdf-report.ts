import type { TextSink } from '../../io/text-sink.js';
import { csvField, tableNumber as g, jsonNumbers, csvNumber as num, writeTo } from '../report-io.js';
import { type RdfCurve, type RdfOptions, type RdfResult, valueAt } from './rdf.js';
import { ThreadedRdfAccumulator } from './rdf-threads.js';
import { type StructureFilesOptions, streamRun } from './run-files.js';

/**
 * g(r) of several trajectory files, one run each, as `oligolyte structure rdf` computes it, and
 * its reports: the printed table, the JSON of every number and the CSV of the curves.
 */
export interface RdfFileRun {
  file: string;
  /** Its format's name (detected or given). */
  format: string;
  result: RdfResult;
}

export interface RdfFilesResult {
  runs: RdfFileRun[];
}

export interface RdfFilesOptions extends RdfOptions, StructureFilesOptions {
  /**
   * Worker threads counting pairs (default 1: this thread only). Runs of fewer than
   * THREADS_MIN_ATOMS atoms are counted in this thread whatever this says.
   */
  threads?: number;
}

export const analyseRdfFiles = async (
  files: string[],
  options: RdfFilesOptions = {},
): Promise<RdfFilesResult> => {
  const { read, onFileProgress, threads = 1, ...rdfOptions } = options;
  const runs: RdfFileRun[] = [];
  for (const file of files) {
    let sink: ThreadedRdfAccumulator | undefined;
    try {
      const run = await streamRun(
        file,
        { read, onFileProgress },
        (t) => (sink = new ThreadedRdfAccumulator(t, rdfOptions, threads)),
      );
      runs.push({ file, format: run.format, result: await run.sink.result() });
    } finally {
      await sink?.close();
    }
  }
  return { runs };
};

const pad = (s: string, w: number) => s.padStart(w);

/**
 * The printed table: per run, per pair the first peak (position, height), the first minimum and
 * the coordination numbers there (b around a, and a around b).
 */
export const rdfTable = ({ runs }: RdfFilesResult): string => {
  const lines: string[] = [];
  for (const { file, format, result: r } of runs) {
    lines.push(`${file}  (${format})`);
    lines.push(
      `  ${r.frames} frames, ${r.atoms} atoms, mean volume ${g(r.meanVolumeA3, 6)} A^3; r <= ${g(r.rMaxA)} A in ${r.bins} bins of ${g(r.binWidthA)} A; bonded pairs excluded: ${r.exclusion}`,
    );
    lines.push(
      `  ${'pair'.padEnd(10)}${pad('N_a', 7)}${pad('N_b', 7)}${pad('peak r A', 10)}${pad('g(peak)', 9)}${pad('min r A', 9)}${pad('g(min)', 8)}${pad('n_ab(min)', 11)}${pad('n_ba(min)', 11)}`,
    );
    const row = (c: RdfCurve) => {
      const nba =
        c.firstMinimum && hasReverse(c) ? valueAt(r.edgesA, c.coordinationBA, c.firstMinimum.rA) : undefined;
      lines.push(
        `  ${c.name.padEnd(10)}${pad(String(c.countA), 7)}${pad(String(c.countB), 7)}${pad(g(c.firstPeak?.rA, 3), 10)}${pad(g(c.firstPeak?.g, 3), 9)}${pad(g(c.firstMinimum?.rA, 3), 9)}${pad(g(c.firstMinimum?.g, 2), 8)}${pad(g(c.coordinationAtFirstMinimum, 3), 11)}${pad(g(nba, 3), 11)}`,
      );
    };
    for (const c of r.partials) row(c);
    if (r.total) row(r.total);
    lines.push('');
  }
  lines.push(
    'n_ab(min): mean number of b atoms within the first minimum of an a atom (n_ba: a around b); "-": no clear peak or minimum within rmax',
  );
  lines.push('');
  return lines.join('\n');
};

/** Whether a curve has a distinct reverse coordination (a around b). */
const hasReverse = (c: RdfCurve) => c.name !== 'total' && (c.a !== c.b || c.a === 'selection');

/** Every number of the analysis with its units, as written by --json. */
export const rdfReport = ({ runs }: RdfFilesResult) => ({
  units: {
    r: 'A (bin centres rA; edgesA the bin edges)',
    g: 'dimensionless',
    coordination: 'atoms, at the upper edge of each bin',
    volume: 'A^3',
    normalisation:
      'MDAnalysis InterRDF (norm="rdf"): counts / (frames x shell volume x pairsNormalised / meanVolumeA3); pairsNormalised = N_a N_b less self pairs and excluded bonded pairs',
  },
  runs: runs.map(({ file, format, result }) => ({ file, format, ...result })),
});

/** The JSON report (typed arrays as arrays, non-finite numbers as null), atomically. */
export const writeRdfJson = (target: string | TextSink, result: RdfFilesResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${JSON.stringify(rdfReport(result), jsonNumbers, 1)}\n`);
  });

/**
 * The curves as CSV, one row per run and bin: r, then for every pair g, the running coordination
 * n (b around a, at the bin's upper edge, r_upper_A) and, for a != b, n_<pair>_reverse (a around
 * b); the total last. Empty cells for undefined values.
 */
export const writeRdfCsv = (target: string | TextSink, { runs }: RdfFilesResult): Promise<void> =>
  writeTo(target, async (sink) => {
    const curves = (r: RdfResult) => [...r.partials, ...(r.total ? [r.total] : [])];
    const first = runs[0]?.result;
    if (!first) return;
    const head = ['run', 'r_A', 'r_upper_A'];
    for (const c of curves(first)) {
      head.push(`g_${c.name}`, `n_${c.name}`);
      if (hasReverse(c)) head.push(`n_${c.name}_reverse`);
    }
    sink.write(`${head.map(csvField).join(',')}\n`);
    for (const { file, result: r } of runs) {
      const name = csvField(file);
      const cs = curves(r);
      for (let k = 0; k < r.bins; k++) {
        const row = [name, num(r.rA[k]), num(r.edgesA[k + 1])];
        for (const c of cs) {
          row.push(num(c.g[k]), num(c.coordination[k]));
          if (hasReverse(c)) row.push(num(c.coordinationBA[k]));
        }
        sink.write(`${row.join(',')}\n`);
        if (k % 4096 === 0) await sink.flush();
      }
    }
  });
