import { OptionError } from '../../core/errors.js';
import type { Frame, SourceLocation, Structure } from '../../core/frame.js';
import type { Topology } from '../../core/topology.js';
import type { TextSink } from '../../io/text-sink.js';
import { csvField, jsonNumbers, csvNumber as num, tableNumber, writeTo } from '../report-io.js';
import {
  type CoordinationCutoffs,
  CutoffFinder,
  type CutoffSearchOptions,
  checkGivenCutoffs,
} from './environment-cutoffs.js';
import {
  EnvironmentAccumulator,
  type EnvironmentOptions,
  type EnvironmentResult,
  type EnvironmentState,
  resolveEnvironmentElements,
  type StateGrouping,
} from './environments.js';
import { type StructureFilesOptions, streamRun } from './run-files.js';

/**
 * Coordination environments of whole runs, as `oligolyte structure environments` computes them:
 * cut-offs from g(r) where not given, then the environments (environments.ts); and the reports:
 * the printed table, the JSON of every number and the CSV of the correlation functions.
 */
export interface EnvironmentAnalysisOptions extends Omit<EnvironmentOptions, 'cutoffsA'> {
  /** Cut-offs given (A), by neighbour element; the others come from g(r). */
  cutoffsA?: Readonly<Record<string, number>>;
  /**
   * Frames whose g(r) gives the missing cut-offs: the first n of the run (default 100), or 'all'
   * (files are then read twice: g(r) first, then the environments).
   */
  cutoffFrames?: number | 'all';
  /** The g(r) searched for the cut-offs. */
  cutoffSearch?: CutoffSearchOptions;
}

export interface EnvironmentRunResult {
  cutoffs: CoordinationCutoffs;
  result: EnvironmentResult;
}

const cutoffFrameCount = (o: EnvironmentAnalysisOptions): number => {
  const n = o.cutoffFrames ?? 100;
  if (n === 'all') return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(n) || n < 1)
    throw new OptionError(`\`cutoffFrames\`: ${n} must be a whole number >= 1 or 'all'`, {
      option: 'cutoffFrames',
    });
  return n;
};

/**
 * One run fed frame by frame: the first frames go to g(r) (and are kept) until the cut-offs are
 * found, then every frame to the environments.
 */
export class EnvironmentRun {
  private readonly finder?: CutoffFinder;
  private readonly wanted: number;
  private buffer: { frame: Frame; source?: SourceLocation }[] = [];
  private accumulator?: EnvironmentAccumulator;
  private cutoffs?: CoordinationCutoffs;

  constructor(
    readonly topology: Topology,
    private readonly options: EnvironmentAnalysisOptions,
    /** Cut-offs found beforehand (a first pass over the whole run). */
    cutoffs?: CoordinationCutoffs,
  ) {
    const { centre, neighbours } = resolveEnvironmentElements(topology, options.centre, options.neighbours);
    this.wanted = cutoffFrameCount(options);
    if (cutoffs) this.start(cutoffs);
    else {
      const finder = new CutoffFinder(topology, centre, neighbours, options.cutoffsA, options.cutoffSearch);
      if (finder.searching) this.finder = finder;
      else this.start(finder.result());
    }
  }

  private start(cutoffs: CoordinationCutoffs) {
    this.cutoffs = cutoffs;
    const acc = new EnvironmentAccumulator(this.topology, { ...this.options, cutoffsA: cutoffs.cutoffsA });
    for (const b of this.buffer) acc.push(b.frame, b.source);
    this.buffer = [];
    this.accumulator = acc;
  }

  push(frame: Frame, source?: SourceLocation): void {
    if (this.accumulator) {
      this.accumulator.push(frame, source);
      return;
    }
    const finder = this.finder!;
    finder.push(frame);
    this.buffer.push({ frame: { ...frame, positions: frame.positions.slice() }, source });
    if (finder.frames >= this.wanted) this.start(finder.result());
  }

  result(): EnvironmentRunResult {
    if (!this.accumulator) this.start(this.finder!.result());
    return { cutoffs: this.cutoffs!, result: this.accumulator!.result() };
  }
}

/** Environments of one run given as structures (one topology throughout), e.g. from readFrames. */
export const analyseEnvironments = async (
  structures: AsyncIterable<Structure> | Iterable<Structure>,
  options: EnvironmentAnalysisOptions = {},
): Promise<EnvironmentRunResult> => {
  let run: EnvironmentRun | undefined;
  if (options.cutoffFrames === 'all')
    throw new OptionError("`cutoffFrames`: 'all' needs the run twice: use analyseEnvironmentFiles", {
      option: 'cutoffFrames',
    });
  for await (const s of structures) {
    run ??= new EnvironmentRun(s.topology, options);
    run.push(s.frame, s.source);
  }
  if (!run) throw new OptionError('no frames: coordination environments need at least one frame');
  return run.result();
};

export interface EnvironmentFileRun extends EnvironmentRunResult {
  file: string;
  /** Its format's name (detected or given). */
  format: string;
}

export interface EnvironmentFilesResult {
  runs: EnvironmentFileRun[];
}

/** Environments of several trajectory files, one run each. */
export const analyseEnvironmentFiles = async (
  files: string[],
  options: EnvironmentAnalysisOptions & StructureFilesOptions = {},
): Promise<EnvironmentFilesResult> => {
  const { read, onFileProgress, ...analysis } = options;
  cutoffFrameCount(analysis);
  if (analysis.cutoffsA) checkGivenCutoffs(analysis.centre ?? 'Li', analysis.cutoffsA);
  const runs: EnvironmentFileRun[] = [];
  for (const file of files) {
    let cutoffs: CoordinationCutoffs | undefined;
    if (analysis.cutoffFrames === 'all') {
      const pass = await streamRun(file, { read, onFileProgress }, (t) => {
        const { centre, neighbours } = resolveEnvironmentElements(t, analysis.centre, analysis.neighbours);
        return new CutoffFinder(t, centre, neighbours, analysis.cutoffsA, analysis.cutoffSearch);
      });
      cutoffs = pass.sink.result();
    }
    const { format, sink } = await streamRun(
      file,
      { read, onFileProgress },
      (t) => new EnvironmentRun(t, analysis, cutoffs),
    );
    runs.push({ file, format, ...sink.result() });
  }
  return { runs };
};

const g = (v: number | null | undefined, digits = 3) => tableNumber(v, digits);
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)} %` : '-');
const fraction = (s: EnvironmentState) => {
  const p = s.population;
  return `${p.mean.toFixed(3)} +- ${p.standardError === null ? '-' : p.standardError.toFixed(3)}`;
};
/**
 * The quoted lifetime: the fitted mean time; '>' the integral when the curve has not decayed; '~'
 * the integral when it has but the fit gives no mean (a tail the fit would extrapolate far).
 */
const lifetime = (f: { meanPs: number | null; integralPs: number; decayed: boolean } | undefined) => {
  if (!f) return '-';
  if (!f.decayed) return `> ${g(f.integralPs)}`;
  return f.meanPs === null ? `~ ${g(f.integralPs)}` : g(f.meanPs);
};

/** The most frequent changes of state (off the diagonal), with their probability per frame step. */
const topTransitions = (grouping: StateGrouping, n: number) => {
  const t = grouping.transitions;
  const list: { from: string; to: string; count: number; p: number }[] = [];
  for (let a = 0; a < t.states.length; a++)
    for (let b = 0; b < t.states.length; b++)
      if (a !== b && t.counts[a][b] > 0)
        list.push({ from: t.states[a], to: t.states[b], count: t.counts[a][b], p: t.probabilities[a][b] });
  return list.sort((x, y) => y.count - x.count).slice(0, n);
};

/**
 * The printed table per run: cut-offs (found or given), populations of every label with its
 * block-averaged error, CN and NMR class and lifetimes; the NMR classes, the CN distribution, the
 * transitions and the polyhedra's mean shape measures per CN.
 */
export const environmentsTable = ({ runs }: EnvironmentFilesResult): string => {
  const lines: string[] = [];
  for (const { file, format, cutoffs, result: r } of runs) {
    lines.push(`${file}  (${format})`);
    const time =
      r.frameIntervalFs === null
        ? 'no frame times (no lifetimes)'
        : `${g(r.frameIntervalFs, 4)} fs apart (${r.frameIntervalFrom}), ${g(r.durationPs, 4)} ps`;
    lines.push(
      `  ${r.centre}: ${r.centres} centres; ${r.frames} frame${r.frames === 1 ? '' : 's'}, ${time}; neighbours ${r.neighbours.join(', ')}`,
    );
    const cut = cutoffs.pairs.map((p) =>
      p.from === 'given'
        ? `${p.pair} ${g(p.cutoffA)} A (given)`
        : `${p.pair} ${g(p.cutoffA)} A (first minimum of g(r) over ${cutoffs.frames} frames; peak ${g(p.firstPeakA)} A, ${g(p.coordinationAtMinimum)} ${p.element} within)`,
    );
    lines.push(`  cut-offs: ${cut.join('; ')}`);
    if (r.hysteresisA > 0)
      lines.push(
        `  hysteresis ${g(r.hysteresisA)} A: ${r.neighbours.map((e) => `${e} enters inside ${g(r.windowsA[e].enterA)} A, leaves beyond ${g(r.windowsA[e].leaveA)} A`).join('; ')}`,
      );
    const mc = r.meanCoordination;
    lines.push(
      `  mean coordination number ${mc.mean.toFixed(3)} +- ${mc.standardError === null ? '-' : mc.standardError.toFixed(3)}`,
    );
    lines.push('');
    const w = Math.max(12, ...r.labels.states.map((s) => s.name.length + 2));
    const header = (first: string) =>
      `  ${first.padEnd(w)}${'fraction +- error'.padStart(19)}${'CN'.padStart(4)}  ${'NMR class'.padEnd(13)}${'tau_c ps'.padStart(10)}${'tau_i ps'.padStart(10)}`;
    lines.push(header('label'));
    for (const s of r.labels.states)
      lines.push(
        `  ${s.name.padEnd(w)}${fraction(s).padStart(19)}${String(s.cn).padStart(4)}  ${(s.nmrClass ?? '').padEnd(13)}${lifetime(s.lifetimes?.continuous).padStart(10)}${lifetime(s.lifetimes?.intermittent).padStart(10)}`,
      );
    lines.push('');
    lines.push(
      `  ${'NMR class'.padEnd(w)}${'fraction +- error'.padStart(19)}${''.padStart(4)}  ${''.padEnd(13)}${'tau_c ps'.padStart(10)}${'tau_i ps'.padStart(10)}`,
    );
    for (const s of r.nmrClasses.states)
      lines.push(
        `  ${s.name.padEnd(w)}${fraction(s).padStart(19)}${''.padStart(4)}  ${''.padEnd(13)}${lifetime(s.lifetimes?.continuous).padStart(10)}${lifetime(s.lifetimes?.intermittent).padStart(10)}`,
      );
    lines.push('');
    lines.push(
      `  ${'CN'.padEnd(w)}${'fraction +- error'.padStart(19)}${''.padStart(4)}  ${''.padEnd(13)}${'tau_c ps'.padStart(10)}${'tau_i ps'.padStart(10)}`,
    );
    for (const s of r.coordinationNumbers.states)
      lines.push(
        `  ${s.name.padEnd(w)}${fraction(s).padStart(19)}${''.padStart(4)}  ${''.padEnd(13)}${lifetime(s.lifetimes?.continuous).padStart(10)}${lifetime(s.lifetimes?.intermittent).padStart(10)}`,
      );
    lines.push('');
    const tr = r.labels.transitions;
    const rate =
      tr.changesPerCentrePerPs === null
        ? `${g(tr.changesPerCentrePerStep)} per ${r.centre} per frame step`
        : `${g(tr.changesPerCentrePerPs)} per ${r.centre} per ps`;
    lines.push(
      `  transitions: ${tr.changes} label changes over ${r.frames - 1} frame steps (${rate}); NMR class changes ${r.nmrClasses.transitions.changes}, CN changes ${r.coordinationNumbers.transitions.changes}`,
    );
    const top = topTransitions(r.labels, 5);
    if (top.length > 0)
      lines.push(
        `  most frequent: ${top.map((t) => `${t.from} -> ${t.to} ${t.count} (p ${g(t.p)} per step)`).join(', ')}`,
      );
    if (r.shapes.byCoordination.length > 0) {
      lines.push(
        `  polyhedra (continuous symmetry measure, 0 = ideal; centring: ${r.shapes.centring}; every ${r.shapes.every === 1 ? 'frame' : `${r.shapes.every} frames`}; mean +- sd, share nearest):`,
      );
      for (const c of r.shapes.byCoordination)
        lines.push(
          `    CN ${c.cn} (${c.polyhedra}): ${c.shapes.map((s) => `${s.shape} ${g(s.meanCsm)} +- ${g(s.sdCsm, 2)} (${pct(s.nearestFraction)})`).join(', ')}`,
        );
    }
    for (const note of r.notes) lines.push(`  note: ${note}`);
    lines.push('');
  }
  lines.push(
    'fraction: mean over frames of the share of centres, +- block-averaged standard error; tau_c / tau_i: mean lifetime (ps) from a stretched-exponential fit of the continuous / intermittent residence correlation function ("> x": not decayed within the window, x its integral; "~ x": decayed, but the fit\'s mean lies more than ten windows out, x the integral)',
  );
  lines.push('');
  return lines.join('\n');
};

/** Every number of the analysis with its units, as written by --json. */
export const environmentsReport = ({ runs }: EnvironmentFilesResult) => ({
  units: {
    distance: 'A',
    time: 'ps where the name ends in Ps, else fs',
    population: 'fraction of the centres, mean over frames +- block-averaged standard error',
    csm: 'continuous symmetry measure (Pinsky-Avnir), 0 = ideal .. 100',
    correlations:
      'C_c(t) and C_i(t) at lags 0 .. maxLagFrames frames (lagsPs), states in the order of their grouping',
    lifetimes:
      'stretched-exponential fit exp(-(t/tau)^beta) of C_c and of (C_i - <h>)/(1 - <h>); meanPs = (tau/beta) Gamma(1/beta); integralPs: the data integrated over the window',
    transitions:
      'counts[a][b]: state a at one frame, b at the next, summed over centres; probabilities per frame step',
  },
  runs: runs.map(({ file, format, cutoffs, result }) => ({ file, format, cutoffs, ...result })),
});

/** The JSON report (typed arrays as arrays, non-finite numbers as null), atomically. */
export const writeEnvironmentsJson = (
  target: string | TextSink,
  result: EnvironmentFilesResult,
): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write(`${JSON.stringify(environmentsReport(result), jsonNumbers, 1)}\n`);
  });

/**
 * The residence correlation functions as CSV, one row per run, grouping (label, nmr,
 * coordination), state and lag: lag in frames and ps (empty without frame times), C_c, C_i.
 */
export const writeEnvironmentsCsv = (
  target: string | TextSink,
  { runs }: EnvironmentFilesResult,
): Promise<void> =>
  writeTo(target, async (sink) => {
    sink.write('run,grouping,state,lag_frames,lag_ps,continuous,intermittent\n');
    let rows = 0;
    for (const { file, result: r } of runs) {
      const name = csvField(file);
      for (const grouping of [r.labels, r.nmrClasses, r.coordinationNumbers]) {
        for (const [k, st] of grouping.states.entries()) {
          const cc = grouping.correlations.continuous[k];
          const ci = grouping.correlations.intermittent[k];
          const state = csvField(st.name);
          for (let m = 0; m <= r.maxLagFrames; m++) {
            sink.write(
              `${name},${grouping.kind},${state},${m},${r.lagsPs ? num(r.lagsPs[m]) : ''},${num(cc[m])},${num(ci[m])}\n`,
            );
            if (++rows % 4096 === 0) await sink.flush();
          }
        }
      }
    }
  });
