import { basename } from 'node:path';
import type { Command } from 'commander';
import { readFrames, writeFrames } from '../io/registry.js';
import { fileProgress } from './progress.js';
import { addReadOptions, parseFrameSlice, type RawReadOptions, toOpenOptions } from './read-options.js';

export const registerConvert = (program: Command): void => {
  addReadOptions(
    program
      .command('convert')
      .description(
        'convert between structure/trajectory formats (written atomically: a failed run leaves no output)',
      )
      .argument('<in>', 'input file')
      .argument('<out>', 'output file (format from its name, or --to; .gz compresses)')
      .option(
        '--to <format>',
        'output format: poscar, xdatcar, extxyz, lammps-dump, lammps-data, cif, pdb, gro, mmcif',
      )
      .option('--frames <slice>', 'frames to keep, start:stop:step (0-based, stop exclusive), or one index')
      .option('--unwrapped', 'LAMMPS dump: write unwrapped xu yu zu instead of wrapped x y z + image flags')
      .option('--cartesian', 'POSCAR: Cartesian instead of Direct coordinates'),
  ).action(
    async (
      input: string,
      output: string,
      opts: RawReadOptions & { to?: string; frames?: string; unwrapped?: boolean; cartesian?: boolean },
    ) => {
      const options = await toOpenOptions(opts);
      if (opts.frames) options.frames = parseFrameSlice(opts.frames);
      const bar = fileProgress(basename(input));
      options.onProgress = bar.onProgress;
      try {
        const n = await writeFrames(output, readFrames(input, options), {
          format: opts.to,
          unwrapped: opts.unwrapped,
          cartesian: opts.cartesian,
          atomStyle: opts.atomStyle,
          lammpsUnits: opts.lammpsUnits,
        });
        bar.stop();
        process.stderr.write(`wrote ${n} frame${n === 1 ? '' : 's'} to ${output}\n`);
      } finally {
        bar.stop();
      }
    },
  );
};
