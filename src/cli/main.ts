#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { OligolyteError, OptionError, ParseError } from '../core/errors.js';
import { discardOpenTextSinks } from '../io/text-sink.js';
import { cliMessage } from './option-flags.js';
import { installSignalHandlers } from './signals.js';

/**
 * Every command, in the order `--help` lists them: its name and how to load its registration. A
 * command's module (and everything it imports) is loaded only when the command line names it, or
 * for help and unknown commands, when all are: loading all ~300 modules takes about 0.3 s, which
 * a short command would otherwise pay every time (issue 28: transport against MDAnalysis). A new
 * command: one line here (name: async () => (await import('./x.js')).registerX).
 */
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
  info: async () => (await import('./info.js')).registerInfo,
  convert: async () => (await import('./convert.js')).registerConvert,
  transport: async () => (await import('./transport.js')).registerTransport,
  chem: async () => (await import('./chem.js')).registerChem,
  build: async () => (await import('./build.js')).registerBuild,
  energy: async () => (await import('./energy.js')).registerEnergy,
  ff: async () => (await import('./ff.js')).registerFf,
  md: async () => (await import('./md.js')).registerMd,
  minimise: async () => (await import('./mechanics-minimise.js')).registerMinimise,
  mechanics: async () => (await import('./mechanics.js')).registerMechanics,
  run: async () => (await import('./run.js')).registerRun,
  structure: async () => (await import('./structure.js')).registerStructure,
  scatter: async () => (await import('./scatter.js')).registerScatter,
  study: async () => (await import('./study.js')).registerStudy,
  report: async () => (await import('./report.js')).registerReport,
  eis: async () => (await import('./eis.js')).registerEis,
  dc: async () => (await import('./dc.js')).registerDc,
  dsc: async () => (await import('./dsc.js')).registerDsc,
  cycling: async () => (await import('./cycling.js')).registerCycling,
  dft: async () => (await import('./dft.js')).registerDft,
};

/**
 * Exit codes: 0 success, 1 input or physics error (or a failed run), 2 usage error, 130 / 143 a run
 * stopped by Ctrl-C / SIGTERM (its checkpoints kept: continue with --resume).
 *
 * The program with the command `argv` names registered (argv as process.argv: the command is
 * argv[2]), or every command when it names none.
 */
export const buildProgram = async (argv: readonly string[] = []): Promise<Command> => {
  const program = new Command('oligolyte')
    .description(
      'Design and understand glassy oligomer solid electrolytes: chemistry, model building, structures, trajectories, transport.',
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  const name = argv[2];
  const only =
    name !== undefined && Object.hasOwn(COMMANDS, name) ? [COMMANDS[name]] : Object.values(COMMANDS);
  for (const register of await Promise.all(only.map((load) => load()))) register(program);
  return program;
};

export const run = async (argv: string[]): Promise<number> => {
  const program = await buildProgram(argv);
  installSignalHandlers();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    // No exit path leaves the temporary file of an unfinished output behind.
    discardOpenTextSinks();
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    // (run-session.js loads the MD engine: only when a command has failed.)
    const { RunStopped } = await import('./run-session.js');
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
