import { OptionError } from '../../core/errors.js';
import { formatSignificant } from '../../core/format-number.js';
import type { Topology } from '../../core/topology.js';
import { readDcdAhead } from '../../io/read-ahead.js';
import { detectFormat, type OpenOptions, readFrames } from '../../io/registry.js';
import { jsonNumbers, writeTo } from '../report-io.js';
import {
  analyseTransport,
  frameworkOnReadingThread,
  type TransportOptions,
  type TransportResult,
  type TransportRun,
} from './analyse-run.js';
import { type ArrheniusSummary, arrheniusSummary } from './arrhenius-summary.js';
import type { Estimate } from './diffusivity.js';
import { vtfComparisonLines } from './vtf.js';

/**
 * Transport of several trajectory files, one run (temperature) each, as `oligolyte transport`
 * does it, and the reports of it: the printed table, the JSON of every number and the MSD CSV.
 */
export interface TransportFileRun {
  /** The file as the caller named it. */
  file: string;
  /** Its format's name (detected or given). */
  format: string;
  run: TransportRun;
}

export interface TransportFilesOptions extends Omit<TransportOptions, 'temperatureK'> {
  /** One temperature for every run, or one per run (K); default: from each file. */
  temperaturesK?: number[];
  /** Arrhenius extrapolation temperature with two or more runs (K, default 300). */
  extrapolateK?: number;
  /** How the files are read (format, LAMMPS types, topology, ...). */
  read?: OpenOptions;
  /** A read's progress, per file (bytes read, total bytes). */
  onFileProgress?: (file: string, done: number, total: number) => void;
}

export interface TransportFilesResult {
  runs: TransportFileRun[];
  /** With two or more runs: the Arrhenius fit and its extrapolation. */
  arrhenius?: ArrheniusSummary;
}

export const analyseTransportFiles = async (
  files: string[],
  options: TransportFilesOptions,
): Promise<TransportFilesResult> => {
  const { temperaturesK = [], extrapolateK, read = {}, onFileProgress, ...common } = options;
  if (temperaturesK.length > 1 && temperaturesK.length !== files.length)
    throw new OptionError(`temperaturesK: ${temperaturesK.length} values for ${files.length} runs`);
  if (files.length < 2 && extrapolateK !== undefined)
    throw new OptionError('extrapolateK needs runs at two or more temperatures');
  const runs: TransportFileRun[] = [];
  for (const [k, file] of files.entries()) {
    const format = (await detectFormat(file, read.format)).name;
    const onProgress = onFileProgress && ((done: number, total: number) => onFileProgress(file, done, total));
    // The analysis copies what it keeps of a frame: the reader may reuse its positions array. With
    // more than one thread a DCD is read on a worker thread while this one unwraps (read-ahead.ts).
    // A DCD says how many frames it holds before the first: the analysis plans its stores by it.
    let frameCount: number | undefined;
    const how = {
      ...read,
      onProgress,
      reusePositions: true,
      onFrameCount: (n: number) => {
        frameCount = n;
        read.onFrameCount?.(n);
      },
    };
    // The framework's drift (every atom of every frame) is then recorded on the reading thread.
    const aheadOk = format === 'dcd' && read.topology !== undefined && (common.threads ?? 1) > 1;
    const there = aheadOk ? frameworkThere(read.topology!, common) : undefined;
    const frames = !aheadOk
      ? readFrames(file, how)
      : readDcdAhead(file, there ? { ...how, frameJob: there.frameJob } : how);
    const run = await analyseTransport(frames, {
      ...common,
      frameworkElsewhere: there?.frameworkElsewhere,
      frameCount: () => frameCount,
      temperatureK:
        temperaturesK.length === 0 ? undefined : temperaturesK[temperaturesK.length === 1 ? 0 : k],
    });
    runs.push({ file, format, run });
  }
  const arrhenius =
    runs.length >= 2
      ? arrheniusSummary(
          runs.map((d) => d.run.result),
          extrapolateK ?? 300,
        )
      : undefined;
  return { runs, arrhenius };
};

/**
 * frameworkOnReadingThread, or nothing when the options do not fit the run (no such species, ...):
 * the analysis then reports that itself, after any error in the file's header, as with one thread.
 */
const frameworkThere = (topology: Topology, options: TransportOptions) => {
  try {
    return frameworkOnReadingThread(topology, options);
  } catch (e) {
    if (e instanceof OptionError) return undefined;
    throw e;
  }
};

const g = (v: number, digits = 4) => formatSignificant(v, digits, 1e-3, 1e6);
const est = (e: Estimate, digits = 4) =>
  `${g(e.value, digits)} +- ${g(e.std, 2)}  [${g(e.low95, 3)}, ${g(e.high95, 3)}]`;

/**
 * Where the time between frames came from, in words: "file times", or the time step and the steps
 * between frames with the source of each ("time step 2 fs (option) x 10 steps (file step numbers)").
 */
const intervalSource = (r: TransportResult): string => {
  if (r.frameIntervalFrom === 'file times' || r.frameStep === undefined) return r.frameIntervalFrom;
  const step = r.frameIntervalFs / r.frameStep;
  const steps = { option: 'option', 'file steps': 'file step numbers', assumed: 'assumed' }[r.frameStepFrom!];
  return `time step ${g(step)} fs (${r.frameIntervalFrom === 'option' ? 'option' : 'file'}) x ${r.frameStep} step${r.frameStep === 1 ? '' : 's'} (${steps})`;
};

/** The printed table: per run D, sigma and Haven ratio with 95 % intervals; the Arrhenius fit. */
export const transportTable = ({ runs, arrhenius: a }: TransportFilesResult): string => {
  const lines: string[] = [];
  for (const { file, format, run } of runs) {
    const r = run.result;
    const d = r.diffusivity;
    lines.push(`${file}  (${format})`);
    lines.push(
      `  ${r.species}: ${r.carriers} ions, charge ${r.charge}; ${r.frames} frames, ${g(r.frameIntervalFs)} fs apart (${intervalSource(r)}), ${g(r.durationPs)} ps; T = ${g(r.temperatureK)} K (${r.temperatureFrom})`,
    );
    lines.push(
      `  cell ${g(r.volumeA3, 6)} A^3; drift ${r.driftCorrected ? `removed (${r.frameworkAtoms} framework atoms)` : 'not removed (no framework)'}; unwrapping: ${r.unwrapping}`,
    );
    lines.push(
      `  fit ${g(d.fitStartPs)}..${g(d.fitEndPs)} ps${d.fitStartDefaulted ? ' (start defaulted)' : ''}, d = ${d.dimensions}, ${d.glsPoints} lags, covariance ${r.covariance}`,
    );
    lines.push('                              value +- std  [95 % interval]');
    lines.push(`  D (GLS)           cm^2/s    ${est(d.glsCm2PerS)}`);
    lines.push(`  D (OLS)           cm^2/s    ${g(d.olsCm2PerS)}`);
    for (const [i, ax] of ['x', 'y', 'z'].entries())
      lines.push(`  D_${ax}               cm^2/s    ${est(d.axisCm2PerS[i])}`);
    lines.push(`  D_sigma (charge)  cm^2/s    ${est(d.collectiveCm2PerS)}`);
    lines.push(`  sigma (N-E)       mS/cm     ${est(r.conductivity.nernstEinsteinMsPerCm)}`);
    lines.push(`  sigma (charge)    mS/cm     ${est(r.conductivity.chargeMsdMsPerCm)}`);
    lines.push(`  Haven ratio                 ${est(r.conductivity.havenRatio)}`);
    if (r.otherElements?.length) {
      const parts = r.otherElements.map((e) => {
        let k = 0;
        while (k + 1 < e.lagsPs.length && e.lagsPs[k + 1] <= d.fitEndPs) k++;
        return `${e.element} ${g(e.msdA2[k], 3)}`;
      });
      lines.push(
        `  MSD of the other elements at ${g(d.fitEndPs)} ps (A^2, drift removed): ${parts.join(', ')}`,
      );
    }
    if (r.pymatgen) {
      const p = r.pymatgen;
      lines.push(
        `  pymatgen-analysis-diffusion (smoothed=${p.smoothed === false ? 'False' : `"${p.smoothed}"`}):`,
      );
      lines.push(
        `    D ${g(p.diffusivity, 11)} cm^2/s (std ${g(p.diffusivityStd, 6)}), sigma ${g(p.conductivityMsPerCm, 11)} mS/cm (std ${g(p.conductivityStdMsPerCm, 6)})`,
      );
      lines.push(
        `    charge sigma ${g(p.chargeConductivityMsPerCm, 11)} mS/cm, Haven ratio ${g(p.havenRatio, 8)}`,
      );
    }
    lines.push('');
  }
  if (a) {
    const f = a.weighted ?? a.ols;
    lines.push(`Arrhenius (${a.temperaturesK.length} runs, ${f.method} fit of ln D vs 1/T):`);
    lines.push(`  Ea        eV        ${est(f.activationEv)}`);
    lines.push(`  ln A      (cm^2/s)  ${est(f.lnPrefactor)}`);
    if (a.weighted) lines.push(`  unweighted (pymatgen fit_arrhenius): Ea ${est(a.ols.activationEv)} eV`);
    const x = a.extrapolation;
    lines.push(`  at ${g(x.temperatureK)} K: D ${est(x.diffusivityCm2PerS)} cm^2/s`);
    lines.push(`              sigma ${est(x.conductivityMsPerCm)} mS/cm`);
    if (a.vtf) for (const l of vtfComparisonLines(a.vtf, 'D')) lines.push(`  ${l}`);
    lines.push('');
  }
  return lines.join('\n');
};

/** Every number of the analysis with its units, as written by --json (statistics at every lag). */
export const transportReport = ({ runs, arrhenius: a }: TransportFilesResult) => ({
  units: {
    time: 'ps where the name ends in Ps, else fs',
    diffusivity: 'cm^2/s',
    conductivity: 'mS/cm',
    msd: 'A^2',
    activation: 'eV',
    interval: '95 % (value +- 1.96 std; diffusivity floored at 0)',
  },
  runs: runs.map(({ file, format, run }) => {
    const st = run.msd.tracerStats;
    const dt = run.result.frameIntervalFs;
    return {
      file,
      format,
      ...run.result,
      statistics: {
        lagsPs: Array.from(st.lags, (m) => (m * dt) / 1000),
        msdA2: st.mean.total,
        msdStdA2: Array.from(st.variance.total, (v, j) => Math.sqrt(v / st.independent[j])),
        independentWindows: st.independent,
        nonGaussian: st.nonGaussian,
        chargeMsdA2: run.msd.collectiveStats.mean.total,
      },
    };
  }),
  arrhenius: a,
});

/** The JSON report, atomically (typed arrays as arrays, non-finite numbers as null). */
export const writeTransportJson = async (path: string, result: TransportFilesResult): Promise<void> => {
  await writeTo(path, async (sink) => {
    sink.write(`${JSON.stringify(transportReport(result), jsonNumbers, 1)}\n`);
  });
};

/** The MSD curves at every lag, one row per run and lag (A^2, lag in ps), atomically. */
export const writeMsdCsv = async (
  path: string,
  { runs }: Pick<TransportFilesResult, 'runs'>,
): Promise<void> => {
  await writeTo(path, async (sink) => {
    sink.write('run,temperature_K,lag_ps,msd_A2,msd_x_A2,msd_y_A2,msd_z_A2,charge_msd_per_ion_A2\n');
    for (const { file, run } of runs) {
      const { tracer, collective } = run.msd;
      const dt = run.result.frameIntervalFs;
      const name = JSON.stringify(file);
      for (let m = 0; m < tracer.total.length; m++) {
        sink.write(
          `${name},${run.result.temperatureK},${(m * dt) / 1000},${tracer.total[m]},${tracer.axis[0][m]},${tracer.axis[1][m]},${tracer.axis[2][m]},${collective.total[m]}\n`,
        );
        if (m % 4096 === 0) await sink.flush();
      }
    }
  });
};
