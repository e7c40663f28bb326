#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { OligolyteError, OptionError, ParseError } from '../core/errors.js';
import { registerBuild } from './build.js';
import { registerChem } from './chem.js';
import { registerConvert } from './convert.js';
import { registerEnergy } from './energy.js';
import { registerInfo } from './info.js';
import { registerMd } from './md.js';
import { cliMessage } from './option-flags.js';
import { registerRun } from './run.js';
import { RunStopped } from './run-session.js';
import { registerStudy } from './study.js';
import { registerTransport } from './transport.js';

/**
 * Exit codes: 0 success, 1 input or physics error (or a failed run), 2 usage error, 130 / 143 a run
 * stopped by Ctrl-C / SIGTERM (its checkpoints kept: continue with --resume).
 */
export const buildProgram = (): Command => {
  const program = new Command('oligolyte')
    .description(
      'Design and understand glassy oligomer solid electrolytes: chemistry, model building, structures, trajectories, transport.',
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerInfo(program);
  registerConvert(program);
  registerTransport(program);
  registerChem(program);
  registerBuild(program);
  registerEnergy(program);
  registerMd(program);
  registerRun(program);
  registerStudy(program);
  return program;
};

export const run = async (argv: string[]): Promise<number> => {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof RunStopped) {
      process.stderr.write(`oligolyte: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof OptionError) {
      process.stderr.write(`oligolyte: ${cliMessage(e)}\n`);
      return 2;
    }
    if (e instanceof ParseError || e instanceof OligolyteError) {
      process.stderr.write(`oligolyte: ${cliMessage(e)}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (['ENOENT', 'EISDIR', 'EACCES', 'ENOTDIR', 'EROFS', 'ENOSPC'].includes(err?.code ?? '')) {
      process.stderr.write(
        `oligolyte: ${err.path ? `${err.path}: ` : ''}${err.code === 'ENOENT' ? 'no such file' : err.message}\n`,
      );
      return 1;
    }
    if (err instanceof RangeError || err?.code === 'Z_DATA_ERROR' || err?.code === 'Z_BUF_ERROR') {
      process.stderr.write(`oligolyte: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`oligolyte: internal error: ${err?.stack ?? String(e)}\n`);
    return 1;
  }
};

/** True when this file is the program being run (also through the npm bin symlink). */
const isMain = (): boolean => {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
};
if (isMain()) {
  run(process.argv).then((code) => {
    process.exitCode = code;
  });
}
