import { type Command, Option } from 'commander';
import { OptionError } from '../core/errors.js';
import { runProtocol, withEngine } from '../engines/run-protocol.js';
import { readStructure } from '../io/registry.js';
import { formatPlan, planProtocol } from '../md/protocols/plan.js';
import { readProtocol } from '../md/protocols/protocol.js';
import { formatRunSummary } from '../md/protocols/run-layout.js';
import { addReadOptions, type RawReadOptions, toOpenOptions } from './read-options.js';
import { checkMpiEngine, engineOptions, stoppedRunMessage, withRunSession } from './run-session.js';

/** The options `run` and `study` share. */
export const addEngineOptions = (command: Command, what: string): Command =>
  command
    .option('--resume', 'continue a stopped run in the output folder')
    .option('--parallel <n>', `series temperatures at once (worker threads), default: the ${what}'s`)
    .option(
      '--threads <n>',
      'embedded engine: threads for the forces, shared by the series temperatures running at once (default: all cores)',
    )
    .addOption(
      new Option('--engine <e>', `engine (default: the ${what}'s, embedded)`).choices([
        'embedded',
        'lammps',
        'cp2k',
      ]),
    )
    .option('--mpi <n>', 'LAMMPS or CP2K: MPI processes per run (mpirun -n n)')
    .option('--dry-run', 'print the plan and the expected time, run nothing');

export const registerRun = (program: Command): void => {
  addReadOptions(
    addEngineOptions(
      program
        .command('run')
        .description('run a simulation protocol (TOML or JSON): melt-quench, NPT, stages, temperature series')
        .argument('<protocol>', 'protocol file (.toml or .json)')
        .option('--structure <file>', "start structure (default: the protocol's `structure`)")
        .requiredOption('-o, --output <dir>', 'output folder (one sub-folder per stage)'),
      'protocol',
    ),
  ).action(async (file: string, o: RawReadOptions & Record<string, string | boolean | undefined>) => {
    const e = engineOptions(o);
    const spec = withEngine(readProtocol(file), { engine: e.engine });
    if (e.mpiProcesses !== undefined) spec.mpiProcesses = e.mpiProcesses;
    checkMpiEngine(spec.engine, spec.mpiProcesses);
    const structurePath = (o.structure as string | undefined) ?? spec.structure;
    if (!structurePath) throw new OptionError(`${file} names no structure; give one with --structure`);
    const start = await readStructure(structurePath, await toOpenOptions(o));
    if (!start.frame.lattice) throw new OptionError(`${structurePath}: MD needs a periodic cell`);
    process.stdout.write(
      formatPlan(
        await planProtocol(spec, start, {
          parallel: e.parallel,
          threads: e.threads,
          structureFile: {
            path: structurePath,
            namedBy: o.structure ? '--structure' : `\`structure\` in ${file}`,
          },
        }),
      ),
    );
    if (o.dryRun) return;
    const outDir = o.output as string;
    const r = await withRunSession('run', stoppedRunMessage(spec.engine, outDir), (hooks) =>
      runProtocol(spec, start, {
        outDir,
        resume: o.resume === true,
        parallel: e.parallel,
        threads: e.threads,
        ...hooks,
      }),
    );
    process.stdout.write(
      `done; averages (block-averaged standard errors in summary.json):\n${formatRunSummary(r)}\nwrote ${outDir}/\n`,
    );
  });
};
