/**
 * oligolyte/report: a self-contained HTML report (plots, tables, a 3-D view) and print figures
 * (SVG, PNG) drawn from the JSON and CSV the study and analysis commands write. It computes no
 * physics.
 */
export { type ReportFiles, reportPage, reportSections, writeReport } from './build.js';
export { compilePlot } from './compile.js';
export { FIGURE_DPI, figurePng, figureSvg, writeFigures } from './figures.js';
export { type ReportPage, renderHtml } from './html.js';
export { type MeasuredValues, type ReportInput, readReportInput } from './input.js';
export { type LabInput, type PdfFitCurves, readLabJson, type StressStrainView } from './input-lab.js';
export type {
  Block,
  PlotBlock,
  PlotSize,
  Section,
  SectionBuilder,
  TableBlock,
  ViewerBlock,
} from './section.js';
export { SECTIONS } from './sections/index.js';
export {
  type StageProgress,
  serveStudy,
  type WatchServer,
  type WatchSnapshot,
  watchSnapshot,
} from './watch.js';
