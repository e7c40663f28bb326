import { discardOpenTextSinks } from '../io/text-sink.js';

/**
 * Ctrl-C (SIGINT) and SIGTERM for every command. A run in progress (md, run, study: see
 * run-session.ts) is asked to stop at its next step after writing a checkpoint; with no run to
 * stop (convert, transport, build, ...) or on a second signal, the process stops at once: the
 * temporary files of unfinished outputs are removed (outputs are written to a temporary file and
 * renamed when complete, so nothing half-written is left) and a message says what was kept and
 * what was not written. The exit code is the shell's for the signal: 130 or 143.
 */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;

interface GracefulStop {
  stop: (signal: StopSignal) => void;
  /** What is kept when a second signal stops the process before the run could (a sentence). */
  kept: string;
}

let graceful: GracefulStop | undefined;
let stopping: GracefulStop | undefined;
const kept: string[] = [];
let installed = false;

/** Record an output as complete: a stop by a signal lists it as kept. */
export const noteKept = (path: string): void => {
  kept.push(path);
};

/**
 * Route the next signal to `stop` (a run stopping at its next step); returns the function that
 * removes the route (when the run is over).
 */
export const onStopSignal = (g: GracefulStop): (() => void) => {
  installSignalHandlers();
  graceful = g;
  return () => {
    if (graceful === g) graceful = undefined;
    if (stopping === g) stopping = undefined;
  };
};

/** The message of an immediate stop: what was kept, which unfinished outputs were removed. */
export const stopMessage = (signal: StopSignal, keptNote: string | undefined, removed: string[]): string => {
  const parts = [`stopped by ${signal}`];
  if (keptNote) parts.push(keptNote);
  else if (kept.length) parts.push(`kept: ${kept.join(', ')}`);
  if (removed.length)
    parts.push(`not written (unfinished, its temporary file removed): ${removed.join(', ')}`);
  else if (!keptNote && !kept.length) parts.push('nothing was written');
  return parts.join('; ');
};

const handle = (signal: StopSignal) => {
  if (graceful) {
    stopping = graceful;
    graceful = undefined;
    stopping.stop(signal);
    return;
  }
  const removed = discardOpenTextSinks();
  // A progress bar may have hidden the cursor: show it again, on a fresh line.
  if (process.stderr.isTTY) process.stderr.write('\x1b[?25h\n');
  process.stderr.write(`oligolyte: ${stopMessage(signal, stopping?.kept, removed)}\n`);
  process.exit(SIGNAL_EXIT[signal]);
};

/** Install the handlers (once per process; the CLI's entry point and every run session call it). */
export const installSignalHandlers = (): void => {
  if (installed) return;
  installed = true;
  for (const s of Object.keys(SIGNAL_EXIT) as StopSignal[]) process.on(s, () => handle(s));
};
