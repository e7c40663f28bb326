import type { Command } from 'commander';
import { readFitFile } from '../analysis/scattering/fit-file.js';
import { fitTable, writeFitCsv, writeFitFgr, writeFitJson } from '../analysis/scattering/fit-report.js';
import { refinePdf } from '../analysis/scattering/pdf-fit.js';
import {
  sequentialFit,
  sequentialTable,
  writeSequentialCsv,
  writeSequentialJson,
} from '../analysis/scattering/sequential-fit.js';
import { analyseAndReport } from './structure-common.js';

interface FitCliOptions {
  json?: string;
  csv?: string;
  fgr?: string;
  series?: string[];
}

/** `oligolyte scatter fit`: refine PDFfit2's model against PDF data from a fit file. */
export const registerScatterFit = (scatter: Command): void => {
  scatter
    .command('fit')
    .description(
      'refine a PDF model against data as PDFgui does (fit file: parameters @n, phases with constraints, data sets with fit ranges; see docs/scattering.md): parameters with standard errors, Rw, reduced chi^2, phase fractions, obs/calc/difference curves; with a series of data files, a sequential fit and its parameter table',
    )
    .argument('<fit-file>', 'fit file (TOML or JSON)')
    .option(
      '--series <files...>',
      'a sequential fit over these data files (replacing the first data set in turn; also `series` in the fit file)',
    )
    .option(
      '--json <file>',
      'the refinement (parameters, errors, correlations, variables, curves) as JSON; with a series, the parameter table',
    )
    .option(
      '--csv <file>',
      'curves dataset, r_A, Gobs, Gcalc, Gdiff, dGobs as CSV; with a series, the parameter table (one row per file)',
    )
    .option(
      '--fgr <file>',
      'the (last) fit of the first data set as a PDFgui .fgr (r, Gcalc, dr, dG, Gobs - Gcalc)',
    )
    .action(async (path: string, o: FitCliOptions) => {
      const fit = readFitFile(path);
      const series = o.series ?? fit.series;
      if (series.length > 0) {
        let last: ReturnType<typeof sequentialFit> | undefined;
        await analyseAndReport(
          async () => {
            last = sequentialFit(fit.spec, series, (done, total) =>
              process.stderr.write(`fitted ${done}/${total}\n`),
            );
            return last;
          },
          sequentialTable,
          [
            [o.json, writeSequentialJson],
            [o.csv, writeSequentialCsv],
            [o.fgr, (sink, s) => writeFitFgr(sink, s.last)],
          ],
        );
        return;
      }
      await analyseAndReport(
        async () => refinePdf(fit.spec),
        (r) => fitTable(r, fit.title),
        [
          [o.json, writeFitJson],
          [o.csv, writeFitCsv],
          [o.fgr, writeFitFgr],
        ],
      );
    });
};
