import { join } from 'node:path';
import type { Structure } from '../core/frame.js';
import { runProtocol, withEngine } from '../engines/run-protocol.js';
import { makeOutputFolder } from '../io/output-errors.js';
import { writeStructure } from '../io/registry.js';
import { type ProtocolPlan, planProtocol } from '../md/protocols/plan.js';
import type { ProtocolSpec } from '../md/protocols/protocol.js';
import type { ProtocolRunOptions } from '../md/protocols/run-protocol.js';
import { analyseStudy, type StudyResult } from './analysis.js';
import { type MechanicsStudyResult, runStudyMechanics } from './mechanics.js';
import { buildStudyModel } from './model.js';
import {
  STUDY_DENSITY_GRID_A,
  writeReplicaOutputs,
  writeStudyCurves,
  writeStudyDihedrals,
  writeStudyOutputs,
} from './output.js';
import { combineReplicas, type ReplicaSummary } from './replicas.js';
import { runStudyScattering } from './scattering.js';
import { quickProtocol, type StudySpec } from './spec.js';
import { analyseStudyStructure, studyJumpRateArrhenius } from './structure.js';

/**
 * The whole study as one call: build each model (one per seed), run the protocol on it, analyse
 * the transport of every series temperature, fit Arrhenius, write the outputs, and with several
 * models average them. Layout of `outDir`:
 *
 *   study.json, arrhenius.csv, summary.txt, model.extxyz, model.data, run/     (one model)
 *   transport/T<T>K-msd.csv, transport/T<T>K-density.cube                      (per temperature)
 *   structure/T<T>K-dihedrals.csv                                              (with [structure])
 *   seed1/..., seed2/..., replicas.json, replicas.txt                            (replicas > 1)
 */
/** Models a --quick study runs at most (its numbers are not results; two exercise the replica average). */
export const QUICK_MAX_MODELS = 2;

export interface StudyRunOptions {
  /** Output folder (default out/<study name>). */
  outDir?: string;
  /** Short runs that check the workflow (quickProtocol), at most QUICK_MAX_MODELS models; not results. */
  quick?: boolean;
  /** Continue a stopped study in outDir. */
  resume?: boolean;
  /** Series temperatures at once (default: the study's). */
  parallel?: number;
  /** The embedded engine's thread budget (default 1). */
  threads?: number;
  /** Override the study's engine and MPI processes. */
  engine?: ProtocolSpec['engine'];
  mpiProcesses?: number;
  /** Plan only: build the first model, time it, call onPlan, run nothing. */
  dryRun?: boolean;
}

/** What a study will do, known before it runs. */
export interface StudyPlan {
  name: string;
  quick: boolean;
  outDir: string;
  seeds: number[];
  /** The protocol as it will run (engine overrides and --quick applied). */
  protocol: ProtocolSpec;
  /** The plan of one model's run (all models are the same size). */
  run: ProtocolPlan;
  /** The first model, built. */
  firstModel: Structure;
}

export interface StudyHooks
  extends Pick<ProtocolRunOptions, 'signal' | 'onStage' | 'onProgress' | 'onWarning'> {
  onPlan?: (plan: StudyPlan) => void;
  /** A model starts (its seed, its index among the models). */
  onModel?: (seed: number, index: number) => void;
  /** Its run is done and the transport analysis starts. */
  onAnalysis?: (seed: number) => void;
  /** One model's result, written to its folder. */
  onResult?: (result: StudyResult, seed: number) => void;
}

export interface StudyOutcome {
  plan: StudyPlan;
  /** One per model, in seed order (empty for a dry run). */
  results: StudyResult[];
  /** The average over models, when there are several. */
  replicas?: ReplicaSummary;
  /** The [mechanics] runs (outDir/mechanics), when the study file has them. */
  mechanics?: MechanicsStudyResult;
}

/** The default output folder of a study: out/<name>, the name made safe for a path. */
export const defaultStudyFolder = (spec: StudySpec): string => {
  const name = spec.name.replace(/[^\w.-]+/g, '_');
  // Never "." or ".." (out/.. is outside out/).
  return join('out', /^\.+$/.test(name) ? '_' : name);
};

export const runStudy = async (
  spec: StudySpec,
  options: StudyRunOptions = {},
  hooks: StudyHooks = {},
): Promise<StudyOutcome> => {
  const quick = options.quick === true;
  const engineSpec = withEngine(spec.protocol, {
    engine: options.engine,
    mpiProcesses: options.mpiProcesses,
  });
  const protocol = quick ? quickProtocol(engineSpec) : engineSpec;
  const outDir = options.outDir ?? defaultStudyFolder(spec);
  // --quick checks the workflow: with replicas, two models are enough to exercise the average.
  const models = quick ? Math.min(QUICK_MAX_MODELS, spec.model.replicas) : spec.model.replicas;
  const seeds = Array.from({ length: models }, (_, r) => spec.model.seed + r);
  const firstModel = buildStudyModel(spec, seeds[0]);
  const run = await planProtocol(protocol, firstModel, {
    parallel: options.parallel,
    threads: options.threads,
  });
  const plan: StudyPlan = { name: spec.name, quick, outDir, seeds, protocol, run, firstModel };
  hooks.onPlan?.(plan);
  if (options.dryRun) return { plan, results: [] };

  const results: StudyResult[] = [];
  for (const [index, seed] of seeds.entries()) {
    hooks.onModel?.(seed, index);
    const model = index === 0 ? firstModel : buildStudyModel(spec, seed);
    const dir = seeds.length > 1 ? join(outDir, `seed${seed}`) : outDir;
    makeOutputFolder(dir);
    await writeStructure(join(dir, 'model.extxyz'), model, { comment: `${spec.name} model, seed ${seed}` });
    await writeStructure(join(dir, 'model.data'), model);
    const runDir = join(dir, 'run');
    const t0 = performance.now();
    const runResult = await runProtocol(protocol, model, {
      outDir: runDir,
      resume: options.resume === true,
      parallel: options.parallel,
      threads: options.threads,
      signal: hooks.signal,
      onStage: hooks.onStage,
      onProgress: hooks.onProgress,
      onWarning: hooks.onWarning,
    });
    const t1 = performance.now();
    hooks.onAnalysis?.(seed);
    const studied = { ...spec, protocol };
    const result = await analyseStudy(studied, runResult, runDir, {
      quick,
      onWarning: hooks.onWarning,
      densityGridSpacingA: STUDY_DENSITY_GRID_A,
      onRun: (T, transport) => writeStudyCurves(dir, T, transport),
    });
    const t2 = performance.now();
    if (spec.structure) {
      result.structure = [];
      for (const T of protocol.series!.temperaturesK)
        result.structure.push(
          await analyseStudyStructure(studied, runDir, T, model.topology, {
            onWarning: hooks.onWarning,
            onSeries: (series, conformations) => writeStudyDihedrals(dir, T, series, conformations),
          }),
        );
      result.jumpRateArrhenius = studyJumpRateArrhenius(result.structure);
    }
    result.timingsS = {
      run: (t1 - t0) / 1000,
      transport: (t2 - t1) / 1000,
      structure: (performance.now() - t2) / 1000,
    };
    // After the timings: its own wall time is in result.scattering.
    if (spec.scattering)
      result.scattering = await runStudyScattering(spec.scattering, protocol, runDir, dir, {
        topology: model.topology,
        threads: options.threads,
        onWarning: hooks.onWarning,
      });
    await writeStudyOutputs(dir, result);
    results.push(result);
    hooks.onResult?.(result, seed);
  }
  // The mechanics runs build their own (replicated) models: after the transport study.
  const mechanics = spec.mechanics
    ? await runStudyMechanics(spec, spec.mechanics, {
        outDir,
        quick,
        resume: options.resume === true,
        threads: options.threads,
        signal: hooks.signal,
        onStage: hooks.onStage,
        onProgress: hooks.onProgress,
        onWarning: hooks.onWarning,
      })
    : undefined;
  if (seeds.length < 2) return { plan, results, mechanics };
  const replicas = combineReplicas(spec, results, seeds);
  await writeReplicaOutputs(outDir, spec.name, replicas);
  return { plan, results, replicas, mechanics };
};
