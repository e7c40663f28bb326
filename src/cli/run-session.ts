import { SingleBar } from 'cli-progress';
import { OptionError } from '../core/errors.js';
import { RunCancelled } from '../md/integrator.js';
import type { ProtocolRunOptions } from '../md/protocols/run-protocol.js';
import { isWholeAtLeastOne, parseNumber } from './number-option.js';
import { onStopSignal, SIGNAL_EXIT, type StopSignal } from './signals.js';
import { threadsOption } from './threads-option.js';

/**
 * A run stopped by Ctrl-C or SIGTERM: its checkpoints are kept and the message says how to go on.
 * The exit code is the shell's for that signal (128 + its number: 130 for SIGINT, 143 for SIGTERM).
 */
export class RunStopped extends Error {
  override name = 'RunStopped';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export type RunHooks = Pick<ProtocolRunOptions, 'signal' | 'onStage' | 'onProgress' | 'onWarning'>;

/**
 * Run `task` with the hooks of a terminal session: a progress bar on stderr when it is a terminal
 * (stage names otherwise), warnings on stderr, and Ctrl-C/SIGTERM stopping the run at the next
 * step after a checkpoint. A stop becomes RunStopped with `stoppedMessage`.
 */
export const withRunSession = async <T>(
  label: string,
  stoppedMessage: string,
  task: (hooks: RunHooks) => Promise<T>,
  keptNote = 'what was written so far is kept (whole thermo rows and frames; a checkpoint if one was written: then continue with the same command and --resume)',
): Promise<T> => {
  const bar = process.stderr.isTTY
    ? new SingleBar({
        stream: process.stderr,
        format: `${label} [{bar}] {percentage}% | {value}/{total} steps | ETA {eta_formatted} | {stage}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      })
    : undefined;
  let started = false;
  let stage = '';
  const abort = new AbortController();
  let signalled: StopSignal | undefined;
  // The first Ctrl-C or SIGTERM stops the run at its next step, after a checkpoint; a second one
  // stops the process at once (signals.ts), keeping the checkpoints written so far.
  const release = onStopSignal({
    stop: (s) => {
      signalled ??= s;
      if (started) bar?.stop();
      process.stderr.write(
        `oligolyte: ${s}: stopping at the next step, after a checkpoint (again: at once)\n`,
      );
      abort.abort();
    },
    kept: keptNote,
  });
  try {
    return await task({
      signal: abort.signal,
      onStage: (s) => {
        stage = s;
        if (!bar) process.stderr.write(`stage ${s}\n`);
      },
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) {
          bar.start(total, done, { stage });
          started = true;
        }
        bar.update(done, { stage });
      },
      onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
    });
  } catch (e) {
    if (e instanceof RunCancelled || abort.signal.aborted)
      throw new RunStopped(stoppedMessage, SIGNAL_EXIT[signalled ?? 'SIGINT']);
    throw e;
  } finally {
    if (started) bar?.stop();
    release();
  }
};

/** The message of a stopped protocol run: how to continue it. */
export const stoppedRunMessage = (engine: 'embedded' | 'lammps' | 'cp2k', outDir: string): string =>
  engine !== 'embedded'
    ? `stopped; the finished stages are kept in ${outDir}. Continue with the same command and --resume (the stopped stage runs again from its start)`
    : `stopped; the checkpoints are in ${outDir}. Continue with the same command and --resume`;

/** The options `run` and `study` share: --parallel, --threads, --engine, --mpi. */
export interface EngineOptions {
  parallel?: number;
  threads: number;
  engine?: 'embedded' | 'lammps' | 'cp2k';
  mpiProcesses?: number;
}

const wholeAtLeastOne = (v: unknown, flag: string): number | undefined =>
  parseNumber(v === undefined ? undefined : String(v), flag, isWholeAtLeastOne, 'a whole number >= 1');

export const engineOptions = (o: Record<string, unknown>): EngineOptions => {
  const mpiProcesses = wholeAtLeastOne(o.mpi, '--mpi');
  const engine = o.engine as EngineOptions['engine'];
  return {
    parallel: wholeAtLeastOne(o.parallel, '--parallel'),
    threads: threadsOption(o.threads),
    engine,
    mpiProcesses,
  };
};

/** --mpi without LAMMPS (from --engine or the file) is a usage error named by its flags. */
export const checkMpiEngine = (engine: 'embedded' | 'lammps' | 'cp2k', mpiProcesses: number): void => {
  if (engine === 'embedded' && mpiProcesses > 1) throw new OptionError('--mpi needs --engine lammps or cp2k');
};
