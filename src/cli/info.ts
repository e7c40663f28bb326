import { basename } from 'node:path';
import type { Command } from 'commander';
import { type FileSummary, formatFileSummary, summariseFile } from '../io/file-summary.js';
import { isLammpsLog } from '../io/lammps-log.js';
import {
  formatLammpsLogSummary,
  type LammpsLogSummary,
  summariseLammpsLog,
} from '../io/lammps-log-summary.js';
import { fileProgress } from './progress.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';

export const registerInfo = (program: Command): void => {
  addReadOptions(
    program
      .command('info')
      .description(
        'describe structure and trajectory files: format, atoms, composition, frames, cell, density, time step; LAMMPS logs: per run rows, steps, columns, means of T, P, energies, volume, density',
      )
      .argument('<files...>', 'files to describe (.gz is read transparently)')
      .option('--json', 'print JSON instead of text'),
  ).action(async (files: string[], opts: RawReadOptions & { json?: boolean }) => {
    const out: (FileSummary | LammpsLogSummary)[] = [];
    for (const f of files) {
      // A LAMMPS log (by name or content) has its own summary; --from names a structure format.
      const log = !opts.from && (await isLammpsLog(f));
      const bar = fileProgress(basename(f));
      try {
        out.push(
          log
            ? await summariseLammpsLog(f, { onProgress: bar.onProgress })
            : await summariseFile(f, await toOpenOptions(opts), bar.onProgress),
        );
      } finally {
        bar.stop();
      }
      const s = out[out.length - 1];
      if (!opts.json)
        process.stdout.write(`${'runs' in s ? formatLammpsLogSummary(s) : formatFileSummary(s)}\n`);
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(files.length === 1 ? out[0] : out, null, 2)}\n`);
  });
};
