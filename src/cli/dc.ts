import type { Command } from 'commander';
import { OptionError } from '../core/errors.js';
import {
  type CurrentFileOptions,
  electronicFromFile,
  transferenceFromFiles,
} from '../experiment/lab-files.js';
import {
  electronicCsv,
  electronicTable,
  transferenceCsv,
  transferenceTable,
} from '../experiment/report/lab-report.js';
import {
  addFitOptions,
  addOutputOptions,
  addPelletOptions,
  addSpectrumOptions,
  type FitCliOptions,
  fitOptions,
  type PelletCliOptions,
  parseNames,
  pelletOptions,
  report,
  type SpectrumCliOptions,
  spectrumFileOptions,
} from './eis-options.js';
import { isPositive, parseNumber } from './number-option.js';

interface CurrentCli {
  dv: string;
  timeColumn?: string;
  currentColumn?: string;
  currentUnit?: string;
  steadyFraction: string;
}

const addCurrentOptions = (cmd: Command): Command =>
  cmd
    .requiredOption('--dv <V>', 'applied polarisation dV (V), e.g. 0.1')
    .option('--time-column <name>', 'time column (s) (default: the first named time...)')
    .option('--current-column <name>', 'current column (default: the first named I or current...)')
    .option('--current-unit <u>', 'unit of the current when its column name does not say: A, mA, uA, nA')
    .option('--steady-fraction <f>', 'fraction of the record at its end averaged for I_ss', '0.1');

const currentOptions = (o: CurrentCli): { dv: number; read: CurrentFileOptions } => {
  if (o.currentUnit !== undefined && !['A', 'mA', 'uA', 'nA'].includes(o.currentUnit))
    throw new OptionError(`--current-unit: "${o.currentUnit}" is not A, mA, uA or nA`);
  return {
    dv: parseNumber(o.dv, '--dv', (v) => v !== 0, 'a non-zero voltage in V'),
    read: {
      timeColumn: o.timeColumn,
      currentColumn: o.currentColumn,
      currentUnit: o.currentUnit as CurrentFileOptions['currentUnit'],
      steadyFraction: parseNumber(
        o.steadyFraction,
        '--steady-fraction',
        (v) => v > 0 && v < 1,
        'a fraction between 0 and 1',
      ),
    },
  };
};

/** `oligolyte dc`: DC polarisation: transference number, electronic conductivity. */
export const registerDc = (program: Command): void => {
  const dc = program
    .command('dc')
    .description(
      'DC polarisation: Li transference number (symmetric Li cells), electronic conductivity (blocking electrodes)',
    );

  type TransferenceCli = CurrentCli &
    SpectrumCliOptions &
    FitCliOptions & {
      rb?: string;
      rint0?: string;
      rintSs?: string;
      before?: string;
      after?: string;
      bulk?: string;
      interface?: string;
    };
  addOutputOptions(
    addFitOptions(
      addSpectrumOptions(
        addCurrentOptions(
          dc
            .command('transference')
            .description(
              "t_Li from a current-time record (CSV/TSV with named columns, or EC-Lab .mpt) and the resistances: by the study's (Watanabe) form I_ss R_b / (dV - I_ss R_int,ss) and by Bruce-Vincent; resistances given (--rb, --rint0, --rint-ss) or fitted from the spectra before and after (--before, --after, --circuit, --bulk, --interface)",
            )
            .argument('<current-time>', 'the polarisation record'),
        )
          .option('--rb <ohm>', 'bulk resistance R_b (ohm)')
          .option('--rint0 <ohm>', 'interfacial resistance before polarisation (ohm)')
          .option('--rint-ss <ohm>', 'interfacial resistance at steady state (ohm)')
          .option('--before <spectrum>', 'impedance spectrum before polarisation')
          .option('--after <spectrum>', 'impedance spectrum at steady state')
          .option('--bulk <names>', 'circuit parameter(s) that make R_b, e.g. R0')
          .option('--interface <names>', 'circuit parameter(s) that make R_int, e.g. R1 or R1+R2'),
      ),
      false,
    ),
    'one row: dV, I_0, I_ss, resistances, t (both forms)',
  ).action(async (file: string, o: TransferenceCli) => {
    const { dv, read } = currentOptions(o);
    const ohm = (v: string | undefined, flag: string) =>
      parseNumber(v, flag, (x) => x >= 0, 'a resistance >= 0 in ohm');
    const resistances = {
      bulkOhm: parseNumber(o.rb, '--rb', isPositive, 'a positive resistance in ohm'),
      interfaceInitialOhm: ohm(o.rint0, '--rint0'),
      interfaceSteadyOhm: ohm(o.rintSs, '--rint-ss'),
      before: o.before,
      after: o.after,
      circuit: o.circuit,
      bulk: parseNames(o.bulk),
      interface: parseNames(o.interface),
      fit: fitOptions(o),
      spectra: spectrumFileOptions(o),
    };
    await report(
      () => transferenceFromFiles(file, dv, resistances, read),
      transferenceTable,
      o,
      (r) => ({ units: { voltage: 'V', current: 'A', resistance: 'ohm' }, ...r }),
      transferenceCsv,
    );
  });

  addOutputOptions(
    addPelletOptions(
      addCurrentOptions(
        dc
          .command('electronic')
          .description(
            'electronic conductivity I_ss L / (dV A) (S/cm) from a polarisation between ion-blocking electrodes (Hebb-Wagner)',
          )
          .argument('<current-time>', 'the polarisation record'),
      ),
    ),
    'one row: dV, I_ss, sigma_e (S/cm)',
  ).action(async (file: string, o: CurrentCli & PelletCliOptions & { json?: string; csv?: string }) => {
    const { dv, read } = currentOptions(o);
    const pellet = pelletOptions(o);
    await report(
      () => electronicFromFile(file, dv, pellet, read),
      electronicTable,
      o,
      (r) => ({ units: { voltage: 'V', current: 'A', sigma: 'S/cm' }, ...r }),
      electronicCsv,
    );
  });
};
