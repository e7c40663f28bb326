#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { OligolyteError, OptionError, ParseError } from '../core/errors.js';
import { discardOpenTextSinks } from '../io/text-sink.js';
import { registerBuild } from './build.js';
import { registerChem } from './chem.js';
import { registerConvert } from './convert.js';
import { registerCycling } from './cycling.js';
import { registerDc } from './dc.js';
import { registerDft } from './dft.js';
import { registerDsc } from './dsc.js';
import { registerEis } from './eis.js';
import { registerEnergy } from './energy.js';
import { registerFf } from './ff.js';
import { registerInfo } from './info.js';
import { registerMd } from './md.js';
import { registerMechanics } from './mechanics.js';
import { registerMinimise } from './mechanics-minimise.js';
import { cliMessage } from './option-flags.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { RunStopped } from './run-session.js';
import { registerScatter } from './scatter.js';
import { installSignalHandlers } from './signals.js';
import { registerStructure } from './structure.js';
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
  registerFf(program);
  registerMd(program);
  registerMinimise(program);
  registerMechanics(program);
  registerRun(program);
  registerStructure(program);
  registerScatter(program);
  registerStudy(program);
  registerReport(program);
  registerEis(program);
  registerDc(program);
  registerDsc(program);
  registerCycling(program);
  registerDft(program);
  return program;
};

export const run = async (argv: string[]): Promise<number> => {
  const program = buildProgram();
  installSignalHandlers();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    // No exit path leaves the temporary file of an unfinished output behind.
    discardOpenTextSinks();
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
    // Any operating-system error (a file missing, a folder that is a file, no permission, a full
    // disk, ...) is about a path the user named: one line with the path, never a stack.
    if (typeof err?.code === 'string' && typeof err.syscall === 'string') {
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
  let finished = false;
  // A command whose work stopped without finishing (a promise nothing will settle) must not pass
  // for a success: Node would exit 0 once nothing is left to wait for.
  process.once('beforeExit', () => {
    if (finished) return;
    process.stderr.write('oligolyte: internal error: the command stopped before it finished\n');
    process.exitCode = 1;
  });
  run(process.argv).then((code) => {
    finished = true;
    process.exitCode = code;
  });
}
