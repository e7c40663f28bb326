import { type Command, Option } from 'commander';
import {
  analyseVdosFiles,
  vdosTable,
  writeVacfCsv,
  writeVdosCsv,
  writeVdosJson,
} from '../analysis/dynamics/vdos-report.js';
import { OligolyteError, OptionError } from '../core/errors.js';
import { psToFs } from '../core/units.js';
import { isPositive, parseNumber } from './number-option.js';
import {
  addStructureOptions,
  analyseAndReport,
  frameIntervalOption,
  parseList,
  type StructureCliOptions,
  structureReadOptions,
  withFlags,
} from './structure-common.js';

interface VdosCliOptions extends StructureCliOptions {
  species?: string;
  maxLag: string;
  timeStep?: string;
  frameStep?: string;
  velocities: 'auto' | 'stored' | 'positions';
  unwrapped?: boolean;
  wrapped?: boolean;
  massWeighted: boolean;
  window: 'hann' | 'none';
  vacfCsv?: string;
}

const FLAGS: Record<string, string> = {
  elements: '--species',
  maxLagFs: '--max-lag',
  frameIntervalFs: '--time-step',
  source: '--velocities',
};

/** `oligolyte structure vdos`: velocity autocorrelation per element and the vibrational density of states. */
export const registerStructureVdos = (structure: Command): void => {
  addStructureOptions(
    structure
      .command('vdos')
      .description(
        'velocity autocorrelation per element (stored velocities, else central differences of unwrapped positions) and the vibrational density of states in THz (mass-weighted, normalised to 3N)',
      )
      .argument('<runs...>', 'trajectory files, one run each')
      .option('--species <list>', 'elements analysed: "Li,Cl" (default: every element)')
      .option('--max-lag <ps>', 'longest lag of the VACF, ps (sets the resolution, ~1/lag)', '2')
      .option('--time-step <fs>', 'integrator time step, fs (default: the frame times)')
      .option('--frame-step <n>', 'integrator steps between stored frames (with --time-step; default 1)')
      .addOption(
        new Option('--velocities <source>', 'stored velocities, central differences of positions, or auto')
          .choices(['auto', 'stored', 'positions'])
          .default('auto'),
      )
      .option('--unwrapped', 'positions are continuous (unwrapped) in every frame, whatever the file says')
      .option('--wrapped', 'positions are wrapped: difference them by the minimum image')
      .option('--no-mass-weighted', 'transform the plain VACF instead of the mass-weighted one')
      .addOption(
        new Option('--window <w>', 'window on the VACF before the transform')
          .choices(['hann', 'none'])
          .default('hann'),
      )
      .option('--vacf-csv <file>', 'the VACF curves as CSV'),
    'the VDOS curves (states per THz) as CSV',
  ).action(async (runs: string[], o: VdosCliOptions) => {
    const read = await structureReadOptions(o);
    const elements = o.species ? parseList(o.species) : undefined;
    if (elements && elements.length === 0) throw new OptionError('--species: no elements given');
    for (const e of elements ?? [])
      if (!/^[A-Z][a-z]?$/.test(e)) throw new OptionError(`--species: "${e}" is not an element symbol`);
    const maxLagFs = psToFs(parseNumber(o.maxLag, '--max-lag', isPositive, 'a positive time in ps')!);
    const frameIntervalFs = frameIntervalOption(o, read.frames?.step);
    if (o.unwrapped && o.wrapped) throw new OptionError('--unwrapped and --wrapped exclude each other');
    await analyseAndReport(
      (onFileProgress) =>
        analyseVdosFiles(runs, {
          elements,
          maxLagFs,
          frameIntervalFs,
          source: o.velocities === 'stored' ? 'velocities' : o.velocities,
          unwrapped: o.unwrapped ? true : o.wrapped ? false : 'auto',
          massWeighted: o.massWeighted !== false,
          window: o.window,
          read,
          onFileProgress,
        }),
      vdosTable,
      [
        [o.json, writeVdosJson],
        [o.csv, writeVdosCsv],
        [o.vacfCsv, writeVacfCsv],
      ],
      (e) => {
        if (e instanceof OligolyteError && e.option === 'unwrapped')
          e.message =
            'the frames have no velocities and their positions are not unwrapped: give frames with velocities, --unwrapped if the positions are continuous, or --wrapped to difference them by the minimum image';
        return withFlags(e, FLAGS);
      },
    );
  });
};
