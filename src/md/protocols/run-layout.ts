import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError } from '../../core/errors.js';
import { makeOutputFolder } from '../../io/output-errors.js';
import { RunCancelled } from '../integrator.js';
import type { ProtocolSpec } from './protocol.js';
import type { StageSummary } from './run-stage.js';

/**
 * What both engines (embedded and LAMMPS) share when they run a protocol: the folder names, the
 * status and summary files, the progress sum over stages, and the series run a few at a time.
 */

/**
 * The output folder of a run: a new run needs it empty and writes protocol.json into it; a resumed
 * one needs the protocol.json it left to be this protocol's.
 */
export const prepareRunFolder = (outDir: string, spec: ProtocolSpec, resume: boolean): void => {
  const specText = JSON.stringify(spec, null, 2);
  const specFile = join(outDir, 'protocol.json');
  // A folder that is a file (or cannot be made) is named as such, before anything else.
  makeOutputFolder(outDir);
  if (resume) {
    if (!existsSync(specFile))
      throw new OptionError(`${outDir}: nothing to resume (no protocol.json); run without \`resume\``, {
        option: 'resume',
      });
    if (readFileSync(specFile, 'utf8').trim() !== specText.trim())
      throw new OptionError(
        `${specFile}: the protocol has changed since the run started; it cannot be resumed`,
      );
    return;
  }
  if (readdirSync(outDir).length > 0)
    throw new OptionError(
      `${outDir} is not empty; use \`resume\` to continue the run in it, or choose another folder`,
      { option: 'resume' },
    );
  writeFileSync(specFile, `${specText}\n`);
};

export const writeStatus = (outDir: string, state: string, detail: Record<string, unknown> = {}): void =>
  writeFileSync(
    join(outDir, 'status.json'),
    `${JSON.stringify({ state, updated: new Date().toISOString(), ...detail }, null, 2)}\n`,
  );

/**
 * What a protocol run returns, from either engine (here rather than in run-protocol.ts, which
 * imports this module: writeRunSummary needs the type).
 */
export interface ProtocolResult {
  outDir: string;
  stages: (StageSummary & { folder: string })[];
  series?: { temperatureK: number; folder: string; stages: (StageSummary & { folder: string })[] }[];
}

/** summary.json: the result without its (machine-specific) output folder. */
export const writeRunSummary = (result: ProtocolResult): void => {
  const { outDir, ...portable } = result;
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(portable, null, 2)}\n`);
};

/** Steps done over the whole protocol from each stage's latest step (label -> step). */
export const progressSum = (
  total: number,
  onProgress?: (done: number, total: number) => void,
): ((label: string, step: number) => void) => {
  const progress = new Map<string, number>();
  return (label, step) => {
    progress.set(label, step);
    let done = 0;
    for (const v of progress.values()) done += v;
    onProgress?.(done, total);
  };
};

/**
 * Series temperatures in the order they start: the longest first (stable for equal lengths), so
 * that with per-temperature times the long cold runs do not start last and leave a core idle
 * (longest-processing-time-first scheduling; plan.ts's expected time assumes this order).
 */
export const longestFirst = <T extends { stages: { steps: number }[] }>(branches: T[]): T[] => {
  const total = (b: T) => b.stages.reduce((a, s) => a + s.steps, 0);
  return branches
    .map((b, k) => ({ b, k, n: total(b) }))
    .sort((x, y) => y.n - x.n || x.k - y.k)
    .map((x) => x.b);
};

/**
 * Run `task` for every item, `parallel` at a time; after a failure no new item starts, and the
 * first error that is not a cancellation (else the cancellation) is thrown.
 */
export const runQueued = async <T>(
  items: T[],
  parallel: number,
  task: (item: T) => Promise<void>,
): Promise<void> => {
  const queue = [...items];
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, async () => {
      while (queue.length > 0 && errors.length === 0) {
        const item = queue.shift()!;
        try {
          await task(item);
        } catch (e) {
          errors.push(e);
        }
      }
    }),
  );
  if (errors.length > 0) throw errors.find((e) => !(e instanceof RunCancelled)) ?? errors[0];
};

/**
 * A finished run's averages as printed after it: one line per stage (shared, then every series
 * temperature's), T, PE (kcal/mol), P (atm) and density with, for NPT, its block-averaged error.
 */
export const formatRunSummary = (r: ProtocolResult): string => {
  const line = (s: ProtocolResult['stages'][number]) =>
    `  ${s.folder.padEnd(28)} T ${s.temperatureK.mean.toFixed(1)} K, PE ${s.potentialKcalMol.mean.toFixed(1)} kcal/mol, P ${s.pressureAtm.mean.toFixed(0)} atm, density ${s.densityGPerCm3.mean.toFixed(4)}${
      s.ensemble === 'npt' && Number.isFinite(s.densityGPerCm3.standardError)
        ? ` +- ${s.densityGPerCm3.standardError.toFixed(4)} (after ${s.discardedPs} ps)`
        : ''
    } g/cm3`;
  return [...r.stages.map(line), ...(r.series ?? []).flatMap((b) => b.stages.map(line))].join('\n');
};
