import type { Command } from 'commander';
import { jsonNumbers, writeTo } from '../analysis/report-io.js';
import { OptionError } from '../core/errors.js';
import { forceFieldOutputs, type SetMetrics, setMetrics } from '../forcefield/fit/metrics.js';
import { metricsTable } from '../forcefield/fit/report.js';
import { loadForceField } from '../forcefield/load.js';
import { readReferenceData } from '../study/ff-fit-input.js';
import { writeOutputs } from './outputs.js';
import { parseFrameSlice } from './read-options.js';

/**
 * `oligolyte ff errors DATA... --ff A,B`: how far each force field is from reference data that no
 * fit used (e.g. the frames of an AIMD at another temperature): per-element RMS force error,
 * relative energies within groups of one composition, stress components (src/forcefield/fit/metrics.ts).
 */
export const registerFfErrors = (ff: Command): void => {
  ff.command('errors')
    .description(
      'errors of force fields against reference data (extended XYZ with DFT forces, energies, stresses): per-element force RMSE, relative energies, stresses',
    )
    .argument(
      '<data...>',
      'reference files with forces (eV/A), e.g. data/dft/aimd/aimd-laoc0b-2t-400K.extxyz',
    )
    .requiredOption('--ff <list>', 'force fields, comma-separated: built-in names or JSON files')
    .option('--frames <slice>', 'frames of each file, start:stop:step (0-based, stop exclusive)')
    .option('--json <file>', 'write every number as JSON (eV/A, meV/atom, GPa)')
    .option('--csv <file>', 'write the per-element force RMSE as CSV')
    .addHelpText(
      'after',
      '\nUnits: forces eV/A, relative energies meV/atom (each model minus reference, its mean over a composition group removed), stresses GPa.',
    )
    .action(async (data: string[], o: { ff: string; frames?: string; json?: string; csv?: string }) => {
      const names = o.ff.split(',').filter((x) => x !== '');
      if (names.length === 0)
        throw new OptionError('--ff: expected at least one force field', { option: 'ff' });
      const forceFields = names.map(loadForceField);
      const configs = await readReferenceData(
        data,
        undefined,
        o.frames ? { frames: parseFrameSlice(o.frames) } : {},
      );
      if (configs.length === 0) throw new OptionError(`no frames read from ${data.join(', ')}`);
      process.stderr.write(`${configs.length} reference configurations\n`);
      const set = configs.map((config) => ({ config }));
      const results: { forceField: string; metrics: SetMetrics }[] = forceFields.map((ff) => ({
        forceField: ff.name,
        metrics: setMetrics(set, (p) => forceFieldOutputs(ff, p.config.structure)),
      }));
      process.stdout.write(formatErrors(configs.length, results));
      const outputs: { path: string; write: () => Promise<void> }[] = [];
      const text = (path: string, body: string) => ({
        path,
        write: () => writeTo(path, async (sink) => sink.write(body)),
      });
      if (o.json)
        outputs.push(
          text(o.json, `${JSON.stringify({ data, frames: o.frames, results }, jsonNumbers, 1)}\n`),
        );
      if (o.csv) {
        const rows = ['force_field,element,force_rmse_ev_a,reference_force_rms_ev_a'];
        for (const r of results)
          for (const [e, v] of Object.entries(r.metrics.forceRmseEvA))
            rows.push(`${r.forceField},${e},${v},${r.metrics.referenceForceRmsEvA[e]}`);
        outputs.push(text(o.csv, `${rows.join('\n')}\n`));
      }
      await writeOutputs(outputs);
    });
};

const formatErrors = (n: number, results: { forceField: string; metrics: SetMetrics }[]): string => {
  const lines = [
    `${n} configurations: RMSE`,
    ...metricsTable(
      Object.keys(results[0].metrics.forceRmseEvA),
      results[0].metrics.referenceForceRmsEvA,
      results.map((r) => [r.forceField, r.metrics]),
    ),
  ];
  for (const r of results)
    if (r.metrics.skipped > 0)
      lines.push(
        `  (${r.forceField} cannot type ${r.metrics.skipped} of the configurations, e.g. a bond pulled apart: its row is over the other ${r.metrics.configurations})`,
      );
  return `${lines.join('\n')}\n`;
};
