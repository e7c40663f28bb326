import { type Command, Option } from 'commander';
import {
  analyseConformationFiles,
  conformationsTable,
  writeConformationsCsv,
  writeConformationsJson,
  writeRotationCsv,
} from '../analysis/dynamics/conformations-report.js';
import { OptionError } from '../core/errors.js';
import { isPositive, parseNumber } from './number-option.js';
import {
  addStructureOptions,
  analyseAndReport,
  frameIntervalOption,
  parseBondCutoffs,
  parseList,
  type StructureCliOptions,
  structureReadOptions,
  withFlags,
} from './structure-common.js';

interface ConformationsCliOptions extends StructureCliOptions {
  temperature?: string;
  cutoffThz: string;
  filterOn: 'unfolded' | 'folded';
  eclipsedBelow: string;
  staggeredAbove: string;
  bond?: string;
  timeStep?: string;
  frameStep?: string;
  rotation: boolean;
  rotationCsv?: string;
}

const FLAGS: Record<string, string> = {
  temperaturesK: '--temperature',
  cutoffTHz: '--cutoff-thz',
  filterOn: '--filter-on',
  eclipsedBelowDeg: '--eclipsed-below',
  staggeredAboveDeg: '--staggered-above',
  bondCutoffsA: '--bond',
  frameIntervalFs: '--time-step',
};

/** `oligolyte structure conformations`: Al-O-Al angles, Cl-Al...Al-Cl dihedral jumps, Al-Cl rotation. */
export const registerStructureConformations = (structure: Command): void => {
  addStructureOptions(
    structure
      .command('conformations')
      .description(
        'conformational dynamics of the oligomers: per Al-O-Al link the Al-O-Al angle and the Cl^F-Al...Al-Cl^B dihedral (0 eclipsed, 60 staggered) under an FFT low-pass filter, jumps between the basins with rates and exact Poisson intervals, rotational correlation (P1, P2) of the Al-Cl bonds; an Arrhenius fit of the jump rate for runs at several temperatures',
      )
      .argument('<runs...>', 'trajectory files, one run (temperature) each')
      .option(
        '--temperature <K>',
        'run temperature(s), K: one value, or one per run "300,600" (default: from the file, when it says)',
      )
      .option('--cutoff-thz <THz>', 'low-pass cut-off of the filter, THz', '1')
      .addOption(
        new Option('--filter-on <signal>', 'filter the continuous torsion (then fold) or the folded dihedral')
          .choices(['unfolded', 'folded'])
          .default('unfolded'),
      )
      .option('--eclipsed-below <deg>', 'a link enters the eclipsed basin below this, deg', '20')
      .option('--staggered-above <deg>', 'a link enters the staggered basin above this, deg', '40')
      .option(
        '--bond <pairs>',
        'bond cut-offs that find the links and terminal Cl, A (default Al-O=2.1,Al-Cl=2.6)',
      )
      .option('--time-step <fs>', 'integrator time step, fs (default: the frame times)')
      .option('--frame-step <n>', 'integrator steps between stored frames (with --time-step; default 1)')
      .option('--no-rotation', 'skip the rotational correlation of the Al-Cl bonds')
      .option('--rotation-csv <file>', 'the rotational correlation curves C1(t), C2(t) as CSV'),
    'the per-frame series (angles, dihedral raw and filtered) as CSV',
  ).action(async (runs: string[], o: ConformationsCliOptions) => {
    const read = await structureReadOptions(o);
    const temperaturesK = parseList(o.temperature ?? '').map(
      (x) => parseNumber(x, '--temperature', isPositive, 'a positive temperature in K')!,
    );
    if (temperaturesK.length > 1 && temperaturesK.length !== runs.length)
      throw new OptionError(`--temperature: ${temperaturesK.length} values for ${runs.length} runs`);
    const cutoffTHz = parseNumber(o.cutoffThz, '--cutoff-thz', isPositive, 'a positive frequency in THz')!;
    const inRange = (v: number) => v > 0 && v < 60;
    const eclipsedBelowDeg = parseNumber(
      o.eclipsedBelow,
      '--eclipsed-below',
      inRange,
      'an angle in (0, 60) deg',
    )!;
    const staggeredAboveDeg = parseNumber(
      o.staggeredAbove,
      '--staggered-above',
      inRange,
      'an angle in (0, 60) deg',
    )!;
    if (eclipsedBelowDeg > staggeredAboveDeg)
      throw new OptionError('--eclipsed-below must not be above --staggered-above');
    const bondCutoffsA = o.bond ? parseBondCutoffs(o.bond) : undefined;
    const frameIntervalFs = frameIntervalOption(o, read.frames?.step);
    if (o.rotationCsv && o.rotation === false)
      throw new OptionError('--rotation-csv and --no-rotation exclude each other');
    await analyseAndReport(
      (onFileProgress) =>
        analyseConformationFiles(runs, {
          temperaturesK,
          cutoffTHz,
          filterOn: o.filterOn,
          eclipsedBelowDeg,
          staggeredAboveDeg,
          bondCutoffsA,
          frameIntervalFs,
          rotation: o.rotation !== false,
          read,
          onFileProgress,
        }),
      conformationsTable,
      [
        [o.json, writeConformationsJson],
        [o.csv, writeConformationsCsv],
        [o.rotationCsv, writeRotationCsv],
      ],
      (e) => withFlags(e, FLAGS),
    );
  });
};
