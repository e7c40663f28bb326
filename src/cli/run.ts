import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { runProtocolInLammps } from '../engines/lammps-run.js';
import { withCoulomb } from '../forcefield/force-field.js';
import { loadForceField } from '../forcefield/load.js';
import { typeSystem } from '../forcefield/typing.js';
import { readStructure } from '../io/registry.js';
import { ForceKernel, type ForceOutput } from '../md/force-kernel.js';
import { RunCancelled } from '../md/integrator.js';
import { branchFolder, type ProtocolSpec, readProtocol } from '../md/protocols/protocol.js';
import { type ProtocolResult, runProtocol, threadShares } from '../md/protocols/run-protocol.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';
import { threadsOption } from './threads-option.js';

/**
 * Seconds per MD step for this system on this machine with `threads` threads: 40 force
 * evaluations, timed.
 */
export const measureStepSeconds = async (
  spec: ProtocolSpec,
  start: Structure,
  threads = 1,
): Promise<number> => {
  const loaded = loadForceField(spec.forcefield);
  const ff = spec.coulomb ? withCoulomb(loaded, spec.coulomb) : loaded;
  const sys = typeSystem(start, ff);
  const kernel = new ForceKernel(sys, ff, start.frame.lattice!);
  await kernel.startThreads(threads);
  try {
    const f = new Float64Array(3 * sys.natoms);
    const out: ForceOutput = { bond: 0, angle: 0, vdw: 0, coulomb: 0, virial: new Float64Array(6) };
    // Warm up (the first calls run before the JIT has compiled the kernel), then time.
    for (let k = 0; k < 30; k++) kernel.compute(start.frame.positions, f, out);
    const calls = 40;
    const t0 = performance.now();
    for (let k = 0; k < calls; k++) kernel.compute(start.frame.positions, f, out);
    // The integrator and output add roughly a tenth to the force evaluation.
    return (1.1 * (performance.now() - t0)) / calls / 1000;
  } finally {
    kernel.dispose();
  }
};

/** Seconds per step for the shared stages and for each series temperature, as threadShares splits `threads`. */
export const measurePlanTiming = async (
  spec: ProtocolSpec,
  start: Structure,
  parallel: number,
  threads: number,
): Promise<PlanTiming> => {
  if (spec.engine === 'lammps')
    return { shared: Number.NaN, series: Number.NaN, threads: { shared: 1, branch: 1 } };
  const shares = threadShares(threads, parallel, spec.series?.temperaturesK.length ?? 1);
  const shared = await measureStepSeconds(spec, start, shares.shared);
  const series =
    shares.branch === shares.shared ? shared : await measureStepSeconds(spec, start, shares.branch);
  return { shared, series, threads: shares };
};

export interface PlanTiming {
  /** Seconds per step of a shared stage and of a series temperature. */
  shared: number;
  series: number;
  threads: { shared: number; branch: number };
}

export const formatDuration = (s: number): string =>
  s < 90
    ? `${Math.max(1, Math.round(s))} s`
    : s < 5400
      ? `${Math.round(s / 60)} min`
      : `${(s / 3600).toFixed(1)} h`;

/** The plan: every stage with its settings, and the expected wall time. */
export const describePlan = (
  spec: ProtocolSpec,
  natoms: number,
  timing: PlanTiming,
  parallel: number,
): string => {
  const lines: string[] = [];
  const row = (label: string, s: ProtocolSpec['stages'][number]) =>
    `  ${label.padEnd(28)} ${s.ensemble.padEnd(8)} ${`${s.temperatureK} K`.padStart(7)}${
      s.ensemble === 'npt' ? ` ${s.pressureAtm} atm` : ''
    }  ${((s.steps * s.timeStepFs) / 1000).toFixed(s.steps * s.timeStepFs < 1000 ? 3 : 1)} ps (${s.steps} x ${s.timeStepFs} fs)${
      s.dumpEvery > 0 ? `, frame every ${s.dumpEvery}` : ''
    }`;
  spec.stages.forEach((s, k) => {
    lines.push(row(`${String(k + 1).padStart(2, '0')}-${s.name}`, s));
  });
  let sharedSteps = spec.stages.reduce((a, s) => a + s.steps, 0);
  let seconds = sharedSteps * timing.shared;
  if (spec.series) {
    const per = spec.series.stages.reduce((a, s) => a + s.steps, 0);
    for (const T of spec.series.temperaturesK)
      spec.series.stages.forEach((s, k) => {
        lines.push(
          row(`series/${branchFolder(T)}/${String(k + 1).padStart(2, '0')}-${s.name}`, {
            ...s,
            temperatureK: T,
          }),
        );
      });
    const p = Math.min(parallel, spec.series.temperaturesK.length);
    seconds += Math.ceil(spec.series.temperaturesK.length / p) * per * timing.series;
    sharedSteps += per * spec.series.temperaturesK.length;
    if (p > 1) lines.push(`  (series temperatures ${p} at a time in worker threads)`);
  }
  const engine =
    spec.engine === 'lammps'
      ? `LAMMPS${spec.mpiProcesses > 1 ? ` (mpirun -np ${spec.mpiProcesses})` : ''}`
      : 'embedded engine';
  return `protocol: ${engine}, ${natoms} atoms, ${spec.forcefield}${spec.coulomb ? ` (${spec.coulomb})` : ''}, ${sharedSteps} steps\n${lines.join('\n')}\n${
    spec.engine === 'lammps'
      ? 'expected time: not estimated for LAMMPS (it reports its own timing in log.lammps; the README gives rates measured on one machine)'
      : `threads: ${timing.threads.shared} for the shared stages${spec.series ? `, ${timing.threads.branch} per series temperature` : ''}\n` +
        `expected time: about ${formatDuration(seconds)} on this machine (${(timing.shared * 1000).toFixed(2)} ms per step measured${
          spec.series && timing.series !== timing.shared
            ? `, ${(timing.series * 1000).toFixed(2)} ms in the series`
            : ''
        })`
  }\n`;
};

/** --engine and --mpi override the protocol's engine settings. */
export const withEngineOptions = (spec: ProtocolSpec, o: Record<string, unknown>): ProtocolSpec => {
  const out = { ...spec };
  if (o.engine) {
    out.engine = o.engine as ProtocolSpec['engine'];
    if (out.engine === 'lammps') out.dumpFormat = 'lammps-dump';
  }
  if (o.mpi !== undefined) {
    const n = Number(o.mpi);
    if (!Number.isInteger(n) || n < 1) throw new OptionError(`--mpi: "${o.mpi}" is not a whole number >= 1`);
    out.mpiProcesses = n;
  }
  if (out.engine !== 'lammps' && out.mpiProcesses > 1) throw new OptionError('--mpi needs --engine lammps');
  return out;
};

/** Ctrl-C and SIGTERM stop the run at the next step, after a checkpoint. */
export const stopOnSignals = (): { signal: AbortSignal; dispose: () => void } => {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: abort.signal,
    dispose: () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    },
  };
};

/** Run a protocol with a progress bar (on a terminal), checkpoints and signal handling. */
export const runWithProgress = async (
  spec: ProtocolSpec,
  start: Structure,
  outDir: string,
  options: { resume?: boolean; parallel?: number; threads?: number; label?: string },
): Promise<ProtocolResult> => {
  const bar = process.stderr.isTTY
    ? new SingleBar({
        stream: process.stderr,
        format: `${options.label ?? 'run'} [{bar}] {percentage}% | {value}/{total} steps | ETA {eta_formatted} | {stage}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      })
    : undefined;
  let started = false;
  let stage = '';
  const { signal, dispose } = stopOnSignals();
  try {
    const run = spec.engine === 'lammps' ? runProtocolInLammps : runProtocol;
    return await run(spec, start, {
      outDir,
      mpiProcesses: spec.mpiProcesses,
      resume: options.resume,
      parallel: options.parallel,
      threads: options.threads,
      signal,
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
    if (e instanceof RunCancelled)
      throw new OptionError(
        spec.engine === 'lammps'
          ? `stopped; the finished stages are kept in ${outDir}. Continue with the same command and --resume (the stopped stage runs again from its start)`
          : `stopped; the checkpoints are in ${outDir}. Continue with the same command and --resume`,
      );
    throw e;
  } finally {
    if (started) bar?.stop();
    dispose();
  }
};

export const registerRun = (program: Command): void => {
  addReadOptions(
    program
      .command('run')
      .description('run a simulation protocol (TOML or JSON): melt-quench, NPT, stages, temperature series')
      .argument('<protocol>', 'protocol file (.toml or .json)')
      .option('--structure <file>', "start structure (default: the protocol's `structure`)")
      .requiredOption('-o, --output <dir>', 'output folder (one sub-folder per stage)')
      .option('--resume', 'continue a stopped run in the output folder')
      .option('--parallel <n>', 'series temperatures at once (worker threads), default: the protocol')
      .option(
        '--threads <n>',
        'embedded engine: threads for the forces, shared by the series temperatures running at once (default: all cores)',
      )
      .addOption(
        new Option('--engine <e>', "engine (default: the protocol's, embedded)").choices([
          'embedded',
          'lammps',
        ]),
      )
      .option('--mpi <n>', 'LAMMPS: MPI processes per run (mpirun -np n)')
      .option('--dry-run', 'print the plan and the expected time, run nothing'),
  ).action(async (file: string, o: RawReadOptions & Record<string, string | boolean | undefined>) => {
    const spec = withEngineOptions(readProtocol(file), o);
    const structurePath = (o.structure as string | undefined) ?? spec.structure;
    if (!structurePath) throw new OptionError(`${file} names no structure; give one with --structure`);
    const start = await readStructure(structurePath, await toOpenOptions(o));
    if (!start.frame.lattice) throw new OptionError(`${structurePath}: MD needs a periodic cell`);
    let parallel: number | undefined;
    if (o.parallel !== undefined) {
      parallel = Number(o.parallel);
      if (!Number.isInteger(parallel) || parallel < 1)
        throw new OptionError(`--parallel: "${o.parallel}" is not a whole number >= 1`);
    }
    const threads = threadsOption(o.threads);
    const p = parallel ?? spec.series?.parallel ?? 1;
    const plan = describePlan(
      spec,
      start.topology.natoms,
      await measurePlanTiming(spec, start, p, threads),
      p,
    );
    process.stdout.write(plan);
    if (o.dryRun) return;
    const r = await runWithProgress(spec, start, o.output as string, {
      resume: o.resume === true,
      parallel,
      threads,
    });
    const line = (s: ProtocolResult['stages'][number]) =>
      `  ${s.folder.padEnd(28)} T ${s.temperatureK.mean.toFixed(1)} K, PE ${s.potentialKcalMol.mean.toFixed(1)} kcal/mol, P ${s.pressureAtm.mean.toFixed(0)} atm, density ${s.densityGPerCm3.mean.toFixed(4)}${
        s.ensemble === 'npt' && Number.isFinite(s.densityGPerCm3.standardError)
          ? ` +- ${s.densityGPerCm3.standardError.toFixed(4)} (after ${s.discardedPs} ps)`
          : ''
      } g/cm3`;
    const out = [...r.stages.map(line), ...(r.series ?? []).flatMap((b) => b.stages.map(line))];
    process.stdout.write(
      `done; averages (block-averaged standard errors in summary.json):\n${out.join('\n')}\nwrote ${o.output}/\n`,
    );
  });
};
