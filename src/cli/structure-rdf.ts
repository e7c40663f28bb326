import type { Command } from 'commander';
import { type BondedExclusion, parseElementPair } from '../analysis/structure/rdf.js';
import { analyseRdfFiles, rdfTable, writeRdfCsv, writeRdfJson } from '../analysis/structure/rdf-report.js';
import { OptionError } from '../core/errors.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';
import {
  addStructureOptions,
  analyseAndReport,
  parseList,
  type StructureCliOptions,
  structureReadOptions,
} from './structure-common.js';
import { threadsOption } from './threads-option.js';

interface RdfCliOptions extends StructureCliOptions {
  pairs: string;
  rmax: string;
  bins?: string;
  dr?: string;
  total: boolean;
  excludeBonded?: string | boolean;
  threads?: string;
}

/** `oligolyte structure rdf`: partial and total g(r), running coordination numbers. */
export const registerStructureRdf = (structure: Command): void => {
  addStructureOptions(
    structure
      .command('rdf')
      .description(
        'radial distribution functions: every partial g_ab(r) and the total, running coordination numbers, first peak and minimum (normalised as MDAnalysis InterRDF; every periodic image counts, so r may exceed half the cell)',
      )
      .argument('<runs...>', 'trajectory files, one run each')
      .option('--pairs <list>', 'element pairs "Li-Cl,Al-O" (Cl around Li), or "all": every pair', 'all')
      .option('--rmax <A>', 'largest distance, A', '8')
      .option('--bins <n>', 'number of bins over (0, rmax] (default 400)')
      .option('--dr <A>', 'bin width, A (instead of --bins; rmax is rounded up to whole bins)')
      .option('--no-total', 'leave out the total g(r)')
      .option(
        '--exclude-bonded [how]',
        'leave out bonded pairs: "molecule" (same molecule id; the default) or N (within N bonds); needs molecule ids or bonds (a LAMMPS data file, or --topology)',
      )
      .option(
        '--threads <n>',
        'worker threads counting pairs (default: every core; runs under 500 atoms use one)',
      ),
    'the curves g(r) and n(r) of every pair as CSV',
  ).action(async (runs: string[], o: RdfCliOptions) => {
    const read = await structureReadOptions(o);
    const rMaxA = parseNumber(o.rmax, '--rmax', isPositive, 'a positive distance in A')!;
    if (o.bins !== undefined && o.dr !== undefined)
      throw new OptionError('--bins and --dr exclude each other');
    const bins = parseNumber(o.bins, '--bins', isWholeAtLeastOne, 'a whole number >= 1');
    const binWidthA = parseNumber(o.dr, '--dr', isPositive, 'a positive width in A');
    const pairs = o.pairs.trim().toLowerCase() === 'all' ? ('all' as const) : parseList(o.pairs);
    if (pairs !== 'all') {
      if (pairs.length === 0) throw new OptionError('--pairs: no pairs given');
      for (const p of pairs) parseElementPair(p);
    }
    let exclude: BondedExclusion | undefined;
    if (o.excludeBonded === true || o.excludeBonded === 'molecule') exclude = 'molecule';
    else if (typeof o.excludeBonded === 'string')
      exclude = {
        bonds: parseNumber(
          o.excludeBonded,
          '--exclude-bonded',
          isWholeAtLeastOne,
          '"molecule" or a number of bonds >= 1',
        )!,
      };
    await analyseAndReport(
      (onFileProgress) =>
        analyseRdfFiles(runs, {
          rMaxA,
          bins: bins ?? (binWidthA === undefined ? 400 : undefined),
          binWidthA,
          pairs,
          total: o.total,
          exclude,
          threads: threadsOption(o.threads),
          read,
          onFileProgress,
        }),
      rdfTable,
      [
        [o.json, writeRdfJson],
        [o.csv, writeRdfCsv],
      ],
    );
  });
};
