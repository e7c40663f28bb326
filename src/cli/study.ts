import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { OptionError } from '../core/errors.js';
import { writeFrames } from '../io/registry.js';
import {
  analyseStudy,
  buildStudyModel,
  quickProtocol,
  readStudy,
  studyTable,
  writeStudyOutputs,
} from '../study/study.js';
import { describePlan, measureStepSeconds, runWithProgress, withEngineOptions } from './run.js';

export const registerStudy = (program: Command): void => {
  program
    .command('study')
    .description(
      'the whole workflow from a study file: build the model, melt-quench, temperature series, transport, Arrhenius',
    )
    .argument('<file>', 'study file (.toml or .json), e.g. examples/laoc-0b.toml')
    .option('-o, --output <dir>', 'output folder (default: out/<study name>)')
    .option('--quick', 'short runs (0.5 ps stages, 5 ps production): a check of the workflow, not results')
    .option('--resume', 'continue a stopped study in the output folder')
    .option('--parallel <n>', "series temperatures at once (default: the study's)")
    .option('--dry-run', 'print the plan and the expected time, run nothing')
    .addOption(
      new Option('--engine <e>', "engine (default: the study's, embedded)").choices(['embedded', 'lammps']),
    )
    .option('--mpi <n>', 'LAMMPS: MPI processes per run (mpirun -np n)')
    .action(async (file: string, o: Record<string, string | boolean | undefined>) => {
      const spec = readStudy(file);
      spec.protocol = withEngineOptions(spec.protocol, o);
      const quick = o.quick === true;
      const protocol = quick ? quickProtocol(spec.protocol) : spec.protocol;
      const out = (o.output as string | undefined) ?? join('out', spec.name.replace(/[^\w.-]+/g, '_'));
      let parallel: number | undefined;
      if (o.parallel !== undefined) {
        parallel = Number(o.parallel);
        if (!Number.isInteger(parallel) || parallel < 1)
          throw new OptionError(`--parallel: "${o.parallel}" is not a whole number >= 1`);
      }
      const model = buildStudyModel(spec);
      process.stdout.write(
        `study ${spec.name}${quick ? ' (--quick)' : ''}: ${model.topology.natoms} atoms, ${spec.model.mix ?? `${spec.model.composition} x ${spec.model.trimers}`} at ${spec.model.density} g/cm3 (seed ${spec.model.seed}) -> ${out}/\n`,
      );
      process.stdout.write(
        describePlan(
          protocol,
          model.topology.natoms,
          measureStepSeconds(protocol, model),
          parallel ?? protocol.series!.parallel,
        ),
      );
      if (o.dryRun) return;
      mkdirSync(out, { recursive: true });
      async function* one() {
        yield model;
      }
      await writeFrames(join(out, 'model.extxyz'), one(), {
        comment: `${spec.name} model, seed ${spec.model.seed}`,
      });
      await writeFrames(join(out, 'model.data'), one(), {});
      const runDir = join(out, 'run');
      const run = await runWithProgress(protocol, model, runDir, {
        resume: o.resume === true,
        parallel,
        label: 'study',
      });
      process.stderr.write('analysing transport...\n');
      const result = await analyseStudy(spec, run, runDir, {
        quick,
        onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
      });
      for (const row of result.rows)
        for (const note of row.result.notes) process.stderr.write(`note (${row.temperatureK} K): ${note}\n`);
      writeStudyOutputs(out, result);
      process.stdout.write(studyTable(result));
      process.stdout.write(
        `wrote ${out}/: study.json, arrhenius.csv, summary.txt, model.extxyz, model.data, run/ (thermo, trajectories, checkpoints per stage)\n`,
      );
    });
};
