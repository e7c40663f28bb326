import { type Command, Option } from 'commander';
import type { FormFactorModel } from '../analysis/scattering/atomic-form-factors.js';
import {
  analyseSqFile,
  sqTable,
  writeSqCsv,
  writeSqJson,
} from '../analysis/scattering/md-scattering-report.js';
import type { TransformWindow } from '../analysis/scattering/structure-factor.js';
import { isPositive, parseNumber } from './number-option.js';
import { formFactorOption, parseQGrid, type QGridCliOptions, qGridOptions } from './scatter-md-common.js';
import {
  addStructureOptions,
  analyseAndReport,
  type StructureCliOptions,
  structureReadOptions,
} from './structure-common.js';
import { threadsOption } from './threads-option.js';

interface SqCliOptions extends StructureCliOptions, QGridCliOptions {
  neutron?: boolean;
  formFactor: FormFactorModel;
  rmax: string;
  window: TransformWindow;
  threads?: string;
}

/** `oligolyte scatter sq`: total scattering S(Q) and F(Q) of an MD model. */
export const registerScatterSq = (scatter: Command): void => {
  const cmd = scatter
    .command('sq')
    .description(
      "total scattering structure factor of an MD model: Faber-Ziman S(Q), F(Q) = Q [S(Q) - 1] (1/A) and the partial S_ab(Q), from the frames' partial pair distribution functions (every periodic image to --rmax) by the sine transform; X-ray with f(Q) (pymatgen's f(s), or Z) or neutron (b)",
    )
    .argument('<trajectory>', 'trajectory or structure file with a periodic cell');
  for (const q of qGridOptions) cmd.addOption(q);
  addStructureOptions(
    cmd
      .option('--neutron', 'neutron weights (coherent lengths b) instead of X-ray f(Q)')
      .addOption(formFactorOption)
      .option('--rmax <A>', 'range of the pair distribution functions transformed, A', '20')
      .addOption(
        new Option(
          '--window <w>',
          'r-space window of the transform: lorch (damps truncation ripples) or none',
        )
          .choices(['lorch', 'none'])
          .default('lorch'),
      )
      .option('--threads <n>', 'worker threads counting pairs (default: every core)'),
    'Q_per_A, S, F_per_A and each partial S_<pair> as CSV',
  ).action(async (file: string, o: SqCliOptions) => {
    const read = await structureReadOptions(o);
    const qInvA = parseQGrid(o);
    const rMaxA = parseNumber(o.rmax, '--rmax', isPositive, 'a positive distance in A');
    await analyseAndReport(
      (onFileProgress) =>
        analyseSqFile(file, {
          read,
          onFileProgress,
          qInvA,
          weighting: o.neutron ? { radiation: 'N' } : { radiation: 'X', formFactor: o.formFactor },
          window: o.window,
          rMaxA,
          threads: threadsOption(o.threads),
        }),
      sqTable,
      [
        [o.json, writeSqJson],
        [o.csv, writeSqCsv],
      ],
    );
  });
};
