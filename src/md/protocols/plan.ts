import { resolve } from 'node:path';
import { OptionError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import { BUILTIN_FORCE_FIELDS } from '../../forcefield/force-field.js';
import { prepareSystem } from '../../forcefield/system.js';
import { usefulThreads } from '../force-kernel.js';
import { runMd } from '../integrator.js';
import { seriesStageFolder, stageFolder } from './folders.js';
import {
  type ProtocolSpec,
  protocolSteps,
  type StageSpec,
  seriesBranchStages,
  seriesBranchSteps,
} from './protocol.js';

/**
 * A protocol's plan before it runs: every stage with its settings, the thread split and, for the
 * embedded engine, the expected wall time from force evaluations timed on this machine.
 */
export interface PlannedStage {
  /** The stage's folder relative to the run folder ("01-melt", "series/T500K/02-produce"). */
  folder: string;
  ensemble: StageSpec['ensemble'];
  temperatureK: number;
  /** NPT target pressure (atm); undefined for other ensembles. */
  pressureAtm?: number;
  steps: number;
  timeStepFs: number;
  timePs: number;
  /** Trajectory frame every n steps (0: none). */
  dumpEvery: number;
}

export interface ProtocolPlan {
  /** The files the run reads, absolute, and who named them (a protocol file may name any file). */
  reads: { path: string; namedBy: string }[];
  engine: ProtocolSpec['engine'];
  mpiProcesses: number;
  natoms: number;
  forcefield: string;
  coulomb?: ProtocolSpec['coulomb'];
  stages: PlannedStage[];
  totalSteps: number;
  /** Series temperatures running at once. */
  parallel: number;
  /** Embedded engine: threads of the shared stages and of each series temperature. */
  threads: { shared: number; branch: number };
  /** Embedded engine only (LAMMPS reports its own timing in log.lammps). */
  timing?: {
    /** Seconds per MD step of a shared stage and of a series temperature, measured. */
    sharedStepSeconds: number;
    seriesStepSeconds: number;
    expectedSeconds: number;
  };
}

export interface PlanOptions {
  /** Series temperatures at once (default: the protocol's). */
  parallel?: number;
  /** The embedded engine's thread budget (default 1). */
  threads?: number;
  /** Time force evaluations for the expected time (default true; embedded engine only). */
  measure?: boolean;
  /** The start structure's file and who named it (printed: a protocol may name any file). */
  structureFile?: { path: string; namedBy: string };
}

/**
 * How a thread budget is shared: shared stages use all of it; series temperatures running
 * `parallel` at a time get budget / parallel each (at least one).
 */
export const threadShares = (
  budget: number,
  parallel: number,
  temperatures: number,
): { shared: number; branch: number } => {
  if (!Number.isInteger(budget) || budget < 1)
    throw new OptionError(`threads: ${budget} is not a whole number >= 1`);
  return {
    shared: budget,
    branch: Math.max(1, Math.floor(budget / Math.max(1, Math.min(parallel, temperatures)))),
  };
};

/** Series temperatures at once: the option, else the protocol's, within 1..temperatures. */
export const effectiveParallel = (spec: ProtocolSpec, parallel?: number): number => {
  if (parallel !== undefined && (!Number.isInteger(parallel) || parallel < 1))
    throw new OptionError(`parallel: ${parallel} is not a whole number >= 1`);
  return Math.max(
    1,
    Math.min(parallel ?? spec.series?.parallel ?? 1, spec.series?.temperaturesK.length ?? 1),
  );
};

/**
 * Seconds per MD step for this system on this machine with `threads` threads: a short Langevin
 * run (300 K, as the study's relax stage, so a fresh packing is safe), timed over its last 300 of
 * 400 steps (after the JIT and WebAssembly warm-up), plus a tenth for output. A run, not force
 * calls at fixed positions: those rebuild the neighbour list every call, which MD does every few
 * tens of steps, and with the WebAssembly pair kernel the list build costs several force calls.
 */
export const measureStepSeconds = async (
  spec: Pick<ProtocolSpec, 'forcefield' | 'coulomb'>,
  start: Structure,
  threads = 1,
): Promise<number> => {
  const lattice = start.frame.lattice;
  if (!lattice) throw new OptionError('the start structure has no periodic cell');
  const { ff, sys } = prepareSystem(start, spec);
  let warm = 0;
  await runMd(start.frame.positions, lattice, sys, ff, {
    ensemble: 'langevin',
    temperatureK: 300,
    dampingFs: 50,
    steps: 400,
    threads,
    onProgress: (step) => {
      if (step === 100) warm = performance.now();
    },
  });
  return (1.1 * (performance.now() - warm)) / 300 / 1000;
};

const planned = (folder: string, s: StageSpec, temperatureK = s.temperatureK): PlannedStage => ({
  folder,
  ensemble: s.ensemble,
  temperatureK,
  pressureAtm: s.ensemble === 'npt' ? s.pressureAtm : undefined,
  steps: s.steps,
  timeStepFs: s.timeStepFs,
  timePs: (s.steps * s.timeStepFs) / 1000,
  dumpEvery: s.dumpEvery,
});

/** The plan of `spec` run on `start`. */
export const planProtocol = async (
  spec: ProtocolSpec,
  start: Structure,
  options: PlanOptions = {},
): Promise<ProtocolPlan> => {
  const parallel = effectiveParallel(spec, options.parallel);
  const temperatures = spec.series?.temperaturesK ?? [];
  const shares = threadShares(options.threads ?? 1, parallel, temperatures.length || 1);
  // The counts the engine will run on (it caps them by the atoms: force-kernel.ts).
  const natoms = start.topology.natoms;
  const threads = {
    shared: usefulThreads(shares.shared, natoms),
    branch: usefulThreads(shares.branch, natoms),
  };
  const stages = spec.stages.map((s, k) => planned(stageFolder(k, s), s));
  temperatures.forEach((T, b) => {
    seriesBranchStages(spec.series!, b).forEach((s, k) => {
      stages.push(planned(seriesStageFolder(T, k, s), s, T));
    });
  });
  const reads = options.structureFile
    ? [{ path: resolve(options.structureFile.path), namedBy: options.structureFile.namedBy }]
    : [];
  if (!BUILTIN_FORCE_FIELDS[spec.forcefield])
    reads.push({ path: resolve(spec.forcefield), namedBy: 'the force field' });
  const plan: ProtocolPlan = {
    reads,
    engine: spec.engine,
    mpiProcesses: spec.mpiProcesses,
    natoms: start.topology.natoms,
    forcefield: spec.forcefield,
    coulomb: spec.coulomb,
    stages,
    totalSteps: protocolSteps(spec),
    parallel,
    threads,
  };
  if (spec.engine !== 'embedded' || options.measure === false) return plan;
  const shared = await measureStepSeconds(spec, start, threads.shared);
  const series =
    threads.branch === threads.shared ? shared : await measureStepSeconds(spec, start, threads.branch);
  const sharedSteps = spec.stages.reduce((a, s) => a + s.steps, 0);
  plan.timing = {
    sharedStepSeconds: shared,
    seriesStepSeconds: series,
    expectedSeconds: sharedSteps * shared + seriesMakespanSteps(spec, parallel) * series,
  };
  return plan;
};

/**
 * Steps on the busiest of `parallel` slots when the series temperatures run longest first, each
 * on the first slot to come free (as runQueued does with longestFirst): the series' wall time in
 * steps.
 */
export const seriesMakespanSteps = (spec: ProtocolSpec, parallel: number): number => {
  const series = spec.series;
  if (!series) return 0;
  const slots = new Array<number>(Math.max(1, parallel)).fill(0);
  const lengths = series.temperaturesK.map((_, b) => seriesBranchSteps(series, b)).sort((x, y) => y - x);
  for (const n of lengths) {
    const k = slots.indexOf(Math.min(...slots));
    slots[k] += n;
  }
  return Math.max(...slots);
};

/** A duration for people: "45 s", "12 min", "3.3 h". */
export const formatDuration = (s: number): string =>
  s < 90
    ? `${Math.max(1, Math.round(s))} s`
    : s < 5400
      ? `${Math.round(s / 60)} min`
      : `${(s / 3600).toFixed(1)} h`;

/** The plan as printed before a run: one line per stage, the threads and the expected time. */
export const formatPlan = (plan: ProtocolPlan): string => {
  const row = (s: PlannedStage) =>
    `  ${s.folder.padEnd(28)} ${s.ensemble.padEnd(8)} ${`${s.temperatureK} K`.padStart(7)}${
      s.pressureAtm !== undefined ? ` ${s.pressureAtm} atm` : ''
    }  ${s.timePs.toFixed(s.timePs < 1 ? 3 : 1)} ps (${s.steps} x ${s.timeStepFs} fs)${
      s.dumpEvery > 0 ? `, frame every ${s.dumpEvery}` : ''
    }`;
  const lines = plan.stages.map(row);
  const series = plan.stages.some((s) => s.folder.startsWith('series'));
  if (series && plan.parallel > 1)
    lines.push(`  (series temperatures ${plan.parallel} at a time in worker threads)`);
  const mpi = plan.mpiProcesses > 1 ? ` (mpirun -n ${plan.mpiProcesses})` : '';
  const engine =
    plan.engine === 'lammps'
      ? `LAMMPS${mpi}`
      : plan.engine === 'cp2k'
        ? `CP2K (ab initio)${mpi}`
        : 'embedded engine';
  const head = `protocol: ${engine}, ${plan.natoms} atoms, ${plan.forcefield}${plan.coulomb ? ` (${plan.coulomb})` : ''}, ${plan.totalSteps} steps`;
  let tail: string;
  if (plan.engine === 'lammps')
    tail =
      'expected time: not estimated for LAMMPS (it reports its own timing in log.lammps; docs/speed.md gives rates measured on one machine)';
  else if (plan.engine === 'cp2k')
    tail =
      'expected time: not estimated for CP2K (seconds to minutes per MD step: see docs/dft.md; the force field is not used)';
  else {
    tail = `threads: ${plan.threads.shared} for the shared stages${series ? `, ${plan.threads.branch} per series temperature` : ''}`;
    const t = plan.timing;
    if (t)
      tail += `\nexpected time: about ${formatDuration(t.expectedSeconds)} on this machine (${(t.sharedStepSeconds * 1000).toFixed(2)} ms per step measured${
        series && t.seriesStepSeconds !== t.sharedStepSeconds
          ? `, ${(t.seriesStepSeconds * 1000).toFixed(2)} ms in the series`
          : ''
      })`;
  }
  const reads = plan.reads.map((r) => `reads ${r.path} (${r.namedBy})\n`).join('');
  return `${head}\n${reads}${lines.join('\n')}\n${tail}\n`;
};
