import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { OptionError } from '../core/errors.js';
import { writeFrames } from '../io/registry.js';
import {
  analyseStudy,
  buildStudyModel,
  combineReplicas,
  quickProtocol,
  readStudy,
  replicaTable,
  type StudyResult,
  studyTable,
  writeStudyOutputs,
} from '../study/study.js';
import { describePlan, measurePlanTiming, runWithProgress, withEngineOptions } from './run.js';
import { threadsOption } from './threads-option.js';

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
    .option(
      '--threads <n>',
      'threads for the forces, shared by the series temperatures running at once (default: all cores)',
    )
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
      const seeds = Array.from({ length: spec.model.replicas }, (_, r) => spec.model.seed + r);
      const first = buildStudyModel(spec, seeds[0]);
      process.stdout.write(
        `study ${spec.name}${quick ? ' (--quick)' : ''}: ${first.topology.natoms} atoms, ${spec.model.mix ?? `${spec.model.composition} x ${spec.model.trimers}`} at ${spec.model.density} g/cm3, ${seeds.length > 1 ? `${seeds.length} models (seeds ${seeds.join(', ')}), one after another` : `seed ${seeds[0]}`} -> ${out}/\n`,
      );
      const threads = threadsOption(o.threads);
      const p = parallel ?? protocol.series!.parallel;
      process.stdout.write(
        describePlan(
          protocol,
          first.topology.natoms,
          await measurePlanTiming(protocol, first, p, threads),
          p,
        ),
      );
      if (seeds.length > 1)
        process.stdout.write(
          `(that is for one model; ${seeds.length} models take ${seeds.length} times as long)\n`,
        );
      if (o.dryRun) return;
      const results: StudyResult[] = [];
      for (const seed of seeds) {
        const model = seed === seeds[0] ? first : buildStudyModel(spec, seed);
        const dir = seeds.length > 1 ? join(out, `seed${seed}`) : out;
        mkdirSync(dir, { recursive: true });
        async function* one() {
          yield model;
        }
        await writeFrames(join(dir, 'model.extxyz'), one(), { comment: `${spec.name} model, seed ${seed}` });
        await writeFrames(join(dir, 'model.data'), one(), {});
        const runDir = join(dir, 'run');
        if (seeds.length > 1) process.stderr.write(`model seed ${seed}\n`);
        const run = await runWithProgress(protocol, model, runDir, {
          resume: o.resume === true,
          parallel,
          threads,
          label: seeds.length > 1 ? `seed ${seed}` : 'study',
        });
        process.stderr.write('analysing transport...\n');
        const result = await analyseStudy(spec, run, runDir, {
          quick,
          onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
        });
        for (const row of result.rows)
          for (const note of row.result.notes)
            process.stderr.write(`note (${row.temperatureK} K): ${note}\n`);
        writeStudyOutputs(dir, result);
        process.stdout.write(studyTable(result));
        results.push(result);
      }
      if (seeds.length > 1) {
        const rep = combineReplicas(spec, results, seeds);
        writeFileSync(
          join(out, 'replicas.json'),
          `${JSON.stringify(rep, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1)}\n`,
        );
        const table = replicaTable(spec.name, rep);
        writeFileSync(join(out, 'replicas.txt'), table);
        process.stdout.write(table);
      }
      process.stdout.write(
        `wrote ${out}/: ${seeds.length > 1 ? 'replicas.json, replicas.txt, and per model seed*/: ' : ''}study.json, arrhenius.csv, summary.txt, model.extxyz, model.data, run/ (thermo, trajectories, checkpoints per stage)\n`,
      );
    });
};
