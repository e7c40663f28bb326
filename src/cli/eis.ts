import type { Command } from 'commander';
import { OptionError } from '../core/errors.js';
import {
  conductivityArrheniusFiles,
  conductivityFiles,
  fitSpectrumFiles,
  linKKFiles,
} from '../experiment/eis-files.js';
import {
  arrheniusCsv,
  arrheniusJson,
  arrheniusTable,
  conductivityCsv,
  conductivityJson,
  conductivityTable,
  eisFitCsv,
  eisFitJson,
  eisFitTable,
  kkCsv,
  kkTable,
} from '../experiment/report/eis-report.js';
import { LINKK_FIT_TYPES, type LinKKFitType } from '../experiment/validation/lin-kk.js';
import {
  addFitOptions,
  addOutputOptions,
  addPelletOptions,
  addSpectrumOptions,
  type FitCliOptions,
  fitOptions,
  type PelletCliOptions,
  parseNames,
  parseNumberList,
  pelletOptions,
  report,
  type SpectrumCliOptions,
  spectrumFileOptions,
} from './eis-options.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';

type FitCli = SpectrumCliOptions & FitCliOptions;
type ConductivityCli = FitCli & PelletCliOptions & { bulk?: string };

/** `oligolyte eis`: impedance spectra: circuit fits, Lin-KK, conductivity, Arrhenius / VTF. */
export const registerEis = (program: Command): void => {
  const eis = program
    .command('eis')
    .description(
      'impedance spectroscopy: read EC-Lab .mpt, Gamry .DTA, ZPlot .z, Autolab, CH Instruments, Parstat and CSV spectra; fit equivalent circuits, Lin-KK validity, conductivity, Arrhenius/VTF',
    );

  addOutputOptions(
    addFitOptions(
      addSpectrumOptions(
        eis
          .command('fit')
          .description(
            'fit an equivalent circuit (least squares over Re and Im, Levenberg-Marquardt on log parameters, several starts): parameters with standard errors, chi^2, correlations; residuals in --json',
          )
          .argument('<spectra...>', 'impedance files'),
      ),
      true,
    ),
    'one row per file and parameter: value, std_error, unit, sum of squares',
  ).action(async (files: string[], o: FitCli) => {
    if (!o.circuit)
      throw new OptionError('--circuit: give the equivalent circuit, e.g. "R0-p(R1,CPE1)-CPE2"');
    const circuit = o.circuit;
    const read = spectrumFileOptions(o);
    const fit = fitOptions(o);
    await report(
      () => fitSpectrumFiles(files, circuit, { ...read, fit }),
      eisFitTable,
      o,
      eisFitJson,
      eisFitCsv,
    );
  });

  addOutputOptions(
    addSpectrumOptions(
      eis
        .command('kk')
        .description(
          'Lin-KK validity test (Schoenleber et al. 2014, as impedance.py validation.linKK): M RC elements by the mu criterion, residuals per frequency',
        )
        .argument('<spectra...>', 'impedance files')
        .option('--c <mu>', 'mu cut-off choosing M', '0.85')
        .option('--max-m <n>', 'largest number of RC elements', '50')
        .option('--m <n>', 'a fixed number of RC elements instead of the mu criterion')
        .option('--fit-type <t>', `fit to the ${LINKK_FIT_TYPES.join(', ')} part(s)`, 'real'),
    ),
    'residuals per file and frequency: residual_re, residual_im ((Z - Z_KK)/|Z|), the KK fit (ohm)',
  ).action(
    async (
      files: string[],
      o: SpectrumCliOptions & { c: string; maxM: string; m?: string; fitType: string },
    ) => {
      const read = spectrumFileOptions(o);
      if (!LINKK_FIT_TYPES.includes(o.fitType as LinKKFitType))
        throw new OptionError(`--fit-type: "${o.fitType}" is not one of ${LINKK_FIT_TYPES.join(', ')}`);
      const kk = {
        c: parseNumber(o.c, '--c', (v) => v > 0 && v <= 1, 'a number in (0, 1]'),
        maxM: parseNumber(o.maxM, '--max-m', isWholeAtLeastOne, 'a whole number >= 1'),
        m: parseNumber(o.m, '--m', isWholeAtLeastOne, 'a whole number >= 1'),
        fitType: o.fitType as LinKKFitType,
      };
      await report(
        () => linKKFiles(files, { ...read, kk }),
        kkTable,
        o,
        (runs) => ({ runs }),
        kkCsv,
      );
    },
  );

  const conductivityCommand = (name: string, description: string) =>
    addOutputOptions(
      addPelletOptions(
        addFitOptions(
          addSpectrumOptions(
            eis.command(name).description(description).argument('<spectra...>', 'impedance files'),
          ),
          false,
        ),
      ).option(
        '--bulk <names>',
        'the circuit parameter(s) that make R_bulk, summed: "R1" or "R0+R1" (needed when the circuit has several resistors)',
      ),
      'one row per spectrum: R_bulk, sigma (S/cm) with std and 95 % interval',
    );

  conductivityCommand(
    'conductivity',
    'ionic conductivity sigma = L / (R_bulk A) (S/cm; shown in mS/cm) from each spectrum: R_bulk from a circuit fit (--circuit, --bulk) or the high-frequency intercept; interval from the fit and the pellet uncertainties',
  ).action(async (files: string[], o: ConductivityCli) => {
    const read = spectrumFileOptions(o);
    const opts = {
      ...read,
      pellet: pelletOptions(o),
      circuit: o.circuit,
      bulk: parseNames(o.bulk),
      fit: fitOptions(o),
    };
    await report(
      () => conductivityFiles(files, opts),
      conductivityTable,
      o,
      conductivityJson,
      conductivityCsv,
    );
  });

  conductivityCommand(
    'arrhenius',
    'a temperature series of spectra -> sigma(T); Arrhenius of sigma and sigma T (Ea with 95 % interval) and a VTF fit (4+ temperatures), compared by AICc',
  )
    .option('--temperatures <list>', 'temperature of each spectrum (deg C), in file order')
    .option('--temperatures-k <list>', 'temperature of each spectrum (K), instead of --temperatures')
    .action(
      async (files: string[], o: ConductivityCli & { temperatures?: string; temperaturesK?: string }) => {
        if ((o.temperatures === undefined) === (o.temperaturesK === undefined))
          throw new OptionError('give --temperatures (deg C) or --temperatures-k (K), one of the two');
        const t =
          o.temperaturesK !== undefined
            ? (parseNumberList(
                o.temperaturesK,
                '--temperatures-k',
                isPositive,
                'a positive temperature in K',
              ) as number[])
            : (
                parseNumberList(
                  o.temperatures,
                  '--temperatures',
                  (v) => v > -273.15,
                  'a temperature above -273.15 C',
                ) as number[]
              ).map((c) => c + 273.15);
        if (t.length !== files.length)
          throw new OptionError(`--temperatures: ${t.length} values for ${files.length} spectra`);
        const read = spectrumFileOptions(o);
        const opts = {
          ...read,
          pellet: pelletOptions(o),
          circuit: o.circuit,
          bulk: parseNames(o.bulk),
          fit: fitOptions(o),
        };
        await report(
          () => conductivityArrheniusFiles(files, t, opts),
          arrheniusTable,
          o,
          arrheniusJson,
          arrheniusCsv,
        );
      },
    );
};
