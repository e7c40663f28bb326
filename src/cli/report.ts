import type { Command } from 'commander';
import { writeTo } from '../analysis/report-io.js';
import { OptionError } from '../core/errors.js';
import type { MeasuredValues } from '../report/index.js';
import { isPositive, parseNumber } from './number-option.js';
import { onStopSignal } from './signals.js';

/** The report layer (Vega-Lite, resvg: half a second to load), loaded only when a report is made. */
const loadReport = () => import('../report/index.js');

/** "1.3@303.15" (mS/cm at K) as a measured conductivity. */
const parseConductivity = (value: string): MeasuredValues['points'][number] => {
  const m = /^\s*([^@\s]+)\s*@\s*([^@\s]+?)\s*(K)?\s*$/i.exec(value);
  if (!m)
    throw new OptionError(
      `--measured-sigma: "${value}" is not CONDUCTIVITY@TEMPERATURE (mS/cm @ K, e.g. 1.3@303.15)`,
    );
  return {
    msPerCm: parseNumber(m[1], '--measured-sigma', isPositive, 'a positive conductivity (mS/cm)'),
    temperatureK: parseNumber(m[2], '--measured-sigma', isPositive, 'a positive temperature (K)'),
  };
};

/** The measured values the options give, or undefined. */
export const measuredOptions = (
  o: Record<string, string | boolean | undefined>,
): MeasuredValues | undefined => {
  const conductivity = typeof o.measuredSigma === 'string' ? parseConductivity(o.measuredSigma) : undefined;
  const activationEv = parseNumber(
    o.measuredEa as string | undefined,
    '--measured-ea',
    isPositive,
    'a positive activation energy (eV)',
  );
  if (!conductivity && activationEv === undefined) {
    if (o.measuredLabel) throw new OptionError('--measured-label needs --measured-sigma or --measured-ea');
    return undefined;
  }
  return {
    points: conductivity ? [conductivity] : [],
    activationEv,
    label: o.measuredLabel as string | undefined,
  };
};

/**
 * Serve the live page of a study folder until Ctrl-C or SIGTERM (then close it and exit 0); the
 * study may be running, finished, or not started yet.
 */
export const watchStudy = async (dir: string, portOption?: string): Promise<void> => {
  const port = parseNumber(
    portOption,
    '--port',
    (v) => Number.isInteger(v) && v >= 0 && v < 65536,
    'a port number',
  );
  const server = await (await loadReport()).serveStudy(dir, {
    port,
    onError: (e) => process.stderr.write(`note: ${e.message}\n`),
  });
  process.stdout.write(`live page of ${dir}: ${server.url} (127.0.0.1 only; Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const release = onStopSignal({
      stop: () => {
        release();
        void server.close().then(resolve);
      },
      kept: 'the study folder is unchanged',
    });
  });
};

export const registerReport = (program: Command): void => {
  program
    .command('report')
    .description(
      'a self-contained HTML report (plots, tables, a 3-D view) and print figures (SVG, PNG) of a study folder or of the JSON of transport, structure rdf/vdos, scatter, mechanics or eis',
    )
    .argument(
      '<path>',
      'a study output folder (with study.json), or a --json file of transport, structure rdf/vdos, scatter fit/pdf/xrd/sq/pdf-md, mechanics stress-strain/elastic or eis fit/kk/arrhenius',
    )
    .argument(
      '[more...]',
      'JSON of structure rdf/vdos, scatter, mechanics or eis commands whose plots join the report',
    )
    .option(
      '-o, --output <dir>',
      "folder for report.html and figures/ (default: the study folder, or the JSON file's folder)",
    )
    .option('--no-figures', 'skip figures/*.svg and *.png')
    .option(
      '--measured-sigma <S@T>',
      'a measured conductivity to plot beside the simulated one: mS/cm @ K, e.g. 1.3@303.15',
    )
    .option(
      '--measured-ea <eV>',
      'a measured activation energy (eV), drawn through the measured conductivity',
    )
    .option('--measured-label <text>', 'where the measured values come from (shown in the legend and table)')
    .option('--json <file>', "the report's sections, plots and files as JSON")
    .option(
      '--watch',
      'serve a live page of a running study on 127.0.0.1 (progress, thermo, then every plot) until Ctrl-C',
    )
    .option('--port <n>', 'with --watch: the port (default: any free port)')
    .addHelpText(
      'after',
      '\nThe page opens from disk with no network: the Vega and 3Dmol.js runtimes and every datum are inline.\nFigures: one SVG (1 unit = 1 pt, journal-column size, 8 pt text) and one 300 dpi PNG per plot, made without a browser.\nUnits as in the study: D in cm2/s, sigma in mS/cm, MSD in A2, time in ps, densities in 1/A3.',
    )
    .action(async (path: string, more: string[], o: Record<string, string | boolean | undefined>) => {
      if (o.watch === true) {
        await watchStudy(path, o.port as string | undefined);
        return;
      }
      const measured = measuredOptions(o);
      const input = await (await loadReport()).readReportInput(path, {
        outDir: o.output as string | undefined,
        measured,
        extra: more,
      });
      const files = await (await loadReport()).writeReport(input, { figures: o.figures !== false });
      const lines = [`${input.name}: ${input.kind} report`];
      for (const s of files.sections) {
        const plots = s.blocks.filter((b) => b.kind === 'plot').length;
        const tables = s.blocks.filter((b) => b.kind === 'table').length;
        const views = s.blocks.filter((b) => b.kind === 'viewer').length;
        lines.push(
          `  ${s.title.padEnd(44)} ${[plots && `${plots} plot${plots > 1 ? 's' : ''}`, tables && `${tables} table${tables > 1 ? 's' : ''}`, views && '3-D view'].filter(Boolean).join(', ')}`,
        );
      }
      lines.push(
        `wrote ${files.html}${files.figures.length ? ` and ${files.figures.length} figure files in ${input.outDir}/figures/` : ''}`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
      if (typeof o.json === 'string')
        await writeTo(o.json, async (sink) => {
          sink.write(
            `${JSON.stringify(
              {
                source: input.source,
                kind: input.kind,
                html: files.html,
                figures: files.figures,
                // A replica study: the replica average as read from replicas.json (the result) and
                // the seed the one-model sections show.
                ...(input.replicas
                  ? {
                      replicas: {
                        shownSeed: input.replicas.shownSeed,
                        seedsDone: input.replicas.seedsDone,
                        summary: input.replicas.summary ?? null,
                      },
                    }
                  : {}),
                sections: files.sections.map((s) => ({
                  id: s.id,
                  title: s.title,
                  blocks: s.blocks.map((b) => ({
                    kind: b.kind,
                    title: b.title,
                    ...('id' in b ? { id: b.id } : {}),
                  })),
                })),
              },
              null,
              1,
            )}\n`,
          );
        });
    });
};
