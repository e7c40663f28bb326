import { basename, extname } from 'node:path';
import { type Command, Option } from 'commander';
import {
  type ArrheniusSummary,
  analyseTransport,
  arrheniusSummary,
  type Estimate,
  type TransportRun,
} from '../analysis/transport/index.js';
import { OptionError } from '../core/errors.js';
import { formatSignificant } from '../core/format-number.js';
import { detectFormat, readFrames } from '../io/registry.js';
import { TextSink } from '../io/text-sink.js';
import { writeChgcar, writeCube } from '../io/volumetric.js';
import { fileProgress } from './progress.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';

interface TransportCliOptions extends RawReadOptions {
  species: string;
  temperature?: string;
  timeStep?: string;
  frameStep?: string;
  fitStart?: string;
  fitEnd?: string;
  dims: string;
  charge?: string;
  framework?: string;
  elementMsd?: boolean;
  compat?: 'pymatgen';
  smoothed: 'max' | 'constant' | 'none';
  minObs: string;
  avgNsteps: string;
  extrapolate?: string;
  densityGrid?: string;
  densityOut?: string;
  json?: string;
  csv?: string;
  covariance: 'random-walk' | 'kinisi';
  lags: string;
  origins: 'all' | 'auto';
  unwrapped?: boolean;
  wrapped?: boolean;
}

const number = (value: string | undefined, flag: string, check: (v: number) => boolean, what: string) => {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || !check(v))
    throw new OptionError(`${flag}: "${value}" is not ${what}`);
  return v;
};
const positive = (v: number) => v > 0;

export const registerTransport = (program: Command): void => {
  addReadOptions(
    program
      .command('transport')
      .description(
        'diffusivity (with calibrated 95 % intervals), Nernst-Einstein and charge-MSD conductivity, Haven ratio; ' +
          'an Arrhenius fit and extrapolation for several runs at different temperatures',
      )
      .argument('<runs...>', 'trajectory files, one run (temperature) each')
      .option('--species <element>', 'mobile species', 'Li')
      .option(
        '--temperature <K>',
        'run temperature(s), K: one value, or one per run "600,700,800" (default: from the file)',
      )
      .option('--time-step <fs>', 'integrator time step, fs (default: from the frame times in the file)')
      .option('--frame-step <n>', 'integrator steps between stored frames (default 1)')
      .option(
        '--fit-start <ps>',
        'start of the MSD fit window, ps (default: 10 % of the run, with a warning)',
      )
      .option(
        '--fit-end <ps>',
        'end of the fit window, ps (default: the longest lag with ions x frames / lag >= 30)',
      )
      .option('--dims <axes>', 'axes of the MSD and of D = slope/(2d): xyz, xy, z, ...', 'xyz')
      .option('--charge <e>', 'carrier charge, e (default: +1 for Li, Na, K)')
      .option('--no-element-msd', 'skip the MSD of the other elements (the framework check)')
      .option(
        '--framework <elements>',
        'elements whose mean motion is removed as drift: "Al,O,Cl" (default: all others)',
      )
      .addOption(
        new Option('--compat <tool>', "also compute a peer tool's numbers exactly").choices(['pymatgen']),
      )
      .addOption(
        new Option('--smoothed <mode>', 'with --compat pymatgen: DiffusionAnalyzer smoothed mode')
          .choices(['max', 'constant', 'none'])
          .default('max'),
      )
      .option('--min-obs <n>', 'with --compat pymatgen: min_obs for smoothed max', '30')
      .option('--avg-nsteps <n>', 'with --compat pymatgen: avg_nsteps for smoothed constant', '1000')
      .option(
        '--extrapolate <K>',
        'Arrhenius extrapolation temperature, K (default 300 with two or more runs)',
      )
      .option('--density-grid <A>', 'probability density of the species on a grid of this spacing, A')
      .option(
        '--density-out <file>',
        'density file: *.cube (Gaussian cube) or anything else (VASP CHGCAR style)',
      )
      .option('--json <file>', 'all numbers, with units and intervals, as JSON')
      .option('--csv <file>', 'MSD curves at every lag as CSV')
      .addOption(
        new Option('--covariance <model>', 'covariance of the MSD across lags for the GLS fit')
          .choices(['random-walk', 'kinisi'])
          .default('random-walk'),
      )
      .option('--lags <n>', 'number of lags for the statistics and the GLS fit', '100')
      .addOption(
        new Option('--origins <which>', 'time origins for the MSD statistics')
          .choices(['all', 'auto'])
          .default('auto'),
      )
      .option('--unwrapped', 'positions are continuous (unwrapped) in every frame, whatever the file says')
      .option('--wrapped', 'positions are wrapped: always unwrap by the minimum image'),
  ).action(async (runs: string[], o: TransportCliOptions) => {
    const read = await toOpenOptions(o);
    const temps = (o.temperature ?? '')
      .split(',')
      .filter((x) => x.trim() !== '')
      .map((x) => number(x, '--temperature', positive, 'a positive temperature in K')!);
    if (temps.length > 1 && temps.length !== runs.length)
      throw new OptionError(`--temperature: ${temps.length} values for ${runs.length} runs`);
    const axes = [...o.dims].map((c) => 'xyz'.indexOf(c));
    if (axes.length === 0 || axes.some((a) => a < 0) || new Set(axes).size !== axes.length)
      throw new OptionError(`--dims: "${o.dims}" is not a set of the letters x, y, z`);
    if (o.unwrapped && o.wrapped) throw new OptionError('--unwrapped and --wrapped exclude each other');
    if (o.densityOut && !o.densityGrid) throw new OptionError('--density-out needs --density-grid SPACING');
    const isInt = (v: number) => Number.isInteger(v) && v >= 1;
    const common = {
      species: o.species,
      timeStepFs: number(o.timeStep, '--time-step', positive, 'a positive time in fs'),
      frameStep: number(o.frameStep, '--frame-step', isInt, 'a whole number >= 1'),
      fitStartPs: number(o.fitStart, '--fit-start', (v) => v >= 0, 'a time >= 0 in ps'),
      fitEndPs: number(o.fitEnd, '--fit-end', positive, 'a positive time in ps'),
      axes,
      charge: number(o.charge, '--charge', (v) => v !== 0, 'a non-zero charge'),
      elementMsd: o.elementMsd !== false,
      framework: o.framework
        ?.split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      unwrapped: o.unwrapped ? true : o.wrapped ? false : ('auto' as const),
      lags: number(o.lags, '--lags', (v) => isInt(v) && v >= 3, 'a whole number >= 3'),
      origins: o.origins,
      covariance: o.covariance,
      densityGridSpacingA: number(o.densityGrid, '--density-grid', positive, 'a positive spacing in A'),
      compat: o.compat
        ? {
            smoothed: o.smoothed === 'none' ? (false as const) : o.smoothed,
            minObs: number(o.minObs, '--min-obs', isInt, 'a whole number >= 1'),
            avgNsteps: number(o.avgNsteps, '--avg-nsteps', isInt, 'a whole number >= 1'),
          }
        : undefined,
    };
    const extrapolateK = number(o.extrapolate, '--extrapolate', positive, 'a positive temperature in K');

    const done: { file: string; format: string; run: TransportRun }[] = [];
    for (const [k, file] of runs.entries()) {
      const format = (await detectFormat(file, o.from)).name;
      const bar = fileProgress(basename(file));
      try {
        const run = await analyseTransport(readFrames(file, { ...read, onProgress: bar.onProgress }), {
          ...common,
          temperatureK: temps.length === 0 ? undefined : temps[temps.length === 1 ? 0 : k],
        });
        done.push({ file, format, run });
      } finally {
        bar.stop();
      }
    }

    const arrhenius =
      done.length >= 2
        ? arrheniusSummary(
            done.map((d) => d.run.result),
            extrapolateK ?? 300,
          )
        : undefined;
    if (done.length < 2 && extrapolateK !== undefined)
      throw new OptionError('--extrapolate needs runs at two or more temperatures');

    process.stdout.write(summary(done, arrhenius));
    for (const { run } of done) for (const note of run.result.notes) process.stderr.write(`note: ${note}\n`);

    if (o.densityOut)
      for (const { file, run } of done) {
        const out =
          done.length === 1 ? o.densityOut : withSuffix(o.densityOut, basename(file).replace(/\W+/g, '_'));
        if (/\.cube(\.gz)?$/i.test(out)) await writeCube(out, run.first, run.density!);
        else await writeChgcar(out, run.first, run.density!);
        process.stderr.write(`wrote the ${run.result.species} density to ${out}\n`);
      }
    if (o.csv) await writeCsv(o.csv, done);
    if (o.json) {
      const sink = new TextSink(o.json);
      try {
        sink.write(`${JSON.stringify(toJson(done, arrhenius), jsonNumbers, 1)}\n`);
        await sink.commit();
      } catch (e) {
        await sink.abort();
        throw e;
      }
    }
  });
};

const withSuffix = (path: string, suffix: string) => {
  const ext = extname(path);
  return ext ? `${path.slice(0, -ext.length)}-${suffix}${ext}` : `${path}-${suffix}`;
};

const g = (v: number, digits = 4) => formatSignificant(v, digits, 1e-3, 1e6);
const est = (e: Estimate, digits = 4) =>
  `${g(e.value, digits)} +- ${g(e.std, 2)}  [${g(e.low95, 3)}, ${g(e.high95, 3)}]`;

const summary = (
  runs: { file: string; format: string; run: TransportRun }[],
  a?: ArrheniusSummary,
): string => {
  const lines: string[] = [];
  for (const { file, format, run } of runs) {
    const r = run.result;
    const d = r.diffusivity;
    lines.push(`${file}  (${format})`);
    lines.push(
      `  ${r.species}: ${r.carriers} ions, charge ${r.charge}; ${r.frames} frames, ${g(r.frameIntervalFs)} fs apart (${r.frameIntervalFrom}), ${g(r.durationPs)} ps; T = ${g(r.temperatureK)} K (${r.temperatureFrom})`,
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
    lines.push('');
  }
  return lines.join('\n');
};

/** JSON.stringify replacer: typed arrays as arrays, non-finite numbers as null. */
const jsonNumbers = (_key: string, value: unknown): unknown => {
  if (ArrayBuffer.isView(value))
    return Array.from(value as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
};

const toJson = (runs: { file: string; format: string; run: TransportRun }[], a?: ArrheniusSummary) => ({
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

const writeCsv = async (path: string, runs: { file: string; run: TransportRun }[]) => {
  const sink = new TextSink(path);
  try {
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
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
};
