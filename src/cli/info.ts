import { basename } from 'node:path';
import type { Command } from 'commander';
import { type FileSummary, formatFileSummary, summariseFile } from '../io/file-summary.js';
import { fileProgress } from './progress.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';

export const registerInfo = (program: Command): void => {
  addReadOptions(
    program
      .command('info')
      .description(
        'describe structure and trajectory files: format, atoms, composition, frames, cell, density, time step',
      )
      .argument('<files...>', 'files to describe (.gz is read transparently)')
      .option('--json', 'print JSON instead of text'),
  ).action(async (files: string[], opts: RawReadOptions & { json?: boolean }) => {
    const out: FileSummary[] = [];
    for (const f of files) {
      const bar = fileProgress(basename(f));
      try {
        out.push(await summariseFile(f, await toOpenOptions(opts), bar.onProgress));
      } finally {
        bar.stop();
      }
      if (!opts.json) process.stdout.write(`${formatFileSummary(out[out.length - 1])}\n`);
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(files.length === 1 ? out[0] : out, null, 2)}\n`);
  });
};
