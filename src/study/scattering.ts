import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { csvNumber as num, writeTo } from '../analysis/report-io.js';
import { analyseMdPdfFile } from '../analysis/scattering/md-scattering-report.js';
import { type PdfFitResult, refinePdf } from '../analysis/scattering/pdf-fit.js';
import type { Fraction, ProfilePhase } from '../analysis/scattering/pdf-phase.js';
import { terminationExtension } from '../analysis/scattering/pdf-termination.js';
import { fitCrystalFraction } from '../analysis/scattering/two-phase-fraction.js';
import { OligolyteError, PhysicsError } from '../core/errors.js';
import type { Topology } from '../core/topology.js';
import { type PdfData, readPdfData } from '../io/gr.js';
import { productionTrajectory } from '../md/protocols/folders.js';
import { type ProtocolSpec, seriesBranchStages } from '../md/protocols/protocol.js';
import { liclPhase } from './scattering-licl.js';
import type { ScatteringSpec, SettingSource } from './scattering-spec.js';

// The study's model against measured PDF data (SCIENCE.md section 4): the G(r) of one series
// temperature's production frames (analysis/scattering/md-pdf.ts, periodic route, PDFfit2's
// normalisation, U = 0: the frames give the thermal spread) enters PDFfit2's model as a fixed
// profile with a scale, under the data's Qdamp envelope and Qmax termination
// (analysis/scattering/pdf-fit.ts). Two fits:
//  - the model alone over fit_range, its scale refined: Rw says how well the glass model matches;
//  - with licl = true, the two-phase fit of two-phase-fraction.ts (LiCl lattice and scale over the
//    long range, then both scales over the short range): the LiCl fraction by atoms, formula
//    units and mass.
// The data's whole grid feeds the Qmax termination ('full' cut, as the two-phase fit does): the
// measured G(r) was terminated over its whole range, not from the fit start.
//
// Errors: PDFfit2 reports sigma from the unscaled covariance (1/dG^2 weights), which holds only
// when dG is right and the model fits to the noise. The study's model never fits that well, so the
// standard errors given as `std` (and the 95 % intervals) are PDFfit2's times sqrt(reduced chi^2)
// when that exceeds 1, and times sqrt(reduced chi^2) always with unit weights (no dG): the usual
// least-squares scaling (e.g. scipy curve_fit without absolute_sigma). `sigma` keeps PDFfit2's.

/** A refined number: PDFfit2's sigma, and the standard error and 95 % interval used (see above). */
export interface ScatteringEstimate {
  value: number;
  /** PDFfit2's standard error (unscaled covariance). */
  sigma: number;
  /** sigma times the misfit factor (errorScale). */
  std: number;
  low95: number;
  high95: number;
}

export interface ScatteringFitSummary {
  rw: number;
  chi2: number;
  reducedChi2: number;
  points: number;
  iterations: number;
  converged: boolean;
  /** Factor from PDFfit2's sigma to std (1 when the weights are right and the fit is good). */
  errorScale: number;
}

export interface StudyScattering {
  /** The data file as the study file names it, and its absolute path. */
  data: string;
  dataFile: string;
  radiation: 'xray' | 'neutron';
  radiationSource: SettingSource;
  /** The series temperature whose production frames make the model (K), and why that one. */
  temperatureK: number;
  temperatureSource: string;
  /** The trajectory (relative to the study folder), frames averaged, atoms. */
  trajectory: string;
  frames: number;
  atoms: number;
  qmaxInvA: number;
  qmaxSource: SettingSource;
  qdampInvA: number;
  qdampSource: SettingSource;
  fitRangeA: [number, number];
  fitRangeSource: SettingSource;
  /** The model alone: its scale over fitRangeA (absent when the analysis failed). */
  model?: ScatteringFitSummary & { scale: ScatteringEstimate };
  /** With licl = true: the two-phase fit. */
  licl?: {
    crystal: string;
    uisoA2: number;
    longRangeA: [number, number];
    shortRangeA: [number, number];
    /** LiCl lattice parameter from the long range (A). */
    latticeA: ScatteringEstimate;
    long: ScatteringFitSummary;
    short: ScatteringFitSummary;
    modelScale: ScatteringEstimate;
    liclScale: ScatteringEstimate;
    /** LiCl's fraction of atoms, of formula units (molar) and of mass (0-1; 95 % interval cut to 0-1). */
    fraction: { atom: ScatteringEstimate; molar: ScatteringEstimate; mass: ScatteringEstimate };
  };
  /** With licl = true, why the two-phase fit failed (then licl is absent; the model-alone fit stands). */
  liclError?: string;
  /** Curve files written, relative to the study folder. */
  curves: string[];
  notes: string[];
  /** Why the analysis failed (then model and licl are absent); the rest of the study stands. */
  error?: string;
  wallTimeS: number;
}

/** The settings a scattering result echoes (what was compared, and where each value came from). */
const settingsOf = (s: ScatteringSpec) => ({
  data: s.data,
  dataFile: s.dataFile,
  radiation: s.radiation === 'N' ? ('neutron' as const) : ('xray' as const),
  radiationSource: s.radiationSource,
  temperatureK: s.temperatureK,
  temperatureSource: s.temperatureSource,
  qmaxInvA: s.qmaxInvA,
  qmaxSource: s.qmaxSource,
  qdampInvA: s.qdampInvA,
  qdampSource: s.qdampSource,
  fitRangeA: s.fitRangeA,
  fitRangeSource: s.fitRangeSource,
});

/** Curves for the CSV files: r and the observed, calculated and difference G(r) (1/A^2). */
export interface ScatteringCurves {
  model?: { r: Float64Array; gobs: Float64Array; gcalc: Float64Array; gdiff: Float64Array };
  licl?: {
    r: Float64Array;
    gobs: Float64Array;
    gcalc: Float64Array;
    gdiff: Float64Array;
    modelPart: Float64Array;
    liclPart: Float64Array;
  };
}

/** Where the curves go, relative to the study folder. */
export const SCATTERING_CURVE_FILES = {
  model: join('scattering', 'pdf.csv'),
  licl: join('scattering', 'pdf-licl.csv'),
};

/** PDFfit2's sigma to the standard error used (see the file comment). */
const errorScaleOf = (reducedChi2: number, unitWeights: boolean): number =>
  Math.sqrt(unitWeights ? reducedChi2 : Math.max(1, reducedChi2));

const estimate = (
  what: string,
  value: number,
  sigma: number,
  scale: number,
  clip?: [number, number],
): ScatteringEstimate => {
  if (!Number.isFinite(value) || !Number.isFinite(sigma))
    throw new PhysicsError(
      `the PDF fit gave no finite ${what} (${value} +- ${sigma}): the data do not determine it over the range (singular covariance)`,
    );
  const std = sigma * scale;
  let low95 = value - 1.96 * std;
  let high95 = value + 1.96 * std;
  if (clip) {
    low95 = Math.max(clip[0], low95);
    high95 = Math.min(clip[1], high95);
  }
  return { value, sigma, std, low95, high95 };
};

const summary = (f: PdfFitResult, unitWeights: boolean): ScatteringFitSummary => {
  for (const [k, v] of [
    ['Rw', f.rw],
    ['chi^2', f.chi2],
  ] as const)
    if (!Number.isFinite(v))
      throw new PhysicsError(
        `the PDF fit gave no finite ${k}: the data or the model G(r) hold no signal over the range`,
      );
  return {
    rw: f.rw,
    chi2: f.chi2,
    reducedChi2: f.reducedChi2,
    points: f.points,
    iterations: f.iterations,
    converged: f.converged,
    errorScale: errorScaleOf(f.reducedChi2, unitWeights),
  };
};

const dataset = (d: PdfData, s: ScatteringSpec, range: [number, number]) => ({
  name: d.file,
  data: d,
  radiation: s.radiation,
  qmax: s.qmaxInvA,
  qdamp: s.qdampInvA,
  qbroad: 0,
  dscale: 1,
  rmin: range[0],
  rmax: range[1],
  constraints: {},
  cut: 'full' as const,
});

/** Model G(r) grid step (A): fine enough to interpolate onto any data grid. */
const MODEL_DR_A = 0.01;

export interface ScatteringAnalysisOptions {
  /** The model's topology (a LAMMPS dump's frames carry types, not elements). */
  topology?: Topology;
  /** Every n-th production frame (default 1). */
  frameStep?: number;
  /** Worker threads counting pairs (default 1). */
  threads?: number;
  onWarning?: (m: string) => void;
}

/**
 * The model G(r) of one trajectory against the data (see the file comment): the summary for
 * study.json (without the file fields: relative paths are the caller's) and the curves.
 */
export const analyseScattering = async (
  s: ScatteringSpec,
  trajectory: string,
  options: ScatteringAnalysisOptions = {},
): Promise<{
  result: Omit<StudyScattering, 'trajectory' | 'curves' | 'wallTimeS'>;
  curves: ScatteringCurves;
}> => {
  const data = readPdfData(s.dataFile);
  const unitWeights = data.weightNote !== undefined;
  const notes: string[] = [];
  if (data.weightNote) notes.push(data.weightNote);
  const rTop = Math.max(s.fitRangeA[1], s.licl?.longRangeA[1] ?? 0);
  const pdf = (
    await analyseMdPdfFile(trajectory, {
      read: {
        topology: options.topology,
        onWarning: options.onWarning,
        frames: { step: options.frameStep ?? 1 },
      },
      // The termination reaches 6 ripples (2 pi / Qmax each) beyond the fit range.
      rMaxA: rTop + terminationExtension(s.qmaxInvA) + 0.2,
      drA: MODEL_DR_A,
      radiation: s.radiation,
      threads: options.threads,
    })
  ).pdf;
  const model: ProfilePhase = {
    kind: 'profile',
    name: `model ${s.temperatureK} K`,
    r: pdf.rA,
    g: pdf.g,
    composition: pdf.composition,
    pscale: 1,
    spdiameter: 0,
  };
  // The model alone: G(r) is linear in its scale, so LM lands in one or two steps from 1.
  const alone = refinePdf({
    phases: [{ phase: model, constraints: { pscale: '@1' } }],
    datasets: [dataset(data, s, s.fitRangeA)],
    parameters: [{ id: 1, value: 1 }],
  });
  notes.push(...alone.notes.filter((n) => n !== data.weightNote));
  const aloneSummary = summary(alone, unitWeights);
  const sc = alone.parameters[0];
  if (!(sc.value > 0))
    notes.push(
      `the model's refined scale is ${sc.value.toPrecision(3)} (not positive): the model G(r) does not resemble the data over ${s.fitRangeA[0]}-${s.fitRangeA[1]} A`,
    );
  const ds0 = alone.datasets[0];
  const curves: ScatteringCurves = {
    model: { r: ds0.r, gobs: ds0.gobs, gcalc: ds0.gcalc, gdiff: ds0.gdiff },
  };
  const result: Omit<StudyScattering, 'trajectory' | 'curves' | 'wallTimeS'> = {
    ...settingsOf(s),
    frames: pdf.frames,
    atoms: pdf.atoms,
    model: { ...aloneSummary, scale: estimate('model scale', sc.value, sc.sigma, aloneSummary.errorScale) },
    notes,
  };
  if (s.licl) {
    try {
      const crystal = liclPhase(s.licl.uisoA2, s.licl.cif);
      const start = sc.value > 0 ? sc.value : 1;
      const two = fitCrystalFraction({
        data,
        radiation: s.radiation,
        qmax: s.qmaxInvA,
        qdamp: s.qdampInvA,
        model: { ...model, pscale: start },
        // LiCl's scale starts at a tenth of the model's: the LM finds it (the fit is linear in it).
        crystal: { ...crystal, pscale: 0.1 * start },
        longRangeA: s.licl.longRangeA,
        shortRangeA: s.licl.shortRangeA,
        cut: 'full',
      });
      for (const n of [...two.longRange.notes, ...two.shortRange.notes])
        if (n !== data.weightNote && !notes.includes(n)) notes.push(n);
      const long = summary(two.longRange, unitWeights);
      const short = summary(two.shortRange, unitWeights);
      const [pm, pc] = two.shortRange.parameters;
      const frac = (what: string, f: Fraction) =>
        estimate(`LiCl ${what} fraction`, f.value, f.sigma, short.errorScale, [0, 1]);
      result.licl = {
        crystal: s.licl.cif ?? 'built-in rock-salt LiCl (a = 5.1295 A before refinement)',
        uisoA2: s.licl.uisoA2,
        longRangeA: s.licl.longRangeA,
        shortRangeA: s.licl.shortRangeA,
        latticeA: estimate('LiCl lattice parameter', two.latticeA.value, two.latticeA.sigma, long.errorScale),
        long,
        short,
        modelScale: estimate('model scale', pm.value, pm.sigma, short.errorScale),
        liclScale: estimate('LiCl scale', pc.value, pc.sigma, short.errorScale),
        fraction: {
          atom: frac('atom', two.atom),
          molar: frac('molar', two.molar),
          mass: frac('mass', two.mass),
        },
      };
      if (!(pc.value >= 0))
        notes.push(
          `the LiCl scale refined to ${pc.value.toPrecision(3)} (negative): no LiCl is seen over ${s.licl.shortRangeA.join('-')} A; the fractions are not meaningful`,
        );
      const d = two.shortRange.datasets[0];
      curves.licl = {
        r: d.r,
        gobs: d.gobs,
        gcalc: d.gcalc,
        gdiff: d.gdiff,
        modelPart: d.phaseParts[0],
        liclPart: d.phaseParts[1],
      };
    } catch (e) {
      // The model-alone result stands; the LiCl part says why it is missing.
      if (!(e instanceof OligolyteError)) throw e;
      result.liclError = e.message;
      notes.push(`the two-phase fit with LiCl failed: ${e.message}`);
    }
  }
  return { result, curves };
};

/** scattering/pdf.csv and, with LiCl, scattering/pdf-licl.csv (each atomically); their paths relative to `dir`. */
export const writeScatteringCurves = async (dir: string, c: ScatteringCurves): Promise<string[]> => {
  const written: string[] = [];
  mkdirSync(join(dir, 'scattering'), { recursive: true });
  const write = async (rel: string, header: string, cols: ArrayLike<number>[]) => {
    await writeTo(join(dir, rel), async (sink) => {
      sink.write(`${header}\n`);
      for (let i = 0; i < cols[0].length; i++) sink.write(`${cols.map((x) => num(x[i])).join(',')}\n`);
    });
    written.push(rel);
  };
  if (c.model)
    await write(SCATTERING_CURVE_FILES.model, 'r_A,Gobs_A-2,Gcalc_A-2,Gdiff_A-2', [
      c.model.r,
      c.model.gobs,
      c.model.gcalc,
      c.model.gdiff,
    ]);
  if (c.licl)
    await write(
      SCATTERING_CURVE_FILES.licl,
      // The parts are each phase's scaled G(r) before the Qmax termination of the total.
      'r_A,Gobs_A-2,Gcalc_A-2,Gdiff_A-2,Gmodel_part_A-2,GLiCl_part_A-2',
      [c.licl.r, c.licl.gobs, c.licl.gcalc, c.licl.gdiff, c.licl.modelPart, c.licl.liclPart],
    );
  return written;
};

/** Production frames series temperature T's run writes (for the frame step). */
const productionFrames = (protocol: ProtocolSpec, temperatureK: number): number => {
  const series = protocol.series;
  if (!series) return 1;
  const b = series.temperaturesK.indexOf(temperatureK);
  const stages = b >= 0 ? seriesBranchStages(series, b) : series.stages;
  const produce = stages[stages.length - 1];
  if (!produce || !(produce.dumpEvery > 0)) return 1;
  return Math.floor(produce.steps / produce.dumpEvery) + 1;
};

/**
 * The study's scattering step for one model: the model against the data from the chosen
 * temperature's production run in `runDir`, curves written under `dir`. A failure (a fit that
 * gives no finite Rw, a trajectory that cannot be read) is returned as `error` with the settings,
 * so that the study's other outputs are still written; it is also passed to onWarning.
 */
export const runStudyScattering = async (
  s: ScatteringSpec,
  protocol: ProtocolSpec,
  runDir: string,
  dir: string,
  options: Omit<ScatteringAnalysisOptions, 'frameStep'> = {},
): Promise<StudyScattering> => {
  const t0 = performance.now();
  const trajectory = join(runDir, productionTrajectory(protocol, s.temperatureK));
  const frameStep = Math.max(1, Math.ceil(productionFrames(protocol, s.temperatureK) / s.maxFrames));
  const rel = relative(dir, trajectory);
  try {
    const { result, curves } = await analyseScattering(s, trajectory, { ...options, frameStep });
    const files = await writeScatteringCurves(dir, curves);
    return { ...result, trajectory: rel, curves: files, wallTimeS: (performance.now() - t0) / 1000 };
  } catch (e) {
    const message = e instanceof OligolyteError ? e.message : `internal error: ${(e as Error).message}`;
    options.onWarning?.(`scattering: ${message}`);
    return {
      ...settingsOf(s),
      trajectory: rel,
      frames: 0,
      atoms: 0,
      curves: [],
      notes: [],
      error: message,
      wallTimeS: (performance.now() - t0) / 1000,
    };
  }
};
