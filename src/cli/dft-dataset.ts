import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { RunCancelled } from '../md/integrator.js';
import { runDataset } from '../study/dft-dataset.js';
import { readDatasetPlan } from '../study/dft-dataset-plan.js';
import { isWholeAtLeastOne, parseNumber } from './number-option.js';
import { RunStopped } from './run-session.js';
import { onStopSignal, SIGNAL_EXIT, type StopSignal } from './signals.js';

const minutes = (s: number) => (s < 90 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`);

/**
 * Run `task` with Ctrl-C / SIGTERM stopping CP2K (its process is killed: what CP2K finished is
 * kept, the configuration or run it was in is not); the stop exits 130/143 with `stopped`.
 */
export const withCp2kStop = async <T>(
  stopped: string,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> => {
  const abort = new AbortController();
  let signalled: StopSignal | undefined;
  const release = onStopSignal({
    stop: (s) => {
      signalled ??= s;
      process.stderr.write(`oligolyte: ${s}: stopping CP2K (again: at once)\n`);
      abort.abort();
    },
    kept: stopped,
  });
  try {
    return await task(abort.signal);
  } catch (e) {
    if (e instanceof RunCancelled || abort.signal.aborted)
      throw new RunStopped(stopped, SIGNAL_EXIT[signalled ?? 'SIGINT']);
    throw e;
  } finally {
    release();
  }
};

/** The commit of the working tree the command runs from (provenance), when it is a git checkout. */
export const gitCommit = (): string | undefined => {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', cwd: import.meta.dirname });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

export const registerDftDataset = (dft: Command): void => {
  dft
    .command('dataset')
    .configureHelp({ showGlobalOptions: true })
    .description(
      'sample configurations (strained and rattled crystals, frames of force-field MD of packed glass cells, trajectory frames as they are or with one bond stretched) and run each through CP2K, resuming: writes an extended XYZ data set (energy eV, forces eV/A, stress eV/A^3 positive tensile as ASE, config_type, temperature/strain/stretch facts) and its provenance JSON',
    )
    .argument('<plan>', 'the data-set plan (TOML or JSON; see docs/dft.md)')
    .option('--limit <n>', 'stop after this many configurations (in run order) in all')
    .option('--list', 'list the planned configurations and exit (no CP2K run)')
    // --mpi and --cp2k are `dft`'s own options (commander gives them to the parent command).
    .action(async (planFile: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals() as { mpi: string; cp2k: string; limit?: string; list?: boolean };
      const plan = readDatasetPlan(planFile);
      const mpiProcesses = parseNumber(o.mpi, '--mpi', isWholeAtLeastOne, 'a whole number >= 1');
      const limit = parseNumber(o.limit, '--limit', isWholeAtLeastOne, 'a whole number >= 1');
      if (o.list) {
        const { planConfigs } = await import('../study/dft-dataset-sample.js');
        const configs = await planConfigs(plan);
        process.stdout.write('id                       atoms  config_type\n');
        for (const c of configs.slice(0, limit ?? configs.length))
          process.stdout.write(
            `${c.id.padEnd(24)} ${String(c.structure.topology.natoms).padStart(5)}  ${c.configType}\n`,
          );
        return;
      }
      const t0 = Date.now();
      const stopped = `stopped; the finished configurations and ${plan.output} of them are kept: run the same command again to go on`;
      const n = await withCp2kStop(stopped, (signal) =>
        runDataset(plan, {
          signal,
          mpiProcesses,
          cp2k: o.cp2k,
          limit,
          commit: gitCommit(),
          onPlanned: (total, finished, otherBuild) =>
            process.stderr.write(
              `${total} configurations planned, ${finished} already finished${otherBuild ? ` (${otherBuild} of them MD frames placed by another build of the engine, kept: the provenance lists them)` : ''}\n`,
            ),
          onProgress: (p) =>
            process.stderr.write(
              `[${p.done}/${p.total}] ${p.id}: ${minutes(p.seconds)}; ${p.etaSeconds !== undefined && p.done < p.total ? `ETA ${minutes(p.etaSeconds)}` : 'done'}\n`,
            ),
        }),
      );
      process.stdout.write(
        `${plan.output}: ${n} configurations (${minutes((Date.now() - t0) / 1000)} this run)\n`,
      );
    });
};
