import { relative } from 'node:path';
import type { Command } from 'commander';
import { jsonNumbers, writeTo } from '../analysis/report-io.js';
import { OptionError } from '../core/errors.js';
import { fitForceField } from '../forcefield/fit/fit.js';
import { fitReportCsv, formatFitReport } from '../forcefield/fit/report.js';
import { relaxedShellSums } from '../md/shell-kernel.js';
import { readCrystalTargets, readFitInput, readReferenceData } from '../study/ff-fit-input.js';
import { writeOutputs } from './outputs.js';

/**
 * `oligolyte ff fit INPUT`: fit force-field parameters to ab initio reference data as the input
 * file says (src/forcefield/fit; examples/ff/laoc-v5-fit.toml), print the report, and write the
 * fitted force field (a JSON file for --ff) and the report (--json, --csv).
 */
export const registerFfFit = (ff: Command): void => {
  ff.command('fit')
    .description(
      'fit force-field parameters (Born-Mayer-Huggins, charge scale, bonds, shells) to DFT forces, relative energies, stresses and crystal targets, with a held-out validation set',
    )
    .argument('<input>', 'fit input file (TOML or JSON), e.g. examples/ff/laoc-v5-fit.toml')
    .option('--output <file>', 'write the fitted force field as JSON (usable as --ff FILE)')
    .option(
      '--json <file>',
      'write the whole report as JSON (parameters, uncertainties, correlations, RMSE in eV/A, meV/atom, GPa)',
    )
    .option('--csv <file>', 'write the per-element force RMSE table (eV/A) as CSV')
    .option('--max-iterations <n>', 'override the input file max_iterations')
    .addHelpText(
      'after',
      '\nUnits: forces eV/A, relative energies meV/atom (within groups of one composition), stresses GPa; force-field parameters kcal/mol and A (LAMMPS real).',
    )
    .action(
      async (input: string, o: { output?: string; json?: string; csv?: string; maxIterations?: string }) => {
        const fitInput = readFitInput(input);
        if (o.maxIterations !== undefined) {
          const n = Number(o.maxIterations);
          if (!Number.isInteger(n) || n < 1)
            throw new OptionError(`--max-iterations ${o.maxIterations}: expected a whole number >= 1`, {
              option: 'maxIterations',
            });
          fitInput.spec.maxIterations = n;
        }
        const configs = await readReferenceData(
          fitInput.dataFiles,
          fitInput.dataFrames,
          {},
          fitInput.dataFirst,
        );
        const crystals = await readCrystalTargets(fitInput.crystals);
        process.stderr.write(
          `${configs.length} reference configurations, ${crystals.length} crystal targets\n`,
        );
        const result = fitForceField(
          fitInput.spec,
          configs,
          crystals,
          (m) => process.stderr.write(`${m}\n`),
          relaxedShellSums,
        );
        process.stdout.write(formatFitReport(result));
        const outputs: { path: string; write: () => Promise<void> }[] = [];
        const text = (path: string, body: string) => ({
          path,
          write: () => writeTo(path, async (sink) => sink.write(body)),
        });
        if (o.output) outputs.push(text(o.output, `${JSON.stringify(result.forceField, jsonNumbers, 1)}\n`));
        if (o.json)
          outputs.push(
            text(
              o.json,
              `${JSON.stringify(
                {
                  input,
                  // Paths relative to the working directory, so that a report made in the repository names files in it.
                  dataFiles: fitInput.dataFiles.map((f) => relative(process.cwd(), f)),
                  dataFrames: fitInput.dataFrames,
                  dataFirst: fitInput.dataFirst,
                  crystalFiles: fitInput.crystals.map((c) => ({
                    ...c,
                    file: relative(process.cwd(), c.file),
                  })),
                  ...result,
                },
                jsonNumbers,
                1,
              )}\n`,
            ),
          );
        if (o.csv) outputs.push(text(o.csv, fitReportCsv(result)));
        await writeOutputs(outputs);
      },
    );
};
