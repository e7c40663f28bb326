import { InsufficientDataError } from '../../core/errors.js';
import { studentTQuantile } from '../../core/statistics.js';
import { csvField, csvNumber, jsonNumbers, tableNumber, writeTo } from '../report-io.js';
import { analyseStressStrain, type StressStrainOptions, type StressStrainResult } from './stress-strain.js';
import {
  readStressStrainRecord,
  type StressComponent,
  type StressStrainRecord,
  type StressStrainRecordOptions,
} from './stress-strain-record.js';

/**
 * Stress-strain analysis of several records (one run each; replicas or directions): each run's
 * result, and for every deformation (component) with two or more runs the mean over them of the
 * modulus, the yield stress and the maximum stress with a Student-t 95 % interval over the runs.
 */
export interface StressStrainRun {
  file: string;
  format: StressStrainRecord['format'];
  mode: StressStrainRecord['mode'];
  component: StressComponent;
  componentFrom: StressStrainRecord['componentFrom'];
  strainFrom: string;
  stressFrom: string;
  result: StressStrainResult;
  warnings: string[];
}

export interface ReplicaMean {
  mean: number;
  low: number;
  high: number;
  runs: number;
}

export interface StressStrainSummary {
  component: StressComponent;
  mode: 'tensile' | 'shear';
  runs: number;
  modulusGPa: ReplicaMean;
  yieldStressGPa?: ReplicaMean;
  maximumStressGPa: ReplicaMean;
}

export interface StressStrainFilesResult {
  runs: StressStrainRun[];
  /**
   * Means over runs of the same component (components with at least two runs); the yield's over
   * the runs that yielded (its `runs` says how many), when two or more did.
   */
  summaries: StressStrainSummary[];
  options: StressStrainOptions & StressStrainRecordOptions;
}

/** Mean of per-run values with a Student-t 95 % interval over the runs (at least two). */
export const replicaMean = (values: number[]): ReplicaMean => {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const h = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { mean, low: mean - h, high: mean + h, runs: n };
};

/** Read and analyse every file; the options apply to all of them. */
export const analyseStressStrainFiles = async (
  files: string[],
  options: StressStrainOptions & StressStrainRecordOptions = {},
): Promise<StressStrainFilesResult> => {
  if (files.length === 0) throw new InsufficientDataError('no stress-strain records given');
  const runs: StressStrainRun[] = [];
  for (const file of files) {
    const rec = await readStressStrainRecord(file, options);
    let result: StressStrainResult;
    try {
      result = analyseStressStrain(rec, options);
    } catch (e) {
      if (e instanceof InsufficientDataError) throw new InsufficientDataError(`${file}: ${e.message}`);
      throw e;
    }
    runs.push({
      file,
      format: rec.format,
      mode: rec.mode,
      component: rec.component,
      componentFrom: rec.componentFrom,
      strainFrom: rec.strainFrom,
      stressFrom: rec.stressFrom,
      result,
      warnings: [...rec.warnings, ...result.warnings.map((w) => `${file}: ${w}`)],
    });
  }
  const summaries: StressStrainSummary[] = [];
  for (const component of new Set(runs.map((r) => r.component))) {
    const group = runs.filter((r) => r.component === component);
    if (group.length < 2) continue;
    const yields = group.map((r) => r.result.yield?.stressGPa).filter((v): v is number => v !== undefined);
    summaries.push({
      component,
      mode: group[0].mode,
      runs: group.length,
      modulusGPa: replicaMean(group.map((r) => r.result.modulusGPa.value)),
      yieldStressGPa: yields.length >= 2 ? replicaMean(yields) : undefined,
      maximumStressGPa: replicaMean(group.map((r) => r.result.maximum.stressGPa)),
    });
  }
  return { runs, summaries, options };
};

const interval = (v: { value: number; low: number; high: number }, digits = 4) =>
  `${tableNumber(v.value, digits)} [${tableNumber(v.low, 3)}, ${tableNumber(v.high, 3)}]`;

/** The table printed by `oligolyte mechanics stress-strain`. */
export const stressStrainTable = (r: StressStrainFilesResult): string => {
  const out: string[] = [];
  for (const run of r.runs) {
    const x = run.result;
    const what = run.mode === 'tensile' ? "Young's modulus E" : 'shear modulus G';
    out.push(
      `${run.file}: ${run.mode} ${run.component} (${run.componentFrom}; ${run.format}: strain ${run.strainFrom}, stress ${run.stressFrom})`,
    );
    out.push(
      `  ${x.points} points, strain ${tableNumber(x.strainRange[0])} to ${tableNumber(x.strainRange[1])}; linear window ${tableNumber(x.linearWindow.fromStrain)} to ${tableNumber(x.linearWindow.toStrain)} (${x.linearWindow.points} points, ${x.linearWindow.automatic ? 'automatic' : 'given'}); smoothing ${tableNumber(x.smoothingStrain)} strain`,
    );
    out.push(
      `  ${what.padEnd(22)} ${interval(x.modulusGPa)} GPa (95 %; stress correlated over ${x.modulusGPa.blockLength} rows, ${x.modulusGPa.degreesOfFreedom} dof)`,
    );
    out.push(
      `  ${`yield (${x.yield ? tableNumber(x.yield.offset * 100, 2) : '0.2'} % offset)`.padEnd(22)} ${x.yield ? `${tableNumber(x.yield.stressGPa)} GPa at strain ${tableNumber(x.yield.strain)}` : 'not reached'}`,
    );
    out.push(
      `  ${'maximum stress'.padEnd(22)} ${tableNumber(x.maximum.stressGPa)} GPa at strain ${tableNumber(x.maximum.strain)}`,
    );
    out.push(`  ${'toughness'.padEnd(22)} ${tableNumber(x.toughnessMJPerM3)} MJ/m^3 (area under the curve)`);
    if (x.poissonRatio)
      out.push(
        `  ${"Poisson's ratio".padEnd(22)} ${interval(x.poissonRatio)} (from the lateral ${x.poissonRatio.from})`,
      );
  }
  for (const s of r.summaries) {
    const m = (v: ReplicaMean) =>
      `${tableNumber(v.mean)} [${tableNumber(v.low, 3)}, ${tableNumber(v.high, 3)}]`;
    out.push(`mean over ${s.runs} ${s.mode} ${s.component} runs (95 % over runs):`);
    out.push(
      `  modulus ${m(s.modulusGPa)} GPa; yield ${s.yieldStressGPa ? `${m(s.yieldStressGPa)} GPa${s.yieldStressGPa.runs < s.runs ? ` (the ${s.yieldStressGPa.runs} of ${s.runs} runs that yielded)` : ''}` : '-'}; maximum ${m(s.maximumStressGPa)} GPa`,
    );
  }
  for (const run of r.runs) for (const w of run.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
};

export const writeStressStrainJson = (target: Parameters<typeof writeTo>[0], r: StressStrainFilesResult) =>
  writeTo(target, async (sink) => {
    await sink.write(
      `${JSON.stringify({ units: { stress: 'GPa', strain: 'dimensionless (engineering; shear: gamma)', toughness: 'MJ/m^3' }, ...r }, jsonNumbers, 1)}\n`,
    );
  });

export const STRESS_STRAIN_CSV_COLUMNS = [
  'file',
  'mode',
  'component',
  'points',
  'window_from',
  'window_to',
  'modulus_GPa',
  'modulus_low_GPa',
  'modulus_high_GPa',
  'modulus_se_GPa',
  'yield_GPa',
  'yield_strain',
  'max_stress_GPa',
  'max_strain',
  'toughness_MJ_m3',
  'poisson',
  'poisson_low',
  'poisson_high',
] as const;

export const writeStressStrainCsv = (target: Parameters<typeof writeTo>[0], r: StressStrainFilesResult) =>
  writeTo(target, async (sink) => {
    await sink.write(`${STRESS_STRAIN_CSV_COLUMNS.join(',')}\n`);
    for (const run of r.runs) {
      const x = run.result;
      const nums = [
        x.points,
        x.linearWindow.fromStrain,
        x.linearWindow.toStrain,
        x.modulusGPa.value,
        x.modulusGPa.low,
        x.modulusGPa.high,
        x.modulusGPa.standardError,
        x.yield?.stressGPa ?? Number.NaN,
        x.yield?.strain ?? Number.NaN,
        x.maximum.stressGPa,
        x.maximum.strain,
        x.toughnessMJPerM3,
        x.poissonRatio?.value ?? Number.NaN,
        x.poissonRatio?.low ?? Number.NaN,
        x.poissonRatio?.high ?? Number.NaN,
      ].map(csvNumber);
      await sink.write(`${[csvField(run.file), run.mode, run.component, ...nums].join(',')}\n`);
    }
  });
