import type { Command } from 'commander';
import { DEFAULT_TRIPLES, parseTriple } from '../analysis/structure/angles.js';
import {
  analyseAngleFiles,
  anglesTable,
  writeAnglesCsv,
  writeAnglesJson,
} from '../analysis/structure/angles-report.js';
import { OptionError } from '../core/errors.js';
import { isWholeAtLeastOne, parseNumber } from './number-option.js';
import {
  addStructureOptions,
  analyseAndReport,
  parseBondCutoffs,
  parseList,
  type StructureCliOptions,
  structureReadOptions,
} from './structure-common.js';

interface AnglesCliOptions extends StructureCliOptions {
  triples: string;
  cutoffs?: string;
  bins: string;
  bonds?: boolean;
}

/** `oligolyte structure angles`: bond-angle distributions. */
export const registerStructureAngles = (structure: Command): void => {
  addStructureOptions(
    structure
      .command('angles')
      .description(
        'bond-angle distributions A-B-C (B the vertex) between neighbours within per-pair cut-offs or bonded in the topology: mean, sd, mode and the distribution (probability density per degree)',
      )
      .argument('<runs...>', 'trajectory files, one run each')
      .option('--triples <list>', 'element triples, vertex in the middle', DEFAULT_TRIPLES.join(','))
      .option(
        '--cutoffs <pairs>',
        'neighbour cut-offs per element pair, A: "Al-O=2.1,Al-Cl=2.6" (these two are the defaults; other pairs must be given)',
      )
      .option('--bins <n>', 'bins over 0-180 deg', '180')
      .option(
        '--bonds',
        "neighbours are the topology's bonds (a LAMMPS data file, or --topology) instead of cut-offs",
      ),
    'the distributions (density per degree) as CSV',
  ).action(async (runs: string[], o: AnglesCliOptions) => {
    const read = await structureReadOptions(o);
    const triples = parseList(o.triples);
    if (triples.length === 0) throw new OptionError('--triples: no triples given');
    for (const t of triples) parseTriple(t);
    const bins = parseNumber(o.bins, '--bins', isWholeAtLeastOne, 'a whole number >= 1')!;
    const cutoffsA = o.cutoffs ? parseBondCutoffs(o.cutoffs, '--cutoffs') : {};
    if (o.bonds && o.cutoffs) throw new OptionError('--bonds and --cutoffs exclude each other');
    await analyseAndReport(
      (onFileProgress) =>
        analyseAngleFiles(runs, {
          triples,
          cutoffsA,
          bins,
          neighbours: o.bonds ? 'bonds' : 'distance',
          read,
          onFileProgress,
        }),
      anglesTable,
      [
        [o.json, writeAnglesJson],
        [o.csv, writeAnglesCsv],
      ],
    );
  });
};
