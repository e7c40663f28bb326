import type { Command } from 'commander';
import { formatDuration, formatPlan } from '../md/protocols/plan.js';
import type { WatchServer } from '../report/index.js';
import { mechanicsTable } from '../study/mechanics.js';
import { replicaTable, studyTable } from '../study/output.js';
import { runStudy } from '../study/run-study.js';
import { readStudy } from '../study/spec.js';
import { parseNumber } from './number-option.js';
import { addEngineOptions } from './run.js';
import { checkMpiEngine, engineOptions, stoppedRunMessage, withRunSession } from './run-session.js';

/** The report layer (Vega-Lite, resvg: half a second to load), loaded only when a report is made. */
const loadReport = () => import('../report/index.js');

const isPort = (v: number): boolean => Number.isInteger(v) && v >= 0 && v < 65536;

export const registerStudy = (program: Command): void => {
  addEngineOptions(
    program
      .command('study')
      .description(
        'the whole workflow from a study file: build the model, melt-quench, temperature series, transport, Arrhenius, structure',
      )
      .argument('<file>', 'study file (.toml or .json), e.g. examples/laoc-0b.toml')
      .option('-o, --output <dir>', 'output folder (default: out/<study name>)')
      .option(
        '--quick',
        'short runs (0.5 ps stages, 5 ps production) of at most 2 models: a check of the workflow, not results',
      )
      .option(
        '--no-report',
        'skip report.html and figures/ at the end (oligolyte report DIR makes them later)',
      )
      .option(
        '--serve [port]',
        'a live page of the run on 127.0.0.1 (progress, thermo, then every plot) while it runs',
      ),
    'study',
  ).action(async (file: string, o: Record<string, string | boolean | undefined>) => {
    const spec = readStudy(file);
    const e = engineOptions(o);
    const engine = e.engine ?? spec.protocol.engine;
    checkMpiEngine(engine, e.mpiProcesses ?? spec.protocol.mpiProcesses);
    const options = {
      outDir: o.output as string | undefined,
      quick: o.quick === true,
      resume: o.resume === true,
      dryRun: o.dryRun === true,
      ...e,
    };
    const servePort = parseNumber(
      typeof o.serve === 'string' ? o.serve : undefined,
      '--serve',
      isPort,
      'a port number',
    );
    let outDir = '';
    let models = 1;
    let live: Promise<WatchServer | undefined> | undefined;
    const outcome = await withRunSession(
      'study',
      stoppedRunMessage(engine, options.outDir ?? 'the output folder'),
      (hooks) =>
        runStudy(spec, options, {
          ...hooks,
          onPlan: (plan) => {
            outDir = plan.outDir;
            if (o.serve !== undefined && !options.dryRun)
              live = loadReport()
                .then((report) => report.serveStudy(plan.outDir, { port: servePort, background: true }))
                .then(
                  (server) => {
                    process.stdout.write(
                      `live page: ${server.url} (127.0.0.1 only; it closes when the study ends)\n`,
                    );
                    return server;
                  },
                  (e: Error) => {
                    process.stderr.write(`note: no live page (${e.message}); the study runs on\n`);
                    return undefined;
                  },
                );
            models = plan.seeds.length;
            const m = spec.model;
            process.stdout.write(
              `study ${plan.name}${plan.quick ? ' (--quick)' : ''}: ${plan.firstModel.topology.natoms} atoms, ${m.mix ?? `${m.composition} x ${m.trimers}`} at ${m.density} g/cm3, ${models > 1 ? `${models} models (seeds ${plan.seeds.join(', ')}), one after another` : `seed ${plan.seeds[0]}`} -> ${plan.outDir}/\n`,
            );
            process.stdout.write(formatPlan(plan.run));
            const perModel = plan.run.timing?.expectedSeconds;
            if (models > 1)
              process.stdout.write(
                perModel !== undefined
                  ? `(that is for one model; the ${models} models: about ${formatDuration(models * perModel)} of MD, plus the analyses)\n`
                  : `(that is for one model; ${models} models take ${models} times as long)\n`,
              );
            if (plan.quick && spec.model.replicas > models)
              process.stdout.write(
                `(--quick runs ${models} of the study's ${spec.model.replicas} models: a check of the workflow)\n`,
              );
          },
          onModel: (seed) => {
            if (models > 1) process.stderr.write(`model seed ${seed}\n`);
          },
          onAnalysis: () => process.stderr.write('analysing transport...\n'),
          onResult: (result) => {
            for (const row of result.rows)
              for (const note of row.result.notes)
                process.stderr.write(`note (${row.temperatureK} K): ${note}\n`);
            process.stdout.write(studyTable(result));
          },
        }),
    );
    // The live page stops with the study; its last state stays on screen.
    await (await live)?.close();
    if (options.dryRun) return;
    if (outcome.replicas) process.stdout.write(replicaTable(spec.name, outcome.replicas));
    if (outcome.mechanics) process.stdout.write(mechanicsTable(outcome.mechanics));
    process.stdout.write(
      `wrote ${outDir}/: ${models > 1 ? 'replicas.json, replicas.txt, and per model seed*/: ' : ''}study.json, arrhenius.csv, ${spec.structure ? 'structure.csv, ' : ''}${spec.scattering ? 'scattering/pdf.csv, ' : ''}${spec.mechanics ? 'mechanics/ (mechanics.json, .csv, .txt), ' : ''}summary.txt, model.extxyz, model.data, run/ (thermo, trajectories, checkpoints per stage)\n`,
    );
    if (o.report !== false) {
      // The study's results are complete and kept whatever happens here: a report that cannot be
      // made is said, not fatal, and can be made again with oligolyte report.
      try {
        const report = await loadReport();
        const files = await report.writeReport(await report.readReportInput(outDir));
        process.stdout.write(
          `wrote ${files.html} and figures/ (${files.figures.length} files): open the report in a browser\n`,
        );
      } catch (err) {
        process.stderr.write(
          `note: the report was not written (${(err as Error).message}); make it with: oligolyte report ${outDir}\n`,
        );
      }
    }
  });
};
