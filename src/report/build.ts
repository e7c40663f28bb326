import { join } from 'node:path';
import { writeTo } from '../analysis/report-io.js';
import { writeFigures } from './figures.js';
import { type ReportPage, renderHtml } from './html.js';
import type { ReportInput } from './input.js';
import type { Section } from './section.js';
import { SECTIONS } from './sections/index.js';
import { labelOneModel } from './sections/replicas.js';

/** Every section the input has something for, in page order (in a replica study, each one-model section names its seed). */
export const reportSections = (input: ReportInput): Section[] =>
  SECTIONS.flatMap((build) => {
    const s = build(input);
    return s ? [labelOneModel(input, s)] : [];
  });

const KIND_TITLE: Record<ReportInput['kind'], string> = {
  study: 'study',
  transport: 'transport analysis',
  rdf: 'pair distribution analysis',
  vdos: 'vibrational density of states',
  scatter: 'scattering analysis',
  mechanics: 'mechanics analysis',
  experiment: 'impedance analysis',
};

const replicaLine = (r: NonNullable<ReportInput['replicas']>): string =>
  r.summary
    ? `a study of ${r.summary.seeds.length} independent models (seeds ${r.summary.seeds.join(', ')}): the replica average is the result; the sections after it show one model, seed ${r.shownSeed}`
    : `a study of several independent models, not finished (done: seeds ${r.seedsDone.join(', ')}; no replica average yet); the sections show one model, seed ${r.shownSeed}`;

/** The page: title, provenance lines, the --quick warning and the sections. */
export const reportPage = (input: ReportInput, sections = reportSections(input)): ReportPage => ({
  title: `${input.name}: ${KIND_TITLE[input.kind]} report`,
  lines: [
    `from ${input.source}`,
    `made ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} by oligolyte report`,
    ...(input.replicas ? [replicaLine(input.replicas)] : []),
  ],
  warning: input.quick
    ? 'A --quick study: short runs that check the workflow. Its numbers are not results.'
    : undefined,
  sections,
});

export interface ReportFiles {
  html: string;
  /** The figure files (SVG and PNG of every plot). */
  figures: string[];
  sections: Section[];
}

/**
 * Write the report of an input: outDir/report.html (one self-contained page, written atomically)
 * and, unless `figures` is false, outDir/figures/<plot>.svg and .png for print.
 */
export const writeReport = async (
  input: ReportInput,
  options: { figures?: boolean } = {},
): Promise<ReportFiles> => {
  const sections = reportSections(input);
  const html = join(input.outDir, 'report.html');
  const text = renderHtml({ ...reportPage(input, sections), figures: options.figures !== false });
  await writeTo(html, async (sink) => {
    sink.write(text);
  });
  const figures =
    options.figures === false ? [] : await writeFigures(sections, join(input.outDir, 'figures'));
  return { html, figures, sections };
};
