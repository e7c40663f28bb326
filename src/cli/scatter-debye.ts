import type { Command } from 'commander';
import type { FormFactorModel } from '../analysis/scattering/atomic-form-factors.js';
import {
  analyseDebyeFile,
  debyeTable,
  writeDebyeCsv,
  writeDebyeJson,
} from '../analysis/scattering/md-scattering-report.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';
import { formFactorOption, parseQGrid, type QGridCliOptions, qGridOptions } from './scatter-md-common.js';
import {
  addStructureOptions,
  analyseAndReport,
  type StructureCliOptions,
  structureReadOptions,
} from './structure-common.js';

interface DebyeCliOptions extends StructureCliOptions, QGridCliOptions {
  formFactor: FormFactorModel;
  diameter?: string;
  centres: string;
  bin: string;
}

/** `oligolyte scatter debye`: the Debye-equation pattern of a model's frames as finite clusters. */
export const registerScatterDebye = (scatter: Command): void => {
  const cmd = scatter
    .command('debye')
    .description(
      "X-ray scattering I(Q) of a model by the Debye equation (each frame a finite cluster, as ASE's XrDebye; or spherical cut-outs of a periodic model with --diameter), with f(Q) = pymatgen's f(s) or Z: I(Q) (electrons^2), I(Q)/N and the Faber-Ziman S(Q), for the amorphous halo",
    )
    .argument('<trajectory>', 'trajectory or structure file');
  for (const q of qGridOptions) cmd.addOption(q);
  addStructureOptions(
    cmd
      .addOption(formFactorOption)
      .option(
        '--diameter <A>',
        'cut spheres of this diameter (A) out of each periodic frame (every image inside)',
      )
      .option('--centres <n>', 'cut-outs per frame (with --diameter)', '1')
      .option('--bin <A>', 'pair-distance bin, A (at most 0.001)', '0.001'),
    'Q_per_A, I_e2, I_per_atom_e2, S as CSV',
  ).action(async (file: string, o: DebyeCliOptions) => {
    const read = await structureReadOptions(o);
    const qInvA = parseQGrid(o);
    await analyseAndReport(
      (onFileProgress) =>
        analyseDebyeFile(file, {
          read,
          onFileProgress,
          qInvA,
          formFactor: o.formFactor,
          sphereDiameterA: parseNumber(o.diameter, '--diameter', isPositive, 'a positive diameter in A'),
          sphereCentres: parseNumber(o.centres, '--centres', isWholeAtLeastOne, 'a whole number >= 1'),
          histogramBinA: parseNumber(o.bin, '--bin', isPositive, 'a positive width in A'),
        }),
      debyeTable,
      [
        [o.json, writeDebyeJson],
        [o.csv, writeDebyeCsv],
      ],
    );
  });
};
