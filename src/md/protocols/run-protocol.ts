import { join } from 'node:path';
import { OligolyteError, OptionError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import { startWorker } from '../../core/worker.js';
import { prepareSystem } from '../../forcefield/system.js';
import { RunCancelled } from '../integrator.js';
import { branchFolder, stageFolder } from './folders.js';
import { effectiveParallel, threadShares } from './plan.js';
import { type ProtocolSpec, protocolSteps, type StageSpec, seriesBranchStages } from './protocol.js';
import {
  longestFirst,
  type ProtocolResult,
  prepareRunFolder,
  progressSum,
  runQueued,
  writeRunSummary,
  writeStatus,
} from './run-layout.js';
import { runStage, type StageEnv, type StageStart, type StageSummary, topologyInit } from './run-stage.js';

/**
 * Run a protocol into `outDir`:
 *
 *   protocol.json        the protocol as run (a resumed run must match it)
 *   status.json          running | stopped | failed | complete, and where
 *   01-melt/, 02-quench/ one folder per shared stage (thermo.csv, trajectory, final.extxyz, summary.json)
 *   series/T300K/01-equilibrate/, series/T300K/02-produce/, ...
 *   summary.json         every stage's averages
 *
 * Series temperatures run one after another, or `parallel` at a time in worker threads.
 */
export interface ProtocolRunOptions {
  outDir: string;
  /** Continue a stopped run in outDir (finished stages are skipped, the current one resumes). */
  resume?: boolean;
  signal?: AbortSignal;
  /** Steps done so far over the whole protocol (called every 100 steps of any stage). */
  onProgress?: (done: number, total: number) => void;
  /** A stage starts (label such as "02-quench" or "series/T500K/02-produce"). */
  onStage?: (label: string) => void;
  onWarning?: (message: string) => void;
  /** Override the series' parallel setting. */
  parallel?: number;
  /**
   * Threads for the embedded engine's pair forces (default 1): the shared stages run on all of
   * them, each of the series temperatures running at once on an equal share (see threadShares).
   */
  threads?: number;
}

export type { ProtocolResult } from './run-layout.js';

/**
 * Run a protocol on the embedded engine (engines/run-protocol.ts's runProtocol chooses the engine
 * from spec.engine; this one refuses any other, so a LAMMPS protocol never runs here by mistake).
 */
export const runEmbeddedProtocol = async (
  spec: ProtocolSpec,
  start: Structure,
  options: ProtocolRunOptions,
): Promise<ProtocolResult> => {
  const { outDir } = options;
  if (spec.engine !== 'embedded')
    throw new OptionError(
      `runEmbeddedProtocol runs the embedded engine, not "${spec.engine}": use runProtocol, which chooses the engine`,
    );
  if (!start.frame.lattice) throw new OptionError('the start structure has no periodic cell');
  prepareRunFolder(outDir, spec, options.resume === true);
  const { ff, sys } = prepareSystem(start, spec);
  const envBase = {
    sys,
    ff,
    topology: topologyInit(start.topology),
    dumpFormat: spec.dumpFormat,
    checkpointEvery: spec.checkpointEvery,
    resume: options.resume === true,
  };
  const parallel = effectiveParallel(spec, options.parallel);
  const threads = threadShares(options.threads ?? 1, parallel, spec.series?.temperaturesK.length ?? 1);
  const report = progressSum(protocolSteps(spec), options.onProgress);

  writeStatus(outDir, 'running');
  const result: ProtocolResult = { outDir, stages: [] };
  try {
    let state: StageStart = {
      positions: start.frame.positions,
      velocities: undefined,
      cell: Array.from(start.frame.lattice.matrix),
    };
    for (let k = 0; k < spec.stages.length; k++) {
      const stage = spec.stages[k];
      const folder = stageFolder(k, stage);
      options.onStage?.(folder);
      writeStatus(outDir, 'running', { stage: folder });
      const out = await runStage(
        join(outDir, folder),
        stage,
        state,
        { ...envBase, threads: threads.shared, seed: spec.seed + k },
        {
          signal: options.signal,
          onSteps: (s) => report(folder, s),
          onWarning: options.onWarning,
        },
      );
      report(folder, stage.steps);
      state = out.final;
      result.stages.push({ ...out.summary, folder });
    }
    if (spec.series) {
      const series = spec.series;
      const branchEnv = { ...envBase, threads: threads.branch };
      const branches = longestFirst(
        series.temperaturesK.map((T, b) => ({
          temperatureK: T,
          folder: branchFolder(T),
          stages: seriesBranchStages(series, b),
          // Distinct seeds per temperature: independent initial velocities and noise.
          seed: spec.seed + 1000 * (b + 1),
        })),
      );
      const results: ProtocolResult['series'] = [];
      const runBranch = async (b: (typeof branches)[number]) => {
        options.onStage?.(b.folder);
        const summaries =
          parallel > 1
            ? await runBranchInWorker(outDir, b, state, branchEnv, options, (label, s) => report(label, s))
            : await runBranchHere(outDir, b, state, branchEnv, options, (label, s) => report(label, s));
        results.push({ temperatureK: b.temperatureK, folder: b.folder, stages: summaries });
      };
      await runQueued(branches, parallel, runBranch);
      results.sort((a, b) => a.temperatureK - b.temperatureK);
      result.series = results;
    }
  } catch (e) {
    if (e instanceof RunCancelled || options.signal?.aborted)
      writeStatus(outDir, 'stopped', { message: 'stopped; continue with --resume' });
    else writeStatus(outDir, 'failed', { message: (e as Error).message });
    throw e;
  }
  writeRunSummary(result);
  writeStatus(outDir, 'complete');
  return result;
};

interface Branch {
  temperatureK: number;
  folder: string;
  stages: StageSpec[];
  seed: number;
}

type EnvBase = Omit<StageEnv, 'seed'>;

/** The stages of one series temperature, in this thread. */
export const runBranchHere = async (
  outDir: string,
  b: Branch,
  start: StageStart,
  env: EnvBase,
  options: Pick<ProtocolRunOptions, 'signal' | 'onWarning'>,
  report: (label: string, step: number) => void,
): Promise<(StageSummary & { folder: string })[]> => {
  let state = start;
  const out: (StageSummary & { folder: string })[] = [];
  for (let k = 0; k < b.stages.length; k++) {
    const folder = join(b.folder, stageFolder(k, b.stages[k]));
    const r = await runStage(
      join(outDir, folder),
      b.stages[k],
      state,
      { ...env, seed: b.seed + k },
      { signal: options.signal, onSteps: (s) => report(folder, s), onWarning: options.onWarning },
    );
    report(folder, b.stages[k].steps);
    state = r.final;
    out.push({ ...r.summary, folder });
  }
  return out;
};

/** The same in a worker thread (the force field, typed system and state are posted as plain data). */
const runBranchInWorker = (
  outDir: string,
  b: Branch,
  start: StageStart,
  env: EnvBase,
  options: Pick<ProtocolRunOptions, 'signal' | 'onWarning'>,
  report: (label: string, step: number) => void,
): Promise<(StageSummary & { folder: string })[]> => {
  const workerData = { outDir, branch: b, start, env };
  const worker = startWorker(import.meta.url, 'branch-worker', { workerData });
  const onAbort = () => worker.postMessage({ type: 'abort' });
  options.signal?.addEventListener('abort', onAbort);
  // A stop that came before this worker existed: it stops at its first step, with a checkpoint.
  if (options.signal?.aborted) onAbort();
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (m) => {
      if (m.type === 'progress') report(m.label, m.step);
      else if (m.type === 'warning') options.onWarning?.(m.message);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.summaries);
      } else if (m.type === 'cancelled') {
        settled = true;
        reject(new RunCancelled(m.step));
      } else if (m.type === 'error') {
        settled = true;
        // The error's class does not cross the thread; rebuild the user-facing ones (the message
        // already names the file and line) so the CLI reports them as such.
        const e =
          m.name === 'OptionError'
            ? new OptionError(m.message, { option: m.option })
            : ['ParseError', 'PhysicsError', 'UnknownFormatError', 'OligolyteError'].includes(m.name)
              ? new OligolyteError(m.message, { option: m.option })
              : Object.assign(new Error(m.message), { name: m.name });
        reject(e);
      }
    });
    worker.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    worker.on('exit', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (!settled) reject(new Error(`the worker for ${b.folder} exited with code ${code}`));
    });
  });
};
