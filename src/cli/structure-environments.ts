import { type Command, Option } from 'commander';
import {
  analyseEnvironmentFiles,
  environmentsTable,
  writeEnvironmentsCsv,
  writeEnvironmentsJson,
} from '../analysis/structure/environments-report.js';
import { OptionError } from '../core/errors.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';
import {
  addStructureOptions,
  analyseAndReport,
  frameIntervalOption,
  parseCutoffList,
  parseList,
  type StructureCliOptions,
  structureReadOptions,
  withFlags,
} from './structure-common.js';

interface EnvironmentsCliOptions extends StructureCliOptions {
  centre: string;
  neighbours?: string;
  cutoffs?: string;
  hysteresis: string;
  cutoffFrames: string;
  cutoffRmax: string;
  timeStep?: string;
  frameStep?: string;
  maxLag?: string;
  shapeEvery: string;
  centring: 'vertices' | 'with-centre';
}

/** The library options of this command's errors and their flags here. */
const FLAGS: Record<string, string> = {
  centre: '--centre',
  neighbours: '--neighbours',
  cutoffsA: '--cutoffs',
  hysteresisA: '--hysteresis',
  cutoffFrames: '--cutoff-frames',
  frameIntervalFs: '--time-step',
  maxLagPs: '--max-lag',
  shapeEvery: '--shape-every',
  rMaxA: '--cutoff-rmax',
};

const ELEMENT = /^[A-Z][a-z]?$/;

/** Parse "O=2.6,Cl=3.1" into cut-offs by element (A). */
export const parseCutoffs = (s: string): Record<string, number> =>
  parseCutoffList(s, '--cutoffs', ELEMENT, 'ELEMENT=DISTANCE (O=2.6)');

/** `oligolyte structure environments`: coordination environments, populations, lifetimes, polyhedra. */
export const registerStructureEnvironments = (structure: Command): void => {
  addStructureOptions(
    structure
      .command('environments')
      .description(
        'coordination environments of each centre (Li) frame by frame: labels Li[OnClm], CN classes and the NMR classes Li[Cl6] / Li[OnCl5-n] / Li[OmCl4-m]; populations with block-averaged errors, residence lifetimes, transition matrices, polyhedron shapes (continuous symmetry measures)',
      )
      .argument('<runs...>', 'trajectory files, one run each')
      .option('--centre <element>', 'element of the centres', 'Li')
      .option(
        '--neighbours <list>',
        'neighbour elements, in label order: "O,Cl" (default: those of N, O, F, S, Cl, Se, Br, I in the run)',
      )
      .option(
        '--cutoffs <list>',
        'cut-offs around the centre, A: "O=2.6,Cl=3.1" (default: the first minimum of each partial g(r))',
      )
      .option(
        '--hysteresis <A>',
        'two cut-offs r -+ A/2: a neighbour enters inside the inner, leaves beyond the outer',
        '0',
      )
      .option(
        '--cutoff-frames <n>',
        'frames whose g(r) gives the cut-offs: the first n, or "all" (reads the run twice)',
        '100',
      )
      .option('--cutoff-rmax <A>', 'largest distance of the g(r) searched for the cut-offs, A', '6')
      .option(
        '--time-step <fs>',
        "integrator time step, fs; with --frame-step, the time between stored frames (overrides the file's frame times)",
      )
      .option('--frame-step <n>', 'integrator steps between stored frames (with --time-step; default 1)')
      .option(
        '--max-lag <ps>',
        'longest lag of the residence correlation functions, ps (default: half the run)',
      )
      .option('--shape-every <n>', 'measure polyhedron shapes every n frames (0: never)', '1')
      .addOption(
        new Option(
          '--centring <how>',
          'shape measure: the vertices on their centroid, or with the central atom (SHAPE, ChemEnv)',
        )
          .choices(['vertices', 'with-centre'])
          .default('vertices'),
      ),
    'the continuous and intermittent residence correlation functions of every label, NMR class and CN as CSV',
  ).action(async (runs: string[], o: EnvironmentsCliOptions) => {
    const read = await structureReadOptions(o);
    const centre = o.centre.trim();
    if (!ELEMENT.test(centre)) throw new OptionError(`--centre: "${o.centre}" is not an element symbol`);
    const neighbours = o.neighbours === undefined ? undefined : parseList(o.neighbours);
    if (neighbours) {
      if (neighbours.length === 0) throw new OptionError('--neighbours: no elements given');
      for (const e of neighbours)
        if (!ELEMENT.test(e)) throw new OptionError(`--neighbours: "${e}" is not an element symbol`);
    }
    const cutoffsA = o.cutoffs === undefined ? undefined : parseCutoffs(o.cutoffs);
    if (cutoffsA && neighbours)
      for (const e of Object.keys(cutoffsA))
        if (!neighbours.includes(e))
          throw new OptionError(`--cutoffs: ${e} is not among the neighbours (${neighbours.join(', ')})`);
    const hysteresisA = parseNumber(o.hysteresis, '--hysteresis', (v) => v >= 0, 'a width >= 0 in A')!;
    const cutoffFrames =
      o.cutoffFrames.trim().toLowerCase() === 'all'
        ? ('all' as const)
        : parseNumber(o.cutoffFrames, '--cutoff-frames', isWholeAtLeastOne, 'a whole number >= 1 or "all"')!;
    const rMaxA = parseNumber(o.cutoffRmax, '--cutoff-rmax', isPositive, 'a positive distance in A')!;
    // The time between the frames analysed: a --frames step skips stored frames too.
    const frameIntervalFs = frameIntervalOption(o, read.frames?.step);
    const maxLagPs = parseNumber(o.maxLag, '--max-lag', isPositive, 'a positive time in ps');
    const shapeEvery = parseNumber(
      o.shapeEvery,
      '--shape-every',
      (v) => Number.isInteger(v) && v >= 0,
      'a whole number >= 0',
    )!;

    await analyseAndReport(
      (onFileProgress) =>
        analyseEnvironmentFiles(runs, {
          centre,
          neighbours,
          cutoffsA,
          hysteresisA,
          cutoffFrames,
          cutoffSearch: { rMaxA },
          frameIntervalFs,
          maxLagPs,
          shapeEvery,
          centring: o.centring,
          read,
          onFileProgress,
        }),
      environmentsTable,
      [
        [o.json, writeEnvironmentsJson],
        [o.csv, writeEnvironmentsCsv],
      ],
      (e) => withFlags(e, FLAGS),
    );
  });
};
