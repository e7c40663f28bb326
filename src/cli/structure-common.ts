import type { Command } from 'commander';
import { OligolyteError, OptionError } from '../core/errors.js';
import type { OpenOptions } from '../io/registry.js';
import { TextSink } from '../io/text-sink.js';
import { isPositive, isWholeAtLeastOne, parseNumber } from './number-option.js';
import { fileBars } from './progress.js';
import { addReadOptions, parseFrameSlice, type RawReadOptions, toOpenOptions } from './read-options.js';

/**
 * What every `oligolyte structure` command shares: the reading options (as `transport`), a frame
 * slice, --json and --csv; number parsing; outputs opened before the work and committed together
 * after it (an unwritable output fails at once, and a failure leaves nothing half written).
 */
export interface StructureCliOptions extends RawReadOptions {
  frames?: string;
  json?: string;
  csv?: string;
}

export const addStructureOptions = (cmd: Command, csvWhat: string): Command =>
  addReadOptions(
    cmd
      .option(
        '--frames <slice>',
        'frames to analyse, start:stop:step (0-based, stop exclusive), or one index',
      )
      .option('--json <file>', 'every number, with units, as JSON')
      .option('--csv <file>', csvWhat),
  );

/** Reading options with the frame slice. */
export const structureReadOptions = async (o: StructureCliOptions): Promise<OpenOptions> => {
  const read = await toOpenOptions(o);
  if (o.frames) read.frames = parseFrameSlice(o.frames);
  return read;
};

/** A comma-separated list, trimmed, empty items dropped. */
export const parseList = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** An output of a command: its path (when asked for) and how it is written from the result. */
export type StructureOutput<R> = [
  path: string | undefined,
  write: (sink: TextSink, result: R) => Promise<void>,
];

/**
 * Parse a list of KEY=DISTANCE cut-offs (A), each key matching `key` (else "is not `form`") and
 * given once.
 */
export const parseCutoffList = (
  s: string,
  flag: string,
  key: RegExp,
  form: string,
): Record<string, number> => {
  const out: Record<string, number> = {};
  const items = parseList(s);
  if (items.length === 0) throw new OptionError(`${flag}: "${s}" gives no cut-offs`);
  for (const item of items) {
    const [k, v, ...rest] = item.split('=').map((x) => x.trim());
    if (rest.length > 0 || v === undefined || !key.test(k))
      throw new OptionError(`${flag}: "${item}" is not ${form}`);
    if (k in out) throw new OptionError(`${flag}: ${k} given twice`);
    out[k] = parseNumber(v, `${flag} ${k}`, isPositive, 'a positive distance in A')!;
  }
  return out;
};

/** Parse "Al-O=2.1,Al-Cl=2.6" into cut-offs per element pair (A). */
export const parseBondCutoffs = (s: string, flag = '--bond'): Record<string, number> =>
  parseCutoffList(s, flag, /^[A-Z][a-z]?-[A-Z][a-z]?$/, 'PAIR=A like Al-O=2.1');

/**
 * What every structure command does once its options are parsed: open the outputs (TextSinks:
 * temporary files beside the targets) before any work, run the analysis with a progress bar per
 * file on a terminal, print its table, write the outputs and commit them all; on any error remove
 * them all and rethrow (an analysis error through `onError`, e.g. to name this command's flags).
 */
export const analyseAndReport = async <R>(
  analyse: (onFileProgress: (file: string, done: number, total: number) => void) => Promise<R>,
  table: (result: R) => string,
  outputs: StructureOutput<R>[],
  onError: (e: unknown) => unknown = (e) => e,
): Promise<void> => {
  const opened: [TextSink, (sink: TextSink, result: R) => Promise<void>][] = [];
  try {
    for (const [path, write] of outputs) if (path !== undefined) opened.push([new TextSink(path), write]);
    const bars = fileBars();
    let result: R;
    try {
      result = await analyse(bars.onFileProgress);
    } catch (e) {
      throw onError(e);
    } finally {
      bars.stop();
    }
    process.stdout.write(table(result));
    for (const [sink, write] of opened) await write(sink, result);
    for (const [sink] of opened) await sink.commit();
  } catch (e) {
    for (const [sink] of opened) await sink.abort().catch(() => {});
    throw e;
  }
};

/** The time between the frames analysed from --time-step, --frame-step and a --frames step. */
export const frameIntervalOption = (
  o: { timeStep?: string; frameStep?: string },
  frameSliceStep: number | undefined,
): number | undefined => {
  const timeStepFs = parseNumber(o.timeStep, '--time-step', isPositive, 'a positive time in fs');
  const frameStep = parseNumber(o.frameStep, '--frame-step', isWholeAtLeastOne, 'a whole number >= 1');
  if (frameStep !== undefined && timeStepFs === undefined)
    throw new OptionError('--frame-step needs --time-step');
  return timeStepFs === undefined ? undefined : timeStepFs * (frameStep ?? 1) * (frameSliceStep ?? 1);
};

/** Rewrite the library's option names in an error's message as this command's flags. */
export const withFlags = (e: unknown, flags: Record<string, string>): unknown => {
  if (e instanceof OligolyteError)
    e.message = e.message.replace(/`([A-Za-z]\w*)`/g, (text, name: string) => flags[name] ?? text);
  return e;
};
