import { OligolyteError, OptionError, ParseError } from '../../core/errors.js';
import type { SourceLocation, Structure } from '../../core/frame.js';
import type { Topology } from '../../core/topology.js';
import type { VolumetricGrid } from '../../core/volumetric-grid.js';
import { moduleBeside } from '../../core/worker.js';
import type { FrameJob } from '../../io/read-ahead.js';
import { carrierCharge, havenRatio, nernstEinsteinFactor, scaleEstimate } from './conductivity.js';
import { DensityGridAccumulator } from './density-grid.js';
import {
  type CovarianceModel,
  type DiffusivityResult,
  type Estimate,
  fitDiffusivity,
} from './diffusivity.js';
import { displacementSumsBytes } from './displacement-sums-wasm.js';
import { DisplacementRecorder, type Displacements, type FrameworkMotionResult } from './displacements.js';
import type { FrameworkJobInit } from './framework-job.js';
import { type ElementMsd, elementMsds, type MsdResult, statisticsLags } from './msd.js';
import { computeMsdThreaded, elementMsdsThreaded, MsdWorkers, msdUsesThreads } from './msd-threads.js';
import { type PymatgenResult, type PymatgenSmoothing, pymatgenDiffusionAnalysis } from './pymatgen-compat.js';

/** Everything one transport analysis of one run needs; times in fs unless the name says ps. */
export interface TransportOptions {
  /** Element whose transport is analysed ('Li'). */
  species: string;
  /** Run temperature (K); default: from the file (VASP TEBEG, pymatgen JSON). */
  temperatureK?: number;
  /** Integrator time step (fs); with `frameStep`, sets the time between frames. Default: the file's frame times. */
  timeStepFs?: number;
  /** Integrator steps between stored frames (default 1). */
  frameStep?: number;
  /** Fit window (ps); the start defaults to 10 % of the run (see DiffusivityResult.fitStartDefaulted). */
  fitStartPs?: number;
  fitEndPs?: number;
  /** Axes for the MSD and D = slope / (2d): [0,1,2] (default), [0,1] for the xy plane, ... */
  axes?: number[];
  /** Carrier charge (e); default from the element (Li, Na, K: +1). */
  charge?: number;
  /** Elements whose mean motion is removed as drift; default: every element but `species`. */
  framework?: string[];
  /**
   * Also the MSD of every other element (a check that the framework stays put), from up to 1024
   * evenly spaced frames (default false: it costs about a third more time for a large framework).
   */
  elementMsd?: boolean;
  /** 'auto' (default): as the frames say; true / false to override (see DisplacementOptions). */
  unwrapped?: 'auto' | boolean;
  /** Number of statistics lags (default 100). */
  lags?: number;
  origins?: 'all' | 'auto';
  covariance?: CovarianceModel;
  /** Also compute pymatgen-analysis-diffusion's numbers. */
  compat?: { smoothed: PymatgenSmoothing; minObs?: number; avgNsteps?: number };
  /** Probability density grid of the species, spacing in A. */
  densityGridSpacingA?: number;
  /**
   * Threads for the MSD sums (default 1). The result is the same, bit for bit, for a given count;
   * counts differ in the last digits (the order of additions). Small runs use one thread.
   */
  threads?: number;
  /** Progress: (phase, done, total). */
  onProgress?: (phase: 'frames' | 'msd', done: number, total: number) => void;
  /**
   * The framework's drift (and, with `others`, the other atoms) are recorded on the thread reading
   * the frames (frameworkOnReadingThread); after the last frame `result` returns what it recorded.
   */
  frameworkElsewhere?: { others: boolean; result: () => FrameworkMotionResult | undefined };
  /**
   * The number of frames the run has, when the reader says before the first frame
   * (ReadOptions.onFrameCount; read at the first frame): the other atoms' store then takes its
   * final spacing at once (the same frames kept, with less work).
   */
  frameCount?: () => number | undefined;
}

export interface TransportResult {
  species: string;
  carriers: number;
  charge: number;
  temperatureK: number;
  temperatureFrom: 'option' | 'file';
  frames: number;
  frameIntervalFs: number;
  /** Where the time between frames came from: `timeStepFs` x steps, the file's frame times, or its time step x steps. */
  frameIntervalFrom: 'option' | 'file times' | 'file time step';
  /**
   * Integrator steps between frames (the time step is frameIntervalFs / frameStep) and where that
   * number came from: the `frameStep` option, the file's step numbers (LAMMPS TIMESTEP, extxyz
   * step=), or 1 assumed; absent when the file's frame times set the interval.
   */
  frameStep?: number;
  frameStepFrom?: 'option' | 'file steps' | 'assumed';
  durationPs: number;
  /** Mean cell volume over the frames (A^3). */
  volumeA3: number;
  frameworkAtoms: number;
  driftCorrected: boolean;
  /** 'input' when positions came unwrapped, 'minimum image' when unwrapped here. */
  unwrapping: 'input' | 'minimum image';
  statisticsLags: number;
  allOrigins: boolean;
  covariance: CovarianceModel;
  diffusivity: DiffusivityResult;
  conductivity: {
    /** Nernst-Einstein sigma from the tracer D (mS/cm). */
    nernstEinsteinMsPerCm: Estimate;
    /** From the collective (charge) MSD (mS/cm). */
    chargeMsdMsPerCm: Estimate;
    havenRatio: Estimate;
    /** mS/cm per cm^2/s at this temperature and density. */
    factor: number;
  };
  pymatgen?: PymatgenResult & {
    conductivityMsPerCm: number;
    conductivityStdMsPerCm: number;
    chargeConductivityMsPerCm: number;
    havenRatio: number;
  };
  /** MSD of every other element (drift removed), from evenly spaced frames; lags in ps. */
  otherElements?: { element: string; atoms: number; lagsPs: number[]; msdA2: Float64Array }[];
  notes: string[];
}

export interface TransportRun {
  result: TransportResult;
  msd: MsdResult;
  displacements: Displacements;
  density?: VolumetricGrid;
  /** First frame, for writing density files with the structure. */
  first: Structure;
}

/** The analysed atoms of a run and its framework (undefined: every other atom), checked. */
export const transportAtoms = (
  topology: Topology,
  options: Pick<TransportOptions, 'species' | 'framework'>,
): { selected: Uint32Array; framework?: number[] } => {
  const selected = topology.indicesOf(options.species);
  if (selected.length === 0)
    throw new OptionError(`no ${options.species} atoms in the run (it has ${topology.elements.join(', ')})`);
  let framework: number[] | undefined;
  if (options.framework) {
    framework = [];
    for (const e of options.framework) {
      if (e === options.species)
        throw new OptionError(`the framework cannot include ${e}, the analysed species`);
      const idx = topology.indicesOf(e);
      if (idx.length === 0)
        throw new OptionError(
          `no ${e} atoms for the framework (the run has ${topology.elements.join(', ')})`,
        );
      framework.push(...idx);
    }
    framework.sort((a, b) => a - b);
  }
  return { selected, framework };
};

/**
 * For frames read on a thread of their own (readDcdAhead): the frame job that records the
 * framework's drift there (framework-job.ts), and the `frameworkElsewhere` option that hands its
 * result to analyseTransport. The same FrameworkMotion runs on the same frames, only on the other
 * thread, so the numbers are the same, bit for bit. The other atoms (the framework check) are kept
 * there too unless the input is declared unwrapped (unwrapping them reads every one every frame, which
 * also gives the drift); from unwrapped input they are read only at the frames kept, which the
 * analysing thread does, so that the two threads share the work.
 */
export const frameworkOnReadingThread = (
  topology: Topology,
  options: TransportOptions,
): { frameJob: FrameJob; frameworkElsewhere: NonNullable<TransportOptions['frameworkElsewhere']> } => {
  const { selected, framework } = transportAtoms(topology, options);
  const others = options.elementMsd === true && options.unwrapped !== true;
  const frameworkAtoms = framework?.length ?? topology.natoms - selected.length;
  let result: FrameworkMotionResult | undefined;
  const init: FrameworkJobInit = {
    natoms: topology.natoms,
    options: { selected, framework, unwrapped: options.unwrapped ?? 'auto', others },
  };
  return {
    frameJob: {
      module: moduleBeside(import.meta.url, 'framework-job'),
      init,
      // The drift's kernel works beside the frames (displacement-sums-wasm.ts), where there is a
      // drift to sum.
      memoryBytes: frameworkAtoms > 0 ? displacementSumsBytes(topology.natoms, frameworkAtoms) : 0,
      onResult: (r) => {
        result = r as FrameworkMotionResult;
      },
    },
    frameworkElsewhere: { others, result: () => result },
  };
};

/** Stream a run's frames through the unwrapper (and density grid), then fit D, sigma and the Haven ratio. */
export const analyseTransport = async (
  frames: AsyncIterable<Structure>,
  options: TransportOptions,
): Promise<TransportRun> => {
  const pool: { workers?: MsdWorkers } = {};
  try {
    return await analyseTransportWith(frames, options, pool);
  } finally {
    pool.workers?.close();
  }
};

const analyseTransportWith = async (
  frames: AsyncIterable<Structure>,
  options: TransportOptions,
  /** Worker threads for the MSD, started once the run is long enough to use them (closed by the caller). */
  pool: { workers?: MsdWorkers },
): Promise<TransportRun> => {
  const threads = options.threads ?? 1;
  let recorder: DisplacementRecorder | undefined;
  let grid: DensityGridAccumulator | undefined;
  let first: Structure | undefined;
  let count = 0;
  const notes: string[] = [];
  // The file's frame times, checked as they stream so that an uneven one can be named by its
  // place in the file (issue 25 item 16): the first gap sets the spacing, as below.
  let firstTimeFs = Number.NaN;
  let firstGapFs = Number.NaN;
  let previousTimeFs = Number.NaN;
  let uneven: { frame: number; source?: SourceLocation } | undefined;
  // The file's step numbers, the same way (issue 25 item 6): when every frame has one and they
  // rise evenly, they say how many integrator steps apart the frames are.
  let stepsKnown = true;
  let firstStep = Number.NaN;
  let stepGap = Number.NaN;
  let previousStep = Number.NaN;
  let unevenStep: { frame: number; step: number; gap: number; source?: SourceLocation } | undefined;
  for await (const s of frames) {
    const step = s.frame.step;
    if (step === undefined || !Number.isFinite(step)) stepsKnown = false;
    else if (count === 0) firstStep = step;
    else if (count === 1) stepGap = step - firstStep;
    else if (!unevenStep && step - previousStep !== stepGap)
      unevenStep = { frame: count, step, gap: step - previousStep, source: s.source };
    previousStep = step ?? Number.NaN;
    const t = s.frame.timeFs ?? Number.NaN;
    if (count === 0) firstTimeFs = t;
    else if (count === 1) {
      firstGapFs = t - firstTimeFs;
      if (!(firstGapFs > 0)) uneven = { frame: 1, source: s.source };
    } else if (!uneven && !evenGap(t - previousTimeFs, firstGapFs))
      uneven = { frame: count, source: s.source };
    previousTimeFs = t;
    if (!first) {
      // A copy of the first frame's positions: a reader may reuse its array frame by frame
      // (reusePositions), and the first frame is kept for density files.
      first = { ...s, frame: { ...s.frame, positions: s.frame.positions.slice() } };
      const { selected, framework } = transportAtoms(s.topology, options);
      recorder = new DisplacementRecorder(s.topology.natoms, {
        selected,
        framework,
        unwrapped: options.unwrapped ?? 'auto',
        others: options.elementMsd === true,
        expectedFrames: options.frameCount?.(),
        driftElsewhere: options.frameworkElsewhere !== undefined,
        othersElsewhere: options.frameworkElsewhere?.others === true,
      });
      if (options.densityGridSpacingA !== undefined) {
        if (!s.frame.lattice) throw new OptionError('a density grid needs a periodic cell');
        grid = new DensityGridAccumulator(s.frame.lattice, options.densityGridSpacingA, recorder.selected);
      }
    } else if (s.topology.natoms !== first.topology.natoms)
      throw new OptionError(
        `frame ${count} has ${s.topology.natoms} atoms; the first had ${first.topology.natoms}`,
      );
    recorder!.push(s.frame);
    grid?.push(s.frame);
    count++;
    // Once the run is long enough for the MSD to use worker threads, start them: they load their
    // modules while the rest of the frames are read (the other elements' MSD then runs on one of
    // them, after its share of the tracer sums).
    if (!pool.workers && msdUsesThreads(recorder!.selected.length, count, threads)) {
      pool.workers = new MsdWorkers(Math.max(Math.floor(threads) - 1, options.elementMsd === true ? 1 : 0));
      const expected = options.frameCount?.();
      if (expected !== undefined) pool.workers.prepare(expected);
    }
    if (count % 256 === 0) options.onProgress?.('frames', count, 0);
  }
  if (!first || !recorder) throw new OptionError('the run has no frames');
  if (count < 3) throw new OptionError(`the run has ${count} frame(s); an MSD fit needs many more`);
  const d = recorder.result(options.frameworkElsewhere?.result());

  // Time between frames: the option, else the file's frame times, else its integrator step.
  let frameIntervalFs: number;
  let frameIntervalFrom: TransportResult['frameIntervalFrom'];
  if (options.frameStep !== undefined && !(Number.isInteger(options.frameStep) && options.frameStep >= 1))
    throw new OptionError(`\`frameStep\` must be a whole number >= 1, got ${options.frameStep}`, {
      option: 'frameStep',
    });
  // Steps that all stay the same (a DCD with NSAVC 0) or fall count nothing.
  const fileSteps = stepsKnown && stepGap > 0 ? stepGap : undefined;
  if (fileSteps !== undefined && unevenStep) {
    const what = `frames evenly spaced in steps (frame ${unevenStep.frame + 1} is ${unevenStep.gap} steps after frame ${unevenStep.frame}, not ${fileSteps})`;
    const at = unevenStep.source;
    if (at)
      throw new ParseError({
        file: at.file,
        line: at.line,
        byteOffset: at.byteOffset,
        expected: what,
        found: `step ${unevenStep.step}`,
      });
    throw new OligolyteError(`the file's step numbers are unusable: expected ${what}`);
  }
  // The file's step numbers are the truth about the steps between frames: an option that says
  // otherwise made D wrong by their ratio, silently (10 steps apart, frameStep 1: D 10x too large).
  if (fileSteps !== undefined && options.frameStep !== undefined && options.frameStep !== fileSteps)
    throw new OptionError(
      `\`frameStep\` is ${options.frameStep}, but the frames are ${fileSteps} integrator steps apart by the file's step numbers (${firstStep}, ${firstStep + fileSteps}, ...): leave \`frameStep\` out, or give ${fileSteps}`,
      { option: 'frameStep' },
    );
  const frameStep = options.frameStep ?? fileSteps ?? 1;
  const frameStepFrom: TransportResult['frameStepFrom'] =
    options.frameStep !== undefined ? 'option' : fileSteps !== undefined ? 'file steps' : 'assumed';
  if (options.timeStepFs !== undefined) {
    if (!(options.timeStepFs > 0))
      throw new OptionError(`\`timeStepFs\` must be positive, got ${options.timeStepFs}`, {
        option: 'timeStepFs',
      });
    frameIntervalFs = options.timeStepFs * frameStep;
    frameIntervalFrom = 'option';
    // Frame times in the file that disagree: the option wins (files with times in other units
    // exist), but say so.
    const fileGapFs = d.timesFs[1] - d.timesFs[0];
    if (Number.isFinite(fileGapFs) && !evenGap(frameIntervalFs, fileGapFs))
      notes.push(
        `the file's frame times are ${fs(fileGapFs)} fs apart; the time step and steps given make ${fs(frameIntervalFs)} fs, which is used`,
      );
  } else if (Number.isFinite(d.timesFs[0]) && Number.isFinite(d.timesFs[1])) {
    frameIntervalFs = d.timesFs[1] - d.timesFs[0];
    const t = d.timesFs;
    for (let k = 1; k < t.length; k++) {
      const gap = t[k] - t[k - 1];
      if (!(gap > 0) || !evenGap(gap, frameIntervalFs)) {
        const what =
          k === 1
            ? `frame times that increase (frame 2 is ${fs(gap)} fs after frame 1)`
            : `frames evenly spaced in time (frame ${k + 1} is ${fs(gap)} fs after frame ${k}, not ${fs(frameIntervalFs)} fs)`;
        const at = uneven?.frame === k ? uneven.source : undefined;
        if (at)
          throw new ParseError({
            file: at.file,
            line: at.line,
            byteOffset: at.byteOffset,
            expected: what,
            found: `time ${fs(t[k])} fs`,
          });
        throw new OptionError(`the file's frame times are unusable: expected ${what}`);
      }
    }
    frameIntervalFrom = 'file times';
    if (options.frameStep !== undefined && fileSteps === undefined)
      notes.push("the frames' times in the file set the time between them; the frame step given is not used");
  } else if (first.run?.timeStepFs !== undefined) {
    if (!(first.run.timeStepFs > 0)) throw fileValueError(first, 'timeStepFs', 'a positive time step (fs)');
    frameIntervalFs = first.run.timeStepFs * frameStep;
    frameIntervalFrom = 'file time step';
    if (frameStepFrom === 'assumed')
      notes.push(
        `time between frames taken as the integrator step ${first.run.timeStepFs} fs (give --frame-step if frames were saved less often)`,
      );
  } else
    throw new OptionError(
      'the file does not say how far apart its frames are: give `timeStepFs` (and `frameStep`)',
      { option: 'timeStepFs' },
    );
  if (!(frameIntervalFs > 0)) throw new OptionError(`the time between frames is ${frameIntervalFs} fs`);

  const temperatureK = options.temperatureK ?? first.run?.temperatureK;
  if (options.temperatureK === undefined && temperatureK !== undefined && !(temperatureK > 0))
    throw fileValueError(
      first,
      'temperatureK',
      'a positive temperature (K) for the conductivity (or give `temperatureK`)',
    );
  if (temperatureK === undefined)
    throw new OptionError('the file does not give the temperature: give `temperatureK`', {
      option: 'temperatureK',
    });
  if (first.run?.temperatureEndK !== undefined && first.run.temperatureEndK !== first.run.temperatureK)
    notes.push(
      `the thermostat ran from ${first.run.temperatureK} to ${first.run.temperatureEndK} K; ${temperatureK} K is used`,
    );
  const charge = options.charge ?? carrierCharge(options.species);
  let volume = 0;
  let nv = 0;
  for (const v of d.volumesA3)
    if (Number.isFinite(v)) {
      volume += v;
      nv++;
    }
  if (nv === 0) throw new OptionError('no frame has a cell: the conductivity needs a volume');
  volume /= nv;

  if (!d.driftCorrected) notes.push('no framework atoms: the displacements are not drift-corrected');
  const lags = statisticsLags(count, options.lags ?? 100);
  // The other elements' MSD on a worker, once the tracer sums are in: it then runs beside this
  // thread's curves and fits instead of competing with the tracer sums for the cores (on two
  // cores the tracer sums then took about 250 ms instead of 290 on the benchmark DCD).
  const topology = first.topology;
  let elementJob: Promise<ElementMsd[]> | undefined;
  const startElementJob = () => {
    if (!d.others || !pool.workers) return;
    elementJob = elementMsdsThreaded(
      d.others.sparseData,
      Array.from({ length: topology.natoms }, (_, i) => topology.symbol(i)),
      [...(options.axes ?? [0, 1, 2])],
      pool.workers,
    );
    // (Awaited below; a failure before then must not go unhandled.)
    elementJob.catch(() => undefined);
  };
  const msd = await computeMsdThreaded(
    d,
    {
      axes: options.axes,
      statisticsLags: lags,
      origins: options.origins,
      charges: new Float64Array(d.atoms).fill(charge),
      onProgress: (a, b) => options.onProgress?.('msd', a, b),
      onSumsDone: startElementJob,
    },
    threads,
    pool.workers,
  );
  const diffusivity = fitDiffusivity(msd, {
    frameIntervalFs,
    fitStartPs: options.fitStartPs,
    fitEndPs: options.fitEndPs,
    covariance: options.covariance,
  });
  if (!msd.allOrigins)
    notes.push('long run: the variance of each lag is estimated from origins spaced lag/8 apart (see docs)');
  // sigma_NE = n z^2 e^2 D / (k_B T); the charge MSD already carries z^2, so it takes the z = 1 factor.
  const factor1 = nernstEinsteinFactor(d.atoms, volume, temperatureK, 1);
  const ne = scaleEstimate(diffusivity.glsCm2PerS, factor1 * charge * charge);
  const chargeSigma = scaleEstimate(diffusivity.collectiveCm2PerS, factor1);
  const haven = havenRatio(ne, chargeSigma);
  if (Number.isNaN(haven.value))
    notes.push('the charge MSD gives no positive conductivity in this window: no Haven ratio');
  const result: TransportResult = {
    species: options.species,
    carriers: d.atoms,
    charge,
    temperatureK,
    temperatureFrom: options.temperatureK !== undefined ? 'option' : 'file',
    frames: count,
    frameIntervalFs,
    frameIntervalFrom,
    ...(frameIntervalFrom === 'file times' && fileSteps === undefined ? {} : { frameStep, frameStepFrom }),
    durationPs: ((count - 1) * frameIntervalFs) / 1000,
    volumeA3: volume,
    frameworkAtoms: recorder.framework.length,
    driftCorrected: d.driftCorrected,
    unwrapping: d.unwrappedHere ? 'minimum image' : 'input',
    statisticsLags: lags.length,
    allOrigins: msd.allOrigins,
    covariance: options.covariance ?? 'random-walk',
    diffusivity,
    conductivity: {
      nernstEinsteinMsPerCm: ne,
      chargeMsdMsPerCm: chargeSigma,
      havenRatio: haven,
      factor: factor1 * charge * charge,
    },
    notes: [...notes, ...diffusivity.notes],
  };
  if (d.others) {
    const topo = first.topology;
    const elements = elementJob
      ? await elementJob
      : elementMsds(d.others, (i) => topo.symbol(i), options.axes);
    result.otherElements = elements.map((e) => ({
      element: e.element,
      atoms: e.atoms,
      lagsPs: Array.from(e.lagsFrames, (m) => (m * frameIntervalFs) / 1000),
      msdA2: e.curves.total,
    }));
  }
  if (options.compat) {
    const p = pymatgenDiffusionAnalysis(d, { frameIntervalFs, ...options.compat });
    // pymatgen's conversion factor uses the first structure's volume.
    const f = nernstEinsteinFactor(d.atoms, first.frame.lattice!.volume, temperatureK, charge);
    result.pymatgen = {
      ...p,
      conductivityMsPerCm: p.diffusivity * f,
      conductivityStdMsPerCm: p.diffusivityStd * f,
      chargeConductivityMsPerCm: p.chargeDiffusivity * f,
      havenRatio: p.diffusivity / p.chargeDiffusivity,
    };
  }
  return { result, msd, displacements: d, density: grid?.result(), first };
};

/** Does a gap between frame times match the first one (to 1e-6 relative, 1e-9 fs absolute)? */
const evenGap = (gap: number, first: number): boolean =>
  Math.abs(gap - first) <= 1e-6 * Math.abs(first) + 1e-9;

/** A time in fs for a message, without float noise. */
const fs = (v: number): string => String(Number(v.toPrecision(10)));

/**
 * A run value from the file that the analysis cannot use: a ParseError at its place in the file
 * when the reader recorded it (a bad value in a file is the file's fault), else an OptionError.
 */
const fileValueError = (
  first: Structure,
  key: 'timeStepFs' | 'temperatureK',
  expected: string,
): ParseError | OptionError => {
  const value = first.run?.[key];
  const at = first.run?.sources?.[key];
  if (at)
    return new ParseError({
      file: at.file,
      line: at.line,
      column: at.column,
      byteOffset: at.byteOffset,
      expected,
      found: `${at.key ?? key} = ${value}`,
    });
  return new OptionError(`the file gives ${key} = ${value}; expected ${expected}`, { option: key });
};
