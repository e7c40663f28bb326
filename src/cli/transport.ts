import { basename, extname } from 'node:path';
import { type Command, Option } from 'commander';
import {
  analyseTransportFiles,
  type TransportFilesResult,
  transportTable,
  writeMsdCsv,
  writeTransportJson,
} from '../analysis/transport/report.js';
import { OptionError } from '../core/errors.js';
import { prestartDcdReading } from '../io/read-ahead.js';
import { writeChgcar, writeCube } from '../io/volumetric.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';
import { writeOutputs } from './outputs.js';
import { fileBars } from './progress.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';
import { threadsOption } from './threads-option.js';

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
  threads?: string;
}

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
        'end of the fit window, ps (default: the longest lag with ions x (frames - 1) / lag >= 30)',
      )
      .option('--dims <axes>', 'axes of the MSD and of D = slope/(2d): xyz, xy, z, ...', 'xyz')
      .option('--charge <e>', 'carrier charge, e (default: +1 for Li, Na, K; +2 for Mg, Ca, Zn)')
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
      .option('--wrapped', 'positions are wrapped: always unwrap by the minimum image')
      .option(
        '--threads <n>',
        'threads for the MSD sums (default: every core; small runs use one; the numbers are the same for a given count)',
      ),
  ).action(async (runs: string[], o: TransportCliOptions) => {
    // A DCD with a topology and more than one thread is read on a thread of its own: start it
    // while the topology is read (analyseTransportFiles takes it, or it ends with the process).
    const threads = threadsOption(o.threads);
    if (o.topology && runs.some((r) => /\.dcd$/i.test(r)) && threads > 1) prestartDcdReading();
    const read = await toOpenOptions(o);
    const temps = (o.temperature ?? '')
      .split(',')
      .filter((x) => x.trim() !== '')
      .map((x) => parseNumber(x, '--temperature', isPositive, 'a positive temperature in K'));
    if (temps.length > 1 && temps.length !== runs.length)
      throw new OptionError(`--temperature: ${temps.length} values for ${runs.length} runs`);
    const axes = [...o.dims].map((c) => 'xyz'.indexOf(c));
    if (axes.length === 0 || axes.some((a) => a < 0) || new Set(axes).size !== axes.length)
      throw new OptionError(`--dims: "${o.dims}" is not a set of the letters x, y, z`);
    if (o.unwrapped && o.wrapped) throw new OptionError('--unwrapped and --wrapped exclude each other');
    if (o.densityOut && !o.densityGrid) throw new OptionError('--density-out needs --density-grid SPACING');
    const common = {
      species: o.species,
      timeStepFs: parseNumber(o.timeStep, '--time-step', isPositive, 'a positive time in fs'),
      frameStep: parseNumber(o.frameStep, '--frame-step', isWholeAtLeastOne, 'a whole number >= 1'),
      fitStartPs: parseNumber(o.fitStart, '--fit-start', (v) => v >= 0, 'a time >= 0 in ps'),
      fitEndPs: parseNumber(o.fitEnd, '--fit-end', isPositive, 'a positive time in ps'),
      axes,
      charge: parseNumber(o.charge, '--charge', (v) => v !== 0, 'a non-zero charge'),
      elementMsd: o.elementMsd !== false,
      framework: o.framework
        ?.split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      unwrapped: o.unwrapped ? true : o.wrapped ? false : ('auto' as const),
      lags: parseNumber(o.lags, '--lags', (v) => isWholeAtLeastOne(v) && v >= 3, 'a whole number >= 3'),
      origins: o.origins,
      covariance: o.covariance,
      threads,
      densityGridSpacingA: parseNumber(
        o.densityGrid,
        '--density-grid',
        isPositive,
        'a positive spacing in A',
      ),
      compat: o.compat
        ? {
            smoothed: o.smoothed === 'none' ? (false as const) : o.smoothed,
            minObs: parseNumber(o.minObs, '--min-obs', isWholeAtLeastOne, 'a whole number >= 1'),
            avgNsteps: parseNumber(o.avgNsteps, '--avg-nsteps', isWholeAtLeastOne, 'a whole number >= 1'),
          }
        : undefined,
    };
    const extrapolateK = parseNumber(
      o.extrapolate,
      '--extrapolate',
      isPositive,
      'a positive temperature in K',
    );
    if (runs.length < 2 && extrapolateK !== undefined)
      throw new OptionError('--extrapolate needs runs at two or more temperatures');

    const bars = fileBars();
    let result: TransportFilesResult;
    try {
      result = await analyseTransportFiles(runs, {
        ...common,
        temperaturesK: temps,
        extrapolateK,
        read,
        onFileProgress: bars.onFileProgress,
      });
    } finally {
      bars.stop();
    }
    const done = result.runs;

    process.stdout.write(transportTable(result));
    for (const { run } of done) for (const note of run.result.notes) process.stderr.write(`note: ${note}\n`);

    // Every output is tried: one that cannot be written is an error (exit 1) naming it, after
    // the others are written.
    const outputs: Parameters<typeof writeOutputs>[0] = [];
    const densityOut = o.densityOut;
    if (densityOut)
      for (const { file, run } of done) {
        const out =
          done.length === 1 ? densityOut : withSuffix(densityOut, basename(file).replace(/\W+/g, '_'));
        outputs.push({
          path: out,
          write: () =>
            /\.cube(\.gz)?$/i.test(out)
              ? writeCube(out, run.first, run.density!)
              : writeChgcar(out, run.first, run.density!),
          done: `wrote the ${run.result.species} density to ${out}`,
        });
      }
    const csv = o.csv;
    if (csv) outputs.push({ path: csv, write: () => writeMsdCsv(csv, result) });
    const json = o.json;
    if (json) outputs.push({ path: json, write: () => writeTransportJson(json, result) });
    await writeOutputs(outputs);
  });
};

const withSuffix = (path: string, suffix: string) => {
  const ext = extname(path);
  return ext ? `${path.slice(0, -ext.length)}-${suffix}${ext}` : `${path}-${suffix}`;
};
