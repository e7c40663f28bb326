import type { TextSink } from '../../io/text-sink.js';
import { csvField, tableNumber as g, jsonNumbers, writeTo } from '../report-io.js';
import { AngleAccumulator, type AngleOptions, type AnglesResult } from './angles.js';
import { type StructureFilesOptions, streamRun } from './run-files.js';

/**
 * Bond-angle distributions of several trajectory files, one run each, as `oligolyte structure
 * angles` computes them, and their reports (table, JSON, CSV).
 */
export interface AnglesFileRun {
  file: string;
  format: string;
  result: AnglesResult;
}

export interface AnglesFilesResult {
  runs: AnglesFileRun[];
}

export const analyseAngleFiles = async (
  files: string[],
  options: AngleOptions & StructureFilesOptions = {},
): Promise<AnglesFilesResult> => {
  const { read, onFileProgress, ...angleOptions } = options;
  const runs: AnglesFileRun[] = [];
  for (const file of files) {
    const { format, sink } = await streamRun(
      file,
      { read, onFileProgress },
      (t) => new AngleAccumulator(t, angleOptions),
    );
    runs.push({ file, format, result: sink.result() });
  }
  return { runs };
};

/** The printed table: per run and triple the number of angles, mean, sd and mode (degrees). */
export const anglesTable = ({ runs }: AnglesFilesResult): string => {
  const lines: string[] = [];
  for (const { file, format, result: r } of runs) {
    lines.push(`${file}  (${format})`);
    lines.push(
      `  ${r.frames} frames; neighbours ${r.neighbours === 'bonds' ? 'from the bonds of the topology' : 'within cut-offs'}; ${r.bins} bins of ${g(r.binWidthDeg)} deg`,
    );
    lines.push(
      `  ${'triple'.padEnd(12)}${'cut-offs A'.padStart(12)}${'angles'.padStart(10)}${'per vertex'.padStart(12)}${'mean deg'.padStart(10)}${'sd deg'.padStart(9)}${'mode deg'.padStart(10)}`,
    );
    for (const d of r.distributions) {
      const cut = d.cutoffsA ? `${g(d.cutoffsA.vertexA, 3)}/${g(d.cutoffsA.vertexC, 3)}` : 'bonds';
      lines.push(
        `  ${d.name.padEnd(12)}${cut.padStart(12)}${String(d.count).padStart(10)}${g(d.anglesPerVertex, 3).padStart(12)}${g(d.meanDeg).padStart(10)}${g(d.sdDeg, 3).padStart(9)}${g(d.modeDeg).padStart(10)}`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
};

/** Every number with its units, as written by --json. */
export const anglesReport = ({ runs }: AnglesFilesResult) => ({
  units: {
    angle: 'degrees (anglesDeg: bin centres)',
    densityPerDeg: 'probability density per degree (sum x binWidthDeg = 1)',
    cutoffsA: 'A (vertex-a, vertex-c)',
  },
  runs: runs.map(({ file, format, result }) => ({ file, format, ...result })),
});

export const writeAnglesJson = (target: string | TextSink, result: AnglesFilesResult): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${JSON.stringify(anglesReport(result), jsonNumbers, 1)}\n`);
  });

/** The distributions as CSV: run, angle (bin centre, deg), then the density per degree of each triple. */
export const writeAnglesCsv = (target: string | TextSink, { runs }: AnglesFilesResult): Promise<void> =>
  writeTo(target, async (sink) => {
    const first = runs[0]?.result;
    if (!first) return;
    sink.write(
      `${['run', 'angle_deg', ...first.distributions.map((d) => `p_${d.name}_per_deg`)].join(',')}\n`,
    );
    for (const { file, result: r } of runs) {
      const name = csvField(file);
      for (let k = 0; k < r.bins; k++)
        sink.write(
          `${[name, String(r.anglesDeg[k]), ...r.distributions.map((d) => (Number.isFinite(d.densityPerDeg[k]) ? String(d.densityPerDeg[k]) : ''))].join(',')}\n`,
        );
      await sink.flush();
    }
  });
